//! Reading and changing the stored roles. Every change is serialised with the other audited writers
//! (`Change::by_caller_serialised`), so a role cannot be deleted while a user is being given it, and
//! is audited with its grants before and after.

use super::model::RoleRow;
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::permissions::PermissionSet;
use crate::domain::reason::Reason;
use crate::domain::roles::{self, permission_named, RoleName, MAX_CUSTOM_ROLES};
use crate::error::{AppError, Context};
use crate::platform::caller::{Caller, RequestMeta};
use crate::platform::change::{Audit, Change};
use crate::platform::state::AppState;
use serde_json::{json, Value};
use sqlx::AnyConnection;
use std::collections::{BTreeSet, HashMap};

#[derive(sqlx::FromRow)]
struct RoleRecord {
    id: i64,
    name: String,
    description: String,
    built_in: i64,
    holders: i64,
    updated_at: i64,
}

const SELECT_ROLES: &str = "SELECT r.id, r.name, r.description, r.built_in, r.updated_at, \
     (SELECT COUNT(*) FROM user_roles u WHERE u.role = r.name) AS holders FROM roles r";

/// Every role, built-in ones first (there are at most seven plus `MAX_CUSTOM_ROLES`: one page).
pub async fn list(state: &AppState) -> Result<Vec<RoleRow>, AppError> {
    let records: Vec<RoleRecord> =
        sqlx::query_as(SELECT_ROLES).fetch_all(state.db.read()).await.context("listing the roles")?;
    let pairs: Vec<(String, String)> = sqlx::query_as("SELECT role, permission FROM role_grants")
        .fetch_all(state.db.read())
        .await
        .context("listing the grants")?;
    let mut grants: HashMap<String, PermissionSet> = HashMap::new();
    for (role, permission) in pairs {
        grants.entry(role).or_default().extend(permission_named(&permission));
    }
    let mut rows: Vec<RoleRow> = records.into_iter().filter_map(|r| row_of(r, &grants)).collect();
    rows.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(rows)
}

/// One role by id.
pub async fn get(state: &AppState, id: i64) -> Result<RoleRow, AppError> {
    let record: RoleRecord = sqlx::query_as(&format!("{SELECT_ROLES} WHERE r.id = $1"))
        .bind(id)
        .fetch_optional(state.db.read())
        .await
        .context("loading the role")?
        .ok_or(AppError::NotFound)?;
    let grants = grants_of(state.db.read(), &record.name).await?;
    let grants = HashMap::from([(record.name.clone(), grants)]);
    row_of(record, &grants).ok_or(AppError::NotFound)
}

/// Every role's name, for the role form and the directory's filter.
pub async fn names(state: &AppState) -> Result<Vec<RoleName>, AppError> {
    let names: Vec<String> =
        sqlx::query_scalar("SELECT name FROM roles").fetch_all(state.db.read()).await.context("listing the roles")?;
    let mut names: Vec<RoleName> = names.iter().filter_map(|n| RoleName::parse(n).ok()).collect();
    names.sort();
    Ok(names)
}

fn row_of(r: RoleRecord, grants: &HashMap<String, PermissionSet>) -> Option<RoleRow> {
    Some(RoleRow {
        grants: grants.get(&r.name).copied().unwrap_or_default(),
        name: RoleName::parse(&r.name).ok()?,
        id: r.id,
        description: r.description,
        built_in: r.built_in != 0,
        holders: r.holders,
        updated_at_ms: r.updated_at,
    })
}

async fn grants_of<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    db: E,
    role: &str,
) -> Result<PermissionSet, AppError> {
    let names: Vec<String> = sqlx::query_scalar("SELECT permission FROM role_grants WHERE role = $1")
        .bind(role)
        .fetch_all(db)
        .await
        .context("loading the role's grants")?;
    Ok(names.iter().filter_map(|n| permission_named(n)).collect())
}

/// Whether any of `roles` is not stored (a custom role deleted or never made).
pub async fn unknown_in_tx(conn: &mut AnyConnection, roles: &[RoleName]) -> Result<bool, AppError> {
    for role in roles {
        let found: Option<i64> = sqlx::query_scalar("SELECT id FROM roles WHERE name = $1")
            .bind(role.as_str())
            .fetch_optional(&mut *conn)
            .await
            .context("checking a role")?;
        if found.is_none() {
            return Ok(true);
        }
    }
    Ok(false)
}

/// A role's state in the audit record: its grants by name.
fn grants_json(grants: &BTreeSet<String>) -> Value {
    json!(grants.iter().collect::<Vec<_>>())
}

