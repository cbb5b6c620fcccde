//! The directory's queries and the protected actions behind its server functions. Each action is one
//! `Change`: the update, its audit record and its outbox events commit together or not at all.
//!
//! Bans and role changes start with `Change::by_caller_serialised` (the audit head lock first, on
//! purpose): the last-super-admin guard counts rows of many users, which no row lock covers, and every
//! audited writer takes that head lock, so on PostgreSQL two operators cannot each demote or ban "the
//! other" last super admin at once (SQLite's single writer serialises them anyway).

use super::model::{
    roles_text, AuditLine, BanTerms, BatchBan, Membership, OrgFilter, OrgRow, RoleFilter, UserDetail, UserFilter,
    UserKind, UserRow, UserStatus,
};
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::ban::{self, BanCategory};
use crate::domain::page::{page_size, pair_cursor, parse_id_cursor, parse_pair_cursor, Page};
use crate::domain::reason::Reason;
use crate::domain::roles::{any_super_admin, RoleName};
use crate::error::{AppError, Context};
use crate::platform::caller::{Caller, RequestMeta};
use crate::platform::change::{Audit, Change};
use crate::platform::jobs;
use crate::platform::outbox::OutboxEvent;
use crate::platform::sql::{after_id, after_pair, contains, contains_pattern, like_operator, order_limit, Order, Sql};
use crate::platform::state::AppState;
use serde_json::json;
use sqlx::AnyConnection;
use std::collections::HashMap;

/// How many audit entries the user detail shows.
const RECENT_AUDIT: i64 = 10;

/// A `users` row as stored; the status is parsed by `row`.
#[derive(sqlx::FromRow)]
struct UserRecord {
    id: i64,
    email: String,
    display_name: String,
    status: String,
    created_at: i64,
    last_sign_in_at: Option<i64>,
    sign_in_count: i64,
}

impl UserRecord {
    fn row(self, roles: Vec<RoleName>, tags: Vec<String>) -> Result<UserRow, AppError> {
        Ok(UserRow {
            status: parse_status(&self.status)?,
            id: self.id,
            email: self.email,
            display_name: self.display_name,
            roles,
            created_at_ms: self.created_at,
            tags,
            last_sign_in_at_ms: self.last_sign_in_at,
            sign_in_count: self.sign_in_count,
        })
    }
}

/// `u` belongs to or owns an organisation (a seller member).
const IN_ORGANISATION: &str = "(EXISTS (SELECT 1 FROM organisation_members m WHERE m.user_id = u.id) \
     OR EXISTS (SELECT 1 FROM organisations o WHERE o.owner_user_id = u.id))";
const HAS_ROLE: &str = "EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id)";

fn parse_status(s: &str) -> Result<UserStatus, AppError> {
    UserStatus::parse(s).ok_or_else(|| AppError::internal(format!("user with an unknown status: status={s}")))
}

fn roles_from(names: Vec<String>) -> Vec<RoleName> {
    let mut roles: Vec<RoleName> = names.iter().filter_map(|n| RoleName::parse(n).ok()).collect();
    roles.sort();
    roles
}

/// Case-insensitive substring match on either of two columns with one pattern argument.
fn either_contains(sql: &mut Sql, a: &str, b: &str, text: &str) {
    let op = like_operator(sql.backend());
    let p = sql.arg(contains_pattern(text));
    sql.push(&format!(" AND ({a} {op} {p} ESCAPE '\\' OR {b} {op} {p} ESCAPE '\\')"));
}

