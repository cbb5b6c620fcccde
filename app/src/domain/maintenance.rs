//! Maintenance mode (issue 15): read-only (people can browse and sign in; no one but the allowed
//! operators changes anything) or closed (only the allowed operators get past the announcement),
//! with an announcement, and an optional start and end: a window set ahead of time begins and ends
//! by itself.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MaintenanceMode {
    Off,
    ReadOnly,
    Closed,
}

impl MaintenanceMode {
    pub fn parse(s: &str) -> MaintenanceMode {
        match s {
            "read_only" => MaintenanceMode::ReadOnly,
            "closed" => MaintenanceMode::Closed,
            _ => MaintenanceMode::Off,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            MaintenanceMode::Off => "off",
            MaintenanceMode::ReadOnly => "read_only",
            MaintenanceMode::Closed => "closed",
        }
    }
}

/// The maintenance settings as one value.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Maintenance {
    pub mode: Option<MaintenanceMode>,
    pub message: String,
    pub starts_ms: Option<i64>,
    pub ends_ms: Option<i64>,
    /// Lower-case addresses of the operators who keep working through it.
    pub allow: Vec<String>,
}

/// How far ahead a scheduled window is announced on every page.
pub const ANNOUNCE_AHEAD_MS: i64 = 7 * 86_400_000;

impl Maintenance {
    fn mode(&self) -> MaintenanceMode {
        self.mode.unwrap_or(MaintenanceMode::Off)
    }

    /// The mode in force at `now`: the chosen mode inside its window, `Off` outside it.
    pub fn in_force(&self, now: i64) -> MaintenanceMode {
        let started = self.starts_ms.is_none_or(|s| s <= now);
        let not_ended = self.ends_ms.is_none_or(|e| now < e);
        if started && not_ended {
            self.mode()
        } else {
            MaintenanceMode::Off
        }
    }

    /// Whether `email` (an operator's address) keeps working through it.
    pub fn allows(&self, email: &str) -> bool {
        self.allow.iter().any(|a| a.eq_ignore_ascii_case(email))
    }

    /// What every page shows: the window in force, or one starting within `ANNOUNCE_AHEAD_MS`.
    pub fn notice(&self, now: i64) -> Option<MaintenanceNotice> {
        let mode = self.mode();
        if mode == MaintenanceMode::Off || self.ends_ms.is_some_and(|e| e <= now) {
            return None;
        }
        let in_force = self.in_force(now) != MaintenanceMode::Off;
        let soon = self.starts_ms.is_some_and(|s| s > now && s - now <= ANNOUNCE_AHEAD_MS);
        (in_force || soon).then(|| MaintenanceNotice {
            mode,
            in_force,
            message: self.message.clone(),
            starts_ms: self.starts_ms,
            ends_ms: self.ends_ms,
        })
    }
}

/// The announcement a page shows (and a refused write carries).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MaintenanceNotice {
    pub mode: MaintenanceMode,
    /// In force now; otherwise it is announced ahead of `starts_ms`.
    pub in_force: bool,
    pub message: String,
    pub starts_ms: Option<i64>,
    pub ends_ms: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn window(mode: MaintenanceMode, starts: Option<i64>, ends: Option<i64>) -> Maintenance {
        Maintenance {
            mode: Some(mode),
            message: "upgrade".into(),
            starts_ms: starts,
            ends_ms: ends,
            allow: vec!["ops@example.com".into()],
        }
    }

    #[test]
    fn a_window_is_in_force_from_its_start_until_its_end() {
        let m = window(MaintenanceMode::ReadOnly, Some(1_000), Some(2_000));
        assert_eq!(m.in_force(999), MaintenanceMode::Off);
        assert_eq!(m.in_force(1_000), MaintenanceMode::ReadOnly);
        assert_eq!(m.in_force(1_999), MaintenanceMode::ReadOnly);
        assert_eq!(m.in_force(2_000), MaintenanceMode::Off);
        let open_ended = window(MaintenanceMode::Closed, None, None);
        assert_eq!(open_ended.in_force(5), MaintenanceMode::Closed);
        assert_eq!(Maintenance::default().in_force(5), MaintenanceMode::Off);
    }

    #[test]
    fn a_scheduled_window_is_announced_a_week_ahead_and_not_after_it_ends() {
        let start = 10 * 86_400_000;
        let m = window(MaintenanceMode::ReadOnly, Some(start), Some(start + 3_600_000));
        assert!(m.notice(start - ANNOUNCE_AHEAD_MS - 1).is_none());
        let ahead = m.notice(start - 1).unwrap();
        assert!(!ahead.in_force);
        assert!(m.notice(start).unwrap().in_force);
        assert!(m.notice(start + 3_600_000).is_none());
        assert!(window(MaintenanceMode::Off, None, None).notice(0).is_none());
    }

    #[test]
    fn the_allow_list_ignores_case() {
        let m = window(MaintenanceMode::Closed, None, None);
        assert!(m.allows("OPS@example.com"));
        assert!(!m.allows("buyer@example.com"));
    }
}
