//! Uploads over HTTP: receiving files (multipart) and serving them to those allowed.
//!
//! - `POST /uploads/listing-image` (field `file`): a seller member who may edit listings.
//! - `POST /uploads/seller-document` (fields `kind`, `file`): the owner of a seller whose application
//!   is still editable (draft or returned).
//! - `GET /media/{id}`: listing images, public (they are product photos), cached for good (an id's
//!   bytes never change).
//! - `GET /documents/{id}`: seller documents, to the seller's members and to operators with
//!   `sellers.view`; never cached, never rendered as active content.
//! - `POST /uploads/payment-proof` (fields `payment_id`, `file`): the buyer of that payment (anyone
//!   else gets 404); the payment must be a bank transfer still waiting for (new) proof.
//! - `GET /proofs/{id}`: payment proofs, to the buyer who uploaded them and operators with
//!   `payments.view`; never cached.
//! - `POST /uploads/evidence` (fields `order_id`, `file`): evidence for a refund or dispute, by the
//!   order's buyer or a member of its seller (anyone else gets 404).
//! - `GET /evidence/{id}`: evidence, to the uploader, the order's buyer, its seller's members and
//!   operators with `refunds.view` (404 otherwise); never cached.
//!
//! Plain handlers rather than server functions: the body is a file stream and the answer is a file.
//! They sit behind the same cross-origin refusal as everything else, with their own body limit.
//! Errors answer JSON `{"field", "code", "message"}` (message in the caller's language).

use agora_app::auth::api::lang_of;
use agora_app::domain::seller::SellerRight;
use agora_app::domain::upload::{Purpose, DOCUMENT_KINDS};
use agora_app::error::AppError;
use agora_app::i18n::translate;
use agora_app::platform::caller::{caller_of, request_meta_of, Caller};
use agora_app::platform::seller_access::{membership_of, Membership};
use agora_app::platform::state::AppState;
use agora_app::platform::uploads::{self, max_bytes};
use agora_app::sellers::model::MAX_DOCUMENTS;
use axum::body::Body;
use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::http::{header, request::Parts, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// Room for the multipart framing and the other fields around the largest file.
pub const MULTIPART_OVERHEAD_BYTES: usize = 64 * 1024;

fn refuse(parts: &Parts, e: &AppError) -> Response {
    let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let (field, code) = (e.field().unwrap_or("").to_string(), e.message_key().to_string());
    // The domain's status for a file problem (413 too large, 415 wrong type) wins over a plain 400.
    let status = match code.as_str() {
        "upload.too_large" => StatusCode::PAYLOAD_TOO_LARGE,
        "upload.wrong_type" => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        _ => status,
    };
    let message = translate(lang_of(parts), &code);
    (status, axum::Json(json!({ "field": field, "code": code, "message": message }))).into_response()
}

async fn signed_in(state: &AppState, parts: &Parts) -> Result<Caller, AppError> {
    caller_of(state, parts).await?.ok_or(AppError::Unauthenticated)
}

/// The seller the upload is for, if the caller may upload `purpose` for it.
async fn uploader(state: &AppState, caller: &Caller, purpose: Purpose) -> Result<Membership, AppError> {
    let m = membership_of(state, caller.user_id).await?.ok_or(AppError::Forbidden)?;
    let allowed = match purpose {
        Purpose::ListingImage => m.role.may(SellerRight::EditListings),
        Purpose::SellerDocument => m.role.may(SellerRight::EditApplication) && m.status.is_editable(),
        Purpose::PaymentProof | Purpose::Evidence => false,
    };
    if allowed {
        Ok(m)
    } else {
        Err(AppError::Forbidden)
    }
}

/// Reads the multipart body: the `file` field's name and bytes (stopping past the limit), and `kind`
/// (or, for a payment proof, `payment_id`; for evidence, `order_id`).
async fn read_form(state: &AppState, req: Request, purpose: Purpose) -> Result<(String, Vec<u8>, String), AppError> {
    let mut form =
        Multipart::from_request(req, state).await.map_err(|_| AppError::invalid("file", "upload.missing_file"))?;
    let limit = max_bytes(state, purpose);
    let (mut file, mut kind) = (None, String::new());
    loop {
        let field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            // The body limit layer cuts an oversized body off mid-stream.
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(AppError::invalid("file", "upload.too_large"))
            }
            Err(_) => return Err(AppError::invalid("file", "upload.missing_file")),
        };
        match field.name() {
            Some("file") => {
                let name = field.file_name().unwrap_or("file").to_string();
                let mut bytes = Vec::new();
                let mut field = field;
                loop {
                    match field.chunk().await {
                        Ok(Some(chunk)) => {
                            if bytes.len() + chunk.len() > limit {
                                return Err(AppError::invalid("file", "upload.too_large"));
                            }
                            bytes.extend_from_slice(&chunk);
                        }
                        Ok(None) => break,
                        Err(_) => return Err(AppError::invalid("file", "upload.too_large")),
                    }
                }
                file = Some((name, bytes));
            }
            Some("kind") | Some("payment_id") | Some("order_id") => {
                kind = field.text().await.unwrap_or_default().trim().chars().take(40).collect()
            }
            _ => {}
        }
    }
    let (name, bytes) = file.ok_or(AppError::invalid("file", "upload.missing_file"))?;
    Ok((name, bytes, kind))
}

