//! The trust judgment buyers see on a product page (seed 001): the seller's risk level with its
//! evidence. A dispute the seller lost recently makes it high; a seller with no completed order yet
//! ("new seller"), or a price far above the listing's own recent prices, makes it medium; otherwise
//! low. The windows and the ratio are settings (`trust_*`).

use serde::{Deserialize, Serialize};

const DAY_MS: i64 = 86_400_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum RiskLevel {
    Low,
    Medium,
    High,
}

impl RiskLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            RiskLevel::Low => "low",
            RiskLevel::Medium => "medium",
            RiskLevel::High => "high",
        }
    }
}

/// Why: each piece of evidence with what the buyer is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Evidence {
    /// The seller lost a dispute (the buyer was refunded) at this instant.
    LostDispute { at_ms: i64 },
    /// No completed order yet.
    NewSeller,
    /// The price is `percent_above` % above `highest_minor`, the listing's highest earlier price in
    /// the window.
    PriceAboveHistory { percent_above: i64, highest_minor: i64 },
    /// What speaks for the seller: completed orders (counted up to a cap).
    CompletedOrders { count: i64 },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Thresholds {
    pub dispute_window_days: i64,
    /// 120: a price above 1.2 x the highest earlier price counts.
    pub price_ratio_percent: i64,
    pub price_window_days: i64,
}

impl Thresholds {
    pub const SEED: Thresholds =
        Thresholds { dispute_window_days: 90, price_ratio_percent: 120, price_window_days: 365 };

    /// Where the windows start at `now`: (disputes lost since, earlier prices since).
    pub fn since(self, now: i64) -> (i64, i64) {
        (now - self.dispute_window_days * DAY_MS, now - self.price_window_days * DAY_MS)
    }
}

/// What is measured about a seller and a listing (in the windows of `Thresholds::since`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Facts {
    pub last_lost_dispute_ms: Option<i64>,
    pub completed_orders: i64,
    pub price_minor: i64,
    /// The highest price an earlier live version of the listing had in the window.
    pub highest_previous_minor: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Judgment {
    pub level: RiskLevel,
    pub evidence: Vec<Evidence>,
}

pub fn judge(facts: Facts, t: Thresholds) -> Judgment {
    let mut level = RiskLevel::Low;
    let mut evidence = vec![];
    if let Some(at_ms) = facts.last_lost_dispute_ms {
        level = RiskLevel::High;
        evidence.push(Evidence::LostDispute { at_ms });
    }
    if facts.completed_orders == 0 {
        level = level.max(RiskLevel::Medium);
        evidence.push(Evidence::NewSeller);
    }
    if let Some(highest) = facts.highest_previous_minor.filter(|h| *h > 0) {
        // Integer comparison: price / highest > ratio / 100.
        if i128::from(facts.price_minor) * 100 > i128::from(highest) * i128::from(t.price_ratio_percent) {
            level = level.max(RiskLevel::Medium);
            let percent_above =
                ((i128::from(facts.price_minor) - i128::from(highest)) * 100 / i128::from(highest)) as i64;
            evidence.push(Evidence::PriceAboveHistory { percent_above, highest_minor: highest });
        }
    }
    if facts.completed_orders > 0 {
        evidence.push(Evidence::CompletedOrders { count: facts.completed_orders });
    }
    Judgment { level, evidence }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: Thresholds = Thresholds::SEED;

    fn facts(lost: Option<i64>, completed: i64, price: i64, highest: Option<i64>) -> Facts {
        Facts {
            last_lost_dispute_ms: lost,
            completed_orders: completed,
            price_minor: price,
            highest_previous_minor: highest,
        }
    }

    #[test]
    fn an_established_seller_at_its_usual_price_is_low() {
        let j = judge(facts(None, 12, 1_000, Some(1_000)), T);
        assert_eq!(j.level, RiskLevel::Low);
        assert_eq!(j.evidence, vec![Evidence::CompletedOrders { count: 12 }]);
        // Exactly 1.2 x is not above it.
        assert_eq!(judge(facts(None, 12, 1_200, Some(1_000)), T).level, RiskLevel::Low);
    }

    #[test]
    fn a_new_seller_or_a_price_far_above_its_history_is_medium() {
        assert_eq!(
            judge(facts(None, 0, 1_000, None), T),
            Judgment { level: RiskLevel::Medium, evidence: vec![Evidence::NewSeller] }
        );
        let j = judge(facts(None, 5, 1_201, Some(1_000)), T);
        assert_eq!(j.level, RiskLevel::Medium);
        assert_eq!(j.evidence[0], Evidence::PriceAboveHistory { percent_above: 20, highest_minor: 1_000 });
        let steeper = judge(facts(None, 5, 1_500, Some(1_000)), Thresholds { price_ratio_percent: 150, ..T });
        assert_eq!(steeper.level, RiskLevel::Low, "the ratio is a setting");
    }

    #[test]
    fn a_lost_dispute_makes_it_high_whatever_else() {
        let j = judge(facts(Some(5), 0, 9_999, Some(1_000)), T);
        assert_eq!(j.level, RiskLevel::High);
        assert_eq!(j.evidence.len(), 3);
        assert!(matches!(j.evidence[0], Evidence::LostDispute { at_ms: 5 }));
    }

    #[test]
    fn windows_start_where_the_settings_say() {
        let now = 1_000 * DAY_MS;
        assert_eq!(T.since(now), (910 * DAY_MS, 635 * DAY_MS));
    }
}
