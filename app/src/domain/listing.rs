//! Listings: the review state machine of DESIGN.md (seeds 000, 001), the version state machine behind
//! "edit an active listing, keep the approved copy live", and the seller form's validation, variants
//! included.

use super::money::{Currency, Money};
use super::seller::FieldError;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ListingStatus {
    Draft,
    PendingReview,
    Active,
    Rejected,
    Blocked,
    Inactive,
    SoldOut,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ListingAction {
    /// The seller sends a new listing (or a rejected one, fixed) to review.
    Submit,
    Approve,
    Reject,
    /// A reviewer stops a listing in review for good (protected).
    Block,
    /// The seller takes an active listing off sale, or puts it back.
    Deactivate,
    Reactivate,
    /// Stock ran out, or came back.
    SellOut,
    Restock,
    /// Trust & safety takes a live listing down after a report.
    TakeDown,
    /// An upheld appeal puts a taken-down listing back.
    Reinstate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListingTransitionError {
    pub from: ListingStatus,
    pub action: ListingAction,
}

impl ListingTransitionError {
    pub fn code(self) -> &'static str {
        "listings.transition_refused"
    }
}

impl ListingStatus {
    pub const ALL: [ListingStatus; 7] = [
        ListingStatus::Draft,
        ListingStatus::PendingReview,
        ListingStatus::Active,
        ListingStatus::Rejected,
        ListingStatus::Blocked,
        ListingStatus::Inactive,
        ListingStatus::SoldOut,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ListingStatus::Draft => "draft",
            ListingStatus::PendingReview => "pending_review",
            ListingStatus::Active => "active",
            ListingStatus::Rejected => "rejected",
            ListingStatus::Blocked => "blocked",
            ListingStatus::Inactive => "inactive",
            ListingStatus::SoldOut => "sold_out",
        }
    }

    pub fn parse(s: &str) -> Option<ListingStatus> {
        ListingStatus::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Has an approved copy that buyers may see (subject to the seller and category being live).
    pub fn is_live(self) -> bool {
        matches!(self, ListingStatus::Active | ListingStatus::SoldOut)
    }

    /// The seller may edit: everything except while blocked. Editing a live listing creates a new
    /// version for review; the live copy stays.
    pub fn is_editable(self) -> bool {
        self != ListingStatus::Blocked
    }

    pub fn apply(self, action: ListingAction) -> Result<ListingStatus, ListingTransitionError> {
        use ListingAction as A;
        use ListingStatus as S;
        let to = match (self, action) {
            (S::Draft | S::Rejected, A::Submit) => S::PendingReview,
            (S::PendingReview, A::Approve) => S::Active,
            (S::PendingReview, A::Reject) => S::Rejected,
            (S::PendingReview, A::Block) => S::Blocked,
            (S::Active, A::Deactivate) => S::Inactive,
            (S::Inactive, A::Reactivate) => S::Active,
            (S::Active, A::SellOut) => S::SoldOut,
            (S::SoldOut, A::Restock) => S::Active,
            (S::Active | S::Inactive | S::SoldOut, A::TakeDown) => S::Blocked,
            (S::Blocked, A::Reinstate) => S::Active,
            _ => return Err(ListingTransitionError { from: self, action }),
        };
        Ok(to)
    }
}

impl ListingAction {
    pub const ALL: [ListingAction; 10] = [
        ListingAction::Submit,
        ListingAction::Approve,
        ListingAction::Reject,
        ListingAction::Block,
        ListingAction::Deactivate,
        ListingAction::Reactivate,
        ListingAction::SellOut,
        ListingAction::Restock,
        ListingAction::TakeDown,
        ListingAction::Reinstate,
    ];
}

/// One copy of a listing's content. A live listing has an approved version and may have one newer
/// version in draft or in review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum VersionStatus {
    Draft,
    PendingReview,
    Approved,
    Rejected,
    Blocked,
    /// An approved version replaced by a newer approved one.
    Superseded,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VersionTransitionError {
    pub from: VersionStatus,
    pub to: VersionStatus,
}

impl VersionTransitionError {
    pub fn code(self) -> &'static str {
        "listings.version_transition_refused"
    }
}

