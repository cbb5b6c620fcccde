//! The storefront's full-text index behind one interface: SQLite FTS5 (trigram tokenizer) or a
//! PostgreSQL tsvector with a GIN index, chosen by the database in use. It holds the live title and
//! description of listings that are live (active or sold out); callers keep it in step in the same
//! transaction as the change (approval, takedown, reinstatement), and the storefront joins the
//! seller's and category's state at query time.

use super::db::Backend;
use sqlx::AnyConnection;

/// Adds or replaces a listing's searchable text.
pub async fn upsert(
    conn: &mut AnyConnection,
    backend: Backend,
    listing_id: i64,
    title: &str,
    description: &str,
) -> Result<(), sqlx::Error> {
    remove(conn, backend, listing_id).await?;
    match backend {
        Backend::Sqlite => {
            sqlx::query("INSERT INTO listing_search (rowid, title, description) VALUES ($1, $2, $3)")
                .bind(listing_id)
                .bind(title)
                .bind(description)
                .execute(&mut *conn)
                .await?;
        }
        Backend::Postgres => {
            // The title weighs more than the description in ranking.
            sqlx::query(
                "INSERT INTO listing_search (listing_id, document) VALUES ($1, \
                 setweight(to_tsvector('simple', $2), 'A') || setweight(to_tsvector('simple', $3), 'B'))",
            )
            .bind(listing_id)
            .bind(title)
            .bind(description)
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(())
}

pub async fn remove(conn: &mut AnyConnection, backend: Backend, listing_id: i64) -> Result<(), sqlx::Error> {
    let sql = match backend {
        Backend::Sqlite => "DELETE FROM listing_search WHERE rowid = $1",
        Backend::Postgres => "DELETE FROM listing_search WHERE listing_id = $1",
    };
    sqlx::query(sql).bind(listing_id).execute(&mut *conn).await?;
    Ok(())
}
