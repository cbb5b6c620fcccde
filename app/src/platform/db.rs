//! One code path for SQLite and PostgreSQL through sqlx's `Any` driver with portable SQL (`$1`
//! placeholders work on both). SQLite gets WAL, a busy timeout and a single writer connection, so
//! concurrent writes queue in the pool instead of failing with "database is locked".

use anyhow::Context;
use sqlx::any::{AnyPoolOptions, AnyQueryResult};
use sqlx::migrate::Migrator;
use sqlx::{Any, AnyPool, Executor, Transaction};
use std::time::Duration;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/postgres");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of_url(url: &str) -> anyhow::Result<Backend> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Ok(Backend::Postgres)
        } else {
            anyhow::bail!("AGORA_DATABASE_URL must start with sqlite: or postgres:")
        }
    }

    /// The backend `conn` talks to, for the SQL builders of functions that hold only a connection.
    pub fn of_conn(conn: &sqlx::AnyConnection) -> Backend {
        match conn.backend_name() {
            "PostgreSQL" => Backend::Postgres,
            _ => Backend::Sqlite,
        }
    }
}

/// Whether a released SQLite connection may go back to the pool. When SQLite ends a transaction by
/// itself (a full disk, an I/O error: it rolls back on its own), sqlx's rollback then fails and its
/// count of open transactions stays at one, so every later `BEGIN` on that connection would fail with
/// "begin_with at non-zero transaction depth". On the single writer that is every write until a
/// restart; such a connection is closed instead and the pool opens a fresh one. The ping first lets
/// the rollback that dropping a transaction queued run, so the count is read after it.
async fn still_outside_a_transaction(conn: &mut sqlx::AnyConnection) -> Result<bool, sqlx::Error> {
    use sqlx::Connection;
    conn.ping().await?;
    let clean = !conn.is_in_transaction();
    if !clean {
        tracing::warn!("closing a database connection left inside a transaction its database had already ended");
    }
    Ok(clean)
}

#[derive(Clone, Debug)]
pub struct Db {
    pub backend: Backend,
    read: AnyPool,
    write: AnyPool,
}

pub type Tx = Transaction<'static, Any>;

impl Db {
    pub async fn connect(url: &str, max_connections: u32) -> anyhow::Result<Db> {
        sqlx::any::install_default_drivers();
        let backend = Backend::of_url(url)?;
        match backend {
            Backend::Sqlite => {
                if let Some(dir) = sqlite_parent_dir(url) {
                    std::fs::create_dir_all(&dir).with_context(|| format!("creating the database directory {dir}"))?;
                }
                let url = if url.contains('?') { url.to_string() } else { format!("{url}?mode=rwc") };
                // No ping before each acquire: an embedded file does not hang up, and on the single
                // writer that ping was one more round trip inside every write's critical section.
                let options = |n: u32| {
                    AnyPoolOptions::new()
                        .max_connections(n)
                        .acquire_timeout(Duration::from_secs(30))
                        .test_before_acquire(false)
                        .after_connect(|conn, _| {
                            Box::pin(async move {
                                conn.execute(
                                    "PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 10000; \
                                     PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;",
                                )
                                .await?;
                                Ok(())
                            })
                        })
                        .after_release(|conn, _| Box::pin(still_outside_a_transaction(conn)))
                };
                // The writer first, so WAL mode is set before readers open the file.
                let write = options(1).connect(&url).await.context("opening the SQLite database")?;
                let read = options(max_connections.max(2)).connect(&url).await?;
                Ok(Db { backend, read, write })
            }
            Backend::Postgres => {
                let pool = AnyPoolOptions::new()
                    .max_connections(max_connections)
                    .acquire_timeout(Duration::from_secs(30))
                    .connect(url)
                    .await
                    .context("connecting to PostgreSQL")?;
                Ok(Db { backend, read: pool.clone(), write: pool })
            }
        }
    }

    /// For queries that only read.
    pub fn read(&self) -> &AnyPool {
        &self.read
    }

    /// Every mutation runs in one of these: the change, its audit record and its outbox events commit
    /// together or not at all.
    pub async fn begin(&self) -> Result<Tx, sqlx::Error> {
        match self.backend {
            // The write lock at BEGIN, not at the first write: a deferred transaction that reads and
            // then writes fails with SQLITE_BUSY (no waiting helps) when another process (the CLI, a
            // second server during a restart) wrote in between.
            Backend::Sqlite => self.write.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.write.begin().await,
        }
    }

    /// Statements outside a transaction that write (rare: throttling counters, session touches).
    pub async fn execute_write<'q>(
        &self,
        q: sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>>,
    ) -> Result<AnyQueryResult, sqlx::Error> {
        q.execute(&self.write).await
    }

    /// `execute_write` for a statement that answers rows (an upsert's `RETURNING`).
    pub async fn fetch_all_write<'q>(
        &self,
        q: sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>>,
    ) -> Result<Vec<sqlx::any::AnyRow>, sqlx::Error> {
        q.fetch_all(&self.write).await
    }

    fn migrator(&self) -> &'static Migrator {
        match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        }
    }

    pub async fn migrate(&self) -> anyhow::Result<()> {
        self.migrator().run(&self.write).await.context("running migrations")?;
        Ok(())
    }

    /// The newest migration this build knows (launch readiness compares it with the recorded one).
    pub fn latest_known_migration(&self) -> i64 {
        self.migrator().iter().map(|m| m.version).max().unwrap_or(0)
    }

    /// The newest migration recorded as applied in the database.
    pub async fn latest_recorded_migration(&self) -> Result<Option<i64>, sqlx::Error> {
        sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success").fetch_one(&self.read).await
    }

    /// Reachable and every migration of this build applied.
    pub async fn is_ready(&self) -> bool {
        let expected = self.migrator().iter().count() as i64;
        let applied: Result<i64, _> =
            sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations WHERE success").fetch_one(&self.read).await;
        matches!(applied, Ok(n) if n == expected)
    }

    pub async fn close(&self) {
        self.read.close().await;
        self.write.close().await;
    }
}

fn sqlite_parent_dir(url: &str) -> Option<String> {
    let path = url.trim_start_matches("sqlite:").trim_start_matches("//");
    let path = path.split('?').next().unwrap_or("");
    if path.is_empty() || path == ":memory:" {
        return None;
    }
    let parent = std::path::Path::new(path).parent()?.to_string_lossy().to_string();
    (!parent.is_empty()).then_some(parent)
}
