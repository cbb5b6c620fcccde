//! Order queries (buyer, seller, console) and the buyer's and seller's actions. Each action is one
//! transaction: `flow::transition` (status, timeline, timers, stock, ledger, notifications), the
//! action's own fields, and its audit record.

use super::flow;
use super::model::{
    parse_seller_cursor, ConsoleFilter, LedgerEntryLine, OrderDetail, OrderEvent, OrderLine, OrderRow, PaymentInfo,
    PostingLine, Viewer,
};
use crate::domain::address::Address;
use crate::domain::money::Currency;
use crate::domain::order::{OrderAction, OrderStatus};
use crate::domain::page::{page_size, parse_id_cursor, Page};
use crate::error::AppError;
use crate::platform::audit_log::{self, Actor, AuditEntry};
use crate::platform::caller::{Caller, RequestMeta};
use crate::platform::db::Backend;
use crate::platform::sql::contains_pattern;
use crate::platform::state::AppState;
use serde_json::json;
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::{Any, Row};

/// Timeline rows shown per order (an order has a handful; the cap bounds a pathological one).
const MAX_EVENTS: i64 = 200;
const MAX_LINES: i64 = 200;

enum Arg {
    Int(i64),
    Text(String),
}

/// SQL assembled from optional filters, numbering its `$n` placeholders as arguments are added.
struct Sql {
    text: String,
    args: Vec<Arg>,
}

impl Sql {
    fn new(text: &str) -> Sql {
        Sql { text: text.to_string(), args: vec![] }
    }

    fn arg(&mut self, arg: Arg) -> String {
        self.args.push(arg);
        format!("${}", self.args.len())
    }

    fn push(&mut self, sql: &str) {
        self.text.push_str(sql);
    }

    fn query(&self) -> sqlx::query::Query<'_, Any, AnyArguments<'_>> {
        self.args.iter().fold(sqlx::query(&self.text), |q, a| match a {
            Arg::Int(i) => q.bind(*i),
            Arg::Text(s) => q.bind(s.clone()),
        })
    }
}

fn contains(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "LIKE",
        Backend::Postgres => "ILIKE",
    }
}

const LIST_SELECT: &str =
    "SELECT o.id, o.number, o.status, o.overdue, o.currency, o.total_minor, o.created_at, o.ship_by, \
     org.name AS seller_name, u.email AS buyer_email, \
     (SELECT CAST(COALESCE(SUM(l.quantity), 0) AS BIGINT) FROM order_lines l WHERE l.order_id = o.id) AS items, \
     (SELECT l.title FROM order_lines l WHERE l.order_id = o.id ORDER BY l.id LIMIT 1) AS first_title \
     FROM orders o JOIN organisations org ON org.id = o.organisation_id JOIN users u ON u.id = o.buyer_id WHERE ";

fn currency_of(r: &AnyRow) -> Result<Currency, AppError> {
    let c: String = r.try_get("currency")?;
    Currency::parse(&c).ok_or_else(|| AppError::internal(format!("order with an unknown currency: currency={c}")))
}

fn row_of(r: &AnyRow, with_buyer: bool) -> Result<OrderRow, AppError> {
    Ok(OrderRow {
        id: r.try_get("id")?,
        number: r.try_get("number")?,
        status: r.try_get("status")?,
        overdue: r.try_get::<i64, _>("overdue")? != 0,
        currency: currency_of(r)?,
        total_minor: r.try_get("total_minor")?,
        items: r.try_get("items")?,
        first_title: r.try_get::<Option<String>, _>("first_title")?.unwrap_or_default(),
        seller_name: r.try_get("seller_name")?,
        buyer_email: if with_buyer { Some(r.try_get("buyer_email")?) } else { None },
        created_at_ms: r.try_get("created_at")?,
        ship_by_ms: r.try_get("ship_by")?,
    })
}

