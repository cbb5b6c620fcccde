//! Server functions of the users & organisations directory. Reading needs `users.view` or
//! `organisations.view`; creating a user, resetting a password, banning, signing a user out everywhere
//! and assigning roles are protected actions (reason + password).

// `list_users` takes one argument per filter of the GET form; the server macro generates the browser's
// twin, where an allow on the function itself does not reach.
#![allow(clippy::too_many_arguments)]

use super::model::{BatchBan, OrgRow, Refusal, UserDetail, UserRow};
use crate::domain::page::Page;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::{model, service};
#[cfg(feature = "ssr")]
use crate::domain::permissions::{
    AUDIT_VIEW, ORGANISATIONS_VIEW, ROLES_ASSIGN, USERS_BAN, USERS_MANAGE, USERS_REVEAL, USERS_VIEW,
};
#[cfg(feature = "ssr")]
use crate::platform::guard::{confirm_protected, require};

/// Users newest first. `q` matches email or name (substring, case-insensitive); `status` is `active`
/// or `banned`; `role` is a role name, `any` (holds a role) or `none`; `kind` is `buyer`, `seller` or
/// `operator`; `tag` is one tag; `from` and `to` bound the sign-up date (`YYYY-MM-DD`, UTC).
#[server(prefix = "/api", endpoint = "list_users")]
pub async fn list_users(
    q: Option<String>,
    status: Option<String>,
    role: Option<String>,
    kind: Option<String>,
    tag: Option<String>,
    from: Option<String>,
    to: Option<String>,
    cursor: Option<String>,
) -> Result<Page<UserRow>, AppError> {
    let ctx = require(USERS_VIEW).await?;
    let filter = model::UserFilter::parse(model::RawUserFilter {
        q: q.as_deref(),
        status: status.as_deref(),
        role: role.as_deref(),
        kind: kind.as_deref(),
        tag: tag.as_deref(),
        from: from.as_deref(),
        to: to.as_deref(),
    })?;
    service::list_users(&ctx.state, &filter, cursor.as_deref()).await
}

/// The latest refused attempts (permission checks, protected actions' passwords, locked or banned
/// sign-ins): audit entries, so they need `audit.view`.
#[server(prefix = "/api", endpoint = "recent_refusals")]
pub async fn recent_refusals() -> Result<Vec<Refusal>, AppError> {
    let ctx = require(AUDIT_VIEW).await?;
    crate::audit::refusals::recent(&ctx.state).await
}

/// One user; the audit history is included only for callers who may read the audit log.
#[server(prefix = "/api", endpoint = "get_user")]
pub async fn get_user(id: i64) -> Result<UserDetail, AppError> {
    let ctx = require(USERS_VIEW).await?;
    let user = service::get_user(&ctx.state, id, ctx.caller.can(AUDIT_VIEW)).await?;
    // Read here, beside the user: the deletion service builds on the directory's service.
    let deletion = super::deletion::service::latest_for(&ctx.state, id).await?;
    // The roles the role form offers, for those who may give them.
    let assignable_roles =
        if ctx.caller.can(ROLES_ASSIGN) { super::roles::service::names(&ctx.state).await? } else { vec![] };
    Ok(UserDetail { deletion, assignable_roles, ..user })
}

/// Bans a user: a category and a duration (7 days, 30 days, permanent), the details as the reason.
#[server(prefix = "/api", endpoint = "ban_user")]
pub async fn ban_user(
    id: i64,
    category: String,
    duration: String,
    reason: String,
    password: String,
    code: Option<String>,
) -> Result<(), AppError> {
    let ctx = require(USERS_BAN).await?;
    let terms = model::BanTerms::parse(&category, &duration)?;
    let reason = confirm_protected(&ctx, &reason, &password, code.as_deref()).await?;
    service::ban_user(&ctx.state, &ctx.caller, &ctx.meta, id, terms, &reason).await
}

/// Bans the users `ids` (at most a page) on the same terms, all or none: a user who cannot be banned
/// is named in the answer and nobody is banned.
#[server(prefix = "/api", endpoint = "ban_users")]
pub async fn ban_users(
    #[server(default)] ids: Vec<i64>,
    category: String,
    duration: String,
    reason: String,
    password: String,
    code: Option<String>,
) -> Result<BatchBan, AppError> {
    let ctx = require(USERS_BAN).await?;
    let ids = model::parse_batch(&ids)?;
    let terms = model::BanTerms::parse(&category, &duration)?;
    let reason = confirm_protected(&ctx, &reason, &password, code.as_deref()).await?;
    service::ban_users(&ctx.state, &ctx.caller, &ctx.meta, &ids, terms, &reason).await
}

#[server(prefix = "/api", endpoint = "unban_user")]
pub async fn unban_user(id: i64, reason: String, password: String, code: Option<String>) -> Result<(), AppError> {
    let ctx = require(USERS_BAN).await?;
    let reason = confirm_protected(&ctx, &reason, &password, code.as_deref()).await?;
    service::unban_user(&ctx.state, &ctx.caller, &ctx.meta, id, &reason).await
}

/// Signs the user out on every device (a stolen or shared sign-in): protected, like a ban.
#[server(prefix = "/api", endpoint = "end_user_sessions")]
pub async fn end_user_sessions(
    id: i64,
    reason: String,
    password: String,
    code: Option<String>,
) -> Result<(), AppError> {
    let ctx = require(USERS_BAN).await?;
    let reason = confirm_protected(&ctx, &reason, &password, code.as_deref()).await?;
    service::end_user_sessions(&ctx.state, &ctx.caller, &ctx.meta, id, &reason).await
}

