//! What the storefront's server functions answer with, and the parsing of its query strings (plain
//! Rust: shared by the server and the browser, unit-tested).

use crate::categories::model::CategoryNode;
use crate::domain::listing::ListingOption;
use crate::domain::money::{Currency, Money};
use crate::domain::page::Page;
use crate::error::AppError;
use serde::{Deserialize, Serialize};

/// Longest search text accepted (characters); longer input is refused next to the field.
pub const QUERY_MAX_CHARS: usize = 100;
/// Listings per storefront page (grid of 4 columns).
pub const PAGE_SIZE: u32 = 24;
/// How many newest and featured listings the home page shows.
pub const HOME_NEWEST: i64 = 12;
pub const HOME_FEATURED: i64 = 8;

/// One listing in a grid: its live copy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListingCard {
    pub id: i64,
    pub title: String,
    pub price_minor: i64,
    pub compare_at_minor: Option<i64>,
    pub currency: Currency,
    /// The first image's upload id.
    pub image: Option<i64>,
    pub stock_total: i64,
    pub seller_name: String,
}

impl ListingCard {
    pub fn price(&self) -> String {
        Money::new(self.price_minor, self.currency).display()
    }

    /// The compare-at price when it is above the price (a real discount), for display.
    pub fn compare_at(&self) -> Option<String> {
        compare_at_text(self.price_minor, self.compare_at_minor, self.currency)
    }

    pub fn sold_out(&self) -> bool {
        self.stock_total <= 0
    }
}

pub fn compare_at_text(price: i64, compare_at: Option<i64>, currency: Currency) -> Option<String> {
    compare_at.filter(|c| *c > price).map(|c| Money::new(c, currency).display())
}

pub fn media_url(upload_id: i64) -> String {
    format!("/media/{upload_id}")
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeData {
    /// The keys of the sections to show, in order (`domain::curation::SECTIONS`: `categories`,
    /// `featured`, `newest`), as curated: hidden ones and those outside their schedule are left out.
    pub sections: Vec<String>,
    /// Browsable categories in tree order.
    pub categories: Vec<CategoryNode>,
    pub featured: Vec<ListingCard>,
    pub newest: Vec<ListingCard>,
}

/// `id` and every category below it, from a tree in order.
pub fn descendants(tree: &[CategoryNode], id: i64) -> Vec<i64> {
    let mut out = vec![id];
    let mut i = 0;
    while i < out.len() {
        let parent = out[i];
        out.extend(tree.iter().filter(|n| n.parent_id == Some(parent)).map(|n| n.id));
        i += 1;
    }
    out
}

pub fn ancestors(tree: &[CategoryNode], node: &CategoryNode) -> Vec<CategoryNode> {
    let mut out = vec![];
    let mut parent = node.parent_id;
    while let Some(p) = parent {
        match tree.iter().find(|n| n.id == p) {
            Some(n) if out.len() <= crate::domain::category::MAX_DEPTH + 1 => {
                out.push(n.clone());
                parent = n.parent_id;
            }
            _ => break,
        }
    }
    out.reverse();
    out
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoryData {
    pub category: CategoryNode,
    /// Root first, the category's parent last.
    pub ancestors: Vec<CategoryNode>,
    /// Browsable direct children.
    pub children: Vec<CategoryNode>,
    pub page: Page<ListingCard>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    /// Browsable categories (for the filter's select), in tree order.
    pub categories: Vec<CategoryNode>,
    pub page: Page<ListingCard>,
}

/// One live SKU as the product page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VariantView {
    pub id: i64,
    pub sku: String,
    /// One value per option, in option order.
    pub options: Vec<String>,
    pub price_minor: i64,
    pub compare_at_minor: Option<i64>,
    pub stock: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SellerCard {
    pub id: i64,
    pub name: String,
    pub region: String,
    /// When the seller became active (or the organisation was created).
    pub since_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductView {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub currency: Currency,
    pub price_minor: i64,
    pub compare_at_minor: Option<i64>,
    pub stock_total: i64,
    pub images: Vec<i64>,
    pub options: Vec<ListingOption>,
    pub variants: Vec<VariantView>,
    pub category: Option<CategoryNode>,
    pub seller: SellerCard,
    /// The seller's risk level with its evidence (`domain::trust_judgment`).
    pub trust: crate::domain::trust_judgment::Judgment,
}

impl ProductView {
    /// The variant whose option values are exactly `chosen`.
    pub fn variant_for(&self, chosen: &[String]) -> Option<&VariantView> {
        self.variants.iter().find(|v| v.options == chosen)
    }

    /// What the picker starts on: the first variant in stock, else the first.
    pub fn initial_choice(&self) -> Vec<String> {
        self.variants
            .iter()
            .find(|v| v.stock > 0)
            .or(self.variants.first())
            .map(|v| v.options.clone())
            .unwrap_or_default()
    }

    /// Meta description: the description's first 160 characters on one line.
    pub fn meta_description(&self) -> String {
        meta_text(&self.description)
    }
}

/// Text on one line, cut to 160 characters (with an ellipsis when cut).
pub fn meta_text(text: &str) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= 160 {
        one_line
    } else {
        let mut s: String = one_line.chars().take(159).collect();
        s.push('…');
        s
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SellerStore {
    pub seller: SellerCard,
    pub page: Page<ListingCard>,
}

/// The orders a listing grid can be sorted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Sort {
    Newest,
    PriceAsc,
    PriceDesc,
    /// Best match first; only with search text (otherwise newest).
    Relevance,
}

impl Sort {
    pub const ALL: [Sort; 4] = [Sort::Relevance, Sort::Newest, Sort::PriceAsc, Sort::PriceDesc];

    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Newest => "newest",
            Sort::PriceAsc => "price_asc",
            Sort::PriceDesc => "price_desc",
            Sort::Relevance => "relevance",
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Sort::Newest => "storefront.sort.newest",
            Sort::PriceAsc => "storefront.sort.price_asc",
            Sort::PriceDesc => "storefront.sort.price_desc",
            Sort::Relevance => "storefront.sort.relevance",
        }
    }

    /// Absent means the default (relevance with text, newest without); anything unknown is an error
    /// next to the field.
    pub fn parse(input: Option<&str>, has_text: bool) -> Result<Sort, AppError> {
        let default = if has_text { Sort::Relevance } else { Sort::Newest };
        match input.map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(default),
            Some(s) => match Sort::ALL.into_iter().find(|x| x.as_str() == s) {
                Some(Sort::Relevance) if !has_text => Ok(Sort::Newest),
                Some(sort) => Ok(sort),
                None => Err(AppError::invalid("sort", "field.choose")),
            },
        }
    }

    /// Larger keys first?
    pub fn descending(self) -> bool {
        !matches!(self, Sort::PriceAsc)
    }
}

