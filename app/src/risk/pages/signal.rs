//! `/console/risk/:id`: one signal — its subject and the action that fits (a link to the subject's
//! page, where the action is taken with its own permission and reason), its evidence, its timeline,
//! and with `risk.manage` the forms that take, acknowledge, note and resolve it.

use super::forms::{AckForm, NoteForm, ResolveForm, SignalActions, TakeForm};
use crate::alerts::pages::shared::{SeverityBadge, StateBadge};
use crate::components::styles::{BUTTON_PRIMARY, HINT, LINK, MUTED};
use crate::components::{
    label_or_raw, DetailHeader, DetailResult, DoneNotice, Field, Fields, ForbiddenState, Section, Time,
};
use crate::domain::permissions::{RISK_MANAGE, RISK_VIEW};
use crate::error::AppError;
use crate::frame::console::shell::{use_operator, PageHeader};
use crate::i18n::{fill, t, translate, use_lang};
use crate::risk::api::risk_signal;
use crate::risk::model::{SignalDetail, SignalEvent, SignalRow};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn SignalPage() -> impl IntoView {
    let crumbs = vec![("console.risk", "/console/risk")];
    let Some(operator) = use_operator().filter(|v| v.can(RISK_VIEW)) else {
        return view! { <PageHeader title="risk_page.detail" crumbs/><ForbiddenState/> }.into_any();
    };
    let can_manage = operator.can(RISK_MANAGE);
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id")).and_then(|s| s.parse::<i64>().ok()).filter(|id| *id > 0);
    let (refresh, notice) = (RwSignal::new(0u32), RwSignal::new(None::<&'static str>));
    let actions = SignalActions::new(refresh, notice);
    let detail = Resource::new(
        move || (id(), refresh.get()),
        |(id, _)| async move {
            match id {
                Some(id) => risk_signal(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <PageHeader title="risk_page.detail" crumbs/>
        <div class="mb-4"><DoneNotice notice/></div>
        <DetailResult resource=detail not_found="risk_page.not_found" let:d>
            <SignalBody d can_manage actions/>
        </DetailResult>
    }
    .into_any()
}

#[component]
fn SignalBody(d: SignalDetail, can_manage: bool, actions: SignalActions) -> impl IntoView {
    let lang = use_lang();
    let s = d.signal.clone();
    let (id, state) = (s.id, s.state.clone());
    let rule = s.rule.clone();
    let heading = move || {
        fill(
            &translate(lang.get(), "risk_page.heading"),
            &[("id", id.to_string()), ("rule", label_or_raw(lang.get(), "risk.rule.", &rule))],
        )
    };
    let (badge_state, severity) = (state.clone(), s.severity.clone());
    let owner = s.owner.clone();
    let manage = can_manage && d.can_manage;
    let resolved = state == "resolved";
    let events = d.events.clone();
    let subject = s.clone();
    view! {
        <div class="grid gap-6 lg:grid-cols-3">
            <div class="space-y-6 lg:col-span-2">
                <Section id="signal-facts-title" title=t("risk_page.detail") testid="signal-facts" hide_title=true>
                    <DetailHeader title=heading
                        subtitle=move || view! {
                            <span data-testid="signal-owner">{match owner.clone() {
                                Some(o) => view! { {t("risk_page.owner")}": "{o} }.into_any(),
                                None => t("risk_page.unowned").into_any(),
                            }}</span>
                        }
                        badge=move || view! {
                            <div class="flex flex-wrap justify-end gap-2">
                                <SeverityBadge severity testid="signal-severity"/>
                                <StateBadge state=badge_state testid="signal-state"/>
                            </div>
                        }/>
                </Section>
                <Section id="signal-subject-title" title=t("risk_page.subject")>
                    <Subject s=subject/>
                </Section>
                <Section id="signal-evidence-title" title=t("risk_page.evidence")>
                    <Evidence s/>
                </Section>
                <Section id="signal-timeline-title" title=t("risk_page.timeline")>
                    <EventList events/>
                </Section>
            </div>
            {manage.then(|| view! {
                <div class="space-y-6">
                    {(!d.mine && !resolved).then(|| view! { <TakeForm id actions/> })}
                    {(state == "open").then(|| view! { <AckForm id actions/> })}
                    <NoteForm id actions/>
                    {(!resolved).then(|| view! { <ResolveForm id actions/> })}
                </div>
            })}
        </div>
    }
}

/// The subject and the link to where its action is taken.
#[component]
fn Subject(s: SignalRow) -> impl IntoView {
    let lang = use_lang();
    let (scope, action) = (s.scope.clone(), s.action.clone());
    let page = s.subject_page.clone();
    view! {
        <Fields>
            <Field label="risk_page.scope">{move || label_or_raw(lang.get(), "risk.scope.", &scope)}</Field>
            <Field label="risk_page.subject">
                <a href=s.subject_page.clone() class=LINK data-testid="signal-subject">{s.subject_label.clone()}</a>
                <span class="text-slate-500">" (#"{s.subject_id}")"</span>
            </Field>
        </Fields>
        <div class="mt-4 space-y-2">
            <a href=page class=BUTTON_PRIMARY data-testid="signal-action" data-action=s.action.clone()>
                {move || label_or_raw(lang.get(), "risk.action.", &action)}
            </a>
            <p class=HINT>{t("risk_page.action_hint")}</p>
        </div>
    }
}

/// Every fact (`risk.fact.<key>`, an unknown key as is), then when and how often it was seen.
#[component]
fn Evidence(s: SignalRow) -> impl IntoView {
    let lang = use_lang();
    let seen = s.seen_count;
    view! {
        <dl class="mt-2 divide-y divide-slate-100" data-testid="signal-evidence">
            {s.evidence.into_iter().map(|f| {
                let key = f.key.clone();
                view! {
                    <div class="grid grid-cols-3 gap-2 py-2 text-sm" data-testid="signal-fact" data-key=f.key.clone()>
                        <dt class="text-slate-500">{move || label_or_raw(lang.get(), "risk.fact.", &key)}</dt>
                        <dd class="col-span-2 tabular-nums text-slate-900">{f.value.clone()}</dd>
                    </div>
                }
            }).collect_view()}
            <div class="grid grid-cols-3 gap-2 py-2 text-sm">
                <dt class="text-slate-500">{t("risk_page.first_seen")}</dt>
                <dd class="col-span-2 text-slate-900"><Time ms=s.first_seen_at_ms/></dd>
            </div>
            <div class="grid grid-cols-3 gap-2 py-2 text-sm">
                <dt class="text-slate-500">{t("risk_page.last_seen")}</dt>
                <dd class="col-span-2 text-slate-900">
                    <Time ms=s.last_seen_at_ms/>
                    <span class="ml-2 text-slate-500" data-testid="signal-seen-count">
                        {move || fill(&translate(lang.get(), "risk_page.seen_times"), &[("count", seen.to_string())])}
                    </span>
                </dd>
            </div>
        </dl>
    }
}

/// The timeline: when, what (`risk.event.<kind>`), who, and the note.
#[component]
fn EventList(events: Vec<SignalEvent>) -> impl IntoView {
    let lang = use_lang();
    let none = events.is_empty().then(|| view! { <p class=format!("mt-2 {MUTED}")>{t("risk_page.no_events")}</p> });
    view! {
        {none}
        <ol class="mt-2 divide-y divide-slate-100" data-testid="signal-timeline">
            {events.into_iter().map(|e| {
                let kind = e.kind.clone();
                view! {
                    <li class="py-2 text-sm" data-testid="signal-event" data-kind=e.kind.clone()>
                        <p class="flex flex-wrap items-baseline gap-x-2">
                            <span class="font-medium text-slate-800" data-testid="event-what">{move || label_or_raw(lang.get(), "risk.event.", &kind)}</span>
                            <span class="text-xs text-slate-500"><Time ms=e.at_ms/>" · "{e.actor.clone()}</span>
                        </p>
                        {(!e.note.is_empty()).then(|| view! { <p class="whitespace-pre-wrap text-slate-600" data-testid="event-note">{e.note.clone()}</p> })}
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}
