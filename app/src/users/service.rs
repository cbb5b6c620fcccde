//! The directory's queries and the protected actions behind its server functions. Each action is one
//! transaction: the change, its audit record and its outbox events commit together or not at all.

use super::model::{
    contains_pattern, roles_text, AuditLine, Membership, OrgFilter, OrgRow, RoleFilter, UserDetail, UserFilter,
    UserRow, UserStatus,
};
use crate::domain::page::{page_size, parse_id_cursor, Page};
use crate::domain::permissions::OperatorRole;
use crate::domain::reason::Reason;
use crate::error::AppError;
use crate::platform::audit_log::{self, Actor, AuditEntry};
use crate::platform::caller::{Caller, RequestMeta};
use crate::platform::db::Backend;
use crate::platform::outbox::{self, OutboxEvent};
use crate::platform::state::AppState;
use serde_json::json;
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::{Any, AnyConnection, Row};
use std::collections::HashMap;

/// How many audit entries the user detail shows.
const RECENT_AUDIT: i64 = 10;

enum Arg {
    Int(i64),
    Text(String),
}

/// SQL assembled from optional filters, numbering its `$n` placeholders as arguments are added.
#[derive(Default)]
struct Sql {
    text: String,
    args: Vec<Arg>,
}

impl Sql {
    fn new(text: &str) -> Sql {
        Sql { text: text.to_string(), args: vec![] }
    }

    /// Adds an argument and returns its placeholder.
    fn arg(&mut self, arg: Arg) -> String {
        self.args.push(arg);
        format!("${}", self.args.len())
    }

    fn push(&mut self, sql: &str) {
        self.text.push_str(sql);
    }

    fn query(&self) -> sqlx::query::Query<'_, Any, AnyArguments<'_>> {
        self.args.iter().fold(sqlx::query(&self.text), |q, a| match a {
            Arg::Int(i) => q.bind(*i),
            Arg::Text(s) => q.bind(s.clone()),
        })
    }
}

/// Case-insensitive substring match. SQLite's LIKE already ignores ASCII case, and wrapping the column
/// in lower() would double the cost of the full scan a substring search needs; PostgreSQL has ILIKE.
fn contains(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "LIKE",
        Backend::Postgres => "ILIKE",
    }
}

fn status_of(row: &AnyRow) -> Result<UserStatus, AppError> {
    let s: String = row.try_get("status")?;
    UserStatus::parse(&s).ok_or_else(|| AppError::internal(format!("user with an unknown status: status={s}")))
}

fn roles_from(names: Vec<String>) -> Vec<OperatorRole> {
    let mut roles: Vec<OperatorRole> = names.iter().filter_map(|n| OperatorRole::parse(n)).collect();
    roles.sort();
    roles
}

/// Newest first, after `cursor`. Every filter narrows an indexed walk down `users.id`: status through
/// `users_status_id`, roles through `user_roles_role`; only a text search has to read names.
pub async fn list_users(
    state: &AppState,
    filter: &UserFilter,
    cursor: Option<&str>,
) -> Result<Page<UserRow>, AppError> {
    let size = page_size(None);
    let mut sql = Sql::new("SELECT u.id, u.email, u.display_name, u.status, u.created_at FROM users u WHERE u.id < ");
    let before = sql.arg(Arg::Int(parse_id_cursor(cursor).unwrap_or(i64::MAX)));
    sql.push(&before);
    if let Some(status) = filter.status {
        let p = sql.arg(Arg::Text(status.as_str().into()));
        sql.push(&format!(" AND u.status = {p}"));
    }
    match filter.role {
        None => {}
        Some(RoleFilter::Any) => sql.push(" AND u.id IN (SELECT user_id FROM user_roles)"),
        Some(RoleFilter::None) => sql.push(" AND u.id NOT IN (SELECT user_id FROM user_roles)"),
        Some(RoleFilter::Role(role)) => {
            let p = sql.arg(Arg::Text(role.as_str().into()));
            sql.push(&format!(" AND u.id IN (SELECT user_id FROM user_roles WHERE role = {p})"));
        }
    }
    if let Some(search) = &filter.search {
        let p = sql.arg(Arg::Text(contains_pattern(search)));
        let op = contains(state.db.backend);
        sql.push(&format!(" AND (u.email {op} {p} ESCAPE '\\' OR u.display_name {op} {p} ESCAPE '\\')"));
    }
    let limit = sql.arg(Arg::Int(size as i64 + 1));
    sql.push(&format!(" ORDER BY u.id DESC LIMIT {limit}"));
    let rows = sql.query().fetch_all(state.db.read()).await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.try_get("id")).collect::<Result<_, _>>()?;
    let mut roles = roles_of_many(state, &ids).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let id: i64 = r.try_get("id")?;
        out.push(UserRow {
            id,
            email: r.try_get("email")?,
            display_name: r.try_get("display_name")?,
            status: status_of(r)?,
            roles: roles.remove(&id).unwrap_or_default(),
            created_at_ms: r.try_get("created_at")?,
        });
    }
    Ok(Page::from_overfetch(out, size, |u| u.id.to_string()))
}

