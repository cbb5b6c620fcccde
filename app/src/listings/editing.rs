//! The seller's changes to a listing: saving (creating a listing or editing its working version),
//! submitting it to review (with the automated checks) and taking it off sale or back. Each is one
//! `Change`: the change, its audit record and the search index.

use super::versions::{
    bind_copy, content_of_version, insert_version, internal, lock_listing, mirror_into_listing, stored, update_version,
    version_status_in, Locked,
};
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::checks::{self, CheckContext, Severity};
use crate::domain::listing::{ListingAction, ListingContent, ListingStatus, RawListing, VersionStatus};
use crate::domain::seller::SellerStatus;
use crate::error::{AppError, Context};
use crate::platform::change::{Audit, Change};
use crate::platform::search_index;
use crate::platform::seller_access::SellerCtx;
use crate::platform::state::AppState;
use crate::platform::uploads::own_listing_images;
use serde_json::{json, Value};
use sqlx::AnyConnection;

/// How much of the seller's history the checks look at.
const HISTORY_LIMIT: i64 = 1_000;

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
    let content = ListingContent::parse(raw, state.settings().currency)
        .map_err(|(field, code)| AppError::invalid(&field, code))?;
    if let Some(category_id) = content.category_id {
        let status: Option<String> = sqlx::query_scalar("SELECT status FROM categories WHERE id = $1")
            .bind(category_id)
            .fetch_optional(state.db.read())
            .await
            .context("reading the listing's category")?;
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

fn summary(content: &ListingContent) -> Value {
    json!({
        "title": content.title,
        "category_id": content.category_id,
        "price_minor": content.price_minor(),
        "stock_total": content.stock_total(),
        "variants": content.variants.len(),
        "images": content.images.len(),
    })
}

async fn set_pending(c: &mut Change, listing_id: i64, version_id: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE listings SET pending_version_id = $1 WHERE id = $2")
        .bind(version_id)
        .bind(listing_id)
        .execute(c.conn())
        .await
        .context("pointing the listing at its new version")?;
    Ok(())
}

/// A new listing (status draft) with its first version; returns (listing, version).
async fn create_listing(c: &mut Change, org: i64, user: i64, content: &ListingContent) -> Result<(i64, i64), AppError> {
    let s = stored(content)?;
    let now = c.now_ms();
    let listing_id: i64 = bind_copy!(
        sqlx::query_scalar(
            "INSERT INTO listings (organisation_id, status, title, description, category_id, price_minor, \
         compare_at_minor, currency, weight_grams, options_json, images_json, stock_total, created_by, \
         created_at, updated_at) VALUES ($1, 'draft', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) \
         RETURNING id",
        )
        .bind(org),
        content
    )
    .bind(&s.options_json)
    .bind(&s.images_json)
    .bind(content.stock_total())
    .bind(user)
    .bind(now)
    .fetch_one(c.conn())
    .await
    .context("inserting the listing")?;
    let version_id = insert_version(c, listing_id, 1, content, user).await?;
    set_pending(c, listing_id, version_id).await?;
    Ok((listing_id, version_id))
}

/// The version an edit goes into: the editable pending one, or a new draft (number + 1).
async fn working_version(
    c: &mut Change,
    listing_id: i64,
    locked: &Locked,
    user: i64,
    content: &ListingContent,
) -> Result<i64, AppError> {
    let pending = match locked.pending_version_id {
        Some(v) => Some((v, version_status_in(c.conn(), v).await?)),
        None => None,
    };
    match pending {
        Some((_, VersionStatus::PendingReview)) => Err(AppError::conflict("listings.in_review")),
        Some((v, s)) if s.is_editable() => {
            update_version(c, v, content).await?;
            Ok(v)
        }
        _ => {
            let number: i64 =
                sqlx::query_scalar("SELECT COALESCE(MAX(number), 0) + 1 FROM listing_versions WHERE listing_id = $1")
                    .bind(listing_id)
                    .fetch_one(c.conn())
                    .await
                    .context("numbering the new version")?;
            let v = insert_version(c, listing_id, number, content, user).await?;
            set_pending(c, listing_id, v).await?;
            Ok(v)
        }
    }
}

/// Saves an edit of listing `listing_id`; returns (version, audit `before`).
async fn edit_listing(
    c: &mut Change,
    org: i64,
    user: i64,
    listing_id: i64,
    content: &ListingContent,
) -> Result<(i64, Value), AppError> {
    let locked = lock_listing(c, org, listing_id).await?;
    if !locked.status.is_editable() {
        return Err(AppError::conflict("seller_center.blocked"));
    }
    let version_id = working_version(c, listing_id, &locked, user, content).await?;
    if locked.live_version_id.is_none() {
        mirror_into_listing(c, listing_id, content).await?;
    } else {
        let now = c.now_ms();
        sqlx::query("UPDATE listings SET updated_at = $1 WHERE id = $2")
            .bind(now)
            .bind(listing_id)
            .execute(c.conn())
            .await
            .context("touching the listing")?;
    }
    Ok((version_id, json!({"status": locked.status.as_str(), "pending_version_id": locked.pending_version_id})))
}

/// Creates a listing (`id` = None) or saves an edit. See the module doc of `listings` for the
/// version rules: an editable pending version is updated in place; a live listing without one gets a
/// new draft version while the live copy stays; a version in review or a blocked listing refuses.
pub async fn save_listing(sctx: &SellerCtx, id: Option<i64>, raw: &RawListing) -> Result<i64, AppError> {
    require_active(sctx)?;
    let org = sctx.membership.organisation_id;
    let user = sctx.ctx.caller.user_id;
    let content = validate(&sctx.ctx.state, org, raw).await?;
    let mut c = Change::by(&sctx.ctx).await?;
    let (listing_id, version_id, before) = match id {
        None => {
            let (listing_id, version_id) = create_listing(&mut c, org, user, &content).await?;
            (listing_id, version_id, Value::Null)
        }
        Some(listing_id) => {
            let (version_id, before) = edit_listing(&mut c, org, user, listing_id, &content).await?;
            (listing_id, version_id, before)
        }
    };
    let mut after = summary(&content);
    after["version_id"] = json!(version_id);
    c.audit(Audit::new(AuditAction::ListingsSave, AuditTarget::Listing(listing_id)).before(before).after(after))
        .await?;
    c.commit().await?;
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
    .await
    .context("reading the seller's prices")?;
    let titles: Vec<String> = sqlx::query_scalar(
        "SELECT title FROM listings WHERE organisation_id = $1 AND id <> $2 AND status <> 'blocked' \
         ORDER BY id DESC LIMIT $3",
    )
    .bind(org)
    .bind(listing_id)
    .bind(HISTORY_LIMIT)
    .fetch_all(&mut *conn)
    .await
    .context("reading the seller's titles")?;
    Ok(CheckContext { seller_median_price_minor: median(prices), seller_other_titles: titles })
}

/// What the checks found: risk, warnings, blocking findings, and the review's due time.
struct Review {
    risk: &'static str,
    warnings: i64,
    blocking: i64,
    sla_due_at: i64,
}

/// Runs the checks on the version and puts it in review.
async fn send_to_review(
    c: &mut Change,
    org: i64,
    listing_id: i64,
    version_id: i64,
    from: VersionStatus,
    to: VersionStatus,
) -> Result<Review, AppError> {
    let now = c.now_ms();
    let content = content_of_version(c.conn(), version_id).await?;
    let ctx = check_context(c.conn(), org, listing_id).await?;
    let findings = checks::run(&content, &ctx);
    let risk = checks::risk(&findings);
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count() as i64;
    let (warnings, blocking) = (count(Severity::Warning), count(Severity::Blocking));
    let checks_json = serde_json::to_string(&findings).map_err(internal("checks"))?;
    let sla_due_at = now.saturating_add(c.state().settings().review_sla_ms);
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
    .execute(c.conn())
    .await
    .context("putting the version in review")?
    .rows_affected();
    if n != 1 {
        return Err(AppError::conflict("listings.in_review"));
    }
    Ok(Review { risk: risk.as_str(), warnings, blocking, sla_due_at })
}

/// Sends the listing's draft or rejected version to review: runs the automated checks against the
/// seller's history, stores their evidence and risk on the version, starts the review clock.
pub async fn submit_listing(sctx: &SellerCtx, id: i64) -> Result<(), AppError> {
    require_active(sctx)?;
    let org = sctx.membership.organisation_id;
    let mut c = Change::by(&sctx.ctx).await?;
    let now = c.now_ms();
    let locked = lock_listing(&mut c, org, id).await?;
    if locked.status == ListingStatus::Blocked {
        return Err(AppError::conflict("seller_center.blocked"));
    }
    let Some(version_id) = locked.pending_version_id else {
        return Err(AppError::conflict("seller_center.nothing_to_submit"));
    };
    let from = version_status_in(c.conn(), version_id).await?;
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
    let review = send_to_review(&mut c, org, id, version_id, from, to).await?;
    sqlx::query("UPDATE listings SET status = $1, updated_at = $2 WHERE id = $3")
        .bind(listing_to.as_str())
        .bind(now)
        .bind(id)
        .execute(c.conn())
        .await
        .context("moving the listing to review")?;
    let after = json!({
        "status": listing_to.as_str(),
        "version_id": version_id,
        "version_status": to.as_str(),
        "risk": review.risk,
        "warnings": review.warnings,
        "blocking": review.blocking,
        "sla_due_at": review.sla_due_at,
    });
    let data = json!({"listing_id": id, "version_id": version_id, "risk": review.risk});
    crate::webhooks::publish(&mut c, crate::domain::webhook::Scope::Platform, "listings.submitted", data).await?;
    c.audit(
        Audit::new(AuditAction::ListingsSubmit, AuditTarget::Listing(id))
            .before(
                json!({"status": locked.status.as_str(), "version_id": version_id, "version_status": from.as_str()}),
            )
            .after(after),
    )
    .await?;
    c.commit().await
}

/// Takes a live listing off sale or puts it back; the search index follows in the same change.
pub async fn set_availability(sctx: &SellerCtx, id: i64, active: bool) -> Result<(), AppError> {
    if active {
        require_active(sctx)?;
    }
    let org = sctx.membership.organisation_id;
    let mut c = Change::by(&sctx.ctx).await?;
    let now = c.now_ms();
    let backend = c.state().db.backend;
    let locked = lock_listing(&mut c, org, id).await?;
    let action = if active { ListingAction::Reactivate } else { ListingAction::Deactivate };
    let to = locked.status.apply(action).map_err(|e| AppError::conflict(e.code()))?;
    let n = sqlx::query("UPDATE listings SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4")
        .bind(to.as_str())
        .bind(now)
        .bind(id)
        .bind(locked.status.as_str())
        .execute(c.conn())
        .await
        .context("changing the listing's availability")?
        .rows_affected();
    if n != 1 {
        return Err(AppError::conflict("listings.transition_refused"));
    }
    if to.is_live() {
        let (title, description): (String, String) =
            sqlx::query_as("SELECT title, description FROM listings WHERE id = $1")
                .bind(id)
                .fetch_one(c.conn())
                .await
                .context("reading the listing's copy")?;
        search_index::upsert(c.conn(), backend, id, &title, &description).await.context("indexing the listing")?;
    } else {
        search_index::remove(c.conn(), backend, id).await.context("removing the listing from search")?;
    }
    let audit_action = if active { AuditAction::ListingsReactivate } else { AuditAction::ListingsDeactivate };
    c.audit(
        Audit::new(audit_action, AuditTarget::Listing(id))
            .before(json!({"status": locked.status.as_str()}))
            .after(json!({"status": to.as_str()})),
    )
    .await?;
    c.commit().await
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
