//! What trust & safety shows and accepts: queue rows, counters, the case detail, the appeal page, and
//! the queue's filters. Plain data shared by the server and the browser; the filter rules live here so
//! they are unit-tested without a database.

use crate::domain::report::{ReportCategory, ReportKind, ReportStatus, ReportTarget, Resolution};
use crate::error::AppError;
use serde::{Deserialize, Serialize};

/// How much of a report's text the queue shows.
pub const EXCERPT_CHARS: usize = 140;
/// Reports one person may file in a day: enough for a real buyer, a brake on a flood.
pub const REPORTS_PER_DAY: i64 = 30;
/// Other cases on the same target listed on a case's page.
pub const RELATED_SHOWN: i64 = 20;

/// One case in the queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportRow {
    pub id: i64,
    pub kind: ReportKind,
    pub target: ReportTarget,
    pub target_id: i64,
    /// The listing's live title, or the seller's name.
    pub target_label: String,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub category: ReportCategory,
    pub excerpt: String,
    pub reporter_name: String,
    pub reporter_email: String,
    pub status: ReportStatus,
    /// Empty while open.
    pub resolution: Option<Resolution>,
    pub created_at_ms: i64,
    /// Open buyer reports on the same target (this one included when it is an open report): the
    /// queue shows "5 reports" so repeated reports read as one problem.
    pub open_on_target: i64,
}

/// The queue's counters (all open cases, whatever the filters).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ReportCounters {
    pub open_reports: i64,
    pub open_appeals: i64,
    /// Distinct listings and sellers with at least one open report.
    pub reported_targets: i64,
    /// Targets with more than one open report.
    pub repeated_targets: i64,
}

/// The target as it is now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct TargetState {
    /// The listing's status (`ListingStatus::as_str`) or the seller's (`SellerStatus::as_str`).
    pub status: String,
    /// Why a listing is blocked (the takedown reason), empty otherwise.
    pub status_reason: String,
    /// The seller's status.
    pub organisation_status: String,
}

/// A case and everything a decision needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportDetail {
    pub row: ReportRow,
    pub body: String,
    pub decided_at_ms: Option<i64>,
    pub decided_by: Option<String>,
    pub decision_reason: String,
    /// For an appeal: the report whose takedown it appeals.
    pub appeal_of: Option<i64>,
    pub target_state: Option<TargetState>,
    /// Other cases on the same target, newest first.
    pub related: Vec<ReportRow>,
}

/// What the seller's appeal page shows for one of their listings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppealContext {
    pub listing_id: i64,
    pub title: String,
    pub status: String,
    pub status_reason: String,
    /// The listing was taken down by trust & safety (not blocked in review, not live).
    pub taken_down: bool,
    /// The appeals filed for this listing, newest first.
    pub appeals: Vec<AppealLine>,
}

impl AppealContext {
    /// A new appeal is accepted: taken down and no appeal waiting for a decision.
    pub fn can_appeal(&self) -> bool {
        self.taken_down && !self.appeals.iter().any(|a| a.status == ReportStatus::Open)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppealLine {
    pub id: i64,
    pub status: ReportStatus,
    pub resolution: Option<Resolution>,
    pub created_at_ms: i64,
    pub decision_reason: String,
}

/// The queue's filters; every one optional.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReportFilter {
    pub kind: Option<ReportKind>,
    pub target: Option<ReportTarget>,
    pub target_id: Option<i64>,
    pub category: Option<ReportCategory>,
    pub status: Option<ReportStatus>,
}

fn present(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

fn parse_one<T>(value: Option<&str>, field: &str, parse: impl Fn(&str) -> Option<T>) -> Result<Option<T>, AppError> {
    match present(value) {
        None => Ok(None),
        Some(v) => parse(v).map(Some).ok_or_else(|| AppError::invalid(field, "reports.bad_filter")),
    }
}

impl ReportFilter {
    /// Empty values mean "no filter", as an untouched GET form sends them. A target id needs its
    /// target type (ids of listings and sellers are different sequences).
    pub fn parse(
        kind: Option<&str>,
        target: Option<&str>,
        target_id: Option<&str>,
        category: Option<&str>,
        status: Option<&str>,
    ) -> Result<ReportFilter, AppError> {
        let target = parse_one(target, "target", ReportTarget::parse)?;
        let target_id = parse_one(target_id, "target_id", |s| s.parse::<i64>().ok().filter(|id| *id > 0))?;
        if target_id.is_some() && target.is_none() {
            return Err(AppError::invalid("target", "reports.bad_filter"));
        }
        Ok(ReportFilter {
            kind: parse_one(kind, "kind", ReportKind::parse)?,
            target,
            target_id,
            category: parse_one(category, "category", ReportCategory::parse)?,
            status: parse_one(status, "status", ReportStatus::parse)?,
        })
    }
}

/// Where the queue is: open cases go first (oldest first, as a queue), then decided ones (newest
/// first). The cursor is `open:<id>` or `done:<id>`, the last row shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueueCursor {
    Start,
    AfterOpen(i64),
    AfterDone(i64),
}

impl QueueCursor {
    /// A cursor that does not parse means the first page: a stale bookmark still shows something.
    pub fn parse(cursor: Option<&str>) -> QueueCursor {
        let Some((phase, id)) = cursor.and_then(|c| c.trim().split_once(':')) else { return QueueCursor::Start };
        match (phase, id.parse::<i64>().ok().filter(|id| *id > 0)) {
            ("open", Some(id)) => QueueCursor::AfterOpen(id),
            ("done", Some(id)) => QueueCursor::AfterDone(id),
            _ => QueueCursor::Start,
        }
    }

