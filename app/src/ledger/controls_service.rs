//! The ledger controls' queries (seed 000's finance tasks) and the per-seller reconciliation. Read
//! only. Each unposted check compares a business table with the posting its money event must have
//! made (by idempotency key), so every check reads zero on a healthy ledger.

use super::controls_model::{
    ControlsReport, NegativeBalance, ReconRow, Releasable, UnpostedCheck, UnpostedItem, LIST_LIMIT,
};
use crate::domain::ledger::Account;
use crate::domain::page::{page_size, parse_id_cursor, Page};
use crate::error::{AppError, Context};
use crate::platform::sql::{after_id, contains, order_limit, Order, Sql};
use crate::platform::state::AppState;
use sqlx::AnyConnection;
use std::collections::HashMap;

/// One unposted check: the records of `table` (as `alias`) matching `condition` are those without
/// their posting; `select` picks `id`, `label`, `amount_minor`, `currency`. `href` makes the link
/// from the id and label.
struct Check {
    kind: &'static str,
    select: &'static str,
    table: &'static str,
    alias: &'static str,
    condition: &'static str,
    href: fn(i64, &str) -> String,
}

/// `'<prefix>' || CAST(<id> AS TEXT) || '<suffix>'` is portable (SQLite and PostgreSQL).
const CHECKS: [Check; 5] = [
    Check {
        kind: "order_completed",
        select: "o.id AS id, o.number AS label, o.total_minor - o.refunded_minor AS amount_minor, o.currency AS currency",
        // A partial refund before completion posts the remainder's completion at once, so a
        // partially refunded order has its completion posting too.
        table: "orders",
        alias: "o",
        condition: "o.status IN ('completed', 'partially_refunded') AND NOT EXISTS \
                     (SELECT 1 FROM ledger_postings p WHERE p.idempotency_key = 'order:' || CAST(o.id AS TEXT) || ':completed')",
        href: |_, label| format!("/console/orders/{label}"),
    },
    Check {
        kind: "payment_received",
        select: "y.id AS id, y.reference AS label, y.amount_minor AS amount_minor, y.currency AS currency",
        table: "payments",
        alias: "y",
        condition: "y.status = 'approved' AND NOT EXISTS (SELECT 1 FROM ledger_postings p \
                     WHERE p.idempotency_key = 'checkout:' || CAST(y.checkout_id AS TEXT) || ':paid')",
        href: |id, _| format!("/console/payments/{id}"),
    },
    Check {
        kind: "refund",
        select: "r.id AS id, CAST(r.id AS TEXT) AS label, r.amount_minor AS amount_minor, r.currency AS currency",
        table: "refunds",
        alias: "r",
        condition: "r.status = 'refunded' AND NOT EXISTS (SELECT 1 FROM ledger_postings p \
                     WHERE p.idempotency_key = 'refund:' || CAST(r.id AS TEXT))",
        href: |id, _| format!("/console/refunds/{id}"),
    },
    Check {
        kind: "dispute_refund",
        select: "d.id AS id, CAST(d.id AS TEXT) AS label, COALESCE(d.decision_amount_minor, d.claim_minor) AS amount_minor, \
                 d.currency AS currency",
        table: "disputes",
        alias: "d",
        condition: "d.status = 'refunded' AND NOT EXISTS (SELECT 1 FROM ledger_postings p \
                     WHERE p.idempotency_key = 'dispute:' || CAST(d.id AS TEXT) || ':decision')",
        href: |id, _| format!("/console/disputes/{id}"),
    },
    Check {
        kind: "payout_paid",
        select: "w.id AS id, CAST(w.id AS TEXT) AS label, w.amount_minor AS amount_minor, w.currency AS currency",
        table: "payouts",
        alias: "w",
        condition: "w.status = 'paid' AND NOT EXISTS (SELECT 1 FROM ledger_postings p \
                     WHERE p.kind = 'payout_paid' AND p.idempotency_key = 'payout:' || CAST(w.id AS TEXT) || ':paid')",
        href: |id, _| format!("/console/payouts/{id}"),
    },
];

impl Check {
    /// `FROM ... WHERE ...` over every record of the table.
    fn rows_missing_posting(&self) -> String {
        format!("FROM {} {} WHERE {}", self.table, self.alias, self.condition)
    }

