//! Editing the cart's lines: add, quantity, remove, select, accept a new price, and merging a guest
//! cart into the buyer's. The buyer's own scratch state: each edit is one `Change::unaudited`.

use super::owner::Owner;
use crate::domain::cart::{self, MAX_CART_LINES, MAX_QUANTITY};
use crate::error::{AppError, Context};
use crate::platform::change::Change;
use crate::platform::state::AppState;
use sqlx::AnyConnection;

const WHY: &str = "the buyer's own cart: scratch state, not audited";

/// A buyer's edit, which maintenance mode pauses like any other change (the merge at sign-in is not
/// one: signing in keeps working).
async fn edit(state: &AppState, owner: &Owner) -> Result<Change, AppError> {
    let user = match owner {
        Owner::User(id) => Some(*id),
        Owner::Guest(_) => None,
    };
    crate::platform::maintenance::check_writes(state, user).await?;
    Change::unaudited(state, WHY).await
}

/// A live, buyable variant's price and stock, or why it cannot be added.
async fn buyable_variant(conn: &mut AnyConnection, variant_id: i64) -> Result<(i64, i64), AppError> {
    let row: Option<(i64, i64)> = sqlx::query_as(&format!(
        "SELECT v.price_minor, v.stock FROM listing_variants v JOIN {} WHERE v.id = $1 AND v.status = 'active' AND {}",
        "listings l ON l.id = v.listing_id JOIN organisations o ON o.id = l.organisation_id \
         LEFT JOIN categories c ON c.id = l.category_id",
        crate::storefront::visibility::VISIBLE_WHERE
    ))
    .bind(variant_id)
    .fetch_optional(&mut *conn)
    .await
    .context("reading the variant to add")?;
    row.ok_or_else(|| AppError::invalid("variant_id", "cart.variant_unavailable"))
}

async fn quantity_in_cart(conn: &mut AnyConnection, key: &str, variant_id: i64) -> Result<Option<i64>, AppError> {
    sqlx::query_scalar("SELECT quantity FROM cart_items WHERE owner_key = $1 AND variant_id = $2")
        .bind(key)
        .bind(variant_id)
        .fetch_optional(&mut *conn)
        .await
        .context("reading the variant's line")
}

async fn line_count(conn: &mut AnyConnection, key: &str) -> Result<i64, AppError> {
    sqlx::query_scalar("SELECT COUNT(*) FROM cart_items WHERE owner_key = $1")
        .bind(key)
        .fetch_one(&mut *conn)
        .await
        .context("counting the cart's lines")
}

async fn insert_line(
    conn: &mut AnyConnection,
    key: &str,
    variant_id: i64,
    (quantity, selected, price_seen): (i64, i64, i64),
    now: i64,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO cart_items (owner_key, variant_id, quantity, selected, price_seen_minor, added_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6)",
    )
    .bind(key)
    .bind(variant_id)
    .bind(quantity)
    .bind(selected)
    .bind(price_seen)
    .bind(now)
    .execute(&mut *conn)
    .await
    .context("adding the cart line")?;
    Ok(())
}

/// Adds `quantity` of a variant; the same variant already in the cart merges into its line. The
/// merged quantity must stay within stock and `MAX_QUANTITY`.
pub async fn add(state: &AppState, owner: &Owner, variant_id: i64, quantity: &str) -> Result<i64, AppError> {
    let key = owner.key();
    let mut c = edit(state, owner).await?;
    let now = c.now_ms();
    let (price, stock) = buyable_variant(c.conn(), variant_id).await?;
    let quantity = cart::parse_quantity(quantity, None).map_err(|code| AppError::invalid("quantity", code))?;
    let existing = quantity_in_cart(c.conn(), &key, variant_id).await?;
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
        .execute(c.conn())
        .await
        .context("adding to the cart line")?;
    } else {
        if line_count(c.conn(), &key).await? >= MAX_CART_LINES as i64 {
            return Err(AppError::conflict("cart.full"));
        }
        insert_line(c.conn(), &key, variant_id, (total, 1, price), now).await?;
    }
    let units: i64 =
        sqlx::query_scalar("SELECT CAST(COALESCE(SUM(quantity), 0) AS BIGINT) FROM cart_items WHERE owner_key = $1")
            .bind(&key)
            .fetch_one(c.conn())
            .await
            .context("counting the cart's units")?;
    c.commit().await?;
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
    .await
    .context("reading the cart line's stock")?
    .ok_or(AppError::NotFound)
}