/// The buyer's orders, newest first.
pub async fn list_buyer(
    state: &AppState,
    buyer_id: i64,
    status: Option<OrderStatus>,
    cursor: Option<&str>,
) -> Result<Page<OrderRow>, AppError> {
    let size = page_size(None);
    let mut sql = Sql::new(LIST_SELECT);
    let b = sql.arg(Arg::Int(buyer_id));
    let before = sql.arg(Arg::Int(parse_id_cursor(cursor).unwrap_or(i64::MAX)));
    sql.push(&format!("o.buyer_id = {b} AND o.id < {before}"));
    if let Some(s) = status {
        let p = sql.arg(Arg::Text(s.as_str().into()));
        sql.push(&format!(" AND o.status = {p}"));
    }
    let limit = sql.arg(Arg::Int(size as i64 + 1));
    sql.push(&format!(" ORDER BY o.id DESC LIMIT {limit}"));
    let rows = sql.query().fetch_all(state.db.read()).await?;
    let out = rows.iter().map(|r| row_of(r, false)).collect::<Result<Vec<_>, _>>()?;
    Ok(Page::from_overfetch(out, size, |o| o.id.to_string()))
}

/// The seller's orders: overdue ones first, then newest first.
pub async fn list_seller(
    state: &AppState,
    organisation_id: i64,
    status: Option<OrderStatus>,
    cursor: Option<&str>,
) -> Result<Page<OrderRow>, AppError> {
    let size = page_size(None);
    let mut sql = Sql::new(LIST_SELECT);
    let org = sql.arg(Arg::Int(organisation_id));
    sql.push(&format!("o.organisation_id = {org}"));
    if let Some((overdue, id)) = parse_seller_cursor(cursor) {
        let o = sql.arg(Arg::Int(overdue));
        let i = sql.arg(Arg::Int(id));
        sql.push(&format!(" AND (o.overdue < {o} OR (o.overdue = {o} AND o.id < {i}))"));
    }
    if let Some(s) = status {
        let p = sql.arg(Arg::Text(s.as_str().into()));
        sql.push(&format!(" AND o.status = {p}"));
    }
    let limit = sql.arg(Arg::Int(size as i64 + 1));
    sql.push(&format!(" ORDER BY o.overdue DESC, o.id DESC LIMIT {limit}"));
    let rows = sql.query().fetch_all(state.db.read()).await?;
    let out = rows.iter().map(|r| row_of(r, false)).collect::<Result<Vec<_>, _>>()?;
    Ok(Page::from_overfetch(out, size, |o| format!("{}:{}", o.overdue as i64, o.id)))
}

/// Every order, newest first, narrowed by the console's filter.
pub async fn list_console(
    state: &AppState,
    f: &ConsoleFilter,
    cursor: Option<&str>,
) -> Result<Page<OrderRow>, AppError> {
    let size = page_size(None);
    let mut sql = Sql::new(LIST_SELECT);
    let before = sql.arg(Arg::Int(parse_id_cursor(cursor).unwrap_or(i64::MAX)));
    sql.push(&format!("o.id < {before}"));
    if let Some(s) = f.status {
        let p = sql.arg(Arg::Text(s.as_str().into()));
        sql.push(&format!(" AND o.status = {p}"));
    }
    if let Some(id) = f.seller_id {
        let p = sql.arg(Arg::Int(id));
        sql.push(&format!(" AND o.organisation_id = {p}"));
    }
    let op = contains(state.db.backend);
    if let Some(name) = &f.seller_name {
        let p = sql.arg(Arg::Text(contains_pattern(name)));
        sql.push(&format!(" AND org.name {op} {p} ESCAPE '\\'"));
    }
    if let Some(buyer) = &f.buyer {
        let p = sql.arg(Arg::Text(contains_pattern(buyer)));
        sql.push(&format!(" AND u.email {op} {p} ESCAPE '\\'"));
    }
    if let Some(from) = f.from_ms {
        let p = sql.arg(Arg::Int(from));
        sql.push(&format!(" AND o.created_at >= {p}"));
    }
    if let Some(to) = f.to_ms {
        let p = sql.arg(Arg::Int(to));
        sql.push(&format!(" AND o.created_at < {p}"));
    }
    if let Some(min) = f.min_minor {
        let p = sql.arg(Arg::Int(min));
        sql.push(&format!(" AND o.total_minor >= {p}"));
    }
    if let Some(max) = f.max_minor {
        let p = sql.arg(Arg::Int(max));
        sql.push(&format!(" AND o.total_minor <= {p}"));
    }
    if f.overdue_only {
        sql.push(" AND o.overdue = 1");
    }
    let limit = sql.arg(Arg::Int(size as i64 + 1));
    sql.push(&format!(" ORDER BY o.id DESC LIMIT {limit}"));
    let rows = sql.query().fetch_all(state.db.read()).await?;
    let out = rows.iter().map(|r| row_of(r, true)).collect::<Result<Vec<_>, _>>()?;
    Ok(Page::from_overfetch(out, size, |o| o.id.to_string()))
}