impl VersionStatus {
    pub const ALL: [VersionStatus; 6] = [
        VersionStatus::Draft,
        VersionStatus::PendingReview,
        VersionStatus::Approved,
        VersionStatus::Rejected,
        VersionStatus::Blocked,
        VersionStatus::Superseded,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            VersionStatus::Draft => "draft",
            VersionStatus::PendingReview => "pending_review",
            VersionStatus::Approved => "approved",
            VersionStatus::Rejected => "rejected",
            VersionStatus::Blocked => "blocked",
            VersionStatus::Superseded => "superseded",
        }
    }

    pub fn parse(s: &str) -> Option<VersionStatus> {
        VersionStatus::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// The seller may still change this copy in place (otherwise an edit starts a new version).
    pub fn is_editable(self) -> bool {
        matches!(self, VersionStatus::Draft | VersionStatus::Rejected)
    }

    /// Only a version in review can be decided, once: a second reviewer finds it decided.
    pub fn decide(self, to: VersionStatus) -> Result<VersionStatus, VersionTransitionError> {
        let ok = matches!(
            (self, to),
            (VersionStatus::Draft | VersionStatus::Rejected, VersionStatus::PendingReview)
                | (
                    VersionStatus::PendingReview,
                    VersionStatus::Approved | VersionStatus::Rejected | VersionStatus::Blocked
                )
                | (VersionStatus::Approved, VersionStatus::Superseded)
        );
        if ok {
            Ok(to)
        } else {
            Err(VersionTransitionError { from: self, to })
        }
    }
}

pub const TITLE_MIN_CHARS: usize = 3;
pub const TITLE_MAX_CHARS: usize = 120;
pub const DESCRIPTION_MAX_CHARS: usize = 5_000;
pub const MAX_IMAGES: usize = 10;
pub const MAX_OPTIONS: usize = 3;
pub const MAX_OPTION_VALUES: usize = 20;
pub const MAX_VARIANTS: usize = 100;
pub const MAX_STOCK: i64 = 1_000_000;
pub const MAX_WEIGHT_GRAMS: i64 = 1_000_000;
pub const SKU_MAX_CHARS: usize = 40;

/// An option such as `Colour` with its values `Red`, `Blue`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListingOption {
    pub name: String,
    pub values: Vec<String>,
}

/// One SKU: a value per option (in option order), its own price and stock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Variant {
    pub sku: String,
    pub options: Vec<String>,
    pub price_minor: i64,
    pub compare_at_minor: Option<i64>,
    pub stock: i64,
}

/// The variants as typed in the form (amounts still text), before validation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawVariant {
    pub sku: String,
    pub options: Vec<String>,
    pub price: String,
    #[serde(default)]
    pub compare_at: String,
    pub stock: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawListing {
    pub title: String,
    pub description: String,
    pub category_id: Option<i64>,
    /// Used when there are no options: the single SKU's price, compare-at price and stock.
    pub price: String,
    #[serde(default)]
    pub compare_at: String,
    pub stock: String,
    pub weight_grams: String,
    #[serde(default)]
    pub options: Vec<ListingOption>,
    #[serde(default)]
    pub variants: Vec<RawVariant>,
    /// Upload ids in display order.
    #[serde(default)]
    pub images: Vec<i64>,
}

/// A validated listing: what a version stores.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListingContent {
    pub title: String,
    pub description: String,
    pub category_id: Option<i64>,
    pub currency: Currency,
    pub weight_grams: i64,
    pub options: Vec<ListingOption>,
    /// At least one. Without options, exactly one with no option values.
    pub variants: Vec<Variant>,
    pub images: Vec<i64>,
}

impl ListingContent {
    /// The lowest variant price: what lists and sorting show ("from $12.00").
    pub fn price_minor(&self) -> i64 {
        self.variants.iter().map(|v| v.price_minor).min().unwrap_or(0)
    }

    pub fn compare_at_minor(&self) -> Option<i64> {
        self.variants.iter().filter_map(|v| v.compare_at_minor).max()
    }

    pub fn stock_total(&self) -> i64 {
        self.variants.iter().map(|v| v.stock).sum()
    }
}

fn text(field: &'static str, input: &str, min: usize, max: usize, multiline: bool) -> Result<String, FieldError> {
    let s = input.trim();
    let n = s.chars().count();
    if n < min {
        return Err((field, if n == 0 { "field.required" } else { "field.too_short" }));
    }
    if n > max {
        return Err((field, "field.too_long"));
    }
    let allowed = |c: char| !c.is_control() || (multiline && (c == '\n' || c == '\r' || c == '\t'));
    if !s.chars().all(allowed) {
        return Err((field, "field.control_chars"));
    }
    Ok(s.to_string())
}

fn amount(field: &'static str, input: &str, currency: Currency) -> Result<i64, FieldError> {
    Money::parse(input, currency).map(|m| m.minor).map_err(|e| (field, e.code()))
}

fn optional_amount(field: &'static str, input: &str, currency: Currency) -> Result<Option<i64>, FieldError> {
    if input.trim().is_empty() {
        Ok(None)
    } else {
        amount(field, input, currency).map(Some)
    }
}

