//! The storefront's search index: plain tables that the application fills with the terms of
//! `domain::search` (the same SQL and the same tokenizer on SQLite and PostgreSQL, so both find the
//! same listings; see `storefront::search` for the query side).
//!
//! It holds the live title and description of listings that are live (active or sold out); callers
//! keep it in step in the same transaction as the change (approval, takedown, reinstatement,
//! availability), and the storefront joins the seller's and category's state at query time.
//! `search_documents` keeps the indexed text so that a listing's terms can be found and removed;
//! a change to the tokenizer needs `agora-server search reindex`. Every change bumps the catalog
//! version (`platform::cache`), so a cached search page never outlives the terms it was read from.

use super::cache::bump_catalog_version;
use super::db::{Backend, Db};
use super::sql::Sql;
use crate::domain::listing::ListingStatus;
use crate::domain::search::document_terms;
use sqlx::AnyConnection;

/// Rows per multi-row INSERT (3 arguments each: well below both databases' argument limits).
const INSERT_ROWS: usize = 500;
/// Documents read per round when rebuilding.
const REBUILD_BATCH: i64 = 2_000;

/// Adds or replaces a listing's searchable text.
pub async fn upsert(
    conn: &mut AnyConnection,
    backend: Backend,
    listing_id: i64,
    title: &str,
    description: &str,
) -> Result<(), sqlx::Error> {
    remove(conn, backend, listing_id).await?;
    sqlx::query("INSERT INTO search_documents (listing_id, title, description) VALUES ($1, $2, $3)")
        .bind(listing_id)
        .bind(title)
        .bind(description)
        .execute(&mut *conn)
        .await?;
    let rows: Vec<(i64, String, i64)> =
        document_terms(title, description).into_iter().map(|(t, w)| (listing_id, t, w)).collect();
    insert_terms(conn, backend, &rows).await?;
    bump_catalog_version(conn).await
}

pub async fn remove(conn: &mut AnyConnection, backend: Backend, listing_id: i64) -> Result<(), sqlx::Error> {
    let old: Option<(String, String)> =
        sqlx::query_as("SELECT title, description FROM search_documents WHERE listing_id = $1")
            .bind(listing_id)
            .fetch_optional(&mut *conn)
            .await?;
    let Some((title, description)) = old else { return Ok(()) };
    // The terms are re-derived from the indexed text: each delete is a primary-key lookup.
    let terms = document_terms(&title, &description);
    for chunk in terms.chunks(INSERT_ROWS) {
        let mut sql = Sql::new(backend, "");
        let id = sql.arg(listing_id);
        let terms = sql.list(chunk.iter().map(|(t, _)| t.as_str()));
        sql.push(&format!("DELETE FROM search_terms WHERE listing_id = {id} AND term IN ({terms})"));
        sql.query().execute(&mut *conn).await?;
    }
    sqlx::query("DELETE FROM search_documents WHERE listing_id = $1").bind(listing_id).execute(&mut *conn).await?;
    bump_catalog_version(conn).await
}

/// `(listing_id, term, weight)` rows, in multi-row statements.
async fn insert_terms(
    conn: &mut AnyConnection,
    backend: Backend,
    rows: &[(i64, String, i64)],
) -> Result<(), sqlx::Error> {
    for chunk in rows.chunks(INSERT_ROWS) {
        let mut sql = Sql::new(backend, "INSERT INTO search_terms (term, listing_id, weight) VALUES ");
        for (id, term, weight) in chunk {
            sql.values_row(vec![term.as_str().into(), (*id).into(), (*weight).into()]);
        }
        sql.query().execute(&mut *conn).await?;
    }
    Ok(())
}

/// Rebuilds the whole index from the live listings in one transaction (`agora-server search
/// reindex`; also what bench/seed-catalog.sh runs after its bulk insert). Returns the listings indexed.
pub async fn reindex(db: &Db) -> Result<u64, sqlx::Error> {
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM search_terms").execute(&mut *tx).await?;
    sqlx::query("DELETE FROM search_documents").execute(&mut *tx).await?;
    let live: Vec<String> =
        ListingStatus::ALL.iter().filter(|s| s.is_live()).map(|s| format!("'{}'", s.as_str())).collect();
    sqlx::query(&format!(
        "INSERT INTO search_documents (listing_id, title, description) \
         SELECT id, title, description FROM listings WHERE status IN ({})",
        live.join(", ")
    ))
    .execute(&mut *tx)
    .await?;
    let n = build_terms(&mut tx, db.backend).await?;
    bump_catalog_version(&mut tx).await?;
    tx.commit().await?;
    Ok(n)
}

/// After the migration that created the index (or a restore without it), documents exist without
/// terms: build them. A cheap check on every start.
pub async fn build_if_missing(db: &Db) -> Result<Option<u64>, sqlx::Error> {
    let has_terms: Option<i64> =
        sqlx::query_scalar("SELECT listing_id FROM search_terms LIMIT 1").fetch_optional(db.read()).await?;
    let has_documents: Option<i64> =
        sqlx::query_scalar("SELECT listing_id FROM search_documents LIMIT 1").fetch_optional(db.read()).await?;
    if has_terms.is_some() || has_documents.is_none() {
        return Ok(None);
    }
    let mut tx = db.begin().await?;
    let n = build_terms(&mut tx, db.backend).await?;
    bump_catalog_version(&mut tx).await?;
    tx.commit().await?;
    Ok(Some(n))
}

/// Terms for every document, a batch of documents at a time; each batch is inserted in term order,
/// so the inserts touch few index pages.
async fn build_terms(conn: &mut AnyConnection, backend: Backend) -> Result<u64, sqlx::Error> {
    let mut after = 0i64;
    let mut total = 0u64;
    loop {
        let docs: Vec<(i64, String, String)> = sqlx::query_as(
            "SELECT listing_id, title, description FROM search_documents WHERE listing_id > $1 \
             ORDER BY listing_id LIMIT $2",
        )
        .bind(after)
        .bind(REBUILD_BATCH)
        .fetch_all(&mut *conn)
        .await?;
        let Some(last) = docs.last() else { break };
        after = last.0;
        total += docs.len() as u64;
        let mut rows: Vec<(i64, String, i64)> = docs
            .iter()
            .flat_map(|(id, title, description)| {
                document_terms(title, description).into_iter().map(move |(t, w)| (*id, t, w))
            })
            .collect();
        rows.sort_unstable_by(|a, b| (&a.1, a.0).cmp(&(&b.1, b.0)));
        insert_terms(conn, backend, &rows).await?;
    }
    Ok(total)
}
