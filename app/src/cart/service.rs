//! The cart: whose it is and what it holds now. A signed-in buyer's cart is keyed `u:<user id>`; a
//! guest's `g:<sha256 of a random token>` kept in an HttpOnly cookie, merged into the user's cart at
//! sign-in. Cart edits (`lines`) are the buyer's own scratch state and are not audited; address
//! changes (`addresses`) are. Their functions are re-exported here so `cart::service::*` keeps working.

use super::model::{CartLine, CartView, SellerGroup};
use crate::domain::cart::{self, LineNow, MAX_CART_LINES};
use crate::error::{AppError, Context};
use crate::platform::caller;
use crate::platform::state::AppState;
use sqlx::AnyConnection;

pub use super::addresses::{addresses, own_address, remove_address, save_address, set_default_address};
pub use super::lines::{accept_price, add, merge, remove, select, set_quantity};
pub use super::owner::{guest_cookie_name, owner_for_read, owner_for_write, Owner, GUEST_CART_DAYS};
use super::owner::{guest_token, set_guest_cookie};

/// The cart lines of `owner_key` joined with what is true now: price, stock, the storefront
/// visibility rule and the seller's status. `selected_only` for checkout.
pub(super) const LINES_SQL: &str = "SELECT ci.id, ci.variant_id, ci.quantity, ci.selected, ci.price_seen_minor, \
     v.sku, v.options_json, v.price_minor, v.stock, v.status AS variant_status, \
     l.id AS listing_id, l.title, l.images_json, l.status AS listing_status, l.category_id, \
     o.id AS organisation_id, o.name AS seller_name, o.status AS seller_status, \
     CASE WHEN l.category_id IS NULL OR c.browsable = 1 THEN 1 ELSE 0 END AS category_ok \
     FROM cart_items ci JOIN listing_variants v ON v.id = ci.variant_id \
     JOIN listings l ON l.id = v.listing_id JOIN organisations o ON o.id = l.organisation_id \
     LEFT JOIN categories c ON c.id = l.category_id WHERE ci.owner_key = $1";

/// A cart line as read, with its seller.
pub(super) struct RawLine {
    pub line: CartLine,
    pub organisation_id: i64,
    pub seller_name: String,
    pub category_id: Option<i64>,
}

pub(super) fn variant_label(options_json: &str) -> String {
    serde_json::from_str::<Vec<String>>(options_json).unwrap_or_default().join(" / ")
}

/// A row of `LINES_SQL`.
#[derive(sqlx::FromRow)]
struct LineRecord {
    id: i64,
    variant_id: i64,
    quantity: i64,
    selected: i64,
    price_seen_minor: i64,
    sku: String,
    options_json: String,
    price_minor: i64,
    stock: i64,
    variant_status: String,
    listing_id: i64,
    title: String,
    images_json: String,
    listing_status: String,
    category_id: Option<i64>,
    organisation_id: i64,
    seller_name: String,
    seller_status: String,
    category_ok: i64,
}

impl LineRecord {
    /// The line with what is wrong with it now (`domain::cart::warnings`).
    fn raw(self) -> RawLine {
        let seller_suspended = self.seller_status != "active";
        let buyable = matches!(self.listing_status.as_str(), "active" | "sold_out")
            && !seller_suspended
            && self.category_ok == 1
            && self.variant_status == "active";
        let images: Vec<i64> = serde_json::from_str(&self.images_json).unwrap_or_default();
        let warnings = cart::warnings(&LineNow {
            quantity: self.quantity,
            price_seen_minor: self.price_seen_minor,
            price_now_minor: self.price_minor,
            stock: self.stock,
            buyable,
            seller_suspended,
        });
        RawLine {
            line: CartLine {
                id: self.id,
                variant_id: self.variant_id,
                listing_id: self.listing_id,
                title: self.title,
                variant_label: variant_label(&self.options_json),
                sku: self.sku,
                image: images.first().copied(),
                quantity: self.quantity,
                selected: self.selected == 1,
                price_minor: self.price_minor,
                price_seen_minor: self.price_seen_minor,
                stock: self.stock,
                warnings,
            },
            organisation_id: self.organisation_id,
            seller_name: self.seller_name,
            category_id: self.category_id,
        }
    }
}

/// Groups lines by seller, sellers in the order their first line was added.
pub(super) fn group(lines: Vec<RawLine>) -> Vec<SellerGroup> {
    let mut groups: Vec<SellerGroup> = vec![];
    for raw in lines {
        match groups.iter_mut().find(|g| g.organisation_id == raw.organisation_id) {
            Some(g) => g.lines.push(raw.line),
            None => groups.push(SellerGroup {
                organisation_id: raw.organisation_id,
                seller_name: raw.seller_name,
                lines: vec![raw.line],
            }),
        }
    }
    groups
}

pub(super) async fn read_lines(
    conn: &mut AnyConnection,
    owner_key: &str,
    selected_only: bool,
) -> Result<Vec<RawLine>, AppError> {
    let sql = format!(
        "{LINES_SQL}{} ORDER BY ci.id LIMIT {}",
        if selected_only { " AND ci.selected = 1" } else { "" },
        MAX_CART_LINES
    );
    let records: Vec<LineRecord> =
        sqlx::query_as(&sql).bind(owner_key).fetch_all(&mut *conn).await.context("reading the cart's lines")?;
    Ok(records.into_iter().map(LineRecord::raw).collect())
}

pub async fn cart(state: &AppState, owner: Option<&Owner>) -> Result<CartView, AppError> {
    let groups = match owner {
        None => vec![],
        Some(owner) => {
            let mut conn = state.db.read().acquire().await.context("opening a read connection")?;
            group(read_lines(&mut conn, &owner.key(), false).await?)
        }
    };
    Ok(CartView {
        currency: state.settings().currency,
        groups,
        shipping_fee_minor: state.settings().shipping_fee_minor,
    })
}

/// How many units the cart holds (the header's badge).
pub async fn count(state: &AppState, owner: Option<&Owner>) -> Result<i64, AppError> {
    let Some(owner) = owner else { return Ok(0) };
    sqlx::query_scalar("SELECT CAST(COALESCE(SUM(quantity), 0) AS BIGINT) FROM cart_items WHERE owner_key = $1")
        .bind(owner.key())
        .fetch_one(state.db.read())
        .await
        .context("counting the cart's units")
}

/// At sign-in (and sign-up): moves the guest cart of this request's cookie into `user_id`'s cart
/// (`lines::merge`). The guest cart and its cookie are gone afterwards. Never fails the sign-in: a
/// problem is logged and the guest cart stays.
pub async fn merge_guest_cart(state: &AppState, user_id: i64) {
    let Some(token) = guest_token(state) else { return };
    let guest = Owner::Guest(caller::hash_token(&token));
    match merge(state, &guest, &Owner::User(user_id)).await {
        Ok(()) => set_guest_cookie(state, "", 0),
        Err(e) => tracing::warn!(error = %e, "merging a guest cart at sign-in failed"),
    }
}
