//! The webhooks page, one for both sides: `/seller/webhooks` (the seller organisation's owner) and
//! `/console/webhooks` (operators with `webhooks.manage`, the platform's endpoints). It lists the
//! endpoints, adds one (its secret shown once), and per endpoint: send a test event, rotate the
//! secret (the new one shown once), disable/enable, edit, delete, and the attempts log with replays.

pub mod calls;
mod endpoint;

use super::model::{EndpointsView, SecretOnce};
use crate::components::form::FormAlert;
use crate::components::states::error_text;
use crate::components::styles::{CARD, CHECKBOX, CHECK_LABEL, H1, H2, HINT, SUBTITLE};
use crate::components::{DetailResult, DoneNotice, SubmitButton, TextField};
use crate::error::AppError;
use crate::i18n::{t, title, use_lang};
use calls::{Form, Side};
use leptos::html;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn SellerWebhooksPage() -> impl IntoView {
    view! {
        <Title text=title("webhooks.title")/>
        <Manager side=Side::Seller/>
    }
}

#[component]
pub fn ConsoleWebhooksPage() -> impl IntoView {
    view! {
        <Title text=title("webhooks.console_title")/>
        <Manager side=Side::Console/>
    }
}

/// What the endpoint cards share with the page: reload the list, say what was done, show a secret.
#[derive(Clone, Copy)]
pub struct Shared {
    pub side: Side,
    pub refresh: RwSignal<u32>,
    pub notice: RwSignal<Option<&'static str>>,
    pub secret: RwSignal<Option<SecretOnce>>,
}

#[component]
fn Manager(side: Side) -> impl IntoView {
    let shared = Shared {
        side,
        refresh: RwSignal::new(0),
        notice: RwSignal::new(None),
        secret: RwSignal::new(None),
    };
    let endpoints = Resource::new(move || shared.refresh.get(), move |_| calls::list(side));
    let (heading, hint) = match side {
        Side::Seller => ("webhooks.title", "webhooks.seller_hint"),
        Side::Console => ("webhooks.console_title", "webhooks.console_hint"),
    };
    view! {
        <div class="mx-auto max-w-4xl space-y-6">
            <header>
                <h1 class=H1>{t(heading)}</h1>
                <p class=SUBTITLE>{t(hint)}</p>
            </header>
            <DoneNotice notice=shared.notice/>
            <SecretBox secret=shared.secret/>
            <DetailResult resource=endpoints let:view>
                <Endpoints view shared/>
            </DetailResult>
        </div>
    }
}

/// A secret, once: right after an endpoint was added or its secret rotated.
#[component]
fn SecretBox(secret: RwSignal<Option<SecretOnce>>) -> impl IntoView {
    move || {
        secret.get().map(|s| {
            view! {
                <section role="status" class="rounded-xl border border-amber-300 bg-amber-50 p-4" aria-labelledby="secret-title">
                    <h2 id="secret-title" class=H2>{t("webhooks.secret_title")}</h2>
                    <p class="mt-1 text-sm text-amber-900">{t("webhooks.secret_hint")}</p>
                    <code class="mt-2 block break-all rounded bg-white px-3 py-2 font-mono text-sm" data-testid="webhook-secret">{s.secret}</code>
                    <button type="button" class="mt-2 text-sm text-amber-900 underline" on:click=move |_| secret.set(None)>
                        {t("webhooks.secret_done")}
                    </button>
                </section>
            }
        })
    }
}

#[component]
fn Endpoints(view: EndpointsView, shared: Shared) -> impl IntoView {
    let offered = view.offered.clone();
    let empty = view.endpoints.is_empty();
    view! {
        {empty.then(|| view! { <p class="text-sm text-slate-500" data-testid="webhooks-empty">{t("webhooks.empty")}</p> })}
        <ul class="space-y-4" data-testid="webhook-endpoints">
            {view.endpoints.into_iter().map(|e| view! { <endpoint::EndpointCard e offered=offered.clone() shared/> }).collect_view()}
        </ul>
        <section class=CARD aria-labelledby="add-title">
            <h2 id="add-title" class=H2>{t("webhooks.add_title")}</h2>
            <EndpointForm shared offered=view.offered edit=None/>
        </section>
    }
}

