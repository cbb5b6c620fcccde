//! Reading refunds as lists: an order's refunds (buyer, seller, console), the seller's refunds, the
//! console's queue and its counters. Rows are `RefundRecord`s (plain columns) turned into the
//! model's `RefundRow`.

use super::locked::corrupt;
use super::model::{OrderRefunds, RefundCounters, RefundRow, SellerFilter, MAX_REFUNDS_PER_ORDER};
use super::queries::{blocked, open_refund_of, order_id_of, refunded_of};
use crate::disputes::queries::open_dispute_of;
use crate::domain::money::Currency;
use crate::domain::page::{page_size, parse_id_cursor, Page};
use crate::domain::refund::RefundStatus;
use crate::error::{AppError, Context};
use crate::orders::flow;
use crate::platform::sql::{after_id, contains, order_limit, Order, Sql};
use crate::platform::state::AppState;

const WEEK_MS: i64 = 7 * 86_400_000;

/// The list columns; every statement appends its condition after `WHERE `.
pub(super) const ROW_SELECT: &str = "SELECT r.id, r.status, r.currency, r.amount_minor, r.reason_code, \
     r.organisation_id, r.seller_response, r.respond_by, r.responded_at, r.settled_at, r.dispute_id, r.created_at, \
     o.number, org.name AS seller_name, u.display_name AS buyer_name \
     FROM refunds r JOIN orders o ON o.id = r.order_id JOIN organisations org ON org.id = r.organisation_id \
     JOIN users u ON u.id = r.buyer_id WHERE ";

/// A refund as selected by `ROW_SELECT`.
#[derive(sqlx::FromRow)]
pub(super) struct RefundRecord {
    id: i64,
    status: String,
    currency: String,
    amount_minor: i64,
    reason_code: String,
    organisation_id: i64,
    seller_response: String,
    respond_by: i64,
    responded_at: Option<i64>,
    settled_at: Option<i64>,
    dispute_id: Option<i64>,
    created_at: i64,
    number: String,
    seller_name: String,
    buyer_name: String,
}

impl RefundRecord {
    /// The row as read at `now`; the buyer's name only for the seller and the console.
    pub(super) fn row(self, now: i64, with_buyer: bool) -> Result<RefundRow, AppError> {
        Ok(RefundRow {
            id: self.id,
            order_number: self.number,
            overdue: self.status == RefundStatus::Requested.as_str() && self.respond_by <= now,
            currency: Currency::parse(&self.currency).ok_or_else(|| corrupt("currency", &self.currency))?,
            status: self.status,
            amount_minor: self.amount_minor,
            reason_code: self.reason_code,
            seller_name: self.seller_name,
            organisation_id: self.organisation_id,
            buyer_name: with_buyer.then_some(self.buyer_name),
            seller_response: self.seller_response,
            respond_by_ms: self.respond_by,
            responded_at_ms: self.responded_at,
            settled_at_ms: self.settled_at,
            dispute_id: self.dispute_id,
            created_at_ms: self.created_at,
            age_hours: (now - self.created_at).max(0) / 3_600_000,
        })
    }
}

fn rows(records: Vec<RefundRecord>, now: i64, with_buyer: bool) -> Result<Vec<RefundRow>, AppError> {
    records.into_iter().map(|r| r.row(now, with_buyer)).collect()
}

/// Who reads an order's refunds.
#[derive(Debug, Clone, Copy)]
pub enum Scope {
    Buyer(i64),
    /// The seller organisation, and whether the caller may answer (their role allows it).
    Seller {
        organisation_id: i64,
        may_answer: bool,
    },
    Console,
}

/// The refunds of order `number` for its buyer or its seller (anyone else: `NotFound`).
pub async fn order_refunds(state: &AppState, number: &str, scope: Scope) -> Result<OrderRefunds, AppError> {
    let mut conn = state.db.read().acquire().await.context("opening a read connection")?;
    let id = order_id_of(&mut conn, number).await?;
    let order = flow::read_order(&mut conn, id).await.context("reading the order")?;
    let with_buyer = match scope {
        Scope::Buyer(user) if user == order.buyer_id => false,
        Scope::Seller { organisation_id, .. } if organisation_id == order.organisation_id => true,
        Scope::Console => true,
        _ => return Err(AppError::NotFound),
    };
    let records: Vec<RefundRecord> =
        sqlx::query_as(&format!("{ROW_SELECT} r.order_id = $1 ORDER BY r.id DESC LIMIT $2"))
            .bind(id)
            .bind(MAX_REFUNDS_PER_ORDER)
            .fetch_all(&mut *conn)
            .await
            .context("listing the order's refunds")?;
    let rows = rows(records, state.now_ms(), with_buyer)?;
    let refunded = refunded_of(&mut conn, id).await?;
    let open_refund = open_refund_of(&mut conn, id).await?;
    let open_dispute = open_dispute_of(&mut conn, id).await?;
    Ok(OrderRefunds {
        order_number: order.number,
        can_request: blocked(order.status, open_refund, open_dispute).is_none(),
        refundable_minor: (order.total_minor - refunded).max(0),
        currency: order.currency,
        open_dispute_id: open_dispute,
        rows,
    })
}

