//! The console's exports, without storage: which datasets there are, what each needs and holds, the
//! filters each accepts (checked against the dataset's own values, so a tampered URL changes
//! nothing), whether an export streams at once or runs in the background, and its lifecycle.

use super::dispute::DisputeStatus;
use super::order::OrderStatus;
use super::payout::PayoutStatus;
use super::permissions::{Permission, LEDGER_VIEW, ORDERS_VIEW, PAYOUTS_VIEW, REFUNDS_VIEW, SELLERS_VIEW, USERS_VIEW};
use super::refund::RefundStatus;
use super::seller::SellerStatus;
use serde::{Deserialize, Serialize};

/// A file stays downloadable this long after it was written; a durable job then deletes it.
pub const FILE_TTL_MS: i64 = 24 * 3_600_000;

/// What can be exported. Each is one CSV row per record, oldest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Dataset {
    Orders,
    OrderLines,
    /// Ledger postings with their entries: one row per entry, the posting's fields repeated.
    LedgerEntries,
    Payouts,
    Refunds,
    Disputes,
    Sellers,
    Users,
}

impl Dataset {
    pub const ALL: [Dataset; 8] = [
        Dataset::Orders,
        Dataset::OrderLines,
        Dataset::LedgerEntries,
        Dataset::Payouts,
        Dataset::Refunds,
        Dataset::Disputes,
        Dataset::Sellers,
        Dataset::Users,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Dataset::Orders => "orders",
            Dataset::OrderLines => "order_lines",
            Dataset::LedgerEntries => "ledger",
            Dataset::Payouts => "payouts",
            Dataset::Refunds => "refunds",
            Dataset::Disputes => "disputes",
            Dataset::Sellers => "sellers",
            Dataset::Users => "users",
        }
    }

    pub fn parse(s: &str) -> Option<Dataset> {
        Dataset::ALL.into_iter().find(|d| d.as_str() == s)
    }

    /// The view permission the dataset needs besides `exports.export`: exporting is reading in bulk,
    /// so nobody exports what they may not read on its console page.
    pub fn permission(self) -> Permission {
        match self {
            Dataset::Orders | Dataset::OrderLines => ORDERS_VIEW,
            Dataset::LedgerEntries => LEDGER_VIEW,
            Dataset::Payouts => PAYOUTS_VIEW,
            Dataset::Refunds | Dataset::Disputes => REFUNDS_VIEW,
            Dataset::Sellers => SELLERS_VIEW,
            Dataset::Users => USERS_VIEW,
        }
    }

    /// Holds personal data (names, emails, addresses, buyers' own words): such an export is protected
    /// (a reason and the password again).
    pub fn personal(self) -> bool {
        matches!(self, Dataset::Orders | Dataset::Refunds | Dataset::Disputes | Dataset::Sellers | Dataset::Users)
    }

    /// The values the status filter accepts; empty when the dataset has no status filter.
    pub fn statuses(self) -> Vec<&'static str> {
        match self {
            Dataset::Orders | Dataset::OrderLines => OrderStatus::ALL.iter().map(|s| s.as_str()).collect(),
            Dataset::Payouts => PayoutStatus::ALL.iter().map(|s| s.as_str()).collect(),
            Dataset::Refunds => RefundStatus::ALL.iter().map(|s| s.as_str()).collect(),
            Dataset::Disputes => DisputeStatus::ALL.iter().map(|s| s.as_str()).collect(),
            Dataset::Sellers => SellerStatus::ALL.iter().map(|s| s.as_str()).collect(),
            Dataset::Users => vec!["active", "banned"],
            Dataset::LedgerEntries => vec![],
        }
    }

    /// Whether the dataset belongs to one seller at a time (the seller filter, by organisation id).
    pub fn by_seller(self) -> bool {
        !matches!(self, Dataset::LedgerEntries | Dataset::Sellers | Dataset::Users)
    }
}

/// An export's filters besides the period, checked against the dataset.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Filters {
    pub status: Option<String>,
    pub seller: Option<i64>,
}

/// Why filters were refused: `(field, message key)`.
pub type FilterError = (&'static str, &'static str);

impl Filters {
    /// Reads the raw query values. An empty value is no filter; anything else must be one of the
    /// dataset's values (a status it has, a seller id on a dataset that has sellers).
    pub fn parse(dataset: Dataset, status: Option<&str>, seller: Option<&str>) -> Result<Filters, FilterError> {
        let status = status.map(str::trim).filter(|s| !s.is_empty());
        let seller = seller.map(str::trim).filter(|s| !s.is_empty());
        let status = match status {
            None => None,
            Some(s) if dataset.statuses().contains(&s) => Some(s.to_string()),
            Some(_) => return Err(("status", "exports.bad_status")),
        };
        let seller = match seller {
            None => None,
            Some(_) if !dataset.by_seller() => return Err(("seller", "exports.bad_seller")),
            Some(s) => match s.parse::<i64>() {
                Ok(id) if id > 0 => Some(id),
                _ => return Err(("seller", "exports.bad_seller")),
            },
        };
        Ok(Filters { status, seller })
    }
}

