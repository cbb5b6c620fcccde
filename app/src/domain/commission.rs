//! Commission rules (seed 000): a rate in basis points, a fixed fee per order, a floor and a cap,
//! scoped to the whole platform, a category or a seller. Rules are versioned; the version used is
//! frozen on each order line so a refund reverses exactly what was charged.
//!
//! Computation, per order and per rule (lines of one order may fall under different rules):
//!   commission = clamp(round_half_up(sum of the rule's lines × rate_bps / 10 000) + fixed, floor, cap)
//! and never more than those lines' total. It is then split over the rule's lines in proportion to
//! their totals by the largest-remainder method (ties to the earlier line), so the per-line amounts
//! are whole minor units that sum exactly to the commission.

use serde::{Deserialize, Serialize};

pub const MAX_RATE_BPS: i64 = 10_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Scope {
    Default,
    Category,
    Seller,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Default => "default",
            Scope::Category => "category",
            Scope::Seller => "seller",
        }
    }

    pub fn parse(s: &str) -> Option<Scope> {
        [Scope::Default, Scope::Category, Scope::Seller].into_iter().find(|x| x.as_str() == s)
    }

    /// Which rule wins when several apply: the seller's, then the category's, then the default.
    pub fn precedence(self) -> u8 {
        match self {
            Scope::Seller => 0,
            Scope::Category => 1,
            Scope::Default => 2,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    pub rate_bps: i64,
    pub fixed_minor: i64,
    pub floor_minor: i64,
    pub cap_minor: Option<i64>,
}

impl Rule {
    /// `(field, code)` of the first problem.
    pub fn validate(self) -> Result<Rule, (&'static str, &'static str)> {
        if !(0..=MAX_RATE_BPS).contains(&self.rate_bps) {
            return Err(("rate_bps", "commission.bad_rate"));
        }
        if self.fixed_minor < 0 {
            return Err(("fixed", "money.negative"));
        }
        if self.floor_minor < 0 {
            return Err(("floor", "money.negative"));
        }
        if let Some(cap) = self.cap_minor {
            if cap < 0 {
                return Err(("cap", "money.negative"));
            }
            if self.floor_minor > cap {
                return Err(("floor", "commission.floor_above_cap"));
            }
        }
        Ok(self)
    }

    /// The commission on `base` (the total of this rule's lines in one order), before splitting.
    pub fn charge(self, base: i64) -> i64 {
        if base <= 0 {
            return 0;
        }
        let rated = round_half_up(base as i128 * self.rate_bps as i128, MAX_RATE_BPS as i128) as i64;
        let mut c = rated.saturating_add(self.fixed_minor).max(self.floor_minor);
        if let Some(cap) = self.cap_minor {
            c = c.min(cap);
        }
        c.clamp(0, base)
    }
}

/// `n / d` rounded half up, for non-negative `n` and positive `d`.
pub fn round_half_up(n: i128, d: i128) -> i128 {
    (2 * n + d) / (2 * d)
}

/// Splits `amount` over `weights` in proportion, in whole units, summing exactly to `amount`
/// (largest remainder; ties go to the earlier weight). All weights zero: everything on the first.
pub fn split(amount: i64, weights: &[i64]) -> Vec<i64> {
    if weights.is_empty() {
        return vec![];
    }
    let total: i128 = weights.iter().map(|w| *w as i128).sum();
    if total <= 0 {
        let mut out = vec![0; weights.len()];
        out[0] = amount;
        return out;
    }
    let mut out: Vec<i64> = Vec::with_capacity(weights.len());
    let mut remainders: Vec<(i128, usize)> = Vec::with_capacity(weights.len());
    for (i, w) in weights.iter().enumerate() {
        let exact = amount as i128 * *w as i128;
        out.push((exact / total) as i64);
        remainders.push((exact % total, i));
    }
    let mut left = amount - out.iter().sum::<i64>();
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, i) in remainders {
        if left == 0 {
            break;
        }
        out[i] += 1;
        left -= 1;
    }
    out
}

/// The commission of each line of one order: lines are `(rule id, rule, line total)`; lines sharing
/// a rule are charged together (one fixed fee, one floor and cap per rule and order).
pub fn order_commission(lines: &[(i64, Rule, i64)]) -> Vec<i64> {
    let mut out = vec![0; lines.len()];
    let mut rule_ids: Vec<i64> = lines.iter().map(|l| l.0).collect();
    rule_ids.dedup();
    rule_ids.sort_unstable();
    rule_ids.dedup();
    for rule_id in rule_ids {
        let idx: Vec<usize> = (0..lines.len()).filter(|i| lines[*i].0 == rule_id).collect();
        let rule = lines[idx[0]].1;
        let weights: Vec<i64> = idx.iter().map(|i| lines[*i].2).collect();
        let charge = rule.charge(weights.iter().sum());
        for (i, part) in idx.iter().zip(split(charge, &weights)) {
            out[*i] = part;
        }
    }
    out
}

