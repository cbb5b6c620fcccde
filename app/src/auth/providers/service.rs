//! A provider sign-in, whichever the provider: the flow's storage (state, PKCE verifier, nonce, used
//! once), and what a vouched-for identity leads to: its account signed in, a new account, a link to the
//! signed-in user who asked, or a link waiting for an existing account's password. The providers'
//! own exchanges are `oidc.rs` and `github.rs`. Every refusal is an error code the sign-in page shows
//! (`provider.*`).

use super::model::IdentityRow;
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::sign_in_provider::{self, FLOW_TTL_MS, LINK_TTL_MS};
use crate::error::{AppError, Context};
use crate::platform::audit_log::Actor;
use crate::platform::caller::{hash_token, new_token, RequestMeta};
use crate::platform::change::{Audit, Change};
use crate::platform::outbox::OutboxEvent;
use crate::platform::passwords;
use crate::platform::state::AppState;
use serde_json::json;
use sqlx::{AnyConnection, Row};

pub use super::client::Vouched;

/// The providers this platform can sign in with; each is on when configured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provider {
    /// Any OpenID Connect issuer (`oidc_*`).
    Oidc,
    /// GitHub's OAuth 2.0 (`github_*`).
    Github,
}

impl Provider {
    pub const ALL: [Provider; 2] = [Provider::Oidc, Provider::Github];

    /// As stored in `oidc_flows.provider` and `user_identities.provider`, and in `?provider=`.
    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Oidc => "oidc",
            Provider::Github => "github",
        }
    }

    pub fn parse(s: &str) -> Option<Provider> {
        Provider::ALL.into_iter().find(|p| p.as_str() == s)
    }

    /// "Sign in with <label>", when configured.
    pub fn label(self, state: &AppState) -> Option<String> {
        match self {
            Provider::Oidc => state.settings().oidc.as_ref().map(|o| o.label.clone()),
            Provider::Github => state.settings().github.as_ref().map(|_| "GitHub".to_string()),
        }
    }
}

/// A started sign-in: where to send the browser, and the state its cookie carries.
pub struct Started {
    pub url: String,
    pub state: String,
}

