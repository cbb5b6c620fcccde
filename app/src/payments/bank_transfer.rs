//! Paying by bank transfer: the platform's bank account (a protected setting), the buyer's proof of
//! transfer, and the proof file as the pages show it.

use super::model::{BankAccount, PaymentSettingsView, ProofFile, BANK_ACCOUNT_SETTING};
use super::providers::{self, Flow};
use super::rows::{self, orders_expired, orders_of, owned_by, payment_by_id, provider_enabled, Facts};
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::payment::PaymentStatus;
use crate::domain::reason::Reason;
use crate::domain::upload::Purpose;
use crate::error::{AppError, Context};
use crate::platform::caller::{Caller, RequestMeta};
use crate::platform::change::{Audit, Change};
use crate::platform::state::AppState;
use crate::platform::uploads::{self, StoredUpload};
use serde_json::json;
use sqlx::AnyConnection;

/// How many proofs a buyer may upload for one payment (each rejection allows another).
pub const MAX_PROOFS_PER_PAYMENT: i64 = 10;

pub async fn bank_account(conn: &mut AnyConnection) -> Result<Option<BankAccount>, AppError> {
    let json: Option<String> = sqlx::query_scalar("SELECT value_json FROM platform_settings WHERE name = $1")
        .bind(BANK_ACCOUNT_SETTING)
        .fetch_optional(&mut *conn)
        .await
        .context("loading the bank account setting")?;
    match json {
        None => Ok(None),
        Some(j) => serde_json::from_str(&j)
            .map(Some)
            .map_err(|e| AppError::internal(format!("unreadable bank account setting: error={e}"))),
    }
}

pub(super) async fn proof_file(state: &AppState, p: &Facts) -> Result<Option<ProofFile>, AppError> {
    let Some(id) = p.proof_upload_id else { return Ok(None) };
    Ok(uploads::find(state, id).await.context("loading the proof upload")?.map(|u| ProofFile {
        upload_id: u.id,
        url: uploads::url_of(Purpose::PaymentProof, u.id),
        file_name: u.file_name,
        content_type: u.content_type,
        size_bytes: u.size_bytes,
        submitted_at_ms: p.proof_submitted_at.unwrap_or(0),
    }))
}

/// Proof is for an enabled bank transfer whose checkout can still be paid; returns the next status.
async fn check_proof_allowed(
    state: &AppState,
    conn: &mut AnyConnection,
    p: &Facts,
    now: i64,
) -> Result<PaymentStatus, AppError> {
    provider_enabled(state, p.provider)?;
    if providers::adapter(p.provider).flow() != Flow::TransferWithProof {
        return Err(AppError::conflict("payments.wrong_provider"));
    }
    let next = p.status.submit_proof().map_err(|e| AppError::conflict(e.code()))?;
    let orders = orders_of(conn, p.checkout_id).await?;
    if orders_expired(p, &orders, now) {
        return Err(AppError::conflict("payments.checkout_expired"));
    }
    Ok(next)
}

/// The checks before the file is stored: the buyer's payment, proof allowed, proofs left.
async fn check_before_upload(state: &AppState, caller: &Caller, payment_id: i64, kind: &str) -> Result<(), AppError> {
    let mut conn = state.db.read().acquire().await.context("opening a read connection")?;
    let p = owned_by(payment_by_id(&mut conn, payment_id).await?, caller)?;
    check_proof_allowed(state, &mut conn, &p, state.now_ms()).await?;
    let uploaded: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM uploads WHERE purpose = $1 AND kind = $2")
        .bind(Purpose::PaymentProof.as_str())
        .bind(kind)
        .fetch_one(&mut *conn)
        .await
        .context("counting the payment's proofs")?;
    if uploaded >= MAX_PROOFS_PER_PAYMENT {
        return Err(AppError::invalid("file", "payments.too_many_proofs"));
    }
    Ok(())
}

/// Stores a proof of transfer for the buyer's bank-transfer payment and puts it in finance's queue.
/// The checks run before the file is stored and again inside the change.
pub async fn attach_proof(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    payment_id: i64,
    file_name: &str,
    bytes: Vec<u8>,
) -> Result<StoredUpload, AppError> {
    let kind = format!("payment:{payment_id}");
    check_before_upload(state, caller, payment_id, &kind).await?;
    let stored =
        uploads::store_for(state, Purpose::PaymentProof, None, caller.user_id, &kind, file_name, bytes).await?;
    let mut c = Change::by_caller(state, caller, meta).await?;
    let now = c.now_ms();
    let p = rows::lock(&mut c, payment_id).await?;
    let next = check_proof_allowed(state, c.conn(), &p, now).await?;
    let changed = sqlx::query(
        "UPDATE payments SET status = $1, proof_upload_id = $2, proof_submitted_at = $3, updated_at = $3 \
         WHERE id = $4 AND status = $5",
    )
    .bind(next.as_str())
    .bind(stored.id)
    .bind(now)
    .bind(p.id)
    .bind(p.status.as_str())
    .execute(c.conn())
    .await
    .context("recording the proof on the payment")?
    .rows_affected();
    if changed != 1 {
        return Err(AppError::conflict("payments.changed_meanwhile"));
    }
    let audit = Audit::new(AuditAction::PaymentsProofSubmit, AuditTarget::Payment(p.id))
        .before(json!({"status": p.status.as_str(), "proof_upload_id": p.proof_upload_id}))
        .after(json!({"status": next.as_str(), "proof_upload_id": stored.id}));
    c.audit(audit).await?;
    c.commit().await?;
    Ok(stored)
}

pub async fn payment_settings(state: &AppState) -> Result<PaymentSettingsView, AppError> {
    let mut conn = state.db.read().acquire().await.context("opening a read connection")?;
    let bank = bank_account(&mut conn).await?;
    let row: Option<(i64, Option<String>)> = sqlx::query_as(
        "SELECT s.updated_at, u.email FROM platform_settings s LEFT JOIN users u ON u.id = s.updated_by WHERE s.name = $1",
    )
    .bind(BANK_ACCOUNT_SETTING)
    .fetch_optional(&mut *conn)
    .await
    .context("loading who changed the bank account")?;
    let (updated_at_ms, updated_by) = match row {
        Some((at, by)) => (Some(at), by),
        None => (None, None),
    };
    Ok(PaymentSettingsView {
        bank_account: bank,
        updated_at_ms,
        updated_by,
        providers: state.settings().payment_providers.clone(),
        production: state.settings().production,
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
    let mut c = Change::by_caller(state, caller, meta).await?;
    let now = c.now_ms();
    // Serialises with every other audited writer (the audit chain's head; there is no row lock for
    // a platform setting), so two saves cannot interleave their before/after records. The same
    // known exception to the lock order as console/users' `serialise_with_audited_writers`.
    sqlx::query("UPDATE audit_head SET seq = seq WHERE id = 1")
        .execute(c.conn())
        .await
        .context("serialising with the audited writers")?;
    let before = bank_account(c.conn()).await?;
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
    .execute(c.conn())
    .await
    .context("saving the bank account")?;
    let audit = Audit::new(AuditAction::PaymentSettingsBankAccount, AuditTarget::PlatformSetting(BANK_ACCOUNT_SETTING))
        .before(json!(before))
        .after(json!(account))
        .reason(reason.as_str());
    c.audit(audit).await?;
    c.commit().await
}
