//! What an operator does to one listing from the directory: take it down (trust & safety's take-down,
//! so the seller sees the reason and appeals it exactly like a report's), or correct its category
//! (the seller is told in-app). Both with a reason, both audited.

use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::reason::Reason;
use crate::error::{AppError, Context};
use crate::platform::caller::{Caller, RequestMeta};
use crate::platform::change::{Audit, Change};
use crate::platform::state::AppState;
use crate::storefront::visibility::LIVE_STATUSES;
use serde_json::json;

/// Takes a live listing down; returns the trust & safety case that records it. Only a live one (a
/// draft, one in review or one the seller deactivated is not the directory's to take down).
pub async fn take_down(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    listing_id: i64,
    reason: &Reason,
) -> Result<i64, AppError> {
    let status: String = sqlx::query_scalar("SELECT status FROM listings WHERE id = $1")
        .bind(listing_id)
        .fetch_optional(state.db.read())
        .await
        .context("reading the listing's status")?
        .ok_or(AppError::NotFound)?;
    if !LIVE_STATUSES.contains(&status.as_str()) {
        return Err(AppError::conflict("listing_directory.not_live"));
    }
    crate::trust::service::take_down_listing(state, caller, meta, listing_id, reason).await
}

/// Moves a listing to another enabled category. Its live copy (the reviewed version) follows, so
/// the seller's next edit starts from the corrected category.
pub async fn recategorize(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    listing_id: i64,
    category_id: i64,
    reason: &Reason,
) -> Result<(), AppError> {
    let mut c = Change::by_caller(state, caller, meta).await?;
    let org = crate::listings::versions::lock_with_seller(&mut c, listing_id).await?;
    let category: Option<(String, String, String)> =
        sqlx::query_as("SELECT status, name_en, name_zh FROM categories WHERE id = $1")
            .bind(category_id)
            .fetch_optional(c.conn())
            .await
            .context("reading the new category")?;
    let category_name = match category {
        None => return Err(AppError::invalid("category_id", "listing_directory.unknown_category")),
        Some((status, _, _)) if status != "active" => {
            return Err(AppError::invalid("category_id", "listing_directory.category_disabled"))
        }
        Some((_, en, zh)) => (en, zh),
    };
    let (title, before): (String, Option<i64>) =
        sqlx::query_as("SELECT title, category_id FROM listings WHERE id = $1")
            .bind(listing_id)
            .fetch_one(c.conn())
            .await
            .context("reading the listing's category")?;
    if before == Some(category_id) {
        return Err(AppError::invalid("category_id", "listing_directory.same_category"));
    }
    let now = c.now_ms();
    sqlx::query("UPDATE listings SET category_id = $1, updated_at = $2 WHERE id = $3")
        .bind(category_id)
        .bind(now)
        .bind(listing_id)
        .execute(c.conn())
        .await
        .context("correcting the listing's category")?;
    sqlx::query(
        "UPDATE listing_versions SET category_id = $1 WHERE id = (SELECT live_version_id FROM listings WHERE id = $2)",
    )
    .bind(category_id)
    .bind(listing_id)
    .execute(c.conn())
    .await
    .context("correcting the live version's category")?;
    c.audit(
        Audit::new(AuditAction::ListingsRecategorize, AuditTarget::Listing(listing_id))
            .before(json!({"category_id": before}))
            .after(json!({"category_id": category_id}))
            .reason(reason.as_str()),
    )
    .await?;
    let payload =
        json!({"title": title, "category": category_name.0, "category_zh": category_name.1, "reason": reason.as_str()});
    c.notify_seller_members(org, "listings.recategorized", payload).await?;
    c.commit().await
}
