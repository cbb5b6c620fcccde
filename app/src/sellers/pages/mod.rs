//! `/sell`: apply to sell, attach documents, submit, and follow the application (status, the reason
//! of the last decision, the full history) until the seller is active. The team page is in
//! `sellers/team.rs` (it uses the badge from here; nothing here uses it, so no
//! import circle).
pub mod console;
pub mod console_detail;

use super::api::{my_seller_application, RemoveSellerDocument, SaveSellerApplication, SubmitSellerApplication};
use super::model::{
    action_key, business_type_key, document_kind_key, human_size, status_key, Application, DocumentRow, MyApplication,
    TransitionRow,
};
use crate::components::form::{field_error, form_error};
use crate::components::styles::{BUTTON_PRIMARY, CARD, FIELD_ERROR, FILE_INPUT, HINT, INPUT, LABEL, LINK, MUTED};
use crate::components::{
    notify_and_reload, DetailResult, DoneNotice, Field, Fields, FormAlert, StatusBadge, SubmitButton, TextField, Time,
    Tone,
};
use crate::domain::seller::{SellerStatus, BUSINESS_TYPES, REGIONS};
use crate::domain::upload::DOCUMENT_KINDS;
use crate::i18n::{t, translate, use_lang};
use crate::session::use_session;
use leptos::html;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

/// What a seller status means to the reader.
fn seller_tone(status: SellerStatus) -> Tone {
    match status {
        SellerStatus::Draft => Tone::Neutral,
        SellerStatus::Submitted => Tone::Info,
        SellerStatus::Returned => Tone::Warning,
        SellerStatus::Rejected | SellerStatus::Suspended => Tone::Danger,
        SellerStatus::Approved => Tone::Progress,
        SellerStatus::Active => Tone::Success,
    }
}

/// A seller status as a badge (`data-testid="seller-status"`, `data-status` = the stored state).
#[component]
pub fn SellerStatusBadge(status: SellerStatus) -> impl IntoView {
    view! {
        <StatusBadge tone=seller_tone(status) label=t(status_key(status)) testid="seller-status" status=status.as_str().to_string()/>
    }
}

#[component]
pub fn ApplyPage() -> impl IntoView {
    let session = use_session();
    view! {
        <Title text=crate::i18n::title("sellers.apply.title")/>
        {move || match session.viewer.get() {
            None => view! { <Redirect path="/signin?next=/sell"/> }.into_any(),
            Some(viewer) => view! { <Apply me=viewer.user_id/> }.into_any(),
        }}
    }
}

