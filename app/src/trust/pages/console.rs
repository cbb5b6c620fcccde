//! The trust & safety queue: counters, filters (a GET form, so a filtered view can be bookmarked),
//! and the cases, open first. Repeated reports on one target read as one problem: each row says how
//! many open reports its target has and links to them all.

use crate::components::states::{error_text, Time};
use crate::components::{EmptyState, ErrorState, ForbiddenState, LoadingState, Pager};
use crate::domain::page::Page;
use crate::domain::permissions::{REPORTS_VIEW, SELLERS_VIEW};
use crate::domain::report::{ReportCategory, ReportKind, ReportStatus, ReportTarget};
use crate::error::AppError;
use crate::frame::console::shell::{use_operator, PageHeader};
use crate::i18n::{fill, t, translate, use_lang};
use crate::trust::api::{list_reports, report_queue_counters};
use crate::trust::model::{
    category_key, kind_key, outcome_key, status_key, target_href, target_key, ReportCounters, ReportRow,
};
use leptos::prelude::*;
use leptos_router::components::Form;

pub(super) use crate::components::styles::INPUT;
use crate::components::styles::LABEL;
use crate::components::styles::TD;
use crate::components::styles::TH;

use crate::components::query::query_param;
use crate::components::query::query_string;

/// The error a list answered with when it belongs next to `field` of the filter form.
fn filter_error(list: Resource<Result<Page<ReportRow>, AppError>>, field: &'static str) -> impl IntoView {
    let lang = use_lang();
    let error = move || match list.get() {
        Some(Err(e)) if e.field() == Some(field) => Some(error_text(lang.get(), &e)),
        _ => None,
    };
    view! {
        <Transition fallback=|| ()>
            {move || error().map(|e| view! {
                <p id=format!("filter-{field}-error") class="text-sm text-red-600" data-testid=format!("error-{field}")>{e}</p>
            })}
        </Transition>
    }
}

/// A status or outcome badge.
#[component]
pub(super) fn CaseBadge(row: ReportRow) -> impl IntoView {
    let (key, colour) = match (row.status, row.resolution) {
        (ReportStatus::Open, _) | (_, None) => (status_key(row.status), "bg-amber-50 text-amber-800 ring-amber-600/20"),
        (_, Some(r)) => (outcome_key(row.kind, r), "bg-slate-100 text-slate-700 ring-slate-500/20"),
    };
    view! {
        <span data-testid="case-status" class=format!("inline-flex whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset {colour}")>
            {t(key)}
        </span>
    }
}

/// The target: a link to its storefront page, a link to the seller in the console, and how many open
/// reports it has.
#[component]
pub(super) fn TargetCell(row: ReportRow, can_view_sellers: bool) -> impl IntoView {
    let lang = use_lang();
    let label = if row.target_label.is_empty() { format!("#{}", row.target_id) } else { row.target_label.clone() };
    let count = row.open_on_target;
    let group_href = format!("/console/reports?target={}&target_id={}", row.target.as_str(), row.target_id);
    view! {
        <div class="space-y-1">
            <div class="flex flex-wrap items-center gap-2">
                <span class="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-600">{t(target_key(row.target))}</span>
                <a href=target_href(row.target, row.target_id) class="font-medium text-indigo-700 hover:underline" data-testid="case-target">{label}</a>
            </div>
            <div class="flex flex-wrap items-center gap-2 text-xs text-slate-500">
                {(row.target == ReportTarget::Listing).then(|| view! { <span>{row.organisation_name.clone()}</span> })}
                {can_view_sellers.then(|| view! {
                    <a href=format!("/console/sellers/{}", row.organisation_id) class="text-indigo-700 hover:underline">{t("reports.console_seller")}</a>
                })}
                {(count > 1).then(|| view! {
                    <a href=group_href data-testid="target-report-count" class="rounded-full bg-red-50 px-2 py-0.5 font-semibold text-red-700 ring-1 ring-inset ring-red-600/20 hover:bg-red-100">
                        {move || fill(&translate(lang.get(), "reports.reports_count"), &[("n", count.to_string())])}
                    </a>
                })}
            </div>
        </div>
    }
}

