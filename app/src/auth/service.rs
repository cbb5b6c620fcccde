//! Account logic behind the server functions, callable without HTTP (the CLI and tests use it too).

use super::lock;
use super::model::Viewer;
use crate::audit::refusals;
use crate::domain::account::{DisplayName, Email, EMAIL_MAX_CHARS};
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::ban::BanCategory;
use crate::domain::password::{acceptable_attempt, NewPassword};
use crate::domain::permissions::OperatorRole;
use crate::domain::throttle;
use crate::error::{AppError, Context};
use crate::i18n::Lang;
use crate::platform::audit_log::Actor;
use crate::platform::caller::{hash_token, load_access, must_enrol, new_token, Caller, RequestMeta};
use crate::platform::change::{Audit, Change};
use crate::platform::outbox::OutboxEvent;
use crate::platform::passwords;
use crate::platform::state::AppState;
use serde_json::json;
use sqlx::{AnyConnection, Row};

/// A window after which old failures no longer count towards the wait.
const THROTTLE_WINDOW_MS: i64 = 3_600_000;

pub fn viewer_of(c: &Caller) -> Viewer {
    Viewer {
        user_id: c.user_id,
        email: c.email.clone(),
        display_name: c.display_name.clone(),
        roles: c.roles.clone(),
        permissions: c.permissions,
        lang: Lang::parse(&c.locale).unwrap_or_default(),
        second_factor: c.second_factor,
        must_enrol_second_factor: c.must_enrol_second_factor,
    }
}

pub struct NewAccount {
    pub email: Email,
    pub display_name: DisplayName,
    pub password: NewPassword,
    pub lang: Lang,
}

impl NewAccount {
    pub fn parse(email: &str, display_name: &str, password: &str, lang: Lang) -> Result<NewAccount, AppError> {
        Ok(NewAccount {
            email: Email::parse(email).map_err(|e| AppError::invalid("email", e.code()))?,
            display_name: DisplayName::parse(display_name).map_err(|e| AppError::invalid("display_name", e.code()))?,
            password: NewPassword::parse(password).map_err(|e| AppError::invalid("password", e.code()))?,
            lang,
        })
    }
}

/// Inserts the user; `email.taken` when the address is in use. The unique index decides (`ON CONFLICT`),
/// not a look-up first: two sign-ups racing for one address on PostgreSQL would both pass a look-up,
/// and the loser would fail with a unique violation (a 500) instead of `email.taken`.
pub async fn insert_user(
    conn: &mut AnyConnection,
    now: i64,
    account: &NewAccount,
    password_hash: &str,
) -> Result<i64, AppError> {
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO users (email, display_name, password_hash, status, locale, created_at, updated_at) \
         VALUES ($1, $2, $3, 'active', $4, $5, $5) ON CONFLICT (email) DO NOTHING RETURNING id",
    )
    .bind(account.email.as_str())
    .bind(account.display_name.as_str())
    .bind(password_hash)
    .bind(account.lang.code())
    .bind(now)
    .fetch_optional(&mut *conn)
    .await
    .context("inserting the user")?;
    id.ok_or_else(|| AppError::invalid("email", "email.taken"))
}

/// Creates a session for `user_id` and returns its token (only the hash is stored).
pub async fn start_session(
    conn: &mut AnyConnection,
    now: i64,
    user_id: i64,
    meta: &RequestMeta,
) -> Result<String, AppError> {
    let token = new_token();
    sqlx::query(
        "INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, ip, user_agent) VALUES ($1, $2, $3, $3, $4, $5)",
    )
    .bind(hash_token(&token))
    .bind(user_id)
    .bind(now)
    .bind(&meta.ip)
    .bind(&meta.user_agent)
    .execute(&mut *conn)
    .await
    .context("starting a session")?;
    // The directory's "last sign-in" and "sign-ins" (a sign-up's first session counts as one).
    sqlx::query("UPDATE users SET last_sign_in_at = $1, sign_in_count = sign_in_count + 1 WHERE id = $2")
        .bind(now)
        .bind(user_id)
        .execute(&mut *conn)
        .await
        .context("counting the sign-in")?;
    Ok(token)
}

