//! `/console/alerts`: every alert rule, what it watches in words, who it tells, whether it is on,
//! off or silenced, the value it last measured and its unresolved incident; with `alerts.manage`,
//! switching a rule off and on, silencing it (or ending the silence) and a new rule's form.

use super::rule_form::RuleForm;
use super::shared::{condition_text, SeverityBadge};
use super::silence::{EndSilenceForm, SilenceForm};
use crate::alerts::api::{alert_rules, SetAlertRuleEnabled};
use crate::alerts::model::{RuleRow, RulesView};
use crate::components::form::form_error;
use crate::components::list::empty_state;
use crate::components::styles::{BUTTON_LINK, BUTTON_SECONDARY_SMALL, LINK, MUTED, TD};
use crate::components::{
    notify_and_reload, DataTable, DetailResult, DoneNotice, ForbiddenState, FormAlert, StatusBadge, Time, Tone,
};
use crate::domain::permissions::{ALERTS_MANAGE, ALERTS_VIEW};
use crate::frame::console::shell::{use_operator, PageHeader};
use crate::i18n::{t, translate, use_lang};
use leptos::prelude::*;

#[component]
pub fn RulesPage() -> impl IntoView {
    let Some(operator) = use_operator().filter(|v| v.can(ALERTS_VIEW)) else {
        return view! { <PageHeader title="console.alerts" crumbs=vec![]/><ForbiddenState/> }.into_any();
    };
    let can_manage = operator.can(ALERTS_MANAGE);
    let (refresh, notice) = (RwSignal::new(0u32), RwSignal::new(None::<&'static str>));
    let rules = Resource::new(move || refresh.get(), |_| alert_rules());
    view! {
        <PageHeader title="console.alerts" crumbs=vec![]>
            <a href="/console/incidents" class=format!("text-sm font-medium {LINK}") data-testid="incidents-link">{t("alerts_page.incidents_link")}</a>
        </PageHeader>
        <p class=format!("mb-4 max-w-prose {MUTED}")>{t("alerts_page.intro")}</p>
        <div class="mb-4"><DoneNotice notice/></div>
        <DetailResult resource=rules let:data>
            <Rules data refresh notice/>
        </DetailResult>
        {can_manage.then(|| view! { <div class="mt-8"><RuleForm refresh notice/></div> })}
    }
    .into_any()
}

#[component]
fn Rules(data: RulesView, refresh: RwSignal<u32>, notice: RwSignal<Option<&'static str>>) -> impl IntoView {
    if data.rules.is_empty() {
        return empty_state("alerts_page.empty", Some("alerts_page.empty_hint"));
    }
    let can_manage = data.can_manage;
    let mut columns = vec![
        "alerts_page.col.rule",
        "alerts_page.col.severity",
        "alerts_page.col.recipients",
        "alerts_page.col.state",
        "alerts_page.col.last_value",
        "alerts_page.col.incident",
    ];
    columns.extend(can_manage.then_some("alerts_page.col.actions"));
    view! {
        <DataTable caption="alerts_page.caption" columns testid="rules-table">
            {data.rules.into_iter().map(|rule| view! { <RuleLine rule can_manage refresh notice/> }).collect_view()}
        </DataTable>
    }
    .into_any()
}

#[component]
fn RuleLine(
    rule: RuleRow,
    can_manage: bool,
    refresh: RwSignal<u32>,
    notice: RwSignal<Option<&'static str>>,
) -> impl IntoView {
    let lang = use_lang();
    let (metric, threshold, window) = (rule.metric.clone(), rule.threshold, rule.window_minutes);
    let hint_key = format!("alerts.metric_hint.{}", rule.metric);
    let (last_value, last_at, incident) = (rule.last_value, rule.last_evaluated_at_ms, rule.unresolved_incident);
    let (recipients, state) = (rule.clone(), rule.clone());
    let (id, metric_key, name, severity) = (rule.id, rule.metric.clone(), rule.name.clone(), rule.severity.clone());
    // The silence form opens in a row of its own under the rule's, across the table.
    let silencing = RwSignal::new(false);
    view! {
        <tr data-testid="rule-row" data-id=id data-metric=metric_key>
            <td class=format!("{TD} min-w-[12rem]")>
                <div class="font-medium text-slate-900" data-testid="rule-name">{name}</div>
                <div class="text-slate-700" data-testid="rule-condition">{move || condition_text(lang.get(), &metric, threshold, window)}</div>
                <p class="mt-0.5 max-w-xs text-xs text-slate-500">{move || translate(lang.get(), &hint_key)}</p>
            </td>
            <td class=TD><SeverityBadge severity/></td>
            <td class=format!("{TD} min-w-[8rem] text-slate-700")><Recipients rule=recipients/></td>
            <td class=TD><RuleState rule=state/></td>
            <td class=TD>
                {match (last_value, last_at) {
                    (Some(v), at) => view! {
                        <span class="tabular-nums font-medium" data-testid="rule-last-value">{v}</span>
                        {at.map(|ms| view! { <div class="text-xs text-slate-500"><Time ms/></div> })}
                    }.into_any(),
                    (None, _) => view! { <span class=MUTED>{t("alerts_page.not_measured")}</span> }.into_any(),
                }}
            </td>
            <td class=format!("{TD} whitespace-nowrap")>
                {match incident {
                    Some(id) => view! { <a class=LINK href=format!("/console/incidents/{id}") data-testid="rule-incident">"#"{id}</a> }.into_any(),
                    None => view! { <span class="text-slate-400">"—"</span> }.into_any(),
                }}
            </td>
            {can_manage.then(|| view! { <td class=format!("{TD} whitespace-nowrap")><RuleActions rule refresh notice silencing/></td> })}
        </tr>
        {move || (can_manage && silencing.get()).then(|| view! {
            <tr data-testid="silence-row" data-id=id>
                <td colspan="7" class="bg-slate-50 px-4 py-3"><SilenceForm id refresh notice/></td>
            </tr>
        })}
    }
}

/// Who a rule tells: operators, the platform's webhooks, the addresses.
#[component]
fn Recipients(rule: RuleRow) -> impl IntoView {
    view! {
        <ul class="space-y-0.5 text-xs" data-testid="rule-recipients">
            {rule.notify_operators.then(|| view! { <li>{t("alerts_page.recipient.operators")}</li> })}
            {rule.notify_webhook.then(|| view! { <li>{t("alerts_page.recipient.webhooks")}</li> })}
            {rule.emails.into_iter().map(|e| view! { <li class="break-all font-mono">{e}</li> }).collect_view()}
        </ul>
    }
}

/// On, off, or silenced until a time (with the reason given).
#[component]
fn RuleState(rule: RuleRow) -> impl IntoView {
    let (tone, key, status) = match (rule.enabled, rule.silenced_until_ms) {
        (false, _) => (Tone::Neutral, "alerts_page.state.off", "off"),
        (true, Some(_)) => (Tone::Warning, "alerts_page.state.silenced", "silenced"),
        (true, None) => (Tone::Success, "alerts_page.state.on", "on"),
    };
    view! {
        <StatusBadge tone label=t(key) testid="rule-state" status=status/>
        {rule.silenced_until_ms.map(|until| view! {
            <div class="mt-1 whitespace-nowrap text-xs text-slate-600" data-testid="silenced-until">{t("alerts_page.until")}" "<Time ms=until/></div>
            {(!rule.silence_reason.is_empty()).then(|| view! { <p class="mt-0.5 max-w-[14rem] text-xs text-slate-500">{rule.silence_reason.clone()}</p> })}
        })}
    }
}

/// Turn off / on; end the silence, or silence the rule for a while.
#[component]
fn RuleActions(
    rule: RuleRow,
    refresh: RwSignal<u32>,
    notice: RwSignal<Option<&'static str>>,
    silencing: RwSignal<bool>,
) -> impl IntoView {
    let toggle = ServerAction::<SetAlertRuleEnabled>::new();
    let done = if rule.enabled { "alerts_page.turned_off" } else { "alerts_page.turned_on" };
    notify_and_reload(move || toggle.value().get(), refresh, notice, done);
    let result = move || toggle.value().get();
    let (id, enabled) = (rule.id, rule.enabled);
    view! {
        <div class="flex flex-col items-start gap-2">
            <div class="flex flex-wrap gap-2">
                <ActionForm action=toggle attr:data-testid="toggle-rule-form">
                    <input type="hidden" name="id" value=id/>
                    <input type="hidden" name="enabled" value=(!enabled).to_string()/>
                    <button type="submit" class=BUTTON_SECONDARY_SMALL disabled=move || toggle.pending().get()>
                        {t(if enabled { "alerts_page.turn_off" } else { "alerts_page.turn_on" })}
                    </button>
                </ActionForm>
                {(enabled && rule.silenced_until_ms.is_some()).then(|| view! { <EndSilenceForm id refresh notice/> })}
            </div>
            {(enabled && rule.silenced_until_ms.is_none()).then(|| view! {
                <button type="button" class=BUTTON_LINK data-testid="silence-toggle" aria-expanded=move || silencing.get().to_string()
                    on:click=move |_| silencing.update(|open| *open = !*open)>
                    {t("alerts_page.silence")}
                </button>
            })}
            <FormAlert error=form_error(result)/>
        </div>
    }
}
