//! The reviewers' decisions: approve, reject with a reason, block (protected). A decision is one
//! `Change`: lock the version and its listing (`RowLock::ListingVersion` then `RowLock::Listing`),
//! re-read them, check the move with the domain state machines, write the change, the audit record
//! and the sellers' notifications together. A version someone else decided meanwhile is refused with
//! `reviews.already_decided` and nothing changes.

use super::rows::{corrupt, listing_status, VersionRecord, VERSION_COLUMNS};
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::listing::{ListingAction, ListingContent, ListingStatus, ListingTransitionError, VersionStatus};
use crate::domain::reason::Reason;
use crate::error::{AppError, Context};
use crate::listings::versions::bind_copy;
use crate::platform::caller::Ctx;
use crate::platform::change::{Audit, Change, RowLock};
use crate::platform::search_index;
use serde_json::json;

/// The version and its listing, locked for the rest of the change, read after the lock.
struct Locked {
    version_id: i64,
    listing_id: i64,
    status: VersionStatus,
    content: ListingContent,
    listing_status: ListingStatus,
    organisation_id: i64,
    live_version_id: Option<i64>,
}

async fn lock(c: &mut Change, version_id: i64) -> Result<Locked, AppError> {
    if !c.lock(RowLock::ListingVersion(version_id)).await? {
        return Err(AppError::NotFound);
    }
    let v: VersionRecord = sqlx::query_as(&format!("SELECT {VERSION_COLUMNS} FROM listing_versions v WHERE v.id = $1"))
        .bind(version_id)
        .fetch_one(c.conn())
        .await
        .context("loading the version")?;
    c.lock(RowLock::Listing(v.listing_id)).await?;
    let (status, organisation_id, live_version_id): (String, i64, Option<i64>) =
        sqlx::query_as("SELECT status, organisation_id, live_version_id FROM listings WHERE id = $1")
            .bind(v.listing_id)
            .fetch_one(c.conn())
            .await
            .context("loading the listing")?;
    Ok(Locked {
        version_id,
        listing_id: v.listing_id,
        status: v.version_status()?,
        content: v.content()?,
        listing_status: listing_status(&status)?,
        organisation_id,
        live_version_id,
    })
}

fn already_decided<E>(_: E) -> AppError {
    AppError::conflict("reviews.already_decided")
}

fn refused(e: ListingTransitionError) -> AppError {
    AppError::conflict(e.code())
}

/// Marks the version decided; a concurrent decision (status no longer pending) is a conflict.
async fn decide_version(
    c: &mut Change,
    decided_by: i64,
    l: &Locked,
    to: VersionStatus,
    reason: &str,
) -> Result<(), AppError> {
    let now = c.now_ms();
    let n = sqlx::query(
        "UPDATE listing_versions SET status = $1, decided_at = $2, decided_by = $3, decision_reason = $4, updated_at = $2 \
         WHERE id = $5 AND status = 'pending_review'",
    )
    .bind(to.as_str())
    .bind(now)
    .bind(decided_by)
    .bind(reason)
    .bind(l.version_id)
    .execute(c.conn())
    .await
    .context("deciding the version")?
    .rows_affected();
    if n != 1 {
        return Err(AppError::conflict("reviews.already_decided"));
    }
    Ok(())
}

async fn write_live_variants(c: &mut Change, listing_id: i64, content: &ListingContent) -> Result<(), AppError> {
    for (i, v) in content.variants.iter().enumerate() {
        sqlx::query(
            "INSERT INTO listing_variants (listing_id, sku, options_json, price_minor, compare_at_minor, stock, position, status) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'active') ON CONFLICT (listing_id, sku) DO UPDATE SET \
             options_json = excluded.options_json, price_minor = excluded.price_minor, \
             compare_at_minor = excluded.compare_at_minor, stock = excluded.stock, position = excluded.position, status = 'active'",
        )
        .bind(listing_id)
        .bind(&v.sku)
        .bind(serde_json::to_string(&v.options).map_err(|e| corrupt("options", &e.to_string()))?)
        .bind(v.price_minor)
        .bind(v.compare_at_minor)
        .bind(v.stock)
        .bind(i as i64)
        .execute(c.conn())
        .await
        .context("writing a live variant")?;
    }
    let existing: Vec<String> =
        sqlx::query_scalar("SELECT sku FROM listing_variants WHERE listing_id = $1 AND status <> 'removed'")
            .bind(listing_id)
            .fetch_all(c.conn())
            .await
            .context("reading the live variants")?;
    for sku in existing.iter().filter(|s| !content.variants.iter().any(|v| &v.sku == *s)) {
        // Kept, not deleted: orders refer to the variant.
        sqlx::query("UPDATE listing_variants SET status = 'removed', stock = 0 WHERE listing_id = $1 AND sku = $2")
            .bind(listing_id)
            .bind(sku)
            .execute(c.conn())
            .await
            .context("removing a variant")?;
    }
    Ok(())
}

