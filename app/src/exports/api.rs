//! Server functions of the exports page: the datasets the caller may export and the caller's own
//! exports. The export itself and a file's download are plain form posts (`server/src/http/exports.rs`):
//! their answer is a file.

use super::model::ExportRow;
use crate::domain::page::Page;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::domain::export::Dataset;
#[cfg(feature = "ssr")]
use crate::domain::permissions::EXPORTS_EXPORT;
#[cfg(feature = "ssr")]
use crate::platform::guard::require;

/// The datasets the caller may export (`exports.export` and the dataset's own view permission),
/// with whether each holds personal data: `(name, personal)`.
#[server(prefix = "/api", endpoint = "export_datasets")]
pub async fn export_datasets() -> Result<Vec<(String, bool)>, AppError> {
    let ctx = require(EXPORTS_EXPORT).await?;
    Ok(Dataset::ALL
        .into_iter()
        .filter(|d| ctx.caller.can(d.permission()))
        .map(|d| (d.as_str().to_string(), d.personal()))
        .collect())
}

/// The caller's exports, newest first: status, progress, rows, expiry.
#[server(prefix = "/api", endpoint = "my_exports")]
pub async fn my_exports(cursor: Option<String>) -> Result<Page<ExportRow>, AppError> {
    let ctx = require(EXPORTS_EXPORT).await?;
    super::service::mine(&ctx, cursor).await
}
