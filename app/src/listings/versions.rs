//! How a listing and its versions are stored: the listing's lock and state, writing a version's
//! content (and mirroring a never-approved one into the listing row), reading content back.
//!
//! Stored formats other features read: `listing_versions.variants_json` is a JSON array of
//! `domain::listing::Variant`, `options_json` of `ListingOption`, `images_json` of upload ids;
//! `checks_json` is an array of `domain::checks::Finding`.

use crate::domain::listing::{ListingContent, ListingOption, ListingStatus, Variant, VersionStatus};
use crate::domain::money::Currency;
use crate::error::{AppError, Context};
use crate::platform::change::{Change, RowLock};
use sqlx::AnyConnection;

/// Binds a listing copy's columns in the order every statement lists them: title, description,
/// category_id, price_minor, compare_at_minor, currency, weight_grams.
macro_rules! bind_copy {
    ($q:expr, $content:expr) => {
        $q.bind(&$content.title)
            .bind(&$content.description)
            .bind($content.category_id)
            .bind($content.price_minor())
            .bind($content.compare_at_minor())
            .bind($content.currency.code())
            .bind($content.weight_grams)
    };
}
pub(crate) use bind_copy;

pub(super) fn internal(what: &str) -> impl Fn(serde_json::Error) -> AppError + '_ {
    move |e| AppError::internal(format!("stored listing JSON: error={e} what={what}"))
}

pub(super) fn listing_status(s: &str) -> Result<ListingStatus, AppError> {
    ListingStatus::parse(s).ok_or_else(|| AppError::internal(format!("listing with an unknown status: status={s}")))
}

pub(super) fn version_status(s: &str) -> Result<VersionStatus, AppError> {
    VersionStatus::parse(s)
        .ok_or_else(|| AppError::internal(format!("listing version with an unknown status: status={s}")))
}

pub(super) fn currency_of(s: &str) -> Result<Currency, AppError> {
    Currency::parse(s).ok_or_else(|| AppError::internal(format!("listing with an unknown currency: currency={s}")))
}

pub(super) struct Locked {
    pub status: ListingStatus,
    pub live_version_id: Option<i64>,
    pub pending_version_id: Option<i64>,
}

/// Locks listing `id` and its seller, in lock order (the seller first), for an operator's decision
/// about the listing (a take-down, a category correction); returns the seller's organisation id.
pub(crate) async fn lock_with_seller(c: &mut Change, id: i64) -> Result<i64, AppError> {
    let org: i64 = sqlx::query_scalar("SELECT organisation_id FROM listings WHERE id = $1")
        .bind(id)
        .fetch_optional(c.conn())
        .await
        .context("loading the listing")?
        .ok_or(AppError::NotFound)?;
    c.lock(RowLock::Organisation(org)).await?;
    c.lock(RowLock::Listing(id)).await?;
    Ok(org)
}

/// Locks the caller's listing `id` (`RowLock::Listing`) and reads its state inside the change.
/// Another organisation's listing is not found.
pub(super) async fn lock_listing(c: &mut Change, organisation_id: i64, id: i64) -> Result<Locked, AppError> {
    c.lock(RowLock::Listing(id)).await?;
    let r: Option<(String, Option<i64>, Option<i64>)> = sqlx::query_as(
        "SELECT status, live_version_id, pending_version_id FROM listings WHERE id = $1 AND organisation_id = $2",
    )
    .bind(id)
    .bind(organisation_id)
    .fetch_optional(c.conn())
    .await
    .context("loading the listing")?;
    let (status, live_version_id, pending_version_id) = r.ok_or(AppError::NotFound)?;
    Ok(Locked { status: listing_status(&status)?, live_version_id, pending_version_id })
}

pub(super) async fn version_status_in(conn: &mut AnyConnection, version_id: i64) -> Result<VersionStatus, AppError> {
    let s: String = sqlx::query_scalar("SELECT status FROM listing_versions WHERE id = $1")
        .bind(version_id)
        .fetch_one(&mut *conn)
        .await
        .context("reading the version's status")?;
    version_status(&s)
}

pub(super) struct Stored {
    pub options_json: String,
    pub variants_json: String,
    pub images_json: String,
}

