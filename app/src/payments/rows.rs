//! Reading payments: the rows as stored (`sqlx::FromRow` records of plain columns) and what the
//! services decide from them. Shared by the buyer's side, bank transfers and approvals; it depends on
//! none of them.

use super::model::{OrderBrief, PaymentRow};
use super::providers;
use crate::domain::money::Currency;
use crate::domain::payment::{PaymentStatus, Provider};
use crate::error::{AppError, Context};
use crate::platform::caller::Caller;
use crate::platform::change::{Change, RowLock};
use crate::platform::state::AppState;
use sqlx::AnyConnection;

#[track_caller]
pub(super) fn corrupt(what: &str, value: &str) -> AppError {
    AppError::internal(format!("payment row with an unknown value: what={what} value={value}"))
}

/// A payment row with its checkout's buyer.
#[derive(Debug, Clone)]
pub(super) struct Facts {
    pub id: i64,
    pub checkout_id: i64,
    pub buyer_id: i64,
    pub provider: Provider,
    pub status: PaymentStatus,
    pub currency: Currency,
    pub amount_minor: i64,
    pub reference: String,
    pub proof_upload_id: Option<i64>,
    pub proof_submitted_at: Option<i64>,
    pub decided_by: Option<i64>,
    pub decided_at: Option<i64>,
    pub decision_reason: String,
    pub created_at: i64,
}

const SELECT_FACTS: &str = "SELECT p.id, p.checkout_id, c.buyer_id, p.provider, p.status, p.currency, p.amount_minor, \
     p.reference, p.proof_upload_id, p.proof_submitted_at, p.decided_by, p.decided_at, p.decision_reason, p.created_at \
     FROM payments p JOIN checkouts c ON c.id = p.checkout_id";

#[derive(sqlx::FromRow)]
struct FactsRecord {
    id: i64,
    checkout_id: i64,
    buyer_id: i64,
    provider: String,
    status: String,
    currency: String,
    amount_minor: i64,
    reference: String,
    proof_upload_id: Option<i64>,
    proof_submitted_at: Option<i64>,
    decided_by: Option<i64>,
    decided_at: Option<i64>,
    decision_reason: String,
    created_at: i64,
}

impl FactsRecord {
    fn facts(self) -> Result<Facts, AppError> {
        Ok(Facts {
            id: self.id,
            checkout_id: self.checkout_id,
            buyer_id: self.buyer_id,
            provider: Provider::parse(&self.provider).ok_or_else(|| corrupt("provider", &self.provider))?,
            status: PaymentStatus::parse(&self.status).ok_or_else(|| corrupt("status", &self.status))?,
            currency: Currency::parse(&self.currency).ok_or_else(|| corrupt("currency", &self.currency))?,
            amount_minor: self.amount_minor,
            reference: self.reference,
            proof_upload_id: self.proof_upload_id,
            proof_submitted_at: self.proof_submitted_at,
            decided_by: self.decided_by,
            decided_at: self.decided_at,
            decision_reason: self.decision_reason,
            created_at: self.created_at,
        })
    }
}

