//! The pages and sections of the account mails: the forgotten password and its reset page, the
//! verification and address-change links, the account page's address section, and the code sign-in
//! beside the password.

use super::card::{after_sign_in, after_sign_in_step, AuthCard};
use super::mail_api::{
    ConfirmEmailChange, ForgotPassword, RequestEmailChange, RequestSignInCode, ResendVerification, ResetPassword,
    SignInWithCode, UnlockAccount, VerifyEmail,
};
use crate::components::form::{field_error, form_error};
use crate::components::states::error_text;
use crate::components::styles::{CARD, H2, LINK, MUTED};
use crate::components::{DetailResult, FormAlert, SubmitButton, TextField};
use crate::error::AppError;
use crate::i18n::{t, use_lang};
use crate::session::use_session;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

/// The `?token=` of the page's address.
fn query_token() -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let query = use_query_map();
    move || query.with(|q| q.get("token")).unwrap_or_default()
}

/// A success line (`role="status"`, announced by screen readers).
#[component]
fn Done(key: &'static str) -> impl IntoView {
    view! { <p role="status" data-testid="done" class="text-sm text-green-700">{t(key)}</p> }
}

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let action = ServerAction::<ForgotPassword>::new();
    let result = move || action.value().get();
    view! {
        <Title text=crate::i18n::title("auth.forgot_title")/>
        <AuthCard title="auth.forgot_title">
            {move || match result() {
                Some(Ok(())) => view! { <Done key="auth.forgot_sent"/> }.into_any(),
                _ => view! {
                    <p class=format!("mb-4 {MUTED}")>{t("auth.forgot_hint")}</p>
                    <ActionForm action=action attr:class="space-y-4" attr:data-testid="forgot-form">
                        <TextField label="auth.email" name="email" kind="email" autocomplete="email" error=field_error(result, "email")/>
                        <FormAlert error=form_error(result)/>
                        <SubmitButton label="auth.send_link" pending=action.pending()/>
                    </ActionForm>
                }.into_any(),
            }}
            <p class="mt-6 text-sm"><a href="/signin" class=format!("font-medium {LINK}")>{t("auth.to_sign_in_page")}</a></p>
        </AuthCard>
    }
}

/// A link's problem (expired, used, forged) with the way to a new one.
#[component]
fn LinkProblem(error: AppError, again_href: &'static str, again: &'static str) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="space-y-4">
            <div role="alert" data-testid="form-error" class="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
                {move || error_text(lang.get(), &error)}
            </div>
            <a href=again_href class=format!("text-sm font-medium {LINK}")>{t(again)}</a>
        </div>
    }
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let token = query_token();
    let link = Resource::new(token, super::mail_api::check_reset_link);
    let action = ServerAction::<ResetPassword>::new();
    let result = move || action.value().get();
    let claim = Callback::new(|(e,): (AppError,)| {
        Some(view! { <LinkProblem error=e again_href="/forgot-password" again="auth.ask_new_link"/> }.into_any())
    });
    view! {
        <Title text=crate::i18n::title("auth.reset_title")/>
        <AuthCard title="auth.reset_title">
            <DetailResult resource=link on_error=claim let:_ok>
                {move || match result() {
                    Some(Ok(())) => view! {
                        <Done key="auth.reset_done"/>
                        // A full page load: this browser's session ended with the others.
                        <a href="/signin" rel="external" class=format!("mt-4 inline-block text-sm font-medium {LINK}")>{t("auth.to_sign_in_page")}</a>
                    }.into_any(),
                    Some(Err(e)) if e.field() == Some("token") => view! {
                        <LinkProblem error=e again_href="/forgot-password" again="auth.ask_new_link"/>
                    }.into_any(),
                    _ => view! {
                        <ActionForm action=action attr:class="space-y-4" attr:data-testid="reset-form">
                            <input type="hidden" name="token" value=token()/>
                            <TextField label="auth.new_password" name="new_password" kind="password" autocomplete="new-password" maxlength=128 hint="auth.password_hint" error=field_error(result, "new_password")/>
                            <FormAlert error=form_error(result)/>
                            <SubmitButton label="auth.reset_password" pending=action.pending()/>
                        </ActionForm>
                    }.into_any(),
                }}
            </DetailResult>
        </AuthCard>
    }
}