/// Starts a sign-in with `provider` (or, with `link_user`, linking an identity to that signed-in user).
pub async fn start(state: &AppState, provider: Provider, link_user: Option<i64>) -> Result<Started, AppError> {
    let (flow_state, verifier, nonce) = (new_token(), new_token(), new_token());
    // Asked before anything is stored: an unreachable or misnamed provider leaves no flow behind.
    let url = match provider {
        Provider::Oidc => super::oidc::authorization_url(state, &flow_state, &nonce, &verifier).await?,
        Provider::Github => super::github::authorization_url(state, &flow_state, &verifier)?,
    };
    let mut c = Change::unaudited(state, "a provider sign-in started: its state, verifier and nonce").await?;
    let now = c.now_ms();
    sqlx::query("DELETE FROM oidc_flows WHERE expires_at < $1")
        .bind(now)
        .execute(c.conn())
        .await
        .context("expiring flows")?;
    sqlx::query(
        "INSERT INTO oidc_flows (state_hash, provider, verifier, nonce, link_user_id, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(hash_token(&flow_state))
    .bind(provider.as_str())
    .bind(&verifier)
    .bind(&nonce)
    .bind(link_user)
    .bind(now)
    .bind(now + FLOW_TTL_MS)
    .execute(c.conn())
    .await
    .context("storing the flow")?;
    c.commit().await?;
    Ok(Started { url, state: flow_state })
}

/// A flow taken at the callback: which provider, the PKCE verifier, the nonce, who asked to link.
pub struct Flow {
    pub provider: Provider,
    pub verifier: String,
    pub nonce: String,
    link_user_id: Option<i64>,
}

/// Takes the flow of `flow_state` (once: a second callback with it finds nothing).
async fn take_flow(state: &AppState, flow_state: &str) -> Result<Flow, AppError> {
    let mut c = Change::unaudited(state, "a provider sign-in's flow, used once").await?;
    let row =
        sqlx::query("SELECT provider, verifier, nonce, link_user_id, expires_at FROM oidc_flows WHERE state_hash = $1")
            .bind(hash_token(flow_state))
            .fetch_optional(c.conn())
            .await
            .context("loading the flow")?;
    let Some(row) = row else { return Err(AppError::conflict("provider.state_unknown")) };
    sqlx::query("DELETE FROM oidc_flows WHERE state_hash = $1")
        .bind(hash_token(flow_state))
        .execute(c.conn())
        .await
        .context("using the flow")?;
    let expired = row.try_get::<i64, _>("expires_at")? < c.now_ms();
    c.commit().await?;
    if expired {
        return Err(AppError::conflict("provider.flow_expired"));
    }
    let provider: String = row.try_get("provider")?;
    Ok(Flow {
        provider: Provider::parse(&provider)
            .ok_or_else(|| AppError::internal(format!("a flow of provider {provider}")))?,
        verifier: row.try_get("verifier")?,
        nonce: row.try_get("nonce")?,
        link_user_id: row.try_get("link_user_id")?,
    })
}

/// Where a provider's answer leads.
pub enum Outcome {
    /// The identity's account (new or known): sign it in.
    Account(i64),
    /// Linked to the signed-in user who asked.
    Linked,
    /// The verified email is an existing account's: its password must confirm the link (the token).
    ConfirmLink(String),
}

/// The callback: the state (already matched with the browser's cookie), the code, what follows.
/// `signed_in` is the caller's user id, when signed in.
pub async fn finish(
    state: &AppState,
    meta: &RequestMeta,
    code: &str,
    flow_state: &str,
    iss: Option<&str>,
    signed_in: Option<(i64, Actor)>,
) -> Result<Outcome, AppError> {
    let flow = take_flow(state, flow_state).await?;
    let vouched = match flow.provider {
        Provider::Oidc => super::oidc::exchange(state, code, iss, &flow.verifier, &flow.nonce).await?,
        Provider::Github => super::github::exchange(state, code, &flow.verifier).await?,
    };
    let provider = flow.provider;
    if let Some(user_id) = flow.link_user_id {
        let Some((caller_id, actor)) = signed_in.filter(|(id, _)| *id == user_id) else {
            return Err(AppError::conflict("provider.link_needs_sign_in"));
        };
        link(state, actor, meta, caller_id, provider, &vouched).await?;
        return Ok(Outcome::Linked);
    }
    if let Some(user_id) = known_identity(state, provider, &vouched.subject).await? {
        return Ok(Outcome::Account(user_id));
    }
    let email = vouched.email.clone().ok_or_else(|| AppError::conflict("provider.email_unverified"))?;
    if let Some(user_id) = account_with_email(state, &email).await? {
        return Ok(Outcome::ConfirmLink(request_link(state, user_id, provider, &vouched, &email).await?));
    }
    if state.settings().signup_policy == Some(crate::platform::state::SignupPolicy::InviteOnly) {
        return Err(AppError::conflict("auth.signup_invite_only"));
    }
    crate::settings::flags::require(state, None, &[], "public_signup", "auth.signup_paused").await?;
    Ok(Outcome::Account(create_account(state, provider, &vouched, &email).await?))
}

async fn known_identity(state: &AppState, provider: Provider, subject: &str) -> Result<Option<i64>, AppError> {
    let mut c = Change::unaudited(state, "a provider sign-in: the identity's last use").await?;
    let user: Option<i64> =
        sqlx::query_scalar("SELECT user_id FROM user_identities WHERE provider = $1 AND subject = $2")
            .bind(provider.as_str())
            .bind(subject)
            .fetch_optional(c.conn())
            .await
            .context("finding the identity")?;
    if user.is_some() {
        let now = c.now_ms();
        sqlx::query("UPDATE user_identities SET last_used_at = $1 WHERE provider = $2 AND subject = $3")
            .bind(now)
            .bind(provider.as_str())
            .bind(subject)
            .execute(c.conn())
            .await
            .context("noting the identity's use")?;
    }
    c.commit().await?;
    Ok(user)
}

async fn account_with_email(state: &AppState, email: &str) -> Result<Option<i64>, AppError> {
    sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(email)
        .fetch_optional(state.db.read())
        .await
        .context("finding the account of the email")
}

async fn insert_identity(
    conn: &mut AnyConnection,
    user_id: i64,
    provider: Provider,
    vouched: &Vouched,
    now: i64,
) -> Result<i64, AppError> {
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO user_identities (user_id, provider, subject, email, created_at, last_used_at) \
         VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (provider, subject) DO NOTHING RETURNING id",
    )
    .bind(user_id)
    .bind(provider.as_str())
    .bind(&vouched.subject)
    .bind(vouched.email.clone().unwrap_or_default())
    .bind(now)
    .fetch_optional(&mut *conn)
    .await
    .context("linking the identity")?;
    id.ok_or_else(|| AppError::conflict("provider.identity_taken"))
}

