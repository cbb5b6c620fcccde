//! What the seller center shows and accepts: the listings table rows, a listing with its versions and
//! their review evidence, the seller's home summary. Plain data shared by the server and the browser;
//! the conversions between stored content and the editor's form live here so they are unit-tested.

use crate::domain::checks::{Finding, Severity};
use crate::domain::listing::{ListingContent, ListingStatus, RawListing, RawVariant, VersionStatus};
use crate::domain::money::{Currency, Money};
use crate::error::AppError;
use serde::{Deserialize, Serialize};

/// Longest `listing_json` accepted before parsing (10 images, 100 variants of short text fit easily).
pub const LISTING_JSON_MAX_BYTES: usize = 200_000;
/// Versions shown on a listing's page, newest first.
pub const MAX_VERSIONS_SHOWN: i64 = 50;

/// One row of the seller's listings table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListingRow {
    pub id: i64,
    pub title: String,
    pub status: ListingStatus,
    /// The status of the version being edited or reviewed, when there is one besides the live copy
    /// (or, for a listing never approved, the copy itself).
    pub pending: Option<VersionStatus>,
    /// A live listing has an approved copy; its pending version is "an edit".
    pub has_live: bool,
    pub price_minor: i64,
    pub currency: Currency,
    pub stock_total: i64,
    pub updated_at_ms: i64,
}

/// One stored copy of a listing with its review outcome and the automated checks' evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VersionView {
    pub id: i64,
    pub number: i64,
    pub status: VersionStatus,
    /// The content as the editor's form holds it.
    pub raw: RawListing,
    pub risk: String,
    pub findings: Vec<Finding>,
    pub warning_count: i64,
    pub blocking_count: i64,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
    pub submitted_at_ms: Option<i64>,
    pub sla_due_at_ms: Option<i64>,
    pub decided_at_ms: Option<i64>,
    pub decision_reason: String,
}

/// A listing as its seller sees it: the live copy's status, the version being edited or reviewed,
/// and every version (newest first) with its decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MyListing {
    pub id: i64,
    pub status: ListingStatus,
    /// Why it was taken down or blocked (trust & safety, review).
    pub status_reason: String,
    pub title: String,
    pub price_minor: i64,
    pub currency: Currency,
    pub stock_total: i64,
    pub live_version_id: Option<i64>,
    pub pending_version_id: Option<i64>,
    pub published_at_ms: Option<i64>,
    pub updated_at_ms: i64,
    pub versions: Vec<VersionView>,
}

impl MyListing {
    pub fn version(&self, id: Option<i64>) -> Option<&VersionView> {
        id.and_then(|id| self.versions.iter().find(|v| v.id == id))
    }

    /// The copy the editor starts from: the version being edited, else the live one.
    pub fn editable_base(&self) -> Option<&VersionView> {
        self.version(self.pending_version_id).or_else(|| self.version(self.live_version_id))
    }

    /// What the seller may do now.
    pub fn edit_state(&self) -> EditState {
        if self.status == ListingStatus::Blocked {
            return EditState::Blocked;
        }
        match self.version(self.pending_version_id).map(|v| v.status) {
            Some(VersionStatus::PendingReview) => EditState::InReview,
            Some(s) if s.is_editable() => EditState::Editable { can_submit: true },
            _ => EditState::Editable { can_submit: false },
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditState {
    /// Saving is allowed; submitting needs a saved draft or rejected version.
    Editable {
        can_submit: bool,
    },
    InReview,
    Blocked,
}

/// The seller's home: who they are, where the seller stands, and the checklist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SellerSummary {
    pub organisation_id: i64,
    pub organisation_name: String,
    /// `domain::seller::SellerStatus` as stored (`active`, `suspended`...).
    pub status: String,
    /// `owner` or `staff`.
    pub role: String,
    pub listings: i64,
    pub live_listings: i64,
    /// Has an active payout account (the checklist's last step).
    pub has_payout_account: bool,
}

/// Message key of a listing status badge.
pub fn status_key(s: ListingStatus) -> &'static str {
    match s {
        ListingStatus::Draft => "seller_center.status.draft",
        ListingStatus::PendingReview => "seller_center.status.pending_review",
        ListingStatus::Active => "seller_center.status.active",
        ListingStatus::Rejected => "seller_center.status.rejected",
        ListingStatus::Blocked => "seller_center.status.blocked",
        ListingStatus::Inactive => "seller_center.status.inactive",
        ListingStatus::SoldOut => "seller_center.status.sold_out",
    }
}

/// Message key of a version status.
pub fn version_key(s: VersionStatus) -> &'static str {
    match s {
        VersionStatus::Draft => "seller_center.version.draft",
        VersionStatus::PendingReview => "seller_center.version.pending_review",
        VersionStatus::Approved => "seller_center.version.approved",
        VersionStatus::Rejected => "seller_center.version.rejected",
        VersionStatus::Blocked => "seller_center.version.blocked",
        VersionStatus::Superseded => "seller_center.version.superseded",
    }
}

