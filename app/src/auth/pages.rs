//! Sign in, sign up, account and bootstrap pages.

use super::api::{BootstrapSuperAdmin, ChangePassword};
use crate::components::form::{field_error, form_error};
use crate::components::styles::{CARD, H1, H2, LINK, MUTED};
use crate::components::{DetailResult, FormAlert, SubmitButton, TextField};
use crate::i18n::t;
use crate::session::use_session;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

pub use super::card::{after_sign_in, after_sign_in_step, AuthCard};
use super::mail_pages::{code_href, EmailSection};

#[component]
pub fn SignInPage() -> impl IntoView {
    let session = use_session();
    let action = session.sign_in;
    let query = use_query_map();
    let next = move || query.with(|q| q.get("next"));
    Effect::new(move |_| {
        if let Some(Ok(step)) = action.value().get() {
            crate::session::reload_at(&after_sign_in_step(&step, next()));
        }
    });
    let result = move || action.value().get();
    view! {
        <Title text=crate::i18n::title("auth.sign_in")/>
        // Signed in already (also after a form post without JavaScript): move on.
        {move || session.viewer.get().map(|v| view! { <Redirect path=after_sign_in(next(), v.is_operator())/> })}
        <AuthCard title="auth.sign_in_title">
            <ActionForm action=action attr:class="space-y-4" attr:data-testid="sign-in-form">
                <TextField label="auth.email" name="email" kind="email" autocomplete="username" error=field_error(result, "email")/>
                <TextField label="auth.password" name="password" kind="password" autocomplete="current-password" maxlength=128 error=field_error(result, "password")/>
                <FormAlert error=form_error(result)/>
                <SubmitButton label="auth.sign_in" pending=action.pending()/>
            </ActionForm>
            <super::providers::pages::ProviderSignIn/>
            // The other ways in, beside the password: a reset link, or a one-time code by mail.
            <p class="mt-3 flex flex-wrap gap-x-4 gap-y-1 text-sm">
                <a href="/forgot-password" class=format!("font-medium {LINK}")>{t("auth.forgot_password")}</a>
                <a href=move || code_href(next()) data-testid="code-sign-in-link" class=format!("font-medium {LINK}")>{t("auth.use_code")}</a>
            </p>
            <p class="mt-6 text-sm text-slate-600">
                {t("auth.no_account")} " " <a href="/signup" class=format!("font-medium {LINK}")>{t("auth.sign_up")}</a>
            </p>
        </AuthCard>
    }
}

#[component]
pub fn SignUpPage() -> impl IntoView {
    let session = use_session();
    let action = session.sign_up;
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            crate::session::reload_at("/");
        }
    });
    let result = move || action.value().get();
    view! {
        <Title text=crate::i18n::title("auth.sign_up")/>
        {move || session.viewer.get().map(|_| view! { <Redirect path="/"/> })}
        <AuthCard title="auth.sign_up_title">
            // Sign-up can be paused (a feature flag); the server refuses it too.
            {(!crate::settings::model::use_flag("public_signup")).then(|| view! {
                <p role="note" class="mb-4 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="signup-paused">{t("auth.signup_paused")}</p>
            })}
            <ActionForm action=action attr:class="space-y-4" attr:data-testid="sign-up-form">
                <TextField label="auth.display_name" name="display_name" autocomplete="name" maxlength=80 error=field_error(result, "display_name")/>
                <TextField label="auth.email" name="email" kind="email" autocomplete="email" error=field_error(result, "email")/>
                <TextField label="auth.password" name="password" kind="password" autocomplete="new-password" maxlength=128 hint="auth.password_hint" error=field_error(result, "password")/>
                <FormAlert error=form_error(result)/>
                <SubmitButton label="auth.sign_up" pending=action.pending()/>
            </ActionForm>
            <p class="mt-6 text-sm text-slate-600">
                {t("auth.have_account")} " " <a href="/signin" class=format!("font-medium {LINK}")>{t("auth.sign_in")}</a>
            </p>
        </AuthCard>
    }
}