/// The form that adds an endpoint (`edit` None) or changes one (`edit`: its id, URL, description
/// and filter).
#[component]
pub fn EndpointForm(
    shared: Shared,
    offered: Vec<String>,
    edit: Option<(i64, String, String, Vec<String>)>,
) -> impl IntoView {
    let lang = use_lang();
    let side = shared.side;
    let editing = edit.as_ref().map(|(id, ..)| *id);
    let save = Action::new(move |f: &Form| {
        let f = f.clone();
        async move {
            match editing {
                None => calls::create(side, f).await.map(Some),
                Some(id) => calls::update(side, id, f).await.map(|()| None),
            }
        }
    });
    let form = NodeRef::<html::Form>::new();
    Effect::new(move |_| {
        if let Some(Ok(created)) = save.value().get() {
            shared.notice.set(Some(if editing.is_some() { "webhooks.saved" } else { "webhooks.added" }));
            if let Some(created) = created {
                shared.secret.set(Some(created));
            }
            if let Some(form) = form.get_untracked() {
                form.reset();
            }
            shared.refresh.update(|n| *n += 1);
        }
    });
    let error_of = move |field: &'static str| {
        Signal::derive(move || match save.value().get() {
            Some(Err(e)) if e.field() == Some(field) => Some(error_text(lang.get(), &e)),
            _ => None,
        })
    };
    let other = Signal::derive(move || match save.value().get() {
        Some(Err(e)) if e.field().is_none() => Some(error_text(lang.get(), &e)),
        _ => None,
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(el) = form.get_untracked() else { return };
        if let Some(f) = read_form(&el) {
            save.dispatch(f);
        }
    };
    let (url, description, chosen) = match &edit {
        Some((_, u, d, c)) => (u.clone(), d.clone(), c.clone()),
        None => (String::new(), String::new(), vec![]),
    };
    let prefix = editing.map_or("new".to_string(), |id| id.to_string());
    let events_error = error_of("event_types");
    view! {
        <form node_ref=form on:submit=on_submit class="mt-4 space-y-4" data-testid="webhook-form">
            <TextField label="webhooks.url" name="url" kind="url" maxlength=2000 value=url hint="webhooks.url_hint" error=error_of("url")/>
            <TextField label="webhooks.description" name="description" maxlength=200 required=false value=description error=error_of("description")/>
            <fieldset>
                <legend class="text-sm font-medium text-slate-700">{t("webhooks.events")}</legend>
                <p class=HINT>{t("webhooks.events_hint")}</p>
                <div class="mt-2 grid gap-1 sm:grid-cols-2">
                    {offered.into_iter().map(|event| {
                        let id = format!("event-{prefix}-{event}");
                        let label_for = id.clone();
                        let checked = chosen.contains(&event);
                        view! {
                            <label for=label_for class="flex items-center gap-2">
                                <input id=id type="checkbox" name="event_types" value=event.clone() checked=checked class=CHECKBOX/>
                                <span class=format!("{CHECK_LABEL} font-mono")>{event}</span>
                            </label>
                        }
                    }).collect_view()}
                </div>
                {move || events_error.get().map(|e| view! { <p class="text-sm text-red-600" data-testid="error-event_types">{e}</p> })}
            </fieldset>
            <FormAlert error=other/>
            <SubmitButton label=if editing.is_some() { "webhooks.save" } else { "webhooks.add" } pending=save.pending()/>
        </form>
    }
}

/// The form's fields; `None` when the browser cannot read it.
fn read_form(el: &web_sys::HtmlFormElement) -> Option<Form> {
    let data = web_sys::FormData::new_with_form(el).ok()?;
    let text = |name: &str| data.get(name).as_string().unwrap_or_default();
    let events = data.get_all("event_types");
    let event_types = (0..events.length()).filter_map(|i| events.get(i).as_string()).collect();
    Some(Form { url: text("url"), description: text("description"), event_types })
}

/// The error text of an action's last failure, for an alert.
pub fn failure<T: Clone + Send + Sync + 'static>(
    value: impl Get<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
) -> Signal<Option<String>> {
    let lang = use_lang();
    Signal::derive(move || match value.get() {
        Some(Err(e)) => Some(error_text(lang.get(), &e)),
        _ => None,
    })
}