/// How an export of `rows` rows is delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// The file is the answer to the request.
    Stream,
    /// A background job writes the file; the requester is told when it is ready.
    Background,
}

impl Delivery {
    /// Up to `stream_max` rows stream (an empty export too: a file with its header only).
    pub fn for_rows(rows: i64, stream_max: i64) -> Delivery {
        if rows <= stream_max {
            Delivery::Stream
        } else {
            Delivery::Background
        }
    }
}

/// A background export is cut into at most this many ranges of its first key, read by workers side
/// by side and joined in order: a page's read is mostly the database's work, so two readers on two
/// connections take about half the time of one.
pub const MAX_SLICES: i64 = 32;

/// Where an export's rows lie in the key range is counted in this many equal buckets (in the same
/// read that counts them); a background export's slices are cut at their edges. Keys are not spread
/// evenly (older rows, ids of other kinds of rows), so equal ranges of keys would leave one reader
/// with most of the rows.
pub const HISTOGRAM_BUCKETS: i64 = 4_096;

/// Rows counted per bucket of `width` keys: bucket `b` covers the keys from `origin + b * width`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Histogram {
    pub origin: i64,
    pub width: i64,
    /// (bucket, rows), the empty buckets left out.
    pub counts: Vec<(i64, i64)>,
}

impl Histogram {
    /// The buckets over `origin..=last`: [`HISTOGRAM_BUCKETS`] of them, each at least one key wide.
    pub fn over(origin: i64, last: i64) -> Histogram {
        let keys = (i128::from(last) - i128::from(origin) + 1).max(1);
        let width = (keys + i128::from(HISTOGRAM_BUCKETS) - 1) / i128::from(HISTOGRAM_BUCKETS);
        Histogram { origin, width: i64::try_from(width).unwrap_or(i64::MAX), counts: vec![] }
    }

    /// The last key of bucket `b`.
    fn end_of(&self, bucket: i64) -> i128 {
        i128::from(self.origin) + (i128::from(bucket) + 1) * i128::from(self.width) - 1
    }

    /// Cuts `first..=last` (the lowest and highest key holding rows) into contiguous inclusive
    /// slices at bucket edges, each holding about an equal share of the rows but at least
    /// `min_rows` (a slice costs a query of its own), at most [`MAX_SLICES`]. Empty without rows.
    pub fn slices(&self, first: i64, last: i64, min_rows: i64) -> Vec<(i64, i64)> {
        let total: i64 = self.counts.iter().map(|(_, rows)| rows.max(&0)).sum();
        if total == 0 || last < first {
            return vec![];
        }
        let target = ((total + MAX_SLICES - 1) / MAX_SLICES).max(min_rows).max(1);
        let mut buckets = self.counts.clone();
        buckets.sort_unstable();
        let (mut out, mut lo, mut held) = (Vec::new(), first, 0);
        for (bucket, rows) in buckets {
            held += rows.max(0);
            // Within `first..=last`, so it fits back into an i64.
            let hi = self.end_of(bucket).min(i128::from(last)) as i64;
            if held >= target && hi >= lo {
                out.push((lo, hi));
                held = 0;
                match hi.checked_add(1).filter(|&next| next <= last) {
                    Some(next) => lo = next,
                    None => return out,
                }
            }
        }
        match out.last_mut() {
            // Keys after the last cut with too few rows for a slice of their own join the last one.
            Some(last_slice) if held < target / 2 => last_slice.1 = last,
            _ => out.push((lo, last)),
        }
        out
    }
}

/// Where an export is: streamed at once, or a background job's progress and file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExportStatus {
    Streamed,
    Queued,
    Running,
    Ready,
    Failed,
    Expired,
}

