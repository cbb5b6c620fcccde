//! `/console/settings`: the groups of runtime settings, each row the value in force, where it comes
//! from and, for `settings.manage`, a protected form that changes it.

use super::flags::FlagsSection;
use super::maintenance::MaintenanceCard;
use super::value::{ValueInput, ValueText};
use crate::components::form::{field_error, form_error};
use crate::components::styles::{CARD_BARE, LINK, MUTED, TD, TH};
use crate::components::{
    notify_and_reload, DetailResult, DoneNotice, ForbiddenState, FormAlert, ProtectedFields, StatusBadge, SubmitButton,
    Time, Tone,
};
use crate::domain::permissions::{SETTINGS_MANAGE, SETTINGS_VIEW};
use crate::domain::settings::{spec, Group, SettingSpec};
use crate::frame::console::shell::{use_operator, PageHeader};
use crate::i18n::{t, translate, use_lang};
use crate::settings::api::{settings_centre, ChangeSetting};
use crate::settings::model::{SettingRow, SettingsView, Source};
use leptos::prelude::*;

#[component]
pub fn SettingsPage() -> impl IntoView {
    let operator = use_operator();
    if !operator.as_ref().is_some_and(|v| v.can(SETTINGS_VIEW)) {
        return view! { <PageHeader title="console.settings" crumbs=vec![]/><ForbiddenState/> }.into_any();
    }
    let can_manage = operator.is_some_and(|v| v.can(SETTINGS_MANAGE));
    let (refresh, notice) = (RwSignal::new(0u32), RwSignal::new(None::<&'static str>));
    let view_data = Resource::new(move || refresh.get(), |_| settings_centre());
    view! {
        <PageHeader title="console.settings" crumbs=vec![]/>
        <p class=format!("mb-2 {MUTED}")>{t("settings.intro")}</p>
        <p class="mb-4 text-sm"><a href="/console/settings/versions" class=LINK data-testid="versions-link">{t("settings.versions_link")}</a></p>
        <div class="mb-4"><DoneNotice notice/></div>
        <DetailResult resource=view_data let:data>
            <Centre data can_manage refresh notice/>
        </DetailResult>
    }
    .into_any()
}

#[component]
fn Centre(
    data: SettingsView,
    can_manage: bool,
    refresh: RwSignal<u32>,
    notice: RwSignal<Option<&'static str>>,
) -> impl IntoView {
    let rows = data.rows.clone();
    let offset = data.utc_offset_minutes;
    let sealing_key = data.sealing_key;
    view! {
        <div class="space-y-6">
            {(!sealing_key).then(|| view! {
                <p role="note" class="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="no-sealing-key">{t("settings.no_sealing_key")}</p>
            })}
            <MaintenanceCard rows=rows.clone() offset can_manage refresh notice/>
            {Group::ALL.into_iter().filter(|g| *g != Group::Maintenance).map(|group| {
                let in_group: Vec<SettingRow> = rows.iter().filter(|r| spec(&r.key).is_some_and(|s| s.group == group)).cloned().collect();
                match group {
                    Group::Flags => view! { <FlagsSection rows=in_group offset can_manage refresh notice/> }.into_any(),
                    _ => view! { <GroupTable group in_group offset can_manage refresh notice/> }.into_any(),
                }
            }).collect_view()}
        </div>
    }
}

#[component]
fn GroupTable(
    group: Group,
    in_group: Vec<SettingRow>,
    offset: i32,
    can_manage: bool,
    refresh: RwSignal<u32>,
    notice: RwSignal<Option<&'static str>>,
) -> impl IntoView {
    let title_id = format!("group-{}", group.as_str());
    let title_key = format!("settings.group.{}", group.as_str());
    let lang = use_lang();
    view! {
        <section aria-labelledby=title_id.clone() class=CARD_BARE data-testid=format!("settings-group-{}", group.as_str())>
            <h2 id=title_id.clone() class="border-b border-slate-200 px-4 py-3 text-base font-semibold">{move || translate(lang.get(), &title_key)}</h2>
            <div class="overflow-x-auto">
                <table class="min-w-full divide-y divide-slate-100 text-sm">
                    <thead class="bg-slate-50"><tr>
                        <th scope="col" class=TH>{t("settings.col.setting")}</th>
                        <th scope="col" class=TH>{t("settings.col.value")}</th>
                        <th scope="col" class=TH>{t("settings.col.source")}</th>
                    </tr></thead>
                    <tbody class="divide-y divide-slate-100">
                        {in_group.into_iter().filter_map(|row| spec(&row.key).map(|s| (s, row))).map(|(spec, row)| view! {
                            <SettingLine spec row offset can_manage refresh notice/>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

#[component]
fn SettingLine(
    spec: &'static SettingSpec,
    row: SettingRow,
    offset: i32,
    can_manage: bool,
    refresh: RwSignal<u32>,
    notice: RwSignal<Option<&'static str>>,
) -> impl IntoView {
    let lang = use_lang();
    let key = spec.key;
    let editable = can_manage && row.source != Source::Pinned;
    view! {
        <tr data-testid="setting-row" data-key=key>
            <td class=TD>
                <div class="font-medium">{move || translate(lang.get(), &format!("setting.{key}"))}</div>
                <div class="font-mono text-xs text-slate-500">{key}</div>
                <p class="mt-1 max-w-prose text-xs text-slate-600">{move || translate(lang.get(), &format!("setting.{key}.help"))}</p>
            </td>
            <td class=TD data-testid="setting-value">
                <ValueText spec value=row.value.clone()/>
                {(row.source != Source::Configured).then(|| view! {
                    <div class="mt-1 text-xs text-slate-500">{t("settings.configured")}": "<ValueText spec value=row.configured.clone()/></div>
                })}
                {editable.then(|| view! { <ChangeForm spec value=row.value.clone() offset refresh notice/> })}
            </td>
            <td class=TD>
                <SourceBadge source=row.source/>
                {row.unreadable.then(|| view! {
                    <p class="mt-1 text-xs text-red-700" data-testid="setting-unreadable">{t("settings.unreadable")}</p>
                })}
                {row.changed_at_ms.map(|ms| view! { <div class="mt-1 text-xs text-slate-500"><Time ms/></div> })}
            </td>
        </tr>
    }
}

#[component]
fn SourceBadge(source: Source) -> impl IntoView {
    let (tone, label) = match source {
        Source::Configured => (Tone::Neutral, "settings.source.configured"),
        Source::Stored => (Tone::Info, "settings.source.stored"),
        Source::Pinned => (Tone::Warning, "settings.source.pinned"),
    };
    view! { <span data-testid="setting-source"><StatusBadge tone label=t(label)/></span> }
}

/// "Change": the new value and the confirmation, folded away until asked for.
#[component]
fn ChangeForm(
    spec: &'static SettingSpec,
    value: String,
    offset: i32,
    refresh: RwSignal<u32>,
    notice: RwSignal<Option<&'static str>>,
) -> impl IntoView {
    let action = ServerAction::<ChangeSetting>::new();
    notify_and_reload(move || action.value().get(), refresh, notice, "settings.changed");
    let result = move || action.value().get();
    let input_id = format!("setting-{}", spec.key);
    let error = field_error(result, "value");
    let error_id = format!("{input_id}-error");
    view! {
        <details class="mt-2">
            <summary class="cursor-pointer text-sm font-medium text-indigo-700" data-testid="change-setting">{t("settings.change")}</summary>
            <ActionForm action attr:class="mt-3 max-w-md space-y-3" attr:data-testid=format!("setting-form-{}", spec.key)>
                <input type="hidden" name="key" value=spec.key/>
                <div class="space-y-1">
                    <label for=input_id.clone() class="block text-sm font-medium text-slate-700">{t("settings.new_value")}</label>
                    <ValueInput spec value id=input_id offset_minutes=offset error/>
                    {move || error.get().map(|e| view! { <p id=error_id.clone() class="text-sm text-red-600" data-testid="error-value">{e}</p> })}
                </div>
                <ProtectedFields form=spec.key reason_error=field_error(result, "reason") password_error=field_error(result, "password") code_error=field_error(result, "code")/>
                <FormAlert error=form_error(result)/>
                <SubmitButton label="settings.save" pending=action.pending()/>
            </ActionForm>
        </details>
    }
}
