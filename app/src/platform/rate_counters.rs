//! The rate limit counts (`domain::rate_limit`), in the database so every server process shares them:
//! one statement per limited request counts it in each of its buckets and answers, per bucket, the
//! current window's count and the previous window's.

use super::state::AppState;
use crate::domain::rate_limit::{window_start, Counts, WINDOW_MS};
use sqlx::Row;
use std::sync::atomic::{AtomicI64, Ordering};

/// A bucket's name: the class, then whose requests (`ip:<address>` or `user:<id>`).
pub fn ip_bucket(class: &str, ip: &str) -> String {
    format!("{class}:ip:{ip}")
}

pub fn user_bucket(class: &str, user_id: i64) -> String {
    format!("{class}:user:{user_id}")
}

/// Counts one request at `now_ms` in every bucket of `buckets` (at most a few, all different) and
/// returns their counts, in the order given.
///
/// `INSERT ... ON CONFLICT DO UPDATE ... RETURNING` (SQLite 3.35+, PostgreSQL): the increment is atomic
/// in the database, so concurrent requests on any process never lose a count. The previous window's
/// count comes back in the same statement (a subquery of RETURNING), one round trip in all.
pub async fn count(state: &AppState, buckets: &[String], now_ms: i64) -> Result<Vec<Counts>, sqlx::Error> {
    let current = window_start(now_ms);
    let mut values = Vec::with_capacity(buckets.len());
    for i in 0..buckets.len() {
        values.push(format!("(${}, $1, 1)", i + 3));
    }
    let text = format!(
        "INSERT INTO rate_counters (bucket, window_start, hits) VALUES {} \
         ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_counters.hits + 1 \
         RETURNING bucket, hits, COALESCE((SELECT p.hits FROM rate_counters p \
         WHERE p.bucket = rate_counters.bucket AND p.window_start = $2), 0) AS previous",
        values.join(", ")
    );
    let mut query = sqlx::query(&text).bind(current).bind(current - WINDOW_MS);
    for bucket in buckets {
        query = query.bind(bucket);
    }
    let rows = state.db.fetch_all_write(query).await?;
    let mut counts = vec![Counts::default(); buckets.len()];
    for row in rows {
        let bucket: String = row.try_get("bucket")?;
        if let Some(i) = buckets.iter().position(|b| *b == bucket) {
            counts[i] = Counts { previous: row.try_get("previous")?, current: row.try_get("hits")? };
        }
    }
    Ok(counts)
}

/// Deletes the windows that no longer count (older than the previous one), at most once per window
/// per process (`pruned_before`: the process's own mark, the first request of each new window prunes):
/// the table holds about two minutes of buckets. Returns how many rows went.
pub async fn prune_if_due(state: &AppState, pruned_before: &AtomicI64, now_ms: i64) -> Result<u64, sqlx::Error> {
    let before = window_start(now_ms) - WINDOW_MS;
    if pruned_before.fetch_max(before, Ordering::AcqRel) >= before {
        return Ok(0);
    }
    let done =
        state.db.execute_write(sqlx::query("DELETE FROM rate_counters WHERE window_start < $1").bind(before)).await?;
    Ok(done.rows_affected())
}