/// Newest first, after `cursor`. Every filter narrows an indexed walk: down `users.id` (status through
/// `users_status_id`, roles through `user_roles_role`, a tag through `user_tags_tag_user`), or, with a
/// sign-up range, down `(created_at, id)`; only a text search has to read names.
pub async fn list_users(
    state: &AppState,
    filter: &UserFilter,
    cursor: Option<&str>,
) -> Result<Page<UserRow>, AppError> {
    let size = page_size(None);
    let by_sign_up = filter.joined_from_ms.is_some() || filter.joined_until_ms.is_some();
    // A tag without a sign-up range: the walk is down that tag's users in `(tag, user_id)`, newest
    // first, each looked up (as `id IN (SELECT ...)` the planners read every user of the tag and
    // sorted them: a deep page of a 10% tag over a million users took 0.5 s). With a range, the walk
    // is down the range and a tag is one probe of `user_tags`' primary key per user.
    let tag_walk = filter.tag.is_some() && !by_sign_up;
    let (from, id_column) = match tag_walk {
        true => ("FROM user_tags t JOIN users u ON u.id = t.user_id", "t.user_id"),
        false => ("FROM users u", "u.id"),
    };
    let mut sql = Sql::new(
        state.db.backend,
        &format!(
            "SELECT u.id, u.email, u.display_name, u.status, u.created_at, u.last_sign_in_at, u.sign_in_count \
             {from} WHERE 1 = 1"
        ),
    );
    let order = if by_sign_up {
        // A sign-up range walks `reports_users_created (created_at, id)` from the range's end, newest
        // first, and stops after a page: the cost is the rows shown plus those the other filters skip.
        // Walking ids instead read every user newer than the range first (0.2 s over a million users),
        // and a range on the index sorted by id read the whole range (1.4 s). Its cursors are
        // `created_at:id`.
        after_pair(&mut sql, "u.created_at", "u.id", Order::Desc, parse_pair_cursor(cursor));
        if let Some(from) = filter.joined_from_ms {
            let p = sql.arg(from);
            sql.push(&format!(" AND u.created_at >= {p}"));
        }
        if let Some(until) = filter.joined_until_ms {
            let p = sql.arg(until);
            sql.push(&format!(" AND u.created_at < {p}"));
        }
        "u.created_at DESC, u.id DESC".to_string()
    } else {
        after_id(&mut sql, id_column, Order::Desc, parse_id_cursor(cursor));
        format!("{id_column} DESC")
    };
    match (&filter.tag, tag_walk) {
        (Some(tag), true) => {
            sql.and_eq("t.tag", tag.as_str());
        }
        (Some(tag), false) => {
            let p = sql.arg(tag.as_str());
            sql.push(&format!(" AND EXISTS (SELECT 1 FROM user_tags t WHERE t.user_id = u.id AND t.tag = {p})"));
        }
        (None, _) => {}
    }
    match filter.kind {
        None => {}
        Some(UserKind::Operator) => {
            sql.push(&format!(" AND {HAS_ROLE}"));
        }
        Some(UserKind::SellerMember) => {
            sql.push(&format!(" AND NOT {HAS_ROLE} AND {IN_ORGANISATION}"));
        }
        Some(UserKind::Buyer) => {
            sql.push(&format!(" AND NOT {HAS_ROLE} AND NOT {IN_ORGANISATION}"));
        }
    }
    if let Some(status) = filter.status {
        // With a sign-up range on SQLite, `+` keeps `users_status_id` out of the plan: without
        // statistics the planner preferred the status index and sorted every active user of the
        // range (80 ms over 300,000 users) to the range walk that stops after a page (3 ms).
        let column = match (by_sign_up, state.db.backend) {
            (true, crate::platform::db::Backend::Sqlite) => "+u.status",
            _ => "u.status",
        };
        sql.and_eq(column, status.as_str());
    }
    match &filter.role {
        None => {}
        Some(RoleFilter::Any) => {
            sql.push(" AND u.id IN (SELECT user_id FROM user_roles)");
        }
        Some(RoleFilter::None) => {
            sql.push(" AND u.id NOT IN (SELECT user_id FROM user_roles)");
        }
        Some(RoleFilter::Role(role)) => {
            let p = sql.arg(role.as_str());
            sql.push(&format!(" AND u.id IN (SELECT user_id FROM user_roles WHERE role = {p})"));
        }
    }
    if let Some(search) = &filter.search {
        either_contains(&mut sql, "u.email", "u.display_name", search);
    }
    order_limit(&mut sql, &order, size);
    let records: Vec<UserRecord> = sql.query_as().fetch_all(state.db.read()).await.context("listing users")?;
    let ids: Vec<i64> = records.iter().map(|r| r.id).collect();
    let mut roles = roles_of_many(state, &ids).await?;
    let mut tags = tags_of_many(state, &ids).await?;
    let rows = records
        .into_iter()
        .map(|r| {
            let (roles, tags) = (roles.remove(&r.id).unwrap_or_default(), tags.remove(&r.id).unwrap_or_default());
            r.row(roles, tags)
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Page::from_overfetch(rows, size, |u| match by_sign_up {
        true => pair_cursor(u.created_at_ms, u.id),
        false => u.id.to_string(),
    }))
}

/// One text column of a per-user table (`user_tags.tag`, `user_roles.role`) for a page of users, in one
/// query, grouped by user in the column's order.
async fn column_of_many(
    state: &AppState,
    table: &str,
    column: &str,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<String>>, AppError> {
    let mut out: HashMap<i64, Vec<String>> = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let mut sql = Sql::new(state.db.backend, &format!("SELECT user_id, {column} FROM {table} WHERE user_id IN ("));
    let users = sql.list(ids.iter().copied());
    sql.push(&users);
    sql.push(&format!(") ORDER BY user_id, {column}"));
    let pairs: Vec<(i64, String)> =
        sql.query_as().fetch_all(state.db.read()).await.context(&format!("loading {table} of a page of users"))?;
    for (user_id, value) in pairs {
        out.entry(user_id).or_default().push(value);
    }
    Ok(out)
}

async fn tags_of_many(state: &AppState, ids: &[i64]) -> Result<HashMap<i64, Vec<String>>, AppError> {
    column_of_many(state, "user_tags", "tag", ids).await
}

async fn roles_of_many(state: &AppState, ids: &[i64]) -> Result<HashMap<i64, Vec<RoleName>>, AppError> {
    let names = column_of_many(state, "user_roles", "role", ids).await?;
    Ok(names.into_iter().map(|(user_id, names)| (user_id, roles_from(names))).collect())
}

/// The `users` columns of the detail page.
#[derive(sqlx::FromRow)]
struct DetailRecord {
    email: String,
    display_name: String,
    status: String,
    created_at: i64,
    banned_at: Option<i64>,
    ban_reason: Option<String>,
    ban_category: Option<String>,
    ban_ends_at: Option<i64>,
    /// 1 or 0: a comparison's type differs between the two databases, an integer does not.
    password_set: i64,
    second_factor: i64,
    phone: Option<String>,
    email_verified_at: Option<i64>,
    last_sign_in_at: Option<i64>,
    sign_in_count: i64,
    internal_note: String,
    locale: String,
}

pub async fn get_user(state: &AppState, id: i64, include_audit: bool) -> Result<UserDetail, AppError> {
    let db = state.db.read();
    let r: DetailRecord = sqlx::query_as(
        "SELECT email, display_name, status, created_at, banned_at, ban_reason, ban_category, ban_ends_at, \
         CASE WHEN password_hash = $2 THEN 0 ELSE 1 END AS password_set, email_verified_at, last_sign_in_at, \
         sign_in_count, internal_note, locale, phone, \
         (SELECT COUNT(*) FROM user_second_factors f WHERE f.user_id = users.id AND f.enabled_at IS NOT NULL) \
         AS second_factor FROM users WHERE id = $1",
    )
    .bind(id)
    .bind(crate::platform::passwords::UNSET)
    .fetch_optional(db)
    .await
    .context("loading the user")?
    .ok_or(AppError::NotFound)?;
    let roles: Vec<String> = sqlx::query_scalar("SELECT role FROM user_roles WHERE user_id = $1")
        .bind(id)
        .fetch_all(db)
        .await
        .context("loading the user's roles")?;
    let now = state.now_ms();
    let policy = state.settings().session;
    let active_sessions: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM sessions WHERE user_id = $1 AND last_seen_at > $2 AND created_at > $3",
    )
    .bind(id)
    .bind(now - policy.idle_for(!roles.is_empty()))
    .bind(now - policy.absolute_ms)
    .fetch_one(db)
    .await
    .context("counting the user's sessions")?;
    let recent_audit = if include_audit { Some(recent_audit(state, id).await?) } else { None };
    Ok(UserDetail {
        id,
        status: parse_status(&r.status)?,
        email: r.email,
        display_name: r.display_name,
        created_at_ms: r.created_at,
        banned_at_ms: r.banned_at,
        ban_reason: r.ban_reason,
        ban_category: r.ban_category.as_deref().and_then(BanCategory::parse),
        ban_ends_at_ms: r.ban_ends_at,
        password_set: r.password_set != 0,
        second_factor: r.second_factor != 0,
        phone_masked: r.phone.as_deref().map(crate::domain::phone::mask),
        email_verified: r.email_verified_at.is_some(),
        last_sign_in_at_ms: r.last_sign_in_at,
        sign_in_count: r.sign_in_count,
        tags: super::editing::tags_of(&mut *state.db.read().acquire().await.context("opening a connection")?, id)
            .await?,
        internal_note: r.internal_note,
        locale: r.locale,
        roles: roles_from(roles),
        active_sessions,
        memberships: memberships(state, id).await?,
        deletion: None,
        assignable_roles: vec![],
        recent_audit,
    })
}

/// Organisations the user is a member of, plus any they own without a member row.
async fn memberships(state: &AppState, user_id: i64) -> Result<Vec<Membership>, AppError> {
    sqlx::query_as(
        "SELECT o.id AS organisation_id, o.name, o.kind, o.status, m.role FROM organisation_members m \
         JOIN organisations o ON o.id = m.organisation_id WHERE m.user_id = $1 \
         UNION SELECT o.id, o.name, o.kind, o.status, 'owner' FROM organisations o WHERE o.owner_user_id = $1 \
         AND NOT EXISTS (SELECT 1 FROM organisation_members m WHERE m.organisation_id = o.id AND m.user_id = $1) \
         ORDER BY 1",
    )
    .bind(user_id)
    .fetch_all(state.db.read())
    .await
    .context("loading the user's organisations")
}

async fn recent_audit(state: &AppState, user_id: i64) -> Result<Vec<AuditLine>, AppError> {
    sqlx::query_as(
        "SELECT l.id, l.at AS at_ms, l.action, l.reason, a.email AS actor FROM audit_log l \
         LEFT JOIN users a ON a.id = l.actor_id \
         WHERE l.target_type = 'user' AND l.target_id = $1 ORDER BY l.id DESC LIMIT $2",
    )
    .bind(user_id.to_string())
    .bind(RECENT_AUDIT)
    .fetch_all(state.db.read())
    .await
    .context("loading the user's recent audit entries")
}

pub(crate) async fn locked_status(conn: &mut AnyConnection, id: i64) -> Result<UserStatus, AppError> {
    let status: String = sqlx::query_scalar("SELECT status FROM users WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
        .context("loading the user's status")?
        .ok_or(AppError::NotFound)?;
    parse_status(&status)
}

pub(crate) async fn roles_in_tx(conn: &mut AnyConnection, id: i64) -> Result<Vec<RoleName>, AppError> {
    let names: Vec<String> = sqlx::query_scalar("SELECT role FROM user_roles WHERE user_id = $1")
        .bind(id)
        .fetch_all(&mut *conn)
        .await
        .context("loading the user's roles")?;
    Ok(roles_from(names))
}

async fn active_super_admins(conn: &mut AnyConnection) -> Result<i64, AppError> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM user_roles r JOIN users u ON u.id = r.user_id \
         WHERE r.role = 'super_admin' AND u.status = 'active'",
    )
    .fetch_one(&mut *conn)
    .await
    .context("counting the active super admins")
}

