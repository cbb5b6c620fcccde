//! What an operator does on an incident's page: acknowledge it (a note if they like), add a note,
//! resolve it (saying what was done). Each is a form with its error next to the note; a success
//! shows "done" and reloads the incident.

use crate::alerts::api::{AcknowledgeIncident, AddIncidentNote, ResolveIncident};
use crate::components::{notify_and_reload, CaseStepForm, StepText};
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

const ACK: StepText = StepText {
    title: "incidents_page.ack_title",
    note: "incidents_page.ack_note",
    hint: "incidents_page.ack_note_hint",
    submit: "incidents_page.ack_submit",
};

#[component]
pub fn AckForm(id: i64, actions: IncidentActions) -> impl IntoView {
    view! { <CaseStepForm action=actions.ack id step="ack" text=ACK note_required=false/> }
}

const NOTE: StepText = StepText {
    title: "incidents_page.note_title",
    note: "incidents_page.note",
    hint: "incidents_page.note_hint",
    submit: "incidents_page.note_submit",
};

#[component]
pub fn NoteForm(id: i64, actions: IncidentActions) -> impl IntoView {
    view! { <CaseStepForm action=actions.note id step="note" text=NOTE note_required=true/> }
}

const RESOLVE: StepText = StepText {
    title: "incidents_page.resolve_title",
    note: "incidents_page.resolve_note",
    hint: "incidents_page.resolve_note_hint",
    submit: "incidents_page.resolve_submit",
};

#[component]
pub fn ResolveForm(id: i64, actions: IncidentActions) -> impl IntoView {
    view! { <CaseStepForm action=actions.resolve id step="resolve" text=RESOLVE note_required=true/> }
}
