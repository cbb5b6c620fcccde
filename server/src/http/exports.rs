//! The console's exports over HTTP (see `agora_app::exports`): plain form posts, because the answer
//! is a file, the buttons work without WASM, and as POSTs they are covered by the cross-origin
//! refusal (`origin.rs`), so another site cannot make an operator's browser export.
//!
//! `POST /console/exports/run`: checks and records the export (`exports::request::start`), then
//! streams the CSV in keyset pages (bounded memory), or, over `export_stream_max_rows`, answers 303
//! to the exports page where the background job's progress shows.
//! `POST /console/exports/{id}/file`: a background export's file, for its requester, until it expires.
//! `POST /console/analytics/{report}/export`: a report's own tables (`reports::export`), built whole.
//!
//! Refusals: 401 without a session, 403 without `exports.export` or the dataset's view permission,
//! 400 with the field for bad input, 409 for a file not ready or expired. A browser's form (it asks
//! for HTML) is sent back to the exports page instead, its query keeping what was typed (never the
//! password) and naming the refused field, which the page shows next to it.

use agora_app::domain::export::Delivery;
use agora_app::domain::permissions::EXPORTS_EXPORT;
use agora_app::error::AppError;
use agora_app::exports::model::ExportSpec;
use agora_app::exports::request::{self, RawRequest};
use agora_app::exports::{rows, service, PAGE_PATH};
use agora_app::platform::caller::{caller_of, request_meta_of, Caller};
use agora_app::platform::db::Db;
use agora_app::platform::state::AppState;
use agora_app::reports::export::{report_csv, ReportQuery};
use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, Path, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use futures_util::StreamExt;

/// Whether the request comes from a browser's form (it asks for a page), not a script.
fn wants_page(parts: &Parts) -> bool {
    parts.headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|a| a.contains("text/html"))
}

fn refuse(e: &AppError) -> Response {
    let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, e.to_string()).into_response()
}

/// Back to the exports page with the form's values and the refusal (`field`, `error` message key).
fn back_to_page(raw: &RawRequest, e: &AppError) -> Response {
    let (field, key) = match e {
        AppError::Invalid { field, code } => (field.clone(), code.clone()),
        AppError::Conflict { code } => ("dataset".to_string(), code.clone()),
        other => ("dataset".to_string(), other.message_key().to_string()),
    };
    let query = agora_app::components::query_string(&[
        ("dataset", Some(raw.dataset.clone())),
        ("period", raw.period.clone()),
        ("from", raw.from.clone()),
        ("to", raw.to.clone()),
        ("status", raw.status.clone()),
        ("seller", raw.seller.clone()),
        ("field", Some(field)),
        ("error", Some(key)),
    ]);
    Redirect::to(&format!("{PAGE_PATH}?{query}")).into_response()
}

/// The signed-in caller, if they may export at all (each dataset's own permission is checked later).
async fn exporter(state: &AppState, parts: &Parts) -> Result<Caller, Response> {
    match caller_of(state, parts).await {
        Ok(Some(caller)) if caller.can(EXPORTS_EXPORT) => Ok(caller),
        Ok(Some(_)) => Err(refuse(&AppError::Forbidden)),
        Ok(None) => Err(refuse(&AppError::Unauthenticated)),
        Err(e) => Err(refuse(&e)),
    }
}

/// `POST /console/analytics/{report}/export`: the report's tables as CSV (`reports::export`), for
/// operators who may read the reports and export.
pub async fn report(State(state): State<AppState>, Path(name): Path<String>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let caller = match exporter(&state, &parts).await {
        Ok(caller) => caller,
        Err(refused) => return refused,
    };
    let meta = request_meta_of(&state, &parts);
    let query = match Form::<ReportQuery>::from_request(Request::from_parts(parts, body), &state).await {
        Ok(Form(query)) => query,
        Err(rejection) => return rejection.into_response(),
    };
    match report_csv(&state, &caller, &meta, &name, &query).await {
        Ok(file) => {
            let rows = [(header::HeaderName::from_static("x-export-rows"), HeaderValue::from(file.rows))];
            (csv_headers(&file.name), rows, file.csv).into_response()
        }
        Err(e) => refuse(&e),
    }
}