/// Where a grid's position is: the sort key and id of the last row shown (`key.id`). A cursor that
/// does not parse means the first page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub key: i64,
    pub id: i64,
}

impl Cursor {
    pub fn encode(self) -> String {
        format!("{}.{}", self.key, self.id)
    }

    pub fn parse(input: Option<&str>) -> Option<Cursor> {
        let (key, id) = input?.trim().split_once('.')?;
        Some(Cursor { key: key.parse().ok()?, id: id.parse().ok().filter(|id: &i64| *id > 0)? })
    }
}

/// Filters typed in a grid's filter form, validated. Every one is optional.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Filters {
    pub text: Option<String>,
    pub min_minor: Option<i64>,
    pub max_minor: Option<i64>,
    pub in_stock: bool,
}

impl Filters {
    /// `q` (search text), `min`/`max` (prices in major units, as typed), `in_stock` ("1"/"true"/"on").
    pub fn parse(
        q: Option<&str>,
        min: Option<&str>,
        max: Option<&str>,
        in_stock: Option<&str>,
        currency: Currency,
    ) -> Result<Filters, AppError> {
        let text = match q.map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(s) if s.chars().count() > QUERY_MAX_CHARS => return Err(AppError::invalid("q", "field.too_long")),
            // Control characters mean nothing in a search; treat them as spaces.
            Some(s) => {
                let clean: String = s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
                Some(clean.split_whitespace().collect::<Vec<_>>().join(" ")).filter(|s| !s.is_empty())
            }
        };
        let amount = |field: &str, v: Option<&str>| -> Result<Option<i64>, AppError> {
            match v.map(str::trim).filter(|s| !s.is_empty()) {
                None => Ok(None),
                Some(s) => {
                    Money::parse(s, currency).map(|m| Some(m.minor)).map_err(|e| AppError::invalid(field, e.code()))
                }
            }
        };
        let min_minor = amount("min", min)?;
        let max_minor = amount("max", max)?;
        if let (Some(lo), Some(hi)) = (min_minor, max_minor) {
            if hi < lo {
                return Err(AppError::invalid("max", "storefront.filter.max_below_min"));
            }
        }
        let in_stock = match in_stock.map(str::trim).filter(|s| !s.is_empty()) {
            None | Some("0") | Some("false") => false,
            Some("1") | Some("true") | Some("on") => true,
            Some(_) => return Err(AppError::invalid("in_stock", "field.choose")),
        };
        Ok(Filters { text, min_minor, max_minor, in_stock })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(q: &str, min: &str, max: &str, stock: &str) -> Result<Filters, AppError> {
        let opt = |s: &'static str| if s.is_empty() { None } else { Some(s) };
        let (q, min, max, stock) = (opt(leak(q)), opt(leak(min)), opt(leak(max)), opt(leak(stock)));
        Filters::parse(q, min, max, stock, Currency::Usd)
    }

