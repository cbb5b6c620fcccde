//! Automated checks run when a listing is submitted. Each finding is evidence attached to the version
//! under review (seed 000's review queue): which check, which field, what it saw, how serious, and
//! what to do next. The reviewer decides; the checks only sort the queue and point at problems.

use super::listing::ListingContent;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Severity {
    Info,
    Warning,
    /// The reviewer should not approve until it is resolved.
    Blocking,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Blocking => "blocking",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Risk {
    Low,
    Medium,
    High,
}

impl Risk {
    pub const ALL: [Risk; 3] = [Risk::Low, Risk::Medium, Risk::High];

    pub fn as_str(self) -> &'static str {
        match self {
            Risk::Low => "low",
            Risk::Medium => "medium",
            Risk::High => "high",
        }
    }

    pub fn parse(s: &str) -> Option<Risk> {
        Risk::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Sort key: higher risk first.
    pub fn rank(self) -> i64 {
        match self {
            Risk::Low => 0,
            Risk::Medium => 1,
            Risk::High => 2,
        }
    }
}

/// One piece of evidence. `message` and `next_action` are message keys; `detail` fills their
/// `{detail}` placeholder (the banned word found, the typical price...).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub check: String,
    pub field: String,
    pub message: String,
    pub detail: String,
    pub severity: Severity,
    pub next_action: String,
}

/// What the checks know besides the listing itself, loaded by the service from the seller's history.
#[derive(Debug, Clone, Default)]
pub struct CheckContext {
    /// Median price (minor units) of the seller's other live listings; `None` without history.
    pub seller_median_price_minor: Option<i64>,
    /// Titles of the seller's other listings (any state but blocked), to catch duplicates.
    pub seller_other_titles: Vec<String>,
}

/// A price this many times the seller's median is "far above their history".
pub const PRICE_OUTLIER_FACTOR: i64 = 10;

/// Words that do not belong on a marketplace listing (counterfeits, weapons, drugs), English and
/// Chinese. Matched case-insensitively as substrings of the title and description.
pub const BANNED_WORDS: [&str; 14] = [
    "counterfeit",
    "replica",
    "fake",
    "knock-off",
    "firearm",
    "ammunition",
    "cocaine",
    "heroin",
    "高仿",
    "假货",
    "仿冒",
    "枪支",
    "弹药",
    "毒品",
];

fn finding(check: &str, field: &str, severity: Severity, detail: String) -> Finding {
    Finding {
        check: check.to_string(),
        field: field.to_string(),
        message: format!("checks.{check}"),
        detail,
        severity,
        next_action: format!("checks.{check}.next"),
    }
}