pub async fn run(State(state): State<AppState>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let caller = match exporter(&state, &parts).await {
        Ok(caller) => caller,
        Err(refused) => return refused,
    };
    let (meta, page) = (request_meta_of(&state, &parts), wants_page(&parts));
    let raw = match Form::<RawRequest>::from_request(Request::from_parts(parts, body), &state).await {
        Ok(Form(raw)) => raw,
        Err(rejection) => return rejection.into_response(),
    };
    let started = match request::start(&state, &caller, &meta, &raw).await {
        Ok(started) => started,
        Err(e @ AppError::Invalid { .. }) if page => return back_to_page(&raw, &e),
        Err(e) => return refuse(&e),
    };
    if started.delivery == Delivery::Background {
        return Redirect::to(&format!("{PAGE_PATH}?queued={}", started.id)).into_response();
    }
    let name = service::file_name(started.spec.dataset.as_str(), &started.spec.to);
    let headers = [
        (header::HeaderName::from_static("x-export-id"), HeaderValue::from(started.id)),
        (header::HeaderName::from_static("x-export-rows"), HeaderValue::from(started.rows)),
    ];
    (csv_headers(&name), headers, Body::from_stream(stream(state.db.clone(), started.spec).fuse())).into_response()
}

/// The headers of a CSV download named `name`; never cached (personal data).
fn csv_headers(name: &str) -> [(header::HeaderName, HeaderValue); 3] {
    let disposition = format!("attachment; filename=\"{name}\"");
    [
        (header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8")),
        (
            header::CONTENT_DISPOSITION,
            HeaderValue::from_str(&disposition).unwrap_or(HeaderValue::from_static("attachment")),
        ),
        (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
    ]
}

enum Step {
    Header,
    Rows(Option<(i64, i64)>),
    Done,
}

/// The file: a byte-order mark (spreadsheets then read UTF-8, e.g. Chinese names), the header, then
/// the rows a page at a time. Only one page is ever in memory.
fn stream(db: Db, spec: ExportSpec) -> impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> {
    futures_util::stream::unfold(Step::Header, move |step| {
        let (db, spec) = (db.clone(), spec.clone());
        async move {
            match step {
                Step::Done => None,
                Step::Header => Some((Ok(Bytes::from(format!("\u{feff}{}", rows::header(&spec)))), Step::Rows(None))),
                Step::Rows(cursor) => match rows::page(&db, &spec, cursor).await {
                    Ok(chunk) => {
                        let next = chunk.next.map_or(Step::Done, |c| Step::Rows(Some(c)));
                        Some((Ok(Bytes::from(chunk.csv)), next))
                    }
                    // The status line is gone already: abort the body, so the client sees a failed
                    // download instead of a silently short file.
                    Err(e) => Some((Err(std::io::Error::other(format!("export failed: {e}"))), Step::Done)),
                },
            }
        }
    })
}

pub async fn file(State(state): State<AppState>, Path(id): Path<i64>, req: Request) -> Response {
    let (parts, _) = req.into_parts();
    let caller = match exporter(&state, &parts).await {
        Ok(caller) => caller,
        Err(refused) => return refused,
    };
    let (meta, page) = (request_meta_of(&state, &parts), wants_page(&parts));
    let download = match service::download(&state, &caller, &meta, id).await {
        Ok(d) => d,
        Err(e @ AppError::Conflict { .. }) if page => return back_to_page(&RawRequest::default(), &e),
        Err(e) => return refuse(&e),
    };
    let length = [(header::CONTENT_LENGTH, HeaderValue::from(download.bytes))];
    (csv_headers(&download.name), length, Body::from_stream(read_file(download.path).fuse())).into_response()
}

/// The file in 64 KiB pieces, read off the async threads.
fn read_file(path: std::path::PathBuf) -> impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> {
    futures_util::stream::unfold(Some((path, 0u64)), |state| async move {
        let (path, offset) = state?;
        let read = tokio::task::spawn_blocking(move || -> std::io::Result<(std::path::PathBuf, Vec<u8>)> {
            use std::io::{Read, Seek, SeekFrom};
            let mut file = std::fs::File::open(&path)?;
            file.seek(SeekFrom::Start(offset))?;
            let mut buf = Vec::with_capacity(64 * 1024);
            file.take(64 * 1024).read_to_end(&mut buf)?;
            Ok((path, buf))
        })
        .await
        .map_err(std::io::Error::other)
        .and_then(|r| r);
        match read {
            Ok((_, buf)) if buf.is_empty() => None,
            Ok((path, buf)) => {
                let next = offset + buf.len() as u64;
                Some((Ok(Bytes::from(buf)), Some((path, next))))
            }
            Err(e) => Some((Err(e), None)),
        }
    })
}
