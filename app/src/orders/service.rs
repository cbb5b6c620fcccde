//! Order lists (buyer, seller, console) and the buyer's and seller's actions. Each action is one
//! `Change`: the order's lock, `flow::transition` (status, timeline, timers, stock, ledger,
//! notifications and the audit entry), and the action's own fields.

use super::flow::{self, Audited, Step};
use super::model::{parse_seller_cursor, ConsoleFilter, OrderRow};
use crate::domain::audit::AuditAction;
use crate::domain::money::Currency;
use crate::domain::order::{OrderAction, OrderStatus};
use crate::domain::page::{page_size, parse_id_cursor, Page};
use crate::error::{AppError, Context};
use crate::platform::caller::{Caller, RequestMeta};
use crate::platform::change::Change;
use crate::platform::sql::{after_id, after_pair, contains, order_limit, Order, Sql};
use crate::platform::state::AppState;
use serde_json::json;

pub use super::detail::{detail, Scope};

const LIST_SELECT: &str =
    "SELECT o.id, o.number, o.status, o.overdue, o.currency, o.total_minor, o.created_at, o.ship_by, \
     org.name AS seller_name, u.email AS buyer_email, \
     (SELECT CAST(COALESCE(SUM(l.quantity), 0) AS BIGINT) FROM order_lines l WHERE l.order_id = o.id) AS items, \
     (SELECT l.title FROM order_lines l WHERE l.order_id = o.id ORDER BY l.id LIMIT 1) AS first_title \
     FROM orders o JOIN organisations org ON org.id = o.organisation_id JOIN users u ON u.id = o.buyer_id WHERE 1 = 1";

/// A list row as selected by `LIST_SELECT`.
#[derive(sqlx::FromRow)]
struct RowRecord {
    id: i64,
    number: String,
    status: String,
    overdue: i64,
    currency: String,
    total_minor: i64,
    created_at: i64,
    ship_by: Option<i64>,
    seller_name: String,
    buyer_email: String,
    items: i64,
    first_title: Option<String>,
}

impl RowRecord {
    /// The buyer's email is the console's to see only.
    fn row(self, with_buyer: bool) -> Result<OrderRow, AppError> {
        Ok(OrderRow {
            id: self.id,
            number: self.number,
            status: self.status,
            overdue: self.overdue != 0,
            currency: Currency::parse(&self.currency).ok_or_else(|| {
                AppError::internal(format!("order with an unknown currency: currency={}", self.currency))
            })?,
            total_minor: self.total_minor,
            items: self.items,
            first_title: self.first_title.unwrap_or_default(),
            seller_name: self.seller_name,
            buyer_email: with_buyer.then_some(self.buyer_email),
            created_at_ms: self.created_at,
            ship_by_ms: self.ship_by,
        })
    }
}

async fn fetch_rows(state: &AppState, sql: &Sql, with_buyer: bool) -> Result<Vec<OrderRow>, AppError> {
    let records: Vec<RowRecord> = sql.query_as().fetch_all(state.db.read()).await.context("listing orders")?;
    records.into_iter().map(|r| r.row(with_buyer)).collect()
}

/// The buyer's orders, newest first.
pub async fn list_buyer(
    state: &AppState,
    buyer_id: i64,
    status: Option<OrderStatus>,
    cursor: Option<&str>,
) -> Result<Page<OrderRow>, AppError> {
    let size = page_size(None);
    let mut sql = Sql::new(state.db.backend, LIST_SELECT);
    sql.and_eq("o.buyer_id", buyer_id);
    after_id(&mut sql, "o.id", Order::Desc, parse_id_cursor(cursor));
    if let Some(s) = status {
        sql.and_eq("o.status", s.as_str());
    }
    order_limit(&mut sql, "o.id DESC", size);
    let rows = fetch_rows(state, &sql, false).await?;
    Ok(Page::from_overfetch(rows, size, |o| o.id.to_string()))
}

/// The seller's orders: overdue ones first, then newest first.
pub async fn list_seller(
    state: &AppState,
    organisation_id: i64,
    status: Option<OrderStatus>,
    cursor: Option<&str>,
) -> Result<Page<OrderRow>, AppError> {
    let size = page_size(None);
    let mut sql = Sql::new(state.db.backend, LIST_SELECT);
    sql.and_eq("o.organisation_id", organisation_id);
    after_pair(&mut sql, "o.overdue", "o.id", Order::Desc, parse_seller_cursor(cursor));
    if let Some(s) = status {
        sql.and_eq("o.status", s.as_str());
    }
    order_limit(&mut sql, "o.overdue DESC, o.id DESC", size);
    let rows = fetch_rows(state, &sql, false).await?;
    Ok(Page::from_overfetch(rows, size, |o| format!("{}:{}", o.overdue as i64, o.id)))
}

