//! The seller center's queries and mutations. Every listing is reached through the caller's
//! organisation (`WHERE id = $1 AND organisation_id = $2`), so another seller's listing is simply not
//! found. Each mutation is one transaction: the change, its audit record, and the search index.
//!
//! Stored formats other features read: `listing_versions.variants_json` is a JSON array of
//! `domain::listing::Variant`, `options_json` of `ListingOption`, `images_json` of upload ids;
//! `checks_json` is an array of `domain::checks::Finding`.

use super::model::{ListingRow, MyListing, SellerSummary, VersionView, MAX_VERSIONS_SHOWN};
use crate::domain::checks::{self, CheckContext, Finding, Severity};
use crate::domain::listing::{
    ListingAction, ListingContent, ListingOption, ListingStatus, RawListing, Variant, VersionStatus,
};
use crate::domain::money::Currency;
use crate::domain::page::{page_size, parse_id_cursor, Page};
use crate::domain::seller::SellerStatus;
use crate::error::AppError;
use crate::platform::audit_log::{self, Actor, AuditEntry};
use crate::platform::search_index;
use crate::platform::seller_access::SellerCtx;
use crate::platform::state::AppState;
use crate::platform::uploads::own_listing_images;
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

/// How much of the seller's history the checks look at.
const HISTORY_LIMIT: i64 = 1_000;

fn internal(what: &str) -> impl Fn(serde_json::Error) -> AppError + '_ {
    move |e| AppError::internal(format!("stored listing JSON: error={e} what={what}"))
}

fn listing_status(s: &str) -> Result<ListingStatus, AppError> {
    ListingStatus::parse(s).ok_or_else(|| AppError::internal(format!("listing with an unknown status: status={s}")))
}

fn version_status(s: &str) -> Result<VersionStatus, AppError> {
    VersionStatus::parse(s)
        .ok_or_else(|| AppError::internal(format!("listing version with an unknown status: status={s}")))
}

fn currency_of(s: &str) -> Result<Currency, AppError> {
    Currency::parse(s).ok_or_else(|| AppError::internal(format!("listing with an unknown currency: currency={s}")))
}

/// Saving and submitting need a seller that may sell.
fn require_active(sctx: &SellerCtx) -> Result<(), AppError> {
    if sctx.membership.status == SellerStatus::Active {
        Ok(())
    } else {
        Err(AppError::conflict("seller_center.seller_not_active"))
    }
}

/// Validates the form: the domain rules, then what needs the database (the category exists and is
/// enabled; every image is this seller's own upload).
pub async fn validate(state: &AppState, organisation_id: i64, raw: &RawListing) -> Result<ListingContent, AppError> {
    let content =
        ListingContent::parse(raw, state.settings.currency).map_err(|(field, code)| AppError::invalid(&field, code))?;
    if let Some(category_id) = content.category_id {
        let status: Option<String> = sqlx::query_scalar("SELECT status FROM categories WHERE id = $1")
            .bind(category_id)
            .fetch_optional(state.db.read())
            .await?;
        match status.as_deref() {
            None => return Err(AppError::invalid("category_id", "seller_center.unknown_category")),
            Some("active") => {}
            Some(_) => return Err(AppError::invalid("category_id", "seller_center.category_disabled")),
        }
    }
    let own = own_listing_images(state, organisation_id, &content.images).await?;
    if own.len() != content.images.len() {
        return Err(AppError::invalid("images", "seller_center.foreign_image"));
    }
    Ok(content)
}

struct Locked {
    status: ListingStatus,
    live_version_id: Option<i64>,
    pending_version_id: Option<i64>,
}

/// Locks the caller's listing `id` (a row lock on PostgreSQL; SQLite has one writer) and reads its
/// state inside the transaction. Another organisation's listing is not found.
async fn lock_listing(conn: &mut AnyConnection, organisation_id: i64, id: i64) -> Result<Locked, AppError> {
    let n = sqlx::query("UPDATE listings SET updated_at = updated_at WHERE id = $1 AND organisation_id = $2")
        .bind(id)
        .bind(organisation_id)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    if n == 0 {
        return Err(AppError::NotFound);
    }
    let r = sqlx::query("SELECT status, live_version_id, pending_version_id FROM listings WHERE id = $1")
        .bind(id)
        .fetch_one(&mut *conn)
        .await?;
    let status: String = r.try_get("status")?;
    Ok(Locked {
        status: listing_status(&status)?,
        live_version_id: r.try_get("live_version_id")?,
        pending_version_id: r.try_get("pending_version_id")?,
    })
}

