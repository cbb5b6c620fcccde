//! The dynamic query kit: a statement built from optional filters with numbered `$n` arguments
//! (portable between SQLite and PostgreSQL through sqlx's `Any` driver), the "contains" filter,
//! keyset paging and row locks.
//!
//! ```ignore
//! let mut sql = Sql::new(state.db.backend, SELECT_ROW);
//! sql.push(" WHERE 1 = 1");
//! if let Some(s) = filter.status { sql.and_eq("p.status", s.as_str()); }
//! if let Some(name) = &filter.seller { contains(&mut sql, "o.name", name); }
//! after_id(&mut sql, "p.id", Order::Asc, parse_id_cursor(cursor));
//! order_limit(&mut sql, "p.id ASC", size);
//! let rows: Vec<Record> = sql.query_as().fetch_all(state.db.read()).await?;
//! ```

use super::db::Backend;
use crate::error::AppError;
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::{Any, AnyConnection};

/// One bound argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    Int(i64),
    Text(String),
    /// NULL in an integer column (typed: PostgreSQL refuses a NULL of another type).
    NullInt,
    /// NULL in a text column.
    NullText,
}

impl From<Option<i64>> for Arg {
    fn from(v: Option<i64>) -> Arg {
        v.map_or(Arg::NullInt, Arg::Int)
    }
}

impl From<Option<&str>> for Arg {
    fn from(v: Option<&str>) -> Arg {
        v.map_or(Arg::NullText, Arg::from)
    }
}

impl From<i64> for Arg {
    fn from(v: i64) -> Arg {
        Arg::Int(v)
    }
}

impl From<String> for Arg {
    fn from(v: String) -> Arg {
        Arg::Text(v)
    }
}

impl From<&str> for Arg {
    fn from(v: &str) -> Arg {
        Arg::Text(v.to_string())
    }
}

/// A statement and its arguments, built piece by piece.
#[derive(Debug, Clone)]
pub struct Sql {
    backend: Backend,
    text: String,
    args: Vec<Arg>,
}

impl Sql {
    pub fn new(backend: Backend, text: &str) -> Sql {
        Sql { backend, text: text.to_string(), args: vec![] }
    }

    /// Adds an argument; returns its placeholder (`$3`) for the text.
    pub fn arg(&mut self, arg: impl Into<Arg>) -> String {
        self.args.push(arg.into());
        format!("${}", self.args.len())
    }

    /// This statement inside another: `before`, the text, `after`, with the same arguments.
    pub fn wrap(&self, before: &str, after: &str) -> Sql {
        Sql { backend: self.backend, text: format!("{before}{}{after}", self.text), args: self.args.clone() }
    }

    /// Appends text (never user input: that goes through `arg`).
    pub fn push(&mut self, text: &str) -> &mut Sql {
        self.text.push_str(text);
        self
    }

    /// One row of a multi-row `VALUES` list, `($n, $n+1, ...)` with `row` bound, after a comma
    /// unless it is the first (the text so far ends with `VALUES `). Writing many rows in one
    /// statement matters on SQLite, where every statement holds the single writer a little longer.
    pub fn values_row(&mut self, row: Vec<Arg>) -> &mut Sql {
        let placeholders: Vec<String> = row.into_iter().map(|a| self.arg(a)).collect();
        if !self.text.ends_with("VALUES ") {
            self.text.push_str(", ");
        }
        self.push(&format!("({})", placeholders.join(", ")))
    }

    /// Binds `values` and returns their parameters, comma-separated (`$3, $4, $5`), for the text of
    /// an `IN (...)`.
    pub fn list<A: Into<Arg>>(&mut self, values: impl IntoIterator<Item = A>) -> String {
        let params: Vec<String> = values.into_iter().map(|v| self.arg(v)).collect();
        params.join(", ")
    }

