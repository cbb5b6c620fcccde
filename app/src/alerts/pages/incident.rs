//! `/console/incidents/:id`: one incident — what fired and how often, when it was opened,
//! acknowledged and resolved, the rule's silence — its timeline, and with `alerts.manage` the forms
//! that acknowledge it, add a note and resolve it.

use super::incident_forms::{AckForm, IncidentActions, NoteForm, ResolveForm};
use super::shared::{metric_label, StateBadge};
use crate::alerts::api::incident;
use crate::alerts::model::{IncidentDetail, IncidentEvent};
use crate::components::styles::{LINK, MUTED};
use crate::components::{
    label_or_raw, DetailHeader, DetailResult, DoneNotice, Field, Fields, ForbiddenState, Section, Time,
};
use crate::domain::alerts::Metric;
use crate::domain::permissions::{ALERTS_MANAGE, ALERTS_VIEW};
use crate::error::AppError;
use crate::frame::console::shell::{use_operator, PageHeader};
use crate::i18n::{fill, t, translate, use_lang};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn IncidentPage() -> impl IntoView {
    let crumbs = vec![("console.incidents", "/console/incidents")];
    let Some(operator) = use_operator().filter(|v| v.can(ALERTS_VIEW)) else {
        return view! { <PageHeader title="incidents_page.detail" crumbs/><ForbiddenState/> }.into_any();
    };
    let can_manage = operator.can(ALERTS_MANAGE);
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id")).and_then(|s| s.parse::<i64>().ok()).filter(|id| *id > 0);
    let (refresh, notice) = (RwSignal::new(0u32), RwSignal::new(None::<&'static str>));
    let actions = IncidentActions::new(refresh, notice);
    let detail = Resource::new(
        move || (id(), refresh.get()),
        |(id, _)| async move {
            match id {
                Some(id) => incident(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <PageHeader title="incidents_page.detail" crumbs/>
        <div class="mb-4"><DoneNotice notice/></div>
        <DetailResult resource=detail not_found="incidents_page.not_found" let:d>
            <IncidentBody d can_manage actions/>
        </DetailResult>
    }
    .into_any()
}

#[component]
fn IncidentBody(d: IncidentDetail, can_manage: bool, actions: IncidentActions) -> impl IntoView {
    let lang = use_lang();
    let i = d.incident.clone();
    let (id, state) = (i.id, i.state.clone());
    let title = i.title.clone();
    let heading = move || {
        fill(&translate(lang.get(), "incidents_page.heading"), &[("id", id.to_string()), ("title", title.clone())])
    };
    let badge_state = state.clone();
    let manage = can_manage && d.can_manage;
    let events = d.events.clone();
    view! {
        <div class="grid gap-6 lg:grid-cols-3">
            <div class="space-y-6 lg:col-span-2">
                <Section id="incident-facts-title" title=t("incidents_page.detail") testid="incident-facts" hide_title=true>
                    <DetailHeader title=heading
                        subtitle=move || view! { <a href="/console/alerts" class=LINK data-testid="rules-link">{t("incidents_page.rules_link")}</a> }
                        badge=move || view! { <StateBadge state=badge_state testid="incident-state"/> }/>
                    <div class="mt-4"><Facts d/></div>
                </Section>
                <Section id="incident-timeline-title" title=t("incidents_page.timeline")>
                    <EventList events/>
                </Section>
            </div>
            {manage.then(|| view! {
                <div class="space-y-6">
                    {(state == "open").then(|| view! { <AckForm id actions/> })}
                    <NoteForm id actions/>
                    {(state != "resolved").then(|| view! { <ResolveForm id actions/> })}
                </div>
            })}
        </div>
    }
}

#[component]
fn Facts(d: IncidentDetail) -> impl IntoView {
    let lang = use_lang();
    let i = d.incident;
    let metric = i.metric.clone();
    let below = Metric::parse(&i.metric).is_some_and(Metric::fires_below);
    let threshold = i.threshold;
    let fires = move || {
        let key = if below { "incidents_page.fires_below" } else { "incidents_page.fires_above" };
        fill(&translate(lang.get(), key), &[("threshold", threshold.to_string())])
    };
    view! {
        <Fields>
            <Field label="incidents_page.rule"><span data-testid="incident-rule">{i.title.clone()}</span>" (#"{i.rule_id}")"</Field>
            <Field label="incidents_page.metric">{move || metric_label(lang.get(), &metric)}</Field>
            <Field label="incidents_page.threshold"><span class="tabular-nums">{fires}</span></Field>
            <Field label="incidents_page.opened_value"><span class="tabular-nums">{i.opened_value}</span></Field>
            <Field label="incidents_page.last_value"><span class="tabular-nums" data-testid="incident-last-value">{i.last_value}</span></Field>
            <Field label="incidents_page.fired"><span class="tabular-nums" data-testid="incident-fire-count">{i.fire_count}</span></Field>
            <Field label="incidents_page.col.opened"><Time ms=i.opened_at_ms/></Field>
            <Field label="incidents_page.col.last_fired"><Time ms=i.last_fired_at_ms/></Field>
            {i.acknowledged_at_ms.map(|ms| view! { <Field label="incidents_page.acknowledged_at"><Time ms/></Field> })}
            {i.resolved_at_ms.map(|ms| view! { <Field label="incidents_page.resolved_at"><Time ms/></Field> })}
            {d.rule_silenced_until_ms.map(|ms| view! {
                <Field label="incidents_page.silenced_until"><span data-testid="incident-silenced-until"><Time ms/></span></Field>
            })}
        </Fields>
    }
}

/// The timeline: when, what (`incidents.event.<kind>`), who, and the note.
#[component]
fn EventList(events: Vec<IncidentEvent>) -> impl IntoView {
    let lang = use_lang();
    let none =
        events.is_empty().then(|| view! { <p class=format!("mt-2 {MUTED}")>{t("incidents_page.no_events")}</p> });
    view! {
        {none}
        <ol class="mt-2 divide-y divide-slate-100" data-testid="incident-timeline">
            {events.into_iter().map(|e| {
                let kind = e.kind.clone();
                view! {
                    <li class="py-2 text-sm" data-testid="incident-event" data-kind=e.kind.clone()>
                        <p class="flex flex-wrap items-baseline gap-x-2">
                            <span class="font-medium text-slate-800" data-testid="event-what">{move || label_or_raw(lang.get(), "incidents.event.", &kind)}</span>
                            <span class="text-xs text-slate-500"><Time ms=e.at_ms/>" · "{e.actor.clone()}</span>
                        </p>
                        {(!e.note.is_empty()).then(|| view! { <p class="whitespace-pre-wrap text-slate-600" data-testid="event-note">{e.note.clone()}</p> })}
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}