    /// The same over only the newest `window` records of the table: their ids through the primary
    /// key, joined back to their rows. (A subquery of whole rows made SQLite copy every column; a
    /// range from the window's first id left PostgreSQL's planner guessing a third of the table and
    /// hashing every posting, 0.8 s with a million orders.) `CROSS JOIN` keeps SQLite walking the
    /// window first: joined plainly, it walked every approved payment by its status index instead,
    /// 2.6 s with a million payments.
    fn newest_rows_missing_posting(&self, window: i64) -> String {
        format!(
            "FROM (SELECT id FROM {t} ORDER BY id DESC LIMIT {window}) AS newest CROSS JOIN {t} {a} \
             WHERE {a}.id = newest.id AND ({})",
            self.condition,
            t = self.table,
            a = self.alias,
        )
    }
}

/// How many of the newest `window` records of each kind lack their posting: what launch readiness
/// checks on every view (the controls page counts every record, which takes a scan of each table).
pub async fn unposted_among_newest(state: &AppState, window: i64) -> Result<i64, AppError> {
    let mut total = 0;
    for check in &CHECKS {
        let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) {}", check.newest_rows_missing_posting(window)))
            .fetch_one(state.db.read())
            .await
            .context("counting the newest records without their posting")?;
        total += n;
    }
    Ok(total)
}

async fn unposted(conn: &mut AnyConnection, check: &Check) -> Result<UnpostedCheck, AppError> {
    let count: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) {}", check.rows_missing_posting()))
        .fetch_one(&mut *conn)
        .await
        .context("counting records without their posting")?;
    let mut items = vec![];
    if count > 0 {
        let rows: Vec<(i64, String, i64, String)> =
            sqlx::query_as(&format!("SELECT {} {} ORDER BY 1 LIMIT $1", check.select, check.rows_missing_posting()))
                .bind(LIST_LIMIT)
                .fetch_all(&mut *conn)
                .await
                .context("listing records without their posting")?;
        items = rows
            .into_iter()
            .map(|(id, label, amount_minor, currency)| UnpostedItem {
                id,
                href: (check.href)(id, &label),
                label,
                amount_minor,
                currency,
            })
            .collect();
    }
    Ok(UnpostedCheck { kind: check.kind.to_string(), count, items })
}

/// Completed orders past their hold with no release posted, and what each left pending. The reason
/// is what `orders::timers::release_hold` waits for: a frozen (suspended) seller, a dispute, or
/// nothing (the worker is behind).
const RELEASABLE: &str = "SELECT x.reason, x.number, x.name, x.pending FROM (\
     SELECT CASE WHEN org.status = 'suspended' OR COALESCE(sf.frozen, 0) = 1 THEN 'frozen' \
                 WHEN o.status = 'in_dispute' THEN 'in_dispute' ELSE 'worker_behind' END AS reason, \
            o.number AS number, org.name AS name, c.at AS completed_at, \
            (SELECT CAST(-COALESCE(SUM(e.amount_minor), 0) AS BIGINT) FROM ledger_entries e \
               JOIN ledger_postings p2 ON p2.id = e.posting_id JOIN ledger_accounts a ON a.id = e.account_id \
              WHERE p2.order_id = o.id AND a.code = 'seller:' || CAST(o.organisation_id AS TEXT) || ':pending') AS pending \
       FROM ledger_postings c JOIN orders o ON o.id = c.order_id \
       JOIN organisations org ON org.id = o.organisation_id \
       LEFT JOIN seller_finance sf ON sf.organisation_id = o.organisation_id \
      WHERE c.kind = 'order_completed' AND c.idempotency_key = 'order:' || CAST(o.id AS TEXT) || ':completed' \
        AND c.at <= $1 AND o.currency = $2 \
        AND NOT EXISTS (SELECT 1 FROM ledger_postings r \
                         WHERE r.idempotency_key = 'order:' || CAST(o.id AS TEXT) || ':hold_released')\
   ) x WHERE x.pending > 0";

