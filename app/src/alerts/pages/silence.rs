//! A rule's silence on the rules page: "Silence…" opens a form under the rule (how long, why); a
//! silenced rule has "End silence" instead.

use crate::alerts::api::{EndAlertSilence, SilenceAlertRule};
use crate::components::form::{field_error, form_error};
use crate::components::styles::BUTTON_SECONDARY_SMALL;
use crate::components::{notify_and_reload, FormAlert, SubmitButton, TextField};
use crate::i18n::t;
use leptos::prelude::*;

#[component]
pub fn SilenceForm(id: i64, refresh: RwSignal<u32>, notice: RwSignal<Option<&'static str>>) -> impl IntoView {
    let action = ServerAction::<SilenceAlertRule>::new();
    notify_and_reload(move || action.value().get(), refresh, notice, "alerts_page.silenced");
    let result = move || action.value().get();
    view! {
        <ActionForm action attr:class="flex flex-wrap items-start gap-4" attr:data-testid="silence-form">
            <input type="hidden" name="id" value=id/>
            <div class="w-56">
                <TextField label="alerts_page.silence_minutes" name="minutes" kind="number" id=format!("silence-{id}-minutes")
                    value="60" maxlength=6 hint="alerts_page.silence_minutes_hint" error=field_error(result, "minutes")/>
            </div>
            <div class="min-w-[16rem] flex-1">
                <TextField label="alerts_page.silence_reason" name="reason" id=format!("silence-{id}-reason") maxlength=2000
                    error=field_error(result, "reason")/>
            </div>
            <div class="space-y-2 pt-6">
                <SubmitButton label="alerts_page.silence_submit" pending=action.pending()/>
                <FormAlert error=form_error(result)/>
            </div>
        </ActionForm>
    }
}

#[component]
pub fn EndSilenceForm(id: i64, refresh: RwSignal<u32>, notice: RwSignal<Option<&'static str>>) -> impl IntoView {
    let action = ServerAction::<EndAlertSilence>::new();
    notify_and_reload(move || action.value().get(), refresh, notice, "alerts_page.silence_ended");
    let result = move || action.value().get();
    view! {
        <ActionForm action attr:data-testid="end-silence-form">
            <input type="hidden" name="id" value=id/>
            <button type="submit" class=BUTTON_SECONDARY_SMALL disabled=move || action.pending().get()>{t("alerts_page.end_silence")}</button>
            <FormAlert error=form_error(result)/>
        </ActionForm>
    }
}
