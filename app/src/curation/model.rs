//! What curation and the console's listing directory show and accept: plain data shared by the
//! server and the browser. The directory's filter rules live here so they are unit-tested without a
//! database.

use crate::domain::listing::ListingStatus;
use crate::domain::money::Currency;
use crate::error::AppError;
use serde::{Deserialize, Serialize};

/// A featured listing as the curation page lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureRow {
    pub listing_id: i64,
    pub title: String,
    pub seller_name: String,
    /// The listing's status (`ListingStatus::as_str`): a featured listing that stopped being live
    /// stays in the list (and off the home page) until unfeatured.
    pub listing_status: String,
    pub position: i64,
    pub starts_at_ms: Option<i64>,
    pub ends_at_ms: Option<i64>,
    /// On the home page now: within its schedule and `listings.featured` set.
    pub featured_now: bool,
}

/// A home page section as the curation page lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SectionRow {
    pub key: String,
    pub position: i64,
    pub visible: bool,
    pub starts_at_ms: Option<i64>,
    pub ends_at_ms: Option<i64>,
    /// Visible and within its schedule now.
    pub shown_now: bool,
}

/// The curation page: featured listings and sections, in their order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Curation {
    pub features: Vec<FeatureRow>,
    pub sections: Vec<SectionRow>,
    /// The platform's time zone, for the schedule fields (`domain::curation::format_local_time`).
    pub utc_offset_minutes: i32,
}

/// One listing in the console's directory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DirectoryRow {
    pub id: i64,
    pub title: String,
    pub organisation_id: i64,
    pub seller_name: String,
    pub category_id: Option<i64>,
    pub category_en: Option<String>,
    pub category_zh: Option<String>,
    pub status: ListingStatus,
    pub price_minor: i64,
    pub currency: Currency,
    pub created_at_ms: i64,
    pub featured: bool,
}

/// A listing's page in the console: its row, why it is blocked, and what happened to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DirectoryDetail {
    pub row: DirectoryRow,
    pub status_reason: String,
    /// Live (active or sold out): it can be taken down.
    pub can_take_down: bool,
    pub audit: Vec<ListingAuditLine>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ListingAuditLine {
    pub at_ms: i64,
    pub action: String,
    pub actor: Option<String>,
    pub reason: String,
}

/// The message key of a listing status's name.
pub fn status_key(s: ListingStatus) -> &'static str {
    match s {
        ListingStatus::Draft => "listing_directory.status.draft",
        ListingStatus::PendingReview => "listing_directory.status.pending_review",
        ListingStatus::Active => "listing_directory.status.active",
        ListingStatus::Rejected => "listing_directory.status.rejected",
        ListingStatus::Blocked => "listing_directory.status.blocked",
        ListingStatus::Inactive => "listing_directory.status.inactive",
        ListingStatus::SoldOut => "listing_directory.status.sold_out",
    }
}

/// The directory's filters; every one optional.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DirectoryFilter {
    /// A seller's id (digits) or part of its name.
    pub seller: Option<SellerFilter>,
    pub category_id: Option<i64>,
    pub status: Option<ListingStatus>,
    pub min_minor: Option<i64>,
    pub max_minor: Option<i64>,
    /// Created on or after this local day's start / before the end of this local day (ms).
    pub created_from: Option<i64>,
    pub created_until: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SellerFilter {
    Id(i64),
    Name(String),
}

fn present(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

/// The raw query of the directory, as the GET form sends it.
#[derive(Debug, Clone, Default)]
pub struct RawDirectoryFilter<'a> {
    pub seller: Option<&'a str>,
    pub category: Option<&'a str>,
    pub status: Option<&'a str>,
    pub min: Option<&'a str>,
    pub max: Option<&'a str>,
    pub from: Option<&'a str>,
    pub to: Option<&'a str>,
}

