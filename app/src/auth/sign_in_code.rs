//! Signing in with a one-time code sent by mail, beside the password: asking for a code answers like
//! the password reset (the same whatever the address, one mail a minute per address, a cap per IP);
//! the code (six digits, stored HMAC-hashed with the user id) lives ten minutes and dies at the fifth
//! wrong entry. A right code signs in exactly as a password does.

use super::reset::active_user_by_email;
use super::service::{rotate_session, signed_in_viewer, Proven};
use super::tokens;
use crate::domain::account_token::{self, Purpose, TokenProblem};
use crate::error::AppError;
use crate::platform::caller::RequestMeta;
use crate::platform::change::{Change, RowLock};
use crate::platform::outbox::OutboxEvent;
use crate::platform::state::AppState;
use serde_json::json;

/// Mails a sign-in code to `email` if it is an active account's and none went out in the last minute.
pub async fn request(state: &AppState, meta: &RequestMeta, email: &str) -> Result<(), AppError> {
    let key = tokens::signing_key(state).await?;
    let mut c = Change::unaudited(state, "sign-in code: a code is asked for").await?;
    tokens::count_ip(&mut c, &meta.ip).await?;
    if let Some((user_id, name)) = active_user_by_email(c.conn(), email).await? {
        c.lock(RowLock::User(user_id)).await?;
        let last = tokens::last_issued_at(c.conn(), user_id, Purpose::SignInCode).await?;
        if account_token::may_mail_again(last, c.now_ms()) {
            let code = tokens::new_code();
            let hash = account_token::code_hash(&key, user_id, &code);
            tokens::issue(&mut c, user_id, Purpose::SignInCode, &hash, None).await?;
            c.notify(OutboxEvent::email(user_id, "account.sign_in_code", json!({"secret_code": code, "name": name})))
                .await?;
        }
    }
    c.commit().await
}

/// Signs in with the code mailed to `email`. A wrong code counts against the code; an unknown
/// address answers like a wrong code.
pub async fn sign_in(
    state: &AppState,
    meta: &RequestMeta,
    email: &str,
    code: &str,
    previous_session_hash: Option<String>,
) -> Result<Proven, AppError> {
    let Some(code) = account_token::parse_code(code) else {
        return Err(AppError::invalid("code", "auth.code_format"));
    };
    let key = tokens::signing_key(state).await?;
    let mut c = Change::unaudited(state, "sign-in code: checking a code").await?;
    let now = c.now_ms();
    let wrong = || tokens::refused("code", TokenProblem::Unknown);
    let Some((user_id, _)) = active_user_by_email(c.conn(), email).await? else { return Err(wrong()) };
    // Entries for one account line up, so five parallel guesses cannot all pass the count.
    c.lock(RowLock::User(user_id)).await?;
    let Some((found, stored_hash)) = tokens::latest_code(c.conn(), user_id).await? else { return Err(wrong()) };
    if let Err(problem) = account_token::usable(&found.state, now) {
        return Err(tokens::refused("code", problem));
    }
    if account_token::code_hash(&key, user_id, &code) != stored_hash {
        tokens::count_wrong_entry(&mut c, found.id).await?;
        c.commit().await?;
        let dead = found.state.attempts + 1 >= account_token::CODE_MAX_TRIES;
        return Err(tokens::refused("code", if dead { TokenProblem::Dead } else { TokenProblem::Unknown }));
    }
    if let Err(problem) = tokens::spend(&mut c, found.id).await? {
        return Err(tokens::refused("code", problem));
    }
    if super::second_factor::service::enabled(c.conn(), user_id).await? {
        let challenge = super::second_factor::challenge::issue(&mut c, &key, user_id).await?;
        c.commit().await?;
        return Ok(Proven::SecondFactor(challenge));
    }
    let token = rotate_session(c.conn(), now, user_id, previous_session_hash, meta).await?;
    c.commit().await?;
    Ok(Proven::Session(signed_in_viewer(state, user_id).await?, token))
}
