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

/// What every page request pays for the settings (`bench/settings-cost.sh` runs it in release):
/// taking the snapshot, the maintenance announcement and every flag for a signed-in user.
#[cfg(test)]
mod cost {
    use crate::domain::flags::{is_on, FlagRule, Subject, FLAGS};
    use crate::platform::state::{LiveSettings, Settings};
    use std::hint::black_box;
    use std::time::Instant;

    #[test]
    #[ignore = "a benchmark: bench/settings-cost.sh"]
    fn settings_cost_per_request() {
        let mut base = Settings::for_tests();
        // A rule with targets and a percentage: the dearer path.
        base.flags.insert(
            "sandbox_card".into(),
            FlagRule { percent: 30, roles: vec!["tech".into()], users: (1..=50).collect(), ..FlagRule::everyone(true) },
        );
        let live = LiveSettings::fixed(base);
        let roles = vec!["support".to_string()];
        let rounds = 2_000_000u32;
        let start = Instant::now();
        let mut on = 0usize;
        for i in 0..rounds {
            let settings = live.get();
            let now = 1_800_000_000_000 + i64::from(i);
            black_box(settings.maintenance.notice(now));
            for (name, _) in FLAGS {
                let who = Subject { user_id: Some(1_000 + i64::from(i % 10_000)), roles: &roles, seller: None };
                on += usize::from(is_on(name, &settings.flag(name), who, now));
            }
        }
        let ns = start.elapsed().as_nanos() as f64 / f64::from(rounds);
        println!("settings per request: {ns:.0} ns (snapshot, maintenance notice, {} flags); {on} on", FLAGS.len());
    }
}
