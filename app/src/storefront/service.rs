//! The storefront's reads. Everything a buyer sees passes the visibility rule below, written once.

use super::browse::{self, Browse};
use super::model::{
    ancestors, descendants, CategoryData, Cursor, Filters, HomeData, ProductView, SearchResults, SellerCard,
    SellerStore, Sort, VariantView, HOME_FEATURED, HOME_NEWEST, PAGE_SIZE,
};
use super::search::{self, Query};
use crate::categories::model::CategoryNode;
use crate::domain::listing::{ListingOption, MAX_VARIANTS};
use crate::domain::money::Currency;
use crate::error::{AppError, Context};
use crate::platform::state::AppState;

// The visibility rule lives in visibility.rs (search.rs reads it too); still nameable here.
use super::visibility::SELLER_VISIBLE;
pub use super::visibility::{LIVE_STATUSES, VISIBLE_CONTEXT, VISIBLE_FROM, VISIBLE_WHERE};

/// Every visitor sees the same home page: it is built from the process cache (`platform::cache`,
/// invalidated by the catalog version), and a miss reads each section through its index (`browse`).
pub async fn home(state: &AppState) -> Result<HomeData, AppError> {
    state.cache.get_or_load(&state.db, state.now_ms(), "storefront.home", || load_home(state)).await
}

/// The sections curation shows now (order and schedule: `curation`; a schedule boundary bumps the
/// catalog version, so the cached page is rebuilt then), each read only when shown.
async fn load_home(state: &AppState) -> Result<HomeData, AppError> {
    let sections = crate::curation::service::sections_shown_now(state).await?;
    let shown = |key: &str| sections.iter().any(|s| s == key);
    let categories = crate::categories::service::tree(state, false).await?;
    let featured = match shown("featured") {
        true => browse::featured(state, HOME_FEATURED as u32).await?,
        false => vec![],
    };
    // Read even when hidden: an empty catalog shows its empty state whatever the curation says.
    let newest = browse::grid(state, &Browse { limit: HOME_NEWEST as u32, ..Default::default() }).await?;
    Ok(HomeData { sections, categories, featured, newest: newest.rows })
}

pub struct GridParams<'a> {
    pub filters: Filters,
    pub sort: Option<&'a str>,
    pub cursor: Option<&'a str>,
}

impl GridParams<'_> {
    /// The grid without search text (category pages), read by `browse`.
    fn browse(&self) -> Result<Browse, AppError> {
        Ok(Browse {
            filters: self.filters.clone(),
            sort: Some(Sort::parse(self.sort, false)?),
            cursor: Cursor::parse(self.cursor),
            limit: PAGE_SIZE,
            ..Default::default()
        })
    }

    fn query(&self) -> Result<Query, AppError> {
        let sort = Sort::parse(self.sort, self.filters.text.is_some())?;
        Ok(Query {
            filters: self.filters.clone(),
            sort: Some(sort),
            cursor: Cursor::parse(self.cursor),
            limit: PAGE_SIZE,
            ..Default::default()
        })
    }
}

/// A browsable category by slug, its breadcrumbs, subcategories and the listings in it and below it.
/// Its plain first page (newest, no filters) is the same for every visitor: it comes from the process
/// cache (see `home`); other pages read through the category indexes (`browse`).
pub async fn category(state: &AppState, slug: &str, grid: GridParams<'_>) -> Result<CategoryData, AppError> {
    let query = grid.browse()?;
    if query.is_plain_first_page() {
        let key = format!("storefront.category.{slug}");
        return state.cache.get_or_load(&state.db, state.now_ms(), &key, || load_category(state, slug, query)).await;
    }
    load_category(state, slug, query).await
}

async fn load_category(state: &AppState, slug: &str, mut query: Browse) -> Result<CategoryData, AppError> {
    let tree = crate::categories::service::tree(state, false).await?;
    let category = tree.iter().find(|n| n.slug == slug).cloned().ok_or(AppError::NotFound)?;
    query.category_ids = Some(descendants(&tree, category.id));
    let page = browse::grid(state, &query).await?;
    Ok(CategoryData {
        ancestors: ancestors(&tree, &category),
        children: tree.iter().filter(|n| n.parent_id == Some(category.id)).cloned().collect(),
        category,
        page,
    })
}

pub async fn search(state: &AppState, category: Option<&str>, grid: GridParams<'_>) -> Result<SearchResults, AppError> {
    let categories = crate::categories::service::tree(state, false).await?;
    let mut query = grid.query()?;
    if let Some(slug) = category.map(str::trim).filter(|s| !s.is_empty()) {
        let node = categories.iter().find(|n| n.slug == slug).ok_or(AppError::invalid("category", "field.choose"))?;
        query.category_ids = Some(descendants(&categories, node.id));
    }
    let page = if query.cursor.is_none() {
        // A first page is what everyone searching the same words sees (a popular word is asked again
        // and again): cached like the home page, invalidated by the catalog version. Later pages are
        // read each time (a cursor is one visitor's position).
        let key = format!("{:?}|{:?}|{:?}", query.filters, query.sort, query.category_ids);
        state.search_cache.get_or_load(&state.db, state.now_ms(), &key, || search::find(state, &query)).await?
    } else {
        search::find(state, &query).await?
    };
    Ok(SearchResults { categories, page })
}

