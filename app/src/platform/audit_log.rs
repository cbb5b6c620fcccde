//! Writing audit records inside the caller's transaction. The single `audit_head` row is updated first,
//! which on PostgreSQL takes a row lock: concurrent writers line up, so the chain never forks. The
//! head's hash then follows the inserted entry by trigger (migration 0014), in the INSERT itself.

use super::caller::{Caller, RequestMeta};
use crate::domain::audit::AuditContent;
use serde_json::Value;
use sqlx::{AnyConnection, Row};

/// Who did it. Operators and users act through sessions; the CLI and workers act as the system.
#[derive(Debug, Clone)]
pub struct Actor {
    pub id: Option<i64>,
    pub roles: String,
}

impl Actor {
    pub fn of(caller: &Caller) -> Actor {
        Actor { id: Some(caller.user_id), roles: caller.roles_label() }
    }

    pub fn system(what: &str) -> Actor {
        Actor { id: None, roles: format!("system:{what}") }
    }

    /// Someone not signed in (a refused sign-in attempt).
    pub fn anonymous() -> Actor {
        Actor { id: None, roles: "anonymous".into() }
    }
}

/// One audit record to write. `before`/`after` are the target's relevant fields.
#[derive(Debug, Clone)]
pub struct AuditEntry<'a> {
    pub action: &'a str,
    pub target_type: &'a str,
    pub target_id: String,
    pub before: Value,
    pub after: Value,
    pub reason: &'a str,
    pub result: &'a str,
}

/// Appends one entry to the chain. Feature code goes through `platform::change::Change::audit`; this
/// stays public only until every capability is converted to `Change` (then: `pub(in crate::platform)`).
pub async fn record(
    conn: &mut AnyConnection,
    actor: &Actor,
    meta: &RequestMeta,
    at_ms: i64,
    entry: AuditEntry<'_>,
) -> Result<i64, sqlx::Error> {
    // Taking the head and reading it in one statement: the head is every audited writer's meeting
    // point (held until commit on PostgreSQL), so each statement after this one delays them all.
    let head = sqlx::query("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash")
        .fetch_one(&mut *conn)
        .await?;
    let seq: i64 = head.try_get("seq")?;
    let prev_hash: String = head.try_get("hash")?;
    let content = AuditContent {
        seq,
        at_ms,
        actor_id: actor.id,
        actor_roles: actor.roles.clone(),
        action: entry.action.to_string(),
        target_type: entry.target_type.to_string(),
        target_id: entry.target_id,
        before: entry.before.to_string(),
        after: entry.after.to_string(),
        reason: entry.reason.to_string(),
        ip: meta.ip.clone(),
        user_agent: meta.user_agent.clone(),
        result: entry.result.to_string(),
    };
    let hash = content.chain_hash(&prev_hash);
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO audit_log (seq, at, actor_id, actor_roles, action, target_type, target_id, \
         before_json, after_json, reason, ip, user_agent, result, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id",
    )
    .bind(content.seq)
    .bind(content.at_ms)
    .bind(content.actor_id)
    .bind(&content.actor_roles)
    .bind(&content.action)
    .bind(&content.target_type)
    .bind(&content.target_id)
    .bind(&content.before)
    .bind(&content.after)
    .bind(&content.reason)
    .bind(&content.ip)
    .bind(&content.user_agent)
    .bind(&content.result)
    .bind(&prev_hash)
    .bind(&hash)
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

/// The hashed fields of an `audit_log` row (selected with at least those columns).
pub fn content_of(r: &sqlx::any::AnyRow) -> Result<AuditContent, sqlx::Error> {
    Ok(AuditContent {
        seq: r.try_get("seq")?,
        at_ms: r.try_get("at")?,
        actor_id: r.try_get("actor_id")?,
        actor_roles: r.try_get("actor_roles")?,
        action: r.try_get("action")?,
        target_type: r.try_get("target_type")?,
        target_id: r.try_get("target_id")?,
        before: r.try_get("before_json")?,
        after: r.try_get("after_json")?,
        reason: r.try_get("reason")?,
        ip: r.try_get("ip")?,
        user_agent: r.try_get("user_agent")?,
        result: r.try_get("result")?,
    })
}

/// The outcome of walking the whole chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainStatus {
    Intact {
        entries: u64,
    },
    Broken {
        entries_checked: u64,
        at: crate::domain::audit::ChainBreak,
    },
    /// The last entries were removed: the chain is consistent but shorter than its recorded head.
    Truncated {
        entries: u64,
    },
}

/// Recomputes every hash in id order, a page at a time, and compares the end with `audit_head`.
pub async fn verify_chain(db: &super::db::Db) -> Result<ChainStatus, sqlx::Error> {
    use crate::domain::audit::{ChainVerifier, StoredEntry};
    const PAGE: i64 = 1000;
    let mut verifier = ChainVerifier::default();
    let mut after = 0i64;
    loop {
        let rows = sqlx::query(
            "SELECT id, seq, at, actor_id, actor_roles, action, target_type, target_id, before_json, after_json, \
             reason, ip, user_agent, result, prev_hash, hash FROM audit_log WHERE id > $1 ORDER BY id LIMIT $2",
        )
        .bind(after)
        .bind(PAGE)
        .fetch_all(db.read())
        .await?;
        if rows.is_empty() {
            break;
        }
        for r in &rows {
            let entry = StoredEntry {
                id: r.try_get("id")?,
                content: content_of(r)?,
                prev_hash: r.try_get("prev_hash")?,
                hash: r.try_get("hash")?,
            };
            if let Err(at) = verifier.check(&entry) {
                return Ok(ChainStatus::Broken { entries_checked: verifier.checked, at });
            }
            after = entry.id;
        }
    }
    let head: String = sqlx::query_scalar("SELECT hash FROM audit_head WHERE id = 1").fetch_one(db.read()).await?;
    if head != verifier.head() {
        return Ok(ChainStatus::Truncated { entries: verifier.checked });
    }
    Ok(ChainStatus::Intact { entries: verifier.checked })
}