    pub fn of(row: &ReportRow) -> String {
        match row.status {
            ReportStatus::Open => format!("open:{}", row.id),
            ReportStatus::Resolved => format!("done:{}", row.id),
        }
    }
}

/// The first `EXCERPT_CHARS` characters of a report, on one line.
pub fn excerpt(body: &str) -> String {
    let flat: String = body.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= EXCERPT_CHARS {
        flat
    } else {
        let mut s: String = flat.chars().take(EXCERPT_CHARS).collect();
        s.push('…');
        s
    }
}

/// Message key of a category's name.
pub fn category_key(c: ReportCategory) -> &'static str {
    match c {
        ReportCategory::Counterfeit => "reports.category.counterfeit",
        ReportCategory::Prohibited => "reports.category.prohibited",
        ReportCategory::Fraud => "reports.category.fraud",
        ReportCategory::Misleading => "reports.category.misleading",
        ReportCategory::Offensive => "reports.category.offensive",
        ReportCategory::IntellectualProperty => "reports.category.intellectual_property",
        ReportCategory::Other => "reports.category.other",
    }
}

pub fn resolution_key(r: Resolution) -> &'static str {
    match r {
        Resolution::Dismissed => "reports.resolution.dismissed",
        Resolution::ListingTakenDown => "reports.resolution.listing_taken_down",
        Resolution::SellerSuspended => "reports.resolution.seller_suspended",
        Resolution::Reinstated => "reports.resolution.reinstated",
    }
}

/// The resolution's name for an appeal: "dismissed" reads "denied" there.
pub fn outcome_key(kind: ReportKind, r: Resolution) -> &'static str {
    match (kind, r) {
        (ReportKind::Appeal, Resolution::Dismissed) => "reports.resolution.denied",
        _ => resolution_key(r),
    }
}

pub fn kind_key(k: ReportKind) -> &'static str {
    match k {
        ReportKind::Report => "reports.kind.report",
        ReportKind::Appeal => "reports.kind.appeal",
    }
}

pub fn target_key(t: ReportTarget) -> &'static str {
    match t {
        ReportTarget::Listing => "reports.target.listing",
        ReportTarget::Seller => "reports.target.seller",
    }
}

pub fn status_key(s: ReportStatus) -> &'static str {
    match s {
        ReportStatus::Open => "reports.status.open",
        ReportStatus::Resolved => "reports.status.resolved",
    }
}

/// The translation of `prefix + value`, or the value itself when the catalog does not know it.
pub fn label_or_raw(lang: crate::i18n::Lang, prefix: &str, value: &str) -> String {
    let key = format!("{prefix}{value}");
    let text = crate::i18n::translate(lang, &key);
    if text == key {
        value.to_string()
    } else {
        text
    }
}

/// The storefront page of a target.
pub fn target_href(target: ReportTarget, id: i64) -> String {
    match target {
        ReportTarget::Listing => format!("/p/{id}"),
        ReportTarget::Seller => format!("/s/{id}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_filters_mean_no_filter() {
        assert_eq!(ReportFilter::parse(Some(""), None, Some(" "), None, Some("")).unwrap(), ReportFilter::default());
    }

    #[test]
    fn known_filters_are_parsed_and_unknown_ones_refused_next_to_their_field() {
        let f = ReportFilter::parse(Some("appeal"), Some("listing"), Some("7"), Some("fraud"), Some("open")).unwrap();
        assert_eq!(f.kind, Some(ReportKind::Appeal));
        assert_eq!(f.target, Some(ReportTarget::Listing));
        assert_eq!(f.target_id, Some(7));
        assert_eq!(f.category, Some(ReportCategory::Fraud));
        assert_eq!(f.status, Some(ReportStatus::Open));
        assert_eq!(
            ReportFilter::parse(Some("x"), None, None, None, None),
            Err(AppError::invalid("kind", "reports.bad_filter"))
        );
        assert_eq!(
            ReportFilter::parse(None, None, None, Some("spam"), None),
            Err(AppError::invalid("category", "reports.bad_filter"))
        );
        assert_eq!(
            ReportFilter::parse(None, Some("listing"), Some("-1"), None, None),
            Err(AppError::invalid("target_id", "reports.bad_filter"))
        );
    }

    #[test]
    fn a_target_id_needs_its_target_type() {
        assert_eq!(
            ReportFilter::parse(None, None, Some("7"), None, None),
            Err(AppError::invalid("target", "reports.bad_filter"))
        );
    }

    #[test]
    fn queue_cursors_round_trip_and_garbage_means_start() {
        assert_eq!(QueueCursor::parse(Some("open:12")), QueueCursor::AfterOpen(12));
        assert_eq!(QueueCursor::parse(Some("done:3")), QueueCursor::AfterDone(3));
        assert_eq!(QueueCursor::parse(Some("open:-3")), QueueCursor::Start);
        assert_eq!(QueueCursor::parse(Some("'; drop table reports")), QueueCursor::Start);
        assert_eq!(QueueCursor::parse(None), QueueCursor::Start);
    }

    #[test]
    fn an_excerpt_is_one_bounded_line() {
        assert_eq!(excerpt("fake\n\n  brand  "), "fake brand");
        let long = "字".repeat(500);
        let e = excerpt(&long);
        assert_eq!(e.chars().count(), EXCERPT_CHARS + 1);
        assert!(e.ends_with('…'));
    }

    #[test]
    fn a_denied_appeal_reads_denied() {
        assert_eq!(outcome_key(ReportKind::Appeal, Resolution::Dismissed), "reports.resolution.denied");
        assert_eq!(outcome_key(ReportKind::Report, Resolution::Dismissed), "reports.resolution.dismissed");
    }
}
