//! Who is calling: the session cookie, the user behind it and their roles, and where the request came
//! from. `require` is the first line of every server function that needs a permission.

use super::state::{app_state, AppState};
use crate::domain::permissions::{Permission, PermissionSet};
use crate::domain::roles::RoleName;
use crate::domain::session::SessionCheck;
use crate::error::AppError;
use http::header::{COOKIE, SET_COOKIE, USER_AGENT};
use http::request::Parts;
use leptos::prelude::use_context;
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::Row;

pub const USER_AGENT_MAX_CHARS: usize = 512;

#[derive(Debug, Clone, Default)]
pub struct RequestMeta {
    pub ip: String,
    pub user_agent: String,
}

#[derive(Debug, Clone)]
pub struct Caller {
    pub user_id: i64,
    pub email: String,
    pub display_name: String,
    pub locale: String,
    pub roles: Vec<RoleName>,
    /// What the stored grants of `roles` allow, read with the session on this request.
    pub permissions: PermissionSet,
    pub session_hash: String,
    /// An authenticator app is enrolled: protected actions ask for its code.
    pub second_factor: bool,
    /// An operator without one where operators must have one: the console stays shut.
    pub must_enrol_second_factor: bool,
}

impl Caller {
    pub fn can(&self, permission: Permission) -> bool {
        self.permissions.contains(permission)
    }

    pub fn is_super_admin(&self) -> bool {
        crate::domain::roles::any_super_admin(&self.roles)
    }

    /// Roles as stored in audit records: `super_admin,finance`, or `buyer` for none.
    pub fn roles_label(&self) -> String {
        roles_label(&self.roles)
    }
}

pub fn roles_label(roles: &[RoleName]) -> String {
    if roles.is_empty() {
        "buyer".to_string()
    } else {
        roles.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(",")
    }
}

/// A signed-in, authorized call: what a server function works with after its first line.
pub struct Ctx {
    pub state: AppState,
    pub caller: Caller,
    pub meta: RequestMeta,
}

pub(crate) fn parts() -> Option<Parts> {
    use_context::<Parts>()
}

pub fn request_meta(state: &AppState) -> RequestMeta {
    match parts() {
        Some(parts) => request_meta_of(state, &parts),
        None => RequestMeta::default(),
    }
}

/// `request_meta` for a plain axum handler, which holds the request's `Parts` instead of a leptos
/// context (the audit CSV export).
pub fn request_meta_of(state: &AppState, parts: &Parts) -> RequestMeta {
    let forwarded = state
        .settings()
        .trust_forwarded_for
        .then(|| parts.headers.get("x-forwarded-for").and_then(|v| v.to_str().ok()))
        .flatten()
        .and_then(|v| v.split(',').next())
        .map(|v| v.trim().to_string());
    let peer = parts.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip().to_string());
    let user_agent = parts
        .headers
        .get(USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .chars()
        .take(USER_AGENT_MAX_CHARS)
        .collect();
    RequestMeta { ip: forwarded.or(peer).unwrap_or_default(), user_agent }
}

pub fn session_cookie_name(state: &AppState) -> &'static str {
    if state.settings().secure_cookies {
        "__Host-agora_session"
    } else {
        "agora_session"
    }
}

