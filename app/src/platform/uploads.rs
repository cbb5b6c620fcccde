//! Stored uploads: the bytes under `settings.uploads_dir`, content-addressed (the same photo uploaded
//! twice is stored once), and a row in `uploads` saying what they are and whose. The HTTP side
//! (receiving multipart bodies, serving files to those allowed) is in the server's `http::uploads`.

use super::state::AppState;
use crate::domain::upload::{clean_file_name, inspect, Purpose, UploadError};
use crate::error::AppError;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::Row;
use std::path::PathBuf;

/// What the uploader gets back, and what forms keep to refer to the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredUpload {
    pub id: i64,
    pub url: String,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub width: Option<i64>,
    pub height: Option<i64>,
    pub kind: String,
}

/// A row of `uploads`.
#[derive(Debug, Clone)]
pub struct UploadRow {
    pub id: i64,
    pub organisation_id: Option<i64>,
    pub purpose: Purpose,
    pub kind: String,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub storage_key: String,
    pub removed: bool,
    pub uploaded_by: i64,
}

/// Public product photos are served from `/media/{id}`; documents from `/documents/{id}` to those
/// allowed.
pub fn url_of(purpose: Purpose, id: i64) -> String {
    match purpose {
        Purpose::ListingImage => format!("/media/{id}"),
        Purpose::SellerDocument => format!("/documents/{id}"),
        Purpose::PaymentProof => format!("/proofs/{id}"),
        Purpose::Evidence => format!("/evidence/{id}"),
    }
}

pub fn max_bytes(state: &AppState, purpose: Purpose) -> usize {
    match purpose {
        Purpose::ListingImage => state.settings().upload_max_image_bytes,
        Purpose::SellerDocument | Purpose::PaymentProof | Purpose::Evidence => {
            state.settings().upload_max_document_bytes
        }
    }
}

pub fn path_of(state: &AppState, storage_key: &str) -> PathBuf {
    state.settings().uploads_dir.join(storage_key)
}

pub fn upload_error(e: UploadError) -> AppError {
    AppError::invalid("file", e.code())
}

/// Checks and stores `bytes` for `organisation_id`. The file is written (atomically, by rename)
/// before the row, so a row always has its bytes; an orphaned file from a failed insert is harmless.
pub async fn store(
    state: &AppState,
    purpose: Purpose,
    organisation_id: i64,
    uploaded_by: i64,
    kind: &str,
    file_name: &str,
    bytes: Vec<u8>,
) -> Result<StoredUpload, AppError> {
    store_for(state, purpose, Some(organisation_id), uploaded_by, kind, file_name, bytes).await
}

/// `store` for a file that may belong to no organisation (a buyer's payment proof).
pub async fn store_for(
    state: &AppState,
    purpose: Purpose,
    organisation_id: Option<i64>,
    uploaded_by: i64,
    kind: &str,
    file_name: &str,
    bytes: Vec<u8>,
) -> Result<StoredUpload, AppError> {
    let inspected = inspect(purpose, &bytes, max_bytes(state, purpose)).map_err(upload_error)?;
    let sha = hex::encode(Sha256::digest(&bytes));
    let storage_key = format!("{}/{}/{}.{}", purpose.as_str(), &sha[..2], sha, inspected.file_type.extension());
    let path = path_of(state, &storage_key);
    if !path.exists() {
        let dir = path.parent().ok_or_else(|| AppError::internal("an upload path without a parent"))?.to_path_buf();
        let tmp = dir.join(format!(".{sha}.{}", super::caller::new_token()));
        let write = async {
            tokio::fs::create_dir_all(&dir).await?;
            tokio::fs::write(&tmp, &bytes).await?;
            tokio::fs::rename(&tmp, &path).await
        };
        if let Err(e) = write.await {
            let _ = tokio::fs::remove_file(&tmp).await;
            return Err(AppError::internal(format!("storing an upload: {e}")));
        }
    }
    let file_name = clean_file_name(file_name);
    let now = state.now_ms();
    let (w, h) = (inspected.width.map(i64::from), inspected.height.map(i64::from));
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO uploads (organisation_id, purpose, kind, file_name, content_type, size_bytes, width, height, \
         sha256, storage_key, uploaded_by, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
         RETURNING id",
    )
    .bind(organisation_id)
    .bind(purpose.as_str())
    .bind(kind)
    .bind(&file_name)
    .bind(inspected.file_type.content_type())
    .bind(bytes.len() as i64)
    .bind(w)
    .bind(h)
    .bind(&sha)
    .bind(&storage_key)
    .bind(uploaded_by)
    .bind(now)
    .fetch_one(state.db.read())
    .await?;
    Ok(StoredUpload {
        id,
        url: url_of(purpose, id),
        file_name,
        content_type: inspected.file_type.content_type().to_string(),
        size_bytes: bytes.len() as i64,
        width: w,
        height: h,
        kind: kind.to_string(),
    })
}

pub async fn find(state: &AppState, id: i64) -> Result<Option<UploadRow>, AppError> {
    let row = sqlx::query(
        "SELECT id, organisation_id, purpose, kind, file_name, content_type, size_bytes, storage_key, removed_at, \
         uploaded_by FROM uploads WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(state.db.read())
    .await?;
    let Some(r) = row else { return Ok(None) };
    let purpose: String = r.try_get("purpose")?;
    Ok(Some(UploadRow {
        id: r.try_get("id")?,
        organisation_id: r.try_get("organisation_id")?,
        purpose: Purpose::parse(&purpose)
            .ok_or_else(|| AppError::internal(format!("unknown upload purpose {purpose}")))?,
        kind: r.try_get("kind")?,
        file_name: r.try_get("file_name")?,
        content_type: r.try_get("content_type")?,
        size_bytes: r.try_get("size_bytes")?,
        storage_key: r.try_get("storage_key")?,
        removed: r.try_get::<Option<i64>, _>("removed_at")?.is_some(),
        uploaded_by: r.try_get("uploaded_by")?,
    }))
}

/// Of `ids`, those that are live listing images of `organisation_id`, in the order given. A listing
/// may only show its own seller's photos.
pub async fn own_listing_images(state: &AppState, organisation_id: i64, ids: &[i64]) -> Result<Vec<i64>, AppError> {
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(u) = find(state, *id).await? {
            if u.purpose == Purpose::ListingImage && u.organisation_id == Some(organisation_id) && !u.removed {
                out.push(*id);
            }
        }
    }
    Ok(out)
}

/// Files of `purpose` the organisation has and has not removed.
pub async fn live_count(state: &AppState, organisation_id: i64, purpose: Purpose) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM uploads WHERE organisation_id = $1 AND purpose = $2 AND removed_at IS NULL",
    )
    .bind(organisation_id)
    .bind(purpose.as_str())
    .fetch_one(state.db.read())
    .await?)
}
