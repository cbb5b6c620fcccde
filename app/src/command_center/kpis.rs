//! The KPI cards: each figure of a period and of the period just before it, measured from the
//! orders, the ledger, disputes, accounts, seller profiles and payouts as stored, never estimated.
//! Each figure is one query over `[previous.from, period.until)` through an index on its time column
//! (`0009_command_center.sql`), split at the period's start, so a 30-day period over a million orders
//! is one range scan per figure, not one query per day.
//!
//! Definitions (every instant in `[from, until)`, the period's local days in the platform's time
//! zone; money in the platform's one currency, minor units):
//! - **GMV**: the sum of `total_minor` (items and shipping) of orders whose payment was confirmed
//!   in the period (`orders.paid_at`), including orders later cancelled or refunded.
//! - **Paid orders**: how many orders those are.
//! - **Commission revenue**: the net credit to the ledger's `platform:commission` account by postings
//!   dated in the period: commission earned on orders completed, minus commission reversed by refunds.
//! - **Refunds**: money paid back to buyers by postings of kind `refund` dated in the period (what
//!   left `platform:bank`), refunds accepted by the seller and disputes decided for the buyer alike.
//!   **Refund rate** = refunds / GMV of the same period.
//! - **Disputes**: disputes opened in the period (`disputes.created_at`). **Dispute rate** =
//!   disputes / paid orders of the same period.
//! - **New buyers**: accounts signed up in the period (`users.created_at`): every account can buy.
//! - **New sellers**: seller organisations activated for the first time in the period
//!   (`seller_profiles.activated_at`).
//! - **Active sellers**: distinct sellers with at least one order paid in the period.
//! - **Payouts paid**: the amount of payouts marked paid in the period (`payouts.closed_at`).

use super::model::Kpis;
use crate::domain::kpi::Figure;
use crate::domain::ledger::Account;
use crate::domain::money::Currency;
use crate::domain::period::Period;
use crate::error::{AppError, Context};
use crate::platform::state::AppState;
use sqlx::AnyPool;

/// A figure's two halves.
#[derive(sqlx::FromRow)]
struct Split {
    cur: i64,
    prev: i64,
}

impl From<Split> for Figure {
    fn from(s: Split) -> Figure {
        Figure::new(s.cur, s.prev)
    }
}

/// `SUM(expr)` of the rows at or after `$1` (the period) and before it (the previous period).
macro_rules! split {
    ($expr:literal, $at:literal) => {
        concat!(
            "CAST(COALESCE(SUM(CASE WHEN ",
            $at,
            " >= $1 THEN ",
            $expr,
            " ELSE 0 END), 0) AS BIGINT) AS cur, ",
            "CAST(COALESCE(SUM(CASE WHEN ",
            $at,
            " < $1 THEN ",
            $expr,
            " ELSE 0 END), 0) AS BIGINT) AS prev "
        )
    };
}

const GMV: &str =
    concat!("SELECT ", split!("total_minor", "paid_at"), "FROM orders WHERE paid_at >= $2 AND paid_at < $3");
const PAID_ORDERS: &str =
    concat!("SELECT ", split!("1", "paid_at"), "FROM orders WHERE paid_at >= $2 AND paid_at < $3");
const ACTIVE_SELLERS: &str = "SELECT COUNT(DISTINCT CASE WHEN paid_at >= $1 THEN organisation_id END) AS cur, \
     COUNT(DISTINCT CASE WHEN paid_at < $1 THEN organisation_id END) AS prev \
     FROM orders WHERE paid_at >= $2 AND paid_at < $3";