/// The durable timer that lifts a timed ban when it ends (target: the user).
pub const JOB_BAN_EXPIRY: &str = "users.ban_expiry";

/// Bans an active user for `duration` and ends every session they have, at once; tells them (by
/// email: they can no longer open the app) why and until when. A timed ban gets its expiry timer.
pub async fn ban_user(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    id: i64,
    terms: BanTerms,
    reason: &Reason,
) -> Result<(), AppError> {
    let mut c = Change::by_caller_serialised(state, caller, meta).await?;
    ban_in(&mut c, caller, id, terms, reason).await?;
    c.commit().await
}

/// Bans every user of `ids` on the same terms, in one change: all of them or, when one cannot be
/// banned (oneself, already banned, deleted, the last super admin), none, naming the first refusal
/// and its user. One audit entry and one notice per user, as for a single ban.
pub async fn ban_users(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    ids: &[i64],
    terms: BanTerms,
    reason: &Reason,
) -> Result<BatchBan, AppError> {
    let mut c = Change::by_caller_serialised(state, caller, meta).await?;
    for &id in ids {
        match ban_in(&mut c, caller, id, terms, reason).await {
            Ok(()) => {}
            // Dropping the change rolls back the bans made so far.
            Err(AppError::Conflict { code }) | Err(AppError::Invalid { code, .. }) => {
                let email = sqlx::query_scalar("SELECT email FROM users WHERE id = $1")
                    .bind(id)
                    .fetch_optional(c.conn())
                    .await
                    .context("naming the refused user")?
                    .unwrap_or_default();
                return Ok(BatchBan::Refused { user_id: id, email, code });
            }
            Err(AppError::NotFound) => {
                return Ok(BatchBan::Refused { user_id: id, email: String::new(), code: "users.not_found".into() })
            }
            Err(e) => return Err(e),
        }
    }
    c.commit().await?;
    Ok(BatchBan::Banned(ids.len()))
}

