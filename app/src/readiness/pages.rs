//! `/console/readiness`: every launch readiness check measured now, grouped by area, with its
//! evidence, its one-line fix and where it is fixed; the counts, "the next three actions", and the
//! deferral of a check (protected: reason and password; `readiness.manage`).

use super::api::{get_readiness, DeferReadinessCheck, EndReadinessDeferral};
use super::model::{area_key, fix_key, status_key, title_key, CheckView, ReadinessReport};
use crate::components::form::{field_error, form_error};
use crate::components::styles::{INPUT, LABEL, LINK, MUTED};
use crate::components::{
    notify_and_reload, query_param, Counter, Counters, DetailResult, DoneNotice, Field, Fields, ForbiddenState,
    FormAlert, ProtectedFields, Section, StatusBadge, SubmitButton, TextField, Time, Tone,
};
use crate::domain::permissions::{READINESS_MANAGE, READINESS_VIEW};
use crate::domain::readiness::{Area, Status};
use crate::frame::console::shell::{use_operator, PageHeader};
use crate::i18n::{t, translate, use_lang};
use leptos::html;
use leptos::prelude::*;

#[component]
pub fn ReadinessPage() -> impl IntoView {
    let operator = use_operator();
    if !operator.as_ref().is_some_and(|v| v.can(READINESS_VIEW)) {
        return view! { <PageHeader title="readiness.title" crumbs=vec![]/><ForbiddenState/> }.into_any();
    }
    let can_manage = operator.is_some_and(|v| v.can(READINESS_MANAGE));
    let defer = ServerAction::<DeferReadinessCheck>::new();
    let end = ServerAction::<EndReadinessDeferral>::new();
    let refresh = RwSignal::new(0u32);
    let notice = RwSignal::new(None::<&'static str>);
    notify_and_reload(move || defer.value().get(), refresh, notice, "readiness.defer.done");
    notify_and_reload(move || end.value().get(), refresh, notice, "readiness.end.done");
    let report = Resource::new(move || refresh.get(), |_| get_readiness());
    view! {
        <PageHeader title="readiness.title" crumbs=vec![]/>
        <div class="space-y-6">
            <p class=MUTED>{t("readiness.intro")}</p>
            <DoneNotice notice/>
            <DetailResult resource=report let:r>
                <Overview r=r.clone()/>
                <NextActions r=r.clone()/>
                {Area::ALL.into_iter().map(|area| view! { <AreaSection area r=r.clone() can_manage/> }).collect_view()}
                {can_manage.then(|| view! {
                    <div class="grid gap-6 lg:grid-cols-2">
                        <DeferForm r=r.clone() action=defer/>
                        <EndForm r=r.clone() action=end/>
                    </div>
                })}
            </DetailResult>
        </div>
    }
    .into_any()
}

fn tone(s: Status) -> Tone {
    match s {
        Status::Blocker => Tone::Danger,
        Status::Warning => Tone::Warning,
        Status::Ready => Tone::Success,
        Status::Deferred => Tone::Neutral,
    }
}

#[component]
fn Overview(r: ReadinessReport) -> impl IntoView {
    let env = if r.production { "readiness.environment.production" } else { "readiness.environment.development" };
    let s = r.summary;
    view! {
        <Section id="readiness-overview" title=t("readiness.title") hide_title=true testid="readiness-overview">
            <Fields>
                <Field label="readiness.environment">
                    <span data-testid="readiness-environment">{t(env)}</span>
                </Field>
                <Field label="readiness.checked_at">
                    <span data-testid="readiness-checked-at"><Time ms=r.checked_at_ms/></span>
                </Field>
            </Fields>
        </Section>
        <Counters label="readiness.counts" testid="readiness-counts">
            <Counter label="readiness.status.blocker" value=s.blockers.to_string() testid="count-blocker"/>
            <Counter label="readiness.status.warning" value=s.warnings.to_string() testid="count-warning"/>
            <Counter label="readiness.status.ready" value=s.ready.to_string() testid="count-ready"/>
            <Counter label="readiness.status.deferred" value=s.deferred.to_string() testid="count-deferred"/>
        </Counters>
    }
}

#[component]
fn NextActions(r: ReadinessReport) -> impl IntoView {
    let lang = use_lang();
    let items: Vec<CheckView> = r.next.iter().filter_map(|id| r.check(id).cloned()).collect();
    let body = if items.is_empty() {
        view! { <p class="mt-2 text-sm text-slate-600" data-testid="next-none">{t("readiness.next.none")}</p> }
            .into_any()
    } else {
        view! {
            <ol class="mt-3 list-decimal space-y-2 pl-5 text-sm" data-testid="next-actions">
                {items.into_iter().map(|c| {
                    let (title, fix) = (title_key(&c.id), fix_key(&c.id));
                    view! {
                        <li data-testid="next-action" data-check=c.id.clone()>
                            <a href=format!("#check-{}", c.id) class=LINK>{move || translate(lang.get(), &title)}</a>
                            " "<StatusBadge tone=tone(c.status) label=t(status_key(c.status)) status=c.status.as_str()/>
                            <p class="text-slate-600">{move || translate(lang.get(), &fix)}</p>
                        </li>
                    }
                }).collect_view()}
            </ol>
        }
        .into_any()
    };
    view! {
        <Section id="readiness-next" title=t("readiness.next.title") testid="readiness-next">{body}</Section>
    }
}

#[component]
fn AreaSection(area: Area, r: ReadinessReport, can_manage: bool) -> impl IntoView {
    let checks: Vec<CheckView> = r.checks.into_iter().filter(|c| c.area == area).collect();
    let id = match area {
        Area::Identity => "area-identity",
        Area::Messaging => "area-messaging",
        Area::Operations => "area-operations",
        Area::Trust => "area-trust",
        Area::Monetisation => "area-monetisation",
        Area::Guardrails => "area-guardrails",
    };
    view! {
        <Section id=id title=t(area_key(area)) testid=id>
            <ul class="mt-3 divide-y divide-slate-100">
                {checks.into_iter().map(|c| view! { <CheckItem c can_manage/> }).collect_view()}
            </ul>
        </Section>
    }
}

#[component]
fn CheckItem(c: CheckView, can_manage: bool) -> impl IntoView {
    let lang = use_lang();
    let defer_link = (can_manage && c.status.needs_action()).then(|| {
        view! { <a href=format!("?defer={}#defer", c.id) class=LINK data-testid="defer-link">{t("readiness.defer.link")}</a> }
    });
    let (title, fix) = (title_key(&c.id), fix_key(&c.id));
    let evidence = c.evidence.clone();
    let link = c.link.clone().map(|href| {
        view! { <a href=href class=LINK data-testid="fix-link">{t("readiness.fix_here")}</a> }
    });
    let setting = c.setting.clone().map(|key| {
        view! {
            <span class="text-slate-600">{t("readiness.setting")} ": "<code class="rounded bg-slate-100 px-1" data-testid="fix-setting">{key}</code></span>
        }
    });
    let deferral = c.deferral.clone().map(|d| {
        view! {
            <div class="mt-2 rounded-md bg-slate-50 p-3 text-sm" data-testid="deferral">
                <p class="font-medium">{t("readiness.deferral.title")}</p>
                {d.expired.then(|| view! { <p class="text-amber-800">{t("readiness.deferral.expired")}</p> })}
                <Fields>
                    <Field label="readiness.deferral.owner"><span data-testid="deferral-owner">{d.owner_email.clone()}</span></Field>
                    <Field label="readiness.deferral.reason"><span data-testid="deferral-reason">{d.reason.clone()}</span></Field>
                    <Field label="readiness.deferral.expires"><span data-testid="deferral-expires"><Time ms=d.expires_at_ms/></span></Field>
                    <Field label="readiness.deferral.by">{d.deferred_by.clone()}" · "<Time ms=d.deferred_at_ms/></Field>
                </Fields>
            </div>
        }
    });
    let measured = (c.status == Status::Deferred).then(|| {
        view! {
            <span class="text-xs text-slate-500">{t("readiness.measured")} ": "{t(status_key(c.measured))}</span>
        }
    });
    view! {
        <li id=format!("check-{}", c.id) class="py-4" data-testid="check" data-check=c.id.clone() data-status=c.status.as_str()>
            <div class="flex flex-wrap items-center gap-2">
                <StatusBadge tone=tone(c.status) label=t(status_key(c.status)) status=c.status.as_str()/>
                <h3 class="text-sm font-semibold text-slate-900">{move || translate(lang.get(), &title)}</h3>
                <code class="text-xs text-slate-400">{c.id.clone()}</code>
                {measured}
            </div>
            <dl class="mt-2 grid gap-x-6 gap-y-1 text-sm sm:grid-cols-2" aria-label=t("readiness.evidence") data-testid="evidence">
                {evidence.into_iter().map(|f| {
                    let key = f.key.clone();
                    view! {
                        <div class="flex gap-2">
                            <dt class="text-slate-500">{move || translate(lang.get(), &key)}</dt>
                            <dd class="font-mono text-slate-900" data-fact=f.key.clone()>{f.value.clone()}</dd>
                        </div>
                    }
                }).collect_view()}
            </dl>
            <p class="mt-2 text-sm text-slate-700" data-testid="fix">
                <span class="font-medium">{t("readiness.fix")}": "</span>{move || translate(lang.get(), &fix)}
            </p>
            <p class="mt-1 flex flex-wrap gap-4 text-sm">{link}{setting}{defer_link}</p>
            {deferral}
        </li>
    }
}

/// The checks a form may act on, as `<option>`s (value: the id; text: the title).
fn check_options(checks: Vec<CheckView>, selected: Option<String>) -> impl IntoView {
    let lang = use_lang();
    checks
        .into_iter()
        .map(|c| {
            let title = title_key(&c.id);
            let is_selected = selected.as_deref() == Some(c.id.as_str());
            view! { <option value=c.id.clone() selected=is_selected>{move || translate(lang.get(), &title)}</option> }
        })
        .collect_view()
}

#[component]
fn DeferForm(r: ReadinessReport, action: ServerAction<DeferReadinessCheck>) -> impl IntoView {
    let result = move || action.value().get();
    let open: Vec<CheckView> = r.checks.into_iter().filter(|c| c.status.needs_action()).collect();
    let form = NodeRef::<html::Form>::new();
    Effect::new(move |_| {
        if let (Some(Ok(())), Some(f)) = (result(), form.get_untracked()) {
            f.reset();
        }
    });
    let selected = query_param("defer");
    view! {
        <Section id="defer" title=t("readiness.defer.title") testid="defer-section">
            <ActionForm action node_ref=form attr:class="mt-4 space-y-4" attr:data-testid="defer-form">
                <div class="space-y-1">
                    <label for="defer-check" class=LABEL>{t("readiness.check")}</label>
                    <select id="defer-check" name="check" required=true class=INPUT>
                        {check_options(open, untrack(selected))}
                    </select>
                </div>
                <TextField label="readiness.defer.owner" name="owner" kind="email" error=field_error(result, "owner")/>
                <TextField label="readiness.defer.expires" name="expires" kind="date" error=field_error(result, "expires")/>
                <ProtectedFields form="defer" reason_error=field_error(result, "reason") password_error=field_error(result, "password") code_error=field_error(result, "code")/>
                <FormAlert error=form_error(result)/>
                <SubmitButton label="readiness.defer.submit" pending=action.pending()/>
            </ActionForm>
        </Section>
    }
}

#[component]
fn EndForm(r: ReadinessReport, action: ServerAction<EndReadinessDeferral>) -> impl IntoView {
    let result = move || action.value().get();
    let deferred: Vec<CheckView> = r.checks.into_iter().filter(|c| c.deferral.is_some()).collect();
    if deferred.is_empty() {
        return ().into_any();
    }
    let form = NodeRef::<html::Form>::new();
    Effect::new(move |_| {
        if let (Some(Ok(())), Some(f)) = (result(), form.get_untracked()) {
            f.reset();
        }
    });
    view! {
        <Section id="end-deferral" title=t("readiness.end.title") testid="end-section">
            <ActionForm action node_ref=form attr:class="mt-4 space-y-4" attr:data-testid="end-form">
                <div class="space-y-1">
                    <label for="end-check" class=LABEL>{t("readiness.check")}</label>
                    <select id="end-check" name="check" required=true class=INPUT>{check_options(deferred, None)}</select>
                </div>
                <ProtectedFields form="end" reason_error=field_error(result, "reason") password_error=field_error(result, "password") code_error=field_error(result, "code")/>
                <FormAlert error=form_error(result)/>
                <SubmitButton label="readiness.end.submit" pending=action.pending() danger=true/>
            </ActionForm>
        </Section>
    }
    .into_any()
}