/// An active rule version and what it applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActiveRule {
    pub id: i64,
    pub scope: Scope,
    pub scope_id: Option<i64>,
    pub rule: Rule,
}

/// The rule for a line sold by `organisation_id` in `category_id`: the seller's, else the
/// category's, else the default (`Scope::precedence`); the newest version on a tie. `None` when no
/// default rule is active.
pub fn resolve(rules: &[ActiveRule], organisation_id: i64, category_id: Option<i64>) -> Option<ActiveRule> {
    rules
        .iter()
        .filter(|r| match r.scope {
            Scope::Seller => r.scope_id == Some(organisation_id),
            Scope::Category => category_id.is_some() && r.scope_id == category_id,
            Scope::Default => true,
        })
        .min_by_key(|r| (r.scope.precedence(), std::cmp::Reverse(r.id)))
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(rate_bps: i64, fixed: i64, floor: i64, cap: Option<i64>) -> Rule {
        Rule { rate_bps, fixed_minor: fixed, floor_minor: floor, cap_minor: cap }
    }

    #[test]
    fn rounding_is_half_up_to_the_minor_unit() {
        // 5% of 1.10 = 0.055 -> 0.06; 5% of 1.09 = 0.0545 -> 0.05
        assert_eq!(rule(500, 0, 0, None).charge(110), 6);
        assert_eq!(rule(500, 0, 0, None).charge(109), 5);
        assert_eq!(rule(250, 0, 0, None).charge(200), 5);
    }

    #[test]
    fn fixed_fee_floor_and_cap_apply_in_that_order() {
        assert_eq!(rule(1000, 30, 0, None).charge(1000), 130);
        assert_eq!(rule(100, 0, 50, None).charge(1000), 50);
        assert_eq!(rule(5000, 0, 0, Some(200)).charge(1000), 200);
        // Never more than what was sold.
        assert_eq!(rule(0, 500, 0, None).charge(100), 100);
        assert_eq!(rule(1000, 0, 0, None).charge(0), 0);
    }

    #[test]
    fn a_floor_above_the_cap_is_refused() {
        assert_eq!(rule(100, 0, 500, Some(100)).validate(), Err(("floor", "commission.floor_above_cap")));
        assert_eq!(rule(10_001, 0, 0, None).validate(), Err(("rate_bps", "commission.bad_rate")));
        assert_eq!(rule(-1, 0, 0, None).validate(), Err(("rate_bps", "commission.bad_rate")));
        assert_eq!(rule(100, -1, 0, None).validate(), Err(("fixed", "money.negative")));
        assert!(rule(100, 0, 100, Some(100)).validate().is_ok());
    }

    #[test]
    fn splits_sum_exactly() {
        assert_eq!(split(100, &[1, 1, 1]), vec![34, 33, 33]);
        assert_eq!(split(7, &[300, 100]), vec![5, 2]);
        assert_eq!(split(0, &[5, 5]), vec![0, 0]);
        assert_eq!(split(9, &[0, 0]), vec![9, 0]);
        for amount in [0, 1, 17, 999, 123_457] {
            for weights in [vec![1], vec![3, 7], vec![1, 2, 3, 4, 5], vec![999, 1, 1]] {
                assert_eq!(split(amount, &weights).iter().sum::<i64>(), amount);
            }
        }
    }

    #[test]
    fn each_rule_is_charged_once_per_order_and_lines_add_up() {
        let default = rule(1000, 50, 0, None);
        let tea = rule(500, 0, 0, None);
        let lines = [(1, default, 1000), (2, tea, 2000), (1, default, 3000)];
        let c = order_commission(&lines);
        // default: 10% of 4000 + 0.50 = 450, split 1:3; tea: 5% of 2000 = 100
        assert_eq!(c, vec![113, 100, 337]);
        assert_eq!(c.iter().sum::<i64>(), 550);
    }

    fn active(id: i64, scope: Scope, scope_id: Option<i64>) -> ActiveRule {
        ActiveRule { id, scope, scope_id, rule: rule(100 * id, 0, 0, None) }
    }

    #[test]
    fn the_most_specific_active_rule_applies() {
        let rules =
            [active(1, Scope::Default, None), active(2, Scope::Category, Some(9)), active(3, Scope::Seller, Some(7))];
        assert_eq!(resolve(&rules, 7, Some(9)).unwrap().id, 3);
        assert_eq!(resolve(&rules, 8, Some(9)).unwrap().id, 2);
        assert_eq!(resolve(&rules, 8, None).unwrap().id, 1);
        assert_eq!(resolve(&rules[1..], 8, None), None);
    }

    #[test]
    fn seller_rules_beat_category_rules_beat_the_default() {
        let mut scopes = [Scope::Default, Scope::Seller, Scope::Category];
        scopes.sort_by_key(|s| s.precedence());
        assert_eq!(scopes, [Scope::Seller, Scope::Category, Scope::Default]);
    }
}