/// The listing's status after approving: a first review goes live, an edit keeps the listing's
/// state; then sold out or restocked as the approved stock says.
fn approved_status(l: &Locked) -> Result<ListingStatus, AppError> {
    let reviewed = match l.listing_status {
        ListingStatus::PendingReview => l.listing_status.apply(ListingAction::Approve).map_err(refused)?,
        s @ (ListingStatus::Active | ListingStatus::SoldOut | ListingStatus::Inactive) => s,
        s => return Err(refused(ListingTransitionError { from: s, action: ListingAction::Approve })),
    };
    let stock = l.content.stock_total();
    Ok(match reviewed {
        ListingStatus::Active if stock == 0 => reviewed.apply(ListingAction::SellOut).map_err(refused)?,
        ListingStatus::SoldOut if stock > 0 => reviewed.apply(ListingAction::Restock).map_err(refused)?,
        s => s,
    })
}

/// Copies the approved content into the listing row (the live copy) and supersedes the previous one.
async fn publish(c: &mut Change, l: &Locked, to: ListingStatus) -> Result<(), AppError> {
    let now = c.now_ms();
    if let Some(prev) = l.live_version_id.filter(|p| *p != l.version_id) {
        sqlx::query("UPDATE listing_versions SET status = $1, updated_at = $2 WHERE id = $3 AND status = 'approved'")
            .bind(VersionStatus::Superseded.as_str())
            .bind(now)
            .bind(prev)
            .execute(c.conn())
            .await
            .context("superseding the previous version")?;
    }
    let content = &l.content;
    bind_copy!(
        sqlx::query(
            "UPDATE listings SET status = $1, title = $2, description = $3, category_id = $4, price_minor = $5, \
         compare_at_minor = $6, currency = $7, weight_grams = $8, options_json = $9, images_json = $10, \
         stock_total = $11, live_version_id = $12, pending_version_id = NULL, updated_at = $13, \
         published_at = COALESCE(published_at, $13), status_reason = '' WHERE id = $14",
        )
        .bind(to.as_str()),
        content
    )
    .bind(serde_json::to_string(&content.options).map_err(|e| corrupt("options", &e.to_string()))?)
    .bind(serde_json::to_string(&content.images).map_err(|e| corrupt("images", &e.to_string()))?)
    .bind(content.stock_total())
    .bind(l.version_id)
    .bind(now)
    .bind(l.listing_id)
    .execute(c.conn())
    .await
    .context("publishing the approved copy")?;
    write_live_variants(c, l.listing_id, content).await?;
    let backend = c.state().db.backend;
    if to.is_live() {
        search_index::upsert(c.conn(), backend, l.listing_id, &content.title, &content.description)
            .await
            .context("indexing the listing")?;
    } else {
        search_index::remove(c.conn(), backend, l.listing_id).await.context("removing the listing from search")?;
    }
    Ok(())
}

pub async fn approve(ctx: &Ctx, version_id: i64) -> Result<(), AppError> {
    let mut c = Change::by(ctx).await?;
    let l = lock(&mut c, version_id).await?;
    l.status.decide(VersionStatus::Approved).map_err(already_decided)?;
    let to = approved_status(&l)?;
    decide_version(&mut c, ctx.caller.user_id, &l, VersionStatus::Approved, "").await?;
    publish(&mut c, &l, to).await?;
    let content = &l.content;
    c.audit(
        Audit::new(AuditAction::ListingsApprove, AuditTarget::Listing(l.listing_id))
            .before(json!({"status": l.listing_status.as_str(), "live_version_id": l.live_version_id,
                           "version_id": version_id, "version_status": l.status.as_str()}))
            .after(json!({"status": to.as_str(), "live_version_id": version_id, "version_id": version_id,
                          "version_status": "approved", "title": content.title,
                          "price_minor": content.price_minor(), "stock_total": content.stock_total()})),
    )
    .await?;
    let payload = json!({"title": content.title, "listing_id": l.listing_id, "version_id": version_id});
    crate::webhooks::publish(
        &mut c,
        crate::domain::webhook::Scope::Seller(l.organisation_id),
        "listings.approved",
        payload.clone(),
    )
    .await?;
    c.notify_seller_members(l.organisation_id, "listings.approved", payload).await?;
    c.commit().await
}

