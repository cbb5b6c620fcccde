//! `/console/templates`: every template (event, channel, locale, version, enabled) and the coverage of
//! missing ones. `/console/templates/:id`: the editor — variables, subject and bodies, enabled, preview
//! with sample values, save as a new version, send a test to yourself, older versions to restore.

use super::api::{
    get_template, list_templates, missing_templates, PreviewTemplate, RestoreTemplate, SaveTemplate, SendTemplateTest,
};
use super::model::{MissingTemplate, TemplateDetail, TemplateListRow, VersionRow};
use crate::components::form::{field_error, form_error};
use crate::components::styles::{CARD, HINT, INPUT, LABEL, TD};
use crate::components::{
    query_param, DataTable, DetailResult, DoneNotice, Field, Fields, FilterBar, ForbiddenState, FormAlert, ListResult,
    Section, StatusBadge, SubmitButton, TextField, TextFilter, Time, Tone,
};
use crate::domain::permissions::TEMPLATES_MANAGE;
use crate::error::AppError;
use crate::frame::console::shell::{use_operator, PageHeader};
use crate::i18n::{t, translate, use_lang};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

fn allowed() -> bool {
    use_operator().is_some_and(|v| v.can(TEMPLATES_MANAGE))
}

#[component]
fn EnabledBadge(enabled: bool) -> impl IntoView {
    if enabled {
        view! { <StatusBadge tone=Tone::Success label=t("console_templates.enabled") testid="template-enabled"/> }
    } else {
        view! { <StatusBadge tone=Tone::Neutral label=t("console_templates.disabled") testid="template-enabled"/> }
    }
}

#[component]
pub fn TemplatesPage() -> impl IntoView {
    if !allowed() {
        return view! { <PageHeader title="console.templates" crumbs=vec![]/><ForbiddenState/> }.into_any();
    }
    let (event, cursor) = (query_param("event"), query_param("cursor"));
    let list = Resource::new(move || (event(), cursor()), |(e, c)| list_templates(e, c));
    let missing = Resource::new(|| (), |_| missing_templates());
    view! {
        <PageHeader title="console.templates" crumbs=vec![]/>
        <Section id="coverage-title" title=t("console_templates.coverage")>
            <Transition fallback=|| ()>
                {move || missing.get().map(|r| match r {
                    Ok(m) => view! { <Coverage missing=m/> }.into_any(),
                    Err(e) => view! { <crate::components::ErrorState error=e/> }.into_any(),
                })}
            </Transition>
        </Section>
        <div class="my-4">
            <FilterBar action="/console/templates" label="console_templates.filters">
                <TextFilter name="event" label="console_templates.filter.event"/>
            </FilterBar>
        </div>
        <ListResult resource=list empty="console_templates.empty" keep=&["event"] let:rows>
            <TemplateTable rows/>
        </ListResult>
    }
    .into_any()
}

