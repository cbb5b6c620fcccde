//! The second factor's screens: the account page's section (set up with a QR code and the key in
//! text, the recovery codes shown once, new codes, turning it off) and the sign-in's code step.

use super::api::{
    second_factor_status, ConfirmSecondFactor, DisableSecondFactor, RenewRecoveryCodes, SignInSecondFactor,
    StartSecondFactor,
};
use super::model::{Enrolment, SecondFactorState};
use crate::auth::card::{after_sign_in, AuthCard};
use crate::auth::model::Viewer;
use crate::components::form::{field_error, form_error};
use crate::components::styles::{CARD, H2, H3, LINK, MUTED};
use crate::components::{DetailResult, FormAlert, SubmitButton, TextField};
use crate::i18n::catalog::fill;
use crate::i18n::{t, translate, use_lang};
use crate::session::use_session;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

/// The account page's "Two-step sign-in". An operator who must enrol sees why first.
#[component]
pub fn SecondFactorSection(viewer: Viewer) -> impl IntoView {
    let start = ServerAction::<StartSecondFactor>::new();
    let confirm = ServerAction::<ConfirmSecondFactor>::new();
    let renew = ServerAction::<RenewRecoveryCodes>::new();
    let disable = ServerAction::<DisableSecondFactor>::new();
    let status = Resource::new(move || (confirm.version().get(), disable.version().get()), |_| second_factor_status());
    let operator = viewer.is_operator();
    view! {
        <section id="second-factor" class=CARD aria-labelledby="sf-title" data-testid="second-factor">
            <h2 id="sf-title" class=H2>{t("sf.title")}</h2>
            {viewer.must_enrol_second_factor.then(|| view! {
                <div role="alert" data-testid="sf-required" class="mt-3 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">
                    <p class="font-medium">{t("sf.required_title")}</p>
                    <p class="mt-1">{t("sf.required_text")}</p>
                </div>
            })}
            {move || confirm.value().get().and_then(Result::ok).map(|codes| view! {
                <p role="status" class="mt-3 text-sm font-medium text-green-700" data-testid="sf-enabled">{t("sf.enabled_done")}</p>
                <RecoveryCodes codes/>
                // A full load: the page's viewer learns of the factor (the console opens).
                {operator.then(|| view! {
                    <p class="mt-3 text-sm"><a href="/console" rel="external" class=format!("font-medium {LINK}")>{t("console.title")}" →"</a></p>
                })}
            })}
            {move || renew.value().get().and_then(Result::ok).map(|codes| view! { <RecoveryCodes codes/> })}
            {move || matches!(disable.value().get(), Some(Ok(()))).then(|| view! {
                <p role="status" class="mt-3 text-sm text-green-700" data-testid="sf-disabled">{t("sf.disabled_done")}</p>
            })}
            <DetailResult resource=status let:s>
                {if s.enabled {
                    view! { <EnabledPanel status=s renew disable/> }.into_any()
                } else {
                    view! { <EnrolPanel start confirm/> }.into_any()
                }}
            </DetailResult>
        </section>
    }
}

#[component]
fn EnrolPanel(start: ServerAction<StartSecondFactor>, confirm: ServerAction<ConfirmSecondFactor>) -> impl IntoView {
    let started = move || start.value().get();
    move || match started() {
        Some(Ok(enrolment)) => view! { <KeyToScan enrolment confirm/> }.into_any(),
        _ => view! {
            <p class=format!("mt-1 {MUTED}") data-testid="sf-off">{t("sf.off")}</p>
            <ActionForm action=start attr:class="mt-4">
                <FormAlert error=form_error(started)/>
                <SubmitButton label="sf.start" pending=start.pending()/>
            </ActionForm>
        }
        .into_any(),
    }
}

/// The key as a QR code and as text, and the first code that proves the app holds it.
#[component]
fn KeyToScan(enrolment: Enrolment, confirm: ServerAction<ConfirmSecondFactor>) -> impl IntoView {
    let confirmed = move || confirm.value().get();
    // Once on, the section shows the codes instead of the key.
    let done = move || matches!(confirmed(), Some(Ok(_)));
    view! {
        <Show when=move || !done()>
            <p class=format!("mt-1 {MUTED}")>{t("sf.scan")}</p>
            <div class="mt-4 flex flex-wrap items-start gap-6">
                // The SVG is made by the server from the key alone (`service::qr_svg`).
                <div role="img" aria-label=t("sf.qr") data-testid="sf-qr" class="h-48 w-48 shrink-0 [&>svg]:h-full [&>svg]:w-full" inner_html=enrolment.qr_svg.clone()></div>
                <div class="min-w-0 space-y-1">
                    <p class=H3>{t("sf.key")}</p>
                    <code data-testid="sf-key" class="block break-all rounded bg-slate-100 px-2 py-1 font-mono text-sm text-slate-900">{enrolment.key.clone()}</code>
                </div>
            </div>
            <ActionForm action=confirm attr:class="mt-4 max-w-xs space-y-4" attr:data-testid="sf-confirm-form">
                <TextField label="sf.code" name="code" autocomplete="one-time-code" maxlength=12 error=field_error(confirmed, "code")/>
                <FormAlert error=form_error(confirmed)/>
                <SubmitButton label="sf.turn_on" pending=confirm.pending()/>
            </ActionForm>
        </Show>
    }
}

