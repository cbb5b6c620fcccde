//! The second factor's records: enrolling an authenticator app (a key shown once as a QR code and
//! as text, proven by a first code), the ten recovery codes, checking a code (at sign-in and on a
//! protected action), renewing the codes and removing the factor. The rules are `domain::totp`.
//!
//! A code check updates the user's `last_used_step` (or marks the recovery code used) inside the
//! caller's change, under the user's row lock: two requests with the same code line up and the
//! second finds it used.

use super::model::{Enrolment, SecondFactorState};
use crate::auth::tokens;
use crate::domain::account_token::recovery_code_hash;
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::permissions::OperatorRole;
use crate::domain::reason::Reason;
use crate::domain::totp::{self, CodeProblem, Secret};
use crate::error::{AppError, Context};
use crate::platform::caller::{Caller, RequestMeta};
use crate::platform::change::{Audit, Change, RowLock};
use crate::platform::outbox::OutboxEvent;
use crate::platform::state::AppState;
use rand::RngCore;
use serde_json::json;
use sqlx::AnyConnection;

/// The name authenticator apps show above the code.
const ISSUER: &str = "Agora";

/// How a code was proven.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Proof {
    Authenticator,
    /// A recovery code, now spent; `left` are still unused.
    RecoveryCode {
        left: i64,
    },
}

/// Whether `user_id` has a working second factor (enrolled and proven).
pub async fn enabled(conn: &mut AnyConnection, user_id: i64) -> Result<bool, AppError> {
    let at: Option<Option<i64>> = sqlx::query_scalar("SELECT enabled_at FROM user_second_factors WHERE user_id = $1")
        .bind(user_id)
        .fetch_optional(&mut *conn)
        .await
        .context("reading the second factor")?;
    Ok(at.flatten().is_some())
}

pub async fn status(state: &AppState, user_id: i64) -> Result<SecondFactorState, AppError> {
    let mut conn = state.db.read().acquire().await.context("a connection")?;
    let enabled = enabled(&mut conn, user_id).await?;
    let left: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM user_recovery_codes WHERE user_id = $1 AND used_at IS NULL")
            .bind(user_id)
            .fetch_one(&mut *conn)
            .await
            .context("counting recovery codes")?;
    Ok(SecondFactorState { enabled, recovery_codes_left: if enabled { left } else { 0 } })
}

/// Starts (or restarts) an enrolment: a new key, not yet in force, shown once to be scanned.
pub async fn start(state: &AppState, caller: &Caller) -> Result<Enrolment, AppError> {
    let mut bytes = [0u8; totp::SECRET_BYTES];
    rand::thread_rng().fill_bytes(&mut bytes);
    let secret = Secret::from_bytes(&bytes);
    // Nothing is in force until a first code proves the app holds the key: not an audited decision.
    let mut c = Change::unaudited(state, "second factor: a key to enrol").await?;
    c.lock(RowLock::User(caller.user_id)).await?;
    if enabled(c.conn(), caller.user_id).await? {
        return Err(AppError::conflict("totp.already_enabled"));
    }
    sqlx::query("DELETE FROM user_second_factors WHERE user_id = $1")
        .bind(caller.user_id)
        .execute(c.conn())
        .await
        .context("dropping an unfinished enrolment")?;
    sqlx::query("INSERT INTO user_second_factors (user_id, secret, created_at) VALUES ($1, $2, $3)")
        .bind(caller.user_id)
        .bind(secret.to_base32())
        .bind(c.now_ms())
        .execute(c.conn())
        .await
        .context("storing the key to enrol")?;
    c.commit().await?;
    let uri = totp::otpauth_uri(ISSUER, &caller.email, &secret);
    Ok(Enrolment { key: secret.grouped(), qr_svg: qr_svg(&uri)?, uri })
}

/// The QR code of `uri`, as an SVG element (dark modules on white, scannable from a screen).
fn qr_svg(uri: &str) -> Result<String, AppError> {
    let code = qrcode::QrCode::new(uri.as_bytes()).map_err(|e| AppError::internal(format!("QR code: {e}")))?;
    Ok(code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(192, 192)
        .dark_color(qrcode::render::svg::Color("#0f172a"))
        .light_color(qrcode::render::svg::Color("#ffffff"))
        .build())
}

