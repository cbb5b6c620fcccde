//! Server functions of notification preferences and of the unsubscribe link. Preferences are the
//! signed-in user's own; the unsubscribe link works without signing in (its token is signed).

use crate::error::AppError;
use leptos::prelude::*;

pub use super::preference_model::{PreferenceRow, UnsubscribeTarget};

#[server(prefix = "/api", endpoint = "notification_preferences")]
pub async fn notification_preferences() -> Result<Vec<PreferenceRow>, AppError> {
    let ctx = crate::platform::caller::require_signed_in().await?;
    super::preferences_service::grid(&ctx.state, ctx.caller.user_id).await
}

/// Saves the whole grid. The form sends one `on[]` per ticked box (`choice_value`); a box left
/// unticked sends nothing, which means off (hence the default).
#[server(prefix = "/api", endpoint = "save_notification_preferences")]
pub async fn save_notification_preferences(#[server(default)] on: Vec<String>) -> Result<(), AppError> {
    let ctx = crate::platform::caller::require_signed_in().await?;
    super::preferences_service::save(&ctx.state, ctx.caller.user_id, &on).await
}

/// What the link's token would turn off (the page asks before doing it). Anyone holding the link.
#[server(prefix = "/api", endpoint = "unsubscribe_preview")]
pub async fn unsubscribe_preview(token: String) -> Result<UnsubscribeTarget, AppError> {
    let state = crate::platform::state::app_state()?;
    super::unsubscribe::preview(&state, &token).await
}

/// Turns the link's category off by email. Anyone holding the link.
#[server(prefix = "/api", endpoint = "unsubscribe")]
pub async fn unsubscribe(token: String) -> Result<UnsubscribeTarget, AppError> {
    let state = crate::platform::state::app_state()?;
    super::unsubscribe::apply(&state, &token).await
}
