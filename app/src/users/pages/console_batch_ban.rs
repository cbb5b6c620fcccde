//! Banning several users at once from the directory: the users are ticked in the list (each checkbox
//! belongs to this form through its `form` attribute, so the table stays a plain table), the terms and
//! the confirmation are asked once. All or none: a user who cannot be banned is named, nobody is.

use crate::components::form::{field_error, form_error, reset_on_success};
use crate::components::styles::{CARD_DANGER, CHECKBOX, H2};
use crate::components::{FormAlert, ProtectedFields, SelectField, SubmitButton};
use crate::domain::ban::{BanCategory, BanDuration};
use crate::i18n::{t, translate, use_lang};
use crate::users::api::BanUsers;
use crate::users::model::BatchBan;
use leptos::html;
use leptos::prelude::*;

/// The id of the form the rows' checkboxes belong to.
pub const FORM_ID: &str = "batch-ban-form";

/// The row's checkbox (`ids[]`), labelled with the user's address for screen readers.
#[component]
pub fn SelectForBan(id: i64, email: String) -> impl IntoView {
    let lang = use_lang();
    let label = move || translate(lang.get(), "users.batch_ban.select_user").replace("{email}", &email);
    view! {
        <input type="checkbox" name="ids[]" value=id form=FORM_ID class=CHECKBOX aria-label=label data-testid="select-user"/>
    }
}

/// The collapsed panel above the list; `refresh` is bumped after a batch went through.
#[component]
pub fn BatchBanPanel(refresh: RwSignal<u32>) -> impl IntoView {
    let ban = ServerAction::<BanUsers>::new();
    let result = move || ban.value().get();
    let form = NodeRef::<html::Form>::new();
    reset_on_success(form, result);
    Effect::new(move |_| {
        if matches!(result(), Some(Ok(BatchBan::Banned(_)))) {
            refresh.update(|n| *n += 1);
        }
    });
    let lang = use_lang();
    let outcome = move || {
        match result() {
        Some(Ok(BatchBan::Banned(n))) => Some(view! {
            <p role="status" class="text-sm text-green-700" data-testid="batch-ban-done">
                {translate(lang.get(), "users.batch_ban.done").replace("{count}", &n.to_string())}
            </p>
        }
        .into_any()),
        Some(Ok(BatchBan::Refused { email, code, .. })) => Some(view! {
            <p role="alert" class="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800" data-testid="batch-ban-refused">
                {translate(lang.get(), "users.batch_ban.refused").replace("{email}", &email)}" "{translate(lang.get(), &code)}
            </p>
        }
        .into_any()),
        _ => None,
    }
    };
    let categories: Vec<_> = BanCategory::ALL.into_iter().map(|c| (c.as_str(), c.label_key().to_string())).collect();
    let durations: Vec<_> = BanDuration::ALL.into_iter().map(|d| (d.as_str(), d.label_key().to_string())).collect();
    view! {
        <details class=format!("mb-4 {CARD_DANGER}") data-testid="batch-ban">
            <summary class=format!("cursor-pointer {H2}")>{t("users.batch_ban.title")}</summary>
            <p class="mt-2 text-sm text-slate-600">{t("users.batch_ban.effect")}</p>
            <ActionForm action=ban node_ref=form attr:id=FORM_ID attr:data-testid=FORM_ID attr:class="mt-4 grid gap-4 md:grid-cols-2">
                <SelectField label="users.ban.category" name="category" options=categories
                    placeholder="users.ban.category_required" error=field_error(result, "category")/>
                <SelectField label="users.ban.duration" name="duration" options=durations
                    placeholder="users.ban.duration_required" error=field_error(result, "duration")/>
                <div class="md:col-span-2 space-y-4">
                    <ProtectedFields form="batch-ban" reason_error=field_error(result, "reason") password_error=field_error(result, "password") code_error=field_error(result, "code")/>
                    {move || field_error(result, "ids").get().map(|e| view! {
                        <p class="text-sm text-red-600" data-testid="error-ids">{e}</p>
                    })}
                    <FormAlert error=form_error(result)/>
                    {outcome}
                    <SubmitButton label="users.batch_ban.submit" pending=ban.pending() danger=true/>
                </div>
            </ActionForm>
        </details>
    }
}
