//! Reading the audit log (server only): filtered keyset pages, one entry with its integrity, the chain
//! check. Filter values only ever reach SQL as bound parameters.

use super::filter::{ActionFilter, ActorFilter, AuditFilter};
use super::model::{AuditDetail, AuditRow, ChainCheck};
use crate::domain::audit::{diff, GENESIS_HASH};
use crate::domain::page::Page;
use crate::error::AppError;
use crate::platform::audit_log::{verify_chain, ChainStatus};
use crate::platform::db::Db;
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::{Any, Row};

/// The list shows this much of a reason; the entry's page shows all of it.
pub const REASON_PREVIEW_CHARS: usize = 120;

/// Every query joins the actor's account, to show (and filter by) their email.
pub const FROM: &str = "FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id";
const ROW_COLUMNS: &str =
    "a.id, a.at, a.actor_id, u.email AS actor_email, a.actor_roles, a.action, a.target_type, a.target_id, a.result, a.reason";
pub const ALL_COLUMNS: &str = "a.id, a.seq, a.at, a.actor_id, u.email AS actor_email, a.actor_roles, a.action, \
     a.target_type, a.target_id, a.before_json, a.after_json, a.reason, a.ip, a.user_agent, a.result, a.prev_hash, a.hash";

pub enum Arg {
    Int(i64),
    /// A character count for `substr`: PostgreSQL's `substr` takes `integer`, not `bigint`.
    Int32(i32),
    Text(String),
}

/// A `WHERE` clause built from a filter, with its arguments numbered `$1, $2, ...` in order.
#[derive(Default)]
pub struct Conditions {
    clauses: Vec<String>,
    args: Vec<Arg>,
}

impl Conditions {
    pub fn of(filter: &AuditFilter) -> Conditions {
        let mut c = Conditions::default();
        match &filter.actor {
            Some(ActorFilter::Id(id)) => c.and("a.actor_id = {}", Arg::Int(*id)),
            Some(ActorFilter::Email(email)) => c.and("u.email = {}", Arg::Text(email.clone())),
            Some(ActorFilter::System) => c.clauses.push("a.actor_id IS NULL".into()),
            None => {}
        }
        match &filter.action {
            Some(ActionFilter::Exact(a)) => c.and("a.action = {}", Arg::Text(a.clone())),
            // Not LIKE: `_` (as in `change_password`) is a LIKE wildcard, and SQLite's LIKE ignores case.
            Some(ActionFilter::Prefix(p)) => {
                let len = c.arg(Arg::Int32(p.chars().count() as i32));
                let prefix = c.arg(Arg::Text(p.clone()));
                c.clauses.push(format!("substr(a.action, 1, {len}) = {prefix}"));
            }
            None => {}
        }
        if let Some(t) = &filter.target_type {
            c.and("a.target_type = {}", Arg::Text(t.clone()));
        }
        if let Some(t) = &filter.target_id {
            c.and("a.target_id = {}", Arg::Text(t.clone()));
        }
        if let Some(from) = filter.from_ms {
            c.and("a.at >= {}", Arg::Int(from));
        }
        if let Some(until) = filter.until_ms {
            c.and("a.at < {}", Arg::Int(until));
        }
        c
    }

    /// Adds an argument and returns its placeholder.
    pub fn arg(&mut self, arg: Arg) -> String {
        self.args.push(arg);
        format!("${}", self.args.len())
    }

    /// Adds a condition whose `{}` is the placeholder of `arg`.
    pub fn and(&mut self, template: &str, arg: Arg) {
        let p = self.arg(arg);
        self.clauses.push(template.replace("{}", &p));
    }

    /// ` WHERE ...`, or nothing when there is no condition.
    pub fn where_sql(&self) -> String {
        if self.clauses.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", self.clauses.join(" AND "))
        }
    }

    pub fn bind<'q>(
        &'q self,
        mut q: sqlx::query::Query<'q, Any, AnyArguments<'q>>,
    ) -> sqlx::query::Query<'q, Any, AnyArguments<'q>> {
        for a in &self.args {
            q = match a {
                Arg::Int(v) => q.bind(*v),
                Arg::Int32(v) => q.bind(*v),
                Arg::Text(v) => q.bind(v.as_str()),
            };
        }
        q
    }
}

fn row_of(r: &AnyRow) -> Result<AuditRow, sqlx::Error> {
    Ok(AuditRow {
        id: r.try_get("id")?,
        at_ms: r.try_get("at")?,
        actor_id: r.try_get("actor_id")?,
        actor_email: r.try_get("actor_email")?,
        actor_roles: r.try_get("actor_roles")?,
        action: r.try_get("action")?,
        target_type: r.try_get("target_type")?,
        target_id: r.try_get("target_id")?,
        result: r.try_get("result")?,
        reason: r.try_get("reason")?,
    })
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
    let mut c = Conditions::of(filter);
    if let Some(before) = before {
        c.and("a.id < {}", Arg::Int(before));
    }
    let limit = c.arg(Arg::Int(i64::from(size) + 1));
    let sql = format!("SELECT {ROW_COLUMNS} {FROM}{} ORDER BY a.id DESC LIMIT {limit}", c.where_sql());
    let rows = c.bind(sqlx::query(&sql)).fetch_all(db.read()).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let mut row = row_of(r)?;
        row.reason = preview(row.reason);
        out.push(row);
    }
    Ok(Page::from_overfetch(out, size, |r| r.id.to_string()))
}

/// One entry, with its field changes and a check of its own hash and of its link to the entry before.
pub async fn entry(db: &Db, id: i64) -> Result<Option<AuditDetail>, AppError> {
    let sql = format!("SELECT {ALL_COLUMNS} {FROM} WHERE a.id = $1");
    let Some(r) = sqlx::query(&sql).bind(id).fetch_optional(db.read()).await? else { return Ok(None) };
    let content = content_of(&r)?;
    let prev_hash: String = r.try_get("prev_hash")?;
    let hash: String = r.try_get("hash")?;
    let previous: Option<String> =
        sqlx::query_scalar("SELECT hash FROM audit_log WHERE id < $1 ORDER BY id DESC LIMIT 1")
            .bind(id)
            .fetch_optional(db.read())
            .await?;
    let linked = match previous {
        Some(h) => h == prev_hash,
        None => prev_hash == GENESIS_HASH && content.seq == 1,
    };
    Ok(Some(AuditDetail {
        row: row_of(&r)?,
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
    Ok(match verify_chain(db).await? {
        ChainStatus::Intact { entries } => ChainCheck::Intact { entries },
        ChainStatus::Broken { entries_checked, at } => ChainCheck::Broken { entries_checked, at },
        ChainStatus::Truncated { entries } => ChainCheck::Truncated { entries },
    })
}
