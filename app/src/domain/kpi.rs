//! The command center's arithmetic, without storage: rates, a figure against its previous period,
//! daily buckets for the trend charts, a chart's scale, and how pressed an operator queue is by its
//! SLA. The figures themselves are defined (and measured) in `command_center::kpis`.

use super::period::change_bp;
use serde::{Deserialize, Serialize};

/// `part / whole` in basis points (1/100 of a percent: 2.5 % is 250), rounded down; `None` when the
/// whole is zero (no orders: no refund rate).
pub fn rate_bp(part: i64, whole: i64) -> Option<i64> {
    if whole <= 0 {
        return None;
    }
    i64::try_from(i128::from(part) * 10_000 / i128::from(whole)).ok()
}

/// A figure of the period and of the period just before it (same length).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figure {
    pub current: i64,
    pub previous: i64,
}

impl Figure {
    pub fn new(current: i64, previous: i64) -> Figure {
        Figure { current, previous }
    }

    /// The change against the previous period, in basis points; `None` from zero.
    pub fn change_bp(self) -> Option<i64> {
        change_bp(self.current, self.previous)
    }

    /// A rate of two figures, each period on its own: (current rate, previous rate).
    pub fn rate_of(part: Figure, whole: Figure) -> (Option<i64>, Option<i64>) {
        (rate_bp(part.current, whole.current), rate_bp(part.previous, whole.previous))
    }
}

/// The change of a rate in percentage points ×100 (basis points of difference): 2.50 % to 3.00 % is
/// +50. A rate's relative change ("+20 %") reads wrongly for small rates.
pub fn rate_change_bp(current: Option<i64>, previous: Option<i64>) -> Option<i64> {
    Some(current? - previous?)
}

/// Basis points as a percentage with two decimals: 1250 is "12.50%", -5 is "-0.05%".
pub fn percent_text(bp: i64) -> String {
    let sign = if bp < 0 { "-" } else { "" };
    let abs = bp.unsigned_abs();
    format!("{sign}{}.{:02}%", abs / 100, abs % 100)
}

/// A change with its sign always shown: "+12.50%", "-3.00%", "0.00%".
pub fn signed_percent_text(bp: i64) -> String {
    if bp > 0 {
        format!("+{}", percent_text(bp))
    } else {
        percent_text(bp)
    }
}

/// Daily sums from `(day index, value)` rows (what a `GROUP BY` day returns, in any order, days
/// without rows missing) into one value per day of a `days`-day chart; rows outside are dropped.
pub fn fill_days(days: usize, rows: &[(i64, i64)]) -> Vec<i64> {
    let mut out = vec![0; days];
    for (day, value) in rows {
        if let Some(slot) = usize::try_from(*day).ok().and_then(|d| out.get_mut(d)) {
            *slot += value;
        }
    }
    out
}

/// The top of a chart's y axis: the smallest "nice" number (1, 2 or 5 times a power of ten) at or
/// above `max`, so the gridlines fall on round values; 1 for an empty chart.
pub fn nice_ceiling(max: i64) -> i64 {
    if max <= 1 {
        return 1;
    }
    let mut step: i64 = 1;
    loop {
        for m in [1, 2, 5] {
            match step.checked_mul(m) {
                Some(v) if v >= max => return v,
                Some(_) => {}
                None => return max,
            }
        }
        match step.checked_mul(10) {
            Some(s) => step = s,
            None => return max,
        }
    }
}

/// A waiting time in the largest whole unit that fits: `(n, "minutes" | "hours" | "days")`, for "oldest
/// waiting 3 h". Under a minute reads as 0 minutes.
pub fn age_unit(ms: i64) -> (i64, &'static str) {
    let minutes = ms.max(0) / 60_000;
    match minutes {
        m if m < 60 => (m, "minutes"),
        m if m < 48 * 60 => (m / 60, "hours"),
        m => (m / (24 * 60), "days"),
    }
}

/// How pressed a queue is by its SLA.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Pressure {
    /// Nothing waits.
    Clear,
    /// Items wait; the queue has no SLA (a count and an age only).
    NoSla,
    /// Every item is well within its SLA.
    Ok,
    /// The earliest deadline falls within the last quarter of the SLA.
    DueSoon,
    /// At least one item is past its deadline.
    Overdue,
}

