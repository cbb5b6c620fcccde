//! Server functions of the account mails: verifying the address, the forgotten password, changing the
//! address, signing in with a code. The links and codes are the credentials of the public ones.

use super::model::{EmailStatus, SignInStep};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::platform::caller::{self, require_signed_in};
#[cfg(feature = "ssr")]
use crate::platform::state::app_state;

/// Whether the caller's address is proven, and an address change waiting for confirmation.
#[server(prefix = "/api", endpoint = "my_email_status")]
pub async fn my_email_status() -> Result<EmailStatus, AppError> {
    let ctx = require_signed_in().await?;
    super::verification::email_status(&ctx.state, ctx.caller.user_id).await
}

/// Mails the verification link again (at most once a minute).
#[server(prefix = "/api", endpoint = "resend_verification")]
pub async fn resend_verification() -> Result<(), AppError> {
    let ctx = require_signed_in().await?;
    super::verification::resend(&ctx.state, &ctx.caller).await
}

/// Opens a verification link (from any browser: the token is the proof).
#[server(prefix = "/api", endpoint = "verify_email")]
pub async fn verify_email(token: String) -> Result<(), AppError> {
    let state = app_state()?;
    super::verification::verify(&state, &token).await
}

/// Ends an account lock with the link mailed when it began.
#[server(prefix = "/api", endpoint = "unlock_account")]
pub async fn unlock_account(token: String) -> Result<(), AppError> {
    let state = app_state()?;
    let meta = caller::request_meta(&state);
    super::lock::unlock(&state, &meta, &token).await
}

/// Asks for a password reset link. The answer is the same for every address.
#[server(prefix = "/api", endpoint = "forgot_password")]
pub async fn forgot_password(email: String) -> Result<(), AppError> {
    let state = app_state()?;
    let meta = caller::request_meta(&state);
    super::reset::request(&state, &meta, &email).await
}

/// Whether a reset link can still be used.
#[server(prefix = "/api", endpoint = "check_reset_link")]
pub async fn check_reset_link(token: String) -> Result<(), AppError> {
    let state = app_state()?;
    super::reset::check(&state, &token).await.map(|_| ())
}

/// Sets a new password with a reset link; every session of the account ends.
#[server(prefix = "/api", endpoint = "reset_password")]
pub async fn reset_password(token: String, new_password: String) -> Result<(), AppError> {
    let state = app_state()?;
    let meta = caller::request_meta(&state);
    // Every session of the account ends, this browser's too if it was one of them; a cookie of
    // someone else's session (a shared computer) is left alone.
    super::reset::reset(&state, &meta, &token, &new_password).await
}

/// Asks to move the account to another address (the current password confirms it is the owner).
#[server(prefix = "/api", endpoint = "request_email_change")]
pub async fn request_email_change(new_email: String, password: String) -> Result<(), AppError> {
    let ctx = require_signed_in().await?;
    super::email_change::request(&ctx.state, &ctx.caller, &new_email, &password).await
}

/// Opens the confirmation link sent to the new address; returns the account's new address.
#[server(prefix = "/api", endpoint = "confirm_email_change")]
pub async fn confirm_email_change(token: String) -> Result<String, AppError> {
    let state = app_state()?;
    let meta = caller::request_meta(&state);
    super::email_change::confirm(&state, &meta, &token).await
}

/// Mails a sign-in code. The answer is the same for every address: the address as asked for (the
/// code form's next step carries it).
#[server(prefix = "/api", endpoint = "request_sign_in_code")]
pub async fn request_sign_in_code(email: String) -> Result<String, AppError> {
    let state = app_state()?;
    let meta = caller::request_meta(&state);
    super::sign_in_code::request(&state, &meta, &email).await?;
    Ok(email.trim().to_lowercase().chars().take(crate::domain::account::EMAIL_MAX_CHARS).collect())
}

/// Signs in with a mailed code, exactly as `sign_in` does with a password.
#[server(prefix = "/api", endpoint = "sign_in_with_code")]
pub async fn sign_in_with_code(email: String, code: String) -> Result<SignInStep, AppError> {
    let state = app_state()?;
    let meta = caller::request_meta(&state);
    let previous = caller::current_caller(&state).await?.map(|c| c.session_hash);
    let proven = super::sign_in_code::sign_in(&state, &meta, &email, &code, previous).await?;
    Ok(super::api::answer_sign_in(&state, &meta, proven).await)
}
