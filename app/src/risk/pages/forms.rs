//! What an operator with `risk.manage` does on a signal's page: take it, acknowledge it (a note if
//! they like), add a note, resolve it (saying what was found and done). Each form shows its error
//! next to its field; a success shows "done" and reloads the signal.

use crate::components::form::form_error;
use crate::components::styles::MUTED;
use crate::components::{notify_and_reload, CaseStepForm, FormAlert, Section, StepText};
use crate::i18n::t;
use crate::risk::api::{AcknowledgeRiskSignal, NoteRiskSignal, ResolveRiskSignal, TakeRiskSignal};
use leptos::prelude::*;

/// The page's four actions, made once so that their "done" and reload survive the reload.
#[derive(Clone, Copy)]
pub struct SignalActions {
    take: ServerAction<TakeRiskSignal>,
    ack: ServerAction<AcknowledgeRiskSignal>,
    note: ServerAction<NoteRiskSignal>,
    resolve: ServerAction<ResolveRiskSignal>,
}

impl SignalActions {
    pub fn new(refresh: RwSignal<u32>, notice: RwSignal<Option<&'static str>>) -> Self {
        let a = SignalActions {
            take: ServerAction::new(),
            ack: ServerAction::new(),
            note: ServerAction::new(),
            resolve: ServerAction::new(),
        };
        notify_and_reload(move || a.take.value().get(), refresh, notice, "risk_page.taken");
        notify_and_reload(move || a.ack.value().get(), refresh, notice, "risk_page.acknowledged");
        notify_and_reload(move || a.note.value().get(), refresh, notice, "risk_page.noted");
        notify_and_reload(move || a.resolve.value().get(), refresh, notice, "risk_page.resolved");
        a
    }
}

#[component]
pub fn TakeForm(id: i64, actions: SignalActions) -> impl IntoView {
    let action = actions.take;
    let result = move || action.value().get();
    view! {
        <Section id="take-title" title=t("risk_page.take_title")>
            <p class=format!("mt-1 {MUTED}")>{t("risk_page.take_hint")}</p>
            <ActionForm action attr:class="mt-3 space-y-3" attr:data-testid="take-form">
                <input type="hidden" name="id" value=id/>
                <FormAlert error=form_error(result)/>
                <button type="submit" data-testid="take-button" disabled=move || action.pending().get()
                    class="rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-700 focus:outline-none focus:ring-2 focus:ring-indigo-300 disabled:opacity-60">
                    {t("risk_page.take_submit")}
                </button>
            </ActionForm>
        </Section>
    }
}

const ACK: StepText = StepText {
    title: "risk_page.ack_title",
    note: "risk_page.ack_note",
    hint: "risk_page.ack_note_hint",
    submit: "risk_page.ack_submit",
};

#[component]
pub fn AckForm(id: i64, actions: SignalActions) -> impl IntoView {
    view! { <CaseStepForm action=actions.ack id step="ack" text=ACK note_required=false/> }
}

const NOTE: StepText = StepText {
    title: "risk_page.note_title",
    note: "risk_page.note",
    hint: "risk_page.note_hint",
    submit: "risk_page.note_submit",
};

#[component]
pub fn NoteForm(id: i64, actions: SignalActions) -> impl IntoView {
    view! { <CaseStepForm action=actions.note id step="note" text=NOTE note_required=true/> }
}

const RESOLVE: StepText = StepText {
    title: "risk_page.resolve_title",
    note: "risk_page.resolve_note",
    hint: "risk_page.resolve_note_hint",
    submit: "risk_page.resolve_submit",
};

#[component]
pub fn ResolveForm(id: i64, actions: SignalActions) -> impl IntoView {
    view! { <CaseStepForm action=actions.resolve id step="resolve" text=RESOLVE note_required=true/> }
}
