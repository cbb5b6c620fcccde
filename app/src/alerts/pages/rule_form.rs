//! The new rule's form on `/console/alerts`: name, metric (with what it measures), threshold, window,
//! severity and who is told; each error from the server next to its field.

use crate::alerts::api::CreateAlertRule;
use crate::components::form::{field_error, form_error, reset_on_success};
use crate::components::styles::{CHECKBOX, CHECK_LABEL, FIELD_ERROR, H2, HINT, MUTED};
use crate::components::{notify_and_reload, FormAlert, SelectField, SubmitButton, TextArea, TextField};
use crate::domain::alerts::{Metric, Severity, MAX_NAME_CHARS};
use crate::i18n::{t, translate, use_lang};
use leptos::html;
use leptos::prelude::*;

#[component]
pub fn RuleForm(refresh: RwSignal<u32>, notice: RwSignal<Option<&'static str>>) -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<CreateAlertRule>::new();
    notify_and_reload(move || action.value().get(), refresh, notice, "alerts_page.created");
    let result = move || action.value().get();
    let form = NodeRef::<html::Form>::new();
    reset_on_success(form, result);
    let metrics = Metric::ALL.into_iter().map(|m| (m.key(), format!("alerts.metric.{}", m.key()))).collect();
    let severities = Severity::ALL.into_iter().map(|s| (s.key(), format!("alerts.severity.{}", s.key()))).collect();
    // What the chosen metric measures, under the choice (the browser's choice; none before it).
    let chosen = RwSignal::new(String::new());
    let metric_hint = move || {
        let key = chosen.get();
        (!key.is_empty()).then(|| translate(lang.get(), &format!("alerts.metric_hint.{key}")))
    };
    let recipients_error = field_error(result, "recipients");
    // The form is emptied after a rule was created: so is the hint.
    Effect::new(move |_| {
        if let Some(Ok(_)) = result() {
            chosen.set(String::new());
        }
    });
    view! {
        <section class="rounded-xl border border-slate-200 bg-white p-6" aria-labelledby="new-rule-title">
            <h2 id="new-rule-title" class=H2>{t("alerts_page.new_rule")}</h2>
            <p class=format!("mt-1 {MUTED}")>{t("alerts_page.new_rule_hint")}</p>
            <ActionForm action node_ref=form attr:class="mt-4 grid max-w-3xl gap-4 md:grid-cols-2" attr:data-testid="rule-form">
                <div class="md:col-span-2">
                    <TextField label="alerts_page.field.name" name="name" maxlength=MAX_NAME_CHARS error=field_error(result, "name")/>
                </div>
                <div class="space-y-1 md:col-span-2" on:change=move |ev| chosen.set(event_target_value(&ev))>
                    <SelectField label="alerts_page.field.metric" name="metric" options=metrics placeholder="alerts_page.field.choose_metric"
                        error=field_error(result, "metric")/>
                    {move || metric_hint().map(|h| view! { <p class=HINT data-testid="metric-hint">{h}</p> })}
                </div>
                <TextField label="alerts_page.field.threshold" name="threshold" kind="number" maxlength=12
                    hint="alerts_page.field.threshold_hint" error=field_error(result, "threshold")/>
                <TextField label="alerts_page.field.window" name="window_minutes" kind="number" value="60" maxlength=4
                    hint="alerts_page.field.window_hint" error=field_error(result, "window_minutes")/>
                <SelectField label="alerts_page.field.severity" name="severity" options=severities selected="warning".to_string()
                    error=field_error(result, "severity")/>
                <fieldset class="space-y-2 md:col-span-2" aria-describedby="recipients-hint">
                    <legend class="text-sm font-medium text-slate-700">{t("alerts_page.field.recipients")}</legend>
                    <p id="recipients-hint" class=HINT>{t("alerts_page.field.recipients_hint")}</p>
                    <div class="flex items-center gap-2">
                        <input id="field-notify_operators" type="checkbox" name="notify_operators" value="on" checked=true class=CHECKBOX/>
                        <label for="field-notify_operators" class=CHECK_LABEL>{t("alerts_page.field.notify_operators")}</label>
                    </div>
                    <div class="flex items-center gap-2">
                        <input id="field-notify_webhook" type="checkbox" name="notify_webhook" value="on" class=CHECKBOX/>
                        <label for="field-notify_webhook" class=CHECK_LABEL>{t("alerts_page.field.notify_webhook")}</label>
                    </div>
                    {move || recipients_error.get().map(|e| view! { <p role="alert" class=FIELD_ERROR data-testid="error-recipients">{e}</p> })}
                </fieldset>
                <div class="md:col-span-2">
                    <TextArea label="alerts_page.field.emails" name="emails" rows=2 required=false maxlength=2000
                        hint="alerts_page.field.emails_hint" error=field_error(result, "emails")/>
                </div>
                <div class="space-y-3 md:col-span-2">
                    <FormAlert error=form_error(result)/>
                    <SubmitButton label="alerts_page.create" pending=action.pending()/>
                </div>
            </ActionForm>
        </section>
    }
}