async fn releasable(
    conn: &mut AnyConnection,
    hold_ended_before: i64,
    currency: &str,
) -> Result<Vec<Releasable>, AppError> {
    let totals: Vec<(String, i64, i64)> = sqlx::query_as(&format!(
        "SELECT reason, COUNT(*) AS n, CAST(SUM(pending) AS BIGINT) AS amount FROM ({RELEASABLE}) t GROUP BY reason"
    ))
    .bind(hold_ended_before)
    .bind(currency)
    .fetch_all(&mut *conn)
    .await
    .context("summing the releasable holds")?;
    let mut out = vec![];
    for (reason, orders, amount_minor) in totals {
        // (reason, order number, seller name, pending amount)
        let rows: Vec<(String, String, String, i64)> =
            sqlx::query_as(&format!("{RELEASABLE} AND x.reason = $3 ORDER BY x.completed_at, x.number LIMIT $4"))
                .bind(hold_ended_before)
                .bind(currency)
                .bind(&reason)
                .bind(LIST_LIMIT)
                .fetch_all(&mut *conn)
                .await
                .context("listing releasable holds")?;
        let examples = rows.into_iter().map(|(_, number, name, pending)| (number, name, pending)).collect();
        out.push(Releasable { reason, orders, amount_minor, examples });
    }
    out.sort_by(|a, b| a.reason.cmp(&b.reason));
    Ok(out)
}

/// The sum of the sellers' `<kind>` accounts (`pending`, `available`, `in_transit`), as owed to them.
async fn sellers_total(conn: &mut AnyConnection, kind: &str, currency: &str) -> Result<i64, AppError> {
    let sum: Option<i64> = sqlx::query_scalar(
        "SELECT CAST(SUM(balance_minor) AS BIGINT) FROM ledger_accounts \
         WHERE organisation_id IS NOT NULL AND code LIKE $1 AND currency = $2",
    )
    .bind(format!("seller:%:{kind}"))
    .bind(currency)
    .fetch_one(&mut *conn)
    .await
    .context("summing the sellers' balances")?;
    Ok(-sum.unwrap_or(0))
}

pub async fn controls(state: &AppState) -> Result<ControlsReport, AppError> {
    let now = state.now_ms();
    let currency = state.settings().currency.code();
    let mut conn = state.db.read().acquire().await.context("taking a connection for the ledger controls")?;
    let mut unposted_checks = Vec::with_capacity(CHECKS.len());
    for check in &CHECKS {
        unposted_checks.push(unposted(&mut conn, check).await?);
    }
    let releasable = releasable(&mut conn, now - state.settings().settlement_hold_ms, currency).await?;
    let total_available_minor = sellers_total(&mut conn, "available", currency).await?;
    let total_in_transit_minor = sellers_total(&mut conn, "in_transit", currency).await?;
    let total_pending_minor = sellers_total(&mut conn, "pending", currency).await?;
    // Sellers below zero: a liability account with a debit (positive) balance.
    const NEGATIVE: &str = "FROM ledger_accounts a JOIN organisations o ON o.id = a.organisation_id \
         LEFT JOIN seller_finance sf ON sf.organisation_id = a.organisation_id \
         WHERE a.code = 'seller:' || CAST(a.organisation_id AS TEXT) || ':available' AND a.currency = $1 \
         AND a.balance_minor > 0";
    let (negative_count, negative_total): (i64, i64) = sqlx::query_as(&format!(
        "SELECT COUNT(*) AS n, CAST(COALESCE(SUM(a.balance_minor), 0) AS BIGINT) AS total {NEGATIVE}"
    ))
    .bind(currency)
    .fetch_one(&mut *conn)
    .await
    .context("summing the negative seller balances")?;
    let negatives: Vec<(i64, String, i64, Option<i64>)> = sqlx::query_as(&format!(
        "SELECT a.organisation_id, o.name, a.balance_minor, sf.negative_since {NEGATIVE} \
         ORDER BY a.balance_minor DESC, a.organisation_id LIMIT $2"
    ))
    .bind(currency)
    .bind(LIST_LIMIT)
    .fetch_all(&mut *conn)
    .await
    .context("listing the negative seller balances")?;
    let negatives = negatives
        .into_iter()
        .map(|(organisation_id, name, balance, negative_since)| NegativeBalance {
            organisation_id,
            name,
            available_minor: -balance,
            negative_since,
        })
        .collect();
    let mut trial: Vec<(String, i64)> = sqlx::query_as(
        "SELECT currency, CAST(SUM(balance_minor) AS BIGINT) AS total FROM ledger_accounts GROUP BY currency ORDER BY currency",
    )
    .fetch_all(&mut *conn)
    .await
    .context("summing the trial balance")?;
    if trial.is_empty() {
        trial.push((currency.to_string(), 0));
    }
    let problems =
        crate::platform::ledger::check_invariants(&mut conn).await.context("checking the ledger invariants")?;
    Ok(ControlsReport {
        currency: currency.to_string(),
        unposted: unposted_checks,
        releasable,
        total_available_minor,
        total_in_transit_minor,
        total_pending_minor,
        negative_count,
        negative_total_minor: -negative_total,
        negatives,
        trial,
        problems,
        checked_at_ms: now,
    })
}

