//! Account server functions. Public ones (sign up, sign in, language, bootstrap) need no session;
//! the rest start with `require_signed_in`.

use super::model::{SignInStep, Viewer};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::i18n::Lang;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::platform::caller::{self, require_signed_in};
#[cfg(feature = "ssr")]
use crate::platform::state::app_state;

/// The signed-in user, or `None`.
#[server(prefix = "/api", endpoint = "whoami")]
pub async fn whoami() -> Result<Option<Viewer>, AppError> {
    let state = app_state()?;
    Ok(caller::current_caller(&state).await?.map(|c| super::service::viewer_of(&c)))
}

#[server(prefix = "/api", endpoint = "sign_up")]
pub async fn sign_up(email: String, display_name: String, password: String) -> Result<Viewer, AppError> {
    let state = app_state()?;
    let meta = caller::request_meta(&state);
    let lang = current_lang();
    let account = super::service::NewAccount::parse(&email, &display_name, &password, lang)?;
    let (viewer, token) = super::service::sign_up(&state, &meta, account).await?;
    caller::set_session_cookie(&state, &token);
    super::devices::note_sign_in(&state, &viewer, &meta).await;
    crate::cart::service::merge_guest_cart(&state, viewer.user_id).await;
    Ok(viewer)
}

#[server(prefix = "/api", endpoint = "sign_in")]
pub async fn sign_in(email: String, password: String) -> Result<SignInStep, AppError> {
    let state = app_state()?;
    let meta = caller::request_meta(&state);
    let previous = caller::current_caller(&state).await?.map(|c| c.session_hash);
    let proven = super::service::sign_in(&state, &meta, &email, &password, previous).await?;
    Ok(answer_sign_in(&state, &meta, proven).await)
}

/// The answer of a first sign-in step: the session, or the second factor's challenge in its cookie.
#[cfg(feature = "ssr")]
pub(crate) async fn answer_sign_in(
    state: &crate::platform::state::AppState,
    meta: &caller::RequestMeta,
    proven: super::service::Proven,
) -> SignInStep {
    match proven {
        super::service::Proven::Session(viewer, token) => {
            after_sign_in(state, meta, &viewer, &token).await;
            SignInStep::SignedIn(viewer)
        }
        super::service::Proven::SecondFactor(challenge) => {
            super::second_factor::challenge::set_cookie(state, &challenge);
            SignInStep::SecondFactor
        }
    }
}

/// What every way of signing in does once the user is known: the session cookie, the guest cart
/// merged into the account's, the account's language remembered, the device noted (a new one mails
/// the owner).
#[cfg(feature = "ssr")]
pub(crate) async fn after_sign_in(
    state: &crate::platform::state::AppState,
    meta: &caller::RequestMeta,
    viewer: &Viewer,
    token: &str,
) {
    caller::set_session_cookie(state, token);
    super::devices::note_sign_in(state, viewer, meta).await;
    crate::cart::service::merge_guest_cart(state, viewer.user_id).await;
    set_lang_cookie(viewer.lang);
}

#[server(prefix = "/api", endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    let state = app_state()?;
    if let Some(c) = caller::current_caller(&state).await? {
        super::service::sign_out(&state, &c.session_hash).await?;
    }
    caller::clear_session_cookie(&state);
    Ok(())
}

#[server(prefix = "/api", endpoint = "change_password")]
pub async fn change_password(current_password: String, new_password: String) -> Result<(), AppError> {
    let ctx = require_signed_in().await?;
    super::service::change_password(&ctx.state, &ctx.caller, &ctx.meta, &current_password, &new_password).await
}

/// Remembers the language in a cookie, and on the account when signed in.
#[server(prefix = "/api", endpoint = "set_language")]
pub async fn set_language(lang: String) -> Result<(), AppError> {
    let state = app_state()?;
    let lang = Lang::parse(&lang).ok_or_else(|| AppError::invalid("lang", "error.malformed"))?;
    if let Some(c) = caller::current_caller(&state).await? {
        super::service::set_locale(&state, c.user_id, lang).await?;
    }
    set_lang_cookie(lang);
    Ok(())
}

/// Whether the service-token bootstrap is open (a token is configured and no super admin can sign in).
#[server(prefix = "/api", endpoint = "bootstrap_status")]
pub async fn bootstrap_status() -> Result<bool, AppError> {
    let state = app_state()?;
    Ok(state.settings().bootstrap_token.is_some() && super::service::active_super_admins(&state).await? == 0)
}

#[server(prefix = "/api", endpoint = "bootstrap_super_admin")]
pub async fn bootstrap_super_admin(
    token: String,
    email: String,
    display_name: String,
    password: String,
) -> Result<(), AppError> {
    let state = app_state()?;
    let meta = caller::request_meta(&state);
    let Some(expected) = state.settings().bootstrap_token.clone() else {
        return Err(AppError::conflict("auth.bootstrap_unavailable"));
    };
    if super::service::active_super_admins(&state).await? > 0 {
        return Err(AppError::conflict("auth.bootstrap_unavailable"));
    }
    if !constant_time_eq(token.trim().as_bytes(), expected.as_bytes()) {
        return Err(AppError::invalid("token", "auth.token_wrong"));
    }
    let account = super::service::NewAccount::parse(&email, &display_name, &password, current_lang())?;
    super::service::create_super_admin(&state, &meta, "service_token", account).await?;
    Ok(())
}

#[cfg(feature = "ssr")]
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(feature = "ssr")]
pub const LANG_COOKIE: &str = "agora_lang";

#[cfg(feature = "ssr")]
fn set_lang_cookie(lang: Lang) {
    caller::append_set_cookie(&format!("{LANG_COOKIE}={}; Path=/; SameSite=Lax; Max-Age=31536000", lang.code()));
}

/// The language of the current request: the cookie, else `Accept-Language`, else English.
#[cfg(feature = "ssr")]
pub fn current_lang() -> Lang {
    let Some(parts) = use_context::<http::request::Parts>() else { return Lang::default() };
    lang_of(&parts)
}

/// The language of a request: the remembered choice (cookie), else the browser's preference.
#[cfg(feature = "ssr")]
pub fn lang_of(parts: &http::request::Parts) -> Lang {
    caller::cookie_value(parts, LANG_COOKIE)
        .and_then(|v| Lang::parse(&v))
        .or_else(|| {
            parts
                .headers
                .get(http::header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Lang::from_accept_language)
        })
        .unwrap_or_default()
}
