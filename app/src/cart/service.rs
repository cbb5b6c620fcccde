//! The cart and the address book: their SQL. A signed-in buyer's cart is keyed `u:<user id>`; a
//! guest's `g:<sha256 of a random token>` kept in an HttpOnly cookie, merged into the user's cart at
//! sign-in. Cart edits are the buyer's own scratch state and are not audited; address changes are.

use super::model::{CartLine, CartView, SavedAddress, SellerGroup};
use crate::domain::address::{Address, MAX_ADDRESSES};
use crate::domain::cart::{self, LineNow, MAX_CART_LINES, MAX_QUANTITY};
use crate::error::AppError;
use crate::platform::audit_log::{self, Actor, AuditEntry};
use crate::platform::caller::{self, Caller, RequestMeta};
use crate::platform::state::AppState;
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

/// Guest carts live this long after their last change (the cookie's lifetime).
pub const GUEST_CART_DAYS: i64 = 30;

/// Whose cart a request works on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owner {
    User(i64),
    /// The SHA-256 of the guest token.
    Guest(String),
}

impl Owner {
    pub fn key(&self) -> String {
        match self {
            Owner::User(id) => format!("u:{id}"),
            Owner::Guest(hash) => format!("g:{hash}"),
        }
    }
}

pub fn guest_cookie_name(state: &AppState) -> &'static str {
    if state.settings.secure_cookies {
        "__Host-agora_cart"
    } else {
        "agora_cart"
    }
}

fn guest_token(state: &AppState) -> Option<String> {
    let parts = leptos::prelude::use_context::<http::request::Parts>()?;
    let token = caller::cookie_value(&parts, guest_cookie_name(state))?;
    (token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit())).then_some(token)
}

fn set_guest_cookie(state: &AppState, token: &str, max_age_s: i64) {
    let secure = if state.settings.secure_cookies { "; Secure" } else { "" };
    caller::append_set_cookie(&format!(
        "{}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_s}{secure}",
        guest_cookie_name(state)
    ));
}

/// The cart this request reads: the signed-in user's, the guest cookie's, or none.
pub async fn owner_for_read(state: &AppState) -> Result<Option<Owner>, AppError> {
    if let Some(c) = caller::current_caller(state).await? {
        return Ok(Some(Owner::User(c.user_id)));
    }
    Ok(guest_token(state).map(|t| Owner::Guest(caller::hash_token(&t))))
}

/// The cart this request writes: as `owner_for_read`, creating a guest cart (and its cookie) when
/// there is none.
pub async fn owner_for_write(state: &AppState) -> Result<Owner, AppError> {
    if let Some(owner) = owner_for_read(state).await? {
        if let Owner::Guest(_) = owner {
            // Each change extends the guest cart's life.
            if let Some(token) = guest_token(state) {
                set_guest_cookie(state, &token, GUEST_CART_DAYS * 86_400);
            }
        }
        return Ok(owner);
    }
    let token = caller::new_token();
    set_guest_cookie(state, &token, GUEST_CART_DAYS * 86_400);
    Ok(Owner::Guest(caller::hash_token(&token)))
}

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

pub(super) fn raw_line(r: &AnyRow) -> Result<RawLine, AppError> {
    let listing_status: String = r.try_get("listing_status")?;
    let variant_status: String = r.try_get("variant_status")?;
    let seller_status: String = r.try_get("seller_status")?;
    let category_ok: i64 = r.try_get("category_ok")?;
    let seller_suspended = seller_status != "active";
    let buyable = matches!(listing_status.as_str(), "active" | "sold_out")
        && !seller_suspended
        && category_ok == 1
        && variant_status == "active";
    let images: Vec<i64> = serde_json::from_str(&r.try_get::<String, _>("images_json")?).unwrap_or_default();
    let (quantity, price_seen, price_now, stock): (i64, i64, i64, i64) =
        (r.try_get("quantity")?, r.try_get("price_seen_minor")?, r.try_get("price_minor")?, r.try_get("stock")?);
    let warnings = cart::warnings(&LineNow {
        quantity,
        price_seen_minor: price_seen,
        price_now_minor: price_now,
        stock,
        buyable,
        seller_suspended,
    });
    Ok(RawLine {
        line: CartLine {
            id: r.try_get("id")?,
            variant_id: r.try_get("variant_id")?,
            listing_id: r.try_get("listing_id")?,
            title: r.try_get("title")?,
            variant_label: variant_label(&r.try_get::<String, _>("options_json")?),
            sku: r.try_get("sku")?,
            image: images.first().copied(),
            quantity,
            selected: r.try_get::<i64, _>("selected")? == 1,
            price_minor: price_now,
            price_seen_minor: price_seen,
            stock,
            warnings,
        },
        organisation_id: r.try_get("organisation_id")?,
        seller_name: r.try_get("seller_name")?,
        category_id: r.try_get("category_id")?,
    })
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
    let rows = sqlx::query(&sql).bind(owner_key).fetch_all(&mut *conn).await?;
    rows.iter().map(raw_line).collect()
}

