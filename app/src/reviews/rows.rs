//! Reading listing versions as the review queue needs them: the stored columns (`VersionRecord`) and
//! the content they hold. Shared by the queue's detail and the decisions.

use crate::domain::checks::Risk;
use crate::domain::listing::{ListingContent, ListingStatus, VersionStatus};
use crate::domain::money::Currency;
use crate::error::AppError;

pub(super) const VERSION_COLUMNS: &str = "v.id, v.listing_id, v.number, v.status, v.title, v.description, \
     v.category_id, v.currency, v.weight_grams, v.options_json, v.variants_json, v.images_json, v.risk, \
     v.checks_json, v.submitted_at, v.sla_due_at, v.decided_at, v.decision_reason";

pub(super) fn risk_of(s: &str) -> Risk {
    Risk::parse(s).unwrap_or(Risk::Low)
}

#[track_caller]
pub(super) fn corrupt(what: &str, value: &str) -> AppError {
    AppError::internal(format!("unreadable review data: what={what} value={value}"))
}

pub(super) fn listing_status(s: &str) -> Result<ListingStatus, AppError> {
    ListingStatus::parse(s).ok_or_else(|| corrupt("listing status", s))
}

/// A `listing_versions` row as selected by `VERSION_COLUMNS`.
#[derive(sqlx::FromRow)]
pub(super) struct VersionRecord {
    pub listing_id: i64,
    pub number: i64,
    pub status: String,
    pub title: String,
    pub description: String,
    pub category_id: Option<i64>,
    pub currency: String,
    pub weight_grams: i64,
    pub options_json: String,
    pub variants_json: String,
    pub images_json: String,
    pub risk: String,
    pub checks_json: String,
    pub submitted_at: Option<i64>,
    pub sla_due_at: Option<i64>,
    pub decided_at: Option<i64>,
    pub decision_reason: String,
}

impl VersionRecord {
    /// The version's content as stored by the seller center: the validated listing in JSON columns.
    pub(super) fn content(&self) -> Result<ListingContent, AppError> {
        let (options, variants, images) = (&self.options_json, &self.variants_json, &self.images_json);
        Ok(ListingContent {
            title: self.title.clone(),
            description: self.description.clone(),
            category_id: self.category_id,
            currency: Currency::parse(&self.currency).ok_or_else(|| corrupt("currency", &self.currency))?,
            weight_grams: self.weight_grams,
            options: serde_json::from_str(options).map_err(|_| corrupt("options_json", options))?,
            variants: serde_json::from_str(variants).map_err(|_| corrupt("variants_json", variants))?,
            images: serde_json::from_str(images).map_err(|_| corrupt("images_json", images))?,
        })
    }

    pub(super) fn version_status(&self) -> Result<VersionStatus, AppError> {
        VersionStatus::parse(&self.status).ok_or_else(|| corrupt("version status", &self.status))
    }
}