/// The state of a page that spends a link's token when its owner confirms (a button, not the page
/// load: mail scanners that open links must not use them up): `None` while the form is to be shown.
fn link_state<T: 'static>(
    result: Option<Result<T, AppError>>,
    token: &str,
    done: impl FnOnce(T) -> AnyView,
) -> Option<AnyView> {
    match result {
        Some(Ok(v)) => Some(done(v)),
        Some(Err(e)) if e.field() == Some("token") => {
            Some(view! { <LinkProblem error=e again_href="/account" again="auth.go_to_account"/> }.into_any())
        }
        _ if token.is_empty() => {
            Some(view! { <p role="alert" class="text-sm text-red-800">{t("auth.link_missing")}</p> }.into_any())
        }
        _ => None,
    }
}

#[component]
pub fn VerifyEmailPage() -> impl IntoView {
    let token = query_token();
    let action = ServerAction::<VerifyEmail>::new();
    let result = move || action.value().get();
    view! {
        <Title text=crate::i18n::title("auth.verify_title")/>
        <AuthCard title="auth.verify_title">
            {move || link_state(result(), &token(), |()| view! {
                <Done key="auth.verify_done"/>
                <a href="/account" rel="external" class=format!("mt-4 inline-block text-sm font-medium {LINK}")>{t("auth.go_to_account")}</a>
            }.into_any()).unwrap_or_else(|| view! {
                <p class=format!("mb-4 {MUTED}")>{t("auth.verify_hint")}</p>
                <ActionForm action=action attr:class="space-y-4" attr:data-testid="link-form">
                    <input type="hidden" name="token" value=token()/>
                    <FormAlert error=form_error(result)/>
                    <SubmitButton label="auth.verify_confirm" pending=action.pending()/>
                </ActionForm>
            }.into_any())}
        </AuthCard>
    }
}

/// The unlock link's page: a button spends the link (see `link_state`), then on to signing in.
#[component]
pub fn UnlockPage() -> impl IntoView {
    let token = query_token();
    let action = ServerAction::<UnlockAccount>::new();
    let result = move || action.value().get();
    view! {
        <Title text=crate::i18n::title("auth.unlock_title")/>
        <AuthCard title="auth.unlock_title">
            {move || link_state(result(), &token(), |()| view! {
                <Done key="auth.unlock_done"/>
                <a href="/signin" class=format!("mt-4 inline-block text-sm font-medium {LINK}")>{t("auth.to_sign_in_page")}</a>
            }.into_any()).unwrap_or_else(|| view! {
                <p class=format!("mb-4 {MUTED}")>{t("auth.unlock_hint")}</p>
                <ActionForm action=action attr:class="space-y-4" attr:data-testid="link-form">
                    <input type="hidden" name="token" value=token()/>
                    <FormAlert error=form_error(result)/>
                    <SubmitButton label="auth.unlock_confirm" pending=action.pending()/>
                </ActionForm>
            }.into_any())}
        </AuthCard>
    }
}

#[component]
pub fn ConfirmEmailPage() -> impl IntoView {
    let token = query_token();
    let action = ServerAction::<ConfirmEmailChange>::new();
    let result = move || action.value().get();
    view! {
        <Title text=crate::i18n::title("auth.confirm_email_title")/>
        <AuthCard title="auth.confirm_email_title">
            {move || link_state(result(), &token(), |new_email| view! {
                <p role="status" data-testid="done" class="text-sm text-green-700">
                    {t("auth.confirm_email_done")} " " <strong>{new_email}</strong>
                </p>
                <a href="/account" rel="external" class=format!("mt-4 inline-block text-sm font-medium {LINK}")>{t("auth.go_to_account")}</a>
            }.into_any()).unwrap_or_else(|| view! {
                <p class=format!("mb-4 {MUTED}")>{t("auth.confirm_email_hint")}</p>
                <ActionForm action=action attr:class="space-y-4" attr:data-testid="link-form">
                    <input type="hidden" name="token" value=token()/>
                    <FormAlert error=form_error(result)/>
                    <SubmitButton label="auth.confirm_email" pending=action.pending()/>
                </ActionForm>
            }.into_any())}
        </AuthCard>
    }
}