/// The seller's refunds: open ones first, soonest deadline first; then answered ones, newest first.
/// Cursor `rank:key:id` over `(rank, key, id)` ascending, key = respond_by when open, -id otherwise.
pub async fn list_seller(
    state: &AppState,
    organisation_id: i64,
    status: Option<RefundStatus>,
    cursor: Option<&str>,
) -> Result<Page<RefundRow>, AppError> {
    const RANK: &str = "(CASE WHEN r.status = 'requested' THEN 0 ELSE 1 END)";
    const KEY: &str = "(CASE WHEN r.status = 'requested' THEN r.respond_by ELSE -r.id END)";
    let size = page_size(None);
    let mut sql = Sql::new(state.db.backend, ROW_SELECT);
    sql.push("1 = 1").and_eq("r.organisation_id", organisation_id);
    if let Some(s) = status {
        sql.and_eq("r.status", s.as_str());
    }
    if let Some((rank, key, id)) = parse_triple(cursor) {
        let (a, b, c) = (sql.arg(rank), sql.arg(key), sql.arg(id));
        sql.push(&format!(
            " AND ({RANK} > {a} OR ({RANK} = {a} AND {KEY} > {b}) OR ({RANK} = {a} AND {KEY} = {b} AND r.id > {c}))"
        ));
    }
    order_limit(&mut sql, &format!("{RANK}, {KEY}, r.id"), size);
    let records: Vec<RefundRecord> =
        sql.query_as().fetch_all(state.db.read()).await.context("listing the seller's refunds")?;
    let out = rows(records, state.now_ms(), true)?;
    Ok(Page::from_overfetch(out, size, |r| {
        let open = r.status == RefundStatus::Requested.as_str();
        format!("{}:{}:{}", if open { 0 } else { 1 }, if open { r.respond_by_ms } else { -r.id }, r.id)
    }))
}

fn parse_triple(cursor: Option<&str>) -> Option<(i64, i64, i64)> {
    let mut it = cursor?.trim().splitn(3, ':');
    Some((it.next()?.parse().ok()?, it.next()?.parse().ok()?, it.next()?.parse().ok()?))
}

/// The console's filter.
#[derive(Debug, Clone, Default)]
pub struct ConsoleFilter {
    pub status: Option<RefundStatus>,
    pub seller: Option<SellerFilter>,
    pub overdue_only: bool,
}

/// Every refund, oldest first (the queue's order), narrowed by the filter. Cursor: the last id.
pub async fn list_console(
    state: &AppState,
    f: &ConsoleFilter,
    cursor: Option<&str>,
) -> Result<Page<RefundRow>, AppError> {
    let size = page_size(None);
    let now = state.now_ms();
    let mut sql = Sql::new(state.db.backend, ROW_SELECT);
    sql.push("1 = 1");
    after_id(&mut sql, "r.id", Order::Asc, Some(parse_id_cursor(cursor).unwrap_or(0)));
    if let Some(s) = f.status {
        sql.and_eq("r.status", s.as_str());
    }
    match &f.seller {
        Some(SellerFilter::Id(id)) => {
            sql.and_eq("r.organisation_id", *id);
        }
        Some(SellerFilter::Name(name)) => contains(&mut sql, "org.name", name),
        None => {}
    }
    if f.overdue_only {
        let p = sql.arg(now);
        sql.push(&format!(" AND r.status = 'requested' AND r.respond_by <= {p}"));
    }
    order_limit(&mut sql, "r.id", size);
    let records: Vec<RefundRecord> =
        sql.query_as().fetch_all(state.db.read()).await.context("listing the refund queue")?;
    Ok(Page::from_overfetch(rows(records, now, true)?, size, |r| r.id.to_string()))
}

/// The refunds settled in the last 7 days in one currency.
#[derive(sqlx::FromRow)]
struct Refunded {
    n: i64,
    total: i64,
}

/// The console's counters: waiting for the seller, overdue answers, refunded in the last 7 days
/// (count and amount in the platform's currency).
pub async fn counters(state: &AppState) -> Result<RefundCounters, AppError> {
    let now = state.now_ms();
    let db = state.db.read();
    let waiting: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM refunds WHERE status = 'requested'")
        .fetch_one(db)
        .await
        .context("counting the waiting refunds")?;
    let overdue: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM refunds WHERE status = 'requested' AND respond_by <= $1")
            .bind(now)
            .fetch_one(db)
            .await
            .context("counting the overdue refunds")?;
    let currency = state.settings().currency;
    let week: Refunded = sqlx::query_as(
        "SELECT COUNT(*) AS n, CAST(COALESCE(SUM(amount_minor), 0) AS BIGINT) AS total FROM refunds \
         WHERE status = 'refunded' AND settled_at >= $1 AND currency = $2",
    )
    .bind(now - WEEK_MS)
    .bind(currency.code())
    .fetch_one(db)
    .await
    .context("summing the week's refunds")?;
    Ok(RefundCounters { waiting, overdue, refunded_week: week.n, currency, refunded_week_minor: week.total })
}
