//! Reading an export's rows (server only): the count that fixes what the file holds, and the keyset
//! pages a stream or a background job writes one after another. Memory is a page or two, whatever the
//! export's size.

use super::datasets::{source, Kind, Source};
use super::model::ExportSpec;
use crate::components::format::format_utc;
use crate::error::{AppError, Context};
use crate::platform::csv;
use crate::platform::db::Db;
use crate::platform::sql::Sql;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

/// Rows read per query.
pub const PAGE_ROWS: i64 = 2_000;

/// How the period's bound is read.
#[derive(Clone, Copy)]
enum Walk {
    /// Through the time column's index: counting the rows of a period.
    ByTime,
    /// As a filter only (`+column` is no index to SQLite), so the pages walk the key's index from
    /// the cursor: each page reads about its own rows. Walked by the period's index instead, every
    /// page would sort the whole rest of the period (1,800 rows/s over a million ledger rows).
    ByKey,
}

/// `FROM ... WHERE` the spec's period, filters and head: the rows the export covers.
fn covered(db: &Db, select: &str, src: &Source, spec: &ExportSpec, walk: Walk) -> Sql {
    let mut sql = Sql::new(db.backend, &format!("SELECT {select} FROM {} WHERE {}", src.from, src.link));
    let (from, until, head) = (sql.arg(spec.from_ms), sql.arg(spec.until_ms), sql.arg(spec.head));
    let t = match walk {
        Walk::ByTime => src.time.to_string(),
        Walk::ByKey => format!("+{}", src.time),
    };
    sql.push(&format!(" AND {t} >= {from} AND {t} < {until} AND {k} <= {head}", k = src.key.0));
    if let (Some(column), Some(status)) = (src.status, &spec.status) {
        sql.and_eq(column, status.as_str());
    }
    if let (Some(column), Some(seller)) = (src.seller, spec.seller) {
        let p = sql.arg(seller);
        sql.push(&format!(" AND {column} = {p}"));
    }
    sql
}

/// The newest key of the dataset now: rows written later are not part of this export.
pub async fn head(conn: &mut AnyConnection, spec: &ExportSpec) -> Result<i64, AppError> {
    sqlx::query_scalar(source(spec.dataset).head).fetch_one(conn).await.context("finding the export's newest row")
}

/// How many rows the export holds.
pub async fn count(conn: &mut AnyConnection, db: &Db, spec: &ExportSpec) -> Result<i64, AppError> {
    let sql = covered(db, "COUNT(*)", source(spec.dataset), spec, Walk::ByTime);
    sql.query_scalar().fetch_one(conn).await.context("counting the rows to export")
}

/// The header record.
pub fn header(spec: &ExportSpec) -> String {
    csv::record(&super::datasets::header(spec.dataset))
}

/// A run of CSV records and the keyset position after it (`None`: the export is complete).
pub struct Chunk {
    pub csv: String,
    pub rows: i64,
    pub next: Option<(i64, i64)>,
}

/// The next page of records after `cursor` (`None`: from the start).
pub async fn page(db: &Db, spec: &ExportSpec, cursor: Option<(i64, i64)>) -> Result<Chunk, AppError> {
    let rows = fetch(db, spec, cursor).await?;
    format(spec, &rows)
}

/// The rows of the next page after `cursor`: a background export reads the next page while it
/// writes this one (`job::write_file`).
pub async fn fetch(db: &Db, spec: &ExportSpec, cursor: Option<(i64, i64)>) -> Result<Vec<AnyRow>, AppError> {
    let src = source(spec.dataset);
    let (k1, k2) = src.key;
    let select: Vec<String> = src
        .columns
        .iter()
        .map(|c| c.expr.to_string())
        .chain([format!("{k1} AS k1_"), format!("{k2} AS k2_")])
        .collect();
    let mut sql = covered(db, &select.join(", "), src, spec, Walk::ByKey);
    if let Some((a, b)) = cursor {
        let (a, b) = (sql.arg(a), sql.arg(b));
        // `k1 >= a` first: a range the planner can seek to (an OR alone made SQLite walk every row
        // before the cursor again on each page, quadratic over a million rows).
        sql.push(&format!(" AND {k1} >= {a} AND ({k1} > {a} OR {k2} > {b})"));
    }
    let limit = sql.arg(PAGE_ROWS);
    sql.push(&format!(" ORDER BY {k1}, {k2} LIMIT {limit}"));
    sql.query().fetch_all(db.read()).await.context("reading rows to export")
}

/// Where the page after `rows` starts; `None` when `rows` was the last page.
pub fn next_cursor(rows: &[AnyRow]) -> Result<Option<(i64, i64)>, AppError> {
    match rows.last() {
        Some(row) if rows.len() as i64 == PAGE_ROWS => {
            Ok(Some((row.try_get::<i64, _>("k1_")?, row.try_get::<i64, _>("k2_")?)))
        }
        _ => Ok(None),
    }
}

/// A page's rows as CSV records.
pub fn format(spec: &ExportSpec, rows: &[AnyRow]) -> Result<Chunk, AppError> {
    let src = source(spec.dataset);
    let mut chunk = Chunk { csv: String::with_capacity(rows.len() * 128), rows: rows.len() as i64, next: None };
    for row in rows {
        push_record(&mut chunk.csv, src, row)?;
    }
    chunk.next = next_cursor(rows)?;
    Ok(chunk)
}

/// Appends one row's record, its cells in the dataset's column order. NULL is an empty cell.
fn push_record(out: &mut String, src: &Source, row: &AnyRow) -> Result<(), AppError> {
    for (i, c) in src.columns.iter().enumerate() {
        match c.kind {
            Kind::Text => csv::push_cell(out, i, row.try_get::<Option<&str>, _>(i)?.unwrap_or_default()),
            Kind::Int => match row.try_get::<Option<i64>, _>(i)? {
                Some(v) => csv::push_int(out, i, v),
                None => csv::push_cell(out, i, ""),
            },
            Kind::Time => csv::push_cell(out, i, &row.try_get::<Option<i64>, _>(i)?.map(format_utc).unwrap_or_default()),
        }
    }
    out.push_str("\r\n");
    Ok(())
}
