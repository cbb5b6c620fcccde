//! The trust & safety queue: counters, filters (a GET form, so a filtered view can be bookmarked),
//! and the cases, open first. Repeated reports on one target read as one problem: each row says how
//! many open reports its target has and links to them all.

use crate::components::styles::TD;
use crate::components::{
    list_filter_error, query_param, shown_by_filters, Counter, Counters, DataTable, DetailResult, FilterBar,
    ForbiddenState, ListResult, SelectFilter, StatusBadge, Time, Tone,
};
use crate::domain::permissions::{REPORTS_VIEW, SELLERS_VIEW};
use crate::domain::report::{ReportCategory, ReportKind, ReportStatus, ReportTarget};
use crate::frame::console::shell::{use_operator, PageHeader};
use crate::i18n::{fill, t, translate, use_lang};
use crate::trust::api::{list_reports, report_queue_counters};
use crate::trust::model::{
    category_key, kind_key, outcome_key, status_key, target_href, target_key, ReportCounters, ReportRow,
};
use leptos::prelude::*;

/// A case's badge: its state while open, its outcome once decided (message key and tone).
pub(super) fn case_state(row: &ReportRow) -> (&'static str, Tone) {
    match (row.status, row.resolution) {
        (ReportStatus::Open, _) | (_, None) => (status_key(row.status), Tone::Warning),
        (_, Some(r)) => (outcome_key(row.kind, r), Tone::Neutral),
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
    // A filtered queue that comes back empty says so; the unfiltered one explains what it is for.
    let filtered = Memo::new(move |_| {
        kind().is_some()
            || target().is_some()
            || target_id().is_some()
            || category().is_some()
            || status().is_some()
            || cursor().is_some()
    });
    let keep: &'static [&'static str] = &["kind", "target", "target_id", "category", "status"];
    view! {
        <PageHeader title="reports.title" crumbs=vec![]/>
        <div class="mb-4">
            <DetailResult resource=counters let:c><QueueCounters c/></DetailResult>
        </div>
        <div class="mb-4"><ReportFilters error=list_filter_error(reports)/></div>
        <TargetNote/>
        {move || if filtered.get() {
            view! {
                <ListResult resource=reports empty="reports.empty" keep on_error=shown_by_filters let:rows>
                    <ReportsTable rows can_view_sellers/>
                </ListResult>
            }.into_any()
        } else {
            view! {
                <ListResult resource=reports empty="reports.empty_all" empty_hint="reports.empty_hint" keep
                    on_error=shown_by_filters let:rows>
                    <ReportsTable rows can_view_sellers/>
                </ListResult>
            }.into_any()
        }}
    }
    .into_any()
}

#[component]
fn ReportFilters(error: Signal<Option<String>>) -> impl IntoView {
    let target_id = query_param("target_id");
    let statuses = [ReportStatus::Open, ReportStatus::Resolved]
        .into_iter()
        .map(|s| (s.as_str(), status_key(s).to_string()))
        .collect();
    let kinds =
        [ReportKind::Report, ReportKind::Appeal].into_iter().map(|k| (k.as_str(), kind_key(k).to_string())).collect();
    let targets = [ReportTarget::Listing, ReportTarget::Seller]
        .into_iter()
        .map(|tg| (tg.as_str(), target_key(tg).to_string()))
        .collect();
    let categories = ReportCategory::ALL.into_iter().map(|c| (c.as_str(), category_key(c).to_string())).collect();
    view! {
        <FilterBar action="/console/reports" label="reports.filters" testid="report-filters" error>
            {move || target_id().map(|id| view! { <input type="hidden" name="target_id" value=id/> })}
            <SelectFilter name="status" label="reports.filter.status" all="reports.filter.all" options=statuses/>
            <SelectFilter name="kind" label="reports.filter.kind" all="reports.filter.all" options=kinds/>
            <SelectFilter name="target" label="reports.filter.target" all="reports.filter.all" options=targets/>
            <SelectFilter name="category" label="reports.filter.category" all="reports.filter.all" options=categories/>
            <a href="/console/reports" class="rounded-md px-3 py-2 text-sm text-slate-600 hover:bg-slate-100">{t("action.clear")}</a>
        </FilterBar>
    }
}

/// "Reports on listing 42" when the queue is narrowed to one target (from a row's report count).
#[component]
fn TargetNote() -> impl IntoView {
    let lang = use_lang();
    let (target, target_id) = (query_param("target"), query_param("target_id"));
    move || match (target(), target_id()) {
        (Some(tg), Some(id)) => {
            let tg_key = ReportTarget::parse(&tg).map(target_key).unwrap_or("reports.filter.target");
            Some(view! {
                <p data-testid="target-filter" class="mb-3 text-sm text-slate-600">
                    {move || fill(&translate(lang.get(), "reports.filter.on_target"), &[("target", translate(lang.get(), tg_key)), ("id", id.clone())])}
                </p>
            })
        }
        _ => None,
    }
}

#[component]
fn QueueCounters(c: ReportCounters) -> impl IntoView {
    let open_reports = "/console/reports?status=open&kind=report";
    view! {
        <Counters columns=4>
            <Counter label="reports.counter.open_reports" value=c.open_reports.to_string() testid="count-open-reports" href=open_reports/>
            <Counter label="reports.counter.open_appeals" value=c.open_appeals.to_string() testid="count-open-appeals"
                href="/console/reports?status=open&kind=appeal"/>
            <Counter label="reports.counter.targets" value=c.reported_targets.to_string() testid="count-targets" href=open_reports/>
            <Counter label="reports.counter.repeated" value=c.repeated_targets.to_string() testid="count-repeated" href=open_reports/>
        </Counters>
    }
}

#[component]
fn ReportsTable(rows: Vec<ReportRow>, can_view_sellers: bool) -> impl IntoView {
    let columns = vec![
        "reports.col.status",
        "reports.col.target",
        "reports.col.category",
        "reports.col.excerpt",
        "reports.col.reporter",
        "reports.col.age",
    ];
    view! {
        <DataTable caption="reports.caption" columns testid="reports-table">
            {rows.into_iter().map(|r| {
                let href = format!("/console/reports/{}", r.id);
                let (state, tone) = case_state(&r);
                view! {
                    <tr class="hover:bg-slate-50" data-testid="report-row">
                        <td class=TD>
                            <div class="space-y-1">
                                <span class="block text-xs text-slate-500">{t(kind_key(r.kind))}</span>
                                <StatusBadge tone label=t(state) testid="case-status"/>
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
        </DataTable>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::components::query_string;
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
