//! The storefront's reads. Everything a buyer sees passes the visibility rule below, written once.

use super::model::{
    ancestors, descendants, CategoryData, Cursor, Filters, HomeData, ProductView, SearchResults, SellerCard,
    SellerStore, Sort, VariantView, HOME_FEATURED, HOME_NEWEST, PAGE_SIZE,
};
use super::search::{self, Query};
use crate::categories::model::CategoryNode;
use crate::domain::listing::{ListingOption, MAX_VARIANTS};
use crate::domain::money::Currency;
use crate::error::AppError;
use crate::platform::state::AppState;
use sqlx::any::AnyRow;
use sqlx::Row;

// The visibility rule lives in visibility.rs (search.rs reads it too); still nameable here.
use super::visibility::SELLER_VISIBLE;
pub use super::visibility::{LIVE_STATUSES, VISIBLE_CONTEXT, VISIBLE_FROM, VISIBLE_WHERE};

pub async fn home(state: &AppState) -> Result<HomeData, AppError> {
    let categories = crate::categories::service::tree(state, false).await?;
    let featured =
        search::find(state, &Query { featured_only: true, limit: HOME_FEATURED as u32, ..Default::default() }).await?;
    let newest = search::find(state, &Query { limit: HOME_NEWEST as u32, ..Default::default() }).await?;
    Ok(HomeData { categories, featured: featured.rows, newest: newest.rows })
}

pub struct GridParams<'a> {
    pub filters: Filters,
    pub sort: Option<&'a str>,
    pub cursor: Option<&'a str>,
}

impl GridParams<'_> {
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
pub async fn category(state: &AppState, slug: &str, grid: GridParams<'_>) -> Result<CategoryData, AppError> {
    let tree = crate::categories::service::tree(state, false).await?;
    let category = tree.iter().find(|n| n.slug == slug).cloned().ok_or(AppError::NotFound)?;
    let mut query = grid.query()?;
    query.category_ids = Some(descendants(&tree, category.id));
    let page = search::find(state, &query).await?;
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
    let page = search::find(state, &query).await?;
    Ok(SearchResults { categories, page })
}

fn seller_card(r: &AnyRow) -> Result<SellerCard, AppError> {
    Ok(SellerCard {
        id: r.try_get("org_id")?,
        name: r.try_get("org_name")?,
        region: r.try_get("org_region")?,
        since_ms: r.try_get("org_since")?,
    })
}

const SELLER_COLUMNS: &str = "o.id AS org_id, o.name AS org_name, o.region AS org_region, \
     COALESCE(p.activated_at, o.created_at) AS org_since";

/// A visible listing with its live variants, or `NotFound`.
pub async fn product(state: &AppState, id: i64) -> Result<ProductView, AppError> {
    let db = state.db.read();
    let r = sqlx::query(&format!(
        "SELECT l.id, l.title, l.description, l.currency, l.price_minor, l.compare_at_minor, l.stock_total, \
         l.images_json, l.options_json, c.id AS cat_id, c.parent_id AS cat_parent, c.slug AS cat_slug, \
         c.name_en AS cat_en, c.name_zh AS cat_zh, c.position AS cat_position, {SELLER_COLUMNS} \
         FROM {VISIBLE_FROM} LEFT JOIN seller_profiles p ON p.organisation_id = o.id \
         WHERE l.id = $1 AND {VISIBLE_WHERE}"
    ))
    .bind(id)
    .fetch_optional(db)
    .await?
    .ok_or(AppError::NotFound)?;
    let variants = sqlx::query(
        "SELECT id, sku, options_json, price_minor, compare_at_minor, stock FROM listing_variants \
         WHERE listing_id = $1 AND status = 'active' ORDER BY position, id LIMIT $2",
    )
    .bind(id)
    .bind(MAX_VARIANTS as i64)
    .fetch_all(db)
    .await?
    .iter()
    .map(|v| {
        let options: String = v.try_get("options_json")?;
        Ok(VariantView {
            id: v.try_get("id")?,
            sku: v.try_get("sku")?,
            options: serde_json::from_str(&options).unwrap_or_default(),
            price_minor: v.try_get("price_minor")?,
            compare_at_minor: v.try_get("compare_at_minor")?,
            stock: v.try_get("stock")?,
        })
    })
    .collect::<Result<Vec<_>, AppError>>()?;
    let category = match r.try_get::<Option<i64>, _>("cat_id")? {
        None => None,
        Some(cat_id) => Some(CategoryNode {
            id: cat_id,
            parent_id: r.try_get("cat_parent")?,
            slug: r.try_get("cat_slug")?,
            name_en: r.try_get("cat_en")?,
            name_zh: r.try_get("cat_zh")?,
            browsable: true,
            disabled: false,
            position: r.try_get("cat_position")?,
            depth: 0,
        }),
    };
    let currency: String = r.try_get("currency")?;
    let images: String = r.try_get("images_json")?;
    let options: String = r.try_get("options_json")?;
    Ok(ProductView {
        id: r.try_get("id")?,
        title: r.try_get("title")?,
        description: r.try_get("description")?,
        currency: Currency::parse(&currency).unwrap_or(state.settings.currency),
        price_minor: r.try_get("price_minor")?,
        compare_at_minor: r.try_get("compare_at_minor")?,
        stock_total: r.try_get("stock_total")?,
        images: serde_json::from_str(&images).unwrap_or_default(),
        options: serde_json::from_str::<Vec<ListingOption>>(&options).unwrap_or_default(),
        variants,
        category,
        seller: seller_card(&r)?,
    })
}

/// An active seller and a page of its visible listings, or `NotFound`.
pub async fn seller(state: &AppState, id: i64, cursor: Option<&str>) -> Result<SellerStore, AppError> {
    let r = sqlx::query(&format!(
        "SELECT {SELLER_COLUMNS} FROM organisations o LEFT JOIN seller_profiles p ON p.organisation_id = o.id \
         WHERE o.id = $1 AND {SELLER_VISIBLE}"
    ))
    .bind(id)
    .fetch_optional(state.db.read())
    .await?
    .ok_or(AppError::NotFound)?;
    let query = Query {
        organisation_id: Some(id),
        sort: Some(Sort::Newest),
        cursor: Cursor::parse(cursor),
        limit: PAGE_SIZE,
        ..Default::default()
    };
    Ok(SellerStore { seller: seller_card(&r)?, page: search::find(state, &query).await? })
}