/// Links the identity to `user_id`, audited as the user's own act.
async fn link(
    state: &AppState,
    actor: Actor,
    meta: &RequestMeta,
    user_id: i64,
    provider: Provider,
    vouched: &Vouched,
) -> Result<(), AppError> {
    let mut c = Change::begin(state, actor, meta.clone()).await?;
    let now = c.now_ms();
    let id = insert_identity(c.conn(), user_id, provider, vouched, now).await?;
    c.audit(
        Audit::new(AuditAction::AccountIdentityLink, AuditTarget::User(user_id))
            .after(json!({"identity": id, "provider": provider.as_str(), "email": vouched.email})),
    )
    .await?;
    tell_owner(&mut c, state, user_id, provider, vouched.email.clone()).await?;
    c.commit().await
}

/// The owner hears of every new way into their account (if it was not them, they remove it).
async fn tell_owner(
    c: &mut Change,
    state: &AppState,
    user_id: i64,
    provider: Provider,
    email: Option<String>,
) -> Result<(), AppError> {
    let label = provider.label(state).unwrap_or_else(|| provider.as_str().to_string());
    let payload = json!({"provider": label, "provider_email": email.unwrap_or_default()});
    c.notify(OutboxEvent::email(user_id, "account.identity_linked", payload)).await
}

