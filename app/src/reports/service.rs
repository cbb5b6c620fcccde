//! The reports' figures (server only), every one from orders, refunds, disputes, payouts and the
//! ledger as stored, bounded by the period on an indexed time column (`0010_exports.sql`).

use super::model::{Breakdown, Covered, RevenueReport, SellerPerformance, SellersReport, SlaReport, Totals, TOP};
use crate::domain::analytics::{rate_bp, Spread};
use crate::domain::period::Period;
use crate::error::{AppError, Context};
use crate::platform::sql::{contains, Sql};
use crate::platform::state::AppState;
use std::collections::HashMap;

fn covered(p: Period) -> Covered {
    let (from, to) = p.dates();
    Covered { from, to }
}

/// Gross and orders of orders paid in the period.
async fn paid_orders(state: &AppState, p: Period, currency: &str) -> Result<(i64, i64), AppError> {
    sqlx::query_as(
        "SELECT COUNT(*), CAST(COALESCE(SUM(total_minor), 0) AS BIGINT) FROM orders \
         WHERE paid_at >= $1 AND paid_at < $2 AND currency = $3",
    )
    .bind(p.from_ms)
    .bind(p.until_ms)
    .bind(currency)
    .fetch_one(state.db.read())
    .await
    .context("summing paid orders")
}

/// The sum of the entries on `account` in the period's postings (of `kind`, when given). The CROSS
/// JOINs keep SQLite walking the period's postings first (PostgreSQL plans them as inner joins):
/// started from the account, it would read every entry the bank ever had.
async fn ledger_sum(
    state: &AppState,
    p: Period,
    currency: &str,
    account: &str,
    kind: Option<&str>,
) -> Result<i64, AppError> {
    let mut sql = Sql::new(
        state.db.backend,
        "SELECT CAST(COALESCE(SUM(e.amount_minor), 0) AS BIGINT) FROM ledger_postings p \
         CROSS JOIN ledger_entries e CROSS JOIN ledger_accounts a WHERE e.posting_id = p.id AND a.id = e.account_id",
    );
    let (from, until) = (sql.arg(p.from_ms), sql.arg(p.until_ms));
    sql.push(&format!(" AND p.at >= {from} AND p.at < {until}"));
    sql.and_eq("a.code", account).and_eq("e.currency", currency);
    if let Some(kind) = kind {
        sql.and_eq("p.kind", kind);
    }
    sql.query_scalar().fetch_one(state.db.read()).await.context("summing ledger entries")
}

async fn totals(state: &AppState, p: Period, currency: &str) -> Result<Totals, AppError> {
    let (orders, gross) = paid_orders(state, p, currency).await?;
    // The bank's side of refund postings is negative: money out.
    let refunds = -ledger_sum(state, p, currency, "platform:bank", Some("refund")).await?;
    // Commission is revenue, a credit: negative entries earn, positive ones give back.
    let commission = -ledger_sum(state, p, currency, "platform:commission", None).await?;
    Ok(Totals {
        orders,
        gross_minor: gross,
        refunds_minor: refunds,
        net_minor: gross - refunds,
        commission_minor: commission,
    })
}

type BreakdownRow = (String, String, String, i64, i64, i64, i64);

fn breakdown(rows: Vec<BreakdownRow>) -> Vec<Breakdown> {
    rows.into_iter()
        .map(|(key, name_en, name_zh, orders, gross, refunded, commission)| Breakdown {
            key,
            name_en,
            name_zh,
            orders,
            gross_minor: gross,
            refunded_minor: refunded,
            commission_minor: commission,
        })
        .collect()
}

async fn by_method(state: &AppState, p: Period, currency: &str) -> Result<Vec<Breakdown>, AppError> {
    let rows: Vec<BreakdownRow> = sqlx::query_as(
        "SELECT k.payment_method, k.payment_method, k.payment_method, COUNT(*), \
         CAST(COALESCE(SUM(o.total_minor), 0) AS BIGINT), CAST(0 AS BIGINT), CAST(0 AS BIGINT) \
         FROM orders o JOIN checkouts k ON k.id = o.checkout_id \
         WHERE o.paid_at >= $1 AND o.paid_at < $2 AND o.currency = $3 \
         GROUP BY k.payment_method ORDER BY 5 DESC, 1 LIMIT $4",
    )
    .bind(p.from_ms)
    .bind(p.until_ms)
    .bind(currency)
    .bind(TOP)
    .fetch_all(state.db.read())
    .await
    .context("revenue by payment method")?;
    Ok(breakdown(rows))
}

async fn by_category(state: &AppState, p: Period, currency: &str) -> Result<Vec<Breakdown>, AppError> {
    // Gross of a category: its lines' totals (shipping belongs to no category).
    let rows: Vec<BreakdownRow> = sqlx::query_as(
        "SELECT COALESCE(c.slug, ''), COALESCE(c.name_en, ''), COALESCE(c.name_zh, ''), COUNT(DISTINCT o.id), \
         CAST(COALESCE(SUM(l.line_total_minor), 0) AS BIGINT), CAST(0 AS BIGINT), CAST(0 AS BIGINT) \
         FROM orders o JOIN order_lines l ON l.order_id = o.id JOIN listings li ON li.id = l.listing_id \
         LEFT JOIN categories c ON c.id = li.category_id \
         WHERE o.paid_at >= $1 AND o.paid_at < $2 AND o.currency = $3 \
         GROUP BY c.slug, c.name_en, c.name_zh ORDER BY 5 DESC, 1 LIMIT $4",
    )
    .bind(p.from_ms)
    .bind(p.until_ms)
    .bind(currency)
    .bind(TOP)
    .fetch_all(state.db.read())
    .await
    .context("revenue by category")?;
    Ok(breakdown(rows))
}

