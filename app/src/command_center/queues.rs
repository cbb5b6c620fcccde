//! Today's work: each operator queue's waiting items, read from its open status through an index
//! (`migrations/*/0009_command_center.sql`): how many, since when the oldest waits, how many are past
//! their SLA and the earliest deadline. A queue is listed only for an operator allowed to open it.

use super::model::{Queue, QueueRow, TodaysWork};
use crate::domain::kpi::Pressure;
use crate::domain::permissions::{
    DELIVERY_VIEW, LISTINGS_VIEW, PAYMENTS_VIEW, PAYOUTS_VIEW, READINESS_VIEW, REFUNDS_VIEW, REPORTS_VIEW, SELLERS_VIEW,
};
use crate::error::{AppError, Context};
use crate::platform::caller::Caller;
use crate::platform::state::AppState;

/// Who may see each queue: the permission that opens its page.
const VISIBLE: [(Queue, crate::domain::permissions::Permission); 9] = [
    (Queue::SellerApplications, SELLERS_VIEW),
    (Queue::ListingReviews, LISTINGS_VIEW),
    (Queue::ReportsAndAppeals, REPORTS_VIEW),
    (Queue::PaymentsAwaitingApproval, PAYMENTS_VIEW),
    (Queue::RefundsAwaitingSeller, REFUNDS_VIEW),
    (Queue::Disputes, REFUNDS_VIEW),
    (Queue::PayoutsToReview, PAYOUTS_VIEW),
    (Queue::FailedDeliveries, DELIVERY_VIEW),
    (Queue::ReadinessBlockers, READINESS_VIEW),
];

/// What one queue holds. Every query below returns these four columns.
#[derive(sqlx::FromRow)]
struct Waiting {
    n: i64,
    oldest: Option<i64>,
    overdue: i64,
    due: Option<i64>,
}

/// `$1`, where a query has it, is now.
fn sql_of(queue: Queue) -> &'static str {
    match queue {
        Queue::SellerApplications => {
            "SELECT COUNT(*) AS n, MIN(sp.submitted_at) AS oldest, CAST(0 AS BIGINT) AS overdue, \
             CAST(NULL AS BIGINT) AS due FROM organisations o \
             JOIN seller_profiles sp ON sp.organisation_id = o.id \
             WHERE o.status = 'submitted' AND o.kind = 'seller'"
        }
        Queue::ListingReviews => {
            "SELECT COUNT(*) AS n, MIN(submitted_at) AS oldest, \
             CAST(COALESCE(SUM(CASE WHEN sla_due_at < $1 THEN 1 ELSE 0 END), 0) AS BIGINT) AS overdue, \
             MIN(sla_due_at) AS due FROM listing_versions WHERE status = 'pending_review'"
        }
        Queue::ReportsAndAppeals => {
            "SELECT COUNT(*) AS n, MIN(created_at) AS oldest, CAST(0 AS BIGINT) AS overdue, \
             CAST(NULL AS BIGINT) AS due FROM reports WHERE status = 'open'"
        }
        Queue::PaymentsAwaitingApproval => {
            "SELECT COUNT(*) AS n, MIN(proof_submitted_at) AS oldest, CAST(0 AS BIGINT) AS overdue, \
             CAST(NULL AS BIGINT) AS due FROM payments WHERE status = 'proof_submitted'"
        }
        // The refund queue's own "overdue" is `respond_by <= now` (the escalation fires at it).
        Queue::RefundsAwaitingSeller => {
            "SELECT COUNT(*) AS n, MIN(created_at) AS oldest, \
             CAST(COALESCE(SUM(CASE WHEN respond_by <= $1 THEN 1 ELSE 0 END), 0) AS BIGINT) AS overdue, \
             MIN(respond_by) AS due FROM refunds WHERE status = 'requested'"
        }
        Queue::Disputes => {
            "SELECT COUNT(*) AS n, MIN(created_at) AS oldest, \
             CAST(COALESCE(SUM(CASE WHEN sla_due_at < $1 THEN 1 ELSE 0 END), 0) AS BIGINT) AS overdue, \
             MIN(sla_due_at) AS due FROM disputes WHERE status = 'open'"
        }
        Queue::PayoutsToReview => {
            "SELECT COUNT(*) AS n, MIN(requested_at) AS oldest, CAST(0 AS BIGINT) AS overdue, \
             CAST(NULL AS BIGINT) AS due FROM payouts WHERE status = 'requested'"
        }
        Queue::FailedDeliveries | Queue::ReadinessBlockers => unreachable!("read from their capability's summary"),
    }
}

/// The SLA each queue is measured against (`None`: the queue has none).
fn sla_of(state: &AppState, queue: Queue) -> Option<i64> {
    let s = state.settings();
    match queue {
        Queue::ListingReviews => Some(s.review_sla_ms),
        Queue::RefundsAwaitingSeller => Some(s.refund_response_ms),
        Queue::Disputes => Some(s.dispute_sla_ms),
        _ => None,
    }
}

pub async fn todays_work(state: &AppState, caller: &Caller) -> Result<TodaysWork, AppError> {
    let now = state.now_ms();
    let mut queues = vec![];
    for (queue, permission) in VISIBLE {
        if caller.can(permission) {
            queues.push(row(state, queue, now).await?);
        }
    }
    Ok(TodaysWork { now_ms: now, queues })
}

async fn row(state: &AppState, queue: Queue, now: i64) -> Result<QueueRow, AppError> {
    if queue == Queue::FailedDeliveries {
        // Messages that gave up in the last 24 hours: the delivery desk's own counters.
        let c = crate::delivery::service::counters(state).await?;
        let count = c.failed_24h + c.exhausted_24h;
        let pressure = if count > 0 { Pressure::Overdue } else { Pressure::Clear };
        return Ok(QueueRow { queue, count, oldest_at_ms: None, overdue: count, pressure });
    }
    if queue == Queue::ReadinessBlockers {
        // Measured now, like the readiness page: a blocker is overdue by nature (nothing should launch
        // with one), and it has no age of its own.
        let count = crate::readiness::service::summary(state).await?.blockers;
        let pressure = if count > 0 { Pressure::Overdue } else { Pressure::Clear };
        return Ok(QueueRow { queue, count, oldest_at_ms: None, overdue: count, pressure });
    }
    let sql = sql_of(queue);
    let query = sqlx::query_as::<_, Waiting>(sql);
    let query = if sql.contains("$1") { query.bind(now) } else { query };
    let w = query.fetch_one(state.db.read()).await.context(&format!("reading the {} queue", queue.as_str()))?;
    let pressure = Pressure::of(now, w.n, w.overdue, w.due, sla_of(state, queue));
    Ok(QueueRow { queue, count: w.n, oldest_at_ms: w.oldest, overdue: w.overdue, pressure })
}