fn whole(field: &'static str, input: &str, max: i64) -> Result<i64, FieldError> {
    let s = input.trim();
    if s.is_empty() {
        return Err((field, "field.required"));
    }
    if s.starts_with('-') {
        return Err((field, "number.negative"));
    }
    let n: i64 = s.parse().map_err(|_| (field, "number.whole"))?;
    if n > max {
        return Err((field, "number.too_large"));
    }
    Ok(n)
}

fn price_pair(
    fields: (&'static str, &'static str),
    price: &str,
    compare_at: &str,
    currency: Currency,
) -> Result<(i64, Option<i64>), FieldError> {
    let p = amount(fields.0, price, currency)?;
    if p == 0 {
        return Err((fields.0, "money.zero"));
    }
    let c = optional_amount(fields.1, compare_at, currency)?;
    if let Some(c) = c {
        if c <= p {
            return Err((fields.1, "listings.compare_at_not_higher"));
        }
    }
    Ok((p, c))
}

impl ListingContent {
    /// Validates the seller's form. Field names for variant rows are `variants.N.price` and so on.
    pub fn parse(raw: &RawListing, currency: Currency) -> Result<ListingContent, (String, &'static str)> {
        let simple = |e: FieldError| (e.0.to_string(), e.1);
        let title = text("title", &raw.title, TITLE_MIN_CHARS, TITLE_MAX_CHARS, false).map_err(simple)?;
        let description = text("description", &raw.description, 0, DESCRIPTION_MAX_CHARS, true).map_err(simple)?;
        let weight_grams = whole("weight_grams", &raw.weight_grams, MAX_WEIGHT_GRAMS).map_err(simple)?;
        if raw.images.len() > MAX_IMAGES {
            return Err(("images".into(), "listings.too_many_images"));
        }
        if raw.images.iter().collect::<HashSet<_>>().len() != raw.images.len() {
            return Err(("images".into(), "listings.duplicate_image"));
        }
        let options = parse_options(&raw.options)?;
        let variants = if options.is_empty() {
            let (price_minor, compare_at_minor) =
                price_pair(("price", "compare_at"), &raw.price, &raw.compare_at, currency).map_err(simple)?;
            let stock = whole("stock", &raw.stock, MAX_STOCK).map_err(simple)?;
            vec![Variant { sku: "default".into(), options: vec![], price_minor, compare_at_minor, stock }]
        } else {
            parse_variants(&options, &raw.variants, currency)?
        };
        Ok(ListingContent {
            title,
            description,
            category_id: raw.category_id,
            currency,
            weight_grams,
            options,
            variants,
            images: raw.images.clone(),
        })
    }
}

fn parse_options(raw: &[ListingOption]) -> Result<Vec<ListingOption>, (String, &'static str)> {
    if raw.len() > MAX_OPTIONS {
        return Err(("options".into(), "listings.too_many_options"));
    }
    let mut names = HashSet::new();
    let mut out = Vec::new();
    for (i, o) in raw.iter().enumerate() {
        let name = text("name", &o.name, 1, 30, false).map_err(|e| (format!("options.{i}.name"), e.1))?;
        if !names.insert(name.to_lowercase()) {
            return Err((format!("options.{i}.name"), "listings.duplicate_option"));
        }
        if o.values.is_empty() {
            return Err((format!("options.{i}.values"), "field.required"));
        }
        if o.values.len() > MAX_OPTION_VALUES {
            return Err((format!("options.{i}.values"), "listings.too_many_values"));
        }
        let mut seen = HashSet::new();
        let mut values = Vec::new();
        for v in &o.values {
            let v = text("value", v, 1, 30, false).map_err(|e| (format!("options.{i}.values"), e.1))?;
            if !seen.insert(v.to_lowercase()) {
                return Err((format!("options.{i}.values"), "listings.duplicate_option_value"));
            }
            values.push(v);
        }
        out.push(ListingOption { name, values });
    }
    Ok(out)
}

