//! Reading the audit log (server only): filtered keyset pages, one entry with its integrity, the chain
//! check. Filter values only ever reach SQL as bound parameters.

use super::filter::{ActionFilter, ActorFilter, AuditFilter};
use super::model::{AuditDetail, AuditRow, ChainCheck};
use crate::domain::audit::{diff, AuditContent, GENESIS_HASH};
use crate::domain::page::Page;
use crate::error::{AppError, Context};
use crate::platform::audit_log::{verify_chain, ChainStatus};
use crate::platform::db::Db;
use crate::platform::sql::{after_id, order_limit, Order, Sql};
use sqlx::Row;

/// The list shows this much of a reason; the entry's page shows all of it.
pub const REASON_PREVIEW_CHARS: usize = 120;

/// Every query joins the actor's account, to show (and filter by) their email.
pub const FROM: &str = "FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id";
/// The list's columns, named as `AuditRow`'s fields.
const ROW_COLUMNS: &str = "a.id, a.at AS at_ms, a.actor_id, u.email AS actor_email, a.actor_roles, a.action, \
     a.target_type, a.target_id, a.result, a.reason";
pub const ALL_COLUMNS: &str = "a.id, a.seq, a.at, a.actor_id, u.email AS actor_email, a.actor_roles, a.action, \
     a.target_type, a.target_id, a.before_json, a.after_json, a.reason, a.ip, a.user_agent, a.result, a.prev_hash, a.hash";

/// `SELECT <columns> FROM ... WHERE` the filter's conditions; filter values only ever reach SQL as
/// bound arguments.
pub fn filtered(db: &Db, columns: &str, filter: &AuditFilter) -> Sql {
    let mut sql = Sql::new(db.backend, &format!("SELECT {columns} {FROM} WHERE 1 = 1"));
    match &filter.actor {
        Some(ActorFilter::Id(id)) => {
            sql.and_eq("a.actor_id", *id);
        }
        Some(ActorFilter::Email(email)) => {
            sql.and_eq("u.email", email.as_str());
        }
        Some(ActorFilter::System) => {
            sql.push(" AND a.actor_id IS NULL");
        }
        None => {}
    }
    match &filter.action {
        Some(ActionFilter::Exact(a)) => {
            sql.and_eq("a.action", a.as_str());
        }
        // Not LIKE: `_` (as in `change_password`) is a LIKE wildcard, and SQLite's LIKE ignores case.
        // `length` counts characters on both databases, as `substr` does.
        Some(ActionFilter::Prefix(p)) => {
            let prefix = sql.arg(p.as_str());
            sql.push(&format!(" AND substr(a.action, 1, length({prefix})) = {prefix}"));
        }
        None => {}
    }
    if let Some(t) = &filter.target_type {
        sql.and_eq("a.target_type", t.as_str());
    }
    if let Some(t) = &filter.target_id {
        sql.and_eq("a.target_id", t.as_str());
    }
    if let Some(from) = filter.from_ms {
        let p = sql.arg(from);
        sql.push(&format!(" AND a.at >= {p}"));
    }
    if let Some(until) = filter.until_ms {
        let p = sql.arg(until);
        sql.push(&format!(" AND a.at < {p}"));
    }
    sql
}

/// The hashed fields of a row selected with `ALL_COLUMNS`: one mapping, shared with the verifier.
pub use crate::platform::audit_log::content_of;

fn preview(reason: String) -> String {
    if reason.chars().count() <= REASON_PREVIEW_CHARS {
        return reason;
    }
    let mut cut: String = reason.chars().take(REASON_PREVIEW_CHARS - 1).collect();
    cut.push('…');
    cut
}

/// Up to `size` entries matching `filter`, newest first, strictly older than `before`.
pub async fn list(db: &Db, filter: &AuditFilter, before: Option<i64>, size: u32) -> Result<Page<AuditRow>, AppError> {
    let mut sql = filtered(db, ROW_COLUMNS, filter);
    after_id(&mut sql, "a.id", Order::Desc, before);
    order_limit(&mut sql, "a.id DESC", size);
    let mut rows: Vec<AuditRow> = sql.query_as().fetch_all(db.read()).await.context("listing audit entries")?;
    for row in &mut rows {
        row.reason = preview(std::mem::take(&mut row.reason));
    }
    Ok(Page::from_overfetch(rows, size, |r| r.id.to_string()))
}

/// The list's row of an entry read with `ALL_COLUMNS` (the reason whole).
fn row_of(id: i64, actor_email: Option<String>, c: &AuditContent) -> AuditRow {
    AuditRow {
        id,
        at_ms: c.at_ms,
        actor_id: c.actor_id,
        actor_email,
        actor_roles: c.actor_roles.clone(),
        action: c.action.clone(),
        target_type: c.target_type.clone(),
        target_id: c.target_id.clone(),
        result: c.result.clone(),
        reason: c.reason.clone(),
    }
}

/// One entry, with its field changes and a check of its own hash and of its link to the entry before.
pub async fn entry(db: &Db, id: i64) -> Result<Option<AuditDetail>, AppError> {
    let sql = format!("SELECT {ALL_COLUMNS} {FROM} WHERE a.id = $1");
    let found = sqlx::query(&sql).bind(id).fetch_optional(db.read()).await.context("loading the audit entry")?;
    let Some(r) = found else { return Ok(None) };
    let content = content_of(&r).context("reading the audit entry")?;
    let prev_hash: String = r.try_get("prev_hash")?;
    let hash: String = r.try_get("hash")?;
    let previous: Option<String> =
        sqlx::query_scalar("SELECT hash FROM audit_log WHERE id < $1 ORDER BY id DESC LIMIT 1")
            .bind(id)
            .fetch_optional(db.read())
            .await
            .context("loading the entry before")?;
    let linked = match previous {
        Some(h) => h == prev_hash,
        None => prev_hash == GENESIS_HASH && content.seq == 1,
    };
    Ok(Some(AuditDetail {
        row: row_of(id, r.try_get("actor_email")?, &content),
        seq: content.seq,
        hash_matches: content.chain_hash(&prev_hash) == hash,
        linked,
        changes: diff(&content.before, &content.after),
        ip: content.ip,
        user_agent: content.user_agent,
        before_json: content.before,
        after_json: content.after,
        prev_hash,
        hash,
    }))
}

pub async fn check_chain(db: &Db) -> Result<ChainCheck, AppError> {
    Ok(match verify_chain(db).await.context("verifying the audit chain")? {
        ChainStatus::Intact { entries } => ChainCheck::Intact { entries },
        ChainStatus::Broken { entries_checked, at } => ChainCheck::Broken { entries_checked, at },
        ChainStatus::Truncated { entries } => ChainCheck::Truncated { entries },
    })
}
