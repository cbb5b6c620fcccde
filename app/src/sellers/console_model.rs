//! What the console's seller queue and seller page show and accept. The filter rules live here so
//! they are unit-tested without a database.

use crate::domain::period::{day_range, RangeProblem};
use crate::domain::seller::{SellerStatus, REGIONS};
use crate::error::AppError;
use crate::sellers::impact::SuspensionImpact;
use crate::sellers::model::{Application, MemberRow};
use serde::{Deserialize, Serialize};

/// One seller in the queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SellerRow {
    pub id: i64,
    pub name: String,
    pub status: SellerStatus,
    pub region: String,
    pub business_type: String,
    pub owner_email: String,
    pub created_at_ms: i64,
    pub submitted_at_ms: Option<i64>,
    pub documents: i64,
}

/// How many sellers are in each state (every state, zeros included).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SellerCounts(pub Vec<(SellerStatus, i64)>);

/// A seller as the console's seller page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SellerDetail {
    pub application: Application,
    pub owner_email: String,
    pub members: Vec<MemberRow>,
    pub impact: SuspensionImpact,
}

/// The queue's filters. `status: None` lists every state.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SellerFilter {
    pub status: Option<SellerStatus>,
    pub region: Option<&'static str>,
    /// Submitted at or after (Unix ms, a UTC midnight).
    pub from_ms: Option<i64>,
    /// Submitted before (the midnight after the `to` day).
    pub until_ms: Option<i64>,
}

fn present(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

impl SellerFilter {
    /// Empty values mean "no filter"; `status=all` too. Dates are `YYYY-MM-DD` (UTC), `to` inclusive.
    pub fn parse(
        status: Option<&str>,
        region: Option<&str>,
        from: Option<&str>,
        to: Option<&str>,
    ) -> Result<SellerFilter, AppError> {
        let status = match present(status) {
            None | Some("all") => None,
            Some(s) => Some(SellerStatus::parse(s).ok_or_else(|| AppError::invalid("status", "sellers.bad_filter"))?),
        };
        let region = match present(region) {
            None => None,
            Some(r) => Some(
                REGIONS
                    .into_iter()
                    .find(|known| *known == r)
                    .ok_or_else(|| AppError::invalid("region", "sellers.bad_filter"))?,
            ),
        };
        let (from_ms, until_ms) = day_range(from, to).map_err(|p| match p {
            RangeProblem::BadFrom => AppError::invalid("from", "sellers.bad_date"),
            RangeProblem::BadTo => AppError::invalid("to", "sellers.bad_date"),
            RangeProblem::Reversed => AppError::invalid("to", "sellers.range_reversed"),
        })?;
        Ok(SellerFilter { status, region, from_ms, until_ms })
    }
}

/// The queue's keyset cursor: the row's sort key (submitted time, or creation time for a draft
/// never submitted) and id, as `key:id`. Anything else is the first page.
pub fn parse_cursor(cursor: Option<&str>) -> Option<(i64, i64)> {
    let (k, id) = cursor?.trim().split_once(':')?;
    Some((k.parse().ok()?, id.parse().ok().filter(|id: &i64| *id > 0)?))
}

pub fn cursor_of(row: &SellerRow) -> String {
    format!("{}:{}", row.submitted_at_ms.unwrap_or(row.created_at_ms), row.id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_filters_and_all_mean_no_filter() {
        assert_eq!(SellerFilter::parse(Some(""), Some(" "), None, None).unwrap(), SellerFilter::default());
        assert_eq!(SellerFilter::parse(Some("all"), None, None, None).unwrap(), SellerFilter::default());
    }

    #[test]
    fn known_values_are_parsed_and_to_includes_its_day() {
        let f = SellerFilter::parse(Some("submitted"), Some("CN"), Some("2026-01-01"), Some("2026-01-01")).unwrap();
        assert_eq!(f.status, Some(SellerStatus::Submitted));
        assert_eq!(f.region, Some("CN"));
        assert_eq!(f.until_ms.unwrap() - f.from_ms.unwrap(), crate::domain::period::DAY_MS);
    }

    #[test]
    fn bad_values_are_refused_next_to_their_field() {
        let field = |r: Result<SellerFilter, AppError>| r.unwrap_err().field().map(str::to_string);
        assert_eq!(field(SellerFilter::parse(Some("open"), None, None, None)).as_deref(), Some("status"));
        assert_eq!(field(SellerFilter::parse(None, Some("XX"), None, None)).as_deref(), Some("region"));
        assert_eq!(field(SellerFilter::parse(None, None, Some("2026-02-30"), None)).as_deref(), Some("from"));
        assert_eq!(field(SellerFilter::parse(None, None, None, Some(&"9".repeat(500)))).as_deref(), Some("to"));
        assert_eq!(
            SellerFilter::parse(None, None, Some("2026-03-02"), Some("2026-03-01")),
            Err(AppError::invalid("to", "sellers.range_reversed"))
        );
    }

    #[test]
    fn cursors_round_trip_and_garbage_means_the_first_page() {
        let row = SellerRow {
            id: 7,
            name: "Tea".into(),
            status: SellerStatus::Submitted,
            region: "CN".into(),
            business_type: "company".into(),
            owner_email: "a@b.c".into(),
            created_at_ms: 5,
            submitted_at_ms: Some(100),
            documents: 1,
        };
        assert_eq!(parse_cursor(Some(&cursor_of(&row))), Some((100, 7)));
        assert_eq!(parse_cursor(Some("' or 1=1")), None);
        assert_eq!(parse_cursor(Some("5:-1")), None);
        assert_eq!(parse_cursor(None), None);
    }
}