    /// ` AND <column> = $n`.
    pub fn and_eq(&mut self, column: &str, value: impl Into<Arg>) -> &mut Sql {
        let p = self.arg(value);
        self.push(&format!(" AND {column} = {p}"))
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn args(&self) -> &[Arg] {
        &self.args
    }

    pub fn query(&self) -> sqlx::query::Query<'_, Any, AnyArguments<'_>> {
        self.args.iter().fold(sqlx::query(&self.text), |q, a| match a {
            Arg::Int(i) => q.bind(*i),
            Arg::Text(s) => q.bind(s.clone()),
            Arg::NullInt => q.bind(None::<i64>),
            Arg::NullText => q.bind(None::<String>),
        })
    }

    /// Rows as `T` (`#[derive(sqlx::FromRow)]`, columns by name).
    pub fn query_as<T>(&self) -> sqlx::query::QueryAs<'_, Any, T, AnyArguments<'_>>
    where
        T: for<'r> sqlx::FromRow<'r, AnyRow>,
    {
        self.args.iter().fold(sqlx::query_as(&self.text), |q, a| match a {
            Arg::Int(i) => q.bind(*i),
            Arg::Text(s) => q.bind(s.clone()),
            Arg::NullInt => q.bind(None::<i64>),
            Arg::NullText => q.bind(None::<String>),
        })
    }

    /// One column of one row (counts, sums).
    pub fn query_scalar<T>(&self) -> sqlx::query::QueryScalar<'_, Any, T, AnyArguments<'_>>
    where
        (T,): for<'r> sqlx::FromRow<'r, AnyRow>,
    {
        self.args.iter().fold(sqlx::query_scalar(&self.text), |q, a| match a {
            Arg::Int(i) => q.bind(*i),
            Arg::Text(s) => q.bind(s.clone()),
            Arg::NullInt => q.bind(None::<i64>),
            Arg::NullText => q.bind(None::<String>),
        })
    }
}

/// `text` as a LIKE pattern matching it anywhere, with `%`, `_` and `\` taken literally (the
/// statement says `ESCAPE '\'`).
pub fn contains_pattern(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// ` AND <column> contains <text>`, case-insensitively: LIKE on SQLite (case-insensitive for ASCII),
/// ILIKE on PostgreSQL (LIKE is case-sensitive there).
pub fn contains(sql: &mut Sql, column: &str, text: &str) {
    let op = like_operator(sql.backend);
    let p = sql.arg(contains_pattern(text));
    sql.push(&format!(" AND {column} {op} {p} ESCAPE '\\'"));
}

/// ` AND <column> LIKE '<text>%'`: a prefix (event types such as `orders.`), with `%`, `_` and `\`
/// taken literally. Case-sensitive on both databases: what it matches are codes, not prose.
pub fn starts_with(sql: &mut Sql, column: &str, text: &str) {
    let pattern = contains_pattern(text);
    let p = sql.arg(pattern[1..].to_string());
    sql.push(&format!(" AND {column} LIKE {p} ESCAPE '\\'"));
}

/// Case-insensitive LIKE: SQLite's LIKE already ignores ASCII case (and `lower()` around the column
/// would double the cost of the scan), PostgreSQL needs ILIKE.
pub fn like_operator(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "LIKE",
        Backend::Postgres => "ILIKE",
    }
}

/// The direction of a keyset page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    Asc,
    Desc,
}

impl Order {
    fn cmp(self) -> &'static str {
        match self {
            Order::Asc => ">",
            Order::Desc => "<",
        }
    }
}

/// ` AND <id_column> > $n` (ascending) or `< $n` (descending) after the cursor's id; nothing on the
/// first page. Cursors are `domain::page::parse_id_cursor`.
pub fn after_id(sql: &mut Sql, id_column: &str, order: Order, cursor: Option<i64>) {
    if let Some(id) = cursor {
        let p = sql.arg(id);
        sql.push(&format!(" AND {id_column} {} {p}", order.cmp()));
    }
}

/// The same for a `(key, id)` order (both columns in `order`): rows strictly after `(key, id)`.
/// Cursors are `domain::page::pair_cursor` / `parse_pair_cursor` (`key:id`). The plain bound on the
/// key comes first because the planners can start an index range at it; from the `OR` alone SQLite
/// walked the index from its end and skipped every row before the cursor (a deep page read half the
/// table).
pub fn after_pair(sql: &mut Sql, key_column: &str, id_column: &str, order: Order, cursor: Option<(i64, i64)>) {
    if let Some((key, id)) = cursor {
        let (k, i) = (sql.arg(key), sql.arg(id));
        let c = order.cmp();
        sql.push(&format!(
            " AND {key_column} {c}= {k} AND ({key_column} {c} {k} OR ({key_column} = {k} AND {id_column} {c} {i}))"
        ));
    }
}