/// `<head> IN ($2, $3, ...) <tail>` over a page of sellers, `$1` being the currency.
fn over_sellers(state: &AppState, head: &str, ids: &[i64], tail: &str) -> Sql {
    let mut sql = Sql::new(state.db.backend, "");
    let currency = sql.arg(state.settings().currency.code());
    debug_assert_eq!(currency, "$1");
    let sellers = sql.list(ids.iter().copied());
    sql.push(&format!("{head} IN ({sellers}) {tail}"));
    sql
}

/// A page of reconciliation rows being filled in, by seller id.
struct Recon {
    page: Page<ReconRow>,
    by_id: HashMap<i64, usize>,
}

impl Recon {
    fn row(&mut self, org: i64) -> Option<&mut ReconRow> {
        self.by_id.get(&org).map(|i| &mut self.page.rows[*i])
    }

    fn ids(&self) -> Vec<i64> {
        self.page.rows.iter().map(|r| r.organisation_id).collect()
    }
}

/// Sellers with ledger accounts, by id ascending after `cursor`, optionally by name; each with its
/// money from the entries (grouped by posting kind and account) and its stored balances.
pub async fn reconciliation(
    state: &AppState,
    search: Option<&str>,
    cursor: Option<&str>,
) -> Result<Page<ReconRow>, AppError> {
    let page = recon_sellers(state, search, cursor).await?;
    if page.rows.is_empty() {
        return Ok(page);
    }
    let by_id = page.rows.iter().enumerate().map(|(i, r)| (r.organisation_id, i)).collect();
    let mut recon = Recon { page, by_id };
    add_seller_entries(state, &mut recon).await?;
    add_internal_leftovers(state, &mut recon).await?;
    add_commission(state, &mut recon).await?;
    add_balances(state, &mut recon).await?;
    Ok(recon.page)
}

/// The page of sellers, with their names and statuses and no money yet.
async fn recon_sellers(
    state: &AppState,
    search: Option<&str>,
    cursor: Option<&str>,
) -> Result<Page<ReconRow>, AppError> {
    let size = page_size(None);
    let currency = state.settings().currency.code();
    let mut sql = Sql::new(state.db.backend, "SELECT o.id, o.name, o.status FROM organisations o WHERE 1 = 1");
    after_id(&mut sql, "o.id", Order::Asc, parse_id_cursor(cursor));
    if let Some(search) = search.filter(|s| !s.is_empty()) {
        contains(&mut sql, "o.name", search);
    }
    let c = sql.arg(currency);
    sql.push(&format!(
        " AND EXISTS (SELECT 1 FROM ledger_accounts a WHERE a.organisation_id = o.id AND a.currency = {c})"
    ));
    order_limit(&mut sql, "o.id", size);
    let sellers: Vec<(i64, String, String)> =
        sql.query_as().fetch_all(state.db.read()).await.context("listing the sellers to reconcile")?;
    let rows = sellers
        .into_iter()
        .map(|(organisation_id, name, status)| ReconRow {
            organisation_id,
            name,
            status,
            currency: currency.to_string(),
            ..ReconRow::default()
        })
        .collect();
    Ok(Page::from_overfetch(rows, size, |r| r.organisation_id.to_string()))
}

