//! What the review queue shows and accepts, shared by server and browser.

use crate::domain::checks::{Finding, Risk};
use crate::domain::listing::{ListingContent, ListingStatus, VersionStatus};
use crate::domain::review::{FieldChange, ReviewKind, SlaState};
use crate::error::AppError;
use serde::{Deserialize, Serialize};

/// The queue's filters, parsed from the GET form (empty values mean "any").
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueFilter {
    pub risk: Option<Risk>,
    pub sla: Option<SlaState>,
    pub seller: Option<i64>,
    pub category: Option<i64>,
    pub kind: Option<ReviewKind>,
}

fn present(v: Option<&str>) -> Option<&str> {
    v.map(str::trim).filter(|s| !s.is_empty())
}

fn id(field: &str, v: Option<&str>) -> Result<Option<i64>, AppError> {
    match present(v) {
        None => Ok(None),
        Some(s) => s
            .parse::<i64>()
            .ok()
            .filter(|n| *n > 0)
            .map(Some)
            .ok_or_else(|| AppError::invalid(field, "reviews.bad_filter")),
    }
}

impl QueueFilter {
    pub fn parse(
        risk: Option<&str>,
        sla: Option<&str>,
        seller: Option<&str>,
        category: Option<&str>,
        kind: Option<&str>,
    ) -> Result<QueueFilter, AppError> {
        let bad = |f: &str| AppError::invalid(f, "reviews.bad_filter");
        Ok(QueueFilter {
            risk: present(risk).map(|s| Risk::parse(s).ok_or_else(|| bad("risk"))).transpose()?,
            sla: present(sla).map(|s| SlaState::parse(s).ok_or_else(|| bad("sla"))).transpose()?,
            seller: id("seller", seller)?,
            category: id("category", category)?,
            kind: present(kind).map(|s| ReviewKind::parse(s).ok_or_else(|| bad("kind"))).transpose()?,
        })
    }
}

/// One version waiting for review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueueRow {
    pub version_id: i64,
    pub listing_id: i64,
    pub title: String,
    pub seller_id: i64,
    pub seller_name: String,
    pub submitted_at_ms: i64,
    pub sla_due_at_ms: i64,
    /// At the time the page was read, so server and browser render the same text.
    pub now_ms: i64,
    pub sla_state: SlaState,
    pub risk: Risk,
    pub warning_count: i64,
    pub blocking_count: i64,
    /// An edit of a listing that is (or was) live: the detail shows what changed.
    pub re_review: bool,
}

/// The counters above the queue (seed 000: 审核, SLA 压力, 阻塞, 高风险, 警告, 可决定).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueCounters {
    pub to_review: i64,
    /// Due within a quarter of the SLA, or overdue.
    pub sla_pressure: i64,
    pub overdue: i64,
    /// Versions blocked in the last 30 days.
    pub blocked: i64,
    pub high_risk: i64,
    /// With at least one warning finding.
    pub warnings: i64,
    /// With no blocking finding: a reviewer can approve them as they are.
    pub decidable: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SellerCard {
    pub id: i64,
    pub name: String,
    pub status: String,
}

/// A previous decision on one of the seller's listings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryLine {
    pub version_id: Option<i64>,
    pub listing_id: i64,
    /// The listing's title now.
    pub title: String,
    pub status: String,
    pub decided_at_ms: i64,
    pub decided_by: Option<String>,
    pub reason: String,
}

/// One version as the reviewer sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewDetail {
    pub version_id: i64,
    pub listing_id: i64,
    pub number: i64,
    pub status: VersionStatus,
    pub listing_status: ListingStatus,
    pub content: ListingContent,
    /// `English / 中文` of the version's category.
    pub category_name: Option<String>,
    pub risk: Risk,
    pub findings: Vec<Finding>,
    pub submitted_at_ms: Option<i64>,
    pub sla_due_at_ms: Option<i64>,
    pub now_ms: i64,
    pub decided_at_ms: Option<i64>,
    pub decided_by: Option<String>,
    pub decision_reason: String,
    pub seller: SellerCard,
    pub re_review: bool,
    /// Against the live version (empty for a new listing).
    pub changes: Vec<FieldChange>,
    pub history: Vec<HistoryLine>,
}

impl ReviewDetail {
    pub fn is_pending(&self) -> bool {
        self.status == VersionStatus::PendingReview
    }
}

pub fn risk_key(r: Risk) -> &'static str {
    match r {
        Risk::Low => "reviews.risk.low",
        Risk::Medium => "reviews.risk.medium",
        Risk::High => "reviews.risk.high",
    }
}

pub fn sla_key(s: SlaState) -> &'static str {
    match s {
        SlaState::OnTrack => "reviews.sla.on_track",
        SlaState::Pressure => "reviews.sla.pressure",
        SlaState::Overdue => "reviews.sla.overdue",
    }
}

pub fn kind_key(k: ReviewKind) -> &'static str {
    match k {
        ReviewKind::New => "reviews.kind.new",
        ReviewKind::ReReview => "reviews.kind.re_review",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_filters_mean_any_and_bad_ones_name_their_field() {
        assert_eq!(QueueFilter::parse(Some(""), None, Some(" "), None, None).unwrap(), QueueFilter::default());
        let f = QueueFilter::parse(Some("high"), Some("overdue"), Some("7"), Some("3"), Some("re_review")).unwrap();
        assert_eq!(f.risk, Some(Risk::High));
        assert_eq!(f.kind, Some(ReviewKind::ReReview));
        assert_eq!(QueueFilter::parse(Some("huge"), None, None, None, None).unwrap_err().field(), Some("risk"));
        assert_eq!(QueueFilter::parse(None, None, Some("-1"), None, None).unwrap_err().field(), Some("seller"));
        assert_eq!(QueueFilter::parse(None, Some("late"), None, None, None).unwrap_err().field(), Some("sla"));
    }
}