/// Recovery codes just issued: shown this once.
#[component]
fn RecoveryCodes(codes: Vec<String>) -> impl IntoView {
    view! {
        <div class="mt-4 rounded-md border border-slate-200 bg-slate-50 p-4" data-testid="recovery-codes">
            <h3 class=H3>{t("sf.codes_title")}</h3>
            <p class=format!("mt-1 {MUTED}")>{t("sf.codes_hint")}</p>
            <ul class="mt-3 grid grid-cols-2 gap-x-6 gap-y-1 font-mono text-sm text-slate-900">
                {codes.into_iter().map(|c| view! { <li data-testid="recovery-code">{c}</li> }).collect_view()}
            </ul>
        </div>
    }
}

#[component]
fn EnabledPanel(
    status: SecondFactorState,
    renew: ServerAction<RenewRecoveryCodes>,
    disable: ServerAction<DisableSecondFactor>,
) -> impl IntoView {
    let lang = use_lang();
    let left = status.recovery_codes_left;
    let renewed = move || renew.value().get();
    let disabled = move || disable.value().get();
    view! {
        <p class=format!("mt-1 {MUTED}") data-testid="sf-on">{t("sf.on")}</p>
        <p class="mt-1 text-sm text-slate-700" data-testid="sf-codes-left">
            {move || fill(&translate(lang.get(), "sf.codes_left"), &[("n", left.to_string())])}
        </p>
        <details class="mt-4">
            <summary class=format!("cursor-pointer text-sm font-medium {LINK}")>{t("sf.renew")}</summary>
            <ActionForm action=renew attr:class="mt-3 max-w-sm space-y-4" attr:data-testid="sf-renew-form">
                <p class=MUTED>{t("sf.renew_hint")}</p>
                <TextField label="sf.password" name="password" kind="password" autocomplete="current-password" maxlength=128 id="sf-renew-password".to_string() error=field_error(renewed, "password")/>
                <TextField label="sf.code" name="code" autocomplete="one-time-code" maxlength=12 id="sf-renew-code".to_string() error=field_error(renewed, "code")/>
                <FormAlert error=form_error(renewed)/>
                <SubmitButton label="sf.renew" pending=renew.pending()/>
            </ActionForm>
        </details>
        <details class="mt-3">
            <summary class=format!("cursor-pointer text-sm font-medium {LINK}")>{t("sf.disable")}</summary>
            <ActionForm action=disable attr:class="mt-3 max-w-sm space-y-4" attr:data-testid="sf-disable-form">
                <TextField label="sf.password" name="password" kind="password" autocomplete="current-password" maxlength=128 id="sf-disable-password".to_string() error=field_error(disabled, "password")/>
                <TextField label="sf.code_or_recovery" name="code" autocomplete="one-time-code" maxlength=24 id="sf-disable-code".to_string() error=field_error(disabled, "code")/>
                <FormAlert error=form_error(disabled)/>
                <SubmitButton label="sf.disable" pending=disable.pending()/>
            </ActionForm>
        </details>
    }
}

/// The sign-in's second step: the code for the challenge the first step left in a cookie.
#[component]
pub fn SecondFactorStepPage() -> impl IntoView {
    let session = use_session();
    let query = use_query_map();
    let next = move || query.with(|q| q.get("next"));
    let action = ServerAction::<SignInSecondFactor>::new();
    let result = move || action.value().get();
    Effect::new(move |_| {
        if let Some(Ok(viewer)) = action.value().get() {
            crate::session::reload_at(&after_sign_in(next(), viewer.is_operator()));
        }
    });
    view! {
        <Title text=crate::i18n::title("sf.step_title")/>
        {move || session.viewer.get().map(|v| view! { <Redirect path=after_sign_in(next(), v.is_operator())/> })}
        <AuthCard title="sf.step_title">
            <p class=format!("mb-4 {MUTED}")>{t("sf.step_hint")}</p>
            <ActionForm action=action attr:class="space-y-4" attr:data-testid="second-factor-form">
                <TextField label="sf.code_or_recovery" name="code" autocomplete="one-time-code" maxlength=24 error=field_error(result, "code")/>
                <FormAlert error=form_error(result)/>
                <SubmitButton label="sf.verify" pending=action.pending()/>
            </ActionForm>
            <p class="mt-6 text-sm"><a href="/signin" class=format!("font-medium {LINK}")>{t("sf.sign_in_again")}</a></p>
        </AuthCard>
    }
}
