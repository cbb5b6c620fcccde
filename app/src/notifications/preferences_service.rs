//! Reading and saving a user's preferences grid (category × in-app / email). A user's own choices,
//! like marking notifications read: not an audited decision, so a `Change::unaudited`.

use super::preference_model::{choice_value, PreferenceRow};
use super::preferences::{self, stored};
use crate::domain::delivery::{Category, Channel};
use crate::error::{AppError, Context};
use crate::platform::change::Change;
use crate::platform::state::AppState;

/// The channels a user chooses between (webhooks are a seller's integration, not a person's inbox).
pub const CHANNELS: [Channel; 2] = [Channel::InApp, Channel::Email];

pub async fn grid(state: &AppState, user: i64) -> Result<Vec<PreferenceRow>, AppError> {
    let mut conn = state.db.read().acquire().await.context("reading preferences")?;
    let stored = stored(&mut conn, user).await.context("reading preferences")?;
    let on = |category: Category, channel: Channel| {
        category.always_on()
            || stored.iter().find(|(c, ch, _)| *c == category && *ch == channel).is_none_or(|(_, _, on)| *on)
    };
    Ok(Category::ALL
        .into_iter()
        .map(|category| PreferenceRow {
            category: category.as_str().to_string(),
            in_app: on(category, Channel::InApp),
            email: on(category, Channel::Email),
            always_on: category.always_on(),
        })
        .collect())
}

/// Stores every (category, channel) of the grid: ticked ones on, the rest off. Always-on categories
/// are not stored. An unknown value refuses the whole save.
pub async fn save(state: &AppState, user: i64, ticked: &[String]) -> Result<(), AppError> {
    let valid: Vec<String> = Category::ALL
        .into_iter()
        .flat_map(|c| CHANNELS.into_iter().map(move |ch| choice_value(c.as_str(), ch.as_str())))
        .collect();
    if ticked.iter().any(|t| !valid.contains(t)) {
        return Err(AppError::invalid("on", "prefs.error.unknown"));
    }
    let mut c = Change::unaudited(state, "notifications: a user's own notification preferences").await?;
    let now = c.now_ms();
    for category in Category::ALL.into_iter().filter(|c| !c.always_on()) {
        for channel in CHANNELS {
            let on = ticked.contains(&choice_value(category.as_str(), channel.as_str()));
            preferences::set(c.conn(), now, user, category, channel, on).await.context("saving preferences")?;
        }
    }
    c.commit().await
}
