//! The KPI rollups' arithmetic, without storage. A figure that is a sum over time (GMV, paid orders,
//! commission, refunds, disputes, sign-ups, activations, payouts) is rolled up into quarter-hour
//! buckets that keep a running total, so its sum over any range of whole buckets is the difference
//! of two running totals: two index seeks, whatever the period's length. The rest of a range (its
//! ragged ends, and the recent time not rolled up yet) is read from the stored rows as before, so a
//! figure is exact whether or not the rollup has caught up.
//!
//! Only time that has settled is rolled up: a row is written with the time its transaction began,
//! so a bucket is closed `SETTLE_MS` after it ends, long after any transaction that began inside it
//! has committed.

/// A bucket is a quarter of an hour: every real time zone is a whole number of them from UTC
/// (the configuration refuses other offsets), so a local day is always whole buckets.
pub const BUCKET_MS: i64 = 15 * 60_000;
/// How long after a bucket ends it is rolled up.
pub const SETTLE_MS: i64 = 5 * 60_000;
/// The most time one rollup step covers, so a first rollup over years of history is a series of
/// short transactions.
pub const MAX_STEP_MS: i64 = 7 * 86_400_000;

/// The start of the bucket `at_ms` falls in.
pub fn bucket_floor(at_ms: i64) -> i64 {
    at_ms.div_euclid(BUCKET_MS) * BUCKET_MS
}

/// The first bucket start at or after `at_ms`.
pub fn bucket_ceil(at_ms: i64) -> i64 {
    -bucket_floor(-at_ms)
}

/// Where the rollup may end now: the start of the newest bucket that has settled.
pub fn settled_until(now_ms: i64) -> i64 {
    bucket_floor(now_ms - SETTLE_MS)
}

/// The next step of the rollup: `[from, until)` of whole buckets, or `None` when it has caught up.
/// `rolled_until` is where the last step ended (`None`: never rolled up; `earliest` is then the
/// oldest row of any figure, or `None` when there is none).
pub fn next_step(rolled_until: Option<i64>, earliest: Option<i64>, now_ms: i64) -> Option<(i64, i64)> {
    let limit = settled_until(now_ms);
    let from = match rolled_until {
        Some(at) => at,
        None => bucket_floor(earliest.unwrap_or(limit).min(limit)),
    };
    let until = limit.min(from + MAX_STEP_MS);
    (until > from || rolled_until.is_none()).then_some((from, until.max(from)))
}

/// How a range `[from, until)` is read: whole buckets through the running totals, the rest from the
/// stored rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cover {
    /// `[first bucket, end)`, both bucket starts; `None` when no whole rolled-up bucket is inside.
    pub buckets: Option<(i64, i64)>,
    /// The ranges read from the stored rows, at most two.
    pub raw: Vec<(i64, i64)>,
}

/// Splits `[from, until)` given the rollup's end (`rolled_until`, a bucket start; `None`: nothing is
/// rolled up).
pub fn cover(from: i64, until: i64, rolled_until: Option<i64>) -> Cover {
    if until <= from {
        return Cover { buckets: None, raw: vec![] };
    }
    let first = bucket_ceil(from);
    let end = rolled_until.map_or(first, |r| bucket_floor(until).min(r));
    if end <= first {
        return Cover { buckets: None, raw: vec![(from, until)] };
    }
    let raw = [(from, first), (end, until)].into_iter().filter(|(a, b)| b > a).collect();
    Cover { buckets: Some((first, end)), raw }
}