async fn receive(state: AppState, req: Request, purpose: Purpose) -> Response {
    let (parts, body) = req.into_parts();
    let result = async {
        let caller = signed_in(&state, &parts).await?;
        let seller = uploader(&state, &caller, purpose).await?;
        let (name, bytes, kind) = read_form(&state, Request::from_parts(parts.clone(), body), purpose).await?;
        let kind = match purpose {
            Purpose::ListingImage => String::new(),
            Purpose::SellerDocument if DOCUMENT_KINDS.contains(&kind.as_str()) => kind,
            Purpose::SellerDocument => return Err(AppError::invalid("kind", "upload.bad_kind")),
            Purpose::PaymentProof | Purpose::Evidence => {
                return Err(AppError::internal(format!("no direct upload route for {purpose:?}")))
            }
        };
        if purpose == Purpose::SellerDocument
            && uploads::live_count(&state, seller.organisation_id, purpose).await? >= MAX_DOCUMENTS
        {
            return Err(AppError::invalid("file", "upload.too_many"));
        }
        uploads::store(&state, purpose, seller.organisation_id, caller.user_id, &kind, &name, bytes).await
    }
    .await;
    match result {
        Ok(stored) => (StatusCode::CREATED, axum::Json(stored)).into_response(),
        Err(e) => refuse(&parts, &e),
    }
}

/// A buyer's proof of transfer for their payment `payment_id`.
pub async fn upload_payment_proof(State(state): State<AppState>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let result = async {
        let caller = signed_in(&state, &parts).await?;
        let (name, bytes, payment_id) =
            read_form(&state, Request::from_parts(parts.clone(), body), Purpose::PaymentProof).await?;
        let payment_id: i64 = payment_id.parse().map_err(|_| AppError::invalid("payment_id", "error.malformed"))?;
        let meta = request_meta_of(&state, &parts);
        agora_app::payments::service::attach_proof(&state, &caller, &meta, payment_id, &name, bytes).await
    }
    .await;
    match result {
        Ok(stored) => (StatusCode::CREATED, axum::Json(stored)).into_response(),
        Err(e) => refuse(&parts, &e),
    }
}

/// Evidence for a refund or dispute on order `order_id`, by its buyer or a member of its seller.
pub async fn upload_evidence(State(state): State<AppState>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let result = async {
        let caller = signed_in(&state, &parts).await?;
        let (name, bytes, order_id) =
            read_form(&state, Request::from_parts(parts.clone(), body), Purpose::Evidence).await?;
        let order_id: i64 = order_id.parse().map_err(|_| AppError::invalid("order_id", "error.malformed"))?;
        agora_app::refunds::evidence::attach(&state, &caller, order_id, &name, bytes).await
    }
    .await;
    match result {
        Ok(stored) => (StatusCode::CREATED, axum::Json(stored)).into_response(),
        Err(e) => refuse(&parts, &e),
    }
}

pub async fn upload_listing_image(State(state): State<AppState>, req: Request) -> Response {
    receive(state, req, Purpose::ListingImage).await
}

pub async fn upload_seller_document(State(state): State<AppState>, req: Request) -> Response {
    receive(state, req, Purpose::SellerDocument).await
}

async fn file_response(state: &AppState, row: &uploads::UploadRow, cache: &'static str, disposition: &str) -> Response {
    match tokio::fs::read(uploads::path_of(state, &row.storage_key)).await {
        Ok(bytes) => {
            let mut res = Body::from(bytes).into_response();
            let h = res.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_str(&row.content_type)
                    .unwrap_or(HeaderValue::from_static("application/octet-stream")),
            );
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
            h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
            // Even a file that slipped past the type check cannot run script in our origin.
            h.insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static("default-src 'none'; img-src 'self'; sandbox"),
            );
            let disposition = format!(
                "{disposition}; filename=\"{}\"",
                row.file_name.replace(|c: char| !c.is_ascii() || c == '"', "_")
            );
            if let Ok(v) = HeaderValue::from_str(&disposition) {
                h.insert(header::CONTENT_DISPOSITION, v);
            }
            res
        }
        Err(e) => {
            tracing::error!(error = %e, upload = row.id, "an upload's file is missing");
            StatusCode::NOT_FOUND.into_response()
        }
    }
}

