//! How a setting's value reads and how it is entered, by its kind (`domain::settings::Kind`).

use crate::components::format::Time;
use crate::components::styles::{CHECKBOX, CHECK_LABEL, INPUT};
use crate::domain::curation::format_local_time;
use crate::domain::settings::{Kind, SettingSpec};
use crate::i18n::{fill, t, translate, use_lang};
use crate::settings::model::SECRET_MASK;
use leptos::prelude::*;

/// A canonical value as people read it.
#[component]
pub fn ValueText(spec: &'static SettingSpec, value: String) -> impl IntoView {
    let lang = use_lang();
    if value.is_empty() {
        let key = match spec.kind {
            Kind::Secret { .. } => "settings.value.not_set",
            Kind::Choice(_) => "settings.value.not_chosen",
            _ => "settings.value.none",
        };
        return view! { <span class="text-slate-500">{t(key)}</span> }.into_any();
    }
    match spec.kind {
        Kind::Secret { .. } => view! { <span class="font-mono">{SECRET_MASK}" "</span><span class="text-slate-500">{t("settings.value.set")}</span> }.into_any(),
        Kind::Instant => match value.parse::<i64>() {
            Ok(ms) => view! { <Time ms/> }.into_any(),
            Err(_) => value.into_any(),
        },
        Kind::Int { unit, .. } => {
            let key = format!("settings.unit.{}", unit.as_str());
            view! { <span class="tabular-nums">{move || fill(&translate(lang.get(), &key), &[("n", value.clone())])}</span> }.into_any()
        }
        Kind::Choice(_) | Kind::Choices(_) | Kind::Bool => {
            let parts: Vec<String> = value.split(',').map(str::to_string).collect();
            (move || parts.iter().map(|p| translate(lang.get(), &format!("settings.choice.{p}"))).collect::<Vec<_>>().join(", ")).into_any()
        }
        Kind::Flag => {
            let rule = crate::domain::flags::FlagRule::parse(&value).ok();
            (move || match &rule {
                Some(r) if r.on => fill(&translate(lang.get(), "flags.summary_on"), &[("p", r.percent.to_string())]),
                _ => translate(lang.get(), "flags.off"),
            })
            .into_any()
        }
        _ => view! { <span class="break-all">{value}</span> }.into_any(),
    }
}

/// The field that enters a new value, named `value` (`choices[]` for several choices), starting
/// from the value in force. `id` is the input's id (its label points at it).
#[component]
pub fn ValueInput(
    spec: &'static SettingSpec,
    value: String,
    id: String,
    offset_minutes: i32,
    error: Signal<Option<String>>,
) -> impl IntoView {
    let lang = use_lang();
    let invalid = move || error.get().is_some().to_string();
    let described = format!("{id}-error");
    match spec.kind {
        Kind::Int { min, max, unit } => view! {
            <input id=id name="value" type="number" inputmode="numeric" step="1" min=min max=max value=value required=true
                class=INPUT aria-invalid=invalid aria-describedby=described/>
            <p class="text-xs text-slate-500">{move || fill(&translate(lang.get(), "settings.bounds"), &[
                ("min", min.to_string()), ("max", max.to_string()),
                ("unit", translate(lang.get(), &format!("settings.unit_name.{}", unit.as_str()))),
            ])}</p>
        }.into_any(),
        Kind::Choice(choices) => view! {
            <select id=id name="value" class=INPUT aria-invalid=invalid aria-describedby=described>
                {choices.iter().map(|c| view! {
                    <option value=*c selected=value == *c>{move || translate(lang.get(), &format!("settings.choice.{c}"))}</option>
                }).collect_view()}
            </select>
        }.into_any(),
        Kind::Bool => view! {
            <select id=id name="value" class=INPUT aria-invalid=invalid aria-describedby=described>
                {["true", "false"].into_iter().map(|c| view! {
                    <option value=c selected=value == c>{move || translate(lang.get(), &format!("settings.choice.{c}"))}</option>
                }).collect_view()}
            </select>
        }.into_any(),
        Kind::Choices(choices) => view! {
            <fieldset id=id class="space-y-1" aria-describedby=described>
                {choices.iter().map(|c| {
                    let box_id = format!("{}-{c}", spec.key);
                    view! {
                        <div class="flex items-center gap-2">
                            <input type="checkbox" id=box_id.clone() name="choices[]" value=*c class=CHECKBOX checked=value.split(',').any(|v| v == *c)/>
                            <label for=box_id class=CHECK_LABEL>{move || translate(lang.get(), &format!("settings.choice.{c}"))}</label>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
        }.into_any(),
        Kind::Secret { max_chars } => view! {
            <input id=id name="value" type="password" autocomplete="new-password" maxlength=max_chars
                class=INPUT aria-invalid=invalid aria-describedby=described/>
            <p class="text-xs text-slate-500">{t("settings.secret_hint")}</p>
        }.into_any(),
        Kind::Instant => {
            let shown = value.parse::<i64>().map(|ms| format_local_time(ms, offset_minutes)).unwrap_or_default();
            view! {
                <input id=id name="value" type="datetime-local" value=shown class=INPUT aria-invalid=invalid aria-describedby=described/>
                <p class="text-xs text-slate-500">{t("settings.instant_hint")}</p>
            }.into_any()
        }
        Kind::Text { max_chars } => view! {
            <input id=id name="value" type="text" maxlength=max_chars value=value class=INPUT aria-invalid=invalid aria-describedby=described/>
        }.into_any(),
        Kind::Email | Kind::EmailList { .. } | Kind::Host | Kind::Flag => view! {
            <input id=id name="value" type="text" maxlength=2000 value=value autocomplete="off" class=INPUT aria-invalid=invalid aria-describedby=described/>
        }.into_any(),
    }
}