#[component]
fn Apply(me: i64) -> impl IntoView {
    let refresh = RwSignal::new(0u32);
    let notice = RwSignal::new(None::<&'static str>);
    let save = ServerAction::<SaveSellerApplication>::new();
    let submit = ServerAction::<SubmitSellerApplication>::new();
    let remove = ServerAction::<RemoveSellerDocument>::new();
    notify_and_reload(move || save.value().get(), refresh, notice, "sellers.apply.saved");
    notify_and_reload(move || submit.value().get(), refresh, notice, "sellers.apply.submitted");
    notify_and_reload(move || remove.value().get(), refresh, notice, "sellers.doc.removed");
    let mine = Resource::new(move || refresh.get(), |_| my_seller_application());
    let actions = Actions { save, submit, remove, refresh, notice };
    view! {
        <div class="mx-auto max-w-3xl space-y-6">
            <header>
                <h1 class="text-2xl font-semibold tracking-tight">{t("sellers.apply.title")}</h1>
                <p class="mt-1 text-slate-600">{t("sellers.apply.intro")}</p>
            </header>
            <DoneNotice notice/>
            <DetailResult resource=mine let:mine>
                {match mine {
                    // New applications can be paused (a feature flag); the server refuses them too.
                    MyApplication::None if !crate::settings::model::use_flag("seller_signups") => view! {
                        <p role="note" class=CARD data-testid="seller-signups-paused">{t("sellers.signups_paused")}</p>
                    }.into_any(),
                    MyApplication::None => view! { <ApplicationForm app=None actions/> }.into_any(),
                    MyApplication::Staff { organisation_name, status } => view! {
                        <section class=CARD data-testid="staff-of-seller">
                            <h2 class="font-semibold">{t("sellers.apply.staff_title")}</h2>
                            <p class="mt-1 text-sm text-slate-600">{t("sellers.apply.staff_body")}</p>
                            <p class="mt-3 flex items-center gap-2 text-sm"><span class="font-medium">{organisation_name}</span><SellerStatusBadge status/></p>
                            <a href="/seller" class=format!("mt-4 inline-block text-sm font-medium {LINK}")>{t("sellers.go_to_center")}</a>
                        </section>
                    }.into_any(),
                    MyApplication::Owner(app) => view! { <Tracker app=*app me actions/> }.into_any(),
                }}
            </DetailResult>
        </div>
    }
}

#[derive(Clone, Copy)]
struct Actions {
    save: ServerAction<SaveSellerApplication>,
    submit: ServerAction<SubmitSellerApplication>,
    remove: ServerAction<RemoveSellerDocument>,
    refresh: RwSignal<u32>,
    notice: RwSignal<Option<&'static str>>,
}

/// The steps an application goes through, and where this one is.
const STEPS: [(SellerStatus, &str); 4] = [
    (SellerStatus::Draft, "sellers.step.draft"),
    (SellerStatus::Submitted, "sellers.step.submitted"),
    (SellerStatus::Approved, "sellers.step.approved"),
    (SellerStatus::Active, "sellers.step.active"),
];

fn step_index(status: SellerStatus) -> usize {
    match status {
        SellerStatus::Draft | SellerStatus::Returned => 0,
        SellerStatus::Submitted | SellerStatus::Rejected => 1,
        SellerStatus::Approved => 2,
        SellerStatus::Active | SellerStatus::Suspended => 3,
    }
}

/// What the applicant should do next, by status.
fn next_key(status: SellerStatus) -> &'static str {
    match status {
        SellerStatus::Draft => "sellers.next.draft",
        SellerStatus::Submitted => "sellers.next.submitted",
        SellerStatus::Returned => "sellers.next.returned",
        SellerStatus::Rejected => "sellers.next.rejected",
        SellerStatus::Approved => "sellers.next.approved",
        SellerStatus::Active => "sellers.next.active",
        SellerStatus::Suspended => "sellers.next.suspended",
    }
}

#[component]
fn Tracker(app: Application, me: i64, actions: Actions) -> impl IntoView {
    let status = app.status;
    let current = step_index(status);
    let reason = (!app.last_reason.is_empty()
        && matches!(status, SellerStatus::Returned | SellerStatus::Rejected | SellerStatus::Suspended))
    .then(|| app.last_reason.clone());
    let reason_title = match status {
        SellerStatus::Returned => "sellers.reason.returned",
        SellerStatus::Rejected => "sellers.reason.rejected",
        _ => "sellers.reason.suspended",
    };
    let editable = status.is_editable();
    view! {
        <section class=CARD aria-labelledby="status-title" data-testid="application-status">
            <div class="flex flex-wrap items-center justify-between gap-2">
                <h2 id="status-title" class="text-lg font-semibold">{app.name.clone()}</h2>
                <SellerStatusBadge status/>
            </div>
            <ol class="mt-4 grid grid-cols-4 gap-2" aria-label=t("sellers.steps")>
                {STEPS.into_iter().enumerate().map(|(i, (_, key))| {
                    let (bar, text) = if i < current || (i == current && status == SellerStatus::Active) {
                        ("bg-indigo-600", "text-indigo-700")
                    } else if i == current {
                        ("bg-indigo-300", "text-slate-900 font-medium")
                    } else {
                        ("bg-slate-200", "text-slate-500")
                    };
                    view! {
                        <li aria-current=(i == current).then_some("step") class="space-y-1">
                            <span aria-hidden="true" class=format!("block h-1.5 rounded-full {bar}")></span>
                            <span class=format!("block text-xs {text}")>{t(key)}</span>
                        </li>
                    }
                }).collect_view()}
            </ol>
            <p class="mt-4 text-sm text-slate-700" data-testid="next-step">{t(next_key(status))}</p>
            {reason.map(|r| view! {
                <div class="mt-4 rounded-md border border-amber-200 bg-amber-50 p-3" data-testid="last-reason">
                    <p class="text-sm font-medium text-amber-900">{t(reason_title)}</p>
                    <p class="mt-1 whitespace-pre-wrap text-sm text-amber-900">{r}</p>
                </div>
            })}
            {(status == SellerStatus::Active).then(|| view! {
                <a href="/seller" data-testid="go-to-center" class=format!("mt-4 {BUTTON_PRIMARY}")>{t("sellers.go_to_center")}</a>
            })}
        </section>
        {if editable {
            view! {
                <ApplicationForm app=Some(app.clone()) actions/>
                <Documents docs=app.documents.clone() editable=true actions/>
                <SubmitCard has_licence=app.has_business_licence() resubmit=status == SellerStatus::Returned actions/>
            }.into_any()
        } else {
            view! {
                <Summary app=app.clone()/>
                <Documents docs=app.documents.clone() editable=false actions/>
            }.into_any()
        }}
        <History rows=app.history.clone() me console=false/>
    }
}

