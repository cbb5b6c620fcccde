//! A report as CSV: the tables its page shows, for a spreadsheet (`POST
//! /console/analytics/{report}/export`, `server/src/http/exports.rs`). A report is a few hundred
//! aggregate rows at most, so the file is built whole, from the same service call as the page; the
//! dataset exports (`crate::exports`) are for the records behind it. Audited like them
//! (`exports.create` with the report, its filters and its row count, before the file leaves).
//! Money is in minor units with the currency, durations in milliseconds, rates in basis points:
//! numbers a spreadsheet can add up, not the page's formatted text.

use super::api::DEFAULT_PERIOD;
use super::model::{Breakdown, RevenueReport, SellersReport, SlaReport, Totals};
use super::service;
use crate::domain::analytics::Spread;
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::permissions::ANALYTICS_VIEW;
use crate::error::AppError;
use crate::platform::caller::{Caller, RequestMeta};
use crate::platform::change::{Audit, Change};
use crate::platform::csv::record;
use crate::platform::period::parse_period;
use crate::platform::state::AppState;
use serde::Deserialize;
use serde_json::json;

/// The report page's query, as its export form posts it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ReportQuery {
    pub period: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub seller: Option<String>,
}

/// A finished file: its name and its text.
pub struct ReportFile {
    pub name: String,
    pub csv: String,
    pub rows: usize,
}

type Table = (&'static [&'static str], Vec<Vec<String>>);

/// Builds report `name` (`revenue`, `sellers`, `sla`) for the query, records the export and returns
/// the file. An unknown report is not found; a bad period is a field error, and nothing is recorded.
pub async fn report_csv(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    name: &str,
    q: &ReportQuery,
) -> Result<ReportFile, AppError> {
    if !caller.can(ANALYTICS_VIEW) {
        return Err(AppError::Forbidden);
    }
    let report: &'static str = match name {
        "revenue" => "revenue",
        "sellers" => "sellers",
        "sla" => "sla",
        _ => return Err(AppError::NotFound),
    };
    let p = parse_period(state, q.period.as_deref(), q.from.as_deref(), q.to.as_deref(), DEFAULT_PERIOD)?;
    let seller = q.seller.as_deref().map(str::trim).filter(|s| !s.is_empty());
    if seller.is_some_and(|s| s.chars().count() > 100) {
        return Err(AppError::invalid("seller", "analytics_reports.seller_too_long"));
    }
    let (header, rows) = match report {
        "revenue" => revenue_table(&service::revenue(state, p).await?),
        "sellers" => sellers_table(&service::sellers(state, p, seller).await?),
        _ => sla_table(&service::sla(state, p).await?),
    };
    let (from, to) = p.dates();
    let mut c = Change::by_caller(state, caller, meta).await?;
    let after = json!({
        "report": report,
        "filters": {"period": p.preset.as_str(), "from": from, "to": to, "seller": seller},
        "rows": rows.len(),
    });
    c.audit(
        Audit::new(AuditAction::ExportsCreate, AuditTarget::AnalyticsReport(report)).before(json!({})).after(after),
    )
    .await?;
    c.commit().await?;
    let mut csv = String::from("\u{feff}");
    csv.push_str(&record(header));
    for row in &rows {
        csv.push_str(&record(row));
    }
    Ok(ReportFile { name: format!("agora-report-{report}-{to}.csv"), csv, rows: rows.len() })
}

const REVENUE_HEADER: &[&str] = &[
    "section",
    "key",
    "name_en",
    "name_zh",
    "orders",
    "gross_minor",
    "refunds_minor",
    "net_minor",
    "commission_minor",
    "currency",
];

/// One line per total (this period, the one before), then per payment method, category and seller.
fn revenue_table(r: &RevenueReport) -> Table {
    let currency = r.currency.code().to_string();
    let total = |section: &str, covered: &super::model::Covered, t: &Totals| {
        let span = format!("{}..{}", covered.from, covered.to);
        vec![
            section.to_string(),
            span.clone(),
            span,
            String::new(),
            t.orders.to_string(),
            t.gross_minor.to_string(),
            t.refunds_minor.to_string(),
            t.net_minor.to_string(),
            t.commission_minor.to_string(),
            currency.clone(),
        ]
    };
    let line = |section: &str, b: &Breakdown| {
        vec![
            section.to_string(),
            b.key.clone(),
            b.name_en.clone(),
            b.name_zh.clone(),
            b.orders.to_string(),
            b.gross_minor.to_string(),
            b.refunded_minor.to_string(),
            (b.gross_minor - b.refunded_minor).to_string(),
            b.commission_minor.to_string(),
            currency.clone(),
        ]
    };
    let mut rows = vec![total("period", &r.covered, &r.current), total("previous_period", &r.previous, &r.before)];
    rows.extend(r.by_method.iter().map(|b| line("payment_method", b)));
    rows.extend(r.by_category.iter().map(|b| line("category", b)));
    rows.extend(r.by_seller.iter().map(|b| line("seller", b)));
    (REVENUE_HEADER, rows)
}

const SELLERS_HEADER: &[&str] = &[
    "seller_id",
    "seller_name",
    "orders",
    "gmv_minor",
    "currency",
    "refunded_orders",
    "refund_rate_bp",
    "disputed_orders",
    "dispute_rate_bp",
    "shipped_orders",
    "median_time_to_ship_ms",
    "p90_time_to_ship_ms",
];

fn sellers_table(r: &SellersReport) -> Table {
    let opt = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    let rows = r
        .sellers
        .iter()
        .map(|s| {
            vec![
                s.seller_id.to_string(),
                s.name.clone(),
                s.orders.to_string(),
                s.gmv_minor.to_string(),
                r.currency.code().to_string(),
                s.refunded_orders.to_string(),
                opt(s.refund_rate_bp),
                s.disputed_orders.to_string(),
                opt(s.dispute_rate_bp),
                s.ship.count.to_string(),
                opt(s.ship.median_ms),
                opt(s.ship.p90_ms),
            ]
        })
        .collect();
    (SELLERS_HEADER, rows)
}

const SLA_HEADER: &[&str] = &["measure", "from", "to", "count", "median_ms", "p90_ms"];

fn sla_table(r: &SlaReport) -> Table {
    let line = |measure: &str, s: &Spread| {
        let opt = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
        vec![
            measure.to_string(),
            r.covered.from.clone(),
            r.covered.to.clone(),
            s.count.to_string(),
            opt(s.median_ms),
            opt(s.p90_ms),
        ]
    };
    (
        SLA_HEADER,
        vec![line("listing_review", &r.review), line("dispute_decision", &r.dispute), line("payout", &r.payout)],
    )
}
