//! The two migration sets (migrations/sqlite, migrations/postgres) must describe one schema: same
//! migrations, tables, columns, column kinds, nullability, primary keys and named indexes.

use agora_app::platform::caller::new_token;
use agora_app::platform::db::Db;
use sqlx::Row;
use std::collections::BTreeSet;

/// `(table, column, kind, not_null)`, where kind is `integer` or `text` (anything else as named).
type Columns = BTreeSet<(String, String, String, bool)>;

#[derive(Debug, PartialEq)]
struct Schema {
    columns: Columns,
    primary_keys: BTreeSet<(String, String)>,
    indexes: BTreeSet<String>,
}

fn kind(declared: &str) -> String {
    let t = declared.trim().to_ascii_lowercase();
    if t.contains("int") {
        "integer".into()
    } else if t == "text" || t.contains("char") {
        "text".into()
    } else {
        t
    }
}

/// Bookkeeping tables of the databases themselves: sqlx's migration log and SQLite's internal
/// `sqlite_*` tables (sequences, and the statistics `PRAGMA optimize` gathers). The storefront's
/// search index is ordinary tables on both since migration 0005, so it is compared like the rest.
const IGNORED: [&str; 1] = ["_sqlx_migrations"];

fn ignored(table: &str) -> bool {
    IGNORED.contains(&table) || table.starts_with("sqlite_")
}

async fn sqlite_schema(db: &Db) -> Schema {
    let rows = sqlx::query(
        "SELECT m.name AS t, p.name AS c, p.type AS ty, p.\"notnull\" AS nn, p.pk AS pk \
         FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table'",
    )
    .fetch_all(db.read())
    .await
    .unwrap();
    let mut columns = Columns::new();
    let mut primary_keys = BTreeSet::new();
    for r in rows {
        let table: String = r.get("t");
        if ignored(&table) {
            continue;
        }
        let column: String = r.get("c");
        let pk = r.get::<i64, _>("pk") > 0;
        // SQLite lets a non-INTEGER primary key hold NULL unless told otherwise; PostgreSQL never does.
        // Both reject it in practice (every insert names the key), so a key counts as NOT NULL.
        let not_null = r.get::<i64, _>("nn") != 0 || pk;
        if pk {
            primary_keys.insert((table.clone(), column.clone()));
        }
        columns.insert((table, column, kind(&r.get::<String, _>("ty")), not_null));
    }
    let indexes =
        sqlx::query_scalar::<_, String>("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
            .fetch_all(db.read())
            .await
            .unwrap()
            .into_iter()
            .filter(|name| !ignored(name))
            .collect();
    Schema { columns, primary_keys, indexes }
}

async fn postgres_schema(db: &Db) -> Schema {
    let rows = sqlx::query(
        "SELECT table_name::text AS t, column_name::text AS c, data_type::text AS ty, is_nullable::text AS nullable \
         FROM information_schema.columns WHERE table_schema = 'public'",
    )
    .fetch_all(db.read())
    .await
    .unwrap();
    let mut columns = Columns::new();
    for r in rows {
        let table: String = r.get("t");
        if ignored(&table) {
            continue;
        }
        let not_null = r.get::<String, _>("nullable") == "NO";
        columns.insert((table, r.get("c"), kind(&r.get::<String, _>("ty")), not_null));
    }
    let primary_keys = sqlx::query(
        "SELECT k.table_name::text AS t, k.column_name::text AS c FROM information_schema.table_constraints c \
         JOIN information_schema.key_column_usage k ON k.constraint_name = c.constraint_name AND k.table_schema = c.table_schema \
         WHERE c.table_schema = 'public' AND c.constraint_type = 'PRIMARY KEY'",
    )
    .fetch_all(db.read())
    .await
    .unwrap()
    .into_iter()
    .map(|r| (r.get::<String, _>("t"), r.get::<String, _>("c")))
    .filter(|(t, _)| !ignored(t))
    .collect();
    // Indexes created by name; those behind PRIMARY KEY / UNIQUE constraints are implicit on SQLite.
    let indexes = sqlx::query_scalar::<_, String>(
        "SELECT indexname::text FROM pg_indexes WHERE schemaname = 'public' \
         AND indexname NOT IN (SELECT conname::text FROM pg_constraint)",
    )
    .fetch_all(db.read())
    .await
    .unwrap()
    .into_iter()
    .filter(|name| !ignored(name))
    .collect();
    Schema { columns, primary_keys, indexes }
}

fn migration_files(backend: &str) -> BTreeSet<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../migrations").join(backend);
    std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".sql"))
        .collect()
}

#[test]
fn both_migration_sets_have_the_same_migrations() {
    let sqlite = migration_files("sqlite");
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, migration_files("postgres"), "a migration exists for one database only");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_migration_sets_produce_the_same_tables_and_columns() {
    let Ok(admin_url) = std::env::var("AGORA_TEST_PG_URL") else {
        eprintln!(
            "schema parity: skipped, AGORA_TEST_PG_URL is not set (scripts/test.sh sets it for its PostgreSQL stage)"
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let sqlite = Db::connect(&format!("sqlite://{}/parity.db", dir.path().display()), 2).await.unwrap();
    sqlite.migrate().await.unwrap();

    let name = format!("agora_parity_{}", &new_token()[..16]);
    let admin = sqlx::AnyPool::connect(&admin_url).await.unwrap();
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&admin).await.unwrap();
    let base = admin_url.rsplit_once('/').map(|(b, _)| b.to_string()).unwrap();
    let pg = Db::connect(&format!("{base}/{name}"), 2).await.unwrap();
    pg.migrate().await.unwrap();

    let (lite, post) = (sqlite_schema(&sqlite).await, postgres_schema(&pg).await);
    sqlite.close().await;
    pg.close().await;
    let _ = sqlx::query(&format!("DROP DATABASE {name}")).execute(&admin).await;
    admin.close().await;

    let tables = |s: &Schema| s.columns.iter().map(|c| c.0.clone()).collect::<BTreeSet<_>>();
    assert!(tables(&lite).contains("users") && tables(&lite).contains("outbox"), "{:?}", tables(&lite));
    assert_eq!(tables(&lite), tables(&post), "the table lists differ");
    let only_sqlite: Vec<_> = lite.columns.difference(&post.columns).collect();
    let only_postgres: Vec<_> = post.columns.difference(&lite.columns).collect();
    assert!(
        only_sqlite.is_empty() && only_postgres.is_empty(),
        "columns differ (table, column, kind, not null):\n  only on SQLite: {only_sqlite:?}\n  only on PostgreSQL: {only_postgres:?}"
    );
    assert_eq!(lite.primary_keys, post.primary_keys, "primary keys differ");
    assert_eq!(lite.indexes, post.indexes, "named indexes differ");
}
