//! Payments behind the server functions and the proof upload: the buyer's view, proof, the sandbox
//! card, finance's approve/reject, the queue, and the platform's bank account. Each mutation is one
//! transaction that locks the payment row, re-reads its status, applies `domain::payment`, and
//! commits its audit record and notifications with it.

use super::model::{
    BankAccount, OrderBrief, PaymentDetail, PaymentRow, PaymentSettingsView, PaymentView, ProofFile,
    BANK_ACCOUNT_SETTING,
};
use super::providers::{self, Charge, Flow};
use crate::domain::ledger::Posting;
use crate::domain::money::{Currency, Money};
use crate::domain::order::OrderAction;
use crate::domain::page::{page_size, parse_id_cursor, Page};
use crate::domain::payment::{PaymentStatus, Provider};
use crate::domain::reason::Reason;
use crate::domain::upload::Purpose;
use crate::error::AppError;
use crate::platform::audit_log::{self, Actor, AuditEntry};
use crate::platform::caller::{Caller, RequestMeta};
use crate::platform::ledger::{self, PostingRefs};
use crate::platform::outbox::{self, OutboxEvent};
use crate::platform::state::AppState;
use crate::platform::uploads::{self, StoredUpload};
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

/// How many proofs a buyer may upload for one payment (each rejection allows another).
pub const MAX_PROOFS_PER_PAYMENT: i64 = 10;

/// A payment row with its checkout's buyer.
#[derive(Debug, Clone)]
struct Facts {
    id: i64,
    checkout_id: i64,
    buyer_id: i64,
    provider: Provider,
    status: PaymentStatus,
    currency: Currency,
    amount_minor: i64,
    reference: String,
    proof_upload_id: Option<i64>,
    proof_submitted_at: Option<i64>,
    decided_by: Option<i64>,
    decided_at: Option<i64>,
    decision_reason: String,
    created_at: i64,
}

const SELECT_FACTS: &str = "SELECT p.id, p.checkout_id, c.buyer_id, p.provider, p.status, p.currency, p.amount_minor, \
     p.reference, p.proof_upload_id, p.proof_submitted_at, p.decided_by, p.decided_at, p.decision_reason, p.created_at \
     FROM payments p JOIN checkouts c ON c.id = p.checkout_id";

#[track_caller]
fn corrupt(what: &str, value: &str) -> AppError {
    AppError::internal(format!("payment row with an unknown value: what={what} value={value}"))
}

fn facts(r: &AnyRow) -> Result<Facts, AppError> {
    let provider: String = r.try_get("provider")?;
    let status: String = r.try_get("status")?;
    let currency: String = r.try_get("currency")?;
    Ok(Facts {
        id: r.try_get("id")?,
        checkout_id: r.try_get("checkout_id")?,
        buyer_id: r.try_get("buyer_id")?,
        provider: Provider::parse(&provider).ok_or_else(|| corrupt("provider", &provider))?,
        status: PaymentStatus::parse(&status).ok_or_else(|| corrupt("status", &status))?,
        currency: Currency::parse(&currency).ok_or_else(|| corrupt("currency", &currency))?,
        amount_minor: r.try_get("amount_minor")?,
        reference: r.try_get("reference")?,
        proof_upload_id: r.try_get("proof_upload_id")?,
        proof_submitted_at: r.try_get("proof_submitted_at")?,
        decided_by: r.try_get("decided_by")?,
        decided_at: r.try_get("decided_at")?,
        decision_reason: r.try_get("decision_reason")?,
        created_at: r.try_get("created_at")?,
    })
}