/// The roles of a page of users in one query.
async fn roles_of_many(state: &AppState, ids: &[i64]) -> Result<HashMap<i64, Vec<OperatorRole>>, AppError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let mut sql = Sql::new("SELECT user_id, role FROM user_roles WHERE user_id IN (");
    let placeholders: Vec<String> = ids.iter().map(|id| sql.arg(Arg::Int(*id))).collect();
    sql.push(&placeholders.join(", "));
    sql.push(") ORDER BY user_id, role");
    let mut out: HashMap<i64, Vec<OperatorRole>> = HashMap::new();
    for r in sql.query().fetch_all(state.db.read()).await? {
        let name: String = r.try_get("role")?;
        if let Some(role) = OperatorRole::parse(&name) {
            out.entry(r.try_get("user_id")?).or_default().push(role);
        }
    }
    out.values_mut().for_each(|v| v.sort());
    Ok(out)
}

pub async fn get_user(state: &AppState, id: i64, include_audit: bool) -> Result<UserDetail, AppError> {
    let db = state.db.read();
    let row = sqlx::query(
        "SELECT id, email, display_name, status, created_at, banned_at, ban_reason FROM users WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(db)
    .await?
    .ok_or(AppError::NotFound)?;
    let roles: Vec<String> =
        sqlx::query_scalar("SELECT role FROM user_roles WHERE user_id = $1").bind(id).fetch_all(db).await?;
    let now = state.now_ms();
    let policy = state.settings.session;
    let active_sessions: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM sessions WHERE user_id = $1 AND last_seen_at > $2 AND created_at > $3",
    )
    .bind(id)
    .bind(now - policy.idle_ms)
    .bind(now - policy.absolute_ms)
    .fetch_one(db)
    .await?;
    let recent_audit = if include_audit { Some(recent_audit(state, id).await?) } else { None };
    Ok(UserDetail {
        id,
        email: row.try_get("email")?,
        display_name: row.try_get("display_name")?,
        status: status_of(&row)?,
        created_at_ms: row.try_get("created_at")?,
        banned_at_ms: row.try_get("banned_at")?,
        ban_reason: row.try_get("ban_reason")?,
        roles: roles_from(roles),
        active_sessions,
        memberships: memberships(state, id).await?,
        recent_audit,
    })
}

/// Organisations the user is a member of, plus any they own without a member row.
async fn memberships(state: &AppState, user_id: i64) -> Result<Vec<Membership>, AppError> {
    let rows = sqlx::query(
        "SELECT o.id, o.name, o.kind, o.status, m.role FROM organisation_members m \
         JOIN organisations o ON o.id = m.organisation_id WHERE m.user_id = $1 \
         UNION SELECT o.id, o.name, o.kind, o.status, 'owner' FROM organisations o WHERE o.owner_user_id = $1 \
         AND NOT EXISTS (SELECT 1 FROM organisation_members m WHERE m.organisation_id = o.id AND m.user_id = $1) \
         ORDER BY 1",
    )
    .bind(user_id)
    .fetch_all(state.db.read())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Membership {
                organisation_id: r.try_get(0)?,
                name: r.try_get(1)?,
                kind: r.try_get(2)?,
                status: r.try_get(3)?,
                role: r.try_get(4)?,
            })
        })
        .collect()
}

