//! Reporting periods in the platform's time zone: the command center's KPI cards and charts, the
//! reports and the exports all pick one of these. A period is a half-open range of instants
//! `[from_ms, until_ms)`; "today", "7 days" and "30 days" end now and start at a local midnight,
//! a custom period runs from the first day's midnight to the midnight after its last day.
//!
//! The time zone is a fixed offset from UTC (`Settings.utc_offset_minutes`): a marketplace's books
//! close at one local midnight, and a fixed offset has no daylight-saving gaps that would make a day
//! 23 or 25 hours long in a chart.

use serde::{Deserialize, Serialize};

pub const DAY_MS: i64 = 86_400_000;
/// The longest custom period: two years, and a leap day.
pub const MAX_DAYS: i64 = 731;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Preset {
    Today,
    Days7,
    Days30,
    Custom,
}

impl Preset {
    pub const ALL: [Preset; 4] = [Preset::Today, Preset::Days7, Preset::Days30, Preset::Custom];

    pub fn as_str(self) -> &'static str {
        match self {
            Preset::Today => "today",
            Preset::Days7 => "7d",
            Preset::Days30 => "30d",
            Preset::Custom => "custom",
        }
    }

    pub fn parse(s: &str) -> Option<Preset> {
        Preset::ALL.into_iter().find(|p| p.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub preset: Preset,
    /// First instant inside the period.
    pub from_ms: i64,
    /// First instant after it.
    pub until_ms: i64,
    /// The platform's offset from UTC, which the period's days follow.
    pub offset_minutes: i32,
}

/// Why a period was refused: `(field, message key)`, for `AppError::invalid`. Fields are `period`,
/// `from` and `to`, as the period picker names its inputs.
pub type PeriodError = (&'static str, &'static str);

impl Period {
    /// Parses the period picker's input. `from` and `to` (`YYYY-MM-DD`, inclusive local days) are read
    /// only for `custom`, where both are required.
    pub fn parse(
        preset: &str,
        from: Option<&str>,
        to: Option<&str>,
        now_ms: i64,
        offset_minutes: i32,
    ) -> Result<Period, PeriodError> {
        let preset = Preset::parse(preset.trim()).ok_or(("period", "period.bad_preset"))?;
        let today = local_day_start(now_ms, offset_minutes);
        let (from_ms, until_ms) = match preset {
            Preset::Today => (today, now_ms),
            Preset::Days7 => (today - 6 * DAY_MS, now_ms),
            Preset::Days30 => (today - 29 * DAY_MS, now_ms),
            Preset::Custom => {
                let day = |v: Option<&str>, field: &'static str| -> Result<i64, PeriodError> {
                    let v = v.map(str::trim).filter(|v| !v.is_empty()).ok_or((field, "period.date_required"))?;
                    parse_date(v).map(|d| d * DAY_MS - offset_ms(offset_minutes)).ok_or((field, "period.bad_date"))
                };
                let (first, last) = (day(from, "from")?, day(to, "to")?);
                if last < first {
                    return Err(("to", "period.ends_before_starts"));
                }
                if (last - first) / DAY_MS + 1 > MAX_DAYS {
                    return Err(("to", "period.too_long"));
                }
                (first, last + DAY_MS)
            }
        };
        Ok(Period { preset, from_ms, until_ms, offset_minutes })
    }

    /// The period of the same length just before this one, for "change against the previous period".
    pub fn previous(self) -> Period {
        let len = self.until_ms - self.from_ms;
        Period { from_ms: self.from_ms - len, until_ms: self.from_ms, ..self }
    }

    /// The local days the period touches, as the instants they start at: a chart's x axis.
    pub fn day_starts(self) -> Vec<i64> {
        let first = local_day_start(self.from_ms, self.offset_minutes);
        (0..).map(|i| first + i * DAY_MS).take_while(|d| *d < self.until_ms).collect()
    }

    /// Which of `day_starts()` an instant falls on, if it is inside the period.
    pub fn day_index(self, at_ms: i64) -> Option<usize> {
        if at_ms < self.from_ms || at_ms >= self.until_ms {
            return None;
        }
        let first = local_day_start(self.from_ms, self.offset_minutes);
        usize::try_from((at_ms - first).div_euclid(DAY_MS)).ok()
    }

    /// `from` and `to` as the picker shows them (`YYYY-MM-DD`, `to` inclusive).
    pub fn dates(self) -> (String, String) {
        (format_date(self.from_ms, self.offset_minutes), format_date(self.until_ms - 1, self.offset_minutes))
    }
}