pub async fn cart(state: &AppState, owner: Option<&Owner>) -> Result<CartView, AppError> {
    let groups = match owner {
        None => vec![],
        Some(owner) => {
            let mut conn = state.db.read().acquire().await?;
            group(read_lines(&mut conn, &owner.key(), false).await?)
        }
    };
    Ok(CartView { currency: state.settings.currency, groups, shipping_fee_minor: state.settings.shipping_fee_minor })
}

/// How many units the cart holds (the header's badge).
pub async fn count(state: &AppState, owner: Option<&Owner>) -> Result<i64, AppError> {
    let Some(owner) = owner else { return Ok(0) };
    Ok(sqlx::query_scalar("SELECT CAST(COALESCE(SUM(quantity), 0) AS BIGINT) FROM cart_items WHERE owner_key = $1")
        .bind(owner.key())
        .fetch_one(state.db.read())
        .await?)
}

/// A live, buyable variant's price and stock, or why it cannot be added.
async fn buyable_variant(conn: &mut AnyConnection, variant_id: i64) -> Result<(i64, i64), AppError> {
    let row = sqlx::query(&format!(
        "SELECT v.price_minor, v.stock FROM listing_variants v JOIN {} WHERE v.id = $1 AND v.status = 'active' AND {}",
        "listings l ON l.id = v.listing_id JOIN organisations o ON o.id = l.organisation_id \
         LEFT JOIN categories c ON c.id = l.category_id",
        crate::storefront::visibility::VISIBLE_WHERE
    ))
    .bind(variant_id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| AppError::invalid("variant_id", "cart.variant_unavailable"))?;
    Ok((row.try_get("price_minor")?, row.try_get("stock")?))
}

/// Adds `quantity` of a variant; the same variant already in the cart merges into its line. The
/// merged quantity must stay within stock and `MAX_QUANTITY`.
pub async fn add(state: &AppState, owner: &Owner, variant_id: i64, quantity: &str) -> Result<i64, AppError> {
    let now = state.now_ms();
    let key = owner.key();
    let mut tx = state.db.begin().await?;
    let (price, stock) = buyable_variant(&mut tx, variant_id).await?;
    let quantity = cart::parse_quantity(quantity, None).map_err(|code| AppError::invalid("quantity", code))?;
    let existing: Option<i64> =
        sqlx::query_scalar("SELECT quantity FROM cart_items WHERE owner_key = $1 AND variant_id = $2")
            .bind(&key)
            .bind(variant_id)
            .fetch_optional(&mut *tx)
            .await?;
    let total = existing.unwrap_or(0) + quantity;
    if total > MAX_QUANTITY {
        return Err(AppError::invalid("quantity", "cart.quantity_too_large"));
    }
    if total > stock {
        return Err(AppError::invalid("quantity", "cart.beyond_stock"));
    }
    if existing.is_some() {
        sqlx::query(
            "UPDATE cart_items SET quantity = $1, price_seen_minor = $2, selected = 1, updated_at = $3 \
             WHERE owner_key = $4 AND variant_id = $5",
        )
        .bind(total)
        .bind(price)
        .bind(now)
        .bind(&key)
        .bind(variant_id)
        .execute(&mut *tx)
        .await?;
    } else {
        let lines: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM cart_items WHERE owner_key = $1")
            .bind(&key)
            .fetch_one(&mut *tx)
            .await?;
        if lines >= MAX_CART_LINES as i64 {
            return Err(AppError::conflict("cart.full"));
        }
        sqlx::query(
            "INSERT INTO cart_items (owner_key, variant_id, quantity, selected, price_seen_minor, added_at, updated_at) \
             VALUES ($1, $2, $3, 1, $4, $5, $5)",
        )
        .bind(&key)
        .bind(variant_id)
        .bind(total)
        .bind(price)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    let units: i64 =
        sqlx::query_scalar("SELECT CAST(COALESCE(SUM(quantity), 0) AS BIGINT) FROM cart_items WHERE owner_key = $1")
            .bind(&key)
            .fetch_one(&mut *tx)
            .await?;
    tx.commit().await?;
    Ok(units)
}

/// The variant's stock, for a line of this owner's cart (404 for anyone else's line).
async fn own_line_stock(conn: &mut AnyConnection, key: &str, item_id: i64) -> Result<i64, AppError> {
    sqlx::query_scalar(
        "SELECT v.stock FROM cart_items ci JOIN listing_variants v ON v.id = ci.variant_id WHERE ci.id = $1 AND ci.owner_key = $2",
    )
    .bind(item_id)
    .bind(key)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)
}

