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