/// Creates an account by invitation: no password is set or shown; its owner gets a link (72 hours)
/// to choose one. Returns the new user's id.
#[server(prefix = "/api", endpoint = "create_user")]
pub async fn create_user(
    email: String,
    display_name: String,
    lang: String,
    reason: String,
    password: String,
    code: Option<String>,
) -> Result<i64, AppError> {
    let ctx = require(USERS_MANAGE).await?;
    let user = model::NewUser::parse(&email, &display_name, &lang)?;
    let reason = confirm_protected(&ctx, &reason, &password, code.as_deref()).await?;
    super::invitations::create_user(&ctx.state, &ctx.caller, &ctx.meta, &user, &reason).await
}

/// Resets the user's password: it stops working at once, every session ends, and the user gets a link
/// (72 hours) to choose a new one.
/// Edits the contact group: `phone` in the international form (empty removes the number).
#[server(prefix = "/api", endpoint = "edit_user_contact")]
pub async fn edit_user_contact(
    id: i64,
    phone: String,
    reason: String,
    password: String,
    code: Option<String>,
) -> Result<(), AppError> {
    let ctx = require(USERS_MANAGE).await?;
    let edit = model::ContactEdit::parse(&phone)?;
    let reason = confirm_protected(&ctx, &reason, &password, code.as_deref()).await?;
    super::editing::edit_contact(&ctx.state, &ctx.caller, &ctx.meta, id, &edit, &reason).await
}

/// The user's full phone number, with the reason for looking (audited).
#[server(prefix = "/api", endpoint = "reveal_user_phone")]
pub async fn reveal_user_phone(id: i64, reason: String) -> Result<String, AppError> {
    let ctx = require(USERS_REVEAL).await?;
    let reason = crate::domain::reason::Reason::parse(&reason).map_err(|e| AppError::invalid("reason", e.code()))?;
    super::editing::reveal_phone(&ctx.state, &ctx.caller, &ctx.meta, id, &reason).await
}

/// Removes the user's second factor (they lost the phone and the recovery codes).
#[server(prefix = "/api", endpoint = "remove_user_second_factor")]
pub async fn remove_user_second_factor(
    id: i64,
    reason: String,
    password: String,
    code: Option<String>,
) -> Result<(), AppError> {
    let ctx = require(USERS_MANAGE).await?;
    let reason = confirm_protected(&ctx, &reason, &password, code.as_deref()).await?;
    crate::auth::second_factor::service::remove_by_operator(&ctx.state, &ctx.caller, &ctx.meta, id, &reason).await
}

#[server(prefix = "/api", endpoint = "reset_user_password")]
pub async fn reset_user_password(
    id: i64,
    reason: String,
    password: String,
    code: Option<String>,
) -> Result<(), AppError> {
    let ctx = require(USERS_MANAGE).await?;
    let reason = confirm_protected(&ctx, &reason, &password, code.as_deref()).await?;
    super::invitations::reset_password(&ctx.state, &ctx.caller, &ctx.meta, id, &reason).await
}

/// Edits the profile group: the display name and the language of the user's mails.
#[server(prefix = "/api", endpoint = "edit_user_profile")]
pub async fn edit_user_profile(
    id: i64,
    display_name: String,
    lang: String,
    reason: String,
    password: String,
    code: Option<String>,
) -> Result<(), AppError> {
    let ctx = require(USERS_MANAGE).await?;
    let edit = model::ProfileEdit::parse(&display_name, &lang)?;
    let reason = confirm_protected(&ctx, &reason, &password, code.as_deref()).await?;
    super::editing::edit_profile(&ctx.state, &ctx.caller, &ctx.meta, id, &edit, &reason).await
}

/// Edits the tags-and-note group: `tags` comma-separated, `note` the internal note (both may be empty).
#[server(prefix = "/api", endpoint = "edit_user_record")]
pub async fn edit_user_record(
    id: i64,
    tags: String,
    note: String,
    reason: String,
    password: String,
    code: Option<String>,
) -> Result<(), AppError> {
    let ctx = require(USERS_MANAGE).await?;
    let edit = model::RecordEdit::parse(&tags, &note)?;
    let reason = confirm_protected(&ctx, &reason, &password, code.as_deref()).await?;
    super::editing::edit_record(&ctx.state, &ctx.caller, &ctx.meta, id, &edit, &reason).await
}

/// Replaces the user's roles. The form sends one checkbox per role named `roles[]`; with none ticked
/// the field is absent, which means "no roles" (hence the default).
#[server(prefix = "/api", endpoint = "set_user_roles")]
pub async fn set_user_roles(
    id: i64,
    #[server(default)] roles: Vec<String>,
    reason: String,
    password: String,
    code: Option<String>,
) -> Result<(), AppError> {
    let ctx = require(ROLES_ASSIGN).await?;
    let roles = model::parse_roles(&roles)?;
    let reason = confirm_protected(&ctx, &reason, &password, code.as_deref()).await?;
    service::set_user_roles(&ctx.state, &ctx.caller, &ctx.meta, id, &roles, &reason).await
}

/// Organisations newest first. `q` matches the name; `status` is one of `model::ORG_STATUSES`.
#[server(prefix = "/api", endpoint = "list_organisations")]
pub async fn list_organisations(
    q: Option<String>,
    status: Option<String>,
    cursor: Option<String>,
) -> Result<Page<OrgRow>, AppError> {
    let ctx = require(ORGANISATIONS_VIEW).await?;
    let filter = model::OrgFilter::parse(q.as_deref(), status.as_deref())?;
    service::list_organisations(&ctx.state, &filter, cursor.as_deref()).await
}
