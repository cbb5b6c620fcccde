//! Asking a feature flag (the rules are `domain::flags`; a flag's rule is a runtime setting). The
//! rule is in memory; only a rule that targets sellers reads the asker's seller organisation.

use crate::domain::flags::{is_on, Subject, FLAGS};
use crate::domain::roles::RoleName;
use crate::error::AppError;
use crate::platform::seller_access::membership_of;
use crate::platform::state::AppState;

/// Whether flag `name` is on for `user_id` (none: a visitor) holding `roles`, now.
pub async fn on_for(state: &AppState, user_id: Option<i64>, roles: &[RoleName], name: &str) -> Result<bool, AppError> {
    let rule = state.settings().flag(name);
    let seller = match user_id {
        Some(id) if !rule.sellers.is_empty() => membership_of(state, id).await?.map(|m| m.organisation_id),
        _ => None,
    };
    let roles: Vec<String> = roles.iter().map(|r| r.as_str().to_string()).collect();
    Ok(is_on(name, &rule, Subject { user_id, roles: &roles, seller }, state.now_ms()))
}

/// Refuses with `code` unless flag `name` is on for the asker.
pub async fn require(
    state: &AppState,
    user_id: Option<i64>,
    roles: &[RoleName],
    name: &str,
    code: &str,
) -> Result<(), AppError> {
    if on_for(state, user_id, roles, name).await? {
        Ok(())
    } else {
        Err(AppError::conflict(code))
    }
}

/// Every flag that is on for the asker: what the page gets (`model::RequestSite`).
pub async fn on_flags(state: &AppState, user_id: Option<i64>, roles: &[RoleName]) -> Vec<String> {
    let mut on = vec![];
    for (name, _) in FLAGS {
        // A failed look-up (a seller target's membership) leaves the flag off for this page.
        if on_for(state, user_id, roles, name).await.unwrap_or(false) {
            on.push(name.to_string());
        }
    }
    on
}
