//! What the exports page shows and what an export records.

use crate::domain::export::{Dataset, ExportStatus};
use serde::{Deserialize, Serialize};

/// What an export covers, fixed when it is asked for and stored with it (`data_exports.filters_json`):
/// the dataset, the period as asked (`period`, `from`, `to`) and as resolved (`from_ms..until_ms`),
/// the filters, the range of first keys the period held when it was counted (`first..=head`; rows
/// written later have a higher key and are left out), and that range cut into slices of about equal
/// rows, which a background export reads side by side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportSpec {
    pub dataset: Dataset,
    pub period: String,
    pub from: String,
    pub to: String,
    pub from_ms: i64,
    pub until_ms: i64,
    pub status: Option<String>,
    pub seller: Option<i64>,
    #[serde(default)]
    pub first: i64,
    pub head: i64,
    #[serde(default)]
    pub slices: Vec<(i64, i64)>,
}

/// One of the caller's exports on `/console/exports`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportRow {
    pub id: i64,
    pub dataset: String,
    pub status: ExportStatus,
    pub rows_total: i64,
    pub rows_done: i64,
    pub created_at_ms: i64,
    pub expires_at_ms: Option<i64>,
    /// The period as the exporter saw it: `from` and `to` dates (local days, inclusive).
    pub from: String,
    pub to: String,
    pub downloadable: bool,
}

impl ExportRow {
    /// Progress in whole percent (100 when there is nothing to write).
    pub fn percent(&self) -> i64 {
        if self.rows_total <= 0 {
            100
        } else {
            (self.rows_done * 100 / self.rows_total).clamp(0, 100)
        }
    }
}