/// The account page's address: verified or not (with "send the link again"), and the change form.
#[component]
pub fn EmailSection() -> impl IntoView {
    let resend = ServerAction::<ResendVerification>::new();
    let change = ServerAction::<RequestEmailChange>::new();
    let status =
        Resource::new(move || (resend.version().get(), change.version().get()), |_| super::mail_api::my_email_status());
    let resent = move || resend.value().get();
    let changed = move || change.value().get();
    view! {
        <section class=CARD aria-labelledby="email-section-title">
            <h2 id="email-section-title" class=format!("mb-4 {H2}")>{t("auth.email_section")}</h2>
            <DetailResult resource=status let:s>
                {if s.verified {
                    view! { <p data-testid="email-state" class="text-sm font-medium text-green-700">{t("auth.email_verified")}</p> }.into_any()
                } else {
                    view! {
                        <p data-testid="email-state" class="text-sm font-medium text-amber-700">{t("auth.email_not_verified")}</p>
                        <p class=format!("mt-1 {MUTED}")>{t("auth.email_not_verified_hint")}</p>
                        <ActionForm action=resend attr:class="mt-3 space-y-2">
                            <FormAlert error=form_error(resent)/>
                            {move || matches!(resent(), Some(Ok(()))).then(|| view! { <Done key="auth.resend_sent"/> })}
                            <SubmitButton label="auth.resend_link" pending=resend.pending()/>
                        </ActionForm>
                    }.into_any()
                }}
                {s.pending_email.map(|e| view! {
                    <p class=format!("mt-3 {MUTED}") data-testid="pending-email">{t("auth.pending_email")} " " <strong>{e}</strong></p>
                })}
            </DetailResult>
            <h3 class="mt-6 mb-2 text-sm font-medium text-slate-700">{t("auth.change_email")}</h3>
            <p class=format!("mb-3 {MUTED}")>{t("auth.change_email_hint")}</p>
            <ActionForm action=change attr:class="space-y-4" attr:data-testid="change-email-form">
                <TextField label="auth.new_email" name="new_email" kind="email" autocomplete="email" error=field_error(changed, "new_email")/>
                <TextField label="auth.password_to_confirm" name="password" kind="password" autocomplete="current-password" maxlength=128 error=field_error(changed, "password")/>
                <FormAlert error=form_error(changed)/>
                {move || matches!(changed(), Some(Ok(()))).then(|| view! { <Done key="auth.change_email_sent"/> })}
                <SubmitButton label="auth.change_email" pending=change.pending()/>
            </ActionForm>
        </section>
    }
}

/// The code sign-in page's address, carrying the sign-in page's `?next=`.
pub fn code_href(next: Option<String>) -> String {
    match next {
        Some(n) => format!("/signin/code?next={}", urlencode(&n)),
        None => "/signin/code".to_string(),
    }
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Signing in with a code by mail, offered beside the password: ask for a code, then enter it.
#[component]
pub fn SignInCodePage() -> impl IntoView {
    let session = use_session();
    let query = use_query_map();
    let next = move || query.with(|q| q.get("next"));
    let ask = ServerAction::<RequestSignInCode>::new();
    let enter = ServerAction::<SignInWithCode>::new();
    let asked = move || ask.value().get();
    let entered = move || enter.value().get();
    Effect::new(move |_| {
        if let Some(Ok(step)) = enter.value().get() {
            crate::session::reload_at(&after_sign_in_step(&step, next()));
        }
    });
    view! {
        <Title text=crate::i18n::title("auth.code_sign_in")/>
        {move || session.viewer.get().map(|v| view! { <Redirect path=after_sign_in(next(), v.is_operator())/> })}
        <AuthCard title="auth.code_sign_in">
            <p class=format!("mb-4 {MUTED}")>{t("auth.code_hint")}</p>
            {move || match asked() {
                Some(Ok(address)) => view! {
                    <Done key="auth.code_sent"/>
                    <ActionForm action=enter attr:class="mt-4 space-y-4" attr:data-testid="code-form">
                        <input type="hidden" name="email" value=address/>
                        <TextField label="auth.code" name="code" autocomplete="one-time-code" maxlength=12 error=field_error(entered, "code")/>
                        <FormAlert error=form_error(entered)/>
                        <SubmitButton label="auth.sign_in_with_code" pending=enter.pending()/>
                    </ActionForm>
                }.into_any(),
                _ => view! {
                    <ActionForm action=ask attr:class="space-y-4" attr:data-testid="code-request-form">
                        <TextField label="auth.email" name="email" kind="email" autocomplete="username" error=field_error(asked, "email")/>
                        <FormAlert error=form_error(asked)/>
                        <SubmitButton label="auth.send_code" pending=ask.pending()/>
                    </ActionForm>
                }.into_any(),
            }}
            <p class="mt-6 text-sm"><a href="/signin" class=format!("font-medium {LINK}")>{t("auth.use_password")}</a></p>
        </AuthCard>
    }
}
