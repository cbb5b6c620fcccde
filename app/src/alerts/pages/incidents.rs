//! `/console/incidents`: the incidents, newest first; by default the unresolved ones, or those in
//! one state. Each links to its page.

use super::shared::{threshold_text, SeverityBadge, StateBadge};
use crate::alerts::api::incidents;
use crate::alerts::model::IncidentRow;
use crate::components::states::error_text;
use crate::components::styles::{LINK, ROW_LINK, TD};
use crate::components::{query_param, DataTable, FilterBar, ForbiddenState, ListResult, SelectFilter, Time};
use crate::domain::alerts::IncidentState;
use crate::domain::permissions::ALERTS_VIEW;
use crate::error::AppError;
use crate::frame::console::shell::{use_operator, PageHeader};
use crate::i18n::{t, use_lang};
use leptos::prelude::*;

#[component]
pub fn IncidentsPage() -> impl IntoView {
    if !use_operator().is_some_and(|v| v.can(ALERTS_VIEW)) {
        return view! { <PageHeader title="console.incidents" crumbs=vec![]/><ForbiddenState/> }.into_any();
    }
    let (state, cursor) = (query_param("state"), query_param("cursor"));
    let list = Resource::new(move || (state(), cursor()), |(s, c)| incidents(s, c));
    let lang = use_lang();
    let filter_error = Signal::derive(move || match list.get() {
        Some(Err(e)) if e.field().is_some() => Some(error_text(lang.get(), &e)),
        _ => None,
    });
    let states = IncidentState::ALL.into_iter().map(|s| (s.key(), format!("incidents.state.{}", s.key()))).collect();
    view! {
        <PageHeader title="console.incidents" crumbs=vec![]>
            <a href="/console/alerts" class=format!("text-sm font-medium {LINK}") data-testid="rules-link">{t("incidents_page.rules_link")}</a>
        </PageHeader>
        <p class="mb-4 max-w-prose text-sm text-slate-500">{t("incidents_page.intro")}</p>
        <div class="mb-4">
            <FilterBar action="/console/incidents" label="incidents_page.filters" testid="incident-filters" error=filter_error>
                <SelectFilter name="state" label="incidents_page.filter.state" all="incidents_page.filter.unresolved" options=states/>
            </FilterBar>
        </div>
        <ListResult resource=list empty="incidents_page.empty" empty_hint="incidents_page.empty_hint" keep=&["state"]
            on_error=|e: AppError| e.field().is_some().then(|| ().into_any()) let:rows>
            <IncidentsTable rows/>
        </ListResult>
    }
    .into_any()
}

#[component]
fn IncidentsTable(rows: Vec<IncidentRow>) -> impl IntoView {
    let lang = use_lang();
    let columns = vec![
        "incidents_page.col.id",
        "incidents_page.col.title",
        "incidents_page.col.severity",
        "incidents_page.col.state",
        "incidents_page.col.opened",
        "incidents_page.col.last_fired",
        "incidents_page.col.fired",
        "incidents_page.col.value",
    ];
    view! {
        <DataTable caption="incidents_page.caption" columns testid="incidents-table">
            {rows.into_iter().map(|r| {
                let (metric, value, threshold) = (r.metric.clone(), r.last_value, r.threshold);
                view! {
                    <tr class="hover:bg-slate-50" data-testid="incident-row" data-id=r.id data-state=r.state.clone()>
                        <td class=format!("{TD} whitespace-nowrap")>
                            <a href=format!("/console/incidents/{}", r.id) class=ROW_LINK data-testid="incident-link">"#"{r.id}</a>
                        </td>
                        <td class=format!("{TD} font-medium text-slate-900")>{r.title.clone()}</td>
                        <td class=TD><SeverityBadge severity=r.severity.clone()/></td>
                        <td class=TD><StateBadge state=r.state.clone()/></td>
                        <td class=format!("{TD} whitespace-nowrap")><Time ms=r.opened_at_ms/></td>
                        <td class=format!("{TD} whitespace-nowrap")><Time ms=r.last_fired_at_ms/></td>
                        <td class=format!("{TD} tabular-nums")>{r.fire_count}</td>
                        <td class=format!("{TD} tabular-nums")>
                            <span class="font-medium" data-testid="incident-value">{value}</span>
                            <div class="whitespace-nowrap text-xs text-slate-500">{move || threshold_text(lang.get(), &metric, threshold)}</div>
                        </td>
                    </tr>
                }
            }).collect_view()}
        </DataTable>
    }
}
