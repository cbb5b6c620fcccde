//! The report pages: a period (and, for sellers, a name) in a filter bar, the figures as tables (the
//! kit's chart may draw them later), and an export of the same period.

use super::api::{operations_sla_report, revenue_figures, seller_performance_report, DEFAULT_PERIOD};
use super::model::{Breakdown, RevenueReport, SellersReport, SlaReport, Totals};
use crate::components::states::error_text;
use crate::components::styles::{BUTTON_SECONDARY, MUTED, TD};
use crate::components::{
    money, period_query, query_param, DataTable, DetailResult, FilterBar, ForbiddenState, PeriodFields, Section,
    TextFilter,
};
use crate::domain::analytics::{duration_text, rate_text, Spread};
use crate::domain::money::Currency;
use crate::domain::period::change_bp;
use crate::domain::permissions::{ANALYTICS_VIEW, EXPORTS_EXPORT};
use crate::error::AppError;
use crate::exports::pages::export_link;
use crate::frame::console::shell::{use_operator, PageHeader};
use crate::i18n::{fill, t, translate, use_lang, Lang};
use leptos::prelude::*;

/// A field error of the report (a bad period), for the filter bar; read inside its Transition.
fn filter_error<T>(report: Resource<Result<T, AppError>>) -> Signal<Option<String>>
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
{
    let lang = use_lang();
    Signal::derive(move || match report.get() {
        Some(Err(e)) if e.field().is_some() => Some(error_text(lang.get(), &e)),
        _ => None,
    })
}

/// The export of the same query, for operators who may export.
#[component]
fn ExportLink(dataset: &'static str, #[prop(optional)] extra: Option<&'static str>) -> impl IntoView {
    let may = use_operator().is_some_and(|v| v.can(EXPORTS_EXPORT));
    let query = period_query();
    let extra_value = extra.map(query_param);
    may.then(|| {
        let href = move || {
            let (period, from, to) = query();
            let mut pairs = vec![("period", period), ("from", from), ("to", to)];
            if let (Some(name), Some(value)) = (extra, extra_value) {
                pairs.push((name, value()));
            }
            export_link(dataset, &pairs)
        };
        view! { <a href=href class=BUTTON_SECONDARY data-testid="report-export">{t("analytics_reports.export")}</a> }
    })
}

/// The report's own tables as CSV (`reports::export`): a plain form post, so the browser saves the
/// file, and it works before the WASM. The query is the page's own.
#[component]
fn ReportCsv(report: &'static str, #[prop(optional)] with_seller: bool) -> impl IntoView {
    let may = use_operator().is_some_and(|v| v.can(EXPORTS_EXPORT));
    let (query, seller) = (period_query(), query_param("seller"));
    may.then(|| {
        view! {
            <form method="post" action=format!("/console/analytics/{report}/export") class="inline">
                <input type="hidden" name="period" value=move || query().0.unwrap_or_default()/>
                <input type="hidden" name="from" value=move || query().1.unwrap_or_default()/>
                <input type="hidden" name="to" value=move || query().2.unwrap_or_default()/>
                {with_seller.then(|| view! { <input type="hidden" name="seller" value=move || seller().unwrap_or_default()/> })}
                <button type="submit" class=BUTTON_SECONDARY data-testid="report-csv">{t("analytics_reports.download_csv")}</button>
            </form>
        }
    })
}

/// "1 Nov – 30 Nov 2026" style heading of the period covered.
fn covered_text(lang: Lang, from: &str, to: &str) -> String {
    fill(&translate(lang, "analytics_reports.covered"), &[("from", from.to_string()), ("to", to.to_string())])
}

#[component]
pub fn RevenueReportPage() -> impl IntoView {
    if !use_operator().is_some_and(|v| v.can(ANALYTICS_VIEW)) {
        return view! { <PageHeader title="console.report_revenue" crumbs=vec![]/><ForbiddenState/> }.into_any();
    }
    let query = period_query();
    let report = Resource::new(query, |(p, f, t)| revenue_figures(p, f, t));
    view! {
        <PageHeader title="console.report_revenue" crumbs=vec![]>
            <ReportCsv report="revenue"/>
            <ExportLink dataset="orders"/>
        </PageHeader>
        <div class="mb-4">
            <FilterBar action="/console/analytics/revenue" label="analytics_reports.filters" testid="report-filters" error=filter_error(report)>
                <PeriodFields default=DEFAULT_PERIOD/>
            </FilterBar>
        </div>
        <DetailResult resource=report on_error=|e: AppError| e.field().is_some().then(|| ().into_any()) let:r>
            <RevenueBody r/>
        </DetailResult>
    }
    .into_any()
}

/// A line of the totals table: its label key, its test id, how it reads a `Totals`, whether it is money.
type Figure = (&'static str, &'static str, fn(&Totals) -> i64, bool);

