//! Reads about disputes that the dispute services share and other capabilities need (refunds refuse a
//! request while a dispute is open). It imports no service, so refunds can read it while disputes'
//! opening is called from refunds' escalation without an import circle.

use crate::domain::dispute::{DisputeStatus, Side};
use crate::domain::money::Currency;
use crate::error::{AppError, Context};
use crate::refunds::evidence;
use sqlx::AnyConnection;

/// The open dispute of an order, if any (there is at most one).
pub async fn open_dispute_of(conn: &mut AnyConnection, order_id: i64) -> Result<Option<i64>, AppError> {
    sqlx::query_scalar("SELECT id FROM disputes WHERE order_id = $1 AND status = $2 ORDER BY id DESC LIMIT 1")
        .bind(order_id)
        .bind(DisputeStatus::Open.as_str())
        .fetch_optional(&mut *conn)
        .await
        .context("looking for the order's open dispute")
}

/// Who reads a dispute: one of its two sides, or an operator (console).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Party(i64),
    Console,
}

#[track_caller]
pub(super) fn corrupt(what: &str, value: &str) -> AppError {
    AppError::internal(format!("dispute row with an unknown value: what={what} value={value}"))
}

/// What the services decide on: the dispute's parties, status and currency, and its stored decision
/// (for answering a retried decision).
pub(super) struct DisputeFacts {
    pub order_id: i64,
    pub organisation_id: i64,
    pub buyer_id: i64,
    pub status: DisputeStatus,
    pub currency: Currency,
    pub decision_key: Option<String>,
    pub decision_hash: Option<String>,
    pub posting_id: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct FactsRecord {
    order_id: i64,
    organisation_id: i64,
    buyer_id: i64,
    status: String,
    currency: String,
    decision_key: Option<String>,
    decision_hash: Option<String>,
    posting_id: Option<i64>,
}

impl FactsRecord {
    fn facts(self) -> Result<DisputeFacts, AppError> {
        Ok(DisputeFacts {
            order_id: self.order_id,
            organisation_id: self.organisation_id,
            buyer_id: self.buyer_id,
            status: DisputeStatus::parse(&self.status).ok_or_else(|| corrupt("status", &self.status))?,
            currency: Currency::parse(&self.currency).ok_or_else(|| corrupt("currency", &self.currency))?,
            decision_key: self.decision_key,
            decision_hash: self.decision_hash,
            posting_id: self.posting_id,
        })
    }
}

/// Dispute `id`'s facts (`NotFound` when absent). Under its lock when the caller holds it.
pub(super) async fn facts(conn: &mut AnyConnection, id: i64) -> Result<DisputeFacts, AppError> {
    let r: Option<FactsRecord> = sqlx::query_as(
        "SELECT order_id, organisation_id, buyer_id, status, currency, decision_key, decision_hash, posting_id \
         FROM disputes WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await
    .context("reading the dispute")?;
    r.ok_or(AppError::NotFound)?.facts()
}

/// The side `user_id` takes in the dispute, `None` when they are neither its buyer nor its seller.
pub(super) async fn side_of(
    conn: &mut AnyConnection,
    d: &DisputeFacts,
    user_id: i64,
) -> Result<Option<Side>, AppError> {
    if d.buyer_id == user_id {
        Ok(Some(Side::Buyer))
    } else if evidence::is_member(conn, d.organisation_id, user_id).await? {
        Ok(Some(Side::Seller))
    } else {
        Ok(None)
    }
}

/// The id and buyer of order `number`; `NotFound` when there is none.
pub(super) async fn order_by_number(conn: &mut AnyConnection, number: &str) -> Result<(i64, i64), AppError> {
    sqlx::query_as("SELECT id, buyer_id FROM orders WHERE number = $1")
        .bind(number)
        .fetch_optional(&mut *conn)
        .await
        .context("finding the order by number")?
        .ok_or(AppError::NotFound)
}
