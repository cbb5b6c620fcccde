//! Payments behind the server functions and the proof upload: the buyer's view, the finance queue
//! and one payment's detail. The decisions are in `approvals` (card, approve, reject) and the bank
//! transfer's parts in `bank_transfer` (proof, the platform's bank account); their functions are
//! re-exported here so `payments::service::*` keeps working.

use super::bank_transfer::proof_file;
use super::model::{PaymentDetail, PaymentRow, PaymentView};
use super::rows::{orders_expired, orders_of, owned_by, payment_by_id, payment_of_checkout, RowRecord, SELECT_ROW};
use crate::domain::page::{page_size, parse_id_cursor, Page};
use crate::domain::payment::{PaymentStatus, Provider};
use crate::error::{AppError, Context};
use crate::platform::caller::Caller;
use crate::platform::sql::{after_id, order_limit, Order, Sql};
use crate::platform::state::AppState;

pub use super::approvals::{approve, pay_by_card, reject};
pub use super::bank_transfer::{
    attach_proof, bank_account, payment_settings, save_bank_account, MAX_PROOFS_PER_PAYMENT,
};

/// The buyer's pay page for their checkout.
pub async fn buyer_payment(state: &AppState, caller: &Caller, checkout_id: i64) -> Result<PaymentView, AppError> {
    let mut conn = state.db.read().acquire().await.context("opening a read connection")?;
    let p = owned_by(payment_of_checkout(&mut conn, checkout_id).await?, caller)?;
    let orders = orders_of(&mut conn, checkout_id).await?;
    let bank = match p.provider {
        Provider::BankTransfer => bank_account(&mut conn).await?,
        Provider::Sandbox => None,
    };
    drop(conn);
    Ok(PaymentView {
        checkout_id,
        payment_id: p.id,
        provider: p.provider,
        status: p.status,
        currency: p.currency,
        amount_minor: p.amount_minor,
        reference: p.reference.clone(),
        pay_by_ms: orders.iter().map(|o| o.pay_by).min().unwrap_or(p.created_at),
        expired: orders_expired(&p, &orders, state.now_ms()),
        provider_enabled: state.settings().payment_providers.contains(&p.provider),
        bank_account: bank,
        proof: proof_file(state, &p).await?,
        decision_reason: if p.status == PaymentStatus::Rejected { p.decision_reason.clone() } else { String::new() },
        orders: orders.into_iter().map(|o| o.brief).collect(),
    })
}

/// The finance queue. Waiting proofs are worked oldest first; any other view is newest first.
pub async fn list_payments(
    state: &AppState,
    status: Option<PaymentStatus>,
    cursor: Option<&str>,
) -> Result<Page<PaymentRow>, AppError> {
    let size = page_size(None);
    let oldest_first = status == Some(PaymentStatus::ProofSubmitted);
    let (order, order_by) = if oldest_first { (Order::Asc, "p.id ASC") } else { (Order::Desc, "p.id DESC") };
    let mut sql = Sql::new(state.db.backend, SELECT_ROW);
    sql.push(" WHERE 1 = 1");
    if let Some(s) = status {
        sql.and_eq("p.status", s.as_str());
    }
    after_id(&mut sql, "p.id", order, parse_id_cursor(cursor));
    order_limit(&mut sql, order_by, size);
    let records: Vec<RowRecord> = sql.query_as().fetch_all(state.db.read()).await.context("listing payments")?;
    let rows = records.into_iter().map(RowRecord::row).collect::<Result<Vec<_>, _>>()?;
    Ok(Page::from_overfetch(rows, size, |r| r.id.to_string()))
}

pub async fn get_payment(state: &AppState, id: i64) -> Result<PaymentDetail, AppError> {
    let mut conn = state.db.read().acquire().await.context("opening a read connection")?;
    let record: RowRecord = sqlx::query_as(&format!("{SELECT_ROW} WHERE p.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
        .context("loading the payment row")?
        .ok_or(AppError::NotFound)?;
    let row = record.row()?;
    let p = payment_by_id(&mut conn, id).await?;
    let buyer_name: String = sqlx::query_scalar("SELECT display_name FROM users WHERE id = $1")
        .bind(p.buyer_id)
        .fetch_one(&mut *conn)
        .await
        .context("loading the buyer's name")?;
    let decided_by: Option<String> = match p.decided_by {
        Some(u) => sqlx::query_scalar("SELECT email FROM users WHERE id = $1")
            .bind(u)
            .fetch_optional(&mut *conn)
            .await
            .context("loading who decided")?,
        None => None,
    };
    let posting_id: Option<i64> = sqlx::query_scalar("SELECT id FROM ledger_postings WHERE idempotency_key = $1")
        .bind(format!("checkout:{}:paid", p.checkout_id))
        .fetch_optional(&mut *conn)
        .await
        .context("loading the payment's posting")?;
    let orders = orders_of(&mut conn, p.checkout_id).await?;
    drop(conn);
    Ok(PaymentDetail {
        row,
        buyer_id: p.buyer_id,
        buyer_name,
        pay_by_ms: orders.iter().map(|o| o.pay_by).min().unwrap_or(p.created_at),
        proof: proof_file(state, &p).await?,
        decided_by,
        decided_at_ms: p.decided_at,
        decision_reason: p.decision_reason.clone(),
        orders: orders.into_iter().map(|o| o.brief).collect(),
        posting_id,
    })
}

/// Whether `caller` may read proof upload `upload_id`: the buyer who uploaded it, or an operator
/// with `payments.view`.
pub fn may_read_proof(caller: &Caller, uploaded_by: i64) -> bool {
    caller.user_id == uploaded_by || caller.can(crate::domain::permissions::PAYMENTS_VIEW)
}