async fn recent_audit(state: &AppState, user_id: i64) -> Result<Vec<AuditLine>, AppError> {
    let rows = sqlx::query(
        "SELECT l.id, l.at, l.action, l.reason, a.email AS actor FROM audit_log l \
         LEFT JOIN users a ON a.id = l.actor_id \
         WHERE l.target_type = 'user' AND l.target_id = $1 ORDER BY l.id DESC LIMIT $2",
    )
    .bind(user_id.to_string())
    .bind(RECENT_AUDIT)
    .fetch_all(state.db.read())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(AuditLine {
                id: r.try_get("id")?,
                at_ms: r.try_get("at")?,
                action: r.try_get("action")?,
                actor: r.try_get("actor")?,
                reason: r.try_get("reason")?,
            })
        })
        .collect()
}

/// Takes the audit chain's head lock before reading what a check depends on. Every audited writer
/// takes it anyway (audit_log.rs), so on PostgreSQL two operators cannot each demote "the other" last
/// super admin at once; SQLite's single writer serialises transactions already.
async fn serialise_with_audited_writers(conn: &mut AnyConnection) -> Result<(), AppError> {
    sqlx::query("UPDATE audit_head SET seq = seq WHERE id = 1").execute(&mut *conn).await?;
    Ok(())
}

async fn locked_status(conn: &mut AnyConnection, id: i64) -> Result<UserStatus, AppError> {
    let row = sqlx::query("SELECT status FROM users WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(AppError::NotFound)?;
    status_of(&row)
}

async fn roles_in_tx(conn: &mut AnyConnection, id: i64) -> Result<Vec<OperatorRole>, AppError> {
    let names: Vec<String> =
        sqlx::query_scalar("SELECT role FROM user_roles WHERE user_id = $1").bind(id).fetch_all(&mut *conn).await?;
    Ok(roles_from(names))
}

async fn active_super_admins(conn: &mut AnyConnection) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM user_roles r JOIN users u ON u.id = r.user_id \
         WHERE r.role = 'super_admin' AND u.status = 'active'",
    )
    .fetch_one(&mut *conn)
    .await?)
}

