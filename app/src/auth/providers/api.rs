//! Server functions of sign-in with a provider. `provider_start` and `provider_callback` are reached by the
//! browser's own navigation (GET) and always answer with a redirect: onwards on success, back to the
//! sign-in page with the refusal's code (`?provider_error=`) otherwise, never a bare error body.

#[cfg(feature = "ssr")]
use super::model::IdentityRow;
use super::model::{ProviderChoice, SignInMethods};
use crate::auth::model::SignInStep;
use crate::error::AppError;
use leptos::prelude::*;
use server_fn::codec::GetUrl;

#[cfg(feature = "ssr")]
use super::service;
#[cfg(feature = "ssr")]
use crate::platform::caller;

/// The cookie that binds a started sign-in to this browser: the callback's state must match it
/// (another browser's callback URL, pasted or forced on a victim, signs nobody in).
#[cfg(feature = "ssr")]
const STATE_COOKIE: &str = "agora_sign_in_state";

#[cfg(feature = "ssr")]
fn state_cookie(state: &crate::platform::state::AppState, value: &str, max_age_s: i64) {
    let secure = if state.settings().secure_cookies { "; Secure" } else { "" };
    caller::append_set_cookie(&format!(
        "{STATE_COOKIE}={value}; Path={}; HttpOnly; SameSite=Lax; Max-Age={max_age_s}{secure}",
        super::client::CALLBACK_PATH
    ));
}

#[cfg(feature = "ssr")]
fn back_with(path: &str, error: &AppError) {
    leptos_axum::redirect(&format!("{path}?provider_error={}", error.message_key()));
}

/// Sends the browser to `provider` (`oidc`, `github`). `link`: a signed-in user adds it to their
/// account.
#[server(prefix = "/api", endpoint = "provider_start", input = GetUrl)]
pub async fn provider_start(provider: String, #[server(default)] link: bool) -> Result<(), AppError> {
    let state = crate::platform::state::app_state()?;
    let back = if link { "/account" } else { super::model::SIGN_IN_PATH };
    let Some(provider) = service::Provider::parse(&provider) else {
        back_with(back, &AppError::NotFound);
        return Ok(());
    };
    let link_user = if link {
        match caller::current_caller(&state).await? {
            Some(c) => Some(c.user_id),
            None => {
                leptos_axum::redirect(super::model::SIGN_IN_PATH);
                return Ok(());
            }
        }
    } else {
        None
    };
    match service::start(&state, provider, link_user).await {
        Ok(started) => {
            state_cookie(&state, &started.state, crate::domain::sign_in_provider::FLOW_TTL_MS / 1000);
            leptos_axum::redirect(&started.url);
        }
        Err(e) => back_with(back, &e),
    }
    Ok(())
}

/// Where the provider sends the browser back: `code` and `state`, or `error` (the user declined).
#[server(prefix = "/api", endpoint = "provider_callback", input = GetUrl)]
pub async fn provider_callback(
    code: Option<String>,
    state: Option<String>,
    iss: Option<String>,
    error: Option<String>,
) -> Result<(), AppError> {
    let app = crate::platform::state::app_state()?;
    let meta = caller::request_meta(&app);
    let current = caller::current_caller(&app).await?;
    let cookie = caller::parts().and_then(|p| caller::cookie_value(&p, STATE_COOKIE));
    state_cookie(&app, "", 0);
    let outcome = async {
        if error.is_some() {
            return Err(AppError::conflict("provider.declined"));
        }
        let (Some(code), Some(flow_state)) = (code, state) else {
            return Err(AppError::conflict("provider.state_unknown"));
        };
        if code.len() > 2048 || flow_state.len() > 128 || cookie.as_deref() != Some(flow_state.as_str()) {
            return Err(AppError::conflict("provider.state_mismatch"));
        }
        let signed_in = current.as_ref().map(|c| (c.user_id, crate::platform::audit_log::Actor::of(c)));
        service::finish(&app, &meta, &code, &flow_state, iss.as_deref(), signed_in).await
    }
    .await;
    let back = if current.is_some() { "/account" } else { super::model::SIGN_IN_PATH };
    match outcome {
        Ok(service::Outcome::Account(user_id)) => {
            let previous = current.map(|c| c.session_hash);
            match crate::auth::service::sign_in_vouched(&app, &meta, user_id, previous).await {
                Ok(proven) => match crate::auth::api::answer_sign_in(&app, &meta, proven).await {
                    SignInStep::SignedIn(_) => leptos_axum::redirect("/"),
                    SignInStep::SecondFactor => leptos_axum::redirect("/signin/second-factor"),
                },
                Err(e) => back_with(super::model::SIGN_IN_PATH, &e),
            }
        }
        Ok(service::Outcome::Linked) => leptos_axum::redirect("/account?linked=1"),
        Ok(service::Outcome::ConfirmLink(token)) => {
            leptos_axum::redirect(&format!("{}?token={token}", super::model::LINK_PATH))
        }
        Err(e) => back_with(back, &e),
    }
    Ok(())
}

