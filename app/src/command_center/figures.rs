//! The KPI figures that are sums over time, each with where its rows are stored: the one place the
//! KPI cards, the trend charts and the rollup (`rollup`) read them from, so the three agree.
//! Definitions: `kpis`.

use crate::domain::ledger::Account;
use crate::domain::money::Currency;
use crate::domain::rollup::BUCKET_MS;
use crate::error::{AppError, Context};
use sqlx::{AnyConnection, AnyPool};

/// A figure summed over time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Summed {
    Gmv,
    PaidOrders,
    Commission,
    Refunds,
    Disputes,
    NewBuyers,
    NewSellers,
    PayoutsPaid,
}

/// Where a figure's rows are: `SUM(value) FROM from WHERE at in the range AND filter`; `$3` in the
/// filter is the ledger account's id.
struct Source {
    from: &'static str,
    at: &'static str,
    value: &'static str,
    filter: &'static str,
    account: Option<Account>,
}

impl Summed {
    pub const ALL: [Summed; 8] = [
        Summed::Gmv,
        Summed::PaidOrders,
        Summed::Commission,
        Summed::Refunds,
        Summed::Disputes,
        Summed::NewBuyers,
        Summed::NewSellers,
        Summed::PayoutsPaid,
    ];

    /// The figure's name in `kpi_buckets.figure`.
    pub fn key(self) -> &'static str {
        match self {
            Summed::Gmv => "gmv",
            Summed::PaidOrders => "paid_orders",
            Summed::Commission => "commission",
            Summed::Refunds => "refunds",
            Summed::Disputes => "disputes",
            Summed::NewBuyers => "new_buyers",
            Summed::NewSellers => "new_sellers",
            Summed::PayoutsPaid => "payouts_paid",
        }
    }

    fn source(self) -> Source {
        let rows = |from, at, value| Source { from, at, value, filter: "", account: None };
        // Credits are negative in the ledger: revenue and money out of the bank are `-amount`. The
        // CROSS JOIN keeps SQLite walking the range's postings first (PostgreSQL plans it as an inner
        // join): started from the account's index, it would read every entry the account ever had.
        let ledger = |filter, account| Source {
            from: "ledger_postings p CROSS JOIN ledger_entries e",
            at: "p.at",
            value: "-e.amount_minor",
            filter,
            account: Some(account),
        };
        match self {
            Summed::Gmv => rows("orders", "paid_at", "total_minor"),
            Summed::PaidOrders => rows("orders", "paid_at", "1"),
            Summed::Commission => ledger(" AND e.posting_id = p.id AND e.account_id = $3", Account::PlatformCommission),
            Summed::Refunds => {
                ledger(" AND e.posting_id = p.id AND p.kind = 'refund' AND e.account_id = $3", Account::PlatformBank)
            }
            Summed::Disputes => rows("disputes", "created_at", "1"),
            Summed::NewBuyers => rows("users", "created_at", "1"),
            Summed::NewSellers => rows("seller_profiles", "activated_at", "1"),
            Summed::PayoutsPaid => {
                Source { filter: " AND status = 'paid'", ..rows("payouts", "closed_at", "amount_minor") }
            }
        }
    }
}

/// The ledger accounts the ledger figures read, looked up once per request: `None` before anything
/// was ever posted to one (its figures are zero).
#[derive(Debug, Clone, Copy, Default)]
pub struct Accounts {
    commission: Option<i64>,
    bank: Option<i64>,
}

impl Accounts {
    pub async fn find(conn: &mut AnyConnection, currency: Currency) -> Result<Accounts, AppError> {
        Ok(Accounts {
            commission: account_id(conn, &Account::PlatformCommission, currency).await?,
            bank: account_id(conn, &Account::PlatformBank, currency).await?,
        })
    }

    /// The account a figure reads: `Ok(None)` for a figure of plain rows, `Err(())` when its
    /// account does not exist yet.
    fn of(self, figure: Summed) -> Result<Option<i64>, ()> {
        match figure.source().account {
            None => Ok(None),
            Some(Account::PlatformCommission) => self.commission.map(Some).ok_or(()),
            Some(_) => self.bank.map(Some).ok_or(()),
        }
    }
}

async fn account_id(conn: &mut AnyConnection, account: &Account, currency: Currency) -> Result<Option<i64>, AppError> {
    sqlx::query_scalar("SELECT id FROM ledger_accounts WHERE code = $1 AND currency = $2")
        .bind(account.code())
        .bind(currency.code())
        .fetch_optional(conn)
        .await
        .context("finding a ledger account")
}

/// `SELECT select FROM` the figure's rows in `[$1, $2)` `tail`; `{at}` and `{value}` in `select` are
/// the figure's time column and summed value.
fn over_range(figure: Summed, select: &str, tail: &str) -> String {
    let s = figure.source();
    let select = select.replace("{at}", s.at).replace("{value}", s.value);
    format!("SELECT {select} FROM {} WHERE {at} >= $1 AND {at} < $2{}{tail}", s.from, s.filter, at = s.at)
}

/// The figure's sum over `[from, until)`, from the stored rows.
pub async fn raw_sum(db: &AnyPool, figure: Summed, accounts: Accounts, from: i64, until: i64) -> Result<i64, AppError> {
    let Ok(account) = accounts.of(figure) else { return Ok(0) };
    let sql = over_range(figure, "CAST(COALESCE(SUM({value}), 0) AS BIGINT)", "");
    let q = sqlx::query_scalar(&sql).bind(from).bind(until);
    let q = match account {
        Some(id) => q.bind(id),
        None => q,
    };
    q.fetch_one(db).await.context("summing a KPI")
}

/// The figure's sum in each non-empty bucket of `[from, until)` (bucket starts), in time order.
pub async fn raw_buckets(
    db: &AnyPool,
    figure: Summed,
    accounts: Accounts,
    from: i64,
    until: i64,
) -> Result<Vec<(i64, i64)>, AppError> {
    let Ok(account) = accounts.of(figure) else { return Ok(vec![]) };
    let select =
        format!("CAST(({{at}} / {BUCKET_MS}) * {BUCKET_MS} AS BIGINT) AS bucket, CAST(SUM({{value}}) AS BIGINT)");
    let sql = over_range(figure, &select, " GROUP BY 1 ORDER BY 1");
    let q = sqlx::query_as(&sql).bind(from).bind(until);
    let q = match account {
        Some(id) => q.bind(id),
        None => q,
    };
    q.fetch_all(db).await.context("summing a KPI by quarter hour")
}

/// The oldest instant any figure has a row at (where a first rollup starts).
pub async fn earliest(db: &AnyPool) -> Result<Option<i64>, AppError> {
    let mut oldest: Option<i64> = None;
    for figure in Summed::ALL {
        let s = figure.source();
        // Ledger figures: the oldest posting of any kind (an index seek, and never later than the
        // figure's own oldest row).
        let filter = if s.account.is_some() { "" } else { s.filter };
        let from = if s.account.is_some() { "ledger_postings p" } else { s.from };
        let sql = format!("SELECT MIN({at}) FROM {from} WHERE {at} IS NOT NULL{filter}", at = s.at);
        let at: Option<i64> = sqlx::query_scalar(&sql).fetch_one(db).await.context("finding the oldest KPI row")?;
        oldest = match (oldest, at) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }
    Ok(oldest)
}
