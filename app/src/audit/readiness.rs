//! Launch readiness: the audit chain is intact (see `crate::readiness`).
//!
//! A page view must not rehash a million entries, so the check is incremental: a checkpoint
//! (`readiness_audit_checkpoint`: the last verified entry's id, seq and hash) is trusted, the stored
//! checkpoint entry is compared with it, and only the entries after it are verified, at most `BATCH`
//! per view; the checkpoint then moves to the last entry verified. Until the tail is caught up the
//! check is a warning ("behind"). Tampering with an entry *before* the checkpoint after it was
//! verified is what `agora-server audit verify` (the full rehash) is for.

use crate::domain::audit::ChainVerifier;
use crate::domain::readiness::{fact, rules, rules::ChainFinding, Area, CheckDef, Measured};
use crate::error::{AppError, Context};
use crate::platform::audit_log::content_of;
use crate::platform::change::Change;
use crate::platform::state::AppState;
use sqlx::Row;

static CHAIN: CheckDef =
    CheckDef { id: "operations.audit_chain", area: Area::Operations, link: Some("/console/audit"), setting: None };

pub static CHECKS: &[&CheckDef] = &[&CHAIN];

/// Entries verified per page view at most: a few milliseconds of hashing.
pub const BATCH: i64 = 5_000;

pub async fn measure(state: &AppState) -> Result<Vec<Measured>, AppError> {
    let db = state.db.read();
    // The head first: entries committed after this read have a higher seq and wait for the next view.
    let (head_seq, head_hash): (i64, String) = sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1")
        .fetch_one(db)
        .await
        .context("reading the audit head")?;
    let (cp_id, cp_seq, cp_hash): (i64, i64, String) =
        sqlx::query_as("SELECT entry_id, seq, hash FROM readiness_audit_checkpoint WHERE id = 1")
            .fetch_one(db)
            .await
            .context("reading the audit checkpoint")?;
    let mut finding = checkpoint_still_stored(state, cp_id, cp_seq, &cp_hash).await?;
    let mut verifier = ChainVerifier::resume(&cp_hash, cp_seq);
    let (mut last_id, mut last_seq) = (cp_id, cp_seq);
    if finding.is_none() && head_seq < cp_seq {
        finding = Some(ChainFinding::Broken);
    }
    if finding.is_none() {
        let rows = sqlx::query(
            "SELECT id, seq, at, actor_id, actor_roles, action, target_type, target_id, before_json, after_json, \
             reason, ip, user_agent, result, prev_hash, hash FROM audit_log WHERE id > $1 AND seq <= $2 ORDER BY id LIMIT $3",
        )
        .bind(cp_id)
        .bind(head_seq)
        .bind(BATCH)
        .fetch_all(db)
        .await
        .context("reading audit entries after the checkpoint")?;
        for r in &rows {
            let entry = crate::domain::audit::StoredEntry {
                id: r.try_get("id").context("reading an audit entry")?,
                content: content_of(r).context("reading an audit entry")?,
                prev_hash: r.try_get("prev_hash").context("reading an audit entry")?,
                hash: r.try_get("hash").context("reading an audit entry")?,
            };
            if verifier.check(&entry).is_err() {
                finding = Some(ChainFinding::Broken);
                break;
            }
            (last_id, last_seq) = (entry.id, entry.content.seq);
        }
    }
    let finding = finding.unwrap_or(if last_seq < head_seq {
        ChainFinding::Behind
    } else if verifier.head() == head_hash {
        ChainFinding::Intact
    } else {
        // Every entry up to the head's seq verified yet the head differs: the tail was removed.
        ChainFinding::Broken
    });
    if last_id != cp_id && finding != ChainFinding::Broken {
        advance(state, cp_id, last_id, last_seq, verifier.head()).await?;
    }
    Ok(vec![CHAIN.measured(
        rules::audit_chain(finding),
        vec![
            fact("readiness.fact.audit_entries", head_seq),
            fact("readiness.fact.audit_verified_through", last_seq),
            fact("readiness.fact.audit_verified_now", verifier.checked),
        ],
    )])
}

/// The checkpoint's entry must still be stored as it was verified; `None` when it is (or there is
/// no checkpoint yet).
async fn checkpoint_still_stored(
    state: &AppState,
    id: i64,
    seq: i64,
    hash: &str,
) -> Result<Option<ChainFinding>, AppError> {
    if id == 0 {
        return Ok(None);
    }
    let stored: Option<(i64, String)> = sqlx::query_as("SELECT seq, hash FROM audit_log WHERE id = $1")
        .bind(id)
        .fetch_optional(state.db.read())
        .await
        .context("reading the checkpoint's audit entry")?;
    Ok((stored != Some((seq, hash.to_string()))).then_some(ChainFinding::Broken))
}

/// Moves the checkpoint forward, unless another view already moved it.
async fn advance(state: &AppState, from_id: i64, id: i64, seq: i64, hash: &str) -> Result<(), AppError> {
    let mut c = Change::unaudited(state, "readiness: the audit chain verified through a later entry").await?;
    let now = c.now_ms();
    sqlx::query(
        "UPDATE readiness_audit_checkpoint SET entry_id = $1, seq = $2, hash = $3, verified_at = $4 \
         WHERE id = 1 AND entry_id = $5",
    )
    .bind(id)
    .bind(seq)
    .bind(hash)
    .bind(now)
    .bind(from_id)
    .execute(c.conn())
    .await
    .context("moving the audit checkpoint")?;
    c.commit().await
}
