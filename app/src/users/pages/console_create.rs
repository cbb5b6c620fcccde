//! Creating a user from the directory, by invitation: the operator gives the address, the name and the
//! language of the mails; the new user chooses their own password with the mailed link. Folded away
//! above the list until asked for, since operators mostly search; on success the new user's page
//! opens, where "Password: not set yet" says the invitation is waiting.

use crate::components::form::{field_error, form_error};
use crate::components::{FormAlert, ProtectedFields, SelectField, SubmitButton, TextField};
use crate::domain::account::{DISPLAY_NAME_MAX_CHARS, EMAIL_MAX_CHARS};
use crate::i18n::{t, Lang};
use crate::users::api::CreateUser;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

pub(super) fn languages() -> Vec<(&'static str, String)> {
    [Lang::Zh, Lang::En].into_iter().map(|l| (l.code(), format!("users.create.lang.{}", l.code()))).collect()
}

#[component]
pub fn CreateUserPanel() -> impl IntoView {
    let create = ServerAction::<CreateUser>::new();
    let result = move || create.value().get();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(id)) = create.value().get() {
            navigate(&format!("/console/users/{id}"), Default::default());
        }
    });
    view! {
        <details class="mb-4 rounded-lg border border-slate-200 bg-white p-4" data-testid="create-user">
            <summary class="cursor-pointer text-sm font-medium text-indigo-700">{t("users.create.open")}</summary>
            <p class="mt-2 text-sm text-slate-600">{t("users.create.intro")}</p>
            <ActionForm action=create attr:class="mt-4 grid gap-4 md:grid-cols-2" attr:data-testid="create-user-form">
                <TextField label="users.create.email" name="email" kind="email" autocomplete="off"
                    maxlength=EMAIL_MAX_CHARS error=field_error(result, "email")/>
                <TextField label="users.create.display_name" name="display_name" autocomplete="off"
                    maxlength=DISPLAY_NAME_MAX_CHARS error=field_error(result, "display_name")/>
                <SelectField label="users.create.lang" name="lang" options=languages()
                    placeholder="users.create.lang_required" error=field_error(result, "lang")/>
                <div class="md:col-span-2 space-y-4">
                    <ProtectedFields form="create-user" reason_error=field_error(result, "reason") password_error=field_error(result, "password") code_error=field_error(result, "code")/>
                    <FormAlert error=form_error(result)/>
                    <SubmitButton label="users.create.submit" pending=create.pending()/>
                </div>
            </ActionForm>
        </details>
    }
}