/// Message key of a severity.
pub fn severity_key(s: Severity) -> &'static str {
    match s {
        Severity::Info => "seller_center.severity.info",
        Severity::Warning => "seller_center.severity.warning",
        Severity::Blocking => "seller_center.severity.blocking",
    }
}

/// The note beside a listing whose edit is in flight: "edit in review", "edit rejected"...
pub fn pending_note_key(row: &ListingRow) -> Option<&'static str> {
    if !row.has_live {
        return None;
    }
    match row.pending? {
        VersionStatus::PendingReview => Some("seller_center.pending.in_review"),
        VersionStatus::Rejected => Some("seller_center.pending.rejected"),
        VersionStatus::Draft => Some("seller_center.pending.draft"),
        _ => None,
    }
}

/// The status filter of the listings table; empty means all.
pub fn parse_status_filter(s: Option<&str>) -> Result<Option<ListingStatus>, AppError> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => {
            ListingStatus::parse(s).map(Some).ok_or_else(|| AppError::invalid("status", "seller_center.bad_filter"))
        }
    }
}

/// Reads the editor's JSON: bounded in size, malformed input is a form-level error.
pub fn parse_listing_json(json: &str) -> Result<RawListing, AppError> {
    if json.len() > LISTING_JSON_MAX_BYTES {
        return Err(AppError::invalid("listing", "seller_center.too_large"));
    }
    serde_json::from_str(json).map_err(|_| AppError::invalid("listing", "seller_center.malformed"))
}

/// Stored content back into the form's shape (amounts as typed text), so the editor can show it.
pub fn raw_of(content: &ListingContent) -> RawListing {
    let money = |m: i64| Money::new(m, content.currency).plain();
    let opt = |m: Option<i64>| m.map(money).unwrap_or_default();
    let mut raw = RawListing {
        title: content.title.clone(),
        description: content.description.clone(),
        category_id: content.category_id,
        weight_grams: content.weight_grams.to_string(),
        options: content.options.clone(),
        images: content.images.clone(),
        ..Default::default()
    };
    if content.options.is_empty() {
        if let Some(v) = content.variants.first() {
            raw.price = money(v.price_minor);
            raw.compare_at = opt(v.compare_at_minor);
            raw.stock = v.stock.to_string();
        }
    } else {
        raw.variants = content
            .variants
            .iter()
            .map(|v| RawVariant {
                sku: v.sku.clone(),
                options: v.options.clone(),
                price: money(v.price_minor),
                compare_at: opt(v.compare_at_minor),
                stock: v.stock.to_string(),
            })
            .collect();
    }
    raw
}

/// Every combination of the options' values, in option order (`[Red, S], [Red, M], [Blue, S]...`),
/// at most `limit` of them: the rows of the editor's variant table.
pub fn combinations(values: &[Vec<String>], limit: usize) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = vec![vec![]];
    for vals in values {
        let vals: Vec<&String> = vals.iter().filter(|v| !v.trim().is_empty()).collect();
        if vals.is_empty() {
            return vec![];
        }
        let mut next = Vec::new();
        'outer: for prefix in &out {
            for v in &vals {
                if next.len() >= limit {
                    break 'outer;
                }
                let mut p = prefix.clone();
                p.push(v.trim().to_string());
                next.push(p);
            }
        }
        out = next;
    }
    if values.is_empty() {
        vec![]
    } else {
        out
    }
}