async fn payment_by_id(conn: &mut AnyConnection, id: i64) -> Result<Facts, AppError> {
    let row = sqlx::query(&format!("{SELECT_FACTS} WHERE p.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(AppError::NotFound)?;
    facts(&row)
}

/// The checkout's payment (its latest, should there ever be several).
async fn payment_of_checkout(conn: &mut AnyConnection, checkout_id: i64) -> Result<Facts, AppError> {
    let row = sqlx::query(&format!("{SELECT_FACTS} WHERE p.checkout_id = $1 ORDER BY p.id DESC LIMIT 1"))
        .bind(checkout_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(AppError::NotFound)?;
    facts(&row)
}

/// Someone else's payment does not exist, as far as the caller can tell.
fn owned_by(p: Facts, caller: &Caller) -> Result<Facts, AppError> {
    if p.buyer_id == caller.user_id {
        Ok(p)
    } else {
        Err(AppError::NotFound)
    }
}

struct OrderFacts {
    id: i64,
    pay_by: i64,
    brief: OrderBrief,
}

async fn orders_of(conn: &mut AnyConnection, checkout_id: i64) -> Result<Vec<OrderFacts>, AppError> {
    let rows = sqlx::query(
        "SELECT o.id, o.number, o.status, o.total_minor, o.pay_by, g.name FROM orders o \
         JOIN organisations g ON g.id = o.organisation_id WHERE o.checkout_id = $1 ORDER BY o.id",
    )
    .bind(checkout_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(OrderFacts {
                id: r.try_get("id")?,
                pay_by: r.try_get("pay_by")?,
                brief: OrderBrief {
                    number: r.try_get("number")?,
                    status: r.try_get("status")?,
                    seller_name: r.try_get("name")?,
                    total_minor: r.try_get("total_minor")?,
                },
            })
        })
        .collect()
}

/// The checkout can no longer be paid: its payment or an order was cancelled, or the time to pay
/// ran out (the cancellation timer may not have run yet).
fn expired(p: &Facts, orders: &[OrderFacts], now: i64) -> bool {
    if p.status == PaymentStatus::Approved {
        return false;
    }
    p.status == PaymentStatus::Cancelled
        || orders.iter().any(|o| o.brief.status == "cancelled")
        || orders.iter().map(|o| o.pay_by).min().is_some_and(|by| by <= now)
}

/// Refuses a provider the deployment no longer offers.
fn provider_enabled(state: &AppState, provider: Provider) -> Result<(), AppError> {
    providers::enabled(&state.settings.payment_providers, provider).map_err(AppError::conflict)
}

/// Locks the payment (PostgreSQL; SQLite has one writer) and reads it again.
async fn lock(conn: &mut AnyConnection, id: i64) -> Result<Facts, AppError> {
    sqlx::query("UPDATE payments SET status = status WHERE id = $1").bind(id).execute(&mut *conn).await?;
    payment_by_id(conn, id).await
}

pub async fn bank_account(conn: &mut AnyConnection) -> Result<Option<BankAccount>, AppError> {
    let json: Option<String> = sqlx::query_scalar("SELECT value_json FROM platform_settings WHERE name = $1")
        .bind(BANK_ACCOUNT_SETTING)
        .fetch_optional(&mut *conn)
        .await?;
    match json {
        None => Ok(None),
        Some(j) => serde_json::from_str(&j)
            .map(Some)
            .map_err(|e| AppError::internal(format!("unreadable bank account setting: error={e}"))),
    }
}

async fn proof_file(state: &AppState, p: &Facts) -> Result<Option<ProofFile>, AppError> {
    let Some(id) = p.proof_upload_id else { return Ok(None) };
    Ok(uploads::find(state, id).await?.map(|u| ProofFile {
        upload_id: u.id,
        url: uploads::url_of(Purpose::PaymentProof, u.id),
        file_name: u.file_name,
        content_type: u.content_type,
        size_bytes: u.size_bytes,
        submitted_at_ms: p.proof_submitted_at.unwrap_or(0),
    }))
}

/// The buyer's pay page for their checkout.
pub async fn buyer_payment(state: &AppState, caller: &Caller, checkout_id: i64) -> Result<PaymentView, AppError> {
    let mut conn = state.db.read().acquire().await?;
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
        expired: expired(&p, &orders, state.now_ms()),
        provider_enabled: state.settings.payment_providers.contains(&p.provider),
        bank_account: bank,
        proof: proof_file(state, &p).await?,
        decision_reason: if p.status == PaymentStatus::Rejected { p.decision_reason.clone() } else { String::new() },
        orders: orders.into_iter().map(|o| o.brief).collect(),
    })
}

fn amount_text(p: &Facts) -> String {
    Money::new(p.amount_minor, p.currency).display()
}