/// Creates the account, its first session, and the mail with the link that proves the address.
pub async fn sign_up(state: &AppState, meta: &RequestMeta, account: NewAccount) -> Result<(Viewer, String), AppError> {
    if state.settings().signup_policy == Some(crate::platform::state::SignupPolicy::InviteOnly) {
        return Err(AppError::conflict("auth.signup_invite_only"));
    }
    crate::settings::flags::require(state, None, &[], "public_signup", "auth.signup_paused").await?;
    let hash = passwords::hash(account.password.expose().to_string()).await?;
    let key = super::tokens::signing_key(state).await?;
    // Signing up is the buyer's own doing, not a decision the audit log records.
    let mut c = Change::unaudited(state, "sign-up: a new account, its first session, the verification mail").await?;
    let now = c.now_ms();
    let user_id = insert_user(c.conn(), now, &account, &hash).await?;
    let token = start_session(c.conn(), now, user_id, meta).await?;
    super::verification::send_link(&mut c, &key, user_id, account.display_name.as_str()).await?;
    c.commit().await?;
    let viewer = Viewer {
        user_id,
        email: account.email.as_str().to_string(),
        display_name: account.display_name.as_str().to_string(),
        roles: vec![],
        permissions: Default::default(),
        lang: account.lang,
        second_factor: false,
        must_enrol_second_factor: false,
    };
    Ok((viewer, token))
}

/// What `take_attempt` decided.
enum Attempt {
    /// Go on and check the password; each key's `last_failure_at` before this attempt.
    Allowed([i64; 2]),
    /// Too soon after the last failures: seconds to wait.
    Wait(i64),
    /// The account is locked until then (the attempt still counted).
    Locked(i64),
}

/// Takes one attempt from the allowance of each key (the account, then the IP), or answers how many
/// seconds to wait, or that the account is locked. The attempt is counted as a failure before the
/// password is checked, in one transaction that touches the rows first (a row lock on PostgreSQL;
/// SQLite has a single writer): parallel guesses line up here one by one, so they cannot all pass the
/// check before the first failure is written. A success gives the attempt back (`give_back`).
async fn take_attempt(state: &AppState, keys: [&str; 2], now: i64) -> Result<Attempt, AppError> {
    // Throttle bookkeeping, not an audited decision. `now` is the caller's instant (not the change's):
    // `give_back` later finds this attempt by it.
    let mut c = Change::unaudited(state, "sign-in throttle: counting an attempt").await?;
    let mut before = [(0i64, 0i64); 2];
    let mut locked_until = 0;
    for (i, key) in keys.iter().enumerate() {
        sqlx::query(
            "INSERT INTO sign_in_throttle (throttle_key, failures, last_failure_at) VALUES ($1, 0, 0) \
             ON CONFLICT (throttle_key) DO UPDATE SET failures = sign_in_throttle.failures",
        )
        .bind(*key)
        .execute(c.conn())
        .await
        .context("touching the sign-in throttle")?;
        let (failures, last, until): (i64, i64, i64) = sqlx::query_as(
            "SELECT failures, last_failure_at, locked_until FROM sign_in_throttle WHERE throttle_key = $1",
        )
        .bind(*key)
        .fetch_one(c.conn())
        .await
        .context("reading the sign-in throttle")?;
        // Failures older than the window no longer count.
        let failures = if now - last > THROTTLE_WINDOW_MS { 0 } else { failures };
        before[i] = (failures, last);
        // A locked account says so (not "wait a few seconds"); the IP's wait still applies first.
        if i == 0 && until > now {
            locked_until = until;
            continue;
        }
        if let Some(retry_after_s) = throttle::retry_after_s(failures.clamp(0, u32::MAX as i64) as u32, last, now) {
            // Dropping the change rolls the touch back.
            return Ok(Attempt::Wait(retry_after_s));
        }
    }
    let locked = locked_until > now;
    // A try at a locked account counts like any failure, for the account and the IP: hammering it
    // only lengthens the waits (the owner's unlock link clears the account's).
    for (key, (failures, _)) in keys.iter().zip(before) {
        sqlx::query("UPDATE sign_in_throttle SET failures = $1, last_failure_at = $2 WHERE throttle_key = $3")
            .bind(failures + 1)
            .bind(now)
            .bind(*key)
            .execute(c.conn())
            .await
            .context("counting a sign-in attempt")?;
    }
    c.commit().await?;
    Ok(if locked { Attempt::Locked(locked_until) } else { Attempt::Allowed(before.map(|(_, last)| last)) })
}