pub async fn set_quantity(state: &AppState, owner: &Owner, item_id: i64, quantity: &str) -> Result<(), AppError> {
    let key = owner.key();
    let mut c = edit(state, owner).await?;
    let now = c.now_ms();
    let stock = own_line_stock(c.conn(), &key, item_id).await?;
    let quantity = cart::parse_quantity(quantity, Some(stock)).map_err(|code| AppError::invalid("quantity", code))?;
    sqlx::query("UPDATE cart_items SET quantity = $1, updated_at = $2 WHERE id = $3 AND owner_key = $4")
        .bind(quantity)
        .bind(now)
        .bind(item_id)
        .bind(&key)
        .execute(c.conn())
        .await
        .context("changing the line's quantity")?;
    c.commit().await
}

/// Commits `c` when its statement touched a line of the owner's cart; `NotFound` (and nothing
/// written) otherwise.
async fn commit_if_found(c: Change, rows: u64) -> Result<(), AppError> {
    if rows == 0 {
        return Err(AppError::NotFound);
    }
    c.commit().await
}

pub async fn remove(state: &AppState, owner: &Owner, item_id: i64) -> Result<(), AppError> {
    let mut c = edit(state, owner).await?;
    let n = sqlx::query("DELETE FROM cart_items WHERE id = $1 AND owner_key = $2")
        .bind(item_id)
        .bind(owner.key())
        .execute(c.conn())
        .await
        .context("removing the cart line")?
        .rows_affected();
    commit_if_found(c, n).await
}

/// Selects or unselects one line, or every line when `item_id` is `None`.
pub async fn select(state: &AppState, owner: &Owner, item_id: Option<i64>, selected: bool) -> Result<(), AppError> {
    let mut c = edit(state, owner).await?;
    let flag = i64::from(selected);
    let n = match item_id {
        Some(id) => sqlx::query("UPDATE cart_items SET selected = $1 WHERE id = $2 AND owner_key = $3")
            .bind(flag)
            .bind(id)
            .bind(owner.key())
            .execute(c.conn())
            .await
            .context("selecting the cart line")?
            .rows_affected(),
        None => {
            sqlx::query("UPDATE cart_items SET selected = $1 WHERE owner_key = $2")
                .bind(flag)
                .bind(owner.key())
                .execute(c.conn())
                .await
                .context("selecting every cart line")?;
            1
        }
    };
    commit_if_found(c, n).await
}

/// The buyer has seen the new price: it becomes the line's seen price.
pub async fn accept_price(state: &AppState, owner: &Owner, item_id: i64) -> Result<(), AppError> {
    let mut c = edit(state, owner).await?;
    let now = c.now_ms();
    let n = sqlx::query(
        "UPDATE cart_items SET price_seen_minor = (SELECT v.price_minor FROM listing_variants v WHERE v.id = cart_items.variant_id), \
         updated_at = $1 WHERE id = $2 AND owner_key = $3",
    )
    .bind(now)
    .bind(item_id)
    .bind(owner.key())
    .execute(c.conn())
    .await
    .context("accepting the new price")?
    .rows_affected();
    commit_if_found(c, n).await
}

/// Moves the cart `from` into the cart `into`. The same variant merges (quantities add, up to
/// `MAX_QUANTITY`); lines past `MAX_CART_LINES` are dropped. The `from` cart is gone afterwards.
pub async fn merge(state: &AppState, from: &Owner, into: &Owner) -> Result<(), AppError> {
    let (from_key, into_key) = (from.key(), into.key());
    let mut c = Change::unaudited(state, WHY).await?;
    let now = c.now_ms();
    let rows: Vec<(i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT variant_id, quantity, selected, price_seen_minor FROM cart_items WHERE owner_key = $1 ORDER BY id",
    )
    .bind(&from_key)
    .fetch_all(c.conn())
    .await
    .context("reading the guest cart")?;
    for (variant_id, quantity, selected, price_seen) in rows {
        match quantity_in_cart(c.conn(), &into_key, variant_id).await? {
            Some(q) => {
                sqlx::query("UPDATE cart_items SET quantity = $1, selected = 1, updated_at = $2 WHERE owner_key = $3 AND variant_id = $4")
                    .bind((q + quantity).min(MAX_QUANTITY))
                    .bind(now)
                    .bind(&into_key)
                    .bind(variant_id)
                    .execute(c.conn())
                    .await
                    .context("merging into the buyer's line")?;
            }
            None => {
                if line_count(c.conn(), &into_key).await? >= MAX_CART_LINES as i64 {
                    continue;
                }
                let line = (quantity.min(MAX_QUANTITY), selected, price_seen);
                insert_line(c.conn(), &into_key, variant_id, line, now).await?;
            }
        }
    }
    sqlx::query("DELETE FROM cart_items WHERE owner_key = $1")
        .bind(&from_key)
        .execute(c.conn())
        .await
        .context("removing the guest cart")?;
    c.commit().await
}
