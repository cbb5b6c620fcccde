//! What an operator with `risk.manage` does on a signal's page: take it, acknowledge it (a note if
//! they like), add a note, resolve it (saying what was found and done). Each form shows its error
//! next to its field; a success shows "done" and reloads the signal.

use crate::components::form::{field_error, form_error};
use crate::components::styles::{FIELD_ERROR, HINT, INPUT, LABEL, MUTED};
use crate::components::{notify_and_reload, FormAlert, Section, SubmitButton};
use crate::domain::alerts::MAX_NOTE_CHARS;
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
            {move || error.get().map(|e| view! { <p id=err_id2.clone() class=FIELD_ERROR role="alert" data-testid="error-note">{e}</p> })}
        </div>
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

#[component]
pub fn AckForm(id: i64, actions: SignalActions) -> impl IntoView {
    let action = actions.ack;
    let result = move || action.value().get();
    view! {
        <Section id="ack-title" title=t("risk_page.ack_title")>
            <ActionForm action attr:class="mt-3 space-y-3" attr:data-testid="ack-form">
                <input type="hidden" name="id" value=id/>
                <NoteField form="ack" label="risk_page.ack_note" hint="risk_page.ack_note_hint" required=false
                    error=field_error(result, "note")/>
                <FormAlert error=form_error(result)/>
                <SubmitButton label="risk_page.ack_submit" pending=action.pending()/>
            </ActionForm>
        </Section>
    }
}

#[component]
pub fn NoteForm(id: i64, actions: SignalActions) -> impl IntoView {
    let action = actions.note;
    let result = move || action.value().get();
    view! {
        <Section id="note-title" title=t("risk_page.note_title")>
            <ActionForm action attr:class="mt-3 space-y-3" attr:data-testid="note-form">
                <input type="hidden" name="id" value=id/>
                <NoteField form="add" label="risk_page.note" hint="risk_page.note_hint" required=true
                    error=field_error(result, "note")/>
                <FormAlert error=form_error(result)/>
                <SubmitButton label="risk_page.note_submit" pending=action.pending()/>
            </ActionForm>
        </Section>
    }
}

#[component]
pub fn ResolveForm(id: i64, actions: SignalActions) -> impl IntoView {
    let action = actions.resolve;
    let result = move || action.value().get();
    view! {
        <Section id="resolve-title" title=t("risk_page.resolve_title")>
            <ActionForm action attr:class="mt-3 space-y-3" attr:data-testid="resolve-form">
                <input type="hidden" name="id" value=id/>
                <NoteField form="resolve" label="risk_page.resolve_note" hint="risk_page.resolve_note_hint" required=true
                    error=field_error(result, "note")/>
                <FormAlert error=form_error(result)/>
                <SubmitButton label="risk_page.resolve_submit" pending=action.pending()/>
            </ActionForm>
        </Section>
    }
}
