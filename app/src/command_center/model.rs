//! What the command center's server functions answer: today's work (the queues), the KPI cards of a
//! period against the period before, and the daily trends the charts draw.

use crate::domain::kpi::{Figure, Pressure};
use crate::domain::money::Currency;
use serde::{Deserialize, Serialize};

/// The operator queues today's work can list, in the order they are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Queue {
    SellerApplications,
    ListingReviews,
    ReportsAndAppeals,
    PaymentsAwaitingApproval,
    RefundsAwaitingSeller,
    Disputes,
    PayoutsToReview,
    FailedDeliveries,
    /// Launch readiness checks measured as blockers now (and not deferred).
    ReadinessBlockers,
}

impl Queue {
    pub fn as_str(self) -> &'static str {
        match self {
            Queue::SellerApplications => "seller_applications",
            Queue::ListingReviews => "listing_reviews",
            Queue::ReportsAndAppeals => "reports",
            Queue::PaymentsAwaitingApproval => "payments",
            Queue::RefundsAwaitingSeller => "refunds",
            Queue::Disputes => "disputes",
            Queue::PayoutsToReview => "payouts",
            Queue::FailedDeliveries => "failed_deliveries",
            Queue::ReadinessBlockers => "readiness_blockers",
        }
    }

    /// The queue's page, filtered to what waits (each filter is one the page's `FilterBar` reads).
    pub fn href(self) -> &'static str {
        match self {
            Queue::SellerApplications => "/console/sellers?status=submitted",
            Queue::ListingReviews => "/console/reviews",
            Queue::ReportsAndAppeals => "/console/reports?status=open",
            Queue::PaymentsAwaitingApproval => "/console/payments?status=proof_submitted",
            Queue::RefundsAwaitingSeller => "/console/refunds?status=requested",
            // The dispute queue's default (its empty status choice) is the open disputes.
            Queue::Disputes => "/console/disputes",
            Queue::PayoutsToReview => "/console/payouts?status=requested",
            Queue::FailedDeliveries => "/console/delivery?status=exhausted",
            Queue::ReadinessBlockers => "/console/readiness",
        }
    }

    /// The filtered page of the items past their SLA, for queues whose page has that filter.
    pub fn overdue_href(self) -> Option<&'static str> {
        match self {
            Queue::ListingReviews => Some("/console/reviews?sla=overdue"),
            Queue::RefundsAwaitingSeller => Some("/console/refunds?status=requested&overdue=1"),
            Queue::Disputes => Some("/console/disputes?past_sla=1"),
            _ => None,
        }
    }
}

/// One queue on today's work.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueueRow {
    pub queue: Queue,
    /// Items waiting for an operator.
    pub count: i64,
    /// When the longest-waiting item started waiting (`None`: nothing waits, or the queue keeps no
    /// such time, as the delivery desk's counters).
    pub oldest_at_ms: Option<i64>,
    /// Items past their SLA deadline (0 for a queue without an SLA).
    pub overdue: i64,
    pub pressure: Pressure,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TodaysWork {
    /// The instant the queues were read: ages are measured from it.
    pub now_ms: i64,
    /// Only the queues this operator may open.
    pub queues: Vec<QueueRow>,
}

/// The KPI cards of one period, each against the period of the same length just before it. Money is
/// in `currency`, the platform's one currency. Definitions: `command_center::kpis`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Kpis {
    /// The period's first and last local day (`YYYY-MM-DD`), as the picker shows them.
    pub from: String,
    pub to: String,
    pub previous_from: String,
    pub previous_to: String,
    pub currency: Currency,
    pub gmv: Figure,
    pub paid_orders: Figure,
    pub commission: Figure,
    pub refunds: Figure,
    pub disputes: Figure,
    pub new_buyers: Figure,
    pub new_sellers: Figure,
    pub active_sellers: Figure,
    pub payouts_paid: Figure,
}

/// Daily series for the trend charts: `dates[i]` is the local day of `orders[i]`, `gmv[i]`,
/// `refunds[i]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trends {
    pub days: i64,
    pub currency: Currency,
    pub dates: Vec<String>,
    pub orders: Vec<i64>,
    pub gmv: Vec<i64>,
    pub refunds: Vec<i64>,
}