/// The change from `previous` to `current` in basis points (1/100 of a percent): 12.5 % is 1250.
/// `None` when there was nothing before (a change from zero has no percentage).
pub fn change_bp(current: i64, previous: i64) -> Option<i64> {
    if previous == 0 {
        return None;
    }
    let diff = i128::from(current) - i128::from(previous);
    i64::try_from(diff * 10_000 / i128::from(previous).abs()).ok()
}

fn offset_ms(offset_minutes: i32) -> i64 {
    i64::from(offset_minutes) * 60_000
}

/// The instant the local day holding `at_ms` starts at.
pub fn local_day_start(at_ms: i64, offset_minutes: i32) -> i64 {
    let local = at_ms + offset_ms(offset_minutes);
    local.div_euclid(DAY_MS) * DAY_MS - offset_ms(offset_minutes)
}

/// `YYYY-MM-DD` as days since 1970-01-01; `None` for anything else (including 2026-02-30). Years
/// 2000 to 2100: a marketplace's records do not reach further, and it keeps the arithmetic small.
pub fn parse_date(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let part = &s[r];
        part.bytes().all(|c| c.is_ascii_digit()).then(|| part.parse().ok()).flatten()
    };
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if !(2000..=2100).contains(&y) || !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) {
        return None;
    }
    Some(days_from_civil(y, m, d))
}

/// `YYYY-MM-DD` (UTC) as the Unix ms of that day's midnight; `None` unless it is a real calendar date
/// in `parse_date`'s years. Every date filter (audit, orders, users) reads its dates with this.
pub fn parse_date_ms(s: &str) -> Option<i64> {
    parse_date(s).map(|days| days * DAY_MS)
}

/// What is wrong with a filter's date range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeProblem {
    BadFrom,
    BadTo,
    /// `to` is before `from`.
    Reversed,
}

/// A filter's `from` and `to` dates (`YYYY-MM-DD`, UTC; either may be blank) as the half-open range
/// `[from_ms, until_ms)`: `to` includes its whole day.
pub fn day_range(from: Option<&str>, to: Option<&str>) -> Result<(Option<i64>, Option<i64>), RangeProblem> {
    let day = |v: Option<&str>, problem| match v.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => parse_date_ms(s).map(Some).ok_or(problem),
    };
    let from_ms = day(from, RangeProblem::BadFrom)?;
    let until_ms = day(to, RangeProblem::BadTo)?.map(|d| d + DAY_MS);
    match (from_ms, until_ms) {
        (Some(f), Some(u)) if u <= f => Err(RangeProblem::Reversed),
        _ => Ok((from_ms, until_ms)),
    }
}

