//! The review queue: pending versions sorted by SLA pressure then risk (keyset-paged), and the
//! counters above it.

use super::model::{QueueCounters, QueueFilter, QueueRow};
use super::rows::risk_of;
use crate::domain::category::{subtree, TreeNode};
use crate::domain::page::{page_size, Page};
use crate::domain::review::{QueueKey, ReviewKind, SlaState};
use crate::error::{AppError, Context};
use crate::platform::sql::{order_limit, Sql};
use crate::platform::state::AppState;

const BLOCKED_WINDOW_MS: i64 = 30 * 24 * 3_600_000;
/// Risk as a sortable number (high first when descending); matches `Risk::rank`.
const RISK_RANK: &str = "(CASE v.risk WHEN 'high' THEN 2 WHEN 'medium' THEN 1 ELSE 0 END)";

/// Subcategories of `id` included, so filtering by "Clothing" finds "Clothing / T-shirts".
async fn category_ids(state: &AppState, id: i64) -> Result<Vec<i64>, AppError> {
    let tree = crate::categories::service::tree(state, true).await?;
    let nodes: Vec<TreeNode> =
        tree.iter().map(|n| TreeNode { id: n.id, parent_id: n.parent_id, enabled: !n.disabled }).collect();
    Ok(subtree(&nodes, id))
}

#[derive(sqlx::FromRow)]
struct QueueRecord {
    id: i64,
    listing_id: i64,
    title: String,
    submitted_at: Option<i64>,
    sla_due_at: Option<i64>,
    risk: String,
    warning_count: i64,
    blocking_count: i64,
    organisation_id: i64,
    live_version_id: Option<i64>,
    seller_name: String,
}

impl QueueRecord {
    fn row(self, now: i64, sla_ms: i64) -> QueueRow {
        let due = self.sla_due_at.unwrap_or(now);
        QueueRow {
            version_id: self.id,
            listing_id: self.listing_id,
            title: self.title,
            seller_id: self.organisation_id,
            seller_name: self.seller_name,
            submitted_at_ms: self.submitted_at.unwrap_or(0),
            sla_due_at_ms: due,
            now_ms: now,
            sla_state: SlaState::of(due, now, sla_ms),
            risk: risk_of(&self.risk),
            warning_count: self.warning_count,
            blocking_count: self.blocking_count,
            re_review: self.live_version_id.is_some(),
        }
    }
}

async fn push_filters(sql: &mut Sql, state: &AppState, filter: &QueueFilter, now: i64) -> Result<(), AppError> {
    if let Some(risk) = filter.risk {
        sql.and_eq("v.risk", risk.as_str());
    }
    if let Some(s) = filter.sla {
        let (from, to) = s.due_range(now, state.settings().review_sla_ms);
        if let Some(from) = from {
            let p = sql.arg(from);
            sql.push(&format!(" AND v.sla_due_at >= {p}"));
        }
        if let Some(to) = to {
            let p = sql.arg(to);
            sql.push(&format!(" AND v.sla_due_at < {p}"));
        }
    }
    if let Some(seller) = filter.seller {
        sql.and_eq("l.organisation_id", seller);
    }
    if let Some(category) = filter.category {
        let ids = category_ids(state, category).await?;
        let ids = sql.list(ids.iter().copied());
        sql.push(&format!(" AND v.category_id IN ({ids})"));
    }
    match filter.kind {
        None => {}
        Some(ReviewKind::New) => {
            sql.push(" AND l.live_version_id IS NULL");
        }
        Some(ReviewKind::ReReview) => {
            sql.push(" AND l.live_version_id IS NOT NULL");
        }
    }
    Ok(())
}

pub async fn list_queue(
    state: &AppState,
    filter: &QueueFilter,
    cursor: Option<&str>,
) -> Result<Page<QueueRow>, AppError> {
    let size = page_size(None);
    let now = state.now_ms();
    let mut sql = Sql::new(
        state.db.backend,
        &format!(
            "SELECT v.id, v.listing_id, v.title, v.submitted_at, v.sla_due_at, v.risk, v.warning_count, \
             v.blocking_count, l.organisation_id, l.live_version_id, o.name AS seller_name, {RISK_RANK} AS risk_rank \
             FROM listing_versions v JOIN listings l ON l.id = v.listing_id \
             JOIN organisations o ON o.id = l.organisation_id WHERE v.status = 'pending_review'"
        ),
    );
    push_filters(&mut sql, state, filter, now).await?;
    if let Some(key) = QueueKey::parse_cursor(cursor) {
        // The leading `>=` lets both databases walk the (status, sla_due_at) index from the cursor.
        let (d, r, id) = (sql.arg(key.due_at_ms), sql.arg(key.risk.rank()), sql.arg(key.version_id));
        sql.push(&format!(
            " AND v.sla_due_at >= {d} AND (v.sla_due_at > {d} OR {RISK_RANK} < {r} OR ({RISK_RANK} = {r} AND v.id > {id}))"
        ));
    }
    order_limit(&mut sql, &format!("v.sla_due_at, {RISK_RANK} DESC, v.id"), size);
    let records: Vec<QueueRecord> =
        sql.query_as().fetch_all(state.db.read()).await.context("listing the review queue")?;
    let sla_ms = state.settings().review_sla_ms;
    let rows: Vec<QueueRow> = records.into_iter().map(|r| r.row(now, sla_ms)).collect();
    Ok(Page::from_overfetch(rows, size, |row| {
        QueueKey { due_at_ms: row.sla_due_at_ms, risk: row.risk, version_id: row.version_id }.cursor()
    }))
}

#[derive(sqlx::FromRow)]
struct CounterRecord {
    to_review: i64,
    pressure: Option<i64>,
    overdue: Option<i64>,
    high_risk: Option<i64>,
    warnings: Option<i64>,
    decidable: Option<i64>,
}

pub async fn counters(state: &AppState) -> Result<QueueCounters, AppError> {
    let now = state.now_ms();
    let pressure_until = now + state.settings().review_sla_ms / crate::domain::review::PRESSURE_DIVISOR;
    let db = state.db.read();
    let r: CounterRecord = sqlx::query_as(
        "SELECT COUNT(*) AS to_review, \
         SUM(CASE WHEN sla_due_at <= $1 THEN 1 ELSE 0 END) AS pressure, \
         SUM(CASE WHEN sla_due_at < $2 THEN 1 ELSE 0 END) AS overdue, \
         SUM(CASE WHEN risk = 'high' THEN 1 ELSE 0 END) AS high_risk, \
         SUM(CASE WHEN warning_count > 0 THEN 1 ELSE 0 END) AS warnings, \
         SUM(CASE WHEN blocking_count = 0 THEN 1 ELSE 0 END) AS decidable \
         FROM listing_versions WHERE status = 'pending_review'",
    )
    .bind(pressure_until)
    .bind(now)
    .fetch_one(db)
    .await
    .context("counting the review queue")?;
    let blocked: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM listing_versions WHERE status = 'blocked' AND decided_at >= $1")
            .bind(now - BLOCKED_WINDOW_MS)
            .fetch_one(db)
            .await
            .context("counting blocked versions")?;
    Ok(QueueCounters {
        to_review: r.to_review,
        sla_pressure: r.pressure.unwrap_or(0),
        overdue: r.overdue.unwrap_or(0),
        blocked,
        high_risk: r.high_risk.unwrap_or(0),
        warnings: r.warnings.unwrap_or(0),
        decidable: r.decidable.unwrap_or(0),
    })
}
