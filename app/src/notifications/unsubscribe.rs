//! The unsubscribe link of non-transactional mail (`{public_url}/unsubscribe?token=..`): the page asks
//! and turns the category's email off; mail clients' RFC 8058 one-click POST to the same URL does it
//! directly (`one_click`). Both without signing in: the signed token says who and what. A token that
//! does not verify changes nothing.

use super::preference_model::UnsubscribeTarget;
use super::preferences;
use super::unsubscribe_token;
use crate::domain::delivery::{Category, Channel};
use crate::error::{AppError, Context};
use crate::platform::change::Change;
use crate::platform::state::AppState;

/// The user and category of a genuine token, with the user's address.
async fn verified(state: &AppState, token: &str) -> Result<(i64, Category, UnsubscribeTarget), AppError> {
    let key = state.signing_key.get(&state.db, state.now_ms()).await.context("reading the signing key")?;
    let (user, category) =
        unsubscribe_token::verify(key, token).ok_or(AppError::invalid("token", "unsubscribe.invalid"))?;
    let email: Option<String> = sqlx::query_scalar("SELECT email FROM users WHERE id = $1")
        .bind(user)
        .fetch_optional(state.db.read())
        .await
        .context("reading the user")?;
    let email = email.ok_or(AppError::invalid("token", "unsubscribe.invalid"))?;
    Ok((user, category, UnsubscribeTarget { category: category.as_str().to_string(), email }))
}

pub async fn preview(state: &AppState, token: &str) -> Result<UnsubscribeTarget, AppError> {
    Ok(verified(state, token).await?.2)
}

/// Turns the token's category off by email (again is harmless).
pub async fn apply(state: &AppState, token: &str) -> Result<UnsubscribeTarget, AppError> {
    let (user, category, target) = verified(state, token).await?;
    let mut c = Change::unaudited(state, "notifications: a recipient's unsubscribe link").await?;
    let now = c.now_ms();
    preferences::set(c.conn(), now, user, category, Channel::Email, false).await.context("unsubscribing")?;
    c.commit().await?;
    Ok(target)
}

/// `POST /unsubscribe?token=..` (RFC 8058 one-click, body `List-Unsubscribe=One-Click`): 200 when
/// the category is off, 400 for a token that does not verify.
pub async fn one_click(
    axum::extract::State(state): axum::extract::State<AppState>,
    axum::extract::Query(query): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> (http::StatusCode, &'static str) {
    let token = query.get("token").map(String::as_str).unwrap_or("");
    match apply(&state, token).await {
        Ok(_) => (http::StatusCode::OK, "unsubscribed"),
        Err(AppError::Invalid { .. }) => (http::StatusCode::BAD_REQUEST, "invalid unsubscribe link"),
        Err(_) => (http::StatusCode::INTERNAL_SERVER_ERROR, "try again later"),
    }
}
