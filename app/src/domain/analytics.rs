//! The arithmetic of the console's reports, without storage: rates and percentiles of durations.
//! Figures are integers (basis points, milliseconds) so the server and the browser show the same.

/// `part / whole` in basis points (1/100 of a percent: 2.5 % is 250); `None` when `whole` is zero
/// (a rate of nothing is not 0 %).
pub fn rate_bp(part: i64, whole: i64) -> Option<i64> {
    if whole <= 0 {
        return None;
    }
    i64::try_from(i128::from(part) * 10_000 / i128::from(whole)).ok()
}

/// The `pct`-th percentile (nearest rank) of `sorted` (ascending); `None` for no values.
/// The median is `percentile(sorted, 50)`.
pub fn percentile(sorted: &[i64], pct: u32) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let pct = pct.clamp(1, 100) as usize;
    // Nearest rank: the smallest value with at least pct % of the values at or below it.
    let rank = (pct * sorted.len()).div_ceil(100);
    sorted.get(rank.max(1) - 1).copied()
}

/// Median and 90th percentile of a sample of durations (ms), sorted here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Spread {
    pub count: i64,
    pub median_ms: Option<i64>,
    pub p90_ms: Option<i64>,
}

impl Spread {
    pub fn of(mut durations: Vec<i64>) -> Spread {
        durations.sort_unstable();
        Spread {
            count: durations.len() as i64,
            median_ms: percentile(&durations, 50),
            p90_ms: percentile(&durations, 90),
        }
    }
}

/// A duration for people: "45 min", "5.5 h", "3.2 d" (one decimal from an hour on).
pub fn duration_text(ms: i64) -> String {
    const MIN: i64 = 60_000;
    const HOUR: i64 = 60 * MIN;
    const DAY: i64 = 24 * HOUR;
    let tenths = |unit: i64| {
        let t = (ms * 10 + unit / 2) / unit;
        format!("{}.{}", t / 10, t % 10)
    };
    if ms < HOUR {
        format!("{} min", (ms + MIN / 2) / MIN)
    } else if ms < DAY {
        format!("{} h", tenths(HOUR))
    } else {
        format!("{} d", tenths(DAY))
    }
}

/// A rate in basis points as a percentage with one decimal: 1250 -> "12.5 %"; none -> "—".
pub fn rate_text(bp: Option<i64>) -> String {
    match bp {
        None => "—".into(),
        Some(bp) => {
            let sign = if bp < 0 { "-" } else { "" };
            let a = bp.abs();
            format!("{sign}{}.{} %", a / 100, (a % 100) / 10)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_are_basis_points_and_nothing_has_no_rate() {
        assert_eq!(rate_bp(1, 4), Some(2_500));
        assert_eq!(rate_bp(0, 4), Some(0));
        assert_eq!(rate_bp(3, 0), None);
        assert_eq!(rate_text(Some(1_250)), "12.5 %");
        assert_eq!(rate_text(Some(-40)), "-0.4 %");
        assert_eq!(rate_text(None), "—");
    }

    #[test]
    fn percentiles_use_the_nearest_rank() {
        assert_eq!(percentile(&[], 50), None);
        assert_eq!(percentile(&[7], 50), Some(7));
        assert_eq!(percentile(&[1, 2, 3, 4], 50), Some(2));
        assert_eq!(percentile(&[1, 2, 3, 4, 5], 50), Some(3));
        let hundred: Vec<i64> = (1..=100).collect();
        assert_eq!(percentile(&hundred, 90), Some(90));
        assert_eq!(percentile(&hundred, 100), Some(100));
    }

    #[test]
    fn a_spread_sorts_its_sample() {
        let s = Spread::of(vec![50, 10, 40, 20, 30]);
        assert_eq!(s, Spread { count: 5, median_ms: Some(30), p90_ms: Some(50) });
        assert_eq!(Spread::of(vec![]), Spread::default());
    }

    #[test]
    fn durations_read_in_minutes_hours_or_days() {
        assert_eq!(duration_text(90_000), "2 min");
        assert_eq!(duration_text(5 * 3_600_000 + 1_800_000), "5.5 h");
        assert_eq!(duration_text(3 * 86_400_000 + 4 * 3_600_000 + 48 * 60_000), "3.2 d");
    }
}
