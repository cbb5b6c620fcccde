//! The second factor's server functions: the account page's (signed in, about oneself only) and the
//! sign-in's second step (public: the challenge cookie says who).

use super::model::{Enrolment, SecondFactorState};
use crate::auth::model::Viewer;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::platform::caller::{self, require_signed_in};
#[cfg(feature = "ssr")]
use crate::platform::guard::confirm_password;
#[cfg(feature = "ssr")]
use crate::platform::state::app_state;

#[server(prefix = "/api", endpoint = "second_factor_status")]
pub async fn second_factor_status() -> Result<SecondFactorState, AppError> {
    let ctx = require_signed_in().await?;
    super::service::status(&ctx.state, ctx.caller.user_id).await
}

/// A new key to enrol, shown once (an unfinished earlier one is replaced).
#[server(prefix = "/api", endpoint = "start_second_factor")]
pub async fn start_second_factor() -> Result<Enrolment, AppError> {
    let ctx = require_signed_in().await?;
    super::service::start(&ctx.state, &ctx.caller).await
}

/// The first code from the app: the factor is on; answers the recovery codes, shown once.
#[server(prefix = "/api", endpoint = "confirm_second_factor")]
pub async fn confirm_second_factor(code: String) -> Result<Vec<String>, AppError> {
    let ctx = require_signed_in().await?;
    super::service::confirm(&ctx.state, &ctx.caller, &ctx.meta, &code).await
}

#[server(prefix = "/api", endpoint = "renew_recovery_codes")]
pub async fn renew_recovery_codes(password: String, code: String) -> Result<Vec<String>, AppError> {
    let ctx = require_signed_in().await?;
    confirm_password(&ctx, &password).await?;
    super::service::renew_recovery_codes(&ctx.state, &ctx.caller, &ctx.meta, &code).await
}

/// Turns the factor off: the password and a current code (or a recovery code), mailed to the owner.
#[server(prefix = "/api", endpoint = "disable_second_factor")]
pub async fn disable_second_factor(password: String, code: String) -> Result<(), AppError> {
    let ctx = require_signed_in().await?;
    confirm_password(&ctx, &password).await?;
    super::service::disable(&ctx.state, &ctx.caller, &ctx.meta, &code).await
}

/// The second step of a sign-in: the code for the challenge in the cookie.
#[server(prefix = "/api", endpoint = "sign_in_second_factor")]
pub async fn sign_in_second_factor(code: String) -> Result<Viewer, AppError> {
    let state = app_state()?;
    let meta = caller::request_meta(&state);
    let parts = use_context::<http::request::Parts>().ok_or(AppError::Malformed)?;
    let Some(challenge) = caller::cookie_value(&parts, super::challenge::COOKIE) else {
        return Err(AppError::invalid("code", "totp.challenge_gone"));
    };
    let previous = caller::current_caller(&state).await?.map(|c| c.session_hash);
    let (viewer, token) = super::sign_in::complete(&state, &meta, &challenge, &code, previous).await?;
    super::challenge::clear_cookie(&state);
    crate::auth::api::after_sign_in(&state, &meta, &viewer, &token).await;
    Ok(viewer)
}