fn names_of(set: PermissionSet) -> BTreeSet<String> {
    set.iter().map(|p| p.name()).collect()
}

/// Makes custom role `name` with `grants` (already parsed: known, not reserved, with `console.view`).
pub async fn create(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    name: &str,
    description: &str,
    grants: &BTreeSet<String>,
    reason: &Reason,
) -> Result<i64, AppError> {
    let mut c = Change::by_caller_serialised(state, caller, meta).await?;
    let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM roles WHERE name = $1")
        .bind(name)
        .fetch_optional(c.conn())
        .await
        .context("checking the role name")?;
    if taken.is_some() {
        return Err(AppError::invalid("name", "roles.name_taken"));
    }
    let custom: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM roles WHERE built_in = 0")
        .fetch_one(c.conn())
        .await
        .context("counting the custom roles")?;
    if custom >= MAX_CUSTOM_ROLES {
        return Err(AppError::conflict("roles.too_many"));
    }
    let now = c.now_ms();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO roles (name, description, built_in, created_at, updated_at) VALUES ($1, $2, 0, $3, $3) \
         RETURNING id",
    )
    .bind(name)
    .bind(description)
    .bind(now)
    .fetch_one(c.conn())
    .await
    .context("creating the role")?;
    insert_grants(c.conn(), name, grants).await?;
    c.audit(
        Audit::new(AuditAction::RolesCreate, AuditTarget::Role(id))
            .after(json!({"name": name, "description": description, "grants": grants_json(grants)}))
            .reason(reason.as_str()),
    )
    .await?;
    c.commit().await?;
    Ok(id)
}

/// Replaces role `id`'s grants (every role but `super_admin`); its holders have the new ones from
/// their next request.
pub async fn set_grants(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    id: i64,
    grants: &BTreeSet<String>,
    reason: &Reason,
) -> Result<(), AppError> {
    let mut c = Change::by_caller_serialised(state, caller, meta).await?;
    let name = name_in_tx(c.conn(), id).await?;
    roles::check_grant_edit(&name).map_err(AppError::conflict)?;
    let before = names_of(grants_of(&mut *c.conn(), &name).await?);
    if &before == grants {
        return Err(AppError::conflict("roles.unchanged"));
    }
    sqlx::query("DELETE FROM role_grants WHERE role = $1")
        .bind(&name)
        .execute(c.conn())
        .await
        .context("removing the role's grants")?;
    insert_grants(c.conn(), &name, grants).await?;
    let now = c.now_ms();
    sqlx::query("UPDATE roles SET updated_at = $1 WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(c.conn())
        .await
        .context("touching the role")?;
    c.audit(
        Audit::new(AuditAction::RolesGrantsChange, AuditTarget::Role(id))
            .before(json!({"name": name, "grants": grants_json(&before)}))
            .after(json!({"name": name, "grants": grants_json(grants)}))
            .reason(reason.as_str()),
    )
    .await?;
    c.commit().await
}

/// Deletes custom role `id`, which nobody may hold.
pub async fn delete(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    id: i64,
    reason: &Reason,
) -> Result<(), AppError> {
    let mut c = Change::by_caller_serialised(state, caller, meta).await?;
    let name = name_in_tx(c.conn(), id).await?;
    let holders: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM user_roles WHERE role = $1")
        .bind(&name)
        .fetch_one(c.conn())
        .await
        .context("counting the role's holders")?;
    roles::check_delete(&name, holders).map_err(AppError::conflict)?;
    let before = names_of(grants_of(&mut *c.conn(), &name).await?);
    for sql in ["DELETE FROM role_grants WHERE role = $1", "DELETE FROM roles WHERE name = $1"] {
        sqlx::query(sql).bind(&name).execute(c.conn()).await.context("deleting the role")?;
    }
    c.audit(
        Audit::new(AuditAction::RolesDelete, AuditTarget::Role(id))
            .before(json!({"name": name, "grants": grants_json(&before)}))
            .reason(reason.as_str()),
    )
    .await?;
    c.commit().await
}

async fn name_in_tx(conn: &mut AnyConnection, id: i64) -> Result<String, AppError> {
    sqlx::query_scalar("SELECT name FROM roles WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await
        .context("loading the role")?
        .ok_or(AppError::NotFound)
}

async fn insert_grants(conn: &mut AnyConnection, role: &str, grants: &BTreeSet<String>) -> Result<(), AppError> {
    for permission in grants {
        sqlx::query("INSERT INTO role_grants (role, permission) VALUES ($1, $2)")
            .bind(role)
            .bind(permission)
            .execute(&mut *conn)
            .await
            .context("granting a permission")?;
    }
    Ok(())
}