/// Bans an active user and ends every session they have, at once.
pub async fn ban_user(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    id: i64,
    reason: &Reason,
) -> Result<(), AppError> {
    if id == caller.user_id {
        return Err(AppError::conflict("users.cannot_ban_self"));
    }
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    serialise_with_audited_writers(&mut tx).await?;
    if locked_status(&mut tx, id).await? == UserStatus::Banned {
        return Err(AppError::conflict("users.already_banned"));
    }
    if roles_in_tx(&mut tx, id).await?.contains(&OperatorRole::SuperAdmin) {
        if active_super_admins(&mut tx).await? <= 1 {
            return Err(AppError::conflict("users.last_super_admin"));
        }
        // Banning a super admin would let a lesser role lock out the people who assign roles.
        if !caller.roles.contains(&OperatorRole::SuperAdmin) {
            return Err(AppError::Forbidden);
        }
    }
    sqlx::query("UPDATE users SET status = 'banned', banned_at = $1, ban_reason = $2, updated_at = $1 WHERE id = $3")
        .bind(now)
        .bind(reason.as_str())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let ended =
        sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(id).execute(&mut *tx).await?.rows_affected();
    audit_log::record(
        &mut tx,
        &Actor::of(caller),
        meta,
        now,
        AuditEntry {
            action: "users.ban",
            target_type: "user",
            target_id: id.to_string(),
            before: json!({"status": "active"}),
            after: json!({"status": "banned", "banned_at": now, "sessions_ended": ended}),
            reason: reason.as_str(),
            result: "ok",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Lifts a ban and tells the user in-app.
pub async fn unban_user(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    id: i64,
    reason: &Reason,
) -> Result<(), AppError> {
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    serialise_with_audited_writers(&mut tx).await?;
    let row = sqlx::query("SELECT status, banned_at, ban_reason FROM users WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?;
    if status_of(&row)? != UserStatus::Banned {
        return Err(AppError::conflict("users.not_banned"));
    }
    let (banned_at, ban_reason): (Option<i64>, Option<String>) =
        (row.try_get("banned_at")?, row.try_get("ban_reason")?);
    sqlx::query(
        "UPDATE users SET status = 'active', banned_at = NULL, ban_reason = NULL, updated_at = $1 WHERE id = $2",
    )
    .bind(now)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    audit_log::record(
        &mut tx,
        &Actor::of(caller),
        meta,
        now,
        AuditEntry {
            action: "users.unban",
            target_type: "user",
            target_id: id.to_string(),
            before: json!({"status": "banned", "banned_at": banned_at, "ban_reason": ban_reason}),
            after: json!({"status": "active"}),
            reason: reason.as_str(),
            result: "ok",
        },
    )
    .await?;
    outbox::enqueue(&mut tx, now, &OutboxEvent::notify(id, "users.unbanned", json!({}))).await?;
    tx.commit().await?;
    Ok(())
}

/// Replaces the user's operator roles with `roles` (sorted, unique) and tells them in-app. Roles are
/// read on every request, so the change applies to their next one.
pub async fn set_user_roles(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    id: i64,
    roles: &[OperatorRole],
    reason: &Reason,
) -> Result<(), AppError> {
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    serialise_with_audited_writers(&mut tx).await?;
    let status = locked_status(&mut tx, id).await?;
    let before = roles_in_tx(&mut tx, id).await?;
    if before == roles {
        return Err(AppError::conflict("users.roles_unchanged"));
    }
    let loses_super_admin = before.contains(&OperatorRole::SuperAdmin) && !roles.contains(&OperatorRole::SuperAdmin);
    if loses_super_admin && status == UserStatus::Active && active_super_admins(&mut tx).await? <= 1 {
        return Err(AppError::conflict("users.last_super_admin"));
    }
    // Only what changed is written, so a kept role keeps when and by whom it was granted.
    for role in before.iter().filter(|r| !roles.contains(r)) {
        sqlx::query("DELETE FROM user_roles WHERE user_id = $1 AND role = $2")
            .bind(id)
            .bind(role.as_str())
            .execute(&mut *tx)
            .await?;
    }
    for role in roles.iter().filter(|r| !before.contains(r)) {
        sqlx::query("INSERT INTO user_roles (user_id, role, granted_at, granted_by) VALUES ($1, $2, $3, $4)")
            .bind(id)
            .bind(role.as_str())
            .bind(now)
            .bind(caller.user_id)
            .execute(&mut *tx)
            .await?;
    }
    let names = |rs: &[OperatorRole]| rs.iter().map(|r| r.as_str()).collect::<Vec<_>>();
    audit_log::record(
        &mut tx,
        &Actor::of(caller),
        meta,
        now,
        AuditEntry {
            action: "roles.assign",
            target_type: "user",
            target_id: id.to_string(),
            before: json!({"roles": names(&before)}),
            after: json!({"roles": names(roles)}),
            reason: reason.as_str(),
            result: "ok",
        },
    )
    .await?;
    outbox::enqueue(&mut tx, now, &OutboxEvent::notify(id, "roles.changed", json!({"roles": roles_text(roles)})))
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Newest first, after `cursor`, with each owner's email and member count.
pub async fn list_organisations(
    state: &AppState,
    filter: &OrgFilter,
    cursor: Option<&str>,
) -> Result<Page<OrgRow>, AppError> {
    let size = page_size(None);
    let mut sql = Sql::new(
        "SELECT o.id, o.name, o.kind, o.status, o.region, o.created_at, u.email AS owner_email, \
         (SELECT COUNT(*) FROM organisation_members m WHERE m.organisation_id = o.id) AS members \
         FROM organisations o JOIN users u ON u.id = o.owner_user_id WHERE o.id < ",
    );
    let before = sql.arg(Arg::Int(parse_id_cursor(cursor).unwrap_or(i64::MAX)));
    sql.push(&before);
    if let Some(status) = filter.status {
        let p = sql.arg(Arg::Text(status.into()));
        sql.push(&format!(" AND o.status = {p}"));
    }
    if let Some(search) = &filter.search {
        let p = sql.arg(Arg::Text(contains_pattern(search)));
        sql.push(&format!(" AND o.name {} {p} ESCAPE '\\'", contains(state.db.backend)));
    }
    let limit = sql.arg(Arg::Int(size as i64 + 1));
    sql.push(&format!(" ORDER BY o.id DESC LIMIT {limit}"));
    let rows = sql.query().fetch_all(state.db.read()).await?;
    let out = rows
        .iter()
        .map(|r| {
            Ok(OrgRow {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                kind: r.try_get("kind")?,
                status: r.try_get("status")?,
                region: r.try_get("region")?,
                owner_email: r.try_get("owner_email")?,
                members: r.try_get("members")?,
                created_at_ms: r.try_get("created_at")?,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    Ok(Page::from_overfetch(out, size, |o| o.id.to_string()))
}
