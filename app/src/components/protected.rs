//! The confirmation every protected action asks for (DESIGN.md): a written reason, recorded in the
//! audit log, the operator's password typed again and, when they have a second factor, a current
//! code from their authenticator app. Put it inside an `ActionForm` whose server function takes
//! `reason`, `password` and `code: Option<String>` and calls `confirm_protected`.

use super::form::{field_error, form_error, reset_on_success, FormAlert, SubmitButton};
use crate::error::AppError;

/// The confirmation inputs' look (the kit's input, with the invalid state).
const FIELD: &str = "block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm \
                     focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-200 aria-[invalid=true]:border-red-500";
use crate::i18n::t;
use leptos::html;
use leptos::prelude::*;
use leptos::server_fn::client::Client;
use leptos::server_fn::codec::PostUrl;
use leptos::server_fn::request::ClientReq;
use leptos::server_fn::{Http, ServerFn};
use serde::de::DeserializeOwned;
use web_sys::FormData;

#[component]
pub fn ProtectedFields(
    /// Prefixes the element ids, so several protected forms can share a page.
    form: &'static str,
    #[prop(into)] reason_error: Signal<Option<String>>,
    #[prop(into)] password_error: Signal<Option<String>>,
    #[prop(into)] code_error: Signal<Option<String>>,
) -> impl IntoView {
    // Known before rendering (the page's viewer): the field is there or not from the first paint.
    let second_factor = crate::session::use_session().viewer.get_untracked().is_some_and(|v| v.second_factor);
    let reason_id = format!("{form}-reason");
    let reason_err = format!("{reason_id}-error");
    let reason_err2 = reason_err.clone();
    view! {
        <div class="space-y-1">
            <label for=reason_id.clone() class="block text-sm font-medium text-slate-700">{t("protected.reason")}</label>
            <textarea
                id=reason_id
                name="reason"
                rows="3"
                maxlength="2000"
                required=true
                aria-invalid=move || reason_error.get().is_some().to_string()
                aria-describedby=move || reason_error.get().map(|_| reason_err.clone()).unwrap_or_default()
                class=FIELD
            ></textarea>
            {move || reason_error.get().map(|e| view! {
                <p id=reason_err2.clone() class="text-sm text-red-600" data-testid="error-reason">{e}</p>
            })}
        </div>
        <ConfirmInput form name="password" kind="password" autocomplete="current-password" maxlength=128
            label="protected.password" error=password_error/>
        // Six digits or a recovery code (letters): no numeric keypad.
        {second_factor.then(|| view! {
            <ConfirmInput form name="code" kind="text" autocomplete="one-time-code" maxlength=24
                label="protected.code" error=code_error/>
        })}
    }
}

/// One typed confirmation (the password, the code): its label, the input, its error.
#[component]
fn ConfirmInput(
    form: &'static str,
    name: &'static str,
    kind: &'static str,
    autocomplete: &'static str,
    maxlength: usize,
    label: &'static str,
    error: Signal<Option<String>>,
) -> impl IntoView {
    let id = format!("{form}-{name}");
    let error_id = format!("{id}-error");
    let error_id2 = error_id.clone();
    view! {
        <div class="space-y-1">
            <label for=id.clone() class="block text-sm font-medium text-slate-700">{t(label)}</label>
            <input
                id=id
                name=name
                type=kind
                autocomplete=autocomplete
                maxlength=maxlength.to_string()
                required=true
                aria-invalid=move || error.get().is_some().to_string()
                aria-describedby=move || error.get().map(|_| error_id.clone()).unwrap_or_default()
                class=FIELD
            />
            {move || error.get().map(|e| view! {
                <p id=error_id2.clone() class="text-sm text-red-600" data-testid=format!("error-{name}")>{e}</p>
            })}
        </div>
    }
}

/// A protected action on one record that is a single button: the record's `id` (a hidden field),
/// the confirmation above, the form's error and the button. Cleared after a success. The form's test
/// id is `<form>-form`.
#[component]
pub fn ProtectedIdForm<ServFn, OutputProtocol>(
    action: ServerAction<ServFn>,
    id: i64,
    form: &'static str,
    /// Message key of the button.
    submit: &'static str,
    #[prop(default = false)] danger: bool,
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
    let node = NodeRef::<html::Form>::new();
    reset_on_success(node, result);
    view! {
        <ActionForm action node_ref=node attr:class="mt-4 space-y-4" attr:data-testid=format!("{form}-form")>
            <input type="hidden" name="id" value=id/>
            <ProtectedFields form reason_error=field_error(result, "reason") password_error=field_error(result, "password") code_error=field_error(result, "code")/>
            <FormAlert error=form_error(result)/>
            <SubmitButton label=submit pending=action.pending() danger/>
        </ActionForm>
    }
}