/// ` AND <column> <op> $n` for an optional bound.
fn and_cmp(sql: &mut Sql, column: &str, op: &str, value: Option<i64>) {
    if let Some(v) = value {
        let p = sql.arg(v);
        sql.push(&format!(" AND {column} {op} {p}"));
    }
}

/// Every order, newest first, narrowed by the console's filter.
pub async fn list_console(
    state: &AppState,
    f: &ConsoleFilter,
    cursor: Option<&str>,
) -> Result<Page<OrderRow>, AppError> {
    let size = page_size(None);
    let mut sql = Sql::new(state.db.backend, LIST_SELECT);
    after_id(&mut sql, "o.id", Order::Desc, parse_id_cursor(cursor));
    if let Some(s) = f.status {
        sql.and_eq("o.status", s.as_str());
    }
    if let Some(id) = f.seller_id {
        sql.and_eq("o.organisation_id", id);
    }
    if let Some(name) = &f.seller_name {
        contains(&mut sql, "org.name", name);
    }
    if let Some(buyer) = &f.buyer {
        contains(&mut sql, "u.email", buyer);
    }
    and_cmp(&mut sql, "o.created_at", ">=", f.from_ms);
    and_cmp(&mut sql, "o.created_at", "<", f.to_ms);
    and_cmp(&mut sql, "o.total_minor", ">=", f.min_minor);
    and_cmp(&mut sql, "o.total_minor", "<=", f.max_minor);
    if f.overdue_only {
        sql.push(" AND o.overdue = 1");
    }
    order_limit(&mut sql, "o.id DESC", size);
    let rows = fetch_rows(state, &sql, true).await?;
    Ok(Page::from_overfetch(rows, size, |o| o.id.to_string()))
}

async fn order_id_of(c: &mut Change, number: &str) -> Result<i64, AppError> {
    sqlx::query_scalar("SELECT id FROM orders WHERE number = $1")
        .bind(number)
        .fetch_optional(c.conn())
        .await
        .context("finding the order by number")?
        .ok_or(AppError::NotFound)
}

/// The seller ships a paid order of their own organisation with a carrier and tracking number.
pub async fn ship(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    organisation_id: i64,
    number: &str,
    carrier: &str,
    tracking: &str,
) -> Result<(), AppError> {
    let mut c = Change::by_caller(state, caller, meta).await?;
    let id = order_id_of(&mut c, number).await?;
    let order = flow::lock(&mut c, id).await?;
    if order.organisation_id != organisation_id {
        return Err(AppError::NotFound);
    }
    let shipment = json!({"carrier": carrier, "tracking_number": tracking});
    let step = Step {
        action: OrderAction::Ship,
        actor: Some(caller.user_id),
        note: "",
        audit: Audited::As(AuditAction::OrdersShip, shipment),
    };
    flow::transition(&mut c, &order, step).await?;
    sqlx::query("UPDATE orders SET carrier = $1, tracking_number = $2 WHERE id = $3")
        .bind(carrier)
        .bind(tracking)
        .bind(id)
        .execute(c.conn())
        .await
        .context("recording the shipment")?;
    c.commit().await
}

/// The buyer acts on their own order: confirm receipt (shipped) or cancel (unpaid).
pub async fn buyer_action(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    number: &str,
    action: OrderAction,
) -> Result<(), AppError> {
    let mut c = Change::by_caller(state, caller, meta).await?;
    let id = order_id_of(&mut c, number).await?;
    let order = flow::lock_for(&mut c, id, action).await?;
    if order.buyer_id != caller.user_id {
        return Err(AppError::NotFound);
    }
    let (audit, note) = match action {
        OrderAction::Confirm => (AuditAction::OrdersConfirm, "orders.note.buyer_confirmed"),
        OrderAction::Cancel => (AuditAction::OrdersCancel, "orders.note.buyer_cancelled"),
        _ => return Err(AppError::Forbidden),
    };
    let step = Step { action, actor: Some(caller.user_id), note, audit: Audited::As(audit, json!({})) };
    flow::transition(&mut c, &order, step).await?;
    c.commit().await
}