/// One ban inside `c`, which holds the audited writers' lock (the super admin count spans users).
async fn ban_in(c: &mut Change, caller: &Caller, id: i64, terms: BanTerms, reason: &Reason) -> Result<(), AppError> {
    if id == caller.user_id {
        return Err(AppError::conflict("users.cannot_ban_self"));
    }
    let now = c.now_ms();
    match locked_status(c.conn(), id).await? {
        UserStatus::Active => {}
        UserStatus::Banned => return Err(AppError::conflict("users.already_banned")),
        UserStatus::Deleted => return Err(AppError::conflict("users.account_deleted")),
    }
    if any_super_admin(&roles_in_tx(c.conn(), id).await?) {
        if active_super_admins(c.conn()).await? <= 1 {
            return Err(AppError::conflict("users.last_super_admin"));
        }
        // Banning a super admin would let a lesser role lock out the people who assign roles.
        if !caller.is_super_admin() {
            return Err(AppError::Forbidden);
        }
    }
    let ends_at = terms.duration.ends_at(now);
    sqlx::query(
        "UPDATE users SET status = 'banned', banned_at = $1, ban_reason = $2, ban_category = $3, ban_ends_at = $4, \
         updated_at = $1 WHERE id = $5",
    )
    .bind(now)
    .bind(reason.as_str())
    .bind(terms.category.as_str())
    .bind(ends_at)
    .bind(id)
    .execute(c.conn())
    .await
    .context("banning the user")?;
    if let Some(end) = ends_at {
        jobs::schedule(c.conn(), now, JOB_BAN_EXPIRY, id, end).await.context("scheduling the ban's end")?;
    }
    let ended = end_every_session(c.conn(), id).await?;
    c.notify(OutboxEvent::notify(id, "users.banned", ban_notice(terms.category, ends_at))).await?;
    c.audit(
        Audit::new(AuditAction::UsersBan, AuditTarget::User(id))
            .before(json!({"status": "active"}))
            .after(json!({
                "status": "banned", "banned_at": now, "category": terms.category.as_str(),
                "duration": terms.duration.as_str(), "ends_at": ends_at, "sessions_ended": ended,
            }))
            .reason(reason.as_str()),
    )
    .await?;
    Ok(())
}

