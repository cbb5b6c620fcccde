//! The user page's edit forms, one per group of fields: the profile (display name, language of the
//! mails) and the platform's own record (tags, internal note). Each starts with the current values and
//! is a protected action (reason and password); the page reloads the user after a success.

use super::console_create::languages;
use crate::components::form::{field_error, form_error, reset_on_success};
use crate::components::{FormAlert, ProtectedFields, Section, SelectField, SubmitButton, TextArea, TextField};
use crate::domain::account::DISPLAY_NAME_MAX_CHARS;
use crate::domain::user_record::NOTE_MAX_CHARS;
use crate::i18n::t;
use crate::users::api::{EditUserProfile, EditUserRecord};
use crate::users::model::UserDetail;
use leptos::html;
use leptos::prelude::*;

/// Longest tags field: ten tags of 24 characters with their commas and spaces.
const TAGS_FIELD_MAX_CHARS: usize = 300;

#[component]
pub fn ProfileForm(user: UserDetail, edit: ServerAction<EditUserProfile>) -> impl IntoView {
    let result = move || edit.value().get();
    let form = NodeRef::<html::Form>::new();
    reset_on_success(form, result);
    view! {
        <Section id="profile-edit-title" title=t("users.edit.profile_title")>
            <ActionForm action=edit node_ref=form attr:class="mt-4 space-y-4" attr:data-testid="profile-form">
                <input type="hidden" name="id" value=user.id/>
                <TextField label="users.create.display_name" name="display_name" value=user.display_name.clone()
                    maxlength=DISPLAY_NAME_MAX_CHARS error=field_error(result, "display_name")/>
                <SelectField label="users.create.lang" name="lang" options=languages() selected=user.locale.clone()
                    error=field_error(result, "lang")/>
                <ProtectedFields form="profile" reason_error=field_error(result, "reason") password_error=field_error(result, "password") code_error=field_error(result, "code")/>
                <FormAlert error=form_error(result)/>
                <SubmitButton label="users.edit.save" pending=edit.pending()/>
            </ActionForm>
        </Section>
    }
}

#[component]
pub fn RecordForm(user: UserDetail, edit: ServerAction<EditUserRecord>) -> impl IntoView {
    let result = move || edit.value().get();
    let form = NodeRef::<html::Form>::new();
    reset_on_success(form, result);
    view! {
        <Section id="record-edit-title" title=t("users.edit.record_title")>
            <p class="mt-1 text-sm text-slate-600">{t("users.edit.record_hint")}</p>
            <ActionForm action=edit node_ref=form attr:class="mt-4 space-y-4" attr:data-testid="record-form">
                <input type="hidden" name="id" value=user.id/>
                <TextField label="users.tags" name="tags" value=user.tags.join(", ") required=false
                    maxlength=TAGS_FIELD_MAX_CHARS hint="users.tags.hint" error=field_error(result, "tags")/>
                <TextArea label="users.note" name="note" value=user.internal_note.clone() required=false
                    maxlength=NOTE_MAX_CHARS rows=4 error=field_error(result, "note")/>
                <ProtectedFields form="record" reason_error=field_error(result, "reason") password_error=field_error(result, "password") code_error=field_error(result, "code")/>
                <FormAlert error=form_error(result)/>
                <SubmitButton label="users.edit.save" pending=edit.pending()/>
            </ActionForm>
        </Section>
    }
}
