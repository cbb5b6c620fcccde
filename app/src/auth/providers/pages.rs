//! The screens of sign-in with a provider: its button (and a refusal's message) on the sign-in page,
//! the page that confirms a link with the account's password, and "Sign-in methods" on the account
//! page.

use super::api::{check_identity_link, my_identities, sign_in_providers, ConfirmIdentityLink, UnlinkIdentity};
use super::model::SignInMethods;
use crate::components::form::{field_error, form_error};
use crate::components::styles::{CARD, H2, LINK, MUTED};
use crate::components::{query_param, DetailResult, FormAlert, SubmitButton, TextField, Time};
use crate::i18n::{t, translate, use_lang};
use leptos::prelude::*;
use leptos_meta::Title;

/// A refusal a provider sign-in came back with (`?provider_error=`), in the page's language.
#[component]
fn ProviderRefusal() -> impl IntoView {
    let (error, lang) = (query_param("provider_error"), use_lang());
    move || {
        error().filter(|e| e.len() <= 64).map(|code| {
            view! {
                <p role="alert" class="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800" data-testid="provider-error">
                    {move || translate(lang.get(), &code)}
                </p>
            }
        })
    }
}

/// "Sign in with …" for each configured provider; nothing when none is.
#[component]
pub fn ProviderSignIn() -> impl IntoView {
    let providers = Resource::new(|| (), |_| sign_in_providers());
    let lang = use_lang();
    view! {
        <ProviderRefusal/>
        <Transition fallback=|| ()>
            {move || providers.get().and_then(Result::ok).filter(|p| !p.is_empty()).map(|providers| view! {
                <div class="mt-4 space-y-2" data-testid="provider-sign-in">
                    {providers.into_iter().map(|p| {
                        let label = p.label.clone();
                        view! {
                            <a href=p.start rel="external" class="flex w-full items-center justify-center rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-700 hover:bg-slate-50 focus:outline-none focus:ring-2 focus:ring-indigo-300">
                                {move || translate(lang.get(), "provider.sign_in_with").replace("{label}", &label)}
                            </a>
                        }
                    }).collect_view()}
                </div>
            })}
        </Transition>
    }
}

/// `/signin/link?token=`: the provider vouched for an email that is an existing account's; its
/// password confirms that the provider's identity may sign in to it from now on.
#[component]
pub fn LinkIdentityPage() -> impl IntoView {
    let token = query_param("token");
    let account = Resource::new(token, |t| async move {
        match t {
            Some(t) => check_identity_link(t).await,
            None => Err(crate::error::AppError::conflict("provider.link_unknown")),
        }
    });
    let confirm = ServerAction::<ConfirmIdentityLink>::new();
    Effect::new(move |_| {
        if let Some(Ok(step)) = confirm.value().get() {
            crate::session::reload_at(&crate::auth::card::after_sign_in_step(&step, None));
        }
    });
    let result = move || confirm.value().get();
    view! {
        <Title text=crate::i18n::title("provider.link_title")/>
        <crate::auth::card::AuthCard title="provider.link_title">
            <DetailResult resource=account let:email>
                <p class="text-sm text-slate-700" data-testid="link-account">
                    {t("provider.link_intro")}" "<span class="font-medium">{email}</span>
                </p>
                <ActionForm action=confirm attr:class="mt-4 space-y-4" attr:data-testid="link-form">
                    <input type="hidden" name="token" value=move || token().unwrap_or_default()/>
                    <TextField label="auth.password" name="password" kind="password" autocomplete="current-password" maxlength=128 error=field_error(result, "password")/>
                    <FormAlert error=form_error(result)/>
                    <SubmitButton label="provider.link_submit" pending=confirm.pending()/>
                </ActionForm>
            </DetailResult>
            <p class="mt-6 text-sm"><a href="/signin" class=format!("font-medium {LINK}")>{t("provider.link_cancel")}</a></p>
        </crate::auth::card::AuthCard>
    }
}

/// The account page's "Sign-in methods": the provider identities, each removable unless it is the last
/// way in, and "Add …" for the configured provider.
#[component]
pub fn IdentitiesSection() -> impl IntoView {
    let unlink = ServerAction::<UnlinkIdentity>::new();
    let identities = Resource::new(move || unlink.version().get(), |_| my_identities());
    let linked = query_param("linked");
    view! {
        <section class=CARD aria-labelledby="identities-title" data-testid="identities">
            <h2 id="identities-title" class=H2>{t("provider.methods_title")}</h2>
            <p class=format!("mt-1 {MUTED}")>{t("provider.methods_intro")}</p>
            {move || linked().map(|_| view! { <p role="status" class="mt-2 text-sm text-green-700" data-testid="identity-linked">{t("provider.linked")}</p> })}
            <ProviderRefusal/>
            <FormAlert error=form_error(move || unlink.value().get())/>
            <DetailResult resource=identities let:mine>
                <IdentityList mine unlink/>
            </DetailResult>
        </section>
    }
}

#[component]
fn IdentityList(mine: SignInMethods, unlink: ServerAction<UnlinkIdentity>) -> impl IntoView {
    let lang = use_lang();
    let add = mine.can_add.into_iter().map(|p| {
        let label = p.label.clone();
        view! {
            <a href=p.start rel="external" class=format!("mt-3 mr-4 inline-block text-sm font-medium {LINK}") data-testid="identity-add">
                {move || translate(lang.get(), "provider.add").replace("{label}", &label)}
            </a>
        }
    });
    view! {
        {if mine.identities.is_empty() {
            view! { <p class="mt-3 text-sm text-slate-500" data-testid="identities-empty">{t("provider.none")}</p> }.into_any()
        } else {
            view! {
                <ul class="mt-3 divide-y divide-slate-100">
                    {mine.identities.into_iter().map(|i| view! {
                        <li class="flex items-center justify-between gap-3 py-2" data-testid="identity">
                            <div class="text-sm">
                                <p class="font-medium">{i.label.clone()}" · "{i.email.clone()}</p>
                                <p class="text-xs text-slate-500">{t("provider.last_used")}" "<Time ms=i.last_used_at_ms/></p>
                            </div>
                            <ActionForm action=unlink>
                                <input type="hidden" name="id" value=i.id/>
                                <button type="submit" class=format!("text-sm font-medium {LINK}")>{t("provider.unlink")}</button>
                            </ActionForm>
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        <div>{add.collect_view()}</div>
    }
}