/// What the banned user is told, in both languages (the template picks its own).
fn ban_notice(category: BanCategory, ends_at: Option<i64>) -> serde_json::Value {
    use crate::i18n::{translate, Lang};
    let ends = |lang| match ends_at {
        Some(ms) => crate::components::format::time_text(ms),
        None => translate(lang, "ban.never_ends"),
    };
    json!({
        "category": translate(Lang::En, category.label_key()),
        "category_zh": translate(Lang::Zh, category.label_key()),
        "ends": ends(Lang::En),
        "ends_zh": ends(Lang::Zh),
    })
}

/// The expiry timer of a timed ban: lifts it if it is still the ban that has run out (one lifted
/// by hand, or imposed again since for longer, is left alone), audited as the system, and tells
/// the user.
pub async fn expire_ban(state: &AppState, id: i64) -> Result<(), AppError> {
    let mut c = Change::system(state, "timers").await?;
    let now = c.now_ms();
    let row: Option<(String, Option<i64>, Option<String>)> =
        sqlx::query_as("SELECT status, ban_ends_at, ban_category FROM users WHERE id = $1")
            .bind(id)
            .fetch_optional(c.conn())
            .await
            .context("loading the user's ban")?;
    let Some((status, ends_at, category)) = row else { return Ok(()) };
    if parse_status(&status)? != UserStatus::Banned || !ban::has_expired(ends_at, now) {
        return Ok(());
    }
    lift_ban(c.conn(), now, id).await?;
    c.audit(
        Audit::new(AuditAction::UsersBanExpire, AuditTarget::User(id))
            .before(json!({"status": "banned", "category": category, "ends_at": ends_at}))
            .after(json!({"status": "active"}))
            .reason("the ban ran its time"),
    )
    .await?;
    c.notify(OutboxEvent::notify(id, "users.unbanned", json!({}))).await?;
    c.commit().await
}