pub(super) fn stored(content: &ListingContent) -> Result<Stored, AppError> {
    Ok(Stored {
        options_json: serde_json::to_string(&content.options).map_err(internal("options"))?,
        variants_json: serde_json::to_string(&content.variants).map_err(internal("variants"))?,
        images_json: serde_json::to_string(&content.images).map_err(internal("images"))?,
    })
}

pub(super) async fn insert_version(
    c: &mut Change,
    listing_id: i64,
    number: i64,
    content: &ListingContent,
    user_id: i64,
) -> Result<i64, AppError> {
    let s = stored(content)?;
    let now = c.now_ms();
    bind_copy!(
        sqlx::query_scalar(
            "INSERT INTO listing_versions (listing_id, number, status, title, description, category_id, price_minor, \
         compare_at_minor, currency, weight_grams, options_json, variants_json, images_json, created_by, created_at, \
         updated_at) VALUES ($1, $2, 'draft', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) RETURNING id",
        )
        .bind(listing_id)
        .bind(number),
        content
    )
    .bind(&s.options_json)
    .bind(&s.variants_json)
    .bind(&s.images_json)
    .bind(user_id)
    .bind(now)
    .fetch_one(c.conn())
    .await
    .context("inserting the listing version")
}

pub(super) async fn update_version(c: &mut Change, version_id: i64, content: &ListingContent) -> Result<(), AppError> {
    let s = stored(content)?;
    let now = c.now_ms();
    bind_copy!(
        sqlx::query(
            "UPDATE listing_versions SET title = $1, description = $2, category_id = $3, price_minor = $4, \
         compare_at_minor = $5, currency = $6, weight_grams = $7, options_json = $8, variants_json = $9, \
         images_json = $10, updated_at = $11 WHERE id = $12",
        ),
        content
    )
    .bind(&s.options_json)
    .bind(&s.variants_json)
    .bind(&s.images_json)
    .bind(now)
    .bind(version_id)
    .execute(c.conn())
    .await
    .context("updating the listing version")?;
    Ok(())
}

/// A listing never approved shows its working copy in the table (the storefront never shows it:
/// its status is not live).
pub(super) async fn mirror_into_listing(
    c: &mut Change,
    listing_id: i64,
    content: &ListingContent,
) -> Result<(), AppError> {
    let s = stored(content)?;
    let now = c.now_ms();
    bind_copy!(
sqlx::query(
        "UPDATE listings SET title = $1, description = $2, category_id = $3, price_minor = $4, compare_at_minor = $5, \
         currency = $6, weight_grams = $7, options_json = $8, images_json = $9, stock_total = $10, updated_at = $11 \
         WHERE id = $12",
    ),
content
)
    .bind(&s.options_json)
    .bind(&s.images_json)
    .bind(content.stock_total())
    .bind(now)
    .bind(listing_id)
    .execute(c.conn())
    .await
    .context("mirroring the working copy into the listing")?;
    Ok(())
}

/// The content columns of a `listing_versions` row.
#[derive(sqlx::FromRow)]
pub(super) struct ContentRecord {
    pub title: String,
    pub description: String,
    pub category_id: Option<i64>,
    pub currency: String,
    pub weight_grams: i64,
    pub options_json: String,
    pub variants_json: String,
    pub images_json: String,
}

impl ContentRecord {
    pub(super) fn content(self) -> Result<ListingContent, AppError> {
        Ok(ListingContent {
            title: self.title,
            description: self.description,
            category_id: self.category_id,
            currency: currency_of(&self.currency)?,
            weight_grams: self.weight_grams,
            options: serde_json::from_str::<Vec<ListingOption>>(&self.options_json).map_err(internal("options"))?,
            variants: serde_json::from_str::<Vec<Variant>>(&self.variants_json).map_err(internal("variants"))?,
            images: serde_json::from_str::<Vec<i64>>(&self.images_json).map_err(internal("images"))?,
        })
    }
}

pub(super) async fn content_of_version(conn: &mut AnyConnection, version_id: i64) -> Result<ListingContent, AppError> {
    let r: ContentRecord = sqlx::query_as(
        "SELECT title, description, category_id, currency, weight_grams, options_json, variants_json, images_json \
         FROM listing_versions WHERE id = $1",
    )
    .bind(version_id)
    .fetch_one(&mut *conn)
    .await
    .context("loading the version's content")?;
    r.content()
}