/// A link waiting for the password of the account whose email the provider verified.
async fn request_link(
    state: &AppState,
    user_id: i64,
    provider: Provider,
    vouched: &Vouched,
    email: &str,
) -> Result<String, AppError> {
    let token = new_token();
    let mut c = Change::unaudited(state, "a provider identity waiting for its account's password").await?;
    let now = c.now_ms();
    sqlx::query("DELETE FROM identity_link_requests WHERE expires_at < $1")
        .bind(now)
        .execute(c.conn())
        .await
        .context("expiring link requests")?;
    sqlx::query(
        "INSERT INTO identity_link_requests (token_hash, user_id, provider, subject, email, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(hash_token(&token))
    .bind(user_id)
    .bind(provider.as_str())
    .bind(&vouched.subject)
    .bind(email)
    .bind(now)
    .bind(now + LINK_TTL_MS)
    .execute(c.conn())
    .await
    .context("storing the link request")?;
    c.commit().await?;
    Ok(token)
}

/// The account a link request waits for (its id and email), while the request is valid.
pub struct LinkRequest {
    pub user_id: i64,
    pub email: String,
}

pub async fn link_request(state: &AppState, token: &str) -> Result<LinkRequest, AppError> {
    let row = sqlx::query(
        "SELECT r.user_id, u.email, r.expires_at FROM identity_link_requests r JOIN users u ON u.id = r.user_id \
         WHERE r.token_hash = $1",
    )
    .bind(hash_token(token))
    .fetch_optional(state.db.read())
    .await
    .context("loading the link request")?
    .ok_or_else(|| AppError::conflict("provider.link_unknown"))?;
    if row.try_get::<i64, _>("expires_at")? < state.now_ms() {
        return Err(AppError::conflict("provider.link_unknown"));
    }
    Ok(LinkRequest { user_id: row.try_get("user_id")?, email: row.try_get("email")? })
}

/// After the account's password proved the owner: the identity is linked, the request used up (once,
/// and only while it is valid: checked again inside the change). Audited as the owner's own act,
/// with the roles they hold.
pub async fn complete_link(state: &AppState, meta: &RequestMeta, token: &str, user_id: i64) -> Result<(), AppError> {
    let (roles, _) = crate::platform::caller::load_access(state, user_id).await?;
    let actor = Actor { id: Some(user_id), roles: crate::platform::caller::roles_label(&roles) };
    let mut c = Change::begin(state, actor, meta.clone()).await?;
    let row = sqlx::query(
        "SELECT user_id, provider, subject, email, expires_at FROM identity_link_requests WHERE token_hash = $1",
    )
    .bind(hash_token(token))
    .fetch_optional(c.conn())
    .await
    .context("loading the link request")?
    .ok_or_else(|| AppError::conflict("provider.link_unknown"))?;
    if row.try_get::<i64, _>("user_id")? != user_id || row.try_get::<i64, _>("expires_at")? < c.now_ms() {
        return Err(AppError::conflict("provider.link_unknown"));
    }
    sqlx::query("DELETE FROM identity_link_requests WHERE token_hash = $1")
        .bind(hash_token(token))
        .execute(c.conn())
        .await
        .context("using the link request")?;
    let provider: String = row.try_get("provider")?;
    let provider = Provider::parse(&provider).ok_or_else(|| AppError::conflict("provider.link_unknown"))?;
    let vouched = Vouched { subject: row.try_get("subject")?, email: Some(row.try_get("email")?), name: None };
    let now = c.now_ms();
    let id = insert_identity(c.conn(), user_id, provider, &vouched, now).await?;
    c.audit(Audit::new(AuditAction::AccountIdentityLink, AuditTarget::User(user_id)).after(
        json!({"identity": id, "provider": provider.as_str(), "email": vouched.email, "confirmed_by": "password"}),
    ))
    .await?;
    tell_owner(&mut c, state, user_id, provider, vouched.email.clone()).await?;
    c.commit().await
}

/// A new account for a new identity: no password (the provider is its way in), the email proven.
async fn create_account(state: &AppState, provider: Provider, vouched: &Vouched, email: &str) -> Result<i64, AppError> {
    let mut c = Change::unaudited(state, "sign-up through a provider: the account and its identity").await?;
    let now = c.now_ms();
    let lang = crate::auth::api::current_lang();
    let user_id: i64 = sqlx::query_scalar(
        "INSERT INTO users (email, display_name, password_hash, status, locale, created_at, updated_at, \
         email_verified_at) VALUES ($1, $2, $3, 'active', $4, $5, $5, $5) RETURNING id",
    )
    .bind(email)
    .bind(sign_in_provider::display_name_of(vouched.name.as_deref(), Some(email)))
    .bind(passwords::UNSET)
    .bind(lang.code())
    .bind(now)
    .fetch_one(c.conn())
    .await
    .context("creating the account")?;
    insert_identity(c.conn(), user_id, provider, vouched, now).await?;
    c.commit().await?;
    Ok(user_id)
}

/// The user's identities, oldest first (a handful at most).
pub async fn identities_of(state: &AppState, user_id: i64) -> Result<Vec<IdentityRow>, AppError> {
    sqlx::query_as(
        "SELECT id, provider, email, created_at AS created_at_ms, last_used_at AS last_used_at_ms \
         FROM user_identities WHERE user_id = $1 ORDER BY id",
    )
    .bind(user_id)
    .fetch_all(state.db.read())
    .await
    .context("listing the identities")
}

/// Unlinks identity `id` of the caller, unless it is their last way to sign in (no password set).
pub async fn unlink(state: &AppState, actor: Actor, meta: &RequestMeta, user_id: i64, id: i64) -> Result<(), AppError> {
    let mut c = Change::begin(state, actor, meta.clone()).await?;
    c.lock(crate::platform::change::RowLock::User(user_id)).await?;
    let identity: Option<(String, String)> =
        sqlx::query_as("SELECT provider, email FROM user_identities WHERE id = $1 AND user_id = $2")
            .bind(id)
            .bind(user_id)
            .fetch_optional(c.conn())
            .await
            .context("loading the identity")?;
    let Some((provider, email)) = identity else { return Err(AppError::NotFound) };
    let password: String = sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_one(c.conn())
        .await
        .context("loading the account")?;
    let identities: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM user_identities WHERE user_id = $1")
        .bind(user_id)
        .fetch_one(c.conn())
        .await
        .context("counting the identities")?;
    if password == passwords::UNSET && identities <= 1 {
        return Err(AppError::conflict("provider.last_way"));
    }
    sqlx::query("DELETE FROM user_identities WHERE id = $1").bind(id).execute(c.conn()).await.context("unlinking")?;
    c.audit(
        Audit::new(AuditAction::AccountIdentityUnlink, AuditTarget::User(user_id))
            .before(json!({"identity": id, "provider": provider, "email": email})),
    )
    .await?;
    c.commit().await
}
