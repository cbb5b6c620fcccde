//! The user's phone number on the user page: shown masked, revealed (with a reason, audited) to
//! operators holding `users.reveal`, and edited as the contact group (`users.manage`, protected).

use crate::components::form::{field_error, form_error, reset_on_success};
use crate::components::styles::{FIELD_ERROR, INPUT, LABEL};
use crate::components::{Field, FormAlert, ProtectedFields, Section, SubmitButton, TextField};
use crate::i18n::t;
use crate::users::api::{EditUserContact, RevealUserPhone};
use crate::users::model::UserDetail;
use leptos::html;
use leptos::prelude::*;

/// The phone line of the user's facts; with `can_reveal`, a way to see the whole number.
#[component]
pub fn PhoneField(user_id: i64, masked: Option<String>, can_reveal: bool) -> impl IntoView {
    let reveal = ServerAction::<RevealUserPhone>::new();
    let result = move || reveal.value().get();
    let revealable = can_reveal && masked.is_some();
    view! {
        <Field label="users.phone">
            <span data-testid="user-phone" class="tabular-nums">{masked.unwrap_or_else(|| "—".to_string())}</span>
            {move || match result() {
                Some(Ok(full)) => Some(view! { <span class="ml-2 font-mono font-semibold" data-testid="phone-revealed">{full}</span> }),
                _ => None,
            }}
            {revealable.then(|| view! {
                <details class="mt-2">
                    <summary class="cursor-pointer text-sm font-medium text-indigo-700" data-testid="phone-reveal-toggle">{t("users.phone.reveal")}</summary>
                    <ActionForm action=reveal attr:class="mt-2 space-y-2" attr:data-testid="phone-reveal-form">
                        <input type="hidden" name="id" value=user_id/>
                        <label for="phone-reveal-reason" class=LABEL>{t("users.phone.reveal_reason")}</label>
                        <input id="phone-reveal-reason" name="reason" maxlength="2000" required=true class=INPUT
                            aria-invalid=move || field_error(result, "reason").get().is_some().to_string()/>
                        {move || field_error(result, "reason").get().map(|e| view! { <p class=FIELD_ERROR data-testid="error-reveal-reason">{e}</p> })}
                        <FormAlert error=form_error(result)/>
                        <SubmitButton label="users.phone.reveal" pending=reveal.pending()/>
                    </ActionForm>
                </details>
            })}
        </Field>
    }
}

/// The contact group: the phone number (empty removes it). The current number is not filled in: the
/// form would show it whole to whoever opens the page.
#[component]
pub fn ContactForm(user: UserDetail, edit: ServerAction<EditUserContact>) -> impl IntoView {
    let result = move || edit.value().get();
    let form = NodeRef::<html::Form>::new();
    reset_on_success(form, result);
    view! {
        <Section id="contact-edit-title" title=t("users.edit.contact_title")>
            <ActionForm action=edit node_ref=form attr:class="mt-4 space-y-4" attr:data-testid="contact-form">
                <input type="hidden" name="id" value=user.id/>
                <TextField label="users.phone" name="phone" kind="tel" autocomplete="off" required=false maxlength=32
                    hint="users.phone.hint" error=field_error(result, "phone")/>
                <ProtectedFields form="contact" reason_error=field_error(result, "reason") password_error=field_error(result, "password") code_error=field_error(result, "code")/>
                <FormAlert error=form_error(result)/>
                <SubmitButton label="users.edit.save" pending=edit.pending()/>
            </ActionForm>
        </Section>
    }
}