impl ExportStatus {
    pub const ALL: [ExportStatus; 6] = [
        ExportStatus::Streamed,
        ExportStatus::Queued,
        ExportStatus::Running,
        ExportStatus::Ready,
        ExportStatus::Failed,
        ExportStatus::Expired,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ExportStatus::Streamed => "streamed",
            ExportStatus::Queued => "queued",
            ExportStatus::Running => "running",
            ExportStatus::Ready => "ready",
            ExportStatus::Failed => "failed",
            ExportStatus::Expired => "expired",
        }
    }

    pub fn parse(s: &str) -> Option<ExportStatus> {
        ExportStatus::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// Whether a background export's file may be downloaded at `now`: only when ready and not past
/// its expiry (the deletion job may not have run yet; the refusal does not wait for it).
pub fn downloadable(status: ExportStatus, expires_at: Option<i64>, now: i64) -> Result<(), &'static str> {
    match (status, expires_at) {
        (ExportStatus::Ready, Some(at)) if now < at => Ok(()),
        (ExportStatus::Ready | ExportStatus::Expired, _) => Err("exports.expired"),
        _ => Err("exports.not_ready"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn histogram(origin: i64, last: i64, counts: impl IntoIterator<Item = (i64, i64)>) -> Histogram {
        Histogram { counts: counts.into_iter().collect(), ..Histogram::over(origin, last) }
    }

    #[test]
    fn slices_cover_the_keys_once_in_order_where_the_rows_are() {
        // A million keys, the rows all in the last tenth (a recent month of a long ledger).
        let h = histogram(1, 1_000_000, (3_687..4_096).map(|b| (b, 250)));
        assert_eq!(h.width, 245);
        let first = 3_687 * 245 + 1;
        let s = h.slices(first, 1_000_000, 2_000);
        assert_eq!(s.first().map(|r| r.0), Some(first), "the first slice starts at the first row");
        assert_eq!(s.last().map(|r| r.1), Some(1_000_000));
        assert!(s.windows(2).all(|w| w[1].0 == w[0].1 + 1), "contiguous: {s:?}");
        // 102,250 rows in slices of at least 3,196 (13 buckets), the tail of 6 buckets joined.
        assert_eq!(s.len(), 31, "{s:?}");
        assert!(s.iter().all(|&(lo, hi)| hi - lo < 20 * 245), "each a few buckets wide: {s:?}");
    }

    #[test]
    fn slices_hold_at_least_the_least_rows_and_none_when_empty() {
        let h = histogram(1, 16_384, (0..1_002).map(|b| (b, 4)));
        assert_eq!(h.width, 4);
        assert_eq!(h.slices(1, 4_008, 2_000), vec![(1, 2_000), (2_001, 4_008)]);
        assert_eq!(h.slices(1, 4_008, 5_000), vec![(1, 4_008)], "fewer rows than a slice");
        assert_eq!(histogram(5, 5, [(0, 1)]).slices(5, 5, 2_000), vec![(5, 5)]);
        assert!(histogram(1, 10, []).slices(1, 10, 2_000).is_empty());
        assert!(histogram(1, 10, [(3, 0)]).slices(1, 10, 2_000).is_empty());
        let widest = Histogram::over(i64::MIN, i64::MAX);
        assert_eq!(widest.width, i64::MAX / 2_048 + 1, "the widest range does not overflow");
        let s = histogram(i64::MIN, i64::MAX, [(0, 3), (4_095, 3)]).slices(i64::MIN, i64::MAX, 1);
        assert_eq!(s, vec![(i64::MIN, i64::MIN + widest.width - 1), (i64::MIN + widest.width, i64::MAX)]);
    }

    #[test]
    fn dataset_names_round_trip_and_unknown_ones_are_none() {
        for d in Dataset::ALL {
            assert_eq!(Dataset::parse(d.as_str()), Some(d));
        }
        assert_eq!(Dataset::parse("passwords"), None);
    }

    #[test]
    fn personal_datasets_are_the_ones_with_people_in_them() {
        assert!(Dataset::Users.personal() && Dataset::Orders.personal() && Dataset::Sellers.personal());
        assert!(!Dataset::LedgerEntries.personal() && !Dataset::Payouts.personal() && !Dataset::OrderLines.personal());
        assert_eq!(Dataset::Users.permission(), USERS_VIEW);
        assert_eq!(Dataset::LedgerEntries.permission(), LEDGER_VIEW);
    }

    #[test]
    fn filters_accept_only_the_datasets_own_values() {
        assert_eq!(Filters::parse(Dataset::Orders, Some(""), None), Ok(Filters::default()));
        assert_eq!(
            Filters::parse(Dataset::Orders, Some("paid"), Some("12")),
            Ok(Filters { status: Some("paid".into()), seller: Some(12) })
        );
        assert_eq!(Filters::parse(Dataset::Orders, Some("paid' OR 1=1"), None), Err(("status", "exports.bad_status")));
        assert_eq!(Filters::parse(Dataset::Payouts, Some("shipped"), None), Err(("status", "exports.bad_status")));
        assert_eq!(Filters::parse(Dataset::LedgerEntries, Some("paid"), None), Err(("status", "exports.bad_status")));
        assert_eq!(Filters::parse(Dataset::Orders, None, Some("-3")), Err(("seller", "exports.bad_seller")));
        assert_eq!(Filters::parse(Dataset::Orders, None, Some("x")), Err(("seller", "exports.bad_seller")));
        assert_eq!(Filters::parse(Dataset::Users, None, Some("3")), Err(("seller", "exports.bad_seller")));
    }

    #[test]
    fn large_exports_go_to_the_background() {
        assert_eq!(Delivery::for_rows(0, 100_000), Delivery::Stream);
        assert_eq!(Delivery::for_rows(100_000, 100_000), Delivery::Stream);
        assert_eq!(Delivery::for_rows(100_001, 100_000), Delivery::Background);
    }

    #[test]
    fn a_file_is_downloadable_only_while_ready_and_unexpired() {
        assert_eq!(downloadable(ExportStatus::Ready, Some(10), 9), Ok(()));
        assert_eq!(downloadable(ExportStatus::Ready, Some(10), 10), Err("exports.expired"));
        assert_eq!(downloadable(ExportStatus::Expired, Some(10), 5), Err("exports.expired"));
        assert_eq!(downloadable(ExportStatus::Running, None, 5), Err("exports.not_ready"));
        for s in ExportStatus::ALL {
            assert_eq!(ExportStatus::parse(s.as_str()), Some(s));
        }
    }
}