/// Whose order may be read: the buyer's own, the seller's own, or any (console).
#[derive(Debug, Clone, Copy)]
pub enum Scope {
    Buyer(i64),
    Seller(i64),
    Console { ledger: bool },
}

/// One order by number, within `scope`; an order outside it is `NotFound` (never "forbidden", so
/// numbers of other people's orders cannot be probed).
pub async fn detail(state: &AppState, number: &str, scope: Scope) -> Result<OrderDetail, AppError> {
    let db = state.db.read();
    let r = sqlx::query(
        "SELECT o.*, org.name AS seller_name, org.owner_user_id, u.display_name AS buyer_name, u.email AS buyer_email \
         FROM orders o JOIN organisations org ON org.id = o.organisation_id JOIN users u ON u.id = o.buyer_id \
         WHERE o.number = $1",
    )
    .bind(number)
    .fetch_optional(db)
    .await?
    .ok_or(AppError::NotFound)?;
    let id: i64 = r.try_get("id")?;
    let buyer_id: i64 = r.try_get("buyer_id")?;
    let organisation_id: i64 = r.try_get("organisation_id")?;
    let viewer = match scope {
        Scope::Buyer(user) if user == buyer_id => Viewer::Buyer,
        Scope::Seller(org) if org == organisation_id => Viewer::Seller,
        Scope::Console { .. } => Viewer::Console,
        _ => return Err(AppError::NotFound),
    };
    let private = viewer != Viewer::Buyer;
    let checkout_id: i64 = r.try_get("checkout_id")?;
    let address_json: String = r.try_get("address_json")?;
    let address: Address = serde_json::from_str(&address_json).unwrap_or_else(|e| {
        tracing::error!(order_id = id, error = %e, "order address does not parse");
        Address::default()
    });
    let lines = sqlx::query(
        "SELECT listing_id, title, variant_label, sku, unit_price_minor, quantity, line_total_minor, commission_rule_id, \
         commission_minor FROM order_lines WHERE order_id = $1 ORDER BY id LIMIT $2",
    )
    .bind(id)
    .bind(MAX_LINES)
    .fetch_all(db)
    .await?
    .iter()
    .map(|l| {
        Ok(OrderLine {
            listing_id: l.try_get("listing_id")?,
            title: l.try_get("title")?,
            variant_label: l.try_get("variant_label")?,
            sku: l.try_get("sku")?,
            unit_price_minor: l.try_get("unit_price_minor")?,
            quantity: l.try_get("quantity")?,
            line_total_minor: l.try_get("line_total_minor")?,
            commission_minor: if private { Some(l.try_get("commission_minor")?) } else { None },
            commission_rule_id: if private { Some(l.try_get("commission_rule_id")?) } else { None },
        })
    })
    .collect::<Result<Vec<_>, AppError>>()?;
    let events = events(state, id, buyer_id, organisation_id, viewer == Viewer::Console).await?;
    let payment = sqlx::query(
        "SELECT id, provider, status, amount_minor, reference, decided_at, decision_reason FROM payments \
         WHERE checkout_id = $1 ORDER BY id DESC LIMIT 1",
    )
    .bind(checkout_id)
    .fetch_optional(db)
    .await?
    .map(|p| -> Result<PaymentInfo, AppError> {
        Ok(PaymentInfo {
            id: p.try_get("id")?,
            provider: p.try_get("provider")?,
            status: p.try_get("status")?,
            amount_minor: p.try_get("amount_minor")?,
            reference: p.try_get("reference")?,
            decided_at_ms: p.try_get("decided_at")?,
            decision_reason: p.try_get("decision_reason")?,
        })
    })
    .transpose()?;
    let postings = match scope {
        Scope::Console { ledger: true } => Some(postings(state, id, checkout_id).await?),
        _ => None,
    };
    Ok(OrderDetail {
        id,
        number: r.try_get("number")?,
        checkout_id,
        status: r.try_get("status")?,
        overdue: r.try_get::<i64, _>("overdue")? != 0,
        currency: currency_of(&r)?,
        items_minor: r.try_get("items_minor")?,
        shipping_minor: r.try_get("shipping_minor")?,
        total_minor: r.try_get("total_minor")?,
        commission_minor: if private { Some(r.try_get("commission_minor")?) } else { None },
        address,
        seller_name: r.try_get("seller_name")?,
        organisation_id,
        buyer_name: if private { Some(r.try_get("buyer_name")?) } else { None },
        buyer_email: if viewer == Viewer::Console { Some(r.try_get("buyer_email")?) } else { None },
        carrier: r.try_get("carrier")?,
        tracking_number: r.try_get("tracking_number")?,
        created_at_ms: r.try_get("created_at")?,
        pay_by_ms: r.try_get("pay_by")?,
        paid_at_ms: r.try_get("paid_at")?,
        ship_by_ms: r.try_get("ship_by")?,
        shipped_at_ms: r.try_get("shipped_at")?,
        complete_by_ms: r.try_get("complete_by")?,
        completed_at_ms: r.try_get("completed_at")?,
        cancelled_at_ms: r.try_get("cancelled_at")?,
        lines,
        events,
        payment,
        postings,
        viewer,
    })
}

