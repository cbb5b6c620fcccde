//! The buyer's address book. Each change is a `Change` by the buyer under the buyer's row lock (so
//! "the first address is the default" and the limit hold under concurrent requests), audited with
//! the address before and after.

use super::model::SavedAddress;
use crate::domain::address::{Address, MAX_ADDRESSES};
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::error::{AppError, Context};
use crate::platform::caller::{Caller, RequestMeta};
use crate::platform::change::{Audit, Change, RowLock};
use crate::platform::state::AppState;
use serde_json::json;
use sqlx::{AnyConnection, Row};

/// An `addresses` row as `ADDRESS_COLUMNS` selects it.
#[derive(sqlx::FromRow)]
struct AddressRecord {
    id: i64,
    recipient: String,
    phone: String,
    line1: String,
    line2: String,
    city: String,
    region: String,
    postal_code: String,
    country: String,
    is_default: i64,
}

impl AddressRecord {
    fn saved(self) -> SavedAddress {
        SavedAddress {
            id: self.id,
            address: Address {
                recipient: self.recipient,
                phone: self.phone,
                line1: self.line1,
                line2: self.line2,
                city: self.city,
                region: self.region,
                postal_code: self.postal_code,
                country: self.country,
            },
            is_default: self.is_default == 1,
        }
    }
}

const ADDRESS_COLUMNS: &str = "id, recipient, phone, line1, line2, city, region, postal_code, country, is_default";

/// The buyer's addresses, the default first (at most `MAX_ADDRESSES`).
pub async fn addresses(conn: &mut AnyConnection, user_id: i64) -> Result<Vec<SavedAddress>, AppError> {
    let records: Vec<AddressRecord> = sqlx::query_as(&format!(
        "SELECT {ADDRESS_COLUMNS} FROM addresses WHERE user_id = $1 AND removed_at IS NULL \
         ORDER BY is_default DESC, id LIMIT {MAX_ADDRESSES}"
    ))
    .bind(user_id)
    .fetch_all(&mut *conn)
    .await
    .context("loading the address book")?;
    Ok(records.into_iter().map(AddressRecord::saved).collect())
}

/// One of the buyer's own, not removed, addresses (404 otherwise).
pub async fn own_address(conn: &mut AnyConnection, user_id: i64, id: i64) -> Result<SavedAddress, AppError> {
    let record: Option<AddressRecord> = sqlx::query_as(&format!(
        "SELECT {ADDRESS_COLUMNS} FROM addresses WHERE id = $1 AND user_id = $2 AND removed_at IS NULL"
    ))
    .bind(id)
    .bind(user_id)
    .fetch_optional(&mut *conn)
    .await
    .context("loading the address")?;
    Ok(record.ok_or(AppError::NotFound)?.saved())
}

/// A change by the buyer holding the buyer's row lock: this buyer's address-book writes (and
/// checkouts) line up.
async fn by_buyer(state: &AppState, caller: &Caller, meta: &RequestMeta) -> Result<Change, AppError> {
    let mut c = Change::by_caller(state, caller, meta).await?;
    c.lock(RowLock::User(caller.user_id)).await.context("locking the buyer")?;
    Ok(c)
}

type Query<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

/// Binds the address's fields as `$1`..`$8` in column order (recipient .. country).
fn bind_address<'q>(q: Query<'q>, a: &'q Address) -> Query<'q> {
    q.bind(&a.recipient)
        .bind(&a.phone)
        .bind(&a.line1)
        .bind(&a.line2)
        .bind(&a.city)
        .bind(&a.region)
        .bind(&a.postal_code)
        .bind(&a.country)
}

async fn clear_default(conn: &mut AnyConnection, user_id: i64, now: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE addresses SET is_default = 0, updated_at = $1 WHERE user_id = $2 AND is_default = 1")
        .bind(now)
        .bind(user_id)
        .execute(&mut *conn)
        .await
        .context("clearing the default address")?;
    Ok(())
}

