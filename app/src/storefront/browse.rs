//! The grids without search text: the home page's sections and the category pages. Each reads through
//! an index in the grid's own order and stops after a page, so its cost does not grow with the
//! catalog:
//!
//! - one ordered walk per (category, live status) pair, merged with `UNION ALL` and cut to a page:
//!   `listings_category` (category_id, status, published_at, id) for newest first,
//!   `listings_category_price` (category_id, status, price_minor, id) for the price sorts;
//! - without a category, one walk per live status: `listings_browse` / `listings_price`, and the
//!   partial `listings_featured` for the home page's featured section;
//! - the keyset cursor is a row-value comparison, `(key, id) < (k, i)`, which both databases turn
//!   into a range start on those indexes (the `key < k OR (key = k AND id < i)` form makes SQLite
//!   walk from the top of the index to the cursor: an OFFSET in disguise).
//!
//! Search (`search.rs`) keeps its own query: with text the full-text match is the smaller set.

use super::model::{Cursor, Filters, ListingCard, Sort};
use super::visibility::{LIVE_STATUSES, VISIBLE_CONTEXT, VISIBLE_FROM};
use crate::domain::money::Currency;
use crate::domain::page::{Page, MAX_PAGE_SIZE};
use crate::error::{AppError, Context};
use crate::platform::sql::Sql;
use crate::platform::state::AppState;

/// Past this many categories in a subtree, one walk per category would read more index entries than
/// one walk per status in date or price order that skips the other categories' rows, so the grid
/// switches to `category_id IN (...)` over `listings_browse` / `listings_price`. (A category with
/// that many subcategories holds a large part of the catalog, so the skipped rows are few.)
pub const MAX_CATEGORY_WALKS: usize = 16;

/// What a browse grid asks for.
#[derive(Debug, Clone, Default)]
pub struct Browse {
    /// Only these categories (a category and its descendants).
    pub category_ids: Option<Vec<i64>>,
    pub featured_only: bool,
    /// Price range and in stock (`text` is not read: text goes to search).
    pub filters: Filters,
    pub sort: Option<Sort>,
    pub cursor: Option<Cursor>,
    pub limit: u32,
}

impl Browse {
    /// The first page in the default order without filters: what every visitor sees alike.
    pub fn is_plain_first_page(&self) -> bool {
        self.cursor.is_none()
            && matches!(self.sort, None | Some(Sort::Newest))
            && self.filters.min_minor.is_none()
            && self.filters.max_minor.is_none()
            && !self.filters.in_stock
    }
}

/// A page of visible listings, in the order of `b.sort` (newest when absent or relevance).
pub async fn grid(state: &AppState, b: &Browse) -> Result<Page<ListingCard>, AppError> {
    let sort = match b.sort {
        Some(Sort::PriceAsc) => Sort::PriceAsc,
        Some(Sort::PriceDesc) => Sort::PriceDesc,
        _ => Sort::Newest,
    };
    let key = if sort == Sort::Newest { "l.published_at" } else { "l.price_minor" };
    let (cmp, dir) = if sort.descending() { ("<", "DESC") } else { (">", "ASC") };
    let mut sql = Sql::new(state.db.backend, "");
    let mut wheres: Vec<String> = vec![VISIBLE_CONTEXT.to_string()];
    wheres.extend(grid_conditions(&mut sql, b.featured_only, &b.filters, b.cursor, key, cmp));
    // One condition per walk: a status, and a category when each category gets its own walk.
    let walks: Vec<String> = match &b.category_ids {
        Some(ids) if ids.is_empty() => return Ok(Page { rows: vec![], next: None }),
        Some(ids) if ids.len() <= MAX_CATEGORY_WALKS => {
            let ps: Vec<String> = ids.iter().map(|id| sql.arg(*id)).collect();
            ps.iter()
                .flat_map(|p| LIVE_STATUSES.iter().map(move |s| format!("l.category_id = {p} AND l.status = '{s}'")))
                .collect()
        }
        Some(ids) => {
            let ids = sql.list(ids.iter().copied());
            let within = format!("l.category_id IN ({ids})");
            LIVE_STATUSES.iter().map(|s| format!("{within} AND l.status = '{s}'")).collect()
        }
        None => LIVE_STATUSES.iter().map(|s| format!("l.status = '{s}'")).collect(),
    };
    let size = b.limit.clamp(1, MAX_PAGE_SIZE);
    let limit = sql.arg(size as i64 + 1);
    let wheres = wheres.join(" AND ");
    let parts: Vec<String> = walks
        .iter()
        .enumerate()
        .map(|(i, walk)| {
            format!(
                "SELECT * FROM (SELECT l.id, l.title, l.price_minor, l.compare_at_minor, l.currency, l.images_json, \
                 l.stock_total, o.name AS seller_name, {key} AS sort_key FROM {VISIBLE_FROM} \
                 WHERE {walk} AND {wheres} ORDER BY {key} {dir}, l.id {dir} LIMIT {limit}) w{i}"
            )
        })
        .collect();
    sql.push(&format!("{} ORDER BY sort_key {dir}, id {dir} LIMIT {limit}", parts.join(" UNION ALL ")));
    let records: Vec<CardRecord> =
        sql.query_as().fetch_all(state.db.read()).await.context("listing a storefront grid")?;
    Ok(grid_page(records, size, state.settings().currency))
}