async fn lift_ban(conn: &mut AnyConnection, now: i64, id: i64) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE users SET status = 'active', banned_at = NULL, ban_reason = NULL, ban_category = NULL, \
         ban_ends_at = NULL, updated_at = $1 WHERE id = $2",
    )
    .bind(now)
    .bind(id)
    .execute(&mut *conn)
    .await
    .context("lifting the ban")?;
    jobs::cancel(&mut *conn, now, JOB_BAN_EXPIRY, id).await.context("cancelling the ban's timer")?;
    Ok(())
}

/// Deletes every session of user `id` (a ban, a sign-out everywhere); returns how many there were.
pub(crate) async fn end_every_session(conn: &mut AnyConnection, id: i64) -> Result<u64, AppError> {
    let ended = sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(id)
        .execute(conn)
        .await
        .context("ending the user's sessions")?;
    Ok(ended.rows_affected())
}

/// Ends every session of user `id` and tells them (in-app and by email: an account security event).
/// Refused when there is none, so the audit log only records sign-outs that happened.
pub async fn end_user_sessions(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    id: i64,
    reason: &Reason,
) -> Result<(), AppError> {
    let mut c = Change::by_caller(state, caller, meta).await?;
    locked_status(c.conn(), id).await?;
    let ended = end_every_session(c.conn(), id).await?;
    if ended == 0 {
        return Err(AppError::conflict("users.no_sessions"));
    }
    c.notify(OutboxEvent::notify(id, "users.sessions_ended", json!({}))).await?;
    c.audit(
        Audit::new(AuditAction::UsersEndSessions, AuditTarget::User(id))
            .before(json!({"sessions": ended}))
            .after(json!({"sessions": 0}))
            .reason(reason.as_str()),
    )
    .await?;
    c.commit().await
}

type BanRow = (String, Option<i64>, Option<String>, Option<String>, Option<i64>);

/// Lifts a ban and tells the user in-app.
pub async fn unban_user(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    id: i64,
    reason: &Reason,
) -> Result<(), AppError> {
    let mut c = Change::by_caller_serialised(state, caller, meta).await?;
    let now = c.now_ms();
    let (status, banned_at, ban_reason, category, ends_at): BanRow =
        sqlx::query_as("SELECT status, banned_at, ban_reason, ban_category, ban_ends_at FROM users WHERE id = $1")
            .bind(id)
            .fetch_optional(c.conn())
            .await
            .context("loading the user's ban")?
            .ok_or(AppError::NotFound)?;
    if parse_status(&status)? != UserStatus::Banned {
        return Err(AppError::conflict("users.not_banned"));
    }
    lift_ban(c.conn(), now, id).await?;
    c.audit(
        Audit::new(AuditAction::UsersUnban, AuditTarget::User(id))
            .before(json!({
                "status": "banned", "banned_at": banned_at, "ban_reason": ban_reason,
                "category": category, "ends_at": ends_at,
            }))
            .after(json!({"status": "active"}))
            .reason(reason.as_str()),
    )
    .await?;
    c.notify(OutboxEvent::notify(id, "users.unbanned", json!({}))).await?;
    c.commit().await
}