async fn one_facts(conn: &mut AnyConnection, filter: &str, id: i64) -> Result<Facts, AppError> {
    let record: Option<FactsRecord> = sqlx::query_as(&format!("{SELECT_FACTS} {filter}"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
        .context("loading the payment")?;
    record.ok_or(AppError::NotFound)?.facts()
}

pub(super) async fn payment_by_id(conn: &mut AnyConnection, id: i64) -> Result<Facts, AppError> {
    one_facts(conn, "WHERE p.id = $1", id).await
}

/// The checkout's payment (its latest, should there ever be several).
pub(super) async fn payment_of_checkout(conn: &mut AnyConnection, checkout_id: i64) -> Result<Facts, AppError> {
    one_facts(conn, "WHERE p.checkout_id = $1 ORDER BY p.id DESC LIMIT 1", checkout_id).await
}

/// `SELECT_FACTS`'s columns as the lock's `UPDATE payments .. RETURNING` reads them.
const LOCKED_FACTS: &str = "id, checkout_id, (SELECT c.buyer_id FROM checkouts c WHERE c.id = payments.checkout_id) \
     AS buyer_id, provider, status, currency, amount_minor, reference, proof_upload_id, proof_submitted_at, \
     decided_by, decided_at, decision_reason, created_at";

/// Takes the payment's row lock in the change and reads it again, in one statement. `NotFound`
/// when absent.
pub(super) async fn lock(c: &mut Change, id: i64) -> Result<Facts, AppError> {
    let record: Option<FactsRecord> =
        c.lock_returning(RowLock::Payment(id), LOCKED_FACTS).await.context("locking the payment")?;
    record.ok_or(AppError::NotFound)?.facts()
}

/// Someone else's payment does not exist, as far as the caller can tell.
pub(super) fn owned_by(p: Facts, caller: &Caller) -> Result<Facts, AppError> {
    if p.buyer_id == caller.user_id {
        Ok(p)
    } else {
        Err(AppError::NotFound)
    }
}

pub(super) struct OrderFacts {
    pub pay_by: i64,
    pub brief: OrderBrief,
}

#[derive(sqlx::FromRow)]
struct OrderRecord {
    number: String,
    status: String,
    total_minor: i64,
    pay_by: i64,
    name: String,
}

pub(super) async fn orders_of(conn: &mut AnyConnection, checkout_id: i64) -> Result<Vec<OrderFacts>, AppError> {
    let records: Vec<OrderRecord> = sqlx::query_as(
        "SELECT o.number, o.status, o.total_minor, o.pay_by, g.name FROM orders o \
         JOIN organisations g ON g.id = o.organisation_id WHERE o.checkout_id = $1 ORDER BY o.id",
    )
    .bind(checkout_id)
    .fetch_all(&mut *conn)
    .await
    .context("loading the checkout's orders")?;
    Ok(records
        .into_iter()
        .map(|r| OrderFacts {
            pay_by: r.pay_by,
            brief: OrderBrief { number: r.number, status: r.status, seller_name: r.name, total_minor: r.total_minor },
        })
        .collect())
}

/// The checkout can no longer be paid: its payment or an order was cancelled, or the time to pay
/// (`pay_by`, the earliest of its orders') ran out (the cancellation timer may not have run yet).
pub(super) fn expired(p: &Facts, an_order_cancelled: bool, pay_by: Option<i64>, now: i64) -> bool {
    if p.status == PaymentStatus::Approved {
        return false;
    }
    p.status == PaymentStatus::Cancelled || an_order_cancelled || pay_by.is_some_and(|by| by <= now)
}

/// `expired` over the orders as `orders_of` reads them.
pub(super) fn orders_expired(p: &Facts, orders: &[OrderFacts], now: i64) -> bool {
    let cancelled = orders.iter().any(|o| o.brief.status == "cancelled");
    expired(p, cancelled, orders.iter().map(|o| o.pay_by).min(), now)
}

/// The ids of the orders of the payment's checkout, ascending.
pub(super) async fn order_ids_of_payment(conn: &mut AnyConnection, payment_id: i64) -> Result<Vec<i64>, AppError> {
    sqlx::query_scalar(
        "SELECT o.id FROM orders o JOIN payments p ON p.checkout_id = o.checkout_id WHERE p.id = $1 ORDER BY o.id",
    )
    .bind(payment_id)
    .fetch_all(&mut *conn)
    .await
    .context("reading the checkout's orders")
}

/// Refuses a provider the deployment no longer offers.
pub(super) fn provider_enabled(state: &AppState, provider: Provider) -> Result<(), AppError> {
    providers::enabled(&state.settings().payment_providers, provider).map_err(AppError::conflict)
}

/// The finance queue's row.
pub(super) const SELECT_ROW: &str = "SELECT p.id, p.checkout_id, p.reference, p.provider, p.status, p.currency, \
     p.amount_minor, p.created_at, p.proof_submitted_at, u.email, \
     (SELECT COUNT(*) FROM orders o WHERE o.checkout_id = p.checkout_id) AS orders \
     FROM payments p JOIN checkouts c ON c.id = p.checkout_id JOIN users u ON u.id = c.buyer_id";

#[derive(sqlx::FromRow)]
pub(super) struct RowRecord {
    id: i64,
    checkout_id: i64,
    reference: String,
    provider: String,
    status: String,
    currency: String,
    amount_minor: i64,
    email: String,
    orders: i64,
    created_at: i64,
    proof_submitted_at: Option<i64>,
}

impl RowRecord {
    pub(super) fn row(self) -> Result<PaymentRow, AppError> {
        Ok(PaymentRow {
            id: self.id,
            checkout_id: self.checkout_id,
            reference: self.reference,
            provider: Provider::parse(&self.provider).ok_or_else(|| corrupt("provider", &self.provider))?,
            status: PaymentStatus::parse(&self.status).ok_or_else(|| corrupt("status", &self.status))?,
            currency: Currency::parse(&self.currency).ok_or_else(|| corrupt("currency", &self.currency))?,
            amount_minor: self.amount_minor,
            buyer_email: self.email,
            orders: self.orders,
            created_at_ms: self.created_at,
            proof_submitted_at_ms: self.proof_submitted_at,
        })
    }
}
