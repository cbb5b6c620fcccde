//! `POST /console/audit/export.csv`: the audit log as a CSV download, with the list page's filters.
//!
//! A plain form post rather than a server function: the answer is a file, the console's button works
//! without WASM, and, being a POST, the cross-origin refusal (`origin.rs`) covers it, so another site
//! cannot trigger an export with an operator's cookies. The export is recorded in the audit log
//! before the first byte is sent, then streamed in pages; at most `export::MAX_ROWS` rows.
//!
//! Answers: 401 without a session, 403 without `audit.export`, 400 for an invalid filter (the body names
//! the field), else 200 with the file.

use agora_app::audit::export::{self, ExportPlan};
use agora_app::audit::filter::{AuditFilter, RawFilter};
use agora_app::domain::permissions::AUDIT_EXPORT;
use agora_app::error::AppError;
use agora_app::platform::caller::{caller_of, request_meta_of};
use agora_app::platform::csv;
use agora_app::platform::db::Db;
use agora_app::platform::state::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use futures_util::StreamExt;

fn refuse(e: &AppError) -> Response {
    let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, e.to_string()).into_response()
}

pub async fn export_csv(State(state): State<AppState>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    // Who asks is settled before the body is even read.
    let caller = match caller_of(&state, &parts).await {
        Ok(Some(caller)) => caller,
        Ok(None) => return refuse(&AppError::Unauthenticated),
        Err(e) => return refuse(&e),
    };
    if !caller.can(AUDIT_EXPORT) {
        return refuse(&AppError::Forbidden);
    }
    let meta = request_meta_of(&state, &parts);
    let raw = match Form::<RawFilter>::from_request(Request::from_parts(parts, body), &state).await {
        Ok(Form(raw)) => raw,
        Err(rejection) => return rejection.into_response(),
    };
    let filter = match AuditFilter::parse(&raw) {
        Ok(f) => f,
        Err(e) => return refuse(&e),
    };
    let plan = match export::start(&state, &caller, &meta, &raw, &filter).await {
        Ok(plan) => plan,
        Err(e) => return refuse(&e),
    };
    let disposition = format!("attachment; filename=\"{}\"", export::file_name(state.now_ms()));
    let headers = [
        (header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8")),
        (
            header::CONTENT_DISPOSITION,
            HeaderValue::from_str(&disposition).unwrap_or(HeaderValue::from_static("attachment")),
        ),
        // Personal data: no shared or browser cache keeps a copy.
        (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        (header::HeaderName::from_static("x-audit-export-rows"), HeaderValue::from(plan.rows)),
    ];
    // Fused: the compression layer polls once more after the end, which an unfused `unfold` answers
    // with a panic (a reset connection for a gzip-accepting browser).
    (headers, Body::from_stream(rows(state.db.clone(), filter, plan).fuse())).into_response()
}

enum Step {
    Header,
    Rows { before: i64, remaining: i64 },
    Done,
}

/// The file: a byte-order mark (so spreadsheets read the UTF-8, e.g. Chinese names, correctly), the
/// header, then the planned rows a page at a time.
fn rows(
    db: Db,
    filter: AuditFilter,
    plan: ExportPlan,
) -> impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> {
    futures_util::stream::unfold(Step::Header, move |step| {
        let (db, filter) = (db.clone(), filter.clone());
        async move {
            match step {
                Step::Done => None,
                Step::Header => {
                    let next = match plan.rows {
                        0 => Step::Done,
                        n => Step::Rows { before: plan.through_id + 1, remaining: n },
                    };
                    Some((Ok(Bytes::from(format!("\u{feff}{}", csv::record(&export::HEADER)))), next))
                }
                Step::Rows { before, remaining } => {
                    let limit = remaining.min(export::PAGE_ROWS);
                    match export::page(&db, &filter, &plan, before, limit).await {
                        Ok(chunk) => {
                            let left = remaining - chunk.rows;
                            let next = match chunk.last_id {
                                Some(id) if left > 0 && chunk.rows == limit => {
                                    Step::Rows { before: id, remaining: left }
                                }
                                _ => Step::Done,
                            };
                            Some((Ok(Bytes::from(chunk.csv)), next))
                        }
                        // The status line is gone already: abort the body, so the client sees a failed
                        // download instead of a silently short file.
                        Err(e) => Some((Err(std::io::Error::other(format!("audit export failed: {e}"))), Step::Done)),
                    }
                }
            }
        }
    })
}
