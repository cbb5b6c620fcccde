//! Curation of the home page (issue 13, seed 000 "market ranking controls"): which listings are
//! featured and in what order, and which of the home page's sections show in what order, each with an
//! optional schedule. Pure rules: the schedule's parsing and window, the section keys, reordering.

use super::period::{format_date, parse_date, DAY_MS};

/// The home page's sections, by key, in their default order (`storefront::pages::HomePage` draws
/// each). The keys are stored in `home_sections` and audited as `HomeSection(key)`.
pub const SECTIONS: [&str; 3] = ["categories", "featured", "newest"];

/// How many listings may be featured at once (scheduled ones included): the home page shows the
/// first `storefront::model::HOME_FEATURED` of those featured now; a longer list is a backlog.
pub const MAX_FEATURED: i64 = 48;

/// A section key as stored (`'static`, as audit targets need), or `None` for an unknown one.
pub fn section_key(s: &str) -> Option<&'static str> {
    SECTIONS.into_iter().find(|k| *k == s)
}

/// When something is on: from `starts_at` (inclusive) to `ends_at` (exclusive); either end may be
/// open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Schedule {
    pub starts_at: Option<i64>,
    pub ends_at: Option<i64>,
}

/// Why a schedule is refused: `(field, message key)`.
pub type ScheduleError = (&'static str, &'static str);

impl Schedule {
    /// Parses the form's `from` / `to` (`YYYY-MM-DDTHH:MM`, as `<input type="datetime-local">` sends
    /// it, in the platform's time zone; empty = open). An end that is not after the start is refused
    /// next to the end field.
    pub fn parse(from: Option<&str>, to: Option<&str>, offset_minutes: i32) -> Result<Schedule, ScheduleError> {
        let one = |value: Option<&str>, field: &'static str| -> Result<Option<i64>, ScheduleError> {
            match value.map(str::trim).filter(|v| !v.is_empty()) {
                None => Ok(None),
                Some(v) => parse_local_time(v, offset_minutes).map(Some).ok_or((field, "curation.bad_time")),
            }
        };
        let schedule = Schedule { starts_at: one(from, "starts_at")?, ends_at: one(to, "ends_at")? };
        match (schedule.starts_at, schedule.ends_at) {
            (Some(s), Some(e)) if e <= s => Err(("ends_at", "curation.ends_before_starts")),
            _ => Ok(schedule),
        }
    }

    /// Whether the schedule is on at `now`.
    pub fn contains(self, now: i64) -> bool {
        self.starts_at.is_none_or(|s| s <= now) && self.ends_at.is_none_or(|e| now < e)
    }

    /// Whether the schedule is over at `now` (it will never be on again).
    pub fn is_over(self, now: i64) -> bool {
        self.ends_at.is_some_and(|e| e <= now)
    }

    /// The future instants at which `contains` changes: where a timer must flip what is shown.
    pub fn boundaries_after(self, now: i64) -> Vec<i64> {
        [self.starts_at, self.ends_at].into_iter().flatten().filter(|at| *at > now).collect()
    }
}

/// `YYYY-MM-DDTHH:MM` (seconds allowed and ignored) in the platform's time zone, as an instant.
pub fn parse_local_time(s: &str, offset_minutes: i32) -> Option<i64> {
    let (date, time) = s.split_once('T').or_else(|| s.split_once(' '))?;
    let days = parse_date(date)?;
    let mut parts = time.split(':');
    let mut num = |max: i64| -> Option<i64> {
        let p = parts.next()?;
        (p.len() == 2 && p.bytes().all(|c| c.is_ascii_digit())).then(|| p.parse().ok()).flatten().filter(|n| *n <= max)
    };
    let (h, m) = (num(23)?, num(59)?);
    Some(days * DAY_MS + (h * 60 + m) * 60_000 - i64::from(offset_minutes) * 60_000)
}

