//! One order as its buyer, its seller or the console sees it: the order, its lines, its timeline,
//! its payment and (console with `ledger.view`) its ledger postings. What each viewer may see is
//! decided here, once.

use super::model::{LedgerEntryLine, OrderDetail, OrderEvent, OrderLine, PaymentInfo, PostingLine, Viewer};
use crate::domain::address::Address;
use crate::domain::money::Currency;
use crate::error::{AppError, Context};
use crate::platform::state::AppState;

/// Timeline rows shown per order (an order has a handful; the cap bounds a pathological one).
const MAX_EVENTS: i64 = 200;
const MAX_LINES: i64 = 200;

/// Whose order may be read: the buyer's own, the seller's own, or any (console).
#[derive(Debug, Clone, Copy)]
pub enum Scope {
    Buyer(i64),
    Seller(i64),
    Console { ledger: bool },
}

/// The order row with its seller's and buyer's names.
#[derive(sqlx::FromRow)]
struct OrderRecord {
    id: i64,
    number: String,
    checkout_id: i64,
    buyer_id: i64,
    organisation_id: i64,
    status: String,
    overdue: i64,
    currency: String,
    items_minor: i64,
    shipping_minor: i64,
    total_minor: i64,
    commission_minor: i64,
    address_json: String,
    seller_name: String,
    buyer_name: String,
    buyer_email: String,
    carrier: String,
    tracking_number: String,
    created_at: i64,
    pay_by: i64,
    paid_at: Option<i64>,
    ship_by: Option<i64>,
    shipped_at: Option<i64>,
    complete_by: Option<i64>,
    completed_at: Option<i64>,
    cancelled_at: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct LineRecord {
    listing_id: i64,
    title: String,
    variant_label: String,
    sku: String,
    unit_price_minor: i64,
    quantity: i64,
    line_total_minor: i64,
    commission_rule_id: i64,
    commission_minor: i64,
}

impl LineRecord {
    /// Commissions are the seller's and the platform's business, not the buyer's.
    fn line(self, private: bool) -> OrderLine {
        OrderLine {
            listing_id: self.listing_id,
            title: self.title,
            variant_label: self.variant_label,
            sku: self.sku,
            unit_price_minor: self.unit_price_minor,
            quantity: self.quantity,
            line_total_minor: self.line_total_minor,
            commission_minor: private.then_some(self.commission_minor),
            commission_rule_id: private.then_some(self.commission_rule_id),
        }
    }
}

#[derive(sqlx::FromRow)]
struct EventRecord {
    id: i64,
    from_status: String,
    to_status: String,
    action: String,
    actor_id: Option<i64>,
    at: i64,
    note: String,
    actor_email: Option<String>,
    seller_member: i64,
}

#[derive(sqlx::FromRow)]
struct EntryRecord {
    id: i64,
    kind: String,
    idempotency_key: String,
    at: i64,
    memo: String,
    code: String,
    amount_minor: i64,
}

const SELECT_ORDER: &str = "SELECT o.id, o.number, o.checkout_id, o.buyer_id, o.organisation_id, o.status, o.overdue, \
     o.currency, o.items_minor, o.shipping_minor, o.total_minor, o.commission_minor, o.address_json, o.carrier, \
     o.tracking_number, o.created_at, o.pay_by, o.paid_at, o.ship_by, o.shipped_at, o.complete_by, o.completed_at, \
     o.cancelled_at, org.name AS seller_name, u.display_name AS buyer_name, u.email AS buyer_email \
     FROM orders o JOIN organisations org ON org.id = o.organisation_id JOIN users u ON u.id = o.buyer_id \
     WHERE o.number = $1";

/// One order by number, within `scope`; an order outside it is `NotFound` (never "forbidden", so
/// numbers of other people's orders cannot be probed).
pub async fn detail(state: &AppState, number: &str, scope: Scope) -> Result<OrderDetail, AppError> {
    let r: OrderRecord = sqlx::query_as(SELECT_ORDER)
        .bind(number)
        .fetch_optional(state.db.read())
        .await
        .context("loading the order")?
        .ok_or(AppError::NotFound)?;
    let viewer = match scope {
        Scope::Buyer(user) if user == r.buyer_id => Viewer::Buyer,
        Scope::Seller(org) if org == r.organisation_id => Viewer::Seller,
        Scope::Console { .. } => Viewer::Console,
        _ => return Err(AppError::NotFound),
    };
    let private = viewer != Viewer::Buyer;
    let lines = lines(state, r.id, private).await?;
    let events = events(state, r.id, r.buyer_id, r.organisation_id, viewer == Viewer::Console).await?;
    let payment = payment(state, r.checkout_id).await?;
    let postings = match scope {
        Scope::Console { ledger: true } => Some(postings(state, r.id, r.checkout_id).await?),
        _ => None,
    };
    let address: Address = serde_json::from_str(&r.address_json).unwrap_or_else(|e| {
        tracing::error!(order_id = r.id, error = %e, "order address does not parse");
        Address::default()
    });
    let currency = Currency::parse(&r.currency)
        .ok_or_else(|| AppError::internal(format!("order with an unknown currency: currency={}", r.currency)))?;
    Ok(OrderDetail {
        id: r.id,
        number: r.number,
        checkout_id: r.checkout_id,
        status: r.status,
        overdue: r.overdue != 0,
        currency,
        items_minor: r.items_minor,
        shipping_minor: r.shipping_minor,
        total_minor: r.total_minor,
        commission_minor: private.then_some(r.commission_minor),
        address,
        seller_name: r.seller_name,
        organisation_id: r.organisation_id,
        buyer_name: private.then_some(r.buyer_name),
        buyer_email: (viewer == Viewer::Console).then_some(r.buyer_email),
        carrier: r.carrier,
        tracking_number: r.tracking_number,
        created_at_ms: r.created_at,
        pay_by_ms: r.pay_by,
        paid_at_ms: r.paid_at,
        ship_by_ms: r.ship_by,
        shipped_at_ms: r.shipped_at,
        complete_by_ms: r.complete_by,
        completed_at_ms: r.completed_at,
        cancelled_at_ms: r.cancelled_at,
        lines,
        events,
        payment,
        postings,
        viewer,
    })
}

async fn lines(state: &AppState, order_id: i64, private: bool) -> Result<Vec<OrderLine>, AppError> {
    let records: Vec<LineRecord> = sqlx::query_as(
        "SELECT listing_id, title, variant_label, sku, unit_price_minor, quantity, line_total_minor, commission_rule_id, \
         commission_minor FROM order_lines WHERE order_id = $1 ORDER BY id LIMIT $2",
    )
    .bind(order_id)
    .bind(MAX_LINES)
    .fetch_all(state.db.read())
    .await
    .context("loading the order's lines")?;
    Ok(records.into_iter().map(|l| l.line(private)).collect())
}

/// The checkout's payment (its latest).
async fn payment(state: &AppState, checkout_id: i64) -> Result<Option<PaymentInfo>, AppError> {
    sqlx::query_as(
        "SELECT id, provider, status, amount_minor, reference, decided_at AS decided_at_ms, decision_reason \
         FROM payments WHERE checkout_id = $1 ORDER BY id DESC LIMIT 1",
    )
    .bind(checkout_id)
    .fetch_optional(state.db.read())
    .await
    .context("loading the order's payment")
}

async fn events(
    state: &AppState,
    order_id: i64,
    buyer_id: i64,
    organisation_id: i64,
    with_email: bool,
) -> Result<Vec<OrderEvent>, AppError> {
    let records: Vec<EventRecord> = sqlx::query_as(
        "SELECT e.id, e.from_status, e.to_status, e.action, e.actor_id, e.at, e.note, u.email AS actor_email, \
         (SELECT COUNT(*) FROM organisation_members m WHERE m.organisation_id = $2 AND m.user_id = e.actor_id) \
           + (SELECT COUNT(*) FROM organisations g WHERE g.id = $2 AND g.owner_user_id = e.actor_id) AS seller_member \
         FROM order_events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.order_id = $1 ORDER BY e.id LIMIT $3",
    )
    .bind(order_id)
    .bind(organisation_id)
    .bind(MAX_EVENTS)
    .fetch_all(state.db.read())
    .await
    .context("loading the order's timeline")?;
    Ok(records
        .into_iter()
        .map(|e| {
            let actor_role = match e.actor_id {
                None => "system",
                Some(a) if a == buyer_id => "buyer",
                Some(_) if e.seller_member > 0 => "seller",
                Some(_) => "platform",
            };
            OrderEvent {
                id: e.id,
                from_status: e.from_status,
                to_status: e.to_status,
                action: e.action,
                actor_role: actor_role.to_string(),
                actor: if with_email { e.actor_email } else { None },
                at_ms: e.at,
                note: e.note,
            }
        })
        .collect())
}

/// The ledger postings of the order and of its checkout (the payment), with their entries.
async fn postings(state: &AppState, order_id: i64, checkout_id: i64) -> Result<Vec<PostingLine>, AppError> {
    let records: Vec<EntryRecord> = sqlx::query_as(
        "SELECT p.id, p.kind, p.idempotency_key, p.at, p.memo, a.code, e.amount_minor FROM ledger_postings p \
         JOIN ledger_entries e ON e.posting_id = p.id JOIN ledger_accounts a ON a.id = e.account_id \
         WHERE p.order_id = $1 OR (p.order_id IS NULL AND p.checkout_id = $2) ORDER BY p.id, e.id LIMIT 500",
    )
    .bind(order_id)
    .bind(checkout_id)
    .fetch_all(state.db.read())
    .await
    .context("loading the order's postings")?;
    let mut out: Vec<PostingLine> = vec![];
    for r in records {
        if out.last().map(|p| p.id) != Some(r.id) {
            out.push(PostingLine {
                id: r.id,
                kind: r.kind,
                key: r.idempotency_key,
                at_ms: r.at,
                memo: r.memo,
                entries: vec![],
            });
        }
        if let Some(p) = out.last_mut() {
            p.entries.push(LedgerEntryLine { account: r.code, amount_minor: r.amount_minor });
        }
    }
    Ok(out)
}