#[component]
pub fn ReportsPage() -> impl IntoView {
    let Some(operator) = use_operator().filter(|v| v.can(REPORTS_VIEW)) else {
        return view! { <PageHeader title="reports.title" crumbs=vec![]/><ForbiddenState/> }.into_any();
    };
    let can_view_sellers = operator.can(SELLERS_VIEW);
    let (kind, target, target_id, category, status, cursor) = (
        query_param("kind"),
        query_param("target"),
        query_param("target_id"),
        query_param("category"),
        query_param("status"),
        query_param("cursor"),
    );
    let reports = Resource::new(
        move || (kind(), target(), target_id(), category(), status(), cursor()),
        |(k, tg, id, c, s, cur)| list_reports(k, tg, id, c, s, cur),
    );
    let counters = Resource::new(|| (), |_| report_queue_counters());
    let filtered = move || {
        kind().is_some() || target().is_some() || category().is_some() || status().is_some() || cursor().is_some()
    };
    let lang = use_lang();
    let selected = |current: Option<String>, value: &str| current.as_deref() == Some(value);
    view! {
        <PageHeader title="reports.title" crumbs=vec![]/>
        <Transition fallback=|| ()>
            {move || counters.get().map(|r| match r {
                Ok(c) => view! { <Counters c/> }.into_any(),
                Err(e) => view! { <ErrorState error=e/> }.into_any(),
            })}
        </Transition>
        <Form method="GET" action="/console/reports" attr:aria-label=t("reports.filters") attr:data-testid="report-filters"
            attr:class="mb-4 grid gap-3 rounded-xl border border-slate-200 bg-white p-4 sm:grid-cols-2 lg:grid-cols-[1fr_1fr_1fr_1fr_auto] lg:items-end">
            {move || target_id().map(|id| view! { <input type="hidden" name="target_id" value=id/> })}
            <div class="space-y-1">
                <label for="filter-status" class=LABEL>{t("reports.filter.status")}</label>
                <select id="filter-status" name="status" class=INPUT aria-describedby="filter-status-error">
                    <option value="">{t("reports.filter.all")}</option>
                    {[ReportStatus::Open, ReportStatus::Resolved].into_iter().map(|s| view! {
                        <option value=s.as_str() selected=move || selected(status(), s.as_str())>{t(status_key(s))}</option>
                    }).collect_view()}
                </select>
                {filter_error(reports, "status")}
            </div>
            <div class="space-y-1">
                <label for="filter-kind" class=LABEL>{t("reports.filter.kind")}</label>
                <select id="filter-kind" name="kind" class=INPUT aria-describedby="filter-kind-error">
                    <option value="">{t("reports.filter.all")}</option>
                    {[ReportKind::Report, ReportKind::Appeal].into_iter().map(|k| view! {
                        <option value=k.as_str() selected=move || selected(kind(), k.as_str())>{t(kind_key(k))}</option>
                    }).collect_view()}
                </select>
                {filter_error(reports, "kind")}
            </div>
            <div class="space-y-1">
                <label for="filter-target" class=LABEL>{t("reports.filter.target")}</label>
                <select id="filter-target" name="target" class=INPUT aria-describedby="filter-target-error">
                    <option value="">{t("reports.filter.all")}</option>
                    {[ReportTarget::Listing, ReportTarget::Seller].into_iter().map(|tg| view! {
                        <option value=tg.as_str() selected=move || selected(target(), tg.as_str())>{t(target_key(tg))}</option>
                    }).collect_view()}
                </select>
                {filter_error(reports, "target")}
            </div>
            <div class="space-y-1">
                <label for="filter-category" class=LABEL>{t("reports.filter.category")}</label>
                <select id="filter-category" name="category" class=INPUT aria-describedby="filter-category-error">
                    <option value="">{t("reports.filter.all")}</option>
                    {ReportCategory::ALL.into_iter().map(|c| view! {
                        <option value=c.as_str() selected=move || selected(category(), c.as_str())>{t(category_key(c))}</option>
                    }).collect_view()}
                </select>
                {filter_error(reports, "category")}
            </div>
            <div class="flex gap-2">
                <button type="submit" class="rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-700">{t("action.filter")}</button>
                <a href="/console/reports" class="rounded-md px-3 py-2 text-sm text-slate-600 hover:bg-slate-100">{t("action.clear")}</a>
            </div>
        </Form>
        {move || match (target(), target_id()) {
            (Some(tg), Some(id)) => {
                let tg_key = ReportTarget::parse(&tg).map(target_key).unwrap_or("reports.filter.target");
                Some(view! {
                    <p data-testid="target-filter" class="mb-3 text-sm text-slate-600">
                        {move || fill(&translate(lang.get(), "reports.filter.on_target"), &[("target", translate(lang.get(), tg_key)), ("id", id.clone())])}
                    </p>
                })
            }
            _ => None,
        }}
        <Transition fallback=LoadingState>
            {move || reports.get().map(|r| match r {
                Err(e) if e.field().is_some() => ().into_any(),
                Err(e) => view! { <ErrorState error=e/> }.into_any(),
                Ok(page) if page.rows.is_empty() && (filtered() || target_id().is_some()) => view! {
                    <EmptyState title=Signal::derive(t("reports.empty"))/>
                }.into_any(),
                Ok(page) if page.rows.is_empty() => view! {
                    <EmptyState title=Signal::derive(t("reports.empty_all")) hint=Signal::derive(t("reports.empty_hint"))/>
                }.into_any(),
                Ok(page) => {
                    let base = query_string(&[
                        ("kind", kind()), ("target", target()), ("target_id", target_id()),
                        ("category", category()), ("status", status()),
                    ]);
                    view! {
                        <ReportsTable rows=page.rows can_view_sellers/>
                        <Pager next=page.next base_query=base is_first=cursor().is_none()/>
                    }.into_any()
                }
            })}
        </Transition>
    }
    .into_any()
}