fn normalise_title(t: &str) -> String {
    t.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

pub fn run(content: &ListingContent, ctx: &CheckContext) -> Vec<Finding> {
    let mut out = Vec::new();
    if content.images.is_empty() {
        out.push(finding("missing_images", "images", Severity::Blocking, String::new()));
    }
    if content.category_id.is_none() {
        out.push(finding("missing_category", "category_id", Severity::Warning, String::new()));
    }
    if content.description.chars().count() < 20 {
        out.push(finding("short_description", "description", Severity::Info, String::new()));
    }
    for (field, text) in [("title", &content.title), ("description", &content.description)] {
        let lower = text.to_lowercase();
        if let Some(word) = BANNED_WORDS.iter().find(|w| lower.contains(*w)) {
            out.push(finding("banned_words", field, Severity::Blocking, word.to_string()));
        }
    }
    if let Some(median) = ctx.seller_median_price_minor.filter(|m| *m > 0) {
        let highest = content.variants.iter().map(|v| v.price_minor).max().unwrap_or(0);
        if highest > median.saturating_mul(PRICE_OUTLIER_FACTOR) {
            out.push(finding("price_outlier", "price", Severity::Warning, median.to_string()));
        }
    }
    let title = normalise_title(&content.title);
    if ctx.seller_other_titles.iter().any(|t| normalise_title(t) == title) {
        out.push(finding("duplicate_title", "title", Severity::Warning, content.title.clone()));
    }
    if content.stock_total() == 0 {
        out.push(finding("no_stock", "stock", Severity::Info, String::new()));
    }
    out
}

/// The risk level the queue sorts by: any blocking finding is high, any warning medium.
pub fn risk(findings: &[Finding]) -> Risk {
    let warnings = findings.iter().filter(|f| f.severity == Severity::Warning).count();
    if findings.iter().any(|f| f.severity == Severity::Blocking) {
        Risk::High
    } else if warnings >= 1 {
        Risk::Medium
    } else {
        Risk::Low
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::listing::Variant;
    use crate::domain::money::Currency;

    fn listing() -> ListingContent {
        ListingContent {
            title: "Jasmine green tea".into(),
            description: "Spring harvest, 100 g tin, from Fujian.".into(),
            category_id: Some(1),
            currency: Currency::Usd,
            weight_grams: 150,
            options: vec![],
            variants: vec![Variant {
                sku: "default".into(),
                options: vec![],
                price_minor: 1250,
                compare_at_minor: None,
                stock: 3,
            }],
            images: vec![5],
        }
    }

    fn checks(content: &ListingContent, ctx: &CheckContext) -> Vec<String> {
        run(content, ctx).into_iter().map(|f| f.check).collect()
    }

    #[test]
    fn a_clean_listing_has_no_findings_and_low_risk() {
        let f = run(&listing(), &CheckContext::default());
        assert!(f.is_empty(), "{f:?}");
        assert_eq!(risk(&f), Risk::Low);
    }

    #[test]
    fn missing_images_block() {
        let f = run(&ListingContent { images: vec![], ..listing() }, &CheckContext::default());
        assert_eq!(f[0].check, "missing_images");
        assert_eq!(f[0].severity, Severity::Blocking);
        assert_eq!(f[0].next_action, "checks.missing_images.next");
        assert_eq!(risk(&f), Risk::High);
    }

    #[test]
    fn banned_words_are_found_in_either_language_and_field() {
        let f = run(&ListingContent { title: "REPLICA watch".into(), ..listing() }, &CheckContext::default());
        assert_eq!(
            (f[0].check.as_str(), f[0].field.as_str(), f[0].detail.as_str()),
            ("banned_words", "title", "replica")
        );
        let f = run(
            &ListingContent { description: "正品，不是高仿的茶叶罐".into(), ..listing() },
            &CheckContext::default(),
        );
        assert!(f.iter().any(|x| x.check == "banned_words" && x.field == "description" && x.detail == "高仿"));
    }

    #[test]
    fn a_price_far_above_the_sellers_history_is_a_warning() {
        let ctx = CheckContext { seller_median_price_minor: Some(100), ..Default::default() };
        assert!(checks(&listing(), &ctx).contains(&"price_outlier".to_string()));
        let ctx = CheckContext { seller_median_price_minor: Some(1000), ..Default::default() };
        assert!(!checks(&listing(), &ctx).contains(&"price_outlier".to_string()));
    }

    #[test]
    fn the_same_title_twice_from_one_seller_is_a_warning() {
        let ctx = CheckContext { seller_other_titles: vec!["jasmine  GREEN tea".into()], ..Default::default() };
        let f = run(&listing(), &ctx);
        assert_eq!(f[0].check, "duplicate_title");
        assert_eq!(risk(&f), Risk::Medium);
    }

    #[test]
    fn small_things_are_information_only() {
        let mut l = listing();
        l.description = "tea".into();
        l.variants[0].stock = 0;
        let f = run(&l, &CheckContext::default());
        assert_eq!(checks(&l, &CheckContext::default()), vec!["short_description", "no_stock"]);
        assert_eq!(risk(&f), Risk::Low);
    }
}