async fn version_status_in(conn: &mut AnyConnection, version_id: i64) -> Result<VersionStatus, AppError> {
    let s: String = sqlx::query_scalar("SELECT status FROM listing_versions WHERE id = $1")
        .bind(version_id)
        .fetch_one(&mut *conn)
        .await?;
    version_status(&s)
}

struct Stored {
    options_json: String,
    variants_json: String,
    images_json: String,
}

fn stored(content: &ListingContent) -> Result<Stored, AppError> {
    Ok(Stored {
        options_json: serde_json::to_string(&content.options).map_err(internal("options"))?,
        variants_json: serde_json::to_string(&content.variants).map_err(internal("variants"))?,
        images_json: serde_json::to_string(&content.images).map_err(internal("images"))?,
    })
}

async fn insert_version(
    conn: &mut AnyConnection,
    listing_id: i64,
    number: i64,
    content: &ListingContent,
    user_id: i64,
    now: i64,
) -> Result<i64, AppError> {
    let s = stored(content)?;
    Ok(sqlx::query_scalar(
        "INSERT INTO listing_versions (listing_id, number, status, title, description, category_id, price_minor, \
         compare_at_minor, currency, weight_grams, options_json, variants_json, images_json, created_by, created_at, \
         updated_at) VALUES ($1, $2, 'draft', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) RETURNING id",
    )
    .bind(listing_id)
    .bind(number)
    .bind(&content.title)
    .bind(&content.description)
    .bind(content.category_id)
    .bind(content.price_minor())
    .bind(content.compare_at_minor())
    .bind(content.currency.code())
    .bind(content.weight_grams)
    .bind(&s.options_json)
    .bind(&s.variants_json)
    .bind(&s.images_json)
    .bind(user_id)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?)
}