pub async fn serve_media(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let Ok(id) = id.parse::<i64>() else { return StatusCode::NOT_FOUND.into_response() };
    match uploads::find(&state, id).await {
        Ok(Some(row)) if row.purpose == Purpose::ListingImage && !row.removed => {
            file_response(&state, &row, "public, max-age=31536000, immutable", "inline").await
        }
        Ok(_) => StatusCode::NOT_FOUND.into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// A document is readable by its seller's members and by operators who review sellers. Anyone else
/// gets 404, as if it did not exist.
pub async fn serve_document(State(state): State<AppState>, Path(id): Path<String>, req: Request) -> Response {
    let (parts, _) = req.into_parts();
    let Ok(id) = id.parse::<i64>() else { return StatusCode::NOT_FOUND.into_response() };
    let caller = match caller_of(&state, &parts).await {
        Ok(Some(c)) => c,
        Ok(None) => return refuse(&parts, &AppError::Unauthenticated),
        Err(e) => return refuse(&parts, &e),
    };
    let row = match uploads::find(&state, id).await {
        Ok(Some(row)) if row.purpose == Purpose::SellerDocument => row,
        Ok(_) => return StatusCode::NOT_FOUND.into_response(),
        Err(e) => return refuse(&parts, &e),
    };
    let Some(org) = row.organisation_id else { return StatusCode::NOT_FOUND.into_response() };
    match agora_app::sellers::service::may_read_document(&state, &caller, org).await {
        Ok(true) => {}
        Ok(false) => return StatusCode::NOT_FOUND.into_response(),
        Err(e) => return refuse(&parts, &e),
    }
    file_response(&state, &row, "private, no-store", "attachment").await
}

/// A payment proof is readable by the buyer who uploaded it and operators with `payments.view`.
/// Anyone else gets 404, as if it did not exist.
pub async fn serve_proof(State(state): State<AppState>, Path(id): Path<String>, req: Request) -> Response {
    let (parts, _) = req.into_parts();
    let Ok(id) = id.parse::<i64>() else { return StatusCode::NOT_FOUND.into_response() };
    let caller = match caller_of(&state, &parts).await {
        Ok(Some(c)) => c,
        Ok(None) => return refuse(&parts, &AppError::Unauthenticated),
        Err(e) => return refuse(&parts, &e),
    };
    let row = match uploads::find(&state, id).await {
        Ok(Some(row)) if row.purpose == Purpose::PaymentProof => row,
        Ok(_) => return StatusCode::NOT_FOUND.into_response(),
        Err(e) => return refuse(&parts, &e),
    };
    if !agora_app::payments::service::may_read_proof(&caller, row.uploaded_by) {
        return StatusCode::NOT_FOUND.into_response();
    }
    file_response(&state, &row, "private, no-store", "inline").await
}

/// Evidence is readable by its uploader, the order's buyer, the members of the order's seller and
/// operators with `refunds.view`. Anyone else gets 404, as if it did not exist.
pub async fn serve_evidence(State(state): State<AppState>, Path(id): Path<String>, req: Request) -> Response {
    let (parts, _) = req.into_parts();
    let Ok(id) = id.parse::<i64>() else { return StatusCode::NOT_FOUND.into_response() };
    let caller = match caller_of(&state, &parts).await {
        Ok(Some(c)) => c,
        Ok(None) => return refuse(&parts, &AppError::Unauthenticated),
        Err(e) => return refuse(&parts, &e),
    };
    let row = match uploads::find(&state, id).await {
        Ok(Some(row)) if row.purpose == Purpose::Evidence && !row.removed => row,
        Ok(_) => return StatusCode::NOT_FOUND.into_response(),
        Err(e) => return refuse(&parts, &e),
    };
    match agora_app::refunds::evidence::may_read(&state, &caller, &row).await {
        Ok(true) => {}
        Ok(false) => return StatusCode::NOT_FOUND.into_response(),
        Err(e) => return refuse(&parts, &e),
    }
    file_response(&state, &row, "private, no-store", "inline").await
}
