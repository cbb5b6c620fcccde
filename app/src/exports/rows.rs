//! Reading an export's rows (server only): the count that fixes what the file holds, and the keyset
//! pages a stream or a background job writes one after another. Memory is a page or two, whatever the
//! export's size.

use super::datasets::{source, Kind, Source};
use super::model::ExportSpec;
use crate::components::format::format_utc;
use crate::domain::export::Histogram;
use crate::error::{AppError, Context};
use crate::platform::csv;
use crate::platform::db::{Backend, Db};
use crate::platform::sql::Sql;
use serde_json::Value;
use sqlx::AnyConnection;

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

/// `FROM ... WHERE` the spec's period and filters, with a first key within `keys` (inclusive): the
/// rows the export covers, or a slice of them.
fn covered(db: &Db, select: &str, src: &Source, spec: &ExportSpec, keys: (i64, i64), walk: Walk) -> Sql {
    let mut sql = Sql::new(db.backend, &format!("SELECT {select} FROM {} WHERE {}", src.from, src.link));
    let (from, until) = (sql.arg(spec.from_ms), sql.arg(spec.until_ms));
    let (lo, hi) = (sql.arg(keys.0), sql.arg(keys.1));
    let t = match walk {
        Walk::ByTime => src.time.to_string(),
        Walk::ByKey => format!("+{}", src.time),
    };
    sql.push(&format!(" AND {t} >= {from} AND {t} < {until} AND {k} >= {lo} AND {k} <= {hi}", k = src.key.0));
    if let (Some(column), Some(status)) = (src.status, &spec.status) {
        sql.and_eq(column, status.as_str());
    }
    if let (Some(column), Some(seller)) = (src.seller, spec.seller) {
        let p = sql.arg(seller);
        sql.push(&format!(" AND {column} = {p}"));
    }
    sql
}

/// The dataset's lowest and newest first key now: rows written later are not part of this export.
pub async fn key_range(conn: &mut AnyConnection, spec: &ExportSpec) -> Result<(i64, i64), AppError> {
    sqlx::query_as(source(spec.dataset).keys).fetch_one(conn).await.context("finding the export's newest row")
}

/// What the export holds: its rows, the lowest and highest first key among them, and where they lie
/// between the dataset's lowest key and `spec.head`.
pub struct Extent {
    pub rows: i64,
    pub keys: Option<(i64, i64)>,
    pub histogram: Histogram,
}

/// Counts the rows the export covers, from `origin` (the dataset's lowest key) to `spec.head`, in
/// one read: the total, the range of their keys (a walk then starts at the period's first row
/// instead of passing every older one: a second and more on the first page of a recent month of a
/// big ledger) and the histogram a background export's slices are cut from.
pub async fn count(conn: &mut AnyConnection, db: &Db, spec: &ExportSpec, origin: i64) -> Result<Extent, AppError> {
    let src = source(spec.dataset);
    let mut histogram = Histogram::over(origin, spec.head);
    // The origin and the width are whole numbers the server computed, so they go into the text as
    // they are: SQLite numbers bound values by where they first appear, and these would appear
    // before the period's, which `covered` binds first.
    let select =
        format!("({k} - ({origin})) / {width}, COUNT(*), MIN({k}), MAX({k})", k = src.key.0, width = histogram.width);
    let mut sql = covered(db, &select, src, spec, (origin, spec.head), Walk::ByTime);
    sql.push(" GROUP BY 1");
    let buckets: Vec<(i64, i64, i64, i64)> =
        sql.query_as().fetch_all(conn).await.context("counting the rows to export")?;
    let rows = buckets.iter().map(|b| b.1).sum();
    let lowest = buckets.iter().map(|b| b.2).min();
    let highest = buckets.iter().map(|b| b.3).max();
    histogram.counts = buckets.iter().map(|b| (b.0, b.1)).collect();
    Ok(Extent { rows, keys: lowest.zip(highest), histogram })
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
    let rows = fetch(db, spec, (spec.first, spec.head), cursor).await?;
    format(spec, &rows)
}

/// A page's rows, each its columns' values in the dataset's order, then its two keys.
pub type Page = Vec<Vec<Value>>;