#[component]
fn Counters(c: ReportCounters) -> impl IntoView {
    let card = |key: &'static str, n: i64, testid: &'static str, href: &'static str| {
        view! {
            <a href=href class="rounded-xl border border-slate-200 bg-white p-4 hover:border-indigo-300" data-testid=testid>
                <p class="text-xs font-medium uppercase tracking-wide text-slate-500">{t(key)}</p>
                <p class="mt-1 text-2xl font-semibold tabular-nums">{n}</p>
            </a>
        }
    };
    view! {
        <div class="mb-4 grid grid-cols-2 gap-3 lg:grid-cols-4">
            {card("reports.counter.open_reports", c.open_reports, "count-open-reports", "/console/reports?status=open&kind=report")}
            {card("reports.counter.open_appeals", c.open_appeals, "count-open-appeals", "/console/reports?status=open&kind=appeal")}
            {card("reports.counter.targets", c.reported_targets, "count-targets", "/console/reports?status=open&kind=report")}
            {card("reports.counter.repeated", c.repeated_targets, "count-repeated", "/console/reports?status=open&kind=report")}
        </div>
    }
}

#[component]
fn ReportsTable(rows: Vec<ReportRow>, can_view_sellers: bool) -> impl IntoView {
    view! {
        <div class="overflow-x-auto rounded-xl border border-slate-200 bg-white">
            <table class="min-w-full divide-y divide-slate-200 text-sm" data-testid="reports-table">
                <caption class="sr-only">{t("reports.caption")}</caption>
                <thead class="bg-slate-50">
                    <tr>
                        <th scope="col" class=TH>{t("reports.col.status")}</th>
                        <th scope="col" class=TH>{t("reports.col.target")}</th>
                        <th scope="col" class=TH>{t("reports.col.category")}</th>
                        <th scope="col" class=TH>{t("reports.col.excerpt")}</th>
                        <th scope="col" class=TH>{t("reports.col.reporter")}</th>
                        <th scope="col" class=TH>{t("reports.col.age")}</th>
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-100">
                    {rows.into_iter().map(|r| {
                        let href = format!("/console/reports/{}", r.id);
                        view! {
                            <tr class="hover:bg-slate-50" data-testid="report-row">
                                <td class=TD>
                                    <div class="space-y-1">
                                        <span class="block text-xs text-slate-500">{t(kind_key(r.kind))}</span>
                                        <CaseBadge row=r.clone()/>
                                    </div>
                                </td>
                                <td class=TD><TargetCell row=r.clone() can_view_sellers/></td>
                                <td class=TD>{t(category_key(r.category))}</td>
                                <td class=format!("{TD} max-w-xs")>
                                    <a href=href class="text-slate-800 hover:text-indigo-700 hover:underline" data-testid="case-link">{r.excerpt.clone()}</a>
                                </td>
                                <td class=TD>
                                    <span class="block">{r.reporter_name.clone()}</span>
                                    <span class="block text-xs text-slate-500">{r.reporter_email.clone()}</span>
                                </td>
                                <td class=format!("{TD} whitespace-nowrap text-slate-500")><Time ms=r.created_at_ms/></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trust::model::ReportFilter;

    #[test]
    fn every_filter_option_parses() {
        for k in [ReportKind::Report, ReportKind::Appeal] {
            assert!(ReportFilter::parse(Some(k.as_str()), None, None, None, None).is_ok());
        }
        for c in ReportCategory::ALL {
            assert!(ReportFilter::parse(None, None, None, Some(c.as_str()), None).is_ok());
        }
    }

    #[test]
    fn the_pager_keeps_only_set_filters() {
        assert_eq!(query_string(&[("kind", Some("report".into())), ("status", None)]), "kind=report");
    }
}
