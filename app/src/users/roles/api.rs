//! Server functions of the role editor (`roles.manage`, a super admin's by default; changes are
//! protected: reason, password, and the second factor when enrolled) and the list of role names the
//! users directory offers (`users.view`).

use super::model::RoleRow;
use crate::domain::roles::RoleName;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::service;
#[cfg(feature = "ssr")]
use crate::domain::permissions::{ROLES_MANAGE, USERS_VIEW};
#[cfg(feature = "ssr")]
use crate::domain::roles;
#[cfg(feature = "ssr")]
use crate::platform::guard::{confirm_protected, require};

/// Every role with its grants and how many users hold it.
#[server(prefix = "/api", endpoint = "list_roles")]
pub async fn list_roles() -> Result<Vec<RoleRow>, AppError> {
    let ctx = require(ROLES_MANAGE).await?;
    service::list(&ctx.state).await
}

#[server(prefix = "/api", endpoint = "get_role")]
pub async fn get_role(id: i64) -> Result<RoleRow, AppError> {
    let ctx = require(ROLES_MANAGE).await?;
    service::get(&ctx.state, id).await
}

/// The names of every role, built-in first (the directory's role filter, a user's role form).
#[server(prefix = "/api", endpoint = "role_names")]
pub async fn role_names() -> Result<Vec<RoleName>, AppError> {
    let ctx = require(USERS_VIEW).await?;
    service::names(&ctx.state).await
}

#[cfg(feature = "ssr")]
fn parse_grants(grants: &[String]) -> Result<std::collections::BTreeSet<String>, AppError> {
    roles::parse_grants(grants).map_err(|p| AppError::invalid("grants", p.code()))
}

/// Makes a custom role from the catalog. `grants` is one checkbox per permission, `grants[]`.
#[server(prefix = "/api", endpoint = "create_role")]
pub async fn create_role(
    name: String,
    #[server(default)] description: String,
    #[server(default)] grants: Vec<String>,
    reason: String,
    password: String,
    code: Option<String>,
) -> Result<i64, AppError> {
    let ctx = require(ROLES_MANAGE).await?;
    let name = roles::parse_custom_name(&name).map_err(|c| AppError::invalid("name", c))?;
    let description = roles::parse_description(&description).map_err(|c| AppError::invalid("description", c))?;
    let grants = parse_grants(&grants)?;
    let reason = confirm_protected(&ctx, &reason, &password, code.as_deref()).await?;
    service::create(&ctx.state, &ctx.caller, &ctx.meta, &name, &description, &grants, &reason).await
}

/// Replaces role `id`'s grants; its holders have them from their next request.
#[server(prefix = "/api", endpoint = "set_role_grants")]
pub async fn set_role_grants(
    id: i64,
    #[server(default)] grants: Vec<String>,
    reason: String,
    password: String,
    code: Option<String>,
) -> Result<(), AppError> {
    let ctx = require(ROLES_MANAGE).await?;
    let grants = parse_grants(&grants)?;
    let reason = confirm_protected(&ctx, &reason, &password, code.as_deref()).await?;
    service::set_grants(&ctx.state, &ctx.caller, &ctx.meta, id, &grants, &reason).await
}

/// Deletes custom role `id` once nobody holds it.
#[server(prefix = "/api", endpoint = "delete_role")]
pub async fn delete_role(id: i64, reason: String, password: String, code: Option<String>) -> Result<(), AppError> {
    let ctx = require(ROLES_MANAGE).await?;
    let reason = confirm_protected(&ctx, &reason, &password, code.as_deref()).await?;
    service::delete(&ctx.state, &ctx.caller, &ctx.meta, id, &reason).await
}