async fn events(
    state: &AppState,
    order_id: i64,
    buyer_id: i64,
    organisation_id: i64,
    with_email: bool,
) -> Result<Vec<OrderEvent>, AppError> {
    let rows = sqlx::query(
        "SELECT e.id, e.from_status, e.to_status, e.action, e.actor_id, e.at, e.note, u.email AS actor_email, \
         (SELECT COUNT(*) FROM organisation_members m WHERE m.organisation_id = $2 AND m.user_id = e.actor_id) \
           + (SELECT COUNT(*) FROM organisations g WHERE g.id = $2 AND g.owner_user_id = e.actor_id) AS seller_member \
         FROM order_events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.order_id = $1 ORDER BY e.id LIMIT $3",
    )
    .bind(order_id)
    .bind(organisation_id)
    .bind(MAX_EVENTS)
    .fetch_all(state.db.read())
    .await?;
    rows.iter()
        .map(|e| {
            let actor_id: Option<i64> = e.try_get("actor_id")?;
            let seller_member: i64 = e.try_get("seller_member")?;
            let actor_role = match actor_id {
                None => "system",
                Some(a) if a == buyer_id => "buyer",
                Some(_) if seller_member > 0 => "seller",
                Some(_) => "platform",
            };
            Ok(OrderEvent {
                id: e.try_get("id")?,
                from_status: e.try_get("from_status")?,
                to_status: e.try_get("to_status")?,
                action: e.try_get("action")?,
                actor_role: actor_role.to_string(),
                actor: if with_email { e.try_get("actor_email")? } else { None },
                at_ms: e.try_get("at")?,
                note: e.try_get("note")?,
            })
        })
        .collect()
}