fn parse_variants(
    options: &[ListingOption],
    raw: &[RawVariant],
    currency: Currency,
) -> Result<Vec<Variant>, (String, &'static str)> {
    if raw.is_empty() {
        return Err(("variants".into(), "listings.no_variants"));
    }
    if raw.len() > MAX_VARIANTS {
        return Err(("variants".into(), "listings.too_many_variants"));
    }
    let mut combos = HashSet::new();
    let mut skus = HashSet::new();
    let mut out = Vec::new();
    for (i, v) in raw.iter().enumerate() {
        let f = |name: &str| format!("variants.{i}.{name}");
        if v.options.len() != options.len() {
            return Err((f("options"), "listings.variant_options_mismatch"));
        }
        let mut values = Vec::new();
        for (value, option) in v.options.iter().zip(options) {
            let known = option.values.iter().find(|x| x.eq_ignore_ascii_case(value.trim()));
            match known {
                Some(k) => values.push(k.clone()),
                None => return Err((f("options"), "listings.unknown_option_value")),
            }
        }
        if !combos.insert(values.iter().map(|x| x.to_lowercase()).collect::<Vec<_>>()) {
            return Err((f("options"), "listings.duplicate_variant"));
        }
        let sku = v.sku.trim();
        if sku.is_empty() || sku.chars().count() > SKU_MAX_CHARS {
            return Err((f("sku"), if sku.is_empty() { "field.required" } else { "field.too_long" }));
        }
        if !sku.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)) {
            return Err((f("sku"), "listings.sku_chars"));
        }
        if !skus.insert(sku.to_ascii_lowercase()) {
            return Err((f("sku"), "listings.duplicate_sku"));
        }
        let (price_minor, compare_at_minor) =
            price_pair(("price", "compare_at"), &v.price, &v.compare_at, currency).map_err(|e| (f(e.0), e.1))?;
        let stock = whole("stock", &v.stock, MAX_STOCK).map_err(|e| (f(e.0), e.1))?;
        out.push(Variant { sku: sku.to_string(), options: values, price_minor, compare_at_minor, stock });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ListingAction as A;
    use ListingStatus as S;

    const ALLOWED: [(ListingStatus, ListingAction, ListingStatus); 13] = [
        (S::Draft, A::Submit, S::PendingReview),
        (S::Rejected, A::Submit, S::PendingReview),
        (S::PendingReview, A::Approve, S::Active),
        (S::PendingReview, A::Reject, S::Rejected),
        (S::PendingReview, A::Block, S::Blocked),
        (S::Active, A::Deactivate, S::Inactive),
        (S::Inactive, A::Reactivate, S::Active),
        (S::Active, A::SellOut, S::SoldOut),
        (S::SoldOut, A::Restock, S::Active),
        (S::Active, A::TakeDown, S::Blocked),
        (S::Inactive, A::TakeDown, S::Blocked),
        (S::SoldOut, A::TakeDown, S::Blocked),
        (S::Blocked, A::Reinstate, S::Active),
    ];

    #[test]
    fn every_listing_transition_is_allowed_or_refused_by_name() {
        for from in ListingStatus::ALL {
            for action in ListingAction::ALL {
                let want = ALLOWED.iter().find(|(f, a, _)| *f == from && *a == action).map(|t| t.2);
                match (from.apply(action), want) {
                    (Ok(to), Some(w)) => assert_eq!(to, w),
                    (Err(e), None) => assert_eq!(e, ListingTransitionError { from, action }),
                    (got, want) => panic!("{from:?} {action:?}: got {got:?}, want {want:?}"),
                }
            }
        }
    }

    #[test]
    fn a_version_is_decided_once() {
        use VersionStatus as V;
        for to in [V::Approved, V::Rejected, V::Blocked] {
            assert_eq!(V::PendingReview.decide(to), Ok(to));
            for decided in [V::Approved, V::Rejected, V::Blocked, V::Superseded] {
                assert!(decided.decide(to).is_err(), "{decided:?} -> {to:?}");
            }
        }
        assert!(V::Draft.decide(V::Approved).is_err());
        assert_eq!(V::Rejected.decide(V::PendingReview), Ok(V::PendingReview));
        assert_eq!(V::Approved.decide(V::Superseded), Ok(V::Superseded));
        assert!(V::Blocked.decide(V::PendingReview).is_err());
    }

    #[test]
    fn names_round_trip() {
        for s in ListingStatus::ALL {
            assert_eq!(ListingStatus::parse(s.as_str()), Some(s));
        }
        for s in VersionStatus::ALL {
            assert_eq!(VersionStatus::parse(s.as_str()), Some(s));
        }
    }

    fn simple() -> RawListing {
        RawListing {
            title: "Jasmine green tea".into(),
            description: "100 g tin".into(),
            category_id: Some(1),
            price: "12.50".into(),
            compare_at: "".into(),
            stock: "30".into(),
            weight_grams: "150".into(),
            ..Default::default()
        }
    }

    fn with_variants() -> RawListing {
        let v = |sku: &str, c: &str, s: &str, price: &str| RawVariant {
            sku: sku.into(),
            options: vec![c.into(), s.into()],
            price: price.into(),
            compare_at: "".into(),
            stock: "5".into(),
        };
        RawListing {
            options: vec![
                ListingOption { name: "Colour".into(), values: vec!["Red".into(), "Blue".into()] },
                ListingOption { name: "Size".into(), values: vec!["S".into(), "M".into()] },
            ],
            variants: vec![v("TEE-R-S", "Red", "S", "20"), v("TEE-B-M", "blue", "M", "22.5")],
            ..simple()
        }
    }

    #[test]
    fn a_simple_listing_has_one_default_variant() {
        let c = ListingContent::parse(&simple(), Currency::Usd).unwrap();
        assert_eq!(c.variants.len(), 1);
        assert_eq!(c.price_minor(), 1250);
        assert_eq!(c.stock_total(), 30);
    }

    #[test]
    fn variants_carry_their_own_price_and_stock() {
        let c = ListingContent::parse(&with_variants(), Currency::Usd).unwrap();
        assert_eq!(c.variants[1].options, vec!["Blue".to_string(), "M".to_string()]);
        assert_eq!(c.price_minor(), 2000);
        assert_eq!(c.stock_total(), 10);
    }

    #[test]
    fn bad_listings_are_refused_with_the_field() {
        let err = |r: RawListing| ListingContent::parse(&r, Currency::Usd).unwrap_err();
        assert_eq!(err(RawListing { title: "ab".into(), ..simple() }), ("title".into(), "field.too_short"));
        assert_eq!(err(RawListing { price: "-3".into(), ..simple() }), ("price".into(), "money.negative"));
        assert_eq!(err(RawListing { price: "0".into(), ..simple() }), ("price".into(), "money.zero"));
        assert_eq!(err(RawListing { price: "99999999999".into(), ..simple() }), ("price".into(), "money.too_large"));
        assert_eq!(err(RawListing { stock: "-1".into(), ..simple() }), ("stock".into(), "number.negative"));
        assert_eq!(err(RawListing { stock: "1e9".into(), ..simple() }), ("stock".into(), "number.whole"));
        assert_eq!(err(RawListing { stock: "5000000".into(), ..simple() }), ("stock".into(), "number.too_large"));
        assert_eq!(
            err(RawListing { compare_at: "10".into(), ..simple() }),
            ("compare_at".into(), "listings.compare_at_not_higher")
        );
        assert_eq!(err(RawListing { images: vec![1, 1], ..simple() }), ("images".into(), "listings.duplicate_image"));
        assert_eq!(
            err(RawListing { images: (0..11).collect(), ..simple() }),
            ("images".into(), "listings.too_many_images")
        );
    }

    #[test]
    fn a_variant_matrix_with_duplicates_is_refused() {
        let mut r = with_variants();
        r.variants[1].options = vec!["red".into(), "s".into()];
        assert_eq!(
            ListingContent::parse(&r, Currency::Usd).unwrap_err(),
            ("variants.1.options".into(), "listings.duplicate_variant")
        );
        let mut r = with_variants();
        r.variants[1].sku = "tee-r-s".into();
        assert_eq!(
            ListingContent::parse(&r, Currency::Usd).unwrap_err(),
            ("variants.1.sku".into(), "listings.duplicate_sku")
        );
        let mut r = with_variants();
        r.options[0].values = vec!["Red".into(), "red".into()];
        assert_eq!(
            ListingContent::parse(&r, Currency::Usd).unwrap_err(),
            ("options.0.values".into(), "listings.duplicate_option_value")
        );
        let mut r = with_variants();
        r.options[1].name = "colour".into();
        assert_eq!(
            ListingContent::parse(&r, Currency::Usd).unwrap_err(),
            ("options.1.name".into(), "listings.duplicate_option")
        );
        let mut r = with_variants();
        r.variants[0].options = vec!["Green".into(), "S".into()];
        assert_eq!(
            ListingContent::parse(&r, Currency::Usd).unwrap_err(),
            ("variants.0.options".into(), "listings.unknown_option_value")
        );
        let mut r = with_variants();
        r.variants[0].price = "abc".into();
        assert_eq!(
            ListingContent::parse(&r, Currency::Usd).unwrap_err(),
            ("variants.0.price".into(), "money.not_a_number")
        );
    }

    #[test]
    fn markup_is_kept_as_text_not_refused() {
        // Rendering escapes it; refusing would punish "5 < 6" in a description.
        let r = RawListing { title: "<script>alert(1)</script> tea".into(), ..simple() };
        assert_eq!(ListingContent::parse(&r, Currency::Usd).unwrap().title, "<script>alert(1)</script> tea");
    }
}