/// Running totals for buckets summed in time order, continuing from `before` (the running total of
/// the figure's last bucket already stored): `(bucket, value, running)`.
pub fn running_totals(before: i64, buckets: &[(i64, i64)]) -> Vec<(i64, i64, i64)> {
    let mut running = before;
    buckets
        .iter()
        .map(|&(bucket, value)| {
            running += value;
            (bucket, value, running)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: i64 = 3_600_000;

    #[test]
    fn buckets_are_quarter_hours_and_round_both_ways() {
        assert_eq!(bucket_floor(0), 0);
        assert_eq!(bucket_floor(BUCKET_MS - 1), 0);
        assert_eq!(bucket_floor(BUCKET_MS), BUCKET_MS);
        assert_eq!(bucket_floor(-1), -BUCKET_MS);
        assert_eq!(bucket_ceil(1), BUCKET_MS);
        assert_eq!(bucket_ceil(BUCKET_MS), BUCKET_MS);
        assert_eq!(bucket_ceil(0), 0);
    }

    #[test]
    fn a_range_is_whole_buckets_and_its_ragged_ends() {
        let c = cover(H + 1, 5 * H + 7, Some(100 * H));
        assert_eq!(c.buckets, Some((H + BUCKET_MS, 5 * H)));
        assert_eq!(c.raw, vec![(H + 1, H + BUCKET_MS), (5 * H, 5 * H + 7)]);
        // Aligned ends leave nothing raw.
        assert_eq!(cover(H, 2 * H, Some(2 * H)), Cover { buckets: Some((H, 2 * H)), raw: vec![] });
    }

    #[test]
    fn time_not_rolled_up_yet_is_read_raw() {
        let c = cover(0, 10 * H, Some(4 * H));
        assert_eq!(c.buckets, Some((0, 4 * H)));
        assert_eq!(c.raw, vec![(4 * H, 10 * H)]);
        assert_eq!(cover(0, 10 * H, None), Cover { buckets: None, raw: vec![(0, 10 * H)] });
        assert_eq!(cover(5 * H, 10 * H, Some(4 * H)), Cover { buckets: None, raw: vec![(5 * H, 10 * H)] });
        // Inside one bucket: all raw.
        assert_eq!(cover(1, 2, Some(10 * H)), Cover { buckets: None, raw: vec![(1, 2)] });
        assert_eq!(cover(5, 5, Some(10 * H)), Cover { buckets: None, raw: vec![] });
    }

    #[test]
    fn every_instant_of_a_range_is_covered_once() {
        let rolled = 37 * BUCKET_MS;
        for from in (0..40 * BUCKET_MS).step_by(7 * 60_000 + 13) {
            for len in [1, BUCKET_MS - 1, BUCKET_MS, 3 * BUCKET_MS + 5, 50 * BUCKET_MS] {
                let c = cover(from, from + len, Some(rolled));
                let mut parts: Vec<(i64, i64)> = c.raw.clone();
                parts.extend(c.buckets);
                parts.sort();
                assert_eq!(parts.first().unwrap().0, from);
                assert_eq!(parts.last().unwrap().1, from + len);
                assert!(parts.windows(2).all(|w| w[0].1 == w[1].0), "{from} {len}: {parts:?}");
                if let Some((a, b)) = c.buckets {
                    assert!(a % BUCKET_MS == 0 && b % BUCKET_MS == 0 && b <= rolled);
                }
            }
        }
    }

    #[test]
    fn the_rollup_steps_through_settled_time_a_week_at_a_time() {
        let now = 30 * 86_400_000 + 7 * 60_000;
        // Never rolled up, history from day 10: start at its bucket.
        assert_eq!(next_step(None, Some(10 * 86_400_000 + 5), now), Some((10 * 86_400_000, 17 * 86_400_000)));
        // Nothing stored yet: an empty step marks the start at the newest settled bucket.
        let limit = settled_until(now);
        assert_eq!(limit, 30 * 86_400_000, "2 minutes past the 5 settling ones");
        assert_eq!(next_step(None, None, now), Some((limit, limit)));
        // Caught up: nothing to do until the next bucket settles.
        assert_eq!(next_step(Some(limit), None, now), None);
        assert_eq!(next_step(Some(limit - BUCKET_MS), None, now), Some((limit - BUCKET_MS, limit)));
        // The clock went back (a test, or a restored backup): nothing to do, never backwards.
        assert_eq!(next_step(Some(limit + 10 * BUCKET_MS), None, now), None);
    }

    #[test]
    fn running_totals_continue_from_the_last_stored_bucket() {
        assert_eq!(running_totals(10, &[(0, 5), (BUCKET_MS * 3, 7)]), vec![(0, 5, 15), (BUCKET_MS * 3, 7, 22)]);
        assert!(running_totals(10, &[]).is_empty());
    }
}
