//! Maintenance mode: the settings centre's card that sets it (mode, announcement, window, allow list,
//! as one protected version) and the banner every page shows while it is in force or coming.

use crate::components::form::{field_error, form_error};
use crate::components::format::time_text;
use crate::components::styles::{CARD_COMPACT, MUTED};
use crate::components::{
    notify_and_reload, FormAlert, ProtectedFields, SelectField, StatusBadge, SubmitButton, TextArea, TextField, Tone,
};
use crate::domain::curation::format_local_time;
use crate::domain::maintenance::{MaintenanceMode, MaintenanceNotice};
use crate::domain::settings::{MAINTENANCE_ALLOW_MAX, MAINTENANCE_MESSAGE_MAX_CHARS, MAINTENANCE_MODES};
use crate::i18n::{fill, t, translate, use_lang};
use crate::settings::api::SetMaintenance;
use crate::settings::model::SettingRow;
use leptos::prelude::*;

fn value(rows: &[SettingRow], key: &str) -> String {
    rows.iter().find(|r| r.key == key).map(|r| r.value.clone()).unwrap_or_default()
}

fn local(rows: &[SettingRow], key: &str, offset: i32) -> String {
    value(rows, key).parse::<i64>().map(|ms| format_local_time(ms, offset)).unwrap_or_default()
}

#[component]
pub fn MaintenanceCard(
    rows: Vec<SettingRow>,
    offset: i32,
    can_manage: bool,
    refresh: RwSignal<u32>,
    notice: RwSignal<Option<&'static str>>,
) -> impl IntoView {
    let mode = value(&rows, "maintenance_mode");
    let (tone, label) = match MaintenanceMode::parse(&mode) {
        MaintenanceMode::Off => (Tone::Neutral, "settings.choice.off"),
        MaintenanceMode::ReadOnly => (Tone::Warning, "settings.choice.read_only"),
        MaintenanceMode::Closed => (Tone::Danger, "settings.choice.closed"),
    };
    let pinned =
        rows.iter().any(|r| r.key.starts_with("maintenance_") && r.source == crate::settings::model::Source::Pinned);
    view! {
        <section aria-labelledby="maintenance-title" class=CARD_COMPACT data-testid="maintenance-card">
            <div class="flex flex-wrap items-center gap-3">
                <h2 id="maintenance-title" class="text-base font-semibold">{t("settings.group.maintenance")}</h2>
                <span data-testid="maintenance-mode"><StatusBadge tone label=t(label)/></span>
            </div>
            <p class=format!("mt-1 {MUTED}")>{t("settings.maintenance.intro")}</p>
            {(can_manage && !pinned).then(|| view! { <MaintenanceForm rows offset refresh notice/> })}
            {pinned.then(|| view! { <p class="mt-2 text-sm text-amber-800">{t("settings.maintenance.pinned")}</p> })}
        </section>
    }
}

#[component]
fn MaintenanceForm(
    rows: Vec<SettingRow>,
    offset: i32,
    refresh: RwSignal<u32>,
    notice: RwSignal<Option<&'static str>>,
) -> impl IntoView {
    let action = ServerAction::<SetMaintenance>::new();
    notify_and_reload(move || action.value().get(), refresh, notice, "settings.maintenance.done");
    let result = move || action.value().get();
    let modes: Vec<(&'static str, String)> =
        MAINTENANCE_MODES.iter().map(|m| (*m, format!("settings.choice.{m}"))).collect();
    view! {
        <ActionForm action attr:class="mt-4 grid gap-4 md:grid-cols-2" attr:data-testid="maintenance-form">
            <SelectField label="setting.maintenance_mode" name="maintenance_mode" options=modes
                selected=value(&rows, "maintenance_mode") error=field_error(result, "maintenance_mode")/>
            <TextField label="setting.maintenance_allow" name="maintenance_allow" required=false maxlength=2000
                value=value(&rows, "maintenance_allow") hint="settings.maintenance.allow_hint" error=field_error(result, "maintenance_allow")/>
            <TextField label="setting.maintenance_starts_at" name="maintenance_starts_at" kind="datetime-local" required=false
                value=local(&rows, "maintenance_starts_at", offset) hint="settings.instant_hint" error=field_error(result, "maintenance_starts_at")/>
            <TextField label="setting.maintenance_ends_at" name="maintenance_ends_at" kind="datetime-local" required=false
                value=local(&rows, "maintenance_ends_at", offset) hint="settings.instant_hint" error=field_error(result, "maintenance_ends_at")/>
            <div class="md:col-span-2">
                <TextArea label="setting.maintenance_message" name="maintenance_message" required=false rows=2
                    maxlength=MAINTENANCE_MESSAGE_MAX_CHARS value=value(&rows, "maintenance_message") error=field_error(result, "maintenance_message")/>
            </div>
            <div class="space-y-4 md:col-span-2">
                <ProtectedFields form="maintenance" reason_error=field_error(result, "reason") password_error=field_error(result, "password") code_error=field_error(result, "code")/>
                <FormAlert error=form_error(result)/>
                <SubmitButton label="settings.maintenance.submit" pending=action.pending()/>
            </div>
        </ActionForm>
        <p class="mt-2 text-xs text-slate-500">{move || fill(&translate(use_lang().get(), "settings.maintenance.allow_max"), &[("n", MAINTENANCE_ALLOW_MAX.to_string())])}</p>
    }
}

/// The announcement on every page while maintenance is in force or coming (`notice`: from the
/// server, embedded in the page).
#[component]
pub fn MaintenanceBanner(notice: Option<MaintenanceNotice>) -> impl IntoView {
    let lang = use_lang();
    notice.map(|n| {
        let key = match (n.in_force, n.mode) {
            (true, MaintenanceMode::Closed) => "maintenance.banner.closed",
            (true, _) => "maintenance.banner.read_only",
            (false, MaintenanceMode::Closed) => "maintenance.banner.coming_closed",
            (false, _) => "maintenance.banner.coming_read_only",
        };
        let until_key = if n.ends_ms.is_some() { "maintenance.banner.until" } else { "" };
        let text = move || {
            let l = lang.get();
            let mut s = fill(&translate(l, key), &[("start", n.starts_ms.map(time_text).unwrap_or_default())]);
            if !until_key.is_empty() {
                s.push(' ');
                s.push_str(&fill(&translate(l, until_key), &[("end", n.ends_ms.map(time_text).unwrap_or_default())]));
            }
            s
        };
        view! {
            <div role="status" data-testid="maintenance-banner" class="border-b border-amber-300 bg-amber-50 px-4 py-2 text-sm text-amber-900">
                <p class="mx-auto max-w-7xl"><strong class="font-semibold">{text}</strong>
                    {(!n.message.is_empty()).then(|| view! { " "<span data-testid="maintenance-message">{n.message.clone()}</span> })}
                </p>
            </div>
        }
    })
}