/// A suggested SKU for a combination: `RED-S`, letters and digits only, bounded.
pub fn suggest_sku(prefix: &str, combo: &[String]) -> String {
    let part = |s: &str| -> String {
        s.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).take(8).collect()
    };
    let mut parts: Vec<String> = vec![];
    let p = part(prefix);
    if !p.is_empty() {
        parts.push(p);
    }
    parts.extend(combo.iter().map(|c| part(c)).filter(|s| !s.is_empty()));
    let sku = parts.join("-");
    sku.chars().take(crate::domain::listing::SKU_MAX_CHARS).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::listing::{ListingOption, Variant};

    fn content(options: Vec<ListingOption>, variants: Vec<Variant>) -> ListingContent {
        ListingContent {
            title: "Tea".into(),
            description: "Green".into(),
            category_id: Some(3),
            currency: Currency::Usd,
            weight_grams: 150,
            options,
            variants,
            images: vec![7, 5],
        }
    }

    fn variant(sku: &str, options: &[&str], price: i64, compare: Option<i64>, stock: i64) -> Variant {
        Variant {
            sku: sku.into(),
            options: options.iter().map(|s| s.to_string()).collect(),
            price_minor: price,
            compare_at_minor: compare,
            stock,
        }
    }

    #[test]
    fn stored_content_round_trips_through_the_form() {
        let simple = content(vec![], vec![variant("default", &[], 1250, Some(1500), 3)]);
        let raw = raw_of(&simple);
        assert_eq!((raw.price.as_str(), raw.compare_at.as_str(), raw.stock.as_str()), ("12.50", "15.00", "3"));
        assert_eq!(ListingContent::parse(&raw, Currency::Usd).unwrap(), simple);

        let opts = vec![ListingOption { name: "Colour".into(), values: vec!["Red".into(), "Blue".into()] }];
        let with = content(opts, vec![variant("R", &["Red"], 2000, None, 1), variant("B", &["Blue"], 2250, None, 0)]);
        let raw = raw_of(&with);
        assert_eq!(raw.variants.len(), 2);
        assert_eq!(raw.variants[1].price, "22.50");
        assert_eq!(ListingContent::parse(&raw, Currency::Usd).unwrap(), with);
    }

    #[test]
    fn combinations_cover_every_value_pair_in_order() {
        let c = combinations(&[vec!["Red".into(), "Blue".into()], vec!["S".into(), "M".into()]], 100);
        assert_eq!(c.len(), 4);
        assert_eq!(c[1], vec!["Red".to_string(), "M".to_string()]);
        assert!(combinations(&[], 100).is_empty());
        assert!(combinations(&[vec!["Red".into()], vec![]], 100).is_empty());
        let twenty: Vec<String> = (0..20).map(|i| i.to_string()).collect();
        assert_eq!(combinations(&vec![twenty; 3], 100).len(), 100);
    }

    #[test]
    fn suggested_skus_are_valid_skus() {
        assert_eq!(suggest_sku("tee", &["Red".into(), "X L".into()]), "TEE-RED-XL");
        assert_eq!(suggest_sku("", &["红".into(), "M".into()]), "M");
    }

    #[test]
    fn listing_json_is_bounded_and_must_parse() {
        assert_eq!(parse_listing_json("{").unwrap_err(), AppError::invalid("listing", "seller_center.malformed"));
        let big = format!("\"{}\"", "x".repeat(LISTING_JSON_MAX_BYTES));
        assert_eq!(parse_listing_json(&big).unwrap_err(), AppError::invalid("listing", "seller_center.too_large"));
        let ok = serde_json::to_string(&RawListing::default()).unwrap();
        assert_eq!(parse_listing_json(&ok).unwrap(), RawListing::default());
    }

    #[test]
    fn the_status_filter_accepts_known_statuses_only() {
        assert_eq!(parse_status_filter(Some("")).unwrap(), None);
        assert_eq!(parse_status_filter(Some("sold_out")).unwrap(), Some(ListingStatus::SoldOut));
        assert!(parse_status_filter(Some("deleted")).is_err());
    }
}