async fn create(c: &mut Change, user: i64, address: &Address, make_default: bool) -> Result<i64, AppError> {
    let now = c.now_ms();
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM addresses WHERE user_id = $1 AND removed_at IS NULL")
        .bind(user)
        .fetch_one(c.conn())
        .await
        .context("counting the addresses")?;
    if count >= MAX_ADDRESSES {
        return Err(AppError::conflict("address.too_many"));
    }
    let is_default = make_default || count == 0;
    if is_default {
        clear_default(c.conn(), user, now).await?;
    }
    let insert = sqlx::query(
        "INSERT INTO addresses (recipient, phone, line1, line2, city, region, postal_code, country, user_id, \
         is_default, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id",
    );
    let id: i64 = bind_address(insert, address)
        .bind(user)
        .bind(i64::from(is_default))
        .bind(now)
        .fetch_one(c.conn())
        .await
        .context("adding the address")?
        .try_get("id")?;
    let audit = Audit::new(AuditAction::AddressCreate, AuditTarget::Address(id))
        .before(json!({}))
        .after(json!({"address": address, "default": is_default}));
    c.audit(audit).await?;
    Ok(id)
}

async fn update(c: &mut Change, user: i64, id: i64, address: &Address, make_default: bool) -> Result<(), AppError> {
    let now = c.now_ms();
    let before = own_address(c.conn(), user, id).await?;
    if make_default && !before.is_default {
        clear_default(c.conn(), user, now).await?;
    }
    let update = sqlx::query(
        "UPDATE addresses SET recipient = $1, phone = $2, line1 = $3, line2 = $4, city = $5, region = $6, \
         postal_code = $7, country = $8, is_default = $9, updated_at = $10 WHERE id = $11 AND user_id = $12",
    );
    bind_address(update, address)
        .bind(i64::from(make_default || before.is_default))
        .bind(now)
        .bind(id)
        .bind(user)
        .execute(c.conn())
        .await
        .context("updating the address")?;
    let audit = Audit::new(AuditAction::AddressUpdate, AuditTarget::Address(id))
        .before(json!({"address": before.address}))
        .after(json!({"address": address}));
    c.audit(audit).await?;
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
    let mut c = by_buyer(state, caller, meta).await?;
    let id = match id {
        None => create(&mut c, caller.user_id, address, make_default).await?,
        Some(id) => {
            update(&mut c, caller.user_id, id, address, make_default).await?;
            id
        }
    };
    c.commit().await?;
    Ok(id)
}

pub async fn set_default_address(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    id: i64,
) -> Result<(), AppError> {
    let mut c = by_buyer(state, caller, meta).await?;
    let now = c.now_ms();
    let before = own_address(c.conn(), caller.user_id, id).await?;
    if before.is_default {
        // Already the default: nothing changes, nothing to audit (the change rolls back).
        return Ok(());
    }
    clear_default(c.conn(), caller.user_id, now).await?;
    sqlx::query("UPDATE addresses SET is_default = 1, updated_at = $1 WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(c.conn())
        .await
        .context("making the address the default")?;
    let audit = Audit::new(AuditAction::AddressSetDefault, AuditTarget::Address(id))
        .before(json!({"default": false}))
        .after(json!({"default": true}));
    c.audit(audit).await?;
    c.commit().await
}

/// Removes an address (kept for orders that shipped to it: their copy is frozen anyway). When it was
/// the default, the oldest remaining address becomes the default.
pub async fn remove_address(state: &AppState, caller: &Caller, meta: &RequestMeta, id: i64) -> Result<(), AppError> {
    let user = caller.user_id;
    let mut c = by_buyer(state, caller, meta).await?;
    let now = c.now_ms();
    let before = own_address(c.conn(), user, id).await?;
    sqlx::query("UPDATE addresses SET removed_at = $1, is_default = 0, updated_at = $1 WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(c.conn())
        .await
        .context("removing the address")?;
    if before.is_default {
        sqlx::query(
            "UPDATE addresses SET is_default = 1, updated_at = $1 WHERE id = (SELECT MIN(id) FROM addresses \
             WHERE user_id = $2 AND removed_at IS NULL)",
        )
        .bind(now)
        .bind(user)
        .execute(c.conn())
        .await
        .context("choosing the next default address")?;
    }
    let audit = Audit::new(AuditAction::AddressRemove, AuditTarget::Address(id))
        .before(json!({"address": before.address}))
        .after(json!({"removed": true}));
    c.audit(audit).await?;
    c.commit().await
}
