//! The endpoint form: add one, or change one's URL, description and event filter.

use super::calls::{self, Form};
use super::shared::Shared;
use crate::components::form::FormAlert;
use crate::components::states::error_text;
use crate::components::styles::{CHECKBOX, CHECK_LABEL, HINT};
use crate::components::{SubmitButton, TextField};
use crate::i18n::{t, use_lang};
use leptos::html;
use leptos::prelude::*;

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
            // Each form its own ids: an open edit form and the add form share the page.
            <TextField label="webhooks.url" name="url" kind="url" maxlength=2000 value=url hint="webhooks.url_hint" error=error_of("url")
                id=format!("field-{prefix}-url")/>
            <TextField label="webhooks.description" name="description" maxlength=200 required=false value=description error=error_of("description")
                id=format!("field-{prefix}-description")/>
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