#[component]
fn RevenueBody(r: RevenueReport) -> impl IntoView {
    let lang = use_lang();
    let (cur, before, currency) = (r.current, r.before, r.currency);
    let covered = (r.covered.from.clone(), r.covered.to.clone(), r.previous.from.clone(), r.previous.to.clone());
    let figures: [Figure; 5] = [
        ("analytics_reports.gross", "gross", |t| t.gross_minor, true),
        ("analytics_reports.refunds", "refunds", |t| t.refunds_minor, true),
        ("analytics_reports.net", "net", |t| t.net_minor, true),
        ("analytics_reports.commission", "commission", |t| t.commission_minor, true),
        ("analytics_reports.orders", "orders", |t| t.orders, false),
    ];
    let shown = move |v: i64, is_money: bool| if is_money { money(v, currency) } else { v.to_string() };
    view! {
        <p class=format!("{MUTED} mb-2") data-testid="report-covered">
            {move || covered_text(lang.get(), &covered.0, &covered.1)}
        </p>
        <Section id="revenue-totals-title" title=t("analytics_reports.totals")>
            <DataTable caption="analytics_reports.totals" columns=vec!["analytics_reports.figure", "analytics_reports.this_period", "analytics_reports.previous_period", "analytics_reports.change"] testid="revenue-totals">
                {figures.into_iter().map(|(label, id, get, is_money)| {
                    let (now, then) = (get(&cur), get(&before));
                    view! {
                        <tr data-testid=format!("revenue-{id}")>
                            <th scope="row" class=format!("{TD} text-left font-medium")>{t(label)}</th>
                            <td class=format!("{TD} tabular-nums") data-testid="current">{shown(now, is_money)}</td>
                            <td class=format!("{TD} tabular-nums") data-testid="previous">{shown(then, is_money)}</td>
                            <td class=format!("{TD} tabular-nums")>{rate_text(change_bp(now, then))}</td>
                        </tr>
                    }
                }).collect_view()}
            </DataTable>
            <p class=format!("{MUTED} mt-2")>
                {move || fill(&translate(lang.get(), "analytics_reports.previous_is"), &[("from", covered.2.clone()), ("to", covered.3.clone())])}
            </p>
        </Section>
        <Breakdowns title="analytics_reports.by_method" testid="revenue-by-method" rows=r.by_method currency prefix=Some("analytics_reports.method.") seller=false/>
        <Breakdowns title="analytics_reports.by_category" testid="revenue-by-category" rows=r.by_category currency prefix=None seller=false/>
        <Breakdowns title="analytics_reports.by_seller" testid="revenue-by-seller" rows=r.by_seller currency prefix=None seller=true/>
    }
}

/// A breakdown table. `prefix`: the lines' names are message keys (payment methods); `seller`: the
/// refunded and commission columns are shown.
#[component]
fn Breakdowns(
    title: &'static str,
    testid: &'static str,
    rows: Vec<Breakdown>,
    currency: Currency,
    prefix: Option<&'static str>,
    seller: bool,
) -> impl IntoView {
    let lang = use_lang();
    let mut columns = vec!["analytics_reports.name", "analytics_reports.orders", "analytics_reports.gross"];
    if seller {
        columns.extend(["analytics_reports.refunded", "analytics_reports.commission_charged"]);
    }
    view! {
        <Section id=testid title=t(title)>
            {if rows.is_empty() {
                view! { <p class=MUTED>{t("analytics_reports.nothing")}</p> }.into_any()
            } else {
                view! {
                    <DataTable caption=title columns testid=testid>
                        {rows.into_iter().map(|b| {
                            let (en, zh, key) = (b.name_en.clone(), b.name_zh.clone(), b.key.clone());
                            let name = move || match (prefix, lang.get()) {
                                (Some(p), l) => translate(l, &format!("{p}{key}")),
                                (None, _) if en.is_empty() => translate(lang.get(), "analytics_reports.uncategorised"),
                                (None, Lang::Zh) => zh.clone(),
                                (None, Lang::En) => en.clone(),
                            };
                            view! {
                                <tr data-testid="breakdown-row" data-key=b.key.clone()>
                                    <td class=TD>{name}</td>
                                    <td class=format!("{TD} tabular-nums") data-testid="orders">{b.orders}</td>
                                    <td class=format!("{TD} tabular-nums") data-testid="gross">{money(b.gross_minor, currency)}</td>
                                    {seller.then(|| view! {
                                        <td class=format!("{TD} tabular-nums") data-testid="refunded">{money(b.refunded_minor, currency)}</td>
                                        <td class=format!("{TD} tabular-nums") data-testid="commission">{money(b.commission_minor, currency)}</td>
                                    })}
                                </tr>
                            }
                        }).collect_view()}
                    </DataTable>
                }.into_any()
            }}
        </Section>
    }
}