/// The seller columns (`SELLER_COLUMNS`) of a row.
#[derive(sqlx::FromRow)]
struct SellerRecord {
    org_id: i64,
    org_name: String,
    org_region: String,
    org_since: i64,
}

impl SellerRecord {
    fn card(self) -> SellerCard {
        SellerCard { id: self.org_id, name: self.org_name, region: self.org_region, since_ms: self.org_since }
    }
}

const SELLER_COLUMNS: &str = "o.id AS org_id, o.name AS org_name, o.region AS org_region, \
     COALESCE(p.activated_at, o.created_at) AS org_since";

#[derive(sqlx::FromRow)]
struct ProductRecord {
    id: i64,
    title: String,
    description: String,
    currency: String,
    price_minor: i64,
    compare_at_minor: Option<i64>,
    stock_total: i64,
    images_json: String,
    options_json: String,
    cat_id: Option<i64>,
    cat_parent: Option<i64>,
    cat_slug: Option<String>,
    cat_en: Option<String>,
    cat_zh: Option<String>,
    cat_position: Option<i64>,
    #[sqlx(flatten)]
    seller: SellerRecord,
}

impl ProductRecord {
    fn category(&self) -> Option<CategoryNode> {
        Some(CategoryNode {
            id: self.cat_id?,
            parent_id: self.cat_parent,
            slug: self.cat_slug.clone().unwrap_or_default(),
            name_en: self.cat_en.clone().unwrap_or_default(),
            name_zh: self.cat_zh.clone().unwrap_or_default(),
            browsable: true,
            disabled: false,
            position: self.cat_position.unwrap_or_default(),
            depth: 0,
        })
    }
}

#[derive(sqlx::FromRow)]
struct VariantRecord {
    id: i64,
    sku: String,
    options_json: String,
    price_minor: i64,
    compare_at_minor: Option<i64>,
    stock: i64,
}

async fn variants(state: &AppState, id: i64) -> Result<Vec<VariantView>, AppError> {
    let records: Vec<VariantRecord> = sqlx::query_as(
        "SELECT id, sku, options_json, price_minor, compare_at_minor, stock FROM listing_variants \
         WHERE listing_id = $1 AND status = 'active' ORDER BY position, id LIMIT $2",
    )
    .bind(id)
    .bind(MAX_VARIANTS as i64)
    .fetch_all(state.db.read())
    .await
    .context("loading the listing's variants")?;
    Ok(records
        .into_iter()
        .map(|v| VariantView {
            id: v.id,
            sku: v.sku,
            options: serde_json::from_str(&v.options_json).unwrap_or_default(),
            price_minor: v.price_minor,
            compare_at_minor: v.compare_at_minor,
            stock: v.stock,
        })
        .collect())
}

/// A visible listing with its live variants, or `NotFound`.
pub async fn product(state: &AppState, id: i64) -> Result<ProductView, AppError> {
    let r: ProductRecord = sqlx::query_as(&format!(
        "SELECT l.id, l.title, l.description, l.currency, l.price_minor, l.compare_at_minor, l.stock_total, \
         l.images_json, l.options_json, c.id AS cat_id, c.parent_id AS cat_parent, c.slug AS cat_slug, \
         c.name_en AS cat_en, c.name_zh AS cat_zh, c.position AS cat_position, {SELLER_COLUMNS} \
         FROM {VISIBLE_FROM} LEFT JOIN seller_profiles p ON p.organisation_id = o.id \
         WHERE l.id = $1 AND {VISIBLE_WHERE}"
    ))
    .bind(id)
    .fetch_optional(state.db.read())
    .await
    .context("loading the product")?
    .ok_or(AppError::NotFound)?;
    let variants = variants(state, id).await?;
    let category = r.category();
    let seller = r.seller.card();
    let trust = crate::trust::judgment::of_listing(state, seller.id, r.id, r.price_minor).await?;
    Ok(ProductView {
        id: r.id,
        title: r.title,
        description: r.description,
        currency: Currency::parse(&r.currency).unwrap_or(state.settings().currency),
        price_minor: r.price_minor,
        compare_at_minor: r.compare_at_minor,
        stock_total: r.stock_total,
        images: serde_json::from_str(&r.images_json).unwrap_or_default(),
        options: serde_json::from_str::<Vec<ListingOption>>(&r.options_json).unwrap_or_default(),
        variants,
        category,
        seller,
        trust,
    })
}

/// An active seller and a page of its visible listings, or `NotFound`.
pub async fn seller(state: &AppState, id: i64, cursor: Option<&str>) -> Result<SellerStore, AppError> {
    let r: SellerRecord = sqlx::query_as(&format!(
        "SELECT {SELLER_COLUMNS} FROM organisations o LEFT JOIN seller_profiles p ON p.organisation_id = o.id \
         WHERE o.id = $1 AND {SELLER_VISIBLE}"
    ))
    .bind(id)
    .fetch_optional(state.db.read())
    .await
    .context("loading the seller")?
    .ok_or(AppError::NotFound)?;
    let query = Query {
        organisation_id: Some(id),
        sort: Some(Sort::Newest),
        cursor: Cursor::parse(cursor),
        limit: PAGE_SIZE,
        ..Default::default()
    };
    Ok(SellerStore { seller: r.card(), page: search::find(state, &query).await? })
}
