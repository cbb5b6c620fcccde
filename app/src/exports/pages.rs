//! `/console/exports`: the export form (dataset, period, filters, and for personal data a reason and
//! the password) and the caller's exports with their status, progress, rows, expiry and download.
//! The form is a plain POST (its answer is a file, or this page again with a notice or an error
//! named by field in the URL), so it works before the WASM and a report can link to it filled in.

use super::api::{export_datasets, my_exports};
use super::model::ExportRow;
use super::{file_path, PAGE_PATH, RUN_PATH};
use crate::components::styles::{BUTTON_PRIMARY, BUTTON_SECONDARY_SMALL, HINT, INPUT, LABEL, NOTICE, TD};
use crate::components::{
    query_param, DataTable, DetailResult, ForbiddenState, ListResult, PeriodFields, Section, StatusBadge, TextFilter,
    Time, Tone,
};
use crate::domain::export::ExportStatus;
use crate::domain::permissions::EXPORTS_EXPORT;
use crate::frame::console::shell::{use_operator, PageHeader};
use crate::i18n::{t, translate, use_lang};
use leptos::prelude::*;

#[component]
pub fn ExportsPage() -> impl IntoView {
    if !use_operator().is_some_and(|v| v.can(EXPORTS_EXPORT)) {
        return view! { <PageHeader title="console.exports" crumbs=vec![]/><ForbiddenState/> }.into_any();
    }
    let cursor = query_param("cursor");
    let datasets = Resource::new(|| (), |_| export_datasets());
    let list = Resource::new(cursor, my_exports);
    view! {
        <PageHeader title="console.exports" crumbs=vec![]/>
        <QueuedNotice/>
        <Section id="export-new-title" title=t("exports.new")>
            <p class=HINT>{t("exports.new_hint")}</p>
            <DetailResult resource=datasets let:choices>
                <ExportForm choices/>
            </DetailResult>
        </Section>
        <Section id="export-mine-title" title=t("exports.mine")>
            <ListResult resource=list empty="exports.empty" empty_hint="exports.empty_hint" keep=&[] let:rows>
                <ExportsTable rows/>
            </ListResult>
        </Section>
    }
    .into_any()
}

/// After a large export was queued, the page says so (`?queued=<id>`).
#[component]
fn QueuedNotice() -> impl IntoView {
    let queued = query_param("queued");
    move || {
        queued().map(|_| view! { <p role="status" class=format!("{NOTICE} mb-4") data-testid="export-queued">{t("exports.queued_notice")}</p> })
    }
}

/// The refusal of the last submission, under its field (`?field=<name>&error=<message key>`).
#[component]
fn FieldError(name: &'static str) -> impl IntoView {
    let (lang, field, error) = (use_lang(), query_param("field"), query_param("error"));
    move || {
        (field().as_deref() == Some(name)).then(|| {
            let key = error().unwrap_or_default();
            view! {
                <p id=format!("export-{name}-error") role="alert" class="text-sm text-red-600" data-testid=format!("error-{name}")>
                    {move || translate(lang.get(), &key)}
                </p>
            }
        })
    }
}