/// Finishes an enrolment with a first right code: the factor is in force, and the recovery codes
/// (returned, shown once) replace any earlier ones.
pub async fn confirm(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    code: &str,
) -> Result<Vec<String>, AppError> {
    let key = tokens::signing_key(state).await?;
    let mut c = Change::by_caller(state, caller, meta).await?;
    let user_id = caller.user_id;
    c.lock(RowLock::User(user_id)).await?;
    let row: Option<(String, Option<i64>)> =
        sqlx::query_as("SELECT secret, enabled_at FROM user_second_factors WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(c.conn())
            .await
            .context("reading the key to enrol")?;
    let secret = match row {
        None => return Err(AppError::conflict("totp.not_started")),
        Some((_, Some(_))) => return Err(AppError::conflict("totp.already_enabled")),
        Some((secret, None)) => Secret::from_base32(&secret).ok_or_else(|| AppError::internal("a stored key"))?,
    };
    let step = totp::verify(&secret, code, c.now_ms(), 0).map_err(code_error)?;
    sqlx::query("UPDATE user_second_factors SET enabled_at = $1, last_used_step = $2 WHERE user_id = $3")
        .bind(c.now_ms())
        .bind(step)
        .bind(user_id)
        .execute(c.conn())
        .await
        .context("turning the second factor on")?;
    let codes = replace_recovery_codes(&mut c, &key, user_id).await?;
    c.audit(
        Audit::new(AuditAction::AccountSecondFactorEnable, AuditTarget::User(user_id))
            .before(json!({"second_factor": false}))
            .after(json!({"second_factor": true, "recovery_codes": codes.len()})),
    )
    .await?;
    c.notify(OutboxEvent::email(user_id, "account.second_factor_enabled", json!({"name": caller.display_name})))
        .await?;
    c.commit().await?;
    Ok(codes)
}

/// New recovery codes for an enrolled user (the old ones stop working); `code` is a current code.
pub async fn renew_recovery_codes(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    code: &str,
) -> Result<Vec<String>, AppError> {
    let key = tokens::signing_key(state).await?;
    let mut c = Change::by_caller(state, caller, meta).await?;
    c.lock(RowLock::User(caller.user_id)).await?;
    check_authenticator(&mut c, caller.user_id, code).await?;
    let codes = replace_recovery_codes(&mut c, &key, caller.user_id).await?;
    c.audit(
        Audit::new(AuditAction::AccountRecoveryCodesRenew, AuditTarget::User(caller.user_id))
            .after(json!({"recovery_codes": codes.len()})),
    )
    .await?;
    c.commit().await?;
    Ok(codes)
}

/// Removes the factor (the password was checked by the caller; `code` is a current code or a
/// recovery code) and tells the owner by mail.
pub async fn disable(state: &AppState, caller: &Caller, meta: &RequestMeta, code: &str) -> Result<(), AppError> {
    let key = tokens::signing_key(state).await?;
    let mut c = Change::by_caller(state, caller, meta).await?;
    let user_id = caller.user_id;
    c.lock(RowLock::User(user_id)).await?;
    check_code(&mut c, &key, user_id, code).await?.map_err(code_error)?;
    remove(&mut c, user_id).await?;
    c.audit(
        Audit::new(AuditAction::AccountSecondFactorDisable, AuditTarget::User(user_id))
            .before(json!({"second_factor": true}))
            .after(json!({"second_factor": false})),
    )
    .await?;
    c.notify(OutboxEvent::email(user_id, "account.second_factor_disabled", json!({"name": caller.display_name})))
        .await?;
    c.commit().await
}

/// An operator removes a user's second factor (a lost phone and lost recovery codes, after the
/// support desk checked who is asking). Not one's own (the account page does that), and a super
/// admin's only by a super admin. The owner is told by mail.
pub async fn remove_by_operator(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    user_id: i64,
    reason: &Reason,
) -> Result<(), AppError> {
    if user_id == caller.user_id {
        return Err(AppError::conflict("totp.not_for_self"));
    }
    let mut c = Change::by_caller(state, caller, meta).await?;
    c.lock(RowLock::User(user_id)).await?;
    let name: String = sqlx::query_scalar("SELECT display_name FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(c.conn())
        .await
        .context("loading the user")?
        .ok_or(AppError::NotFound)?;
    let super_admin: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM user_roles WHERE user_id = $1 AND role = $2")
        .bind(user_id)
        .bind(OperatorRole::SuperAdmin.as_str())
        .fetch_one(c.conn())
        .await
        .context("loading the user's roles")?;
    if super_admin > 0 && !caller.is_super_admin() {
        return Err(AppError::Forbidden);
    }
    if !enabled(c.conn(), user_id).await? {
        return Err(AppError::conflict("totp.not_enabled_for_user"));
    }
    remove(&mut c, user_id).await?;
    c.audit(
        Audit::new(AuditAction::UsersRemoveSecondFactor, AuditTarget::User(user_id))
            .before(json!({"second_factor": true}))
            .after(json!({"second_factor": false}))
            .reason(reason.as_str()),
    )
    .await?;
    c.notify(OutboxEvent::email(user_id, "account.second_factor_disabled", json!({"name": name}))).await?;
    c.commit().await
}

async fn remove(c: &mut Change, user_id: i64) -> Result<(), AppError> {
    for sql in
        ["DELETE FROM user_recovery_codes WHERE user_id = $1", "DELETE FROM user_second_factors WHERE user_id = $1"]
    {
        sqlx::query(sql).bind(user_id).execute(c.conn()).await.context("removing the second factor")?;
    }
    Ok(())
}

/// Checks `input` (six digits from the app, or a recovery code) for `user_id`, whose row the change
/// has locked, and spends it. A wrong code changes nothing: the caller decides what a failure costs.
pub async fn check_code(
    c: &mut Change,
    key: &[u8],
    user_id: i64,
    input: &str,
) -> Result<Result<Proof, CodeProblem>, AppError> {
    if totp::parse_code(input).is_some() {
        return match check_authenticator(c, user_id, input).await {
            Ok(()) => Ok(Ok(Proof::Authenticator)),
            Err(Refused::Code(p)) => Ok(Err(p)),
            Err(Refused::Error(e)) => Err(e),
        };
    }
    let Some(plain) = totp::parse_recovery_code(input) else { return Ok(Err(CodeProblem::Malformed)) };
    let now = c.now_ms();
    let spent = sqlx::query(
        "UPDATE user_recovery_codes SET used_at = $1 WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL",
    )
    .bind(now)
    .bind(user_id)
    .bind(recovery_code_hash(key, user_id, &plain))
    .execute(c.conn())
    .await
    .context("spending a recovery code")?
    .rows_affected();
    if spent != 1 {
        return Ok(Err(CodeProblem::Wrong));
    }
    let left: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM user_recovery_codes WHERE user_id = $1 AND used_at IS NULL")
            .bind(user_id)
            .fetch_one(c.conn())
            .await
            .context("counting recovery codes")?;
    Ok(Ok(Proof::RecoveryCode { left }))
}

/// Why a check failed: the code, or the database.
enum Refused {
    Code(CodeProblem),
    Error(AppError),
}

impl From<AppError> for Refused {
    fn from(e: AppError) -> Refused {
        Refused::Error(e)
    }
}

impl From<Refused> for AppError {
    fn from(r: Refused) -> AppError {
        match r {
            Refused::Code(p) => code_error(p),
            Refused::Error(e) => e,
        }
    }
}

/// A code from the app (not a recovery code), checked and spent.
async fn check_authenticator(c: &mut Change, user_id: i64, input: &str) -> Result<(), Refused> {
    let row: Option<(String, i64)> = sqlx::query_as(
        "SELECT secret, last_used_step FROM user_second_factors WHERE user_id = $1 AND enabled_at IS NOT NULL",
    )
    .bind(user_id)
    .fetch_optional(c.conn())
    .await
    .context("reading the second factor")?;
    let Some((secret, last)) = row else { return Err(Refused::Error(AppError::conflict("totp.not_enabled"))) };
    let secret = Secret::from_base32(&secret).ok_or_else(|| AppError::internal("a stored key"))?;
    let step = totp::verify(&secret, input, c.now_ms(), last).map_err(Refused::Code)?;
    sqlx::query("UPDATE user_second_factors SET last_used_step = $1 WHERE user_id = $2")
        .bind(step)
        .bind(user_id)
        .execute(c.conn())
        .await
        .context("spending the code")?;
    Ok(())
}

/// Ten fresh recovery codes in place of the old ones; only their hashes are stored.
async fn replace_recovery_codes(c: &mut Change, key: &[u8], user_id: i64) -> Result<Vec<String>, AppError> {
    sqlx::query("DELETE FROM user_recovery_codes WHERE user_id = $1")
        .bind(user_id)
        .execute(c.conn())
        .await
        .context("dropping old recovery codes")?;
    let mut codes = Vec::with_capacity(totp::RECOVERY_CODES);
    while codes.len() < totp::RECOVERY_CODES {
        let mut bytes = [0u8; totp::RECOVERY_CODE_BYTES];
        rand::thread_rng().fill_bytes(&mut bytes);
        let code = totp::recovery_code_from(&bytes);
        if codes.contains(&code) {
            continue;
        }
        let plain = totp::parse_recovery_code(&code).expect("a generated code parses");
        sqlx::query("INSERT INTO user_recovery_codes (user_id, code_hash) VALUES ($1, $2)")
            .bind(user_id)
            .bind(recovery_code_hash(key, user_id, &plain))
            .execute(c.conn())
            .await
            .context("storing a recovery code")?;
        codes.push(code);
    }
    Ok(codes)
}

/// A code problem as the error shown next to the code field.
pub fn code_error(problem: CodeProblem) -> AppError {
    AppError::invalid("code", problem.code())
}