/// The providers the sign-in page offers (none when none is configured).
#[server(prefix = "/api", endpoint = "sign_in_providers")]
pub async fn sign_in_providers() -> Result<Vec<ProviderChoice>, AppError> {
    let state = crate::platform::state::app_state()?;
    Ok(choices(&state, false))
}

/// The configured providers, each with the path that starts a sign-in (or a link) with it.
#[cfg(feature = "ssr")]
fn choices(state: &crate::platform::state::AppState, link: bool) -> Vec<ProviderChoice> {
    let suffix = if link { "&link=true" } else { "" };
    service::Provider::ALL
        .into_iter()
        .filter_map(|p| {
            let label = p.label(state)?;
            Some(ProviderChoice { start: format!("/api/provider_start?provider={}{suffix}", p.as_str()), label })
        })
        .collect()
}

/// The account a pending link belongs to (its email), while the link is valid.
#[server(prefix = "/api", endpoint = "check_identity_link")]
pub async fn check_identity_link(token: String) -> Result<String, AppError> {
    let state = crate::platform::state::app_state()?;
    Ok(service::link_request(&state, token.trim()).await?.email)
}

/// Confirms a pending link with the account's password (throttled and locked out like any sign-in):
/// the identity is linked and the account signed in (the second factor next when enrolled).
#[server(prefix = "/api", endpoint = "confirm_identity_link")]
pub async fn confirm_identity_link(token: String, password: String) -> Result<SignInStep, AppError> {
    let state = crate::platform::state::app_state()?;
    let meta = caller::request_meta(&state);
    let request = service::link_request(&state, token.trim()).await?;
    let previous = caller::current_caller(&state).await?.map(|c| c.session_hash);
    let proven = crate::auth::service::sign_in(&state, &meta, &request.email, &password, previous).await?;
    service::complete_link(&state, &meta, token.trim(), request.user_id).await?;
    Ok(crate::auth::api::answer_sign_in(&state, &meta, proven).await)
}

/// The caller's identities at providers.
#[server(prefix = "/api", endpoint = "my_identities")]
pub async fn my_identities() -> Result<SignInMethods, AppError> {
    let ctx = caller::require_signed_in().await?;
    let mut identities: Vec<IdentityRow> = service::identities_of(&ctx.state, ctx.caller.user_id).await?;
    for i in &mut identities {
        let provider = service::Provider::parse(&i.provider);
        i.label = provider.and_then(|p| p.label(&ctx.state)).unwrap_or_else(|| i.provider.clone());
    }
    Ok(SignInMethods { identities, can_add: choices(&ctx.state, true) })
}

/// Unlinks one of the caller's identities (never their last way to sign in).
#[server(prefix = "/api", endpoint = "unlink_identity")]
pub async fn unlink_identity(id: i64) -> Result<(), AppError> {
    let ctx = caller::require_signed_in().await?;
    let actor = crate::platform::audit_log::Actor::of(&ctx.caller);
    service::unlink(&ctx.state, actor, &ctx.meta, ctx.caller.user_id, id).await
}