/// Replaces the user's operator roles with `roles` (sorted, unique) and tells them in-app. Roles are
/// read on every request, so the change applies to their next one.
pub async fn set_user_roles(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    id: i64,
    roles: &[RoleName],
    reason: &Reason,
) -> Result<(), AppError> {
    let mut c = Change::by_caller_serialised(state, caller, meta).await?;
    // A custom role must exist (the serialised change keeps it from being deleted meanwhile).
    if crate::users::roles::service::unknown_in_tx(c.conn(), roles).await? {
        return Err(AppError::invalid("roles", "users.roles_unknown"));
    }
    let now = c.now_ms();
    let status = locked_status(c.conn(), id).await?;
    let before = roles_in_tx(c.conn(), id).await?;
    if before == roles {
        return Err(AppError::conflict("users.roles_unchanged"));
    }
    let loses_super_admin = any_super_admin(&before) && !any_super_admin(roles);
    if loses_super_admin && status == UserStatus::Active && active_super_admins(c.conn()).await? <= 1 {
        return Err(AppError::conflict("users.last_super_admin"));
    }
    // Only what changed is written, so a kept role keeps when and by whom it was granted.
    for role in before.iter().filter(|r| !roles.contains(r)) {
        sqlx::query("DELETE FROM user_roles WHERE user_id = $1 AND role = $2")
            .bind(id)
            .bind(role.as_str())
            .execute(c.conn())
            .await
            .context("removing a role")?;
    }
    for role in roles.iter().filter(|r| !before.contains(r)) {
        sqlx::query("INSERT INTO user_roles (user_id, role, granted_at, granted_by) VALUES ($1, $2, $3, $4)")
            .bind(id)
            .bind(role.as_str())
            .bind(now)
            .bind(caller.user_id)
            .execute(c.conn())
            .await
            .context("granting a role")?;
    }
    let names = |rs: &[RoleName]| rs.iter().map(|r| r.as_str().to_string()).collect::<Vec<_>>();
    c.audit(
        Audit::new(AuditAction::RolesAssign, AuditTarget::User(id))
            .before(json!({"roles": names(&before)}))
            .after(json!({"roles": names(roles)}))
            .reason(reason.as_str()),
    )
    .await?;
    c.notify(OutboxEvent::notify(id, "roles.changed", json!({"roles": roles_text(roles)}))).await?;
    c.commit().await
}

/// Newest first, after `cursor`, with each owner's email and member count.
pub async fn list_organisations(
    state: &AppState,
    filter: &OrgFilter,
    cursor: Option<&str>,
) -> Result<Page<OrgRow>, AppError> {
    let size = page_size(None);
    let mut sql = Sql::new(
        state.db.backend,
        "SELECT o.id, o.name, o.kind, o.status, o.region, o.created_at AS created_at_ms, u.email AS owner_email, \
         (SELECT COUNT(*) FROM organisation_members m WHERE m.organisation_id = o.id) AS members \
         FROM organisations o JOIN users u ON u.id = o.owner_user_id WHERE 1 = 1",
    );
    after_id(&mut sql, "o.id", Order::Desc, parse_id_cursor(cursor));
    if let Some(status) = filter.status {
        sql.and_eq("o.status", status);
    }
    if let Some(search) = &filter.search {
        contains(&mut sql, "o.name", search);
    }
    order_limit(&mut sql, "o.id DESC", size);
    let rows: Vec<OrgRow> = sql.query_as().fetch_all(state.db.read()).await.context("listing organisations")?;
    Ok(Page::from_overfetch(rows, size, |o| o.id.to_string()))
}