/// The rows of the next page of `slice` (a range of first keys, inclusive) after `cursor` (`None`: the
/// slice's start), read as one JSON array (one value from the driver for the whole page: converted
/// row by row and column by column, 2,000 rows of 13 values took most of an export's time). A
/// background export reads the next page while it writes this one (`job::write_slice`).
pub async fn fetch(
    db: &Db,
    spec: &ExportSpec,
    slice: (i64, i64),
    cursor: Option<(i64, i64)>,
) -> Result<Page, AppError> {
    let src = source(spec.dataset);
    let (k1, k2) = src.key;
    let select: Vec<String> = src
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{} AS c{i}_", c.expr))
        .chain([format!("{k1} AS k1_"), format!("{k2} AS k2_")])
        .collect();
    let mut sql = covered(db, &select.join(", "), src, spec, slice, Walk::ByKey);
    if let Some((a, b)) = cursor {
        let (a, b) = (sql.arg(a), sql.arg(b));
        // `k1 >= a` first: a range the planner can seek to (an OR alone made SQLite walk every row
        // before the cursor again on each page, quadratic over a million rows).
        sql.push(&format!(" AND {k1} >= {a} AND ({k1} > {a} OR {k2} > {b})"));
    }
    let limit = sql.arg(PAGE_ROWS);
    sql.push(&format!(" ORDER BY {k1}, {k2} LIMIT {limit}"));
    let values: Vec<String> =
        (0..src.columns.len()).map(|i| format!("c{i}_")).chain(["k1_".into(), "k2_".into()]).collect();
    let values = values.join(", ");
    let aggregate = match db.backend {
        // No ORDER BY inside the aggregate (PostgreSQL sorted the built values again, a third of the
        // page's time): the page is sorted by its keys once parsed.
        Backend::Sqlite => format!("json_group_array(json_array({values}))"),
        Backend::Postgres => format!("CAST(json_agg(json_build_array({values})) AS TEXT)"),
    };
    let sql = sql.wrap(&format!("SELECT {aggregate} FROM ("), ") AS page");
    let mut tx = db.read().begin().await.context("reading rows to export")?;
    if db.backend == Backend::Postgres {
        // A page is a short walk of the key's index. PostgreSQL cannot estimate the period filter
        // (`+at`), so near the end of a table it guessed a few rows were left and chose a bitmap scan
        // and a sort of everything after the cursor, on every page (0.9 s a page, 81 s for a million
        // ledger rows); without sorts it walks the key in order (14 ms). Its parallel workers also
        // cost more to start than the page takes.
        for setting in ["SET LOCAL max_parallel_workers_per_gather = 0", "SET LOCAL enable_sort = off"] {
            sqlx::query(setting).execute(&mut *tx).await.context("reading rows to export")?;
        }
    }
    let json: Option<String> = sql.query_scalar().fetch_one(&mut *tx).await.context("reading rows to export")?;
    tx.commit().await.context("reading rows to export")?;
    let Some(json) = json else { return Ok(vec![]) };
    let mut rows: Page = serde_json::from_str(&json).map_err(|e| AppError::internal(format!("an export page: {e}")))?;
    rows.sort_by_key(|row| keys(row));
    Ok(rows)
}

/// A fetched row's keyset position: its last two values.
fn keys(row: &[Value]) -> Option<(i64, i64)> {
    match row {
        [.., k1, k2] => Some((k1.as_i64()?, k2.as_i64()?)),
        _ => None,
    }
}

/// Where the page after `rows` starts; `None` when `rows` was the last page.
pub fn next_cursor(rows: &Page) -> Result<Option<(i64, i64)>, AppError> {
    let Some(last) = rows.last().filter(|_| rows.len() as i64 == PAGE_ROWS) else { return Ok(None) };
    keys(last).map(Some).ok_or_else(|| AppError::internal("an export row without its key"))
}

/// A page's rows as CSV records.
pub fn format(spec: &ExportSpec, rows: &Page) -> Result<Chunk, AppError> {
    let src = source(spec.dataset);
    let mut chunk = Chunk { csv: String::with_capacity(rows.len() * 128), rows: rows.len() as i64, next: None };
    for row in rows {
        push_record(&mut chunk.csv, src, row);
    }
    chunk.next = next_cursor(rows)?;
    Ok(chunk)
}

/// Appends one row's record, its cells in the dataset's column order. NULL is an empty cell.
fn push_record(out: &mut String, src: &Source, row: &[Value]) {
    for (i, c) in src.columns.iter().enumerate() {
        match (c.kind, row.get(i)) {
            (Kind::Int, Some(Value::Number(n))) => match n.as_i64() {
                Some(v) => csv::push_int(out, i, v),
                None => csv::push_cell(out, i, &n.to_string()),
            },
            (Kind::Time, Some(Value::Number(n))) => {
                csv::push_cell(out, i, &n.as_i64().map(format_utc).unwrap_or_default())
            }
            (_, Some(Value::String(text))) => csv::push_cell(out, i, text),
            (_, Some(Value::Null) | None) => csv::push_cell(out, i, ""),
            (_, Some(other)) => csv::push_cell(out, i, &other.to_string()),
        }
    }
    out.push_str("\r\n");
}