/// ` ORDER BY <order_by> LIMIT <size + 1>`: one row more than the page, so
/// `Page::from_overfetch` knows whether there is a next page.
pub fn order_limit(sql: &mut Sql, order_by: &str, size: u32) {
    let p = sql.arg(size as i64 + 1);
    sql.push(&format!(" ORDER BY {order_by} LIMIT {p}"));
}

/// A row a change locks before reading what it decides on (PostgreSQL row locks; SQLite has one
/// writer and serialises anyway). **The derived order is the lock order**: a change takes its locks
/// in ascending order (variant first, then id), so two changes never hold one row each while
/// waiting for the other's. The order follows what the code base already relied on: a buyer's row
/// before anything of a checkout; a seller's organisation, then the listing, then the report cases
/// (trust decisions); a listing version before its listing (reviews); a payment before its orders;
/// a dispute before its order, an order before its refund; the seller's finance row after the order
/// (settlement, refunds) and before its payouts. Ledger balance rows come after all of these
/// (`Change::post` locks them in account-id order) and the audit head last (`Change::audit`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RowLock {
    /// `users`: serialises one buyer's checkouts, cart and addresses; a user's bans and roles.
    User(i64),
    /// `organisations` (sellers): decisions about one seller line up.
    Organisation(i64),
    ListingVersion(i64),
    Listing(i64),
    Report(i64),
    Payment(i64),
    Dispute(i64),
    Order(i64),
    Refund(i64),
    /// `seller_finance` by organisation id (the row is created if missing): one seller's payout
    /// requests, account changes, freezes and negative-balance bookkeeping, one at a time.
    SellerFinance(i64),
    Payout(i64),
}

impl RowLock {
    /// `(table, key column, id, column to touch)`. The touched column is never a key: updating a key
    /// column would take PostgreSQL's stronger lock that also blocks inserts referencing the row.
    fn target(self) -> (&'static str, &'static str, i64, &'static str) {
        use RowLock::*;
        match self {
            User(id) => ("users", "id", id, "updated_at"),
            Organisation(id) => ("organisations", "id", id, "status"),
            ListingVersion(id) => ("listing_versions", "id", id, "status"),
            Listing(id) => ("listings", "id", id, "status"),
            Report(id) => ("reports", "id", id, "status"),
            Payment(id) => ("payments", "id", id, "status"),
            Dispute(id) => ("disputes", "id", id, "updated_at"),
            Order(id) => ("orders", "id", id, "updated_at"),
            Refund(id) => ("refunds", "id", id, "updated_at"),
            SellerFinance(org) => ("seller_finance", "organisation_id", org, "updated_at"),
            Payout(id) => ("payouts", "id", id, "status"),
        }
    }
}

/// Locks one row (a no-op update: portable, unlike `SELECT ... FOR UPDATE`); `Ok(false)` when it does
/// not exist. Inside a `Change` use `Change::lock`, which also keeps the lock order.
pub async fn lock_row(conn: &mut AnyConnection, row: RowLock, now: i64) -> Result<bool, AppError> {
    let (table, key, id, touch) = row.target();
    if let RowLock::SellerFinance(org) = row {
        // The finance row is created with its defaults on first use; two transactions creating it
        // at once do not fail (the second insert skips the first one's row).
        sqlx::query(
            "INSERT INTO seller_finance (organisation_id, updated_at) VALUES ($1, $2) \
             ON CONFLICT (organisation_id) DO NOTHING",
        )
        .bind(org)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    }
    let sql = format!("UPDATE {table} SET {touch} = {touch} WHERE {key} = $1");
    Ok(sqlx::query(&sql).bind(id).execute(&mut *conn).await?.rows_affected() > 0)
}