async fn by_seller(state: &AppState, p: Period, currency: &str) -> Result<Vec<Breakdown>, AppError> {
    let rows: Vec<BreakdownRow> = sqlx::query_as(
        "SELECT CAST(g.id AS TEXT), g.name, g.name, COUNT(*), CAST(COALESCE(SUM(o.total_minor), 0) AS BIGINT), \
         CAST(COALESCE(SUM(o.refunded_minor), 0) AS BIGINT), CAST(COALESCE(SUM(o.commission_minor), 0) AS BIGINT) \
         FROM orders o JOIN organisations g ON g.id = o.organisation_id \
         WHERE o.paid_at >= $1 AND o.paid_at < $2 AND o.currency = $3 \
         GROUP BY g.id, g.name ORDER BY 5 DESC, g.id LIMIT $4",
    )
    .bind(p.from_ms)
    .bind(p.until_ms)
    .bind(currency)
    .bind(TOP)
    .fetch_all(state.db.read())
    .await
    .context("revenue by seller")?;
    Ok(breakdown(rows))
}

pub async fn revenue(state: &AppState, p: Period) -> Result<RevenueReport, AppError> {
    let currency = state.settings().currency;
    let code = currency.code();
    let before = p.previous();
    Ok(RevenueReport {
        covered: covered(p),
        previous: covered(before),
        currency,
        current: totals(state, p, code).await?,
        before: totals(state, before, code).await?,
        by_method: by_method(state, p, code).await?,
        by_category: by_category(state, p, code).await?,
        by_seller: by_seller(state, p, code).await?,
    })
}

type SellerRow = (i64, String, i64, i64, i64, i64);

/// The largest sellers by GMV over orders paid in the period (`name` narrows by seller name).
pub async fn sellers(state: &AppState, p: Period, name: Option<&str>) -> Result<SellersReport, AppError> {
    let currency = state.settings().currency;
    let mut sql = Sql::new(
        state.db.backend,
        "SELECT g.id, g.name, COUNT(*), CAST(COALESCE(SUM(o.total_minor), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM refunds r WHERE r.order_id = o.id) THEN 1 ELSE 0 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM disputes d WHERE d.order_id = o.id) THEN 1 ELSE 0 END), 0) AS BIGINT) \
         FROM orders o JOIN organisations g ON g.id = o.organisation_id WHERE 1 = 1",
    );
    let (from, until) = (sql.arg(p.from_ms), sql.arg(p.until_ms));
    sql.push(&format!(" AND o.paid_at >= {from} AND o.paid_at < {until}"));
    sql.and_eq("o.currency", currency.code());
    if let Some(name) = name {
        contains(&mut sql, "g.name", name);
    }
    let top = sql.arg(TOP);
    sql.push(&format!(" GROUP BY g.id, g.name ORDER BY 4 DESC, g.id LIMIT {top}"));
    let rows: Vec<SellerRow> = sql.query_as().fetch_all(state.db.read()).await.context("seller performance")?;
    let mut ship = ship_times(state, p, &rows.iter().map(|r| r.0).collect::<Vec<_>>()).await?;
    let sellers = rows
        .into_iter()
        .map(|(seller_id, name, orders, gmv, refunded, disputed)| SellerPerformance {
            seller_id,
            name,
            orders,
            gmv_minor: gmv,
            refunded_orders: refunded,
            disputed_orders: disputed,
            refund_rate_bp: rate_bp(refunded, orders),
            dispute_rate_bp: rate_bp(disputed, orders),
            ship: Spread::of(ship.remove(&seller_id).unwrap_or_default()),
        })
        .collect();
    Ok(SellersReport { covered: covered(p), currency, sellers })
}

/// Paid-to-shipped durations of the sellers' orders paid in the period, by seller.
async fn ship_times(state: &AppState, p: Period, sellers: &[i64]) -> Result<HashMap<i64, Vec<i64>>, AppError> {
    let mut by_seller: HashMap<i64, Vec<i64>> = HashMap::new();
    for seller in sellers {
        let durations: Vec<i64> = sqlx::query_scalar(
            "SELECT shipped_at - paid_at FROM orders WHERE organisation_id = $1 AND paid_at >= $2 AND paid_at < $3 \
             AND shipped_at IS NOT NULL",
        )
        .bind(seller)
        .bind(p.from_ms)
        .bind(p.until_ms)
        .fetch_all(state.db.read())
        .await
        .context("time to ship")?;
        by_seller.insert(*seller, durations);
    }
    Ok(by_seller)
}

/// Durations `end - start` of the rows of `table` whose `end` falls in the period (and `extra`).
async fn spread(
    state: &AppState,
    p: Period,
    table: &str,
    start: &str,
    end: &str,
    extra: &str,
) -> Result<Spread, AppError> {
    let sql =
        format!("SELECT {end} - {start} FROM {table} WHERE {end} >= $1 AND {end} < $2 AND {start} IS NOT NULL{extra}");
    let durations: Vec<i64> = sqlx::query_scalar(&sql)
        .bind(p.from_ms)
        .bind(p.until_ms)
        .fetch_all(state.db.read())
        .await
        .context("operations durations")?;
    Ok(Spread::of(durations))
}

pub async fn sla(state: &AppState, p: Period) -> Result<SlaReport, AppError> {
    Ok(SlaReport {
        covered: covered(p),
        review: spread(state, p, "listing_versions", "submitted_at", "decided_at", "").await?,
        dispute: spread(state, p, "disputes", "created_at", "decided_at", "").await?,
        payout: spread(state, p, "payouts", "requested_at", "closed_at", " AND status = 'paid'").await?,
    })
}