#[component]
pub fn SellersReportPage() -> impl IntoView {
    if !use_operator().is_some_and(|v| v.can(ANALYTICS_VIEW)) {
        return view! { <PageHeader title="console.report_sellers" crumbs=vec![]/><ForbiddenState/> }.into_any();
    }
    let (query, seller) = (period_query(), query_param("seller"));
    let report = Resource::new(move || (query(), seller()), |((p, f, t), s)| seller_performance_report(p, f, t, s));
    view! {
        <PageHeader title="console.report_sellers" crumbs=vec![]>
            <ReportCsv report="sellers" with_seller=true/>
            <ExportLink dataset="orders"/>
        </PageHeader>
        <div class="mb-4">
            <FilterBar action="/console/analytics/sellers" label="analytics_reports.filters" testid="report-filters" error=filter_error(report)>
                <PeriodFields default=DEFAULT_PERIOD/>
                <TextFilter name="seller" label="analytics_reports.seller_name" kind="search"/>
            </FilterBar>
        </div>
        <DetailResult resource=report on_error=|e: AppError| e.field().is_some().then(|| ().into_any()) let:r>
            <SellersBody r/>
        </DetailResult>
    }
    .into_any()
}

fn spread_cells(s: Spread) -> impl IntoView {
    let text = |v: Option<i64>| v.map(duration_text).unwrap_or_else(|| "—".into());
    view! {
        <td class=format!("{TD} tabular-nums") data-testid="median">{text(s.median_ms)}</td>
        <td class=format!("{TD} tabular-nums") data-testid="p90">{text(s.p90_ms)}</td>
    }
}

#[component]
fn SellersBody(r: SellersReport) -> impl IntoView {
    let lang = use_lang();
    let (from, to, currency) = (r.covered.from.clone(), r.covered.to.clone(), r.currency);
    let columns = vec![
        "analytics_reports.name",
        "analytics_reports.orders",
        "analytics_reports.gmv",
        "analytics_reports.refund_rate",
        "analytics_reports.dispute_rate",
        "analytics_reports.ship_median",
        "analytics_reports.ship_p90",
    ];
    view! {
        <p class=format!("{MUTED} mb-2") data-testid="report-covered">{move || covered_text(lang.get(), &from, &to)}</p>
        {if r.sellers.is_empty() {
            view! { <p class=MUTED data-testid="report-empty">{t("analytics_reports.nothing")}</p> }.into_any()
        } else {
            view! {
                <DataTable caption="analytics_reports.sellers_caption" columns testid="seller-performance">
                    {r.sellers.into_iter().map(|s| view! {
                        <tr data-testid="seller-row" data-seller=s.seller_id.to_string()>
                            <td class=TD>{s.name}</td>
                            <td class=format!("{TD} tabular-nums") data-testid="orders">{s.orders}</td>
                            <td class=format!("{TD} tabular-nums") data-testid="gmv">{money(s.gmv_minor, currency)}</td>
                            <td class=format!("{TD} tabular-nums") data-testid="refund-rate">{rate_text(s.refund_rate_bp)}</td>
                            <td class=format!("{TD} tabular-nums") data-testid="dispute-rate">{rate_text(s.dispute_rate_bp)}</td>
                            {spread_cells(s.ship)}
                        </tr>
                    }).collect_view()}
                </DataTable>
            }.into_any()
        }}
    }
}

#[component]
pub fn SlaReportPage() -> impl IntoView {
    if !use_operator().is_some_and(|v| v.can(ANALYTICS_VIEW)) {
        return view! { <PageHeader title="console.report_sla" crumbs=vec![]/><ForbiddenState/> }.into_any();
    }
    let query = period_query();
    let report = Resource::new(query, |(p, f, t)| operations_sla_report(p, f, t));
    view! {
        <PageHeader title="console.report_sla" crumbs=vec![]>
            <ReportCsv report="sla"/>
            <ExportLink dataset="disputes"/>
        </PageHeader>
        <div class="mb-4">
            <FilterBar action="/console/analytics/sla" label="analytics_reports.filters" testid="report-filters" error=filter_error(report)>
                <PeriodFields default=DEFAULT_PERIOD/>
            </FilterBar>
        </div>
        <DetailResult resource=report on_error=|e: AppError| e.field().is_some().then(|| ().into_any()) let:r>
            <SlaBody r/>
        </DetailResult>
    }
    .into_any()
}

#[component]
fn SlaBody(r: SlaReport) -> impl IntoView {
    let lang = use_lang();
    let (from, to) = (r.covered.from.clone(), r.covered.to.clone());
    let lines = [
        ("analytics_reports.sla.review", "review", r.review),
        ("analytics_reports.sla.dispute", "dispute", r.dispute),
        ("analytics_reports.sla.payout", "payout", r.payout),
    ];
    view! {
        <p class=format!("{MUTED} mb-2") data-testid="report-covered">{move || covered_text(lang.get(), &from, &to)}</p>
        <DataTable caption="analytics_reports.sla_caption" columns=vec!["analytics_reports.sla.work", "analytics_reports.sla.count", "analytics_reports.median", "analytics_reports.p90"] testid="sla-table">
            {lines.into_iter().map(|(label, id, s)| view! {
                <tr data-testid=format!("sla-{id}")>
                    <th scope="row" class=format!("{TD} text-left font-medium")>{t(label)}</th>
                    <td class=format!("{TD} tabular-nums") data-testid="count">{s.count}</td>
                    {spread_cells(s)}
                </tr>
            }).collect_view()}
        </DataTable>
    }
}