pub async fn set_quantity(state: &AppState, owner: &Owner, item_id: i64, quantity: &str) -> Result<(), AppError> {
    let key = owner.key();
    let mut tx = state.db.begin().await?;
    let stock = own_line_stock(&mut tx, &key, item_id).await?;
    let quantity = cart::parse_quantity(quantity, Some(stock)).map_err(|code| AppError::invalid("quantity", code))?;
    sqlx::query("UPDATE cart_items SET quantity = $1, updated_at = $2 WHERE id = $3 AND owner_key = $4")
        .bind(quantity)
        .bind(state.now_ms())
        .bind(item_id)
        .bind(&key)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn remove(state: &AppState, owner: &Owner, item_id: i64) -> Result<(), AppError> {
    let mut tx = state.db.begin().await?;
    let n = sqlx::query("DELETE FROM cart_items WHERE id = $1 AND owner_key = $2")
        .bind(item_id)
        .bind(owner.key())
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if n == 0 {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(())
}

/// Selects or unselects one line, or every line when `item_id` is `None`.
pub async fn select(state: &AppState, owner: &Owner, item_id: Option<i64>, selected: bool) -> Result<(), AppError> {
    let mut tx = state.db.begin().await?;
    let flag = i64::from(selected);
    let n = match item_id {
        Some(id) => sqlx::query("UPDATE cart_items SET selected = $1 WHERE id = $2 AND owner_key = $3")
            .bind(flag)
            .bind(id)
            .bind(owner.key())
            .execute(&mut *tx)
            .await?
            .rows_affected(),
        None => {
            sqlx::query("UPDATE cart_items SET selected = $1 WHERE owner_key = $2")
                .bind(flag)
                .bind(owner.key())
                .execute(&mut *tx)
                .await?;
            1
        }
    };
    if n == 0 {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(())
}

/// The buyer has seen the new price: it becomes the line's seen price.
pub async fn accept_price(state: &AppState, owner: &Owner, item_id: i64) -> Result<(), AppError> {
    let mut tx = state.db.begin().await?;
    let n = sqlx::query(
        "UPDATE cart_items SET price_seen_minor = (SELECT v.price_minor FROM listing_variants v WHERE v.id = cart_items.variant_id), \
         updated_at = $1 WHERE id = $2 AND owner_key = $3",
    )
    .bind(state.now_ms())
    .bind(item_id)
    .bind(owner.key())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if n == 0 {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(())
}

/// At sign-in (and sign-up): moves the guest cart of this request's cookie into `user_id`'s cart.
/// The same variant merges (quantities add, up to `MAX_QUANTITY`); lines past `MAX_CART_LINES` are
/// dropped. The guest cart and its cookie are gone afterwards. Never fails the sign-in: a problem is
/// logged and the guest cart stays.
pub async fn merge_guest_cart(state: &AppState, user_id: i64) {
    let Some(token) = guest_token(state) else { return };
    let guest = Owner::Guest(caller::hash_token(&token));
    match merge(state, &guest, &Owner::User(user_id)).await {
        Ok(()) => set_guest_cookie(state, "", 0),
        Err(e) => tracing::warn!(error = %e, "merging a guest cart at sign-in failed"),
    }
}

pub async fn merge(state: &AppState, from: &Owner, into: &Owner) -> Result<(), AppError> {
    let now = state.now_ms();
    let (from_key, into_key) = (from.key(), into.key());
    let mut tx = state.db.begin().await?;
    let rows = sqlx::query(
        "SELECT variant_id, quantity, selected, price_seen_minor FROM cart_items WHERE owner_key = $1 ORDER BY id",
    )
    .bind(&from_key)
    .fetch_all(&mut *tx)
    .await?;
    for r in &rows {
        let (variant_id, quantity, selected, price_seen): (i64, i64, i64, i64) =
            (r.try_get("variant_id")?, r.try_get("quantity")?, r.try_get("selected")?, r.try_get("price_seen_minor")?);
        let existing: Option<i64> =
            sqlx::query_scalar("SELECT quantity FROM cart_items WHERE owner_key = $1 AND variant_id = $2")
                .bind(&into_key)
                .bind(variant_id)
                .fetch_optional(&mut *tx)
                .await?;
        match existing {
            Some(q) => {
                sqlx::query("UPDATE cart_items SET quantity = $1, selected = 1, updated_at = $2 WHERE owner_key = $3 AND variant_id = $4")
                    .bind((q + quantity).min(MAX_QUANTITY))
                    .bind(now)
                    .bind(&into_key)
                    .bind(variant_id)
                    .execute(&mut *tx)
                    .await?;
            }
            None => {
                let lines: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM cart_items WHERE owner_key = $1")
                    .bind(&into_key)
                    .fetch_one(&mut *tx)
                    .await?;
                if lines >= MAX_CART_LINES as i64 {
                    continue;
                }
                sqlx::query(
                    "INSERT INTO cart_items (owner_key, variant_id, quantity, selected, price_seen_minor, added_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $6)",
                )
                .bind(&into_key)
                .bind(variant_id)
                .bind(quantity.min(MAX_QUANTITY))
                .bind(selected)
                .bind(price_seen)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
        }
    }
    sqlx::query("DELETE FROM cart_items WHERE owner_key = $1").bind(&from_key).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------------
// The address book.

pub(super) fn address_of(r: &AnyRow) -> Result<SavedAddress, AppError> {
    Ok(SavedAddress {
        id: r.try_get("id")?,
        address: Address {
            recipient: r.try_get("recipient")?,
            phone: r.try_get("phone")?,
            line1: r.try_get("line1")?,
            line2: r.try_get("line2")?,
            city: r.try_get("city")?,
            region: r.try_get("region")?,
            postal_code: r.try_get("postal_code")?,
            country: r.try_get("country")?,
        },
        is_default: r.try_get::<i64, _>("is_default")? == 1,
    })
}

const ADDRESS_COLUMNS: &str = "id, recipient, phone, line1, line2, city, region, postal_code, country, is_default";

/// The buyer's addresses, the default first (at most `MAX_ADDRESSES`).
pub async fn addresses(conn: &mut AnyConnection, user_id: i64) -> Result<Vec<SavedAddress>, AppError> {
    let rows = sqlx::query(&format!(
        "SELECT {ADDRESS_COLUMNS} FROM addresses WHERE user_id = $1 AND removed_at IS NULL \
         ORDER BY is_default DESC, id LIMIT {MAX_ADDRESSES}"
    ))
    .bind(user_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(address_of).collect()
}

/// One of the buyer's own, not removed, addresses (404 otherwise).
pub async fn own_address(conn: &mut AnyConnection, user_id: i64, id: i64) -> Result<SavedAddress, AppError> {
    let row = sqlx::query(&format!(
        "SELECT {ADDRESS_COLUMNS} FROM addresses WHERE id = $1 AND user_id = $2 AND removed_at IS NULL"
    ))
    .bind(id)
    .bind(user_id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    address_of(&row)
}

#[allow(clippy::too_many_arguments)]
async fn audit(
    conn: &mut AnyConnection,
    caller: &Caller,
    meta: &RequestMeta,
    now: i64,
    action: &str,
    id: i64,
    before: serde_json::Value,
    after: serde_json::Value,
) -> Result<(), AppError> {
    audit_log::record(
        conn,
        &Actor::of(caller),
        meta,
        now,
        AuditEntry {
            action,
            target_type: "address",
            target_id: id.to_string(),
            before,
            after,
            reason: "",
            result: "ok",
        },
    )
    .await?;
    Ok(())
}

async fn clear_default(conn: &mut AnyConnection, user_id: i64, now: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE addresses SET is_default = 0, updated_at = $1 WHERE user_id = $2 AND is_default = 1")
        .bind(now)
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Adds (`id` None) or edits an address. The first address, or one saved with `make_default`,
/// becomes the default.
pub async fn save_address(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    id: Option<i64>,
    address: &Address,
    make_default: bool,
) -> Result<i64, AppError> {
    let now = state.now_ms();
    let user = caller.user_id;
    let mut tx = state.db.begin().await?;
    // Serialises this buyer's address-book writes (on PostgreSQL) so "first address is the
    // default" and the limit hold under concurrent requests.
    sqlx::query("UPDATE users SET updated_at = updated_at WHERE id = $1").bind(user).execute(&mut *tx).await?;
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM addresses WHERE user_id = $1 AND removed_at IS NULL")
        .bind(user)
        .fetch_one(&mut *tx)
        .await?;
    let id = match id {
        None => {
            if count >= MAX_ADDRESSES {
                return Err(AppError::conflict("address.too_many"));
            }
            let is_default = make_default || count == 0;
            if is_default {
                clear_default(&mut tx, user, now).await?;
            }
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO addresses (user_id, recipient, phone, line1, line2, city, region, postal_code, country, \
                 is_default, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id",
            )
            .bind(user)
            .bind(&address.recipient)
            .bind(&address.phone)
            .bind(&address.line1)
            .bind(&address.line2)
            .bind(&address.city)
            .bind(&address.region)
            .bind(&address.postal_code)
            .bind(&address.country)
            .bind(i64::from(is_default))
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            audit(
                &mut tx,
                caller,
                meta,
                now,
                "address.create",
                id,
                json!({}),
                json!({"address": address, "default": is_default}),
            )
            .await?;
            id
        }
        Some(id) => {
            let before = own_address(&mut tx, user, id).await?;
            if make_default && !before.is_default {
                clear_default(&mut tx, user, now).await?;
            }
            sqlx::query(
                "UPDATE addresses SET recipient = $1, phone = $2, line1 = $3, line2 = $4, city = $5, region = $6, \
                 postal_code = $7, country = $8, is_default = $9, updated_at = $10 WHERE id = $11 AND user_id = $12",
            )
            .bind(&address.recipient)
            .bind(&address.phone)
            .bind(&address.line1)
            .bind(&address.line2)
            .bind(&address.city)
            .bind(&address.region)
            .bind(&address.postal_code)
            .bind(&address.country)
            .bind(i64::from(make_default || before.is_default))
            .bind(now)
            .bind(id)
            .bind(user)
            .execute(&mut *tx)
            .await?;
            audit(
                &mut tx,
                caller,
                meta,
                now,
                "address.update",
                id,
                json!({"address": before.address}),
                json!({"address": address}),
            )
            .await?;
            id
        }
    };
    tx.commit().await?;
    Ok(id)
}

pub async fn set_default_address(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    id: i64,
) -> Result<(), AppError> {
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    sqlx::query("UPDATE users SET updated_at = updated_at WHERE id = $1")
        .bind(caller.user_id)
        .execute(&mut *tx)
        .await?;
    let before = own_address(&mut tx, caller.user_id, id).await?;
    if !before.is_default {
        clear_default(&mut tx, caller.user_id, now).await?;
        sqlx::query("UPDATE addresses SET is_default = 1, updated_at = $1 WHERE id = $2")
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audit(
            &mut tx,
            caller,
            meta,
            now,
            "address.set_default",
            id,
            json!({"default": false}),
            json!({"default": true}),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Removes an address (kept for orders that shipped to it: their copy is frozen anyway). When it was
/// the default, the oldest remaining address becomes the default.
pub async fn remove_address(state: &AppState, caller: &Caller, meta: &RequestMeta, id: i64) -> Result<(), AppError> {
    let now = state.now_ms();
    let user = caller.user_id;
    let mut tx = state.db.begin().await?;
    sqlx::query("UPDATE users SET updated_at = updated_at WHERE id = $1").bind(user).execute(&mut *tx).await?;
    let before = own_address(&mut tx, user, id).await?;
    sqlx::query("UPDATE addresses SET removed_at = $1, is_default = 0, updated_at = $1 WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if before.is_default {
        sqlx::query(
            "UPDATE addresses SET is_default = 1, updated_at = $1 WHERE id = (SELECT MIN(id) FROM addresses \
             WHERE user_id = $2 AND removed_at IS NULL)",
        )
        .bind(now)
        .bind(user)
        .execute(&mut *tx)
        .await?;
    }
    audit(
        &mut tx,
        caller,
        meta,
        now,
        "address.remove",
        id,
        json!({"address": before.address}),
        json!({"removed": true}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
