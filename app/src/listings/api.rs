//! Server functions of the seller center. Every one needs a member of a seller organisation
//! (`require_seller`); listings are reached only through the caller's organisation, so another
//! seller's listing answers 404 exactly as a missing one. Saving and submitting need an active seller.

use super::model::{ListingRow, MyListing, SellerSummary};
use crate::domain::page::Page;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::{model, service};
#[cfg(feature = "ssr")]
use crate::domain::seller::SellerRight;
#[cfg(feature = "ssr")]
use crate::platform::seller_access::require_seller;

/// Creates (`id` absent) or saves a listing. `listing_json` is a `domain::listing::RawListing`;
/// images are the seller's own upload ids. Returns the listing id.
#[server(prefix = "/api", endpoint = "save_listing")]
pub async fn save_listing(id: Option<i64>, listing_json: String) -> Result<i64, AppError> {
    let sctx = require_seller(SellerRight::EditListings).await?;
    let raw = model::parse_listing_json(&listing_json)?;
    service::save_listing(&sctx, id, &raw).await
}

/// Sends the listing's draft (or fixed rejected) version to review, with the automated checks' evidence.
#[server(prefix = "/api", endpoint = "submit_listing")]
pub async fn submit_listing(id: i64) -> Result<(), AppError> {
    let sctx = require_seller(SellerRight::EditListings).await?;
    service::submit_listing(&sctx, id).await
}

/// One of the caller's listings with every version, its decision and evidence.
#[server(prefix = "/api", endpoint = "get_my_listing")]
pub async fn get_my_listing(id: i64) -> Result<MyListing, AppError> {
    let sctx = require_seller(SellerRight::ViewListings).await?;
    service::get_my_listing(&sctx.ctx.state, sctx.membership.organisation_id, id).await
}

/// The caller's listings newest first; `status` is a listing status or empty for all.
#[server(prefix = "/api", endpoint = "list_my_listings")]
pub async fn list_my_listings(status: Option<String>, cursor: Option<String>) -> Result<Page<ListingRow>, AppError> {
    let sctx = require_seller(SellerRight::ViewListings).await?;
    let status = model::parse_status_filter(status.as_deref())?;
    service::list_my_listings(&sctx.ctx.state, sctx.membership.organisation_id, status, cursor.as_deref()).await
}

/// Takes an active listing off sale (`active` = false) or puts an inactive one back.
#[server(prefix = "/api", endpoint = "set_listing_availability")]
pub async fn set_listing_availability(id: i64, active: bool) -> Result<(), AppError> {
    let sctx = require_seller(SellerRight::EditListings).await?;
    service::set_availability(&sctx, id, active).await
}

/// The seller's status and checklist figures for `/seller`. A signed-in user who is not a seller
/// member gets 403 (the page then invites them to apply).
#[server(prefix = "/api", endpoint = "seller_home")]
pub async fn seller_home() -> Result<SellerSummary, AppError> {
    let sctx = require_seller(SellerRight::ViewListings).await?;
    service::seller_home(&sctx).await
}