#[component]
pub fn AccountPage() -> impl IntoView {
    let session = use_session();
    let change = ServerAction::<ChangePassword>::new();
    let result = move || change.value().get();
    Effect::new(move |_| {
        if let Some(Ok(())) = session.sign_out.value().get() {
            crate::session::reload_at("/");
        }
    });
    view! {
        <Title text=crate::i18n::title("auth.account")/>
        {move || match session.viewer.get() {
                None => view! { <Redirect path="/signin?next=/account"/> }.into_any(),
                Some(viewer) => view! {
                    <div class="mx-auto max-w-xl space-y-6">
                        <h1 class=H1>{t("auth.account_title")}</h1>
                        <section class=CARD>
                            <p class=MUTED>{t("auth.signed_in_as")}</p>
                            <p class="font-medium" data-testid="account-email">{viewer.email.clone()}</p>
                            <p class="mt-2 text-sm"><a href="/account/notifications" class=crate::components::styles::LINK>{t("prefs.link")}</a></p>
                            <ActionForm action=session.sign_out attr:class="mt-4">
                                <SubmitButton label="auth.sign_out" pending=session.sign_out.pending()/>
                            </ActionForm>
                        </section>
                        <EmailSection/>
                        <super::second_factor::pages::SecondFactorSection viewer=viewer.clone()/>
                        <super::sessions_section::SessionsSection/>
                        <super::providers::pages::IdentitiesSection/>
                        <section class=CARD>
                            <h2 class=format!("mb-4 {H2}")>{t("auth.change_password")}</h2>
                            <ActionForm action=change attr:class="space-y-4">
                                <TextField label="auth.current_password" name="current_password" kind="password" autocomplete="current-password" maxlength=128 error=field_error(result, "current_password")/>
                                <TextField label="auth.new_password" name="new_password" kind="password" autocomplete="new-password" maxlength=128 hint="auth.password_hint" error=field_error(result, "new_password")/>
                                <FormAlert error=form_error(result)/>
                                {move || matches!(result(), Some(Ok(()))).then(|| view! {
                                    <p role="status" class="text-sm text-green-700">{t("auth.password_changed")}</p>
                                })}
                                <SubmitButton label="auth.change_password" pending=change.pending()/>
                            </ActionForm>
                        </section>
                        <crate::users::deletion::pages::DeletionSection/>
                    </div>
                }.into_any(),
            }}
    }
}

#[component]
pub fn BootstrapPage() -> impl IntoView {
    let status = Resource::new(|| (), |_| super::api::bootstrap_status());
    let action = ServerAction::<BootstrapSuperAdmin>::new();
    let result = move || action.value().get();
    view! {
        <Title text=crate::i18n::title("auth.bootstrap")/>
        <AuthCard title="auth.bootstrap">
            <DetailResult resource=status let:open>
                {if open {
                    view! {
                        <p class="mb-4 text-sm text-slate-600">{t("auth.bootstrap_hint")}</p>
                        {move || matches!(result(), Some(Ok(()))).then(|| view! { <Redirect path="/signin?next=/console"/> })}
                        <ActionForm action=action attr:class="space-y-4">
                            <TextField label="auth.bootstrap_token" name="token" kind="password" error=field_error(result, "token")/>
                            <TextField label="auth.display_name" name="display_name" maxlength=80 error=field_error(result, "display_name")/>
                            <TextField label="auth.email" name="email" kind="email" error=field_error(result, "email")/>
                            <TextField label="auth.password" name="password" kind="password" autocomplete="new-password" maxlength=128 hint="auth.password_hint" error=field_error(result, "password")/>
                            <FormAlert error=form_error(result)/>
                            <SubmitButton label="action.confirm" pending=action.pending()/>
                        </ActionForm>
                    }.into_any()
                } else {
                    view! { <p data-testid="bootstrap-closed" class="text-sm text-slate-600">{t("auth.bootstrap_unavailable")}</p> }.into_any()
                }}
            </DetailResult>
        </AuthCard>
    }
}