impl DirectoryFilter {
    /// Empty values mean "no filter". Prices are typed as shown (`12.50`); dates are `YYYY-MM-DD`
    /// in the platform's time zone, both inclusive. A bad value is refused next to its field.
    pub fn parse(
        raw: &RawDirectoryFilter,
        currency: Currency,
        offset_minutes: i32,
    ) -> Result<DirectoryFilter, AppError> {
        use crate::domain::period::{parse_date, DAY_MS};
        let bad = |field: &str| AppError::invalid(field, "listing_directory.bad_filter");
        let seller = present(raw.seller).map(|s| match s.parse::<i64>() {
            Ok(id) if id > 0 => SellerFilter::Id(id),
            _ => SellerFilter::Name(s.to_string()),
        });
        let category_id = match present(raw.category) {
            None => None,
            Some(c) => Some(c.parse::<i64>().ok().filter(|id| *id > 0).ok_or_else(|| bad("category"))?),
        };
        let status = match present(raw.status) {
            None => None,
            Some(s) => Some(ListingStatus::parse(s).ok_or_else(|| bad("status"))?),
        };
        let price = |v: Option<&str>, field: &str| -> Result<Option<i64>, AppError> {
            match present(v) {
                None => Ok(None),
                Some(v) => crate::domain::money::Money::parse(v, currency)
                    .map(|m| Some(m.minor))
                    .map_err(|_| AppError::invalid(field, "listing_directory.bad_price")),
            }
        };
        let (min_minor, max_minor) = (price(raw.min, "min")?, price(raw.max, "max")?);
        if let (Some(lo), Some(hi)) = (min_minor, max_minor) {
            if hi < lo {
                return Err(AppError::invalid("max", "listing_directory.max_below_min"));
            }
        }
        let day = |v: Option<&str>, field: &str| -> Result<Option<i64>, AppError> {
            match present(v) {
                None => Ok(None),
                Some(v) => parse_date(v)
                    .map(|d| Some(d * DAY_MS - i64::from(offset_minutes) * 60_000))
                    .ok_or_else(|| AppError::invalid(field, "period.bad_date")),
            }
        };
        let (from, to) = (day(raw.from, "from")?, day(raw.to, "to")?);
        if let (Some(f), Some(t)) = (from, to) {
            if t < f {
                return Err(AppError::invalid("to", "period.ends_before_starts"));
            }
        }
        Ok(DirectoryFilter {
            seller,
            category_id,
            status,
            min_minor,
            max_minor,
            created_from: from,
            created_until: to.map(|t| t + DAY_MS),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: RawDirectoryFilter) -> Result<DirectoryFilter, AppError> {
        DirectoryFilter::parse(&raw, Currency::Usd, 0)
    }

    #[test]
    fn empty_values_mean_no_filter() {
        let raw = RawDirectoryFilter { seller: Some(" "), status: Some(""), ..Default::default() };
        assert_eq!(parse(raw).unwrap(), DirectoryFilter::default());
    }

    #[test]
    fn a_seller_is_an_id_or_part_of_a_name() {
        let id = parse(RawDirectoryFilter { seller: Some("42"), ..Default::default() }).unwrap();
        assert_eq!(id.seller, Some(SellerFilter::Id(42)));
        let name = parse(RawDirectoryFilter { seller: Some("Blue Kiln"), ..Default::default() }).unwrap();
        assert_eq!(name.seller, Some(SellerFilter::Name("Blue Kiln".into())));
    }

    #[test]
    fn bad_values_are_refused_next_to_their_field() {
        let field = |raw: RawDirectoryFilter| parse(raw).unwrap_err().field().map(str::to_string);
        assert_eq!(field(RawDirectoryFilter { status: Some("gone"), ..Default::default() }).as_deref(), Some("status"));
        assert_eq!(field(RawDirectoryFilter { min: Some("cheap"), ..Default::default() }).as_deref(), Some("min"));
        assert_eq!(
            field(RawDirectoryFilter { min: Some("20"), max: Some("10"), ..Default::default() }).as_deref(),
            Some("max")
        );
        assert_eq!(
            field(RawDirectoryFilter { from: Some("2026-02-02"), to: Some("2026-02-01"), ..Default::default() })
                .as_deref(),
            Some("to")
        );
        assert_eq!(
            field(RawDirectoryFilter { category: Some("x"), ..Default::default() }).as_deref(),
            Some("category")
        );
    }

    #[test]
    fn created_dates_cover_whole_local_days() {
        let f = DirectoryFilter::parse(
            &RawDirectoryFilter { from: Some("2026-01-01"), to: Some("2026-01-01"), ..Default::default() },
            Currency::Usd,
            480,
        )
        .unwrap();
        assert_eq!(f.created_from, Some(1_767_225_600_000 - 480 * 60_000));
        assert_eq!(f.created_until, Some(1_767_225_600_000 - 480 * 60_000 + 86_400_000));
    }
}