/// The home page's featured section: the listings featured now (`listings.featured`, set from the
/// curation at each schedule boundary), in the curated order, then newest first for any flagged
/// without a curation row. The partial index `listings_featured` holds only those few rows.
pub async fn featured(state: &AppState, limit: u32) -> Result<Vec<ListingCard>, AppError> {
    let sql = format!(
        "SELECT l.id, l.title, l.price_minor, l.compare_at_minor, l.currency, l.images_json, l.stock_total, \
         o.name AS seller_name, COALESCE(l.published_at, 0) AS sort_key FROM {VISIBLE_FROM} \
         LEFT JOIN curation_features f ON f.listing_id = l.id \
         WHERE l.featured = 1 AND l.status IN ('active', 'sold_out') AND {VISIBLE_CONTEXT} \
         ORDER BY CASE WHEN f.position IS NULL THEN 1 ELSE 0 END, f.position, f.id, l.published_at DESC, l.id DESC \
         LIMIT $1"
    );
    let records: Vec<CardRecord> = sqlx::query_as(&sql)
        .bind(i64::from(limit.clamp(1, MAX_PAGE_SIZE)))
        .fetch_all(state.db.read())
        .await
        .context("listing the featured listings")?;
    Ok(records.into_iter().map(|r| r.card(state.settings().currency).0).collect())
}

/// The conditions every grid shares (browse walks and text search): featured only, the price range,
/// in stock, and the keyset cursor as a row value `(key, id) < (k, i)` (`cmp` is `<` or `>`), which
/// both databases turn into a seek on the sort's index (the spelled-out `key < k OR (key = k AND
/// id < i)` made PostgreSQL walk the index from the top down to the cursor).
pub(super) fn grid_conditions(
    sql: &mut Sql,
    featured_only: bool,
    filters: &Filters,
    cursor: Option<Cursor>,
    key: &str,
    cmp: &str,
) -> Vec<String> {
    let mut wheres = vec![];
    if featured_only {
        wheres.push("l.featured = 1".into());
    }
    if let Some(min) = filters.min_minor {
        let p = sql.arg(min);
        wheres.push(format!("l.price_minor >= {p}"));
    }
    if let Some(max) = filters.max_minor {
        let p = sql.arg(max);
        wheres.push(format!("l.price_minor <= {p}"));
    }
    if filters.in_stock {
        wheres.push("l.stock_total > 0".into());
    }
    if let Some(c) = cursor {
        let (k, id) = (sql.arg(c.key), sql.arg(c.id));
        wheres.push(format!("({key}, l.id) {cmp} ({k}, {id})"));
    }
    wheres
}

/// One page of cards and the cursor to the next, from the `size + 1` rows a grid query read in its
/// order (the extra row only says that there is a next page).
pub(super) fn grid_page(records: Vec<CardRecord>, size: u32, currency: Currency) -> Page<ListingCard> {
    let rows: Vec<(ListingCard, i64)> = records.into_iter().map(|r| r.card(currency)).collect();
    let page = Page::from_overfetch(rows, size, |(c, key)| Cursor { key: *key, id: c.id }.encode());
    Page { rows: page.rows.into_iter().map(|(c, _)| c).collect(), next: page.next }
}

/// A grid row as the storefront's grid queries select it: these walks, and text search (`search.rs`).
#[derive(sqlx::FromRow)]
pub(super) struct CardRecord {
    id: i64,
    title: String,
    price_minor: i64,
    compare_at_minor: Option<i64>,
    currency: String,
    images_json: String,
    stock_total: i64,
    seller_name: String,
    sort_key: i64,
}

impl CardRecord {
    fn card(self, fallback: Currency) -> (ListingCard, i64) {
        let card = ListingCard {
            id: self.id,
            title: self.title,
            price_minor: self.price_minor,
            compare_at_minor: self.compare_at_minor,
            currency: Currency::parse(&self.currency).unwrap_or(fallback),
            image: serde_json::from_str::<Vec<i64>>(&self.images_json).ok().and_then(|v| v.first().copied()),
            stock_total: self.stock_total,
            seller_name: self.seller_name,
        };
        (card, self.sort_key)
    }
}