/// The local date of an instant, `YYYY-MM-DD`.
pub fn format_date(at_ms: i64, offset_minutes: i32) -> String {
    let (y, m, d) = civil_from_days((at_ms + offset_ms(offset_minutes)).div_euclid(DAY_MS));
    format!("{y:04}-{m:02}-{d:02}")
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// Howard Hinnant's civil-date algorithms (public domain), for the proleptic Gregorian calendar.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { yoe + era * 400 + 1 } else { yoe + era * 400 }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    // 2026-12-05 10:30 UTC.
    const NOW: i64 = 1_796_466_600_000;

    #[test]
    fn dates_round_trip_through_days() {
        assert_eq!(parse_date("1970-01-01"), None, "before 2000");
        assert_eq!(parse_date("2000-01-01"), Some(10_957));
        for s in ["2000-02-29", "2024-12-31", "2026-12-05", "2100-12-31"] {
            assert_eq!(format_date(parse_date(s).unwrap() * DAY_MS, 0), s);
        }
    }

    #[test]
    fn bad_dates_are_refused() {
        for s in ["2026-02-30", "2026-13-01", "2026-1-01", "26-01-01", "2026/01/01", "２０２６-01-01", "", "2025-02-29"]
        {
            assert_eq!(parse_date(s), None, "{s}");
        }
    }

    #[test]
    fn today_starts_at_the_local_midnight() {
        assert_eq!(format_date(NOW, 0), "2026-12-05");
        let utc = Period::parse("today", None, None, NOW, 0).unwrap();
        assert_eq!((utc.from_ms, utc.until_ms), (NOW - 37_800_000, NOW));
        // In UTC+8 it is 18:30 on the same day; in UTC-11 it is still the 4th.
        let cn = Period::parse("today", None, None, NOW, 480).unwrap();
        assert_eq!(cn.from_ms, NOW - 66_600_000);
        assert_eq!(format_date(cn.from_ms, 480), "2026-12-05");
        let west = Period::parse("today", None, None, NOW, -660).unwrap();
        assert_eq!(format_date(west.from_ms, -660), "2026-12-04");
    }

    #[test]
    fn presets_cover_whole_local_days_up_to_now() {
        let p = Period::parse("7d", None, None, NOW, 480).unwrap();
        assert_eq!(p.day_starts().len(), 7);
        assert_eq!(p.dates(), ("2026-11-29".to_string(), "2026-12-05".to_string()));
        assert_eq!(Period::parse("30d", None, None, NOW, 0).unwrap().day_starts().len(), 30);
    }

    #[test]
    fn the_previous_period_has_the_same_length_and_ends_where_this_starts() {
        let p = Period::parse("30d", None, None, NOW, 0).unwrap();
        let q = p.previous();
        assert_eq!(q.until_ms, p.from_ms);
        assert_eq!(q.until_ms - q.from_ms, p.until_ms - p.from_ms);
    }

    #[test]
    fn a_custom_period_includes_its_last_day() {
        let p = Period::parse("custom", Some("2026-11-01"), Some("2026-11-30"), NOW, 480).unwrap();
        assert_eq!(p.day_starts().len(), 30);
        assert_eq!(p.until_ms - p.from_ms, 30 * DAY_MS);
        assert_eq!(p.dates(), ("2026-11-01".to_string(), "2026-11-30".to_string()));
        assert_eq!(p.day_index(p.from_ms), Some(0));
        assert_eq!(p.day_index(p.until_ms - 1), Some(29));
        assert_eq!(p.day_index(p.until_ms), None);
        assert_eq!(p.day_index(p.from_ms - 1), None);
    }

    #[test]
    fn bad_custom_periods_name_the_field_and_the_reason() {
        let parse = |f: Option<&str>, t: Option<&str>| Period::parse("custom", f, t, NOW, 0);
        assert_eq!(parse(Some("2026-11-30"), Some("2026-11-01")), Err(("to", "period.ends_before_starts")));
        assert_eq!(parse(Some("2024-01-01"), Some("2026-01-01")), Err(("to", "period.too_long")), "732 days");
        assert!(parse(Some("2024-01-02"), Some("2026-01-01")).is_ok(), "731 days is allowed");
        assert_eq!(parse(Some("2026-11-31"), Some("2026-12-01")), Err(("from", "period.bad_date")));
        assert_eq!(parse(None, Some("2026-12-01")), Err(("from", "period.date_required")));
        assert_eq!(parse(Some("2026-12-01"), Some(" ")), Err(("to", "period.date_required")));
        assert_eq!(Period::parse("week", None, None, NOW, 0), Err(("period", "period.bad_preset")));
    }

    #[test]
    fn changes_are_in_basis_points_and_undefined_from_zero() {
        assert_eq!(change_bp(1125, 1000), Some(1250));
        assert_eq!(change_bp(500, 1000), Some(-5000));
        assert_eq!(change_bp(0, 1000), Some(-10_000));
        assert_eq!(change_bp(7, 0), None);
        assert_eq!(change_bp(i64::MAX, 1), None, "too large to say");
    }

    #[test]
    fn a_day_range_includes_the_whole_last_day_and_refuses_a_reversed_one() {
        let day = |s| parse_date_ms(s).unwrap();
        assert_eq!(
            day_range(Some("2026-12-01"), Some("2026-12-01")),
            Ok((Some(day("2026-12-01")), Some(day("2026-12-02"))))
        );
        assert_eq!(day_range(None, Some(" ")), Ok((None, None)));
        assert_eq!(day_range(Some("2026-12-02"), Some("2026-12-01")), Err(RangeProblem::Reversed));
        assert_eq!(day_range(Some("2026-02-30"), None), Err(RangeProblem::BadFrom));
        assert_eq!(day_range(None, Some("yesterday")), Err(RangeProblem::BadTo));
    }
}