/// Undoes `take_attempt`'s count for `key` after a success (its time too, unless a later failure
/// has been recorded since).
async fn give_back(conn: &mut AnyConnection, key: &str, counted_at: i64, last_before: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE sign_in_throttle SET failures = CASE WHEN failures > 0 THEN failures - 1 ELSE 0 END, \
         last_failure_at = CASE WHEN last_failure_at = $2 THEN $3 ELSE last_failure_at END WHERE throttle_key = $1",
    )
    .bind(key)
    .bind(counted_at)
    .bind(last_before)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Who a sign-in proved to be: a session now, or the second factor still to come.
pub enum Proven {
    /// The viewer and the new session's token.
    Session(Viewer, String),
    /// The challenge token the second step answers (`second_factor::sign_in`).
    SecondFactor(String),
}

/// The throttle keys of a sign-in: the account (by address) and the IP.
pub fn throttle_keys(email: &str, ip: &str) -> (String, String) {
    let email = email.trim().to_lowercase();
    // No account has a longer address, and the key must not let a caller store megabytes.
    (format!("account:{}", email.chars().take(EMAIL_MAX_CHARS).collect::<String>()), format!("ip:{ip}"))
}

/// Takes an attempt from the throttle (`take_attempt`), or refuses: a wait, or a locked account (put
/// on the record when the account exists). Returns each key's last failure before this attempt.
pub async fn pass_throttle(
    state: &AppState,
    meta: &RequestMeta,
    keys: &(String, String),
    now: i64,
    user_id: Option<i64>,
) -> Result<[i64; 2], AppError> {
    match take_attempt(state, [&keys.0, &keys.1], now).await? {
        Attempt::Allowed(last_before) => Ok(last_before),
        Attempt::Wait(retry_after_s) => Err(AppError::RateLimited { retry_after_s }),
        Attempt::Locked(until) => {
            if let Some(user_id) = user_id {
                let (actor, action) = (Actor::anonymous(), AuditAction::AuthSignInRefused);
                refusals::record(state, actor, meta, action, user_id, "account locked").await;
            }
            Err(lock::locked_error(until))
        }
    }
}

/// After a sign-in succeeded: the account starts afresh; the IP keeps its earlier failures (else
/// signing in to one's own account between guesses would reset them) but not this attempt.
pub async fn clear_throttle(
    conn: &mut AnyConnection,
    keys: &(String, String),
    now: i64,
    ip_last_before: i64,
) -> Result<(), AppError> {
    sqlx::query("DELETE FROM sign_in_throttle WHERE throttle_key = $1")
        .bind(&keys.0)
        .execute(&mut *conn)
        .await
        .context("clearing the account's throttle")?;
    give_back(conn, &keys.1, now, ip_last_before).await.context("giving the attempt back")?;
    Ok(())
}

/// Checks the password (throttled per account and per IP), then starts a fresh session, or the
/// second step when the account has a second factor. Any session the browser already had is ended:
/// the id is rotated at sign-in.
pub async fn sign_in(
    state: &AppState,
    meta: &RequestMeta,
    email: &str,
    password: &str,
    previous_session_hash: Option<String>,
) -> Result<Proven, AppError> {
    let now = state.now_ms();
    let keys = throttle_keys(email, &meta.ip);
    let email = email.trim().to_lowercase();
    if !acceptable_attempt(password) {
        return Err(AppError::invalid("password", "password.required"));
    }
    let row = sqlx::query(
        "SELECT id, email, display_name, password_hash, status, locale, ban_category, ban_ends_at FROM users \
         WHERE email = $1",
    )
    .bind(&email)
    .fetch_optional(state.db.read())
    .await?;
    let user = row.as_ref().map(|r| r.try_get::<i64, _>("id")).transpose()?;
    let last_before = pass_throttle(state, meta, &keys, now, user).await?;
    let stored_hash = match &row {
        Some(r) => r.try_get::<String, _>("password_hash")?,
        None => passwords::dummy_hash().to_string(),
    };
    let password_ok = passwords::verify(password.to_string(), stored_hash).await;
    let Some(row) = row.filter(|_| password_ok) else {
        lock::count_failure(state, &keys.0, &keys.1, user).await?;
        return Err(AppError::invalid("password", "auth.bad_credentials"));
    };
    let user_id: i64 = row.try_get("id")?;
    // Only the right password learns of a ban or a deletion: a guesser hears "wrong" like everyone else.
    refuse_unless_active(state, meta, user_id, &row).await?;
    let key = super::tokens::signing_key(state).await?;
    let mut c = Change::unaudited(state, "sign-in: rotating the session").await?;
    if crate::auth::second_factor::service::enabled(c.conn(), user_id).await? {
        // The password gives its attempt back, but the account's window of failures stays: only the
        // second step's success clears it, so guessing codes between right passwords still locks.
        for (key, last) in [(&keys.0, last_before[0]), (&keys.1, last_before[1])] {
            give_back(c.conn(), key, now, last).await.context("giving the attempt back")?;
        }
        let challenge = crate::auth::second_factor::challenge::issue(&mut c, &key, user_id).await?;
        c.commit().await?;
        return Ok(Proven::SecondFactor(challenge));
    }
    clear_throttle(c.conn(), &keys, now, last_before[1]).await?;
    let token = rotate_session(c.conn(), now, user_id, previous_session_hash, meta).await?;
    c.commit().await?;
    Ok(Proven::Session(signed_in_viewer(state, user_id).await?, token))
}