/// Stores a proof of transfer for the buyer's bank-transfer payment and puts it in finance's queue.
/// The checks run before the file is stored and again inside the transaction.
pub async fn attach_proof(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    payment_id: i64,
    file_name: &str,
    bytes: Vec<u8>,
) -> Result<StoredUpload, AppError> {
    let kind = format!("payment:{payment_id}");
    {
        let mut conn = state.db.read().acquire().await?;
        let p = owned_by(payment_by_id(&mut conn, payment_id).await?, caller)?;
        check_proof_allowed(state, &mut conn, &p).await?;
        let uploaded: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM uploads WHERE purpose = $1 AND kind = $2")
            .bind(Purpose::PaymentProof.as_str())
            .bind(&kind)
            .fetch_one(&mut *conn)
            .await?;
        if uploaded >= MAX_PROOFS_PER_PAYMENT {
            return Err(AppError::invalid("file", "payments.too_many_proofs"));
        }
    }
    let stored =
        uploads::store_for(state, Purpose::PaymentProof, None, caller.user_id, &kind, file_name, bytes).await?;
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    let p = lock(&mut tx, payment_id).await?;
    let next = check_proof_allowed(state, &mut tx, &p).await?;
    let changed = sqlx::query(
        "UPDATE payments SET status = $1, proof_upload_id = $2, proof_submitted_at = $3, updated_at = $3 \
         WHERE id = $4 AND status = $5",
    )
    .bind(next.as_str())
    .bind(stored.id)
    .bind(now)
    .bind(p.id)
    .bind(p.status.as_str())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed != 1 {
        return Err(AppError::conflict("payments.changed_meanwhile"));
    }
    audit_log::record(
        &mut tx,
        &Actor::of(caller),
        meta,
        now,
        AuditEntry {
            action: "payments.proof_submit",
            target_type: "payment",
            target_id: p.id.to_string(),
            before: json!({"status": p.status.as_str(), "proof_upload_id": p.proof_upload_id}),
            after: json!({"status": next.as_str(), "proof_upload_id": stored.id}),
            reason: "",
            result: "ok",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(stored)
}

/// Proof is for an enabled bank transfer whose checkout can still be paid; returns the next status.
async fn check_proof_allowed(state: &AppState, conn: &mut AnyConnection, p: &Facts) -> Result<PaymentStatus, AppError> {
    provider_enabled(state, p.provider)?;
    if providers::adapter(p.provider).flow() != Flow::TransferWithProof {
        return Err(AppError::conflict("payments.wrong_provider"));
    }
    let next = p.status.submit_proof().map_err(|e| AppError::conflict(e.code()))?;
    let orders = orders_of(conn, p.checkout_id).await?;
    if expired(p, &orders, state.now_ms()) {
        return Err(AppError::conflict("payments.checkout_expired"));
    }
    Ok(next)
}

/// The sandbox card: the success card approves at once, the decline card is refused with a message.
pub async fn pay_by_card(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    checkout_id: i64,
    card_number: &str,
) -> Result<(), AppError> {
    let p = {
        let mut conn = state.db.read().acquire().await?;
        owned_by(payment_of_checkout(&mut conn, checkout_id).await?, caller)?
    };
    provider_enabled(state, p.provider)?;
    let adapter = providers::adapter(p.provider);
    if adapter.flow() != Flow::Card {
        return Err(AppError::conflict("payments.wrong_provider"));
    }
    p.status.approve(p.provider).map_err(|e| AppError::conflict(e.code()))?;
    match adapter.charge_card(card_number).map_err(|code| AppError::invalid("card_number", code))? {
        Charge::Succeeded => approve(state, caller, meta, p.id, "sandbox card").await,
        Charge::Declined(code) => Err(AppError::invalid("card_number", code)),
    }
}

/// Approves the payment: payment approved, the ledger's payment_received posting, and every order of
/// the checkout paid, in one transaction. By finance (bank transfer) or the sandbox card.
pub async fn approve(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    payment_id: i64,
    how: &str,
) -> Result<(), AppError> {
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    let p = lock(&mut tx, payment_id).await?;
    let next = p.status.approve(p.provider).map_err(|e| AppError::conflict(e.code()))?;
    let orders = orders_of(&mut tx, p.checkout_id).await?;
    if orders.is_empty() || orders.iter().any(|o| o.brief.status == "cancelled") {
        return Err(AppError::conflict("payments.checkout_expired"));
    }
    // The buyer paying by card after the deadline is refused; finance may still approve a transfer
    // whose orders the timer has not cancelled (the proof may have arrived in time).
    if p.provider == Provider::Sandbox && expired(&p, &orders, now) {
        return Err(AppError::conflict("payments.checkout_expired"));
    }
    let changed = sqlx::query(
        "UPDATE payments SET status = $1, decided_by = $2, decided_at = $3, updated_at = $3 WHERE id = $4 AND status = $5",
    )
    .bind(next.as_str())
    .bind(caller.user_id)
    .bind(now)
    .bind(p.id)
    .bind(p.status.as_str())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed != 1 {
        return Err(AppError::conflict("payments.changed_meanwhile"));
    }
    let posting = Posting::payment_received(p.currency, p.amount_minor).map_err(|e| {
        AppError::internal(format!("payment_received posting refused: payment={} code={}", p.id, e.code()))
    })?;
    let posting_id = ledger::post(
        &mut tx,
        now,
        &format!("checkout:{}:paid", p.checkout_id),
        &posting,
        PostingRefs { order_id: None, checkout_id: Some(p.checkout_id) },
        &format!("payment {} ({})", p.reference, p.provider.as_str()),
    )
    .await?;
    let note = format!("payment {} approved", p.reference);
    for o in &orders {
        crate::orders::flow::transition(&mut tx, state, o.id, OrderAction::Pay, Some(caller.user_id), &note).await?;
    }
    audit_log::record(
        &mut tx,
        &Actor::of(caller),
        meta,
        now,
        AuditEntry {
            action: "payments.approve",
            target_type: "payment",
            target_id: p.id.to_string(),
            before: json!({"status": p.status.as_str()}),
            after: json!({
                "status": next.as_str(),
                "via": how,
                "posting_id": posting_id,
                "orders": orders.iter().map(|o| o.brief.number.clone()).collect::<Vec<_>>(),
            }),
            reason: "",
            result: "ok",
        },
    )
    .await?;
    let event = OutboxEvent::notify(
        p.buyer_id,
        "payments.approved",
        json!({"reference": p.reference, "amount": amount_text(&p), "checkout_id": p.checkout_id}),
    );
    outbox::enqueue(&mut tx, now, &event).await?;
    tx.commit().await?;
    Ok(())
}

/// Finance rejects the proof with a reason the buyer reads; the buyer may upload again.
pub async fn reject(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    payment_id: i64,
    reason: &Reason,
) -> Result<(), AppError> {
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    let p = lock(&mut tx, payment_id).await?;
    let next = p.status.reject().map_err(|e| AppError::conflict(e.code()))?;
    let changed = sqlx::query(
        "UPDATE payments SET status = $1, decided_by = $2, decided_at = $3, decision_reason = $4, updated_at = $3 \
         WHERE id = $5 AND status = $6",
    )
    .bind(next.as_str())
    .bind(caller.user_id)
    .bind(now)
    .bind(reason.as_str())
    .bind(p.id)
    .bind(p.status.as_str())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed != 1 {
        return Err(AppError::conflict("payments.changed_meanwhile"));
    }
    audit_log::record(
        &mut tx,
        &Actor::of(caller),
        meta,
        now,
        AuditEntry {
            action: "payments.reject",
            target_type: "payment",
            target_id: p.id.to_string(),
            before: json!({"status": p.status.as_str(), "proof_upload_id": p.proof_upload_id}),
            after: json!({"status": next.as_str()}),
            reason: reason.as_str(),
            result: "ok",
        },
    )
    .await?;
    let event = OutboxEvent::notify(
        p.buyer_id,
        "payments.rejected",
        json!({"reference": p.reference, "reason": reason.as_str(), "checkout_id": p.checkout_id}),
    );
    outbox::enqueue(&mut tx, now, &event).await?;
    tx.commit().await?;
    Ok(())
}

const SELECT_ROW: &str = "SELECT p.id, p.checkout_id, p.reference, p.provider, p.status, p.currency, p.amount_minor, \
     p.created_at, p.proof_submitted_at, u.email, \
     (SELECT COUNT(*) FROM orders o WHERE o.checkout_id = p.checkout_id) AS orders \
     FROM payments p JOIN checkouts c ON c.id = p.checkout_id JOIN users u ON u.id = c.buyer_id";

fn payment_row(r: &AnyRow) -> Result<PaymentRow, AppError> {
    let provider: String = r.try_get("provider")?;
    let status: String = r.try_get("status")?;
    let currency: String = r.try_get("currency")?;
    Ok(PaymentRow {
        id: r.try_get("id")?,
        checkout_id: r.try_get("checkout_id")?,
        reference: r.try_get("reference")?,
        provider: Provider::parse(&provider).ok_or_else(|| corrupt("provider", &provider))?,
        status: PaymentStatus::parse(&status).ok_or_else(|| corrupt("status", &status))?,
        currency: Currency::parse(&currency).ok_or_else(|| corrupt("currency", &currency))?,
        amount_minor: r.try_get("amount_minor")?,
        buyer_email: r.try_get("email")?,
        orders: r.try_get("orders")?,
        created_at_ms: r.try_get("created_at")?,
        proof_submitted_at_ms: r.try_get("proof_submitted_at")?,
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
    let after = parse_id_cursor(cursor).unwrap_or(if oldest_first { 0 } else { i64::MAX });
    let (cmp, order) = if oldest_first { (">", "ASC") } else { ("<", "DESC") };
    let rows = match status {
        Some(s) => {
            sqlx::query(&format!("{SELECT_ROW} WHERE p.status = $1 AND p.id {cmp} $2 ORDER BY p.id {order} LIMIT $3"))
                .bind(s.as_str())
                .bind(after)
                .bind(size as i64 + 1)
                .fetch_all(state.db.read())
                .await?
        }
        None => {
            sqlx::query(&format!("{SELECT_ROW} WHERE p.id {cmp} $1 ORDER BY p.id {order} LIMIT $2"))
                .bind(after)
                .bind(size as i64 + 1)
                .fetch_all(state.db.read())
                .await?
        }
    };
    let rows = rows.iter().map(payment_row).collect::<Result<Vec<_>, _>>()?;
    Ok(Page::from_overfetch(rows, size, |r| r.id.to_string()))
}

pub async fn get_payment(state: &AppState, id: i64) -> Result<PaymentDetail, AppError> {
    let mut conn = state.db.read().acquire().await?;
    let row = sqlx::query(&format!("{SELECT_ROW} WHERE p.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(AppError::NotFound)?;
    let row = payment_row(&row)?;
    let p = payment_by_id(&mut conn, id).await?;
    let buyer_name: String = sqlx::query_scalar("SELECT display_name FROM users WHERE id = $1")
        .bind(p.buyer_id)
        .fetch_one(&mut *conn)
        .await?;
    let decided_by: Option<String> = match p.decided_by {
        Some(u) => {
            sqlx::query_scalar("SELECT email FROM users WHERE id = $1").bind(u).fetch_optional(&mut *conn).await?
        }
        None => None,
    };
    let posting_id: Option<i64> = sqlx::query_scalar("SELECT id FROM ledger_postings WHERE idempotency_key = $1")
        .bind(format!("checkout:{}:paid", p.checkout_id))
        .fetch_optional(&mut *conn)
        .await?;
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

pub async fn payment_settings(state: &AppState) -> Result<PaymentSettingsView, AppError> {
    let mut conn = state.db.read().acquire().await?;
    let bank = bank_account(&mut conn).await?;
    let row = sqlx::query(
        "SELECT s.updated_at, u.email FROM platform_settings s LEFT JOIN users u ON u.id = s.updated_by WHERE s.name = $1",
    )
    .bind(BANK_ACCOUNT_SETTING)
    .fetch_optional(&mut *conn)
    .await?;
    let (updated_at_ms, updated_by) = match row {
        Some(r) => (Some(r.try_get::<i64, _>("updated_at")?), r.try_get::<Option<String>, _>("email")?),
        None => (None, None),
    };
    Ok(PaymentSettingsView {
        bank_account: bank,
        updated_at_ms,
        updated_by,
        providers: state.settings.payment_providers.clone(),
        production: state.settings.production,
    })
}

/// Replaces the platform's bank account (a protected configuration change, audited with the old and
/// new values).
pub async fn save_bank_account(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    account: &BankAccount,
    reason: &Reason,
) -> Result<(), AppError> {
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    // Serialises with every other audited writer (the audit chain's head), so two saves cannot
    // interleave their before/after records.
    sqlx::query("UPDATE audit_head SET seq = seq WHERE id = 1").execute(&mut *tx).await?;
    let before = bank_account(&mut tx).await?;
    if before.as_ref() == Some(account) {
        return Err(AppError::conflict("payments.bank.unchanged"));
    }
    let value =
        serde_json::to_string(account).map_err(|e| AppError::internal(format!("serialising the bank account: {e}")))?;
    sqlx::query(
        "INSERT INTO platform_settings (name, value_json, updated_by, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (name) DO UPDATE SET value_json = excluded.value_json, updated_by = excluded.updated_by, \
         updated_at = excluded.updated_at",
    )
    .bind(BANK_ACCOUNT_SETTING)
    .bind(&value)
    .bind(caller.user_id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    audit_log::record(
        &mut tx,
        &Actor::of(caller),
        meta,
        now,
        AuditEntry {
            action: "payment_settings.bank_account",
            target_type: "platform_setting",
            target_id: BANK_ACCOUNT_SETTING.to_string(),
            before: json!(before),
            after: json!(account),
            reason: reason.as_str(),
            result: "ok",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Whether `caller` may read proof upload `upload_id`: the buyer who uploaded it, or an operator
/// with `payments.view`.
pub fn may_read_proof(caller: &Caller, uploaded_by: i64) -> bool {
    caller.user_id == uploaded_by || caller.can(crate::domain::permissions::PAYMENTS_VIEW)
}
