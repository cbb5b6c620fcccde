//! Storing and spending account tokens (the rules are `domain::account_token`). Only the HMAC of a
//! token is stored; the raw token travels in the mail alone. Issuing a token retires the unused ones
//! of the same purpose, so only the newest link or code works. Spending is a conditional update, so a
//! link opened twice at once is still used once.

use crate::domain::account_token::{self, code_from, count_ip_request, IpWindow, Purpose, TokenProblem, TokenState};
use crate::error::{AppError, Context};
use crate::platform::change::Change;
use crate::platform::state::AppState;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::{Rng, RngCore};
use sqlx::AnyConnection;

/// The platform's signing key. Read before a `Change` starts: on first use it is written, and on
/// SQLite that write would wait on the change's own transaction.
pub async fn signing_key(state: &AppState) -> Result<Vec<u8>, AppError> {
    Ok(state.signing_key.get(&state.db, state.now_ms()).await.context("reading the signing key")?.to_vec())
}

/// A new link token: 32 random bytes, base64url.
pub fn new_link_token() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A new six-digit sign-in code.
pub fn new_code() -> String {
    code_from(rand::thread_rng().gen())
}

/// The address of a page with `token` in its query: what the mail links to.
pub fn link(state: &AppState, path: &str, token: &str) -> String {
    format!("{}{path}?token={token}", state.settings().public_url.trim_end_matches('/'))
}

/// Stores a token of `purpose` for `user_id` (its hash), retiring the unused ones of that purpose.
pub async fn issue(
    c: &mut Change,
    user_id: i64,
    purpose: Purpose,
    token_hash: &str,
    new_email: Option<&str>,
) -> Result<(), AppError> {
    let now = c.now_ms();
    sqlx::query("UPDATE account_tokens SET used_at = $1 WHERE user_id = $2 AND purpose = $3 AND used_at IS NULL")
        .bind(now)
        .bind(user_id)
        .bind(purpose.as_str())
        .execute(c.conn())
        .await
        .context("retiring older tokens")?;
    sqlx::query(
        "INSERT INTO account_tokens (user_id, purpose, token_hash, new_email, attempts, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, 0, $5, $6)",
    )
    .bind(user_id)
    .bind(purpose.as_str())
    .bind(token_hash)
    .bind(new_email)
    .bind(now)
    .bind(now + purpose.lifetime_ms())
    .execute(c.conn())
    .await
    .context("storing the token")?;
    Ok(())
}

/// When the last token of `purpose` was issued to `user_id` (the per-address mail limit).
pub async fn last_issued_at(conn: &mut AnyConnection, user_id: i64, purpose: Purpose) -> Result<Option<i64>, AppError> {
    sqlx::query_scalar("SELECT MAX(created_at) FROM account_tokens WHERE user_id = $1 AND purpose = $2")
        .bind(user_id)
        .bind(purpose.as_str())
        .fetch_one(&mut *conn)
        .await
        .context("reading the last token")
}

/// A stored token found by its hash.
#[derive(Debug, Clone)]
pub struct Found {
    pub id: i64,
    pub user_id: i64,
    pub new_email: Option<String>,
    pub state: TokenState,
}

type FoundRow = (i64, i64, Option<String>, i64, Option<i64>, i64);

fn found((id, user_id, new_email, expires_at, used_at, attempts): FoundRow) -> Found {
    Found { id, user_id, new_email, state: TokenState { expires_at, used_at, attempts } }
}

/// The usable link token `token` of `purpose`, or why it cannot be used.
pub async fn find_link(
    conn: &mut AnyConnection,
    key: &[u8],
    purpose: Purpose,
    token: &str,
    now: i64,
) -> Result<Result<Found, TokenProblem>, AppError> {
    let token = token.trim();
    if !account_token::is_token_shaped(token) {
        return Ok(Err(TokenProblem::Unknown));
    }
    let row: Option<FoundRow> = sqlx::query_as(
        "SELECT id, user_id, new_email, expires_at, used_at, attempts FROM account_tokens \
         WHERE token_hash = $1 AND purpose = $2",
    )
    .bind(account_token::token_hash(key, purpose, token))
    .bind(purpose.as_str())
    .fetch_optional(&mut *conn)
    .await
    .context("looking the token up")?;
    let Some(found) = row.map(found) else { return Ok(Err(TokenProblem::Unknown)) };
    Ok(account_token::usable(&found.state, now).map(|()| found))
}