#[component]
fn Coverage(missing: Vec<MissingTemplate>) -> impl IntoView {
    if missing.is_empty() {
        return view! { <p class="mt-1 text-sm text-green-700" data-testid="coverage-complete">{t("console_templates.coverage_complete")}</p> }.into_any();
    }
    view! {
        <p class="mt-1 text-sm text-red-700">{t("console_templates.coverage_missing")}</p>
        <ul class="mt-2 list-disc pl-5 text-sm" data-testid="coverage-missing">
            {missing.into_iter().map(|m| view! { <li class="font-mono">{format!("{} · {} · {}", m.event_type, m.channel, m.locale)}</li> }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn TemplateTable(rows: Vec<TemplateListRow>) -> impl IntoView {
    let columns = vec![
        "console_templates.col.event",
        "console_templates.col.channel",
        "console_templates.col.locale",
        "console_templates.col.version",
        "console_templates.col.state",
        "console_templates.col.updated",
    ];
    view! {
        <DataTable caption="console_templates.caption" columns testid="templates-table">
            {rows.into_iter().map(|r| view! {
                <tr class="hover:bg-slate-50" data-testid="template-row" data-event=r.event_type.clone() data-locale=r.locale.clone()>
                    <td class=TD><a href=format!("/console/templates/{}", r.id) class="font-mono text-indigo-700 hover:underline">{r.event_type.clone()}</a></td>
                    <td class=TD>{r.channel.clone()}</td>
                    <td class=TD>{r.locale.clone()}</td>
                    <td class=format!("{TD} tabular-nums")>"v"{r.version}</td>
                    <td class=TD><EnabledBadge enabled=r.enabled/></td>
                    <td class=TD><Time ms=r.updated_at_ms/></td>
                </tr>
            }).collect_view()}
        </DataTable>
    }
}

#[component]
pub fn TemplatePage() -> impl IntoView {
    let crumbs = vec![("console.templates", "/console/templates")];
    if !allowed() {
        return view! { <PageHeader title="console_templates.editor" crumbs/><ForbiddenState/> }.into_any();
    }
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id")).and_then(|s| s.parse::<i64>().ok()).filter(|id| *id > 0);
    let save = ServerAction::<SaveTemplate>::new();
    let restore = ServerAction::<RestoreTemplate>::new();
    let test = ServerAction::<SendTemplateTest>::new();
    let notice = RwSignal::new(None::<&'static str>);
    Effect::new(move |_| {
        if let Some(Ok(_)) = save.value().get() {
            notice.set(Some("console_templates.saved"));
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = restore.value().get() {
            notice.set(Some("console_templates.restored"));
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = test.value().get() {
            notice.set(Some("console_templates.test_sent"));
        }
    });
    let detail = Resource::new(
        move || (id(), save.version().get(), restore.version().get()),
        |(id, _, _)| async move {
            match id {
                Some(id) => get_template(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <PageHeader title="console_templates.editor" crumbs/>
        <div class="space-y-4">
            <DoneNotice notice/>
            <DetailResult resource=detail not_found="console_templates.not_found" let:d>
                // Keyed by version: a restored or saved version gets fresh fields. Rebuilt in place, the
                // inputs would keep what was typed (an attribute change does not reset an edited field).
                <For each=move || [d.clone()] key=|d| d.row.version let:d>
                    <Editor d save restore test/>
                </For>
            </DetailResult>
        </div>
    }
    .into_any()
}

#[component]
fn Editor(
    d: TemplateDetail,
    save: ServerAction<SaveTemplate>,
    restore: ServerAction<RestoreTemplate>,
    test: ServerAction<SendTemplateTest>,
) -> impl IntoView {
    let preview = ServerAction::<PreviewTemplate>::new();
    let result = move || save.value().get();
    let preview_result = move || preview.value().get();
    // A problem found by the preview is shown like one found by saving.
    let error_of = move |field: &'static str| {
        Signal::derive(move || field_error(result, field).get().or_else(|| field_error(preview_result, field).get()))
    };
    let lang = use_lang();
    let form = NodeRef::<leptos::html::Form>::new();
    let id = d.row.id;
    let category = format!("console_templates.category.{}", d.category);
    view! {
        <div class="grid gap-6 lg:grid-cols-3">
            <div class="space-y-6 lg:col-span-2">
                <section class=CARD aria-labelledby="editor-title">
                    <h2 id="editor-title" class="text-lg font-semibold">
                        <span class="font-mono" data-testid="template-event">{d.row.event_type.clone()}</span>
                        <span class="ml-2 text-sm font-normal text-slate-500">{format!("{} · {} · v{}", d.row.channel, d.row.locale, d.row.version)}</span>
                    </h2>
                    <ActionForm action=save node_ref=form attr:class="mt-4 space-y-4" attr:data-testid="template-form">
                        <input type="hidden" name="id" value=id.to_string()/>
                        <TextField label="console_templates.subject" name="subject" value=d.subject.clone() maxlength=200 error=error_of("subject")/>
                        <BodyField name="body_text" label="console_templates.body_text" value=d.body_text.clone() rows=10 error=error_of("body_text")/>
                        <BodyField name="body_html" label="console_templates.body_html" value=d.body_html.clone() rows=12 error=error_of("body_html")/>
                        <label class="flex items-center gap-2 text-sm">
                            <input type="checkbox" name="enabled" value="on" checked=d.row.enabled data-testid="template-enabled-input"/>
                            {t("console_templates.enabled_label")}
                        </label>
                        <FormAlert error=form_error(result)/>
                        <div class="flex flex-wrap gap-3">
                            <SubmitButton label="console_templates.save" pending=save.pending()/>
                            <button type="button" data-testid="preview-button"
                                class="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium hover:bg-slate-50"
                                on:click=move |_| {
                                    // The form's current fields, sent to the preview instead of the save.
                                    if let Some(fields) = form.get().and_then(|f| web_sys::FormData::new_with_form(&f).ok()) {
                                        let get = |k: &str| fields.get(k).as_string().unwrap_or_default();
                                        preview.dispatch(PreviewTemplate { id, subject: get("subject"), body_text: get("body_text"), body_html: get("body_html") });
                                    }
                                }>
                                {t("console_templates.preview")}
                            </button>
                        </div>
                    </ActionForm>
                </section>
                {move || preview_result().and_then(Result::ok).map(|p| view! {
                    <Section id="preview-title" title=t("console_templates.preview_title")>
                        <p class="mt-2 text-sm"><span class="font-medium">{t("console_templates.subject")}": "</span><span data-testid="preview-subject">{p.subject.clone()}</span></p>
                        <pre class="mt-2 whitespace-pre-wrap rounded-md bg-slate-50 p-3 text-sm" data-testid="preview-text">{p.text.clone()}</pre>
                        // The HTML body in a sandbox with no scripts and no same origin: what a mail client shows.
                        <iframe title=move || translate(lang.get(), "console_templates.preview_html") sandbox="" srcdoc=p.html.clone()
                            class="mt-2 h-64 w-full rounded-md border border-slate-200 bg-white" data-testid="preview-html"></iframe>
                    </Section>
                })}
            </div>
            <div class="space-y-6">
                <Section id="about-title" title=t("console_templates.about")>
                    <Fields>
                        <Field label="console_templates.category">{move || translate(lang.get(), &category)}</Field>
                        <Field label="console_templates.kind">{if d.transactional { t("console_templates.transactional") } else { t("console_templates.optional") }}</Field>
                    </Fields>
                </Section>
                <Section id="variables-title" title=t("console_templates.variables")>
                    <p class=HINT>{t("console_templates.variables_hint")}</p>
                    <ul class="mt-2 space-y-1 text-sm" data-testid="template-variables">
                        {d.variables.iter().map(|v| view! {
                            <li>
                                <code class="font-mono">{format!("{{{{{}}}}}", v.name)}</code>
                                {v.required.then(|| view! { <span class="ml-1 text-xs text-red-700">{t("console_templates.required")}</span> })}
                                <span class="ml-2 text-xs text-slate-500">{v.sample.clone()}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                </Section>
                <Section id="test-title" title=t("console_templates.test")>
                    <p class=HINT>{t("console_templates.test_hint")}</p>
                    <ActionForm action=test attr:class="mt-3" attr:data-testid="test-form">
                        <input type="hidden" name="id" value=id.to_string()/>
                        <FormAlert error=form_error(move || test.value().get())/>
                        <SubmitButton label="console_templates.test_submit" pending=test.pending()/>
                    </ActionForm>
                </Section>
                <Section id="versions-title" title=t("console_templates.versions")>
                    <Versions rows=d.versions.clone() current=d.row.version id restore/>
                </Section>
            </div>
        </div>
    }
}

#[component]
fn BodyField(
    name: &'static str,
    label: &'static str,
    value: String,
    rows: u32,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let id = format!("field-{name}");
    let err_id = format!("error-{name}");
    let err_id2 = err_id.clone();
    view! {
        <div class="space-y-1">
            <label for=id.clone() class=LABEL>{t(label)}</label>
            <textarea id=id name=name rows=rows.to_string() maxlength="65536" class=format!("{INPUT} font-mono")
                aria-invalid=move || error.get().is_some().to_string()
                aria-describedby=move || if error.get().is_some() { err_id.clone() } else { String::new() }>{value}</textarea>
            {move || error.get().map(|e| view! { <p id=err_id2.clone() class="text-sm text-red-600" data-testid=format!("error-{name}")>{e}</p> })}
        </div>
    }
}

#[component]
fn Versions(rows: Vec<VersionRow>, current: i64, id: i64, restore: ServerAction<RestoreTemplate>) -> impl IntoView {
    view! {
        <ul class="mt-2 divide-y divide-slate-100 text-sm" data-testid="template-versions">
            {rows.into_iter().map(|v| view! {
                <li class="flex items-center justify-between gap-2 py-2" data-testid="template-version" data-version=v.version.to_string()>
                    <div>
                        <p class="font-medium">"v"{v.version}{(v.version == current).then(|| view! { <span class="ml-1 text-xs text-green-700">{t("console_templates.current")}</span> })}</p>
                        <p class="text-xs text-slate-500"><Time ms=v.created_at_ms/>" · "{v.created_by.clone().unwrap_or_else(|| "—".into())}</p>
                    </div>
                    {(v.version != current).then(|| view! {
                        <ActionForm action=restore>
                            <input type="hidden" name="id" value=id.to_string()/>
                            <input type="hidden" name="version" value=v.version.to_string()/>
                            <button type="submit" class="text-sm font-medium text-indigo-700 hover:underline" data-testid="restore-button">{t("console_templates.restore")}</button>
                        </ActionForm>
                    })}
                </li>
            }).collect_view()}
        </ul>
    }
}
