//! The feature flags' part of the settings centre: each flag's rule in words and a protected form
//! that changes it (on or off, a percentage, targets, a scheduled switch).

use crate::components::form::{field_error, form_error};
use crate::components::format::Time;
use crate::components::styles::{CARD_BARE, HINT, MUTED};
use crate::components::{
    notify_and_reload, FormAlert, ProtectedFields, SelectField, StatusBadge, SubmitButton, TextField, Tone,
};
use crate::domain::curation::format_local_time;
use crate::domain::flags::FlagRule;
use crate::i18n::{fill, t, translate, use_lang};
use crate::settings::api::SetFlag;
use crate::settings::model::{SettingRow, Source};
use leptos::prelude::*;

#[component]
pub fn FlagsSection(
    rows: Vec<SettingRow>,
    offset: i32,
    can_manage: bool,
    refresh: RwSignal<u32>,
    notice: RwSignal<Option<&'static str>>,
) -> impl IntoView {
    view! {
        <section aria-labelledby="group-flags" class=CARD_BARE data-testid="settings-group-flags">
            <h2 id="group-flags" class="border-b border-slate-200 px-4 py-3 text-base font-semibold">{t("settings.group.flags")}</h2>
            <p class=format!("px-4 pt-3 {MUTED}")>{t("flags.intro")}</p>
            <ul class="divide-y divide-slate-100">
                {rows.into_iter().map(|row| view! { <FlagLine row offset can_manage refresh notice/> }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn FlagLine(
    row: SettingRow,
    offset: i32,
    can_manage: bool,
    refresh: RwSignal<u32>,
    notice: RwSignal<Option<&'static str>>,
) -> impl IntoView {
    let lang = use_lang();
    let name: &'static str = crate::domain::flags::FLAGS
        .iter()
        .map(|(n, _)| *n)
        .find(|n| row.key.strip_prefix("flag.") == Some(*n))
        .unwrap_or("");
    let rule = FlagRule::parse(&row.value).unwrap_or_else(|_| FlagRule::everyone(false));
    let editable = can_manage && row.source != Source::Pinned;
    let key = row.key.clone();
    view! {
        <li class="px-4 py-3" data-testid="flag-row" data-flag=name>
            <div class="flex flex-wrap items-start justify-between gap-3">
                <div>
                    <div class="font-medium">{move || translate(lang.get(), &format!("setting.{key}"))}</div>
                    <div class="font-mono text-xs text-slate-500">{row.key.clone()}</div>
                    <p class="mt-1 max-w-prose text-xs text-slate-600">{let k = row.key.clone(); move || translate(lang.get(), &format!("setting.{k}.help"))}</p>
                </div>
                <div class="text-right text-sm" data-testid="flag-state"><FlagSummary rule=rule.clone()/></div>
            </div>
            {editable.then(|| view! { <FlagForm name rule offset refresh notice/> })}
        </li>
    }
}

#[component]
fn FlagSummary(rule: FlagRule) -> impl IntoView {
    let lang = use_lang();
    let (tone, label) = if rule.on { (Tone::Success, "flags.on") } else { (Tone::Neutral, "flags.off") };
    let targets = rule.roles.len() + rule.sellers.len() + rule.users.len();
    let reach = rule.on.then(|| {
        let percent = rule.percent;
        move || fill(&translate(lang.get(), "flags.reach"), &[("p", percent.to_string()), ("n", targets.to_string())])
    });
    view! {
        <StatusBadge tone label=t(label)/>
        {reach.map(|r| view! { <div class="mt-1 text-xs text-slate-600">{r}</div> })}
        {rule.switch_at.map(|at| view! {
            <div class="mt-1 text-xs text-slate-600">
                {t(if rule.switch_to { "flags.switches_on" } else { "flags.switches_off" })}" "<Time ms=at/>
            </div>
        })}
    }
}

#[component]
fn FlagForm(
    name: &'static str,
    rule: FlagRule,
    offset: i32,
    refresh: RwSignal<u32>,
    notice: RwSignal<Option<&'static str>>,
) -> impl IntoView {
    let action = ServerAction::<SetFlag>::new();
    notify_and_reload(move || action.value().get(), refresh, notice, "flags.changed");
    let result = move || action.value().get();
    let on_off = |on: bool| if on { "on" } else { "off" }.to_string();
    let states = vec![("on", "flags.on".to_string()), ("off", "flags.off".to_string())];
    let ids = |v: &[i64]| v.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(", ");
    let id = move |field: &str| format!("flag-{name}-{field}");
    view! {
        <details class="mt-2">
            <summary class="cursor-pointer text-sm font-medium text-indigo-700" data-testid="change-flag">{t("settings.change")}</summary>
            <ActionForm action attr:class="mt-3 grid max-w-3xl gap-4 md:grid-cols-2" attr:data-testid=format!("flag-form-{name}")>
                <input type="hidden" name="name" value=name/>
                <SelectField name="on" label="flags.state" id=id("on") options=states.clone() selected=on_off(rule.on) error=field_error(result, "on")/>
                <TextField label="flags.percent" name="percent" kind="number" id=id("percent") value=rule.percent.to_string()
                    hint="flags.percent_hint" error=field_error(result, "percent")/>
                <TextField label="flags.roles" name="roles" required=false id=id("roles") value=rule.roles.join(", ")
                    hint="flags.roles_hint" error=field_error(result, "roles")/>
                <TextField label="flags.sellers" name="sellers" required=false id=id("sellers") value=ids(&rule.sellers)
                    hint="flags.ids_hint" error=field_error(result, "sellers")/>
                <TextField label="flags.users" name="users" required=false id=id("users") value=ids(&rule.users)
                    hint="flags.ids_hint" error=field_error(result, "users")/>
                <TextField label="flags.switch_at" name="switch_at" kind="datetime-local" required=false id=id("switch_at")
                    value=rule.switch_at.map(|ms| format_local_time(ms, offset)).unwrap_or_default() hint="settings.instant_hint" error=field_error(result, "switch_at")/>
                <SelectField name="switch_to" label="flags.switch_to" id=id("switch_to") options=states selected=on_off(rule.switch_to)/>
                <div class="space-y-4 md:col-span-2">
                    <p class=HINT>{t("flags.form_hint")}</p>
                    <ProtectedFields form=name reason_error=field_error(result, "reason") password_error=field_error(result, "password") code_error=field_error(result, "code")/>
                    <FormAlert error=form_error(result)/>
                    <SubmitButton label="flags.save" pending=action.pending()/>
                </div>
            </ActionForm>
        </details>
    }
}
