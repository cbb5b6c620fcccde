//! The storefront's server functions: all public (anyone may browse), all reads. Each parses its
//! query-string input into typed values, then calls the service.

use super::model::{CategoryData, HomeData, ProductView, SearchResults, SellerStore};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::{model::Filters, service, service::GridParams};
#[cfg(feature = "ssr")]
use crate::platform::state::app_state;

/// Browsable categories, featured and newest listings.
#[server(prefix = "/api", endpoint = "storefront_home")]
pub async fn storefront_home() -> Result<HomeData, AppError> {
    let state = app_state()?;
    service::home(&state).await
}

/// A browsable category (by slug) with breadcrumbs, subcategories and a page of its listings and its
/// descendants' (filters as in `storefront_search`, without text).
#[server(prefix = "/api", endpoint = "storefront_category")]
pub async fn storefront_category(
    slug: String,
    min: Option<String>,
    max: Option<String>,
    in_stock: Option<String>,
    sort: Option<String>,
    cursor: Option<String>,
) -> Result<CategoryData, AppError> {
    let state = app_state()?;
    let filters = Filters::parse(None, min.as_deref(), max.as_deref(), in_stock.as_deref(), state.settings().currency)?;
    let grid = GridParams { filters, sort: sort.as_deref(), cursor: cursor.as_deref() };
    service::category(&state, slug.trim(), grid).await
}

/// Search: `q` (title and description), `category` (a slug; includes subcategories), `min`/`max`
/// (prices as typed), `in_stock` (`1`), `sort` (`relevance`, `newest`, `price_asc`, `price_desc`) and
/// the keyset `cursor` of the previous page.
#[server(prefix = "/api", endpoint = "storefront_search")]
pub async fn storefront_search(
    q: Option<String>,
    category: Option<String>,
    min: Option<String>,
    max: Option<String>,
    in_stock: Option<String>,
    sort: Option<String>,
    cursor: Option<String>,
) -> Result<SearchResults, AppError> {
    let state = app_state()?;
    let filters =
        Filters::parse(q.as_deref(), min.as_deref(), max.as_deref(), in_stock.as_deref(), state.settings().currency)?;
    let grid = GridParams { filters, sort: sort.as_deref(), cursor: cursor.as_deref() };
    service::search(&state, category.as_deref(), grid).await
}

/// A visible listing with its live variants and seller; `NotFound` otherwise.
#[server(prefix = "/api", endpoint = "storefront_listing")]
pub async fn storefront_listing(id: i64) -> Result<ProductView, AppError> {
    let state = app_state()?;
    service::product(&state, id).await
}

/// An active seller and a page of its visible listings; `NotFound` otherwise.
#[server(prefix = "/api", endpoint = "storefront_seller")]
pub async fn storefront_seller(id: i64, cursor: Option<String>) -> Result<SellerStore, AppError> {
    let state = app_state()?;
    service::seller(&state, id, cursor.as_deref()).await
}
