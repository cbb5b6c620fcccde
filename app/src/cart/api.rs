//! Server functions of the cart, the address book and checkout. The cart is public (a guest's lives
//! behind an HttpOnly cookie); addresses and checkout need a signed-in buyer and only ever touch the
//! caller's own rows.

// A server function takes its form fields as arguments; the browser-side stub the macro generates
// does not carry a per-function allow, hence this one for the file.
#![allow(clippy::too_many_arguments)]

use super::model::{CartView, CheckoutResult, CheckoutView, SavedAddress};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::{checkout as co, service};
#[cfg(feature = "ssr")]
use crate::platform::caller::require_signed_in;
#[cfg(feature = "ssr")]
use crate::platform::state::app_state;

/// The caller's cart (signed in or guest) with current prices and warnings. Public.
#[server(prefix = "/api", endpoint = "get_cart")]
pub async fn get_cart() -> Result<CartView, AppError> {
    let state = app_state()?;
    let owner = service::owner_for_read(&state).await?;
    service::cart(&state, owner.as_ref()).await
}

/// Units in the caller's cart, for the header. Public.
#[server(prefix = "/api", endpoint = "cart_count")]
pub async fn cart_count() -> Result<i64, AppError> {
    let state = app_state()?;
    let owner = service::owner_for_read(&state).await?;
    service::count(&state, owner.as_ref()).await
}

/// Adds a live variant; the same variant merges into its line. Answers the cart's units. Public.
#[server(prefix = "/api", endpoint = "add_to_cart")]
pub async fn add_to_cart(variant_id: i64, quantity: String) -> Result<i64, AppError> {
    let state = app_state()?;
    let owner = service::owner_for_write(&state).await?;
    service::add(&state, &owner, variant_id, &quantity).await
}

/// Public; a line of another cart answers 404.
#[server(prefix = "/api", endpoint = "set_cart_quantity")]
pub async fn set_cart_quantity(item_id: i64, quantity: String) -> Result<(), AppError> {
    let state = app_state()?;
    let owner = service::owner_for_read(&state).await?.ok_or(AppError::NotFound)?;
    service::set_quantity(&state, &owner, item_id, &quantity).await
}

#[server(prefix = "/api", endpoint = "remove_cart_item")]
pub async fn remove_cart_item(item_id: i64) -> Result<(), AppError> {
    let state = app_state()?;
    let owner = service::owner_for_read(&state).await?.ok_or(AppError::NotFound)?;
    service::remove(&state, &owner, item_id).await
}

/// Selects (or unselects) one line for checkout, or every line when `item_id` is absent.
#[server(prefix = "/api", endpoint = "select_cart_items")]
pub async fn select_cart_items(item_id: Option<i64>, selected: bool) -> Result<(), AppError> {
    let state = app_state()?;
    let owner = service::owner_for_read(&state).await?.ok_or(AppError::NotFound)?;
    service::select(&state, &owner, item_id, selected).await
}

/// The buyer accepts a line's new price.
#[server(prefix = "/api", endpoint = "accept_cart_price")]
pub async fn accept_cart_price(item_id: i64) -> Result<(), AppError> {
    let state = app_state()?;
    let owner = service::owner_for_read(&state).await?.ok_or(AppError::NotFound)?;
    service::accept_price(&state, &owner, item_id).await
}

#[server(prefix = "/api", endpoint = "list_addresses")]
pub async fn list_addresses() -> Result<Vec<SavedAddress>, AppError> {
    let ctx = require_signed_in().await?;
    let mut conn = ctx.state.db.read().acquire().await?;
    service::addresses(&mut conn, ctx.caller.user_id).await
}

/// Adds (no `id`) or edits one of the caller's addresses. `make_default` is a checkbox.
#[allow(clippy::too_many_arguments)]
#[server(prefix = "/api", endpoint = "save_address")]
pub async fn save_address(
    id: Option<i64>,
    recipient: String,
    phone: String,
    line1: String,
    #[server(default)] line2: String,
    city: String,
    #[server(default)] region: String,
    #[server(default)] postal_code: String,
    country: String,
    make_default: Option<String>,
) -> Result<i64, AppError> {
    let ctx = require_signed_in().await?;
    let raw = crate::domain::address::Address { recipient, phone, line1, line2, city, region, postal_code, country };
    let address =
        crate::domain::address::Address::parse(&raw).map_err(|(field, code)| AppError::invalid(field, code))?;
    let make_default = make_default.is_some_and(|v| !v.is_empty() && v != "false");
    service::save_address(&ctx.state, &ctx.caller, &ctx.meta, id, &address, make_default).await
}

#[server(prefix = "/api", endpoint = "set_default_address")]
pub async fn set_default_address(id: i64) -> Result<(), AppError> {
    let ctx = require_signed_in().await?;
    service::set_default_address(&ctx.state, &ctx.caller, &ctx.meta, id).await
}

#[server(prefix = "/api", endpoint = "remove_address")]
pub async fn remove_address(id: i64) -> Result<(), AppError> {
    let ctx = require_signed_in().await?;
    service::remove_address(&ctx.state, &ctx.caller, &ctx.meta, id).await
}

/// What the checkout page shows, with a fresh idempotency key for this rendering.
#[server(prefix = "/api", endpoint = "checkout_preview")]
pub async fn checkout_preview() -> Result<CheckoutView, AppError> {
    let ctx = require_signed_in().await?;
    co::preview(&ctx.state, &ctx.caller).await
}

/// The contract: the selected cart lines become one order per seller and one payment. The same key
/// with the same request answers the first result; with another cart, `idempotency.key_reused`.
#[server(prefix = "/api", endpoint = "checkout")]
pub async fn checkout(
    idempotency_key: String,
    address_id: i64,
    payment_method: String,
) -> Result<CheckoutResult, AppError> {
    let ctx = require_signed_in().await?;
    let key = crate::domain::payment::parse_idempotency_key(&idempotency_key)
        .map_err(|_| AppError::invalid("idempotency_key", "checkout.bad_idempotency_key"))?;
    let provider = co::parse_provider(&ctx.state, &ctx.caller, &payment_method).await?;
    co::checkout(&ctx.state, &ctx.caller, &ctx.meta, &key, address_id, provider).await
}
