//! A small in-process cache for what every visitor sees alike (the category tree, the home page's
//! sections, the first page of a category), so those pages cost a render and one tiny read instead of
//! the same queries on every request.
//!
//! **How a change reaches every process.** An entry is stamped with the catalog version it was built
//! from (`cache_versions`, row `catalog`). Triggers (migration 0006) bump that row in the same
//! transaction as any catalog change a visitor would see (a listing approved, taken down, edited,
//! featured, a category renamed or disabled, a seller suspended), whichever code path or process
//! makes it. Every lookup reads the version first (one primary-key read, tens of microseconds), so a
//! committed change shows on the next request in every server process. An in-process signal would
//! not reach the other processes behind a load balancer on PostgreSQL; a TTL alone would show stale
//! pages (an approved listing missing, a suspended seller's listing still there) for the whole TTL.
//!
//! **The TTL** (`TTL_MS`) bounds what the version does not track on purpose: stock counts, which
//! checkout changes constantly (bumping one row for each would serialise checkouts on it). A listing
//! running out of stock or coming back does bump the version.
//!
//! Reading the version before the data means an entry can only be newer than its stamp, never older:
//! a change that commits between the two reads is either in the data or caught by the next lookup.

use super::db::Db;
use crate::error::{AppError, Context};
use std::any::Any;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, RwLock};

/// How long an entry may serve what the catalog version does not track (stock counts).
pub const TTL_MS: i64 = 30_000;
/// Keys are a few fixed names and one per existing category slug (the storefront cache), or one per
/// searched text and filters (the search cache); past this many the map is cleared, so no input can
/// grow it without bound.
const MAX_ENTRIES: usize = 1_000;

struct Entry {
    version: i64,
    loaded_at_ms: i64,
    value: Arc<dyn Any + Send + Sync>,
}

/// Whether an entry built at `loaded_at_ms` from `entry_version` may answer now, within `ttl_ms`
/// (`TTL_MS` here; the server's page cache, which keeps whole pages, uses its own shorter one).
pub fn is_fresh(entry_version: i64, loaded_at_ms: i64, current_version: i64, now_ms: i64, ttl_ms: i64) -> bool {
    entry_version == current_version && now_ms.saturating_sub(loaded_at_ms) < ttl_ms
}

#[derive(Default)]
pub struct Cache {
    entries: RwLock<HashMap<String, Entry>>,
}

/// The current catalog version (committed changes only).
pub async fn catalog_version(db: &Db) -> Result<i64, AppError> {
    let v: Option<i64> = sqlx::query_scalar("SELECT version FROM cache_versions WHERE name = 'catalog'")
        .fetch_optional(db.read())
        .await
        .context("reading the catalog version")?;
    Ok(v.unwrap_or(0))
}

/// Marks the catalog changed, in the caller's transaction: for writes the migration's triggers do not
/// see, such as the search index (`platform::search_index`), which searches' cached pages read.
pub async fn bump_catalog_version(conn: &mut sqlx::AnyConnection) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE cache_versions SET version = version + 1 WHERE name = 'catalog'").execute(conn).await?;
    Ok(())
}

impl Cache {
    /// The value under `key` if it is still fresh at `now_ms` (the app's clock), otherwise `load()`'s (stored when it succeeds;
    /// errors such as `NotFound` are not cached). Concurrent misses each load: every loader here is a
    /// few indexed reads, cheaper than making visitors wait on one another.
    pub async fn get_or_load<V, F, Fut>(&self, db: &Db, now_ms: i64, key: &str, load: F) -> Result<V, AppError>
    where
        V: Clone + Send + Sync + 'static,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<V, AppError>>,
    {
        let version = catalog_version(db).await?;
        let now = now_ms;
        if let Some(v) = self.fresh::<V>(key, version, now) {
            return Ok(v);
        }
        let value = load().await?;
        self.store(key, Entry { version, loaded_at_ms: now, value: Arc::new(value.clone()) });
        Ok(value)
    }

    fn fresh<V: Clone + 'static>(&self, key: &str, version: i64, now: i64) -> Option<V> {
        let entries = self.entries.read().unwrap_or_else(|e| e.into_inner());
        let e = entries.get(key)?;
        if !is_fresh(e.version, e.loaded_at_ms, version, now, TTL_MS) {
            return None;
        }
        e.value.downcast_ref::<V>().cloned()
    }

    fn store(&self, key: &str, entry: Entry) {
        let mut entries = self.entries.write().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= MAX_ENTRIES && !entries.contains_key(key) {
            entries.clear();
        }
        entries.insert(key.to_string(), entry);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_of_the_current_version_serves_until_its_ttl() {
        assert!(is_fresh(3, 1_000, 3, 1_000, TTL_MS));
        assert!(is_fresh(3, 1_000, 3, 1_000 + TTL_MS - 1, TTL_MS));
        assert!(!is_fresh(3, 1_000, 3, 1_000 + TTL_MS, TTL_MS));
    }

    #[test]
    fn a_newer_catalog_version_makes_an_entry_stale_at_once() {
        assert!(!is_fresh(3, 1_000, 4, 1_000, TTL_MS));
    }
}
