//! The console's dispute queue (oldest SLA first, keyset over `(sla_due_at, id)`) and its counters.

use super::model::{parse_queue_cursor, DisputeCounters, DisputeRow, QueueFilter};
use super::queries::corrupt;
use crate::domain::dispute::DisputeStatus;
use crate::domain::money::Currency;
use crate::domain::page::{page_size, pair_cursor, Page};
use crate::error::{AppError, Context};
use crate::platform::sql::{after_pair, contains, order_limit, Order, Sql};
use crate::platform::state::AppState;

const WEEK_MS: i64 = 7 * 86_400_000;

const QUEUE_SELECT: &str = "SELECT d.id, d.organisation_id, d.opened_by, d.status, d.currency, d.claim_minor, \
     d.reason_code, d.created_at, d.sla_due_at, d.decided_at, o.number, org.name AS seller_name, \
     u.email AS buyer_email \
     FROM disputes d JOIN orders o ON o.id = d.order_id JOIN organisations org ON org.id = d.organisation_id \
     JOIN users u ON u.id = d.buyer_id WHERE 1 = 1";

/// A queue row as selected by `QUEUE_SELECT`.
#[derive(sqlx::FromRow)]
struct QueueRecord {
    id: i64,
    organisation_id: i64,
    opened_by: String,
    status: String,
    currency: String,
    claim_minor: i64,
    reason_code: String,
    created_at: i64,
    sla_due_at: i64,
    decided_at: Option<i64>,
    number: String,
    seller_name: String,
    buyer_email: String,
}

impl QueueRecord {
    /// The row as read at `now` (its age and whether it is past its SLA).
    fn row(self, now: i64) -> Result<DisputeRow, AppError> {
        Ok(DisputeRow {
            id: self.id,
            order_number: self.number,
            seller_name: self.seller_name,
            organisation_id: self.organisation_id,
            buyer_email: self.buyer_email,
            opened_by: self.opened_by,
            currency: Currency::parse(&self.currency).ok_or_else(|| corrupt("currency", &self.currency))?,
            claim_minor: self.claim_minor,
            reason_code: self.reason_code,
            created_at_ms: self.created_at,
            sla_due_at_ms: self.sla_due_at,
            decided_at_ms: self.decided_at,
            age_ms: self.decided_at.unwrap_or(now) - self.created_at,
            past_sla: self.status == DisputeStatus::Open.as_str() && self.sla_due_at < now,
            status: self.status,
        })
    }
}

/// The console queue: oldest SLA first, narrowed by the filter.
pub async fn queue(state: &AppState, f: &QueueFilter, cursor: Option<&str>) -> Result<Page<DisputeRow>, AppError> {
    let size = page_size(None);
    let now = state.now_ms();
    let mut sql = Sql::new(state.db.backend, QUEUE_SELECT);
    after_pair(&mut sql, "d.sla_due_at", "d.id", Order::Asc, parse_queue_cursor(cursor));
    if let Some(status) = f.status {
        sql.and_eq("d.status", status.as_str());
    }
    if let Some(org) = f.seller_id {
        sql.and_eq("d.organisation_id", org);
    }
    if let Some(name) = &f.seller_name {
        contains(&mut sql, "org.name", name);
    }
    if f.past_sla {
        sql.and_eq("d.status", DisputeStatus::Open.as_str());
        let p = sql.arg(now);
        sql.push(&format!(" AND d.sla_due_at < {p}"));
    }
    if let Some(by) = f.opened_by {
        sql.and_eq("d.opened_by", by.as_str());
    }
    order_limit(&mut sql, "d.sla_due_at, d.id", size);
    let records: Vec<QueueRecord> =
        sql.query_as().fetch_all(state.db.read()).await.context("listing the dispute queue")?;
    let rows = records.into_iter().map(|r| r.row(now)).collect::<Result<Vec<_>, _>>()?;
    Ok(Page::from_overfetch(rows, size, |d| pair_cursor(d.sla_due_at_ms, d.id)))
}

/// The counters as one row.
#[derive(sqlx::FromRow)]
struct Counts {
    open: i64,
    past_sla: i64,
    decided: i64,
    claimed: i64,
}

/// The queue's counters: open, open past the SLA, decided in the last 7 days, the amount claimed in
/// open disputes (platform currency).
pub async fn counters(state: &AppState) -> Result<DisputeCounters, AppError> {
    let now = state.now_ms();
    let currency = state.settings().currency;
    let r: Counts = sqlx::query_as(
        "SELECT \
           (SELECT COUNT(*) FROM disputes WHERE status = $1) AS open, \
           (SELECT COUNT(*) FROM disputes WHERE status = $1 AND sla_due_at < $2) AS past_sla, \
           (SELECT COUNT(*) FROM disputes WHERE decided_at >= $3) AS decided, \
           (SELECT CAST(COALESCE(SUM(claim_minor), 0) AS BIGINT) FROM disputes WHERE status = $1 AND currency = $4) \
             AS claimed",
    )
    .bind(DisputeStatus::Open.as_str())
    .bind(now)
    .bind(now - WEEK_MS)
    .bind(currency.code())
    .fetch_one(state.db.read())
    .await
    .context("counting the disputes")?;
    Ok(DisputeCounters {
        open: r.open,
        past_sla: r.past_sla,
        decided_this_week: r.decided,
        currency,
        claimed_open_minor: r.claimed,
    })
}