/// The newest sign-in code of `user_id`, if any was issued, with its stored hash.
pub async fn latest_code(conn: &mut AnyConnection, user_id: i64) -> Result<Option<(Found, String)>, AppError> {
    let row: Option<FoundRow> = sqlx::query_as(
        "SELECT id, user_id, new_email, expires_at, used_at, attempts FROM account_tokens \
         WHERE user_id = $1 AND purpose = $2 ORDER BY id DESC LIMIT 1",
    )
    .bind(user_id)
    .bind(Purpose::SignInCode.as_str())
    .fetch_optional(&mut *conn)
    .await
    .context("looking the code up")?;
    let Some(found) = row.map(found) else { return Ok(None) };
    let hash: String = sqlx::query_scalar("SELECT token_hash FROM account_tokens WHERE id = $1")
        .bind(found.id)
        .fetch_one(&mut *conn)
        .await
        .context("reading the code's hash")?;
    Ok(Some((found, hash)))
}

/// Marks the token used; `Used` when someone spent it first (or it ran out since it was found).
pub async fn spend(c: &mut Change, id: i64) -> Result<Result<(), TokenProblem>, AppError> {
    let now = c.now_ms();
    let spent =
        sqlx::query("UPDATE account_tokens SET used_at = $1 WHERE id = $2 AND used_at IS NULL AND expires_at > $1")
            .bind(now)
            .bind(id)
            .execute(c.conn())
            .await
            .context("spending the token")?
            .rows_affected();
    Ok(if spent == 1 { Ok(()) } else { Err(TokenProblem::Used) })
}

/// Counts a wrong entry of a sign-in code.
pub async fn count_wrong_entry(c: &mut Change, id: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE account_tokens SET attempts = attempts + 1 WHERE id = $1")
        .bind(id)
        .execute(c.conn())
        .await
        .context("counting a wrong code")?;
    Ok(())
}

/// Counts one mail request from `ip` (reset links, sign-in codes) in the sign-in throttle's table
/// (`failures`: requests in the window, `last_failure_at`: when the window started), or refuses with
/// the wait once the IP's cap is reached. The row is touched first so parallel requests line up.
pub async fn count_ip(c: &mut Change, ip: &str) -> Result<(), AppError> {
    let now = c.now_ms();
    let key = format!("mail-request:ip:{ip}");
    sqlx::query(
        "INSERT INTO sign_in_throttle (throttle_key, failures, last_failure_at) VALUES ($1, 0, 0) \
         ON CONFLICT (throttle_key) DO UPDATE SET failures = sign_in_throttle.failures",
    )
    .bind(&key)
    .execute(c.conn())
    .await
    .context("touching the mail request counter")?;
    let (count, started_at): (i64, i64) =
        sqlx::query_as("SELECT failures, last_failure_at FROM sign_in_throttle WHERE throttle_key = $1")
            .bind(&key)
            .fetch_one(c.conn())
            .await
            .context("reading the mail request counter")?;
    let next = count_ip_request(IpWindow { count, started_at }, now)
        .map_err(|retry_after_s| AppError::RateLimited { retry_after_s })?;
    sqlx::query("UPDATE sign_in_throttle SET failures = $1, last_failure_at = $2 WHERE throttle_key = $3")
        .bind(next.count)
        .bind(next.started_at)
        .bind(&key)
        .execute(c.conn())
        .await
        .context("counting a mail request")?;
    Ok(())
}

/// A token problem as the error shown next to `field`.
pub fn refused(field: &str, problem: TokenProblem) -> AppError {
    AppError::invalid(field, problem.code())
}