async fn set_listing(c: &mut Change, l: &Locked, to: ListingStatus, reason: &str) -> Result<(), AppError> {
    let now = c.now_ms();
    sqlx::query("UPDATE listings SET status = $1, status_reason = $2, updated_at = $3 WHERE id = $4")
        .bind(to.as_str())
        .bind(reason)
        .bind(now)
        .bind(l.listing_id)
        .execute(c.conn())
        .await
        .context("changing the listing's status")?;
    Ok(())
}

/// The audit record and the sellers' notification of a rejection or a block.
async fn record_refusal(
    c: &mut Change,
    l: &Locked,
    action: AuditAction,
    to: ListingStatus,
    version_to: VersionStatus,
    reason: &str,
) -> Result<(), AppError> {
    c.audit(
        Audit::new(action, AuditTarget::Listing(l.listing_id))
            .before(json!({"status": l.listing_status.as_str(), "version_id": l.version_id,
                           "version_status": l.status.as_str()}))
            .after(json!({"status": to.as_str(), "version_id": l.version_id, "version_status": version_to.as_str()}))
            .reason(reason),
    )
    .await?;
    let event = if version_to == VersionStatus::Blocked { "listings.blocked" } else { "listings.rejected" };
    let payload = json!({"title": l.content.title, "reason": reason, "listing_id": l.listing_id,
                         "version_id": l.version_id});
    crate::webhooks::publish(c, crate::domain::webhook::Scope::Seller(l.organisation_id), event, payload.clone())
        .await?;
    c.notify_seller_members(l.organisation_id, event, payload).await
}

pub async fn reject(ctx: &Ctx, version_id: i64, reason: &Reason) -> Result<(), AppError> {
    let mut c = Change::by(ctx).await?;
    let l = lock(&mut c, version_id).await?;
    l.status.decide(VersionStatus::Rejected).map_err(already_decided)?;
    // A listing never live goes back to the seller as rejected; an edit of a live one leaves the
    // live copy as it is.
    let to = match l.listing_status {
        ListingStatus::PendingReview => l.listing_status.apply(ListingAction::Reject).map_err(refused)?,
        s => s,
    };
    decide_version(&mut c, ctx.caller.user_id, &l, VersionStatus::Rejected, reason.as_str()).await?;
    if to != l.listing_status {
        set_listing(&mut c, &l, to, reason.as_str()).await?;
    }
    record_refusal(&mut c, &l, AuditAction::ListingsReject, to, VersionStatus::Rejected, reason.as_str()).await?;
    c.commit().await
}

pub async fn block(ctx: &Ctx, version_id: i64, reason: &Reason) -> Result<(), AppError> {
    let mut c = Change::by(ctx).await?;
    let l = lock(&mut c, version_id).await?;
    l.status.decide(VersionStatus::Blocked).map_err(already_decided)?;
    let to = match l.listing_status {
        ListingStatus::PendingReview => l.listing_status.apply(ListingAction::Block).map_err(refused)?,
        // An edit of a live listing: blocking takes the live copy down too.
        s @ (ListingStatus::Active | ListingStatus::SoldOut | ListingStatus::Inactive) => {
            s.apply(ListingAction::TakeDown).map_err(refused)?
        }
        s => s,
    };
    decide_version(&mut c, ctx.caller.user_id, &l, VersionStatus::Blocked, reason.as_str()).await?;
    set_listing(&mut c, &l, to, reason.as_str()).await?;
    let backend = c.state().db.backend;
    search_index::remove(c.conn(), backend, l.listing_id).await.context("removing the listing from search")?;
    record_refusal(&mut c, &l, AuditAction::ListingsBlock, to, VersionStatus::Blocked, reason.as_str()).await?;
    c.commit().await
}