pub fn cookie_value(parts: &Parts, name: &str) -> Option<String> {
    parts
        .headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// Session ids are 256 random bits; only their SHA-256 is stored, so a leaked table signs nobody in.
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// The signed-in caller, or `None` for anonymous, unknown, expired or banned sessions.
pub async fn current_caller(state: &AppState) -> Result<Option<Caller>, AppError> {
    let Some(parts) = parts() else { return Ok(None) };
    caller_of(state, &parts).await
}

/// `current_caller` for a plain axum handler that holds the request's `Parts` (the audit CSV export).
pub async fn caller_of(state: &AppState, parts: &Parts) -> Result<Option<Caller>, AppError> {
    let Some(token) = cookie_value(parts, session_cookie_name(state)) else { return Ok(None) };
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let session_hash = hash_token(&token);
    // The session, its user, the user's roles and their stored grants in one query: a row per
    // (role, permission) (one with neither for a buyer). Every signed-in request starts here, so a
    // grant changed by a super admin counts from the holder's next request.
    let rows = sqlx::query(
        "SELECT s.user_id, s.created_at, s.last_seen_at, u.email, u.display_name, u.locale, u.status, r.role, \
         g.permission, f.enabled_at AS second_factor_at \
         FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN user_roles r ON r.user_id = s.user_id \
         LEFT JOIN role_grants g ON g.role = r.role \
         LEFT JOIN user_second_factors f ON f.user_id = s.user_id \
         WHERE s.id_hash = $1",
    )
    .bind(&session_hash)
    .fetch_all(state.db.read())
    .await?;
    let Some(row) = rows.first() else { return Ok(None) };
    let status: String = row.try_get("status")?;
    if status != "active" {
        return Ok(None);
    }
    let now = state.now_ms();
    let (created, last_seen): (i64, i64) = (row.try_get("created_at")?, row.try_get("last_seen_at")?);
    let operator = rows.iter().any(|r| r.try_get::<Option<String>, _>("role").ok().flatten().is_some());
    match state.settings().session.check(created, last_seen, now, operator) {
        SessionCheck::IdleExpired | SessionCheck::AbsoluteExpired => {
            state.db.execute_write(sqlx::query("DELETE FROM sessions WHERE id_hash = $1").bind(&session_hash)).await?;
            return Ok(None);
        }
        SessionCheck::Valid { touch: true } => {
            state
                .db
                .execute_write(
                    sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2")
                        .bind(now)
                        .bind(&session_hash),
                )
                .await?;
        }
        SessionCheck::Valid { touch: false } => {}
    }
    let user_id: i64 = row.try_get("user_id")?;
    let (roles, permissions) = access_of(&rows)?;
    let second_factor = row.try_get::<Option<i64>, _>("second_factor_at")?.is_some();
    Ok(Some(Caller {
        user_id,
        email: row.try_get("email")?,
        display_name: row.try_get("display_name")?,
        locale: row.try_get("locale")?,
        must_enrol_second_factor: must_enrol(state, &roles, second_factor),
        roles,
        permissions,
        session_hash,
        second_factor,
    }))
}

/// Whether someone with `roles` must enrol a second factor before the console opens: an operator
/// (any role) without one, where the configuration requires it.
pub fn must_enrol(state: &AppState, roles: &[RoleName], second_factor: bool) -> bool {
    state.settings().operator_second_factor_required && !roles.is_empty() && !second_factor
}

/// The roles and permissions named by a user's rows (`role` and `permission`, NULL for none): roles
/// sorted and unique; a stored name the catalog no longer knows grants nothing.
fn access_of(rows: &[sqlx::any::AnyRow]) -> Result<(Vec<RoleName>, PermissionSet), AppError> {
    let (mut roles, mut permissions) = (vec![], PermissionSet::default());
    for row in rows {
        let role: Option<String> = row.try_get("role")?;
        roles.extend(role.as_deref().and_then(|n| RoleName::parse(n).ok()));
        let permission: Option<String> = row.try_get("permission")?;
        permissions.extend(permission.as_deref().and_then(crate::domain::roles::permission_named));
    }
    roles.sort();
    roles.dedup();
    Ok((roles, permissions))
}

/// A user's roles and what their stored grants allow (a sign-in's first answer).
pub async fn load_access(state: &AppState, user_id: i64) -> Result<(Vec<RoleName>, PermissionSet), AppError> {
    let rows = sqlx::query(
        "SELECT r.role, g.permission FROM user_roles r LEFT JOIN role_grants g ON g.role = r.role \
         WHERE r.user_id = $1",
    )
    .bind(user_id)
    .fetch_all(state.db.read())
    .await?;
    access_of(&rows)
}

/// Signed in, with any or no role.
pub async fn require_signed_in() -> Result<Ctx, AppError> {
    let state = app_state()?;
    let caller = current_caller(&state).await?.ok_or(AppError::Unauthenticated)?;
    let meta = request_meta(&state);
    Ok(Ctx { state, caller, meta })
}

pub fn set_session_cookie(state: &AppState, token: &str) {
    let secure = if state.settings().secure_cookies { "; Secure" } else { "" };
    let max_age = state.settings().session.absolute_ms / 1000;
    let cookie =
        format!("{}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}", session_cookie_name(state));
    append_set_cookie(&cookie);
}

pub fn clear_session_cookie(state: &AppState) {
    let secure = if state.settings().secure_cookies { "; Secure" } else { "" };
    append_set_cookie(&format!("{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}", session_cookie_name(state)));
}

pub fn append_set_cookie(cookie: &str) {
    if let (Some(opts), Ok(value)) =
        (use_context::<leptos_axum::ResponseOptions>(), http::HeaderValue::from_str(cookie))
    {
        opts.append_header(SET_COOKIE, value);
    }
}
