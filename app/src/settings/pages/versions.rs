//! `/console/settings/versions`: every settings version, newest first, what it changed from and to;
//! "Roll back" opens one protected form for the chosen version (`?rollback=<id>`), which puts the
//! values before it back as a new version.

use super::value::ValueText;
use crate::components::styles::{LINK, MUTED, TD};
use crate::components::{
    notify_and_reload, query_param, DataTable, DoneNotice, ForbiddenState, ListResult, ProtectedIdForm, Section, Time,
};
use crate::domain::permissions::{SETTINGS_MANAGE, SETTINGS_VIEW};
use crate::domain::settings::spec;
use crate::frame::console::shell::{use_operator, PageHeader};
use crate::i18n::{fill, t, translate, use_lang};
use crate::settings::api::{setting_versions, RollbackSettings};
use crate::settings::model::{VersionRow, VersionValue};
use leptos::prelude::*;

#[component]
pub fn VersionsPage() -> impl IntoView {
    let operator = use_operator();
    if !operator.as_ref().is_some_and(|v| v.can(SETTINGS_VIEW)) {
        return view! { <PageHeader title="settings.versions" crumbs=vec![]/><ForbiddenState/> }.into_any();
    }
    let can_manage = operator.is_some_and(|v| v.can(SETTINGS_MANAGE));
    let cursor = query_param("cursor");
    let chosen = query_param("rollback");
    let rollback = ServerAction::<RollbackSettings>::new();
    let (refresh, notice) = (RwSignal::new(0u32), RwSignal::new(None::<&'static str>));
    notify_and_reload(move || rollback.value().get(), refresh, notice, "settings.rolled_back");
    let versions = Resource::new(move || (cursor(), refresh.get()), |(cursor, _)| setting_versions(cursor));
    let lang = use_lang();
    view! {
        <PageHeader title="settings.versions" crumbs=vec![("console.settings", "/console/settings")]/>
        <p class=format!("mb-4 {MUTED}")>{t("settings.versions_intro")}</p>
        <div class="mb-4"><DoneNotice notice/></div>
        {move || (can_manage && notice.get().is_none()).then(|| chosen().and_then(|c| c.parse::<i64>().ok())).flatten().map(|id| view! {
            <div class="mb-6">
                <Section id="rollback-title" title=move || fill(&translate(lang.get(), "settings.rollback_title"), &[("id", id.to_string())])>
                    <p class="mt-1 text-sm text-slate-600">{t("settings.rollback_effect")}</p>
                    <ProtectedIdForm action=rollback id form="rollback" submit="settings.rollback_submit" danger=true/>
                </Section>
            </div>
        })}
        <ListResult resource=versions empty="settings.versions_empty" empty_hint="settings.versions_empty_hint" let:rows>
            <VersionsTable rows can_manage/>
        </ListResult>
    }
    .into_any()
}

#[component]
fn VersionsTable(rows: Vec<VersionRow>, can_manage: bool) -> impl IntoView {
    let mut columns = vec![
        "settings.col.version",
        "settings.col.when",
        "settings.col.who",
        "settings.col.changes",
        "settings.col.reason",
    ];
    if can_manage {
        columns.push("settings.col.actions");
    }
    view! {
        <DataTable caption="settings.versions" columns testid="versions-table">
            {rows.into_iter().map(|v| view! {
                <tr data-testid="version-row" data-id=v.id>
                    <td class=format!("{TD} tabular-nums")>
                        "#"{v.id}
                        {v.rollback_of.map(|of| view! { <div class="text-xs text-slate-500">{t("settings.rollback_of")}" #"{of}</div> })}
                    </td>
                    <td class=format!("{TD} whitespace-nowrap")><Time ms=v.created_at_ms/></td>
                    <td class=TD>{v.actor.clone()}</td>
                    <td class=TD><ul class="space-y-1">{v.values.into_iter().map(|value| view! { <ChangeLine value/> }).collect_view()}</ul></td>
                    <td class=format!("{TD} max-w-xs text-slate-600")>{v.reason.clone()}</td>
                    {can_manage.then(|| view! {
                        <td class=format!("{TD} whitespace-nowrap")><a class=LINK href=format!("?rollback={}", v.id) data-testid="rollback-link">{t("settings.rollback")}</a></td>
                    })}
                </tr>
            }).collect_view()}
        </DataTable>
    }
}

#[component]
fn ChangeLine(value: VersionValue) -> impl IntoView {
    let lang = use_lang();
    let key = value.key.clone();
    let label_key = format!("setting.{key}");
    let side = move |v: Option<String>| match (spec(&value.key), v) {
        (_, None) => view! { <span class="text-slate-500">{t("settings.value.configured")}</span> }.into_any(),
        (Some(s), Some(v)) => view! { <ValueText spec=s value=v/> }.into_any(),
        (None, Some(v)) => v.into_any(),
    };
    view! {
        <li data-testid="version-change" data-key=key>
            <span class="font-medium">{move || translate(lang.get(), &label_key)}</span>": "
            {side(value.before.clone())}" → "{side(value.after.clone())}
        </li>
    }
}