/// Credits are negative in the ledger: revenue and money out of the bank are `-amount`. The CROSS
/// JOIN keeps SQLite walking the period's postings first (PostgreSQL plans it as an inner join):
/// started from the account's index, it would read every entry the account ever had (a second,
/// not milliseconds, with a million orders).
const COMMISSION: &str = concat!(
    "SELECT ",
    split!("-e.amount_minor", "p.at"),
    "FROM ledger_postings p CROSS JOIN ledger_entries e \
     WHERE e.posting_id = p.id AND p.at >= $2 AND p.at < $3 AND e.account_id = $4"
);
const REFUNDS: &str = concat!(
    "SELECT ",
    split!("-e.amount_minor", "p.at"),
    "FROM ledger_postings p CROSS JOIN ledger_entries e \
     WHERE e.posting_id = p.id AND p.at >= $2 AND p.at < $3 AND p.kind = 'refund' AND e.account_id = $4"
);
const DISPUTES: &str =
    concat!("SELECT ", split!("1", "created_at"), "FROM disputes WHERE created_at >= $2 AND created_at < $3");
const NEW_BUYERS: &str =
    concat!("SELECT ", split!("1", "created_at"), "FROM users WHERE created_at >= $2 AND created_at < $3");
const NEW_SELLERS: &str = concat!(
    "SELECT ",
    split!("1", "activated_at"),
    "FROM seller_profiles WHERE activated_at >= $2 AND activated_at < $3"
);
const PAYOUTS_PAID: &str = concat!(
    "SELECT ",
    split!("amount_minor", "closed_at"),
    "FROM payouts WHERE status = 'paid' AND closed_at >= $2 AND closed_at < $3"
);

pub async fn measure(state: &AppState, period: Period) -> Result<Kpis, AppError> {
    let db = state.db.read();
    let currency = state.settings.currency;
    let previous = period.previous();
    let bounds = (period.from_ms, previous.from_ms, period.until_ms);
    let figure = |sql: &'static str, account: Option<i64>| split(db, sql, bounds, account);
    let commission_account = account_id(db, &Account::PlatformCommission, currency).await?;
    let bank = account_id(db, &Account::PlatformBank, currency).await?;
    let (from, to) = period.dates();
    let (previous_from, previous_to) = previous.dates();
    Ok(Kpis {
        from,
        to,
        previous_from,
        previous_to,
        currency,
        gmv: figure(GMV, None).await?,
        paid_orders: figure(PAID_ORDERS, None).await?,
        commission: ledger_figure(db, COMMISSION, bounds, commission_account).await?,
        refunds: ledger_figure(db, REFUNDS, bounds, bank).await?,
        disputes: figure(DISPUTES, None).await?,
        new_buyers: figure(NEW_BUYERS, None).await?,
        new_sellers: figure(NEW_SELLERS, None).await?,
        active_sellers: figure(ACTIVE_SELLERS, None).await?,
        payouts_paid: figure(PAYOUTS_PAID, None).await?,
    })
}

/// The ledger account's id; `None` before anything was ever posted to it.
pub(super) async fn account_id(db: &AnyPool, account: &Account, currency: Currency) -> Result<Option<i64>, AppError> {
    sqlx::query_scalar("SELECT id FROM ledger_accounts WHERE code = $1 AND currency = $2")
        .bind(account.code())
        .bind(currency.code())
        .fetch_optional(db)
        .await
        .context("finding a ledger account")
}

/// A ledger figure is zero while its account does not exist yet.
async fn ledger_figure(
    db: &AnyPool,
    sql: &'static str,
    bounds: (i64, i64, i64),
    account: Option<i64>,
) -> Result<Figure, AppError> {
    match account {
        Some(id) => split(db, sql, bounds, Some(id)).await,
        None => Ok(Figure::new(0, 0)),
    }
}

/// Runs one figure's query: `$1` the period's start, `$2` the previous period's, `$3` the period's
/// end, `$4` the ledger account if the query has one.
async fn split(
    db: &AnyPool,
    sql: &'static str,
    (from, previous_from, until): (i64, i64, i64),
    account: Option<i64>,
) -> Result<Figure, AppError> {
    let q = sqlx::query_as::<_, Split>(sql).bind(from).bind(previous_from).bind(until);
    let q = match account {
        Some(id) => q.bind(id),
        None => q,
    };
    q.fetch_one(db).await.map(Figure::from).context("measuring a KPI")
}