#[component]
fn ExportForm(choices: Vec<(String, bool)>) -> impl IntoView {
    let (lang, current) = (use_lang(), query_param("dataset"));
    view! {
        <form method="post" action=RUN_PATH class="mt-4 space-y-4" data-testid="export-form">
            <div class="flex flex-wrap items-end gap-3">
                <div class="space-y-1">
                    <label for="export-dataset" class=LABEL>{t("exports.dataset")}</label>
                    <select id="export-dataset" name="dataset" class=INPUT required=true>
                        <option value="">{t("exports.choose")}</option>
                        {choices.into_iter().map(|(name, personal)| {
                            let key = format!("exports.dataset.{name}");
                            let selected = { let name = name.clone(); move || current().as_deref() == Some(name.as_str()) };
                            view! {
                                <option value=name.clone() selected=selected>
                                    {move || translate(lang.get(), &key)}
                                    {personal.then(|| view! { " · "{t("exports.personal")} })}
                                </option>
                            }
                        }).collect_view()}
                    </select>
                    <FieldError name="dataset"/>
                </div>
                <PeriodFields default="30d"/>
                <div class="space-y-1">
                    <TextFilter name="status" label="exports.status" maxlength=40/>
                    <FieldError name="status"/>
                </div>
                <div class="space-y-1">
                    <TextFilter name="seller" label="exports.seller" maxlength=20/>
                    <FieldError name="seller"/>
                </div>
            </div>
            <div class="space-y-1">
                <FieldError name="period"/>
                <FieldError name="from"/>
                <FieldError name="to"/>
            </div>
            <p class=HINT>{t("exports.personal_hint")}</p>
            <div class="grid gap-3 sm:grid-cols-2">
                <div class="space-y-1">
                    <label for="export-reason" class=LABEL>{t("exports.reason")}</label>
                    <textarea id="export-reason" name="reason" rows="2" maxlength="2000" class=INPUT></textarea>
                    <FieldError name="reason"/>
                </div>
                <div class="space-y-1">
                    <label for="export-password" class=LABEL>{t("exports.password")}</label>
                    <input id="export-password" name="password" type="password" autocomplete="current-password" maxlength="128" class=INPUT/>
                    <FieldError name="password"/>
                </div>
            </div>
            <button type="submit" class=BUTTON_PRIMARY data-testid="export-submit">{t("exports.submit")}</button>
        </form>
    }
}

fn tone(status: ExportStatus) -> Tone {
    match status {
        ExportStatus::Streamed | ExportStatus::Ready => Tone::Success,
        ExportStatus::Queued | ExportStatus::Running => Tone::Progress,
        ExportStatus::Failed => Tone::Danger,
        ExportStatus::Expired => Tone::Neutral,
    }
}

#[component]
fn ExportsTable(rows: Vec<ExportRow>) -> impl IntoView {
    let lang = use_lang();
    let columns = vec![
        "exports.col.id",
        "exports.col.dataset",
        "exports.col.period",
        "exports.col.status",
        "exports.col.progress",
        "exports.col.rows",
        "exports.col.created",
        "exports.col.expires",
        "exports.download",
    ];
    view! {
        <DataTable caption="exports.caption" columns testid="exports-table">
            {rows.into_iter().map(|r| {
                let dataset_key = format!("exports.dataset.{}", r.dataset);
                let status_key = format!("exports.state.{}", r.status.as_str());
                let percent = format!("{} %", r.percent());
                view! {
                    <tr data-testid="export-row" data-id=r.id.to_string() data-status=r.status.as_str()>
                        <td class=format!("{TD} tabular-nums")>{format!("#{}", r.id)}</td>
                        <td class=TD>{move || translate(lang.get(), &dataset_key)}</td>
                        <td class=format!("{TD} tabular-nums")>{format!("{} – {}", r.from, r.to)}</td>
                        <td class=TD>
                            <StatusBadge tone=tone(r.status) label=move || translate(lang.get(), &status_key) status=r.status.as_str().to_string()/>
                        </td>
                        <td class=format!("{TD} tabular-nums whitespace-nowrap")>
                            <progress max="100" value=r.percent().to_string() aria-label=t("exports.col.progress") class="mr-2 h-2 w-20 align-middle"></progress>
                            <span data-testid="export-progress">{percent}</span>
                        </td>
                        <td class=format!("{TD} tabular-nums whitespace-nowrap") data-testid="export-rows">{format!("{} / {}", r.rows_done, r.rows_total)}</td>
                        <td class=TD><Time ms=r.created_at_ms/></td>
                        <td class=TD>{r.expires_at_ms.map(|ms| view! { <Time ms/> })}</td>
                        <td class=TD>
                            {r.downloadable.then(|| view! {
                                <form method="post" action=file_path(r.id)>
                                    <button type="submit" class=BUTTON_SECONDARY_SMALL data-testid="export-download">{t("exports.download")}</button>
                                </form>
                            })}
                        </td>
                    </tr>
                }
            }).collect_view()}
        </DataTable>
    }
}

/// The exports page with a dataset and a report's query filled in: a report's export link.
pub fn export_link(dataset: &str, query: &[(&str, Option<String>)]) -> String {
    let mut pairs = vec![("dataset", Some(dataset.to_string()))];
    pairs.extend(query.iter().map(|(k, v)| (*k, v.clone())));
    format!("{PAGE_PATH}?{}", crate::components::query_string(&pairs))
}