/// The ledger postings of the order and of its checkout (the payment), with their entries.
async fn postings(state: &AppState, order_id: i64, checkout_id: i64) -> Result<Vec<PostingLine>, AppError> {
    let db = state.db.read();
    let rows = sqlx::query(
        "SELECT p.id, p.kind, p.idempotency_key, p.at, p.memo, a.code, e.amount_minor FROM ledger_postings p \
         JOIN ledger_entries e ON e.posting_id = p.id JOIN ledger_accounts a ON a.id = e.account_id \
         WHERE p.order_id = $1 OR (p.order_id IS NULL AND p.checkout_id = $2) ORDER BY p.id, e.id LIMIT 500",
    )
    .bind(order_id)
    .bind(checkout_id)
    .fetch_all(db)
    .await?;
    let mut out: Vec<PostingLine> = vec![];
    for r in &rows {
        let id: i64 = r.try_get("id")?;
        if out.last().map(|p| p.id) != Some(id) {
            out.push(PostingLine {
                id,
                kind: r.try_get("kind")?,
                key: r.try_get("idempotency_key")?,
                at_ms: r.try_get("at")?,
                memo: r.try_get("memo")?,
                entries: vec![],
            });
        }
        if let Some(p) = out.last_mut() {
            p.entries.push(LedgerEntryLine { account: r.try_get("code")?, amount_minor: r.try_get("amount_minor")? });
        }
    }
    Ok(out)
}

async fn order_id_of(conn: &mut sqlx::AnyConnection, number: &str) -> Result<i64, AppError> {
    sqlx::query_scalar("SELECT id FROM orders WHERE number = $1")
        .bind(number)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(AppError::NotFound)
}

#[allow(clippy::too_many_arguments)]
async fn audit(
    conn: &mut sqlx::AnyConnection,
    caller: &Caller,
    meta: &RequestMeta,
    now: i64,
    action: &str,
    order_id: i64,
    before: serde_json::Value,
    after: serde_json::Value,
) -> Result<(), AppError> {
    audit_log::record(
        conn,
        &Actor::of(caller),
        meta,
        now,
        AuditEntry {
            action,
            target_type: "order",
            target_id: order_id.to_string(),
            before,
            after,
            reason: "",
            result: "ok",
        },
    )
    .await?;
    Ok(())
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
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    let id = order_id_of(&mut tx, number).await?;
    let order = flow::lock_order(&mut tx, id).await?;
    if order.organisation_id != organisation_id {
        return Err(AppError::NotFound);
    }
    flow::transition(&mut tx, state, id, OrderAction::Ship, Some(caller.user_id), "").await?;
    sqlx::query("UPDATE orders SET carrier = $1, tracking_number = $2 WHERE id = $3")
        .bind(carrier)
        .bind(tracking)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    audit(
        &mut tx,
        caller,
        meta,
        now,
        "orders.ship",
        id,
        json!({"status": order.status.as_str()}),
        json!({"status": "shipped", "carrier": carrier, "tracking_number": tracking}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The buyer acts on their own order: confirm receipt (shipped) or cancel (unpaid).
pub async fn buyer_action(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    number: &str,
    action: OrderAction,
) -> Result<(), AppError> {
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    let id = order_id_of(&mut tx, number).await?;
    let order = flow::lock_order(&mut tx, id).await?;
    if order.buyer_id != caller.user_id {
        return Err(AppError::NotFound);
    }
    let (verb, note) = match action {
        OrderAction::Confirm => ("orders.confirm", "orders.note.buyer_confirmed"),
        OrderAction::Cancel => ("orders.cancel", "orders.note.buyer_cancelled"),
        _ => return Err(AppError::Forbidden),
    };
    let to = flow::transition(&mut tx, state, id, action, Some(caller.user_id), note).await?;
    audit(
        &mut tx,
        caller,
        meta,
        now,
        verb,
        id,
        json!({"status": order.status.as_str()}),
        json!({"status": to.as_str()}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