/// A user who proved who they are (`row`: status, ban_category, ban_ends_at) but may not come in: a
/// deleted account is told until when it can be restored, a banned one why and until when; each
/// refusal is on the audit record.
async fn refuse_unless_active(
    state: &AppState,
    meta: &RequestMeta,
    user_id: i64,
    row: &sqlx::any::AnyRow,
) -> Result<(), AppError> {
    let status: String = row.try_get("status")?;
    if status == "deleted" {
        refusals::record(state, Actor::anonymous(), meta, AuditAction::AuthSignInRefused, user_id, "account deleted")
            .await;
        let until = crate::users::deletion::service::restorable_until(state, user_id).await?;
        return Err(AppError::SignInBlocked { code: "auth.account_deleted".into(), until_ms: until, cause: None });
    }
    if status != "active" {
        refusals::record(state, Actor::anonymous(), meta, AuditAction::AuthSignInRefused, user_id, "account banned")
            .await;
        return Err(banned_error(
            row.try_get::<Option<String>, _>("ban_category")?,
            row.try_get::<Option<i64>, _>("ban_ends_at")?,
        ));
    }
    Ok(())
}

/// Signs in a user a provider vouched for (`auth::oidc`): refused like a password sign-in when the
/// account is banned or deleted; the second factor still comes next when enrolled.
pub async fn sign_in_vouched(
    state: &AppState,
    meta: &RequestMeta,
    user_id: i64,
    previous_session_hash: Option<String>,
) -> Result<Proven, AppError> {
    let row = sqlx::query("SELECT status, ban_category, ban_ends_at FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_one(state.db.read())
        .await
        .context("loading the account")?;
    refuse_unless_active(state, meta, user_id, &row).await?;
    let key = super::tokens::signing_key(state).await?;
    let mut c = Change::unaudited(state, "sign-in through a provider: rotating the session").await?;
    if crate::auth::second_factor::service::enabled(c.conn(), user_id).await? {
        let challenge = crate::auth::second_factor::challenge::issue(&mut c, &key, user_id).await?;
        c.commit().await?;
        return Ok(Proven::SecondFactor(challenge));
    }
    let token = rotate_session(c.conn(), state.now_ms(), user_id, previous_session_hash, meta).await?;
    c.commit().await?;
    Ok(Proven::Session(signed_in_viewer(state, user_id).await?, token))
}

/// What a banned user is told at sign-in: the category of the ban and when it ends.
fn banned_error(category: Option<String>, ends_at: Option<i64>) -> AppError {
    let cause = category.as_deref().and_then(BanCategory::parse).unwrap_or(BanCategory::Other);
    AppError::SignInBlocked {
        code: if ends_at.is_some() { "auth.banned_until" } else { "auth.banned_permanently" }.to_string(),
        until_ms: ends_at,
        cause: Some(cause.label_key().to_string()),
    }
}

/// Starts the session of a user who has just proved who they are (a password, a code from their
/// mail). Any session the browser already had is ended: the id is rotated at sign-in.
pub async fn rotate_session(
    conn: &mut AnyConnection,
    now: i64,
    user_id: i64,
    previous_session_hash: Option<String>,
    meta: &RequestMeta,
) -> Result<String, AppError> {
    if let Some(old) = previous_session_hash {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(old)
            .execute(&mut *conn)
            .await
            .context("ending the previous session")?;
    }
    start_session(conn, now, user_id, meta).await
}

/// The viewer of a user who has just signed in.
pub async fn signed_in_viewer(state: &AppState, user_id: i64) -> Result<Viewer, AppError> {
    let row = sqlx::query(
        "SELECT u.email, u.display_name, u.locale, f.enabled_at AS second_factor_at FROM users u \
         LEFT JOIN user_second_factors f ON f.user_id = u.id WHERE u.id = $1",
    )
    .bind(user_id)
    .fetch_one(state.db.read())
    .await
    .context("loading the signed-in user")?;
    let (roles, permissions) = load_access(state, user_id).await?;
    let second_factor = row.try_get::<Option<i64>, _>("second_factor_at")?.is_some();
    Ok(Viewer {
        user_id,
        email: row.try_get("email")?,
        display_name: row.try_get("display_name")?,
        must_enrol_second_factor: must_enrol(state, &roles, second_factor),
        roles,
        permissions,
        lang: Lang::parse(&row.try_get::<String, _>("locale")?).unwrap_or_default(),
        second_factor,
    })
}

pub async fn sign_out(state: &AppState, session_hash: &str) -> Result<(), AppError> {
    let mut c = Change::unaudited(state, "sign-out: ending the caller's own session").await?;
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
        .bind(session_hash)
        .execute(c.conn())
        .await
        .context("ending the session")?;
    c.commit().await
}

/// Changes the password and ends every other session of the user.
pub async fn change_password(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    current: &str,
    new: &str,
) -> Result<(), AppError> {
    if !acceptable_attempt(current) {
        return Err(AppError::invalid("current_password", "password.required"));
    }
    let new = NewPassword::parse(new).map_err(|e| AppError::invalid("new_password", e.code()))?;
    let stored: String = sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
        .bind(caller.user_id)
        .fetch_one(state.db.read())
        .await
        .context("loading the password hash")?;
    if !passwords::verify(current.to_string(), stored).await {
        return Err(AppError::invalid("current_password", "password.wrong"));
    }
    let hash = passwords::hash(new.expose().to_string()).await?;
    let mut c = Change::by_caller(state, caller, meta).await?;
    let now = c.now_ms();
    sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
        .bind(&hash)
        .bind(now)
        .bind(caller.user_id)
        .execute(c.conn())
        .await
        .context("storing the new password")?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2")
        .bind(caller.user_id)
        .bind(&caller.session_hash)
        .execute(c.conn())
        .await
        .context("ending the other sessions")?;
    c.audit(
        Audit::new(AuditAction::AccountChangePassword, AuditTarget::User(caller.user_id))
            .before(json!({}))
            .after(json!({"other_sessions": "ended"})),
    )
    .await?;
    // Tell the owner in-app: if it was not them, they learn of it the next time they sign in.
    c.notify(OutboxEvent::notify(caller.user_id, "account.password_changed", json!({"name": caller.display_name})))
        .await?;
    c.commit().await
}

pub async fn set_locale(state: &AppState, user_id: i64, lang: Lang) -> Result<(), AppError> {
    let mut c = Change::unaudited(state, "locale: the user's own language preference").await?;
    sqlx::query("UPDATE users SET locale = $1 WHERE id = $2")
        .bind(lang.code())
        .bind(user_id)
        .execute(c.conn())
        .await
        .context("storing the language")?;
    c.commit().await
}

/// Super admins who can sign in (active accounts).
pub async fn active_super_admins(state: &AppState) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM user_roles r JOIN users u ON u.id = r.user_id WHERE r.role = 'super_admin' AND u.status = 'active'",
    )
    .fetch_one(state.db.read())
    .await?)
}

/// Creates a super admin: from the CLI (`admin create`) or through the service token. Audited as the
/// system acting.
pub async fn create_super_admin(
    state: &AppState,
    meta: &RequestMeta,
    via: &str,
    account: NewAccount,
) -> Result<i64, AppError> {
    let hash = passwords::hash(account.password.expose().to_string()).await?;
    let mut c = Change::begin(state, Actor::system(via), meta.clone()).await?;
    let now = c.now_ms();
    let user_id = insert_user(c.conn(), now, &account, &hash).await?;
    sqlx::query("INSERT INTO user_roles (user_id, role, granted_at, granted_by) VALUES ($1, $2, $3, NULL)")
        .bind(user_id)
        .bind(OperatorRole::SuperAdmin.as_str())
        .bind(now)
        .execute(c.conn())
        .await
        .context("granting the super admin role")?;
    c.audit(
        Audit::new(AuditAction::RolesBootstrapSuperAdmin, AuditTarget::User(user_id))
            .before(json!({"roles": []}))
            .after(json!({"email": account.email.as_str(), "roles": ["super_admin"]}))
            .reason("bootstrap"),
    )
    .await?;
    c.commit().await?;
    Ok(user_id)
}