async fn update_version(
    conn: &mut AnyConnection,
    version_id: i64,
    content: &ListingContent,
    now: i64,
) -> Result<(), AppError> {
    let s = stored(content)?;
    sqlx::query(
        "UPDATE listing_versions SET title = $1, description = $2, category_id = $3, price_minor = $4, \
         compare_at_minor = $5, currency = $6, weight_grams = $7, options_json = $8, variants_json = $9, \
         images_json = $10, updated_at = $11 WHERE id = $12",
    )
    .bind(&content.title)
    .bind(&content.description)
    .bind(content.category_id)
    .bind(content.price_minor())
    .bind(content.compare_at_minor())
    .bind(content.currency.code())
    .bind(content.weight_grams)
    .bind(&s.options_json)
    .bind(&s.variants_json)
    .bind(&s.images_json)
    .bind(now)
    .bind(version_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A listing never approved shows its working copy in the table (the storefront never shows it:
/// its status is not live).
async fn mirror_into_listing(
    conn: &mut AnyConnection,
    listing_id: i64,
    content: &ListingContent,
    now: i64,
) -> Result<(), AppError> {
    let s = stored(content)?;
    sqlx::query(
        "UPDATE listings SET title = $1, description = $2, category_id = $3, price_minor = $4, compare_at_minor = $5, \
         currency = $6, weight_grams = $7, options_json = $8, images_json = $9, stock_total = $10, updated_at = $11 \
         WHERE id = $12",
    )
    .bind(&content.title)
    .bind(&content.description)
    .bind(content.category_id)
    .bind(content.price_minor())
    .bind(content.compare_at_minor())
    .bind(content.currency.code())
    .bind(content.weight_grams)
    .bind(&s.options_json)
    .bind(&s.images_json)
    .bind(content.stock_total())
    .bind(now)
    .bind(listing_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

fn summary(content: &ListingContent) -> serde_json::Value {
    json!({
        "title": content.title,
        "category_id": content.category_id,
        "price_minor": content.price_minor(),
        "stock_total": content.stock_total(),
        "variants": content.variants.len(),
        "images": content.images.len(),
    })
}

/// Creates a listing (`id` = None) or saves an edit. See the module doc of `seller_center` for the
/// version rules: an editable pending version is updated in place; a live listing without one gets a
/// new draft version while the live copy stays; a version in review or a blocked listing refuses.
pub async fn save_listing(sctx: &SellerCtx, id: Option<i64>, raw: &RawListing) -> Result<i64, AppError> {
    require_active(sctx)?;
    let state = &sctx.ctx.state;
    let org = sctx.membership.organisation_id;
    let user = sctx.ctx.caller.user_id;
    let content = validate(state, org, raw).await?;
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    let (listing_id, version_id, before) = match id {
        None => {
            let s = stored(&content)?;
            let listing_id: i64 = sqlx::query_scalar(
                "INSERT INTO listings (organisation_id, status, title, description, category_id, price_minor, \
                 compare_at_minor, currency, weight_grams, options_json, images_json, stock_total, created_by, \
                 created_at, updated_at) VALUES ($1, 'draft', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) \
                 RETURNING id",
            )
            .bind(org)
            .bind(&content.title)
            .bind(&content.description)
            .bind(content.category_id)
            .bind(content.price_minor())
            .bind(content.compare_at_minor())
            .bind(content.currency.code())
            .bind(content.weight_grams)
            .bind(&s.options_json)
            .bind(&s.images_json)
            .bind(content.stock_total())
            .bind(user)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            let version_id = insert_version(&mut tx, listing_id, 1, &content, user, now).await?;
            sqlx::query("UPDATE listings SET pending_version_id = $1 WHERE id = $2")
                .bind(version_id)
                .bind(listing_id)
                .execute(&mut *tx)
                .await?;
            (listing_id, version_id, serde_json::Value::Null)
        }
        Some(listing_id) => {
            let locked = lock_listing(&mut tx, org, listing_id).await?;
            if !locked.status.is_editable() {
                return Err(AppError::conflict("seller_center.blocked"));
            }
            let pending = match locked.pending_version_id {
                Some(v) => Some((v, version_status_in(&mut tx, v).await?)),
                None => None,
            };
            let version_id = match pending {
                Some((_, VersionStatus::PendingReview)) => return Err(AppError::conflict("listings.in_review")),
                Some((v, s)) if s.is_editable() => {
                    update_version(&mut tx, v, &content, now).await?;
                    v
                }
                _ => {
                    let number: i64 = sqlx::query_scalar(
                        "SELECT COALESCE(MAX(number), 0) + 1 FROM listing_versions WHERE listing_id = $1",
                    )
                    .bind(listing_id)
                    .fetch_one(&mut *tx)
                    .await?;
                    let v = insert_version(&mut tx, listing_id, number, &content, user, now).await?;
                    sqlx::query("UPDATE listings SET pending_version_id = $1 WHERE id = $2")
                        .bind(v)
                        .bind(listing_id)
                        .execute(&mut *tx)
                        .await?;
                    v
                }
            };
            if locked.live_version_id.is_none() {
                mirror_into_listing(&mut tx, listing_id, &content, now).await?;
            } else {
                sqlx::query("UPDATE listings SET updated_at = $1 WHERE id = $2")
                    .bind(now)
                    .bind(listing_id)
                    .execute(&mut *tx)
                    .await?;
            }
            (
                listing_id,
                version_id,
                json!({"status": locked.status.as_str(), "pending_version_id": locked.pending_version_id}),
            )
        }
    };
    let mut after = summary(&content);
    after["version_id"] = json!(version_id);
    audit_log::record(
        &mut tx,
        &Actor::of(&sctx.ctx.caller),
        &sctx.ctx.meta,
        now,
        AuditEntry {
            action: "listings.save",
            target_type: "listing",
            target_id: listing_id.to_string(),
            before,
            after,
            reason: "",
            result: "ok",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(listing_id)
}

fn median(mut prices: Vec<i64>) -> Option<i64> {
    if prices.is_empty() {
        return None;
    }
    prices.sort_unstable();
    let n = prices.len();
    Some(if n % 2 == 1 { prices[n / 2] } else { (prices[n / 2 - 1] + prices[n / 2]) / 2 })
}

/// What the checks know of the seller's history besides this listing.
async fn check_context(conn: &mut AnyConnection, org: i64, listing_id: i64) -> Result<CheckContext, AppError> {
    let prices: Vec<i64> = sqlx::query_scalar(
        "SELECT price_minor FROM listings WHERE organisation_id = $1 AND id <> $2 \
         AND status IN ('active', 'sold_out') ORDER BY id DESC LIMIT $3",
    )
    .bind(org)
    .bind(listing_id)
    .bind(HISTORY_LIMIT)
    .fetch_all(&mut *conn)
    .await?;
    let titles: Vec<String> = sqlx::query_scalar(
        "SELECT title FROM listings WHERE organisation_id = $1 AND id <> $2 AND status <> 'blocked' \
         ORDER BY id DESC LIMIT $3",
    )
    .bind(org)
    .bind(listing_id)
    .bind(HISTORY_LIMIT)
    .fetch_all(&mut *conn)
    .await?;
    Ok(CheckContext { seller_median_price_minor: median(prices), seller_other_titles: titles })
}

async fn content_of_version(conn: &mut AnyConnection, version_id: i64) -> Result<ListingContent, AppError> {
    let r = sqlx::query(
        "SELECT title, description, category_id, currency, weight_grams, options_json, variants_json, images_json \
         FROM listing_versions WHERE id = $1",
    )
    .bind(version_id)
    .fetch_one(&mut *conn)
    .await?;
    content_of_row(&r)
}

fn content_of_row(r: &AnyRow) -> Result<ListingContent, AppError> {
    let currency: String = r.try_get("currency")?;
    let options: String = r.try_get("options_json")?;
    let variants: String = r.try_get("variants_json")?;
    let images: String = r.try_get("images_json")?;
    Ok(ListingContent {
        title: r.try_get("title")?,
        description: r.try_get("description")?,
        category_id: r.try_get("category_id")?,
        currency: currency_of(&currency)?,
        weight_grams: r.try_get("weight_grams")?,
        options: serde_json::from_str::<Vec<ListingOption>>(&options).map_err(internal("options"))?,
        variants: serde_json::from_str::<Vec<Variant>>(&variants).map_err(internal("variants"))?,
        images: serde_json::from_str::<Vec<i64>>(&images).map_err(internal("images"))?,
    })
}

/// Sends the listing's draft or rejected version to review: runs the automated checks against the
/// seller's history, stores their evidence and risk on the version, starts the review clock.
pub async fn submit_listing(sctx: &SellerCtx, id: i64) -> Result<(), AppError> {
    require_active(sctx)?;
    let state = &sctx.ctx.state;
    let org = sctx.membership.organisation_id;
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    let locked = lock_listing(&mut tx, org, id).await?;
    if locked.status == ListingStatus::Blocked {
        return Err(AppError::conflict("seller_center.blocked"));
    }
    let Some(version_id) = locked.pending_version_id else {
        return Err(AppError::conflict("seller_center.nothing_to_submit"));
    };
    let from = version_status_in(&mut tx, version_id).await?;
    if from == VersionStatus::PendingReview {
        return Err(AppError::conflict("listings.in_review"));
    }
    let to = from.decide(VersionStatus::PendingReview).map_err(|e| AppError::conflict(e.code()))?;
    // A listing never approved (or rejected) goes to review itself; a live one stays live meanwhile.
    let listing_to = match locked.status {
        ListingStatus::Draft | ListingStatus::Rejected => {
            locked.status.apply(ListingAction::Submit).map_err(|e| AppError::conflict(e.code()))?
        }
        other => other,
    };
    let content = content_of_version(&mut tx, version_id).await?;
    let ctx = check_context(&mut tx, org, id).await?;
    let findings = checks::run(&content, &ctx);
    let risk = checks::risk(&findings);
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count() as i64;
    let (warnings, blocking) = (count(Severity::Warning), count(Severity::Blocking));
    let checks_json = serde_json::to_string(&findings).map_err(internal("checks"))?;
    let sla_due_at = now.saturating_add(state.settings.review_sla_ms);
    let n = sqlx::query(
        "UPDATE listing_versions SET status = $1, submitted_at = $2, sla_due_at = $3, risk = $4, checks_json = $5, \
         warning_count = $6, blocking_count = $7, decided_at = NULL, decided_by = NULL, updated_at = $2 \
         WHERE id = $8 AND status = $9",
    )
    .bind(to.as_str())
    .bind(now)
    .bind(sla_due_at)
    .bind(risk.as_str())
    .bind(&checks_json)
    .bind(warnings)
    .bind(blocking)
    .bind(version_id)
    .bind(from.as_str())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if n != 1 {
        return Err(AppError::conflict("listings.in_review"));
    }
    sqlx::query("UPDATE listings SET status = $1, updated_at = $2 WHERE id = $3")
        .bind(listing_to.as_str())
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    audit_log::record(
        &mut tx,
        &Actor::of(&sctx.ctx.caller),
        &sctx.ctx.meta,
        now,
        AuditEntry {
            action: "listings.submit",
            target_type: "listing",
            target_id: id.to_string(),
            before: json!({"status": locked.status.as_str(), "version_id": version_id, "version_status": from.as_str()}),
            after: json!({
                "status": listing_to.as_str(),
                "version_id": version_id,
                "version_status": to.as_str(),
                "risk": risk.as_str(),
                "warnings": warnings,
                "blocking": blocking,
                "sla_due_at": sla_due_at,
            }),
            reason: "",
            result: "ok",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Takes a live listing off sale or puts it back; the search index follows in the same transaction.
pub async fn set_availability(sctx: &SellerCtx, id: i64, active: bool) -> Result<(), AppError> {
    if active {
        require_active(sctx)?;
    }
    let state = &sctx.ctx.state;
    let org = sctx.membership.organisation_id;
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    let locked = lock_listing(&mut tx, org, id).await?;
    let action = if active { ListingAction::Reactivate } else { ListingAction::Deactivate };
    let to = locked.status.apply(action).map_err(|e| AppError::conflict(e.code()))?;
    let n = sqlx::query("UPDATE listings SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4")
        .bind(to.as_str())
        .bind(now)
        .bind(id)
        .bind(locked.status.as_str())
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if n != 1 {
        return Err(AppError::conflict("listings.transition_refused"));
    }
    let backend = state.db.backend;
    if to.is_live() {
        let r =
            sqlx::query("SELECT title, description FROM listings WHERE id = $1").bind(id).fetch_one(&mut *tx).await?;
        let (title, description): (String, String) = (r.try_get("title")?, r.try_get("description")?);
        search_index::upsert(&mut tx, backend, id, &title, &description).await?;
    } else {
        search_index::remove(&mut tx, backend, id).await?;
    }
    audit_log::record(
        &mut tx,
        &Actor::of(&sctx.ctx.caller),
        &sctx.ctx.meta,
        now,
        AuditEntry {
            action: if active { "listings.reactivate" } else { "listings.deactivate" },
            target_type: "listing",
            target_id: id.to_string(),
            before: json!({"status": locked.status.as_str()}),
            after: json!({"status": to.as_str()}),
            reason: "",
            result: "ok",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

fn version_of_row(r: &AnyRow) -> Result<VersionView, AppError> {
    let status: String = r.try_get("status")?;
    let checks_json: String = r.try_get("checks_json")?;
    let findings: Vec<Finding> = serde_json::from_str(&checks_json).map_err(internal("checks"))?;
    Ok(VersionView {
        id: r.try_get("id")?,
        number: r.try_get("number")?,
        status: version_status(&status)?,
        raw: super::model::raw_of(&content_of_row(r)?),
        risk: r.try_get("risk")?,
        findings,
        warning_count: r.try_get("warning_count")?,
        blocking_count: r.try_get("blocking_count")?,
        created_at_ms: r.try_get("created_at")?,
        updated_at_ms: r.try_get("updated_at")?,
        submitted_at_ms: r.try_get("submitted_at")?,
        sla_due_at_ms: r.try_get("sla_due_at")?,
        decided_at_ms: r.try_get("decided_at")?,
        decision_reason: r.try_get("decision_reason")?,
    })
}

/// The caller's listing `id` with its versions; another organisation's listing is not found.
pub async fn get_my_listing(state: &AppState, org: i64, id: i64) -> Result<MyListing, AppError> {
    let db = state.db.read();
    let r = sqlx::query(
        "SELECT id, status, status_reason, title, price_minor, currency, stock_total, live_version_id, \
         pending_version_id, published_at, updated_at FROM listings WHERE id = $1 AND organisation_id = $2",
    )
    .bind(id)
    .bind(org)
    .fetch_optional(db)
    .await?
    .ok_or(AppError::NotFound)?;
    let rows = sqlx::query(
        "SELECT id, number, status, title, description, category_id, currency, weight_grams, options_json, \
         variants_json, images_json, risk, checks_json, warning_count, blocking_count, created_at, updated_at, \
         submitted_at, sla_due_at, decided_at, decision_reason FROM listing_versions WHERE listing_id = $1 \
         ORDER BY number DESC LIMIT $2",
    )
    .bind(id)
    .bind(MAX_VERSIONS_SHOWN)
    .fetch_all(db)
    .await?;
    let versions = rows.iter().map(version_of_row).collect::<Result<Vec<_>, _>>()?;
    let status: String = r.try_get("status")?;
    let currency: String = r.try_get("currency")?;
    Ok(MyListing {
        id,
        status: listing_status(&status)?,
        status_reason: r.try_get("status_reason")?,
        title: r.try_get("title")?,
        price_minor: r.try_get("price_minor")?,
        currency: currency_of(&currency)?,
        stock_total: r.try_get("stock_total")?,
        live_version_id: r.try_get("live_version_id")?,
        pending_version_id: r.try_get("pending_version_id")?,
        published_at_ms: r.try_get("published_at")?,
        updated_at_ms: r.try_get("updated_at")?,
        versions,
    })
}

/// The caller's listings newest first, optionally of one status, after `cursor` (a listing id).
pub async fn list_my_listings(
    state: &AppState,
    org: i64,
    status: Option<ListingStatus>,
    cursor: Option<&str>,
) -> Result<Page<ListingRow>, AppError> {
    let size = page_size(None);
    let before = parse_id_cursor(cursor).unwrap_or(i64::MAX);
    let status_clause = if status.is_some() { " AND l.status = $4" } else { "" };
    let sql = format!(
        "SELECT l.id, l.title, l.status, l.live_version_id, l.price_minor, l.currency, l.stock_total, l.updated_at, \
         v.status AS pending_status FROM listings l LEFT JOIN listing_versions v ON v.id = l.pending_version_id \
         WHERE l.organisation_id = $1 AND l.id < $2{status_clause} ORDER BY l.id DESC LIMIT $3"
    );
    let mut q = sqlx::query(&sql).bind(org).bind(before).bind(size as i64 + 1);
    if let Some(s) = status {
        q = q.bind(s.as_str());
    }
    let rows = q.fetch_all(state.db.read()).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let status: String = r.try_get("status")?;
        let pending: Option<String> = r.try_get("pending_status")?;
        let currency: String = r.try_get("currency")?;
        out.push(ListingRow {
            id: r.try_get("id")?,
            title: r.try_get("title")?,
            status: listing_status(&status)?,
            pending: pending.as_deref().map(version_status).transpose()?,
            has_live: r.try_get::<Option<i64>, _>("live_version_id")?.is_some(),
            price_minor: r.try_get("price_minor")?,
            currency: currency_of(&currency)?,
            stock_total: r.try_get("stock_total")?,
            updated_at_ms: r.try_get("updated_at")?,
        });
    }
    Ok(Page::from_overfetch(out, size, |l| l.id.to_string()))
}

/// The seller's home summary.
pub async fn seller_home(sctx: &SellerCtx) -> Result<SellerSummary, AppError> {
    let m = &sctx.membership;
    let db = sctx.ctx.state.db.read();
    let listings: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM listings WHERE organisation_id = $1")
        .bind(m.organisation_id)
        .fetch_one(db)
        .await?;
    let live_listings: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM listings WHERE organisation_id = $1 AND live_version_id IS NOT NULL")
            .bind(m.organisation_id)
            .fetch_one(db)
            .await?;
    let payout_accounts: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM payout_accounts WHERE organisation_id = $1 AND status = 'active'")
            .bind(m.organisation_id)
            .fetch_one(db)
            .await?;
    Ok(SellerSummary {
        organisation_id: m.organisation_id,
        organisation_name: m.organisation_name.clone(),
        status: m.status.as_str().to_string(),
        role: m.role.as_str().to_string(),
        listings,
        live_listings,
        has_payout_account: payout_accounts > 0,
    })
}

#[cfg(test)]
mod tests {
    use super::median;

    #[test]
    fn the_median_of_the_sellers_prices() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![300, 100, 200]), Some(200));
        assert_eq!(median(vec![400, 100, 200, 300]), Some(250));
    }
}