/// An instant as `YYYY-MM-DDTHH:MM` in the platform's time zone (what the form's field shows).
pub fn format_local_time(at_ms: i64, offset_minutes: i32) -> String {
    let local = at_ms + i64::from(offset_minutes) * 60_000;
    let minutes = local.rem_euclid(DAY_MS) / 60_000;
    format!("{}T{:02}:{:02}", format_date(at_ms, offset_minutes), minutes / 60, minutes % 60)
}

/// `order` with `item` moved one place up (towards the front) or down; `None` when it is not there
/// or cannot move that way.
pub fn moved<T: PartialEq + Clone>(order: &[T], item: &T, up: bool) -> Option<Vec<T>> {
    let i = order.iter().position(|x| x == item)?;
    let j = if up { i.checked_sub(1)? } else { Some(i + 1).filter(|j| *j < order.len())? };
    let mut out = order.to_vec();
    out.swap(i, j);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: i64 = 1_767_225_600_000; // 2026-01-01T00:00Z

    #[test]
    fn local_times_parse_in_the_platform_time_zone_and_round_trip() {
        assert_eq!(parse_local_time("2026-01-01T00:00", 0), Some(T0));
        assert_eq!(parse_local_time("2026-01-01T08:30", 480), Some(T0 + 30 * 60_000));
        assert_eq!(parse_local_time("2026-01-01T08:30:15", 480), Some(T0 + 30 * 60_000));
        assert_eq!(format_local_time(T0 + 30 * 60_000, 480), "2026-01-01T08:30");
        for bad in
            ["2026-01-01", "2026-01-01T24:00", "2026-01-01T10:60", "2026-02-30T10:00", "tomorrow", "2026-01-01T1:00"]
        {
            assert_eq!(parse_local_time(bad, 0), None, "{bad}");
        }
    }

    #[test]
    fn a_schedule_that_ends_before_it_starts_is_refused_next_to_its_end() {
        let s = Schedule::parse(Some("2026-01-02T00:00"), Some("2026-01-01T00:00"), 0);
        assert_eq!(s, Err(("ends_at", "curation.ends_before_starts")));
        let same = Schedule::parse(Some("2026-01-01T00:00"), Some("2026-01-01T00:00"), 0);
        assert_eq!(same, Err(("ends_at", "curation.ends_before_starts")));
        assert_eq!(Schedule::parse(Some("soon"), None, 0), Err(("starts_at", "curation.bad_time")));
        assert_eq!(Schedule::parse(Some(""), Some(" "), 0), Ok(Schedule::default()));
    }

    #[test]
    fn a_schedule_is_on_from_its_start_until_just_before_its_end() {
        let s = Schedule { starts_at: Some(T0), ends_at: Some(T0 + DAY_MS) };
        assert!(!s.contains(T0 - 1));
        assert!(s.contains(T0));
        assert!(s.contains(T0 + DAY_MS - 1));
        assert!(!s.contains(T0 + DAY_MS));
        assert!(s.is_over(T0 + DAY_MS) && !s.is_over(T0));
        assert!(Schedule::default().contains(T0) && !Schedule::default().is_over(T0));
        assert_eq!(s.boundaries_after(T0 - 1), vec![T0, T0 + DAY_MS]);
        assert_eq!(s.boundaries_after(T0), vec![T0 + DAY_MS]);
    }

    #[test]
    fn moving_swaps_with_the_neighbour_and_refuses_past_the_ends() {
        let order = vec!["a", "b", "c"];
        assert_eq!(moved(&order, &"b", true), Some(vec!["b", "a", "c"]));
        assert_eq!(moved(&order, &"b", false), Some(vec!["a", "c", "b"]));
        assert_eq!(moved(&order, &"a", true), None);
        assert_eq!(moved(&order, &"c", false), None);
        assert_eq!(moved(&order, &"x", true), None);
    }

    #[test]
    fn section_keys_are_the_known_ones() {
        assert_eq!(section_key("featured"), Some("featured"));
        assert_eq!(section_key("hero"), None);
    }
}
