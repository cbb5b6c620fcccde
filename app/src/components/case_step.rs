//! A step on a case an operator works through (an incident, a risk signal: `platform::cases`):
//! acknowledge, add a note or resolve, each a card with the case's id, a note, the form's error and
//! the button. The note is optional only to acknowledge.

use super::detail::Section;
use super::form::{field_error, form_error, FormAlert, SubmitButton, TextArea};
use crate::domain::alerts::MAX_NOTE_CHARS;
use crate::error::AppError;
use crate::i18n::t;
use leptos::prelude::*;
use leptos::server_fn::client::Client;
use leptos::server_fn::codec::PostUrl;
use leptos::server_fn::request::ClientReq;
use leptos::server_fn::{Http, ServerFn};
use serde::de::DeserializeOwned;
use web_sys::FormData;

/// The message keys of one step's card.
#[derive(Debug, Clone, Copy)]
pub struct StepText {
    pub title: &'static str,
    pub note: &'static str,
    pub hint: &'static str,
    pub submit: &'static str,
}

/// `step` names the card (`<step>-title`, test id `<step>-form`, note id `<step>-note`).
#[component]
pub fn CaseStepForm<ServFn, OutputProtocol>(
    action: ServerAction<ServFn>,
    id: i64,
    step: &'static str,
    text: StepText,
    #[prop(default = true)] note_required: bool,
) -> impl IntoView
where
    ServFn: DeserializeOwned
        + ServerFn<Protocol = Http<PostUrl, OutputProtocol>, Output = (), Error = AppError>
        + Clone
        + Send
        + Sync
        + 'static,
    <ServFn as ServerFn>::Client: Client<AppError>,
    <<ServFn::Client as Client<AppError>>::Request as ClientReq<AppError>>::FormData: From<FormData>,
    OutputProtocol: 'static,
{
    let result = move || action.value().get();
    let title_id: &'static str = match step {
        "ack" => "ack-title",
        "note" => "note-title",
        _ => "resolve-title",
    };
    view! {
        <Section id=title_id title=t(text.title)>
            <ActionForm action attr:class="mt-3 space-y-3" attr:data-testid=format!("{step}-form")>
                <input type="hidden" name="id" value=id/>
                <TextArea id=format!("{step}-note") label=text.note name="note" hint=text.hint required=note_required
                    maxlength=MAX_NOTE_CHARS error=field_error(result, "note")/>
                <FormAlert error=form_error(result)/>
                <SubmitButton label=text.submit pending=action.pending()/>
            </ActionForm>
        </Section>
    }
}
