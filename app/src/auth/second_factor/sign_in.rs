//! The second step of a sign-in. When the password (or a mailed code) is right and the account has
//! a second factor, no session starts yet: a challenge does (`challenge`). The code step is an
//! attempt like the password one (the same per-account and per-IP throttle), and a wrong code counts
//! towards the account lock: with the password known, guessing codes still locks the account and
//! mails its owner after ten misses.

use super::service::{self, code_error, Proof};
use crate::audit::refusals;
use crate::auth::model::Viewer;
use crate::auth::service::{clear_throttle, pass_throttle, rotate_session, signed_in_viewer, throttle_keys};
use crate::auth::{lock, tokens};
use crate::domain::account_token::{Purpose, TokenProblem};
use crate::domain::audit::AuditAction;
use crate::error::{AppError, Context};
use crate::platform::audit_log::Actor;
use crate::platform::caller::RequestMeta;
use crate::platform::change::{Change, RowLock};
use crate::platform::outbox::OutboxEvent;
use crate::platform::state::AppState;
use serde_json::json;

/// What a challenge that cannot be used is told: sign in again.
fn gone(_: TokenProblem) -> AppError {
    AppError::invalid("code", "totp.challenge_gone")
}

/// Completes the sign-in of the challenge's user with `code` (from the app, or a recovery code).
pub async fn complete(
    state: &AppState,
    meta: &RequestMeta,
    challenge: &str,
    code: &str,
    previous_session_hash: Option<String>,
) -> Result<(Viewer, String), AppError> {
    let key = tokens::signing_key(state).await?;
    let now = state.now_ms();
    let (user_id, email) = {
        let mut conn = state.db.read().acquire().await.context("a connection")?;
        let found = tokens::find_link(&mut conn, &key, Purpose::SecondFactor, challenge, now).await?.map_err(gone)?;
        let email: String = sqlx::query_scalar("SELECT email FROM users WHERE id = $1")
            .bind(found.user_id)
            .fetch_one(&mut *conn)
            .await
            .context("reading the address")?;
        (found.user_id, email)
    };
    let keys = throttle_keys(&email, &meta.ip);
    let [_, ip_last_before] = pass_throttle(state, meta, &keys, now, Some(user_id)).await?;
    let mut c = Change::unaudited(state, "sign-in: the second factor").await?;
    c.lock(RowLock::User(user_id)).await?;
    // Again under the lock: a parallel attempt may have spent or killed it.
    let found = tokens::find_link(c.conn(), &key, Purpose::SecondFactor, challenge, now).await?.map_err(gone)?;
    match service::check_code(&mut c, &key, user_id, code).await? {
        Err(problem) => {
            tokens::count_wrong_entry(&mut c, found.id).await?;
            c.commit().await?;
            if problem != crate::domain::totp::CodeProblem::Malformed {
                lock::count_failure(state, &keys.0, &keys.1, Some(user_id)).await?;
                let why = format!("wrong second-factor code ({})", problem.code());
                refusals::record(state, Actor::anonymous(), meta, AuditAction::AuthSignInRefused, user_id, &why).await;
            }
            Err(code_error(problem))
        }
        Ok(proof) => {
            tokens::spend(&mut c, found.id).await?.map_err(gone)?;
            clear_throttle(c.conn(), &keys, now, ip_last_before).await?;
            if let Proof::RecoveryCode { left } = proof {
                c.notify(OutboxEvent::email(user_id, "account.recovery_code_used", json!({"left": left}))).await?;
            }
            let token = rotate_session(c.conn(), now, user_id, previous_session_hash, meta).await?;
            c.commit().await?;
            Ok((signed_in_viewer(state, user_id).await?, token))
        }
    }
}