impl Pressure {
    pub fn as_str(self) -> &'static str {
        match self {
            Pressure::Clear => "clear",
            Pressure::NoSla => "no_sla",
            Pressure::Ok => "ok",
            Pressure::DueSoon => "due_soon",
            Pressure::Overdue => "overdue",
        }
    }

    /// From what the queue holds: `count` waiting, `overdue` of them past their deadline, the
    /// earliest deadline, and the SLA's length (`None`: the queue has no SLA).
    pub fn of(now_ms: i64, count: i64, overdue: i64, earliest_due: Option<i64>, sla_ms: Option<i64>) -> Pressure {
        if count == 0 {
            return Pressure::Clear;
        }
        let Some(sla) = sla_ms.filter(|s| *s > 0) else {
            return Pressure::NoSla;
        };
        if overdue > 0 {
            return Pressure::Overdue;
        }
        match earliest_due {
            Some(due) if due <= now_ms => Pressure::Overdue,
            Some(due) if due - now_ms <= sla / 4 => Pressure::DueSoon,
            _ => Pressure::Ok,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_are_basis_points_and_undefined_over_zero() {
        assert_eq!(rate_bp(1, 40), Some(250));
        assert_eq!(rate_bp(2, 3), Some(6666), "rounded down");
        assert_eq!(rate_bp(0, 10), Some(0));
        assert_eq!(rate_bp(5, 0), None);
        assert_eq!(rate_bp(i64::MAX, 1), None, "too large to say");
    }

    #[test]
    fn a_figure_changes_against_its_previous_period() {
        assert_eq!(Figure::new(150, 100).change_bp(), Some(5000));
        assert_eq!(Figure::new(0, 100).change_bp(), Some(-10_000));
        assert_eq!(Figure::new(3, 0).change_bp(), None);
        let (cur, prev) = Figure::rate_of(Figure::new(1, 2), Figure::new(10, 40));
        assert_eq!((cur, prev), (Some(1000), Some(500)));
        assert_eq!(rate_change_bp(cur, prev), Some(500), "10 % from 5 % is 5 points");
        assert_eq!(rate_change_bp(cur, None), None);
    }

    #[test]
    fn percentages_have_two_decimals_and_a_sign_for_changes() {
        assert_eq!(percent_text(1250), "12.50%");
        assert_eq!(percent_text(7), "0.07%");
        assert_eq!(percent_text(-5), "-0.05%");
        assert_eq!(signed_percent_text(10_000), "+100.00%");
        assert_eq!(signed_percent_text(-300), "-3.00%");
        assert_eq!(signed_percent_text(0), "0.00%");
    }

    #[test]
    fn days_without_rows_are_zero_and_rows_outside_are_dropped() {
        assert_eq!(fill_days(4, &[(2, 5), (0, 1), (2, 3), (4, 9), (-1, 9)]), vec![1, 0, 8, 0]);
        assert_eq!(fill_days(0, &[(0, 1)]), Vec::<i64>::new());
    }

    #[test]
    fn the_axis_tops_at_a_round_number() {
        assert_eq!(nice_ceiling(0), 1);
        assert_eq!(nice_ceiling(1), 1);
        assert_eq!(nice_ceiling(3), 5);
        assert_eq!(nice_ceiling(7), 10);
        assert_eq!(nice_ceiling(10), 10);
        assert_eq!(nice_ceiling(11), 20);
        assert_eq!(nice_ceiling(4_999), 5_000);
        assert_eq!(nice_ceiling(123_456), 200_000);
        assert_eq!(nice_ceiling(i64::MAX), i64::MAX);
    }

    #[test]
    fn ages_read_in_their_largest_unit() {
        assert_eq!(age_unit(-5), (0, "minutes"));
        assert_eq!(age_unit(59 * 60_000), (59, "minutes"));
        assert_eq!(age_unit(60 * 60_000), (1, "hours"));
        assert_eq!(age_unit(47 * 3_600_000 + 3_599_999), (47, "hours"));
        assert_eq!(age_unit(48 * 3_600_000), (2, "days"));
    }

    #[test]
    fn a_queue_is_pressed_by_its_earliest_deadline() {
        let (now, day) = (1_000_000_000, 86_400_000);
        assert_eq!(Pressure::of(now, 0, 0, None, Some(day)), Pressure::Clear);
        assert_eq!(Pressure::of(now, 3, 0, None, None), Pressure::NoSla);
        assert_eq!(Pressure::of(now, 3, 0, Some(now + day / 2), Some(day)), Pressure::Ok);
        assert_eq!(Pressure::of(now, 3, 0, Some(now + day / 4), Some(day)), Pressure::DueSoon);
        assert_eq!(Pressure::of(now, 3, 0, Some(now), Some(day)), Pressure::Overdue);
        assert_eq!(Pressure::of(now, 3, 1, Some(now + day), Some(day)), Pressure::Overdue);
    }
}