    fn leak(s: &str) -> &'static str {
        Box::leak(s.to_string().into_boxed_str())
    }

    fn node(id: i64, parent_id: Option<i64>) -> CategoryNode {
        CategoryNode {
            id,
            parent_id,
            slug: format!("c{id}"),
            name_en: String::new(),
            name_zh: String::new(),
            browsable: true,
            disabled: false,
            position: 0,
            depth: 0,
        }
    }

    #[test]
    fn a_category_covers_its_descendants_and_knows_its_ancestors() {
        let tree = vec![node(1, None), node(2, Some(1)), node(3, Some(2)), node(4, None), node(5, Some(1))];
        let mut d = descendants(&tree, 1);
        d.sort();
        assert_eq!(d, vec![1, 2, 3, 5]);
        assert_eq!(descendants(&tree, 4), vec![4]);
        let up: Vec<i64> = ancestors(&tree, &tree[2]).iter().map(|n| n.id).collect();
        assert_eq!(up, vec![1, 2]);
    }

    #[test]
    fn filters_parse_prices_in_major_units() {
        let f = parse(" red  mug ", "1.50", "20", "1").unwrap();
        assert_eq!(f.text.as_deref(), Some("red mug"));
        assert_eq!((f.min_minor, f.max_minor, f.in_stock), (Some(150), Some(2000), true));
        assert_eq!(parse("", "", "", "").unwrap(), Filters::default());
    }

    #[test]
    fn bad_filters_name_their_field() {
        assert_eq!(parse("", "abc", "", ""), Err(AppError::invalid("min", "money.not_a_number")));
        assert_eq!(parse("", "", "-3", ""), Err(AppError::invalid("max", "money.negative")));
        assert_eq!(parse("", "10", "5", ""), Err(AppError::invalid("max", "storefront.filter.max_below_min")));
        assert_eq!(parse("", "", "", "maybe"), Err(AppError::invalid("in_stock", "field.choose")));
        assert_eq!(parse(&"x".repeat(101), "", "", ""), Err(AppError::invalid("q", "field.too_long")));
    }

    #[test]
    fn sort_defaults_to_relevance_only_with_text() {
        assert_eq!(Sort::parse(None, true), Ok(Sort::Relevance));
        assert_eq!(Sort::parse(None, false), Ok(Sort::Newest));
        assert_eq!(Sort::parse(Some("relevance"), false), Ok(Sort::Newest));
        assert_eq!(Sort::parse(Some("price_asc"), false), Ok(Sort::PriceAsc));
        assert_eq!(Sort::parse(Some("cheapest"), false), Err(AppError::invalid("sort", "field.choose")));
    }

    #[test]
    fn cursors_round_trip_and_garbage_is_the_first_page() {
        let c = Cursor { key: -1234, id: 7_000_000_001 };
        assert_eq!(Cursor::parse(Some(&c.encode())), Some(c));
        assert_eq!(Cursor::parse(Some("nonsense")), None);
        assert_eq!(Cursor::parse(Some("5.-1")), None);
        assert_eq!(Cursor::parse(None), None);
    }

    #[test]
    fn meta_text_is_one_line_and_bounded() {
        assert_eq!(meta_text("a\n\nb  c"), "a b c");
        let long = meta_text(&"y".repeat(500));
        assert_eq!(long.chars().count(), 160);
        assert!(long.ends_with('…'));
    }
}