/// The seller's own accounts: every entry by posting kind and account.
async fn add_seller_entries(state: &AppState, recon: &mut Recon) -> Result<(), AppError> {
    let sql = over_sellers(
        state,
        "SELECT a.organisation_id, a.code, p.kind, CAST(SUM(e.amount_minor) AS BIGINT) AS total \
         FROM ledger_entries e JOIN ledger_accounts a ON a.id = e.account_id JOIN ledger_postings p ON p.id = e.posting_id \
         WHERE a.currency = $1 AND a.organisation_id",
        &recon.ids(),
        "GROUP BY a.organisation_id, a.code, p.kind",
    );
    let grouped: Vec<(i64, String, String, i64)> =
        sql.query_as().fetch_all(state.db.read()).await.context("summing the sellers' entries")?;
    for (org, code, kind, total) in grouped {
        let Some(row) = recon.row(org) else { continue };
        match (kind.as_str(), Account::parse(&code)) {
            ("order_completed", Some(Account::SellerPending(_))) => row.earnings_minor += -total,
            ("refund", Some(Account::SellerPending(_) | Account::SellerAvailable(_))) => row.refunds_minor += total,
            ("payout_paid", Some(Account::SellerInTransit(_))) => row.payouts_paid_minor += total,
            // Moves between the seller's own accounts net to zero across them.
            ("hold_released", Some(Account::SellerPending(_) | Account::SellerAvailable(_)))
            | (
                "payout_requested" | "payout_returned",
                Some(Account::SellerAvailable(_) | Account::SellerInTransit(_)),
            ) => {}
            _ => row.other_minor += -total,
        }
    }
    Ok(())
}

/// Internal moves must net to zero per seller: add what they left over to `other`.
async fn add_internal_leftovers(state: &AppState, recon: &mut Recon) -> Result<(), AppError> {
    let sql = over_sellers(
        state,
        "SELECT a.organisation_id, CAST(SUM(e.amount_minor) AS BIGINT) AS total \
         FROM ledger_entries e JOIN ledger_accounts a ON a.id = e.account_id JOIN ledger_postings p ON p.id = e.posting_id \
         WHERE a.currency = $1 AND p.kind IN ('hold_released', 'payout_requested', 'payout_returned') \
         AND a.organisation_id",
        &recon.ids(),
        "GROUP BY a.organisation_id",
    );
    let left: Vec<(i64, i64)> =
        sql.query_as().fetch_all(state.db.read()).await.context("summing the sellers' internal moves")?;
    for (org, total) in left {
        if let Some(row) = recon.row(org) {
            row.other_minor += -total;
        }
    }
    Ok(())
}

/// The platform's commission on the seller's orders: charged at completion, reversed by refunds.
async fn add_commission(state: &AppState, recon: &mut Recon) -> Result<(), AppError> {
    let sql = over_sellers(
        state,
        "SELECT o.organisation_id, p.kind, CAST(SUM(e.amount_minor) AS BIGINT) AS total \
         FROM ledger_entries e JOIN ledger_accounts a ON a.id = e.account_id JOIN ledger_postings p ON p.id = e.posting_id \
         JOIN orders o ON o.id = p.order_id \
         WHERE a.code = 'platform:commission' AND a.currency = $1 AND o.organisation_id",
        &recon.ids(),
        "GROUP BY o.organisation_id, p.kind",
    );
    let charged: Vec<(i64, String, i64)> =
        sql.query_as().fetch_all(state.db.read()).await.context("summing the sellers' commission")?;
    for (org, kind, total) in charged {
        let Some(row) = recon.row(org) else { continue };
        match kind.as_str() {
            "order_completed" => row.commission_minor += -total,
            "refund" => row.commission_reversed_minor += total,
            _ => {}
        }
    }
    Ok(())
}

/// The stored balances (not the entries: the check compares the two).
async fn add_balances(state: &AppState, recon: &mut Recon) -> Result<(), AppError> {
    let sql = over_sellers(
        state,
        "SELECT organisation_id, code, balance_minor FROM ledger_accounts WHERE currency = $1 AND organisation_id",
        &recon.ids(),
        "",
    );
    let balances: Vec<(i64, String, i64)> =
        sql.query_as().fetch_all(state.db.read()).await.context("loading the sellers' balances")?;
    for (org, code, balance) in balances {
        let Some(row) = recon.row(org) else { continue };
        let owed = -balance;
        match Account::parse(&code) {
            Some(Account::SellerPending(_)) => row.pending_minor = owed,
            Some(Account::SellerAvailable(_)) => row.available_minor = owed,
            Some(Account::SellerInTransit(_)) => row.in_transit_minor = owed,
            _ => {}
        }
    }
    Ok(())
}