/// A `<select>` of `options` (`value`, message key) with an empty "choose" first.
#[component]
pub(crate) fn Select(
    label: &'static str,
    name: &'static str,
    options: Vec<(&'static str, String)>,
    selected: String,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let id = format!("field-{name}");
    let err_id = format!("{id}-error");
    let err_id2 = err_id.clone();
    let lang = use_lang();
    view! {
        <div class="space-y-1">
            <label for=id.clone() class=LABEL>{t(label)}</label>
            <select id=id name=name required=true class=INPUT
                aria-invalid=move || error.get().is_some().to_string()
                aria-describedby=move || error.get().map(|_| err_id.clone()).unwrap_or_default()>
                <option value="">{t("sellers.form.choose")}</option>
                {options.into_iter().map(|(value, key)| view! {
                    <option value=value selected=selected == value>{move || translate(lang.get(), &key)}</option>
                }).collect_view()}
            </select>
            {move || error.get().map(|e| view! { <p id=err_id2.clone() class=FIELD_ERROR data-testid=format!("error-{name}")>{e}</p> })}
        </div>
    }
}

#[component]
fn ApplicationForm(app: Option<Application>, actions: Actions) -> impl IntoView {
    let save = actions.save;
    let result = move || save.value().get();
    let a = app.clone();
    let get = move |f: fn(&Application) -> String| a.as_ref().map(f).unwrap_or_default();
    let business: Vec<(&'static str, String)> =
        BUSINESS_TYPES.into_iter().map(|b| (b, business_type_key(b).to_string())).collect();
    let regions: Vec<(&'static str, String)> =
        REGIONS.into_iter().map(|r| (r, format!("sellers.region.{r}"))).collect();
    let description_error = field_error(result, "description");
    let title = if app.is_some() { "sellers.form.edit_title" } else { "sellers.form.new_title" };
    view! {
        <section class=CARD aria-labelledby="form-title">
            <h2 id="form-title" class="font-semibold">{t(title)}</h2>
            <p class="mt-1 text-sm text-slate-600">{t("sellers.form.hint")}</p>
            <ActionForm action=save attr:class="mt-4 grid gap-4 sm:grid-cols-2" attr:data-testid="application-form">
                <div class="sm:col-span-2">
                    <TextField label="sellers.field.name" name="name" maxlength=80 value=get(|a| a.name.clone()) error=field_error(result, "name")/>
                </div>
                <TextField label="sellers.field.contact_name" name="contact_name" maxlength=80 autocomplete="name" value=get(|a| a.contact_name.clone()) error=field_error(result, "contact_name")/>
                <TextField label="sellers.field.contact_email" name="contact_email" kind="email" autocomplete="email" maxlength=254 value=get(|a| a.contact_email.clone()) error=field_error(result, "contact_email")/>
                <TextField label="sellers.field.contact_phone" name="contact_phone" kind="tel" autocomplete="tel" maxlength=30 value=get(|a| a.contact_phone.clone()) error=field_error(result, "contact_phone")/>
                <Select label="sellers.field.business_type" name="business_type" options=business selected=get(|a| a.business_type.clone()) error=field_error(result, "business_type")/>
                <Select label="sellers.field.region" name="region" options=regions selected=get(|a| a.region.clone()) error=field_error(result, "region")/>
                <div class="space-y-1 sm:col-span-2">
                    <label for="field-description" class=LABEL>{t("sellers.field.description")}</label>
                    <textarea id="field-description" name="description" rows="4" maxlength="2000" class=INPUT
                        aria-invalid=move || description_error.get().is_some().to_string()
                        aria-describedby="field-description-hint"
                        prop:value=get(|a| a.description.clone())>{get(|a| a.description.clone())}</textarea>
                    <p id="field-description-hint" class=HINT>{t("sellers.field.description_hint")}</p>
                    {move || description_error.get().map(|e| view! { <p class=FIELD_ERROR data-testid="error-description">{e}</p> })}
                </div>
                <div class="space-y-3 sm:col-span-2">
                    <FormAlert error=form_error(result)/>
                    <SubmitButton label="sellers.form.save" pending=save.pending()/>
                </div>
            </ActionForm>
        </section>
    }
}

/// The application as sent, read-only (while in review or after a decision).
#[component]
fn Summary(app: Application) -> impl IntoView {
    let region_key = format!("sellers.region.{}", app.region);
    let lang = use_lang();
    view! {
        <section class=CARD aria-labelledby="summary-title">
            <h2 id="summary-title" class="font-semibold">{t("sellers.summary")}</h2>
            <ApplicationFacts app=app.clone() region=Signal::derive(move || translate(lang.get(), &region_key))/>
        </section>
    }
}

/// The application's fields as a definition list (shared with the console).
#[component]
pub(crate) fn ApplicationFacts(app: Application, #[prop(into)] region: Signal<String>) -> impl IntoView {
    let dates = [
        ("sellers.submitted_at", app.submitted_at_ms),
        ("sellers.decided_at", app.decided_at_ms),
        ("sellers.activated_at", app.activated_at_ms),
        ("sellers.suspended_at", app.suspended_at_ms),
    ];
    view! {
        <div data-testid="application-facts">
            <Fields>
                <Field label="sellers.field.name">{app.name.clone()}</Field>
                <Field label="sellers.field.contact_name">{app.contact_name.clone()}</Field>
                <Field label="sellers.field.contact_email">{app.contact_email.clone()}</Field>
                <Field label="sellers.field.contact_phone">{app.contact_phone.clone()}</Field>
                <Field label="sellers.field.business_type">{t(business_type_key(&app.business_type))}</Field>
                <Field label="sellers.field.region">{move || region.get()}</Field>
                <Field label="sellers.field.description"><span class="whitespace-pre-wrap">{app.description.clone()}</span></Field>
                {dates.into_iter().filter_map(|(label, ms)| ms.map(|ms| view! { <Field label><Time ms/></Field> })).collect_view()}
            </Fields>
        </div>
    }
}

/// The documents table (shared with the console, where `actions` is absent and nothing is removable).
#[component]
pub(crate) fn DocumentTable(
    docs: Vec<DocumentRow>,
    #[prop(default = None)] remove: Option<ServerAction<RemoveSellerDocument>>,
) -> impl IntoView {
    if docs.is_empty() {
        return view! { <p class=MUTED data-testid="no-documents">{t("sellers.doc.none")}</p> }.into_any();
    }
    view! {
        <ul class="divide-y divide-slate-100" data-testid="documents">
            {docs.into_iter().map(|d| {
                let label = d.file_name.clone();
                view! {
                    <li class="flex flex-wrap items-center justify-between gap-2 py-2 text-sm" data-testid="document-row">
                        <div class="min-w-0">
                            <a href=d.url.clone() class="font-medium text-indigo-700 hover:underline break-all" target="_blank" rel="noopener">{d.file_name.clone()}</a>
                            <p class="text-xs text-slate-500">
                                {t(document_kind_key(&d.kind))} " · " {human_size(d.size_bytes)} " · " <Time ms=d.uploaded_at_ms/>
                            </p>
                        </div>
                        {remove.map(|remove| view! {
                            <ActionForm action=remove>
                                <input type="hidden" name="id" value=d.id/>
                                <button type="submit" aria-label=move || format!("{} {}", translate(use_lang().get(), "sellers.doc.remove"), label)
                                    class="rounded-md px-2 py-1 text-sm text-red-700 hover:bg-red-50">{t("sellers.doc.remove")}</button>
                            </ActionForm>
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn Documents(docs: Vec<DocumentRow>, editable: bool, actions: Actions) -> impl IntoView {
    let remove_result = move || actions.remove.value().get();
    view! {
        <section class=CARD aria-labelledby="docs-title" id="documents">
            <h2 id="docs-title" class="font-semibold">{t("sellers.doc.title")}</h2>
            <p class="mt-1 text-sm text-slate-600">{t(if editable { "sellers.doc.hint" } else { "sellers.doc.locked" })}</p>
            <div class="mt-3">
                <DocumentTable docs remove=editable.then_some(actions.remove)/>
                <FormAlert error=form_error(remove_result)/>
            </div>
            {editable.then(|| view! { <UploadForm refresh=actions.refresh notice=actions.notice/> })}
        </section>
    }
}

/// Uploads a document with `fetch` and a `FormData` of this form (see the uploads contract); without
/// the WASM the form posts itself to the same endpoint.
#[component]
fn UploadForm(refresh: RwSignal<u32>, notice: RwSignal<Option<&'static str>>) -> impl IntoView {
    let lang = use_lang();
    let form = NodeRef::<html::Form>::new();
    let pending = RwSignal::new(false);
    // (field, message key) of the last failed upload.
    let error = RwSignal::new(None::<(String, String)>);
    let field_msg = move |field: &'static str| {
        Signal::derive(move || error.get().filter(|(f, _)| f == field).map(|(_, code)| translate(lang.get(), &code)))
    };
    let (file_error, kind_error) = (field_msg("file"), field_msg("kind"));
    let other_error = Signal::derive(move || {
        error.get().filter(|(f, _)| f != "file" && f != "kind").map(|(_, c)| translate(lang.get(), &c))
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(el) = form.get_untracked() else { return };
        pending.set(true);
        error.set(None);
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            match upload_document(&el).await {
                Ok(()) => {
                    el.reset();
                    notice.set(Some("sellers.doc.uploaded"));
                    refresh.update(|n| *n += 1);
                }
                Err(e) => error.set(Some(e)),
            }
            pending.set(false);
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (el, refresh, notice);
    };
    view! {
        <form node_ref=form method="post" action="/uploads/seller-document" enctype="multipart/form-data"
            on:submit=on_submit class="mt-4 grid gap-3 rounded-lg border border-dashed border-slate-300 p-4 sm:grid-cols-[1fr_2fr_auto] sm:items-end"
            data-testid="upload-form" aria-labelledby="upload-title">
            <p id="upload-title" class="text-sm font-medium sm:col-span-3">{t("sellers.doc.add")}</p>
            <div class="space-y-1">
                <label for="doc-kind" class=LABEL>{t("sellers.doc.kind")}</label>
                <select id="doc-kind" name="kind" required=true class=INPUT aria-invalid=move || kind_error.get().is_some().to_string()>
                    {DOCUMENT_KINDS.into_iter().map(|k| view! { <option value=k>{t(document_kind_key(k))}</option> }).collect_view()}
                </select>
                {move || kind_error.get().map(|e| view! { <p class=FIELD_ERROR data-testid="error-kind">{e}</p> })}
            </div>
            <div class="space-y-1">
                <label for="doc-file" class=LABEL>{t("sellers.doc.file")}</label>
                <input id="doc-file" name="file" type="file" required=true accept="application/pdf,image/jpeg,image/png"
                    aria-describedby="doc-file-hint" aria-invalid=move || file_error.get().is_some().to_string()
                    class=FILE_INPUT/>
                <p id="doc-file-hint" class=HINT>{t("sellers.doc.file_hint")}</p>
                {move || file_error.get().map(|e| view! { <p class=FIELD_ERROR data-testid="error-file">{e}</p> })}
            </div>
            <SubmitButton label="sellers.doc.upload" pending=pending/>
            <div class="sm:col-span-3"><FormAlert error=other_error/></div>
        </form>
    }
}

/// POSTs the form to `/uploads/seller-document`; on refusal, the `(field, code)` the server named.
#[cfg(feature = "hydrate")]
async fn upload_document(form: &web_sys::HtmlFormElement) -> Result<(), (String, String)> {
    let data = web_sys::FormData::new_with_form(form).map_err(|_| (String::new(), "error.network".to_string()))?;
    crate::components::upload::post_upload("/uploads/seller-document", &data).await.map(|_| ())
}

#[component]
fn SubmitCard(has_licence: bool, resubmit: bool, actions: Actions) -> impl IntoView {
    let submit = actions.submit;
    let result = move || submit.value().get();
    let documents_error = field_error(result, "documents");
    view! {
        <section class=CARD aria-labelledby="submit-title">
            <h2 id="submit-title" class="font-semibold">{t(if resubmit { "sellers.submit.again_title" } else { "sellers.submit.title" })}</h2>
            <p class="mt-1 text-sm text-slate-600">{t("sellers.submit.hint")}</p>
            {(!has_licence).then(|| view! {
                <p class="mt-2 text-sm text-amber-800" data-testid="licence-missing">{t("sellers.submit.licence_missing")}</p>
            })}
            <ActionForm action=submit attr:class="mt-4 space-y-3" attr:data-testid="submit-form">
                {move || documents_error.get().map(|e| view! { <p role="alert" class=FIELD_ERROR data-testid="error-documents">{e}</p> })}
                <FormAlert error=form_error(result)/>
                <SubmitButton label=if resubmit { "sellers.submit.again" } else { "sellers.submit.button" } pending=submit.pending()/>
            </ActionForm>
        </section>
    }
}

/// The full history, oldest first. The applicant sees "you" or "the Agora team"; the console sees
/// who acted.
#[component]
pub(crate) fn History(rows: Vec<TransitionRow>, me: i64, console: bool) -> impl IntoView {
    let body = if rows.is_empty() {
        view! { <p class=MUTED>{t("sellers.history.none")}</p> }.into_any()
    } else {
        view! {
            <ol class="relative space-y-4 border-l border-slate-200 pl-5" data-testid="history">
                {rows.into_iter().map(|r| {
                    let who = if console {
                        view! { <span>{r.actor_name.clone()} " (" {r.actor_email.clone()} ")"</span> }.into_any()
                    } else if r.actor_id == me {
                        view! { <span>{t("sellers.history.you")}</span> }.into_any()
                    } else {
                        view! { <span>{t("sellers.history.team")}</span> }.into_any()
                    };
                    let reason = (!r.reason.is_empty()).then(|| r.reason.clone());
                    view! {
                        <li class="text-sm" data-testid="history-row" data-action=r.action.clone()>
                            <span aria-hidden="true" class="absolute -left-1.5 mt-1.5 h-3 w-3 rounded-full border-2 border-white bg-indigo-500"></span>
                            <p class="font-medium">{t(action_key(&r.action))}
                                {(r.from_status != r.to_status).then(|| view! {
                                    <span class="ml-2 text-xs font-normal text-slate-500">{t(status_key(r.from_status))} " → " {t(status_key(r.to_status))}</span>
                                })}
                            </p>
                            <p class="text-xs text-slate-500"><Time ms=r.at_ms/> " · " {who}</p>
                            {reason.map(|reason| view! { <p class="mt-1 whitespace-pre-wrap rounded bg-slate-50 p-2 text-slate-700">{reason}</p> })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        }
        .into_any()
    };
    view! {
        <section class=CARD aria-labelledby="history-title">
            <h2 id="history-title" class="mb-3 font-semibold">{t("sellers.history.title")}</h2>
            {body}
        </section>
    }
}
