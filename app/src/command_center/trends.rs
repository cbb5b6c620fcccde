//! The trend charts' daily series (orders, GMV, refunds) over the last 7 or 30 local days, each one
//! query grouped by day (`(at - first day) / DAY_MS`) over an indexed time range: the figures are
//! those of the KPI cards (`kpis`), by day.

use super::kpis::account_id;
use super::model::Trends;
use crate::domain::kpi::fill_days;
use crate::domain::ledger::Account;
use crate::domain::period::{format_date, Period};
use crate::error::{AppError, Context};
use crate::platform::state::AppState;

/// The trend windows the page offers, in days.
pub const WINDOWS: [i64; 2] = [7, 30];

#[derive(sqlx::FromRow)]
struct Day {
    day: i64,
    n: i64,
    amount: i64,
}

const ORDERS: &str = "SELECT CAST((paid_at - $1) / 86400000 AS BIGINT) AS day, COUNT(*) AS n, \
     CAST(COALESCE(SUM(total_minor), 0) AS BIGINT) AS amount \
     FROM orders WHERE paid_at >= $1 AND paid_at < $2 GROUP BY 1";
const REFUNDS: &str = "SELECT CAST((p.at - $1) / 86400000 AS BIGINT) AS day, COUNT(*) AS n, \
     CAST(COALESCE(SUM(-e.amount_minor), 0) AS BIGINT) AS amount \
     FROM ledger_postings p CROSS JOIN ledger_entries e \
     WHERE e.posting_id = p.id AND p.at >= $1 AND p.at < $2 AND p.kind = 'refund' AND e.account_id = $3 GROUP BY 1";

/// `days` is one of `WINDOWS`; the window ends now and starts at a local midnight.
pub async fn daily(state: &AppState, days: i64) -> Result<Trends, AppError> {
    let preset = if days == 7 { "7d" } else { "30d" };
    let period = Period::parse(preset, None, None, state.now_ms(), state.settings.utc_offset_minutes)
        .map_err(|(field, code)| AppError::invalid(field, code))?;
    let starts = period.day_starts();
    let n = starts.len();
    let db = state.db.read();
    let orders: Vec<Day> = sqlx::query_as(ORDERS)
        .bind(period.from_ms)
        .bind(period.until_ms)
        .fetch_all(db)
        .await
        .context("orders by day")?;
    let currency = state.settings.currency;
    let refunds: Vec<Day> = match account_id(db, &Account::PlatformBank, currency).await? {
        Some(bank) => sqlx::query_as(REFUNDS)
            .bind(period.from_ms)
            .bind(period.until_ms)
            .bind(bank)
            .fetch_all(db)
            .await
            .context("refunds by day")?,
        None => vec![],
    };
    let series = |rows: &[Day], value: fn(&Day) -> i64| {
        fill_days(n, &rows.iter().map(|d| (d.day, value(d))).collect::<Vec<_>>())
    };
    Ok(Trends {
        days,
        currency,
        dates: starts.iter().map(|d| format_date(*d, period.offset_minutes)).collect(),
        orders: series(&orders, |d| d.n),
        gmv: series(&orders, |d| d.amount),
        refunds: series(&refunds, |d| d.amount),
    })
}