/// `lock_row` that also reads `columns` of the locked row (`None` when it does not exist): the lock
/// and the read in one statement (`UPDATE .. RETURNING`, on both databases). Not for
/// `SellerFinance`, whose row `lock_row` creates on first use.
pub async fn lock_row_returning<T>(conn: &mut AnyConnection, row: RowLock, columns: &str) -> Result<Option<T>, AppError>
where
    T: for<'r> sqlx::FromRow<'r, AnyRow> + Send + Unpin,
{
    if let RowLock::SellerFinance(_) = row {
        return Err(AppError::internal("lock_row_returning on a seller's finance row"));
    }
    let (table, key, id, touch) = row.target();
    let sql = format!("UPDATE {table} SET {touch} = {touch} WHERE {key} = $1 RETURNING {columns}");
    Ok(sqlx::query_as(&sql).bind(id).fetch_optional(&mut *conn).await?)
}

/// `lock_row_returning` for several rows of one table in one statement (`rows` sorted, of one
/// kind, checked by the caller: `Change::lock_all_returning`). PostgreSQL takes the locks in
/// ascending key order, as one `lock_row` each would: a sorted `FOR NO KEY UPDATE` first (an
/// `UPDATE` alone locks in whatever order its plan visits the rows), the lock an `UPDATE` of a
/// non-key column takes (`FOR UPDATE` would also conflict with the key-share locks of inserts that
/// reference the rows). SQLite's one writer needs no order.
/// Rows that do not exist are simply not returned.
pub async fn lock_rows_returning<T>(
    conn: &mut AnyConnection,
    rows: &[RowLock],
    columns: &str,
) -> Result<Vec<T>, AppError>
where
    T: for<'r> sqlx::FromRow<'r, AnyRow> + Send + Unpin,
{
    let Some(first) = rows.first() else { return Ok(vec![]) };
    let (table, key, _, touch) = first.target();
    if matches!(first, RowLock::SellerFinance(_)) || rows.iter().any(|r| r.target().0 != table) {
        return Err(AppError::internal("lock_rows_returning over a seller's finance rows or several tables"));
    }
    let backend = Backend::of_conn(conn);
    let mut sql = Sql::new(backend, "");
    let ids = sql.list(rows.iter().map(|r| r.target().2));
    let keys = match backend {
        Backend::Sqlite => ids,
        Backend::Postgres => {
            format!("SELECT {key} FROM {table} WHERE {key} IN ({ids}) ORDER BY {key} FOR NO KEY UPDATE")
        }
    };
    sql.push(&format!("UPDATE {table} SET {touch} = {touch} WHERE {key} IN ({keys}) RETURNING {columns}"));
    Ok(sql.query_as().fetch_all(&mut *conn).await?)
}

#[cfg(test)]
mod tests {
    use super::{contains_pattern, Arg, Sql};
    use crate::platform::db::Backend;

    #[test]
    fn values_rows_number_their_placeholders_in_order() {
        let mut sql = Sql::new(Backend::Sqlite, "INSERT INTO t (a, b) VALUES ");
        sql.values_row(vec![Arg::Int(1), "x".into()]).values_row(vec![Arg::Int(2), "y".into()]);
        assert_eq!(sql.text(), "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4)");
        assert_eq!(sql.args(), &[Arg::Int(1), "x".into(), Arg::Int(2), "y".into()]);
    }

    #[test]
    fn absent_values_are_nulls_of_their_column_type() {
        assert_eq!(Arg::from(None::<i64>), Arg::NullInt);
        assert_eq!(Arg::from(Some(7_i64)), Arg::Int(7));
        assert_eq!(Arg::from(None::<&str>), Arg::NullText);
        assert_eq!(Arg::from(Some("a@b.test")), Arg::Text("a@b.test".into()));
    }

    #[test]
    fn like_wildcards_typed_by_the_operator_match_literally() {
        assert_eq!(contains_pattern("ann"), "%ann%");
        assert_eq!(contains_pattern("100%"), "%100\\%%");
        assert_eq!(contains_pattern("a_b"), "%a\\_b%");
        assert_eq!(contains_pattern("c:\\x"), "%c:\\\\x%");
        assert_eq!(contains_pattern("' OR 1=1 --"), "%' OR 1=1 --%");
    }
}
