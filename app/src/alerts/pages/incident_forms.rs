//! What an operator does on an incident's page: acknowledge it (a note if they like), add a note,
//! resolve it (saying what was done). Each is a form with its error next to the note; a success
//! shows "done" and reloads the incident.

use crate::alerts::api::{AcknowledgeIncident, AddIncidentNote, ResolveIncident};
use crate::components::form::{field_error, form_error};
use crate::components::styles::{FIELD_ERROR, HINT, INPUT, LABEL};
use crate::components::{notify_and_reload, FormAlert, Section, SubmitButton};
use crate::domain::alerts::MAX_NOTE_CHARS;
use crate::i18n::t;
use leptos::prelude::*;

/// The page's three actions, made once so that their "done" and reload survive the reload.
#[derive(Clone, Copy)]
pub struct IncidentActions {
    ack: ServerAction<AcknowledgeIncident>,
    note: ServerAction<AddIncidentNote>,
    resolve: ServerAction<ResolveIncident>,
}

impl IncidentActions {
    pub fn new(refresh: RwSignal<u32>, notice: RwSignal<Option<&'static str>>) -> Self {
        let a = IncidentActions { ack: ServerAction::new(), note: ServerAction::new(), resolve: ServerAction::new() };
        notify_and_reload(move || a.ack.value().get(), refresh, notice, "incidents_page.acknowledged");
        notify_and_reload(move || a.note.value().get(), refresh, notice, "incidents_page.noted");
        notify_and_reload(move || a.resolve.value().get(), refresh, notice, "incidents_page.resolved");
        a
    }
}

/// A note with its label, hint and error; `form` makes the element ids unique on the page.
#[component]
fn NoteField(
    form: &'static str,
    label: &'static str,
    hint: &'static str,
    required: bool,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let id = format!("{form}-note");
    let (err_id, hint_id) = (format!("{id}-error"), format!("{id}-hint"));
    let (err_id2, hint_id2) = (err_id.clone(), hint_id.clone());
    let described = move || match error.get() {
        Some(_) => format!("{hint_id} {err_id}"),
        None => hint_id.clone(),
    };
    view! {
        <div class="space-y-1">
            <label for=id.clone() class=LABEL>{t(label)}</label>
            <textarea id=id name="note" rows="3" required=required maxlength=MAX_NOTE_CHARS class=INPUT
                aria-invalid=move || error.get().is_some().to_string() aria-describedby=described></textarea>
            <p id=hint_id2 class=HINT>{t(hint)}</p>
            {move || error.get().map(|e| view! { <p id=err_id2.clone() class=FIELD_ERROR data-testid="error-note">{e}</p> })}
        </div>
    }
}

#[component]
pub fn AckForm(id: i64, actions: IncidentActions) -> impl IntoView {
    let action = actions.ack;
    let result = move || action.value().get();
    view! {
        <Section id="ack-title" title=t("incidents_page.ack_title")>
            <ActionForm action attr:class="mt-3 space-y-3" attr:data-testid="ack-form">
                <input type="hidden" name="id" value=id/>
                <NoteField form="ack" label="incidents_page.ack_note" hint="incidents_page.ack_note_hint" required=false
                    error=field_error(result, "note")/>
                <FormAlert error=form_error(result)/>
                <SubmitButton label="incidents_page.ack_submit" pending=action.pending()/>
            </ActionForm>
        </Section>
    }
}

#[component]
pub fn NoteForm(id: i64, actions: IncidentActions) -> impl IntoView {
    let action = actions.note;
    let result = move || action.value().get();
    view! {
        <Section id="note-title" title=t("incidents_page.note_title")>
            <ActionForm action attr:class="mt-3 space-y-3" attr:data-testid="note-form">
                <input type="hidden" name="id" value=id/>
                <NoteField form="add" label="incidents_page.note" hint="incidents_page.note_hint" required=true
                    error=field_error(result, "note")/>
                <FormAlert error=form_error(result)/>
                <SubmitButton label="incidents_page.note_submit" pending=action.pending()/>
            </ActionForm>
        </Section>
    }
}

#[component]
pub fn ResolveForm(id: i64, actions: IncidentActions) -> impl IntoView {
    let action = actions.resolve;
    let result = move || action.value().get();
    view! {
        <Section id="resolve-title" title=t("incidents_page.resolve_title")>
            <ActionForm action attr:class="mt-3 space-y-3" attr:data-testid="resolve-form">
                <input type="hidden" name="id" value=id/>
                <NoteField form="resolve" label="incidents_page.resolve_note" hint="incidents_page.resolve_note_hint" required=true
                    error=field_error(result, "note")/>
                <FormAlert error=form_error(result)/>
                <SubmitButton label="incidents_page.resolve_submit" pending=action.pending()/>
            </ActionForm>
        </Section>
    }
}
