//! `/console/risk`: the signals, newest first; by default the unresolved ones, narrowed by state,
//! rule and scope. Each links to its page and to its subject.

use crate::alerts::pages::shared::{SeverityBadge, StateBadge};
use crate::components::styles::{LINK, MUTED, ROW_LINK, TD};
use crate::components::{
    label_or_raw, list_filter_error, query_param, shown_by_filters, DataTable, FilterBar, ForbiddenState, ListResult,
    SelectFilter, Time,
};
use crate::domain::alerts::IncidentState;
use crate::domain::permissions::RISK_VIEW;
use crate::domain::risk::{Rule, Scope};
use crate::frame::console::shell::{use_operator, PageHeader};
use crate::i18n::{t, translate, use_lang};
use crate::risk::api::risk_signals;
use crate::risk::model::SignalRow;
use leptos::prelude::*;

#[component]
pub fn RiskPage() -> impl IntoView {
    if !use_operator().is_some_and(|v| v.can(RISK_VIEW)) {
        return view! { <PageHeader title="console.risk" crumbs=vec![]/><ForbiddenState/> }.into_any();
    }
    let (state, rule, scope, cursor) =
        (query_param("state"), query_param("rule"), query_param("scope"), query_param("cursor"));
    let list = Resource::new(
        move || (state(), rule(), scope(), cursor()),
        |(state, rule, scope, cursor)| risk_signals(state, rule, scope, cursor),
    );
    let filter_error = list_filter_error(list);
    let states = IncidentState::ALL.into_iter().map(|s| (s.key(), format!("incidents.state.{}", s.key()))).collect();
    let rules = Rule::ALL.into_iter().map(|r| (r.key(), format!("risk.rule.{}", r.key()))).collect();
    let scopes = Scope::ALL.into_iter().map(|s| (s.key(), format!("risk.scope.{}", s.key()))).collect();
    view! {
        <PageHeader title="console.risk" crumbs=vec![]/>
        <p class=format!("mb-4 max-w-prose {MUTED}")>
            {t("risk_page.intro")}" "
            <a href="/console/settings" class=LINK data-testid="risk-settings-link">{t("risk_page.intro_settings")}</a>
        </p>
        <div class="mb-4">
            <FilterBar action="/console/risk" label="risk_page.filters" testid="signal-filters" error=filter_error>
                <SelectFilter name="state" label="risk_page.filter.state" all="risk_page.filter.unresolved" options=states/>
                <SelectFilter name="rule" label="risk_page.filter.rule" all="risk_page.filter.all_rules" options=rules/>
                <SelectFilter name="scope" label="risk_page.filter.scope" all="risk_page.filter.all_scopes" options=scopes/>
            </FilterBar>
        </div>
        <ListResult resource=list empty="risk_page.empty" empty_hint="risk_page.empty_hint" keep=&["state", "rule", "scope"]
            on_error=shown_by_filters let:rows>
            <SignalsTable rows/>
        </ListResult>
    }
    .into_any()
}

#[component]
fn SignalsTable(rows: Vec<SignalRow>) -> impl IntoView {
    let lang = use_lang();
    let columns = vec![
        "risk_page.col.signal",
        "risk_page.col.subject",
        "risk_page.col.severity",
        "risk_page.col.state",
        "risk_page.col.owner",
        "risk_page.col.evidence",
        "risk_page.col.last_seen",
    ];
    view! {
        <DataTable caption="risk_page.caption" columns testid="signals-table">
            {rows.into_iter().map(|r| {
                let (rule, scope) = (r.rule.clone(), r.scope.clone());
                let facts = r.evidence.iter().take(2).cloned().collect::<Vec<_>>();
                view! {
                    <tr class="hover:bg-slate-50" data-testid="signal-row" data-id=r.id data-state=r.state.clone() data-rule=r.rule.clone()>
                        <td class=TD>
                            <a href=format!("/console/risk/{}", r.id) class=ROW_LINK data-testid="signal-link">"#"{r.id}</a>
                            <div class="text-slate-700">{move || label_or_raw(lang.get(), "risk.rule.", &rule)}</div>
                        </td>
                        <td class=TD>
                            <div class="text-xs text-slate-500">{move || label_or_raw(lang.get(), "risk.scope.", &scope)}</div>
                            <a href=r.subject_page.clone() class=LINK data-testid="signal-subject">{r.subject_label.clone()}</a>
                        </td>
                        <td class=TD><SeverityBadge severity=r.severity.clone()/></td>
                        <td class=TD><StateBadge state=r.state.clone()/></td>
                        <td class=TD>{match r.owner.clone() {
                            Some(owner) => owner.into_any(),
                            None => view! { <span class="text-slate-500">{t("risk_page.unowned")}</span> }.into_any(),
                        }}</td>
                        <td class=format!("{TD} text-slate-700")>
                            <ul class="space-y-0.5" data-testid="signal-evidence">
                                {facts.into_iter().map(|f| {
                                    let key = f.key.clone();
                                    view! { <li><span class="text-slate-500">{move || label_or_raw(lang.get(), "risk.fact.", &key)}": "</span><span class="tabular-nums">{f.value.clone()}</span></li> }
                                }).collect_view()}
                            </ul>
                        </td>
                        <td class=format!("{TD} whitespace-nowrap")>
                            <Time ms=r.last_seen_at_ms/>
                            <div class="text-xs text-slate-500" data-testid="signal-seen-count">
                                {move || crate::i18n::fill(&translate(lang.get(), "risk_page.seen_times"), &[("count", r.seen_count.to_string())])}
                            </div>
                        </td>
                    </tr>
                }
            }).collect_view()}
        </DataTable>
    }
}
