//! Filing cases: a buyer's report of a listing or a seller, a seller member's appeal of a takedown,
//! and what the seller's appeal page shows. `current_takedown` and `listing_status` are shared with
//! the decisions.

use super::model::{AppealContext, AppealLine, RELATED_SHOWN, REPORTS_PER_DAY};
use super::queue::{corrupt, parsed};
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::listing::ListingStatus;
use crate::domain::report::{ReportCategory, ReportStatus, ReportTarget, Resolution};
use crate::error::{AppError, Context};
use crate::platform::caller::{Caller, RequestMeta};
use crate::platform::change::{Audit, Change, RowLock};
use crate::platform::state::AppState;
use serde_json::json;
use sqlx::AnyConnection;

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// The organisation of a target buyers can see now (the storefront's visibility rule), if any.
async fn visible_target_org(state: &AppState, target: ReportTarget, id: i64) -> Result<Option<i64>, AppError> {
    let sql = match target {
        ReportTarget::Listing => {
            "SELECT l.organisation_id FROM listings l JOIN organisations o ON o.id = l.organisation_id \
             LEFT JOIN categories c ON c.id = l.category_id \
             WHERE l.id = $1 AND l.status IN ('active', 'sold_out') AND o.status = 'active' \
             AND (l.category_id IS NULL OR c.browsable = 1)"
        }
        ReportTarget::Seller => "SELECT id FROM organisations WHERE id = $1 AND kind = 'seller' AND status = 'active'",
    };
    sqlx::query_scalar(sql).bind(id).fetch_optional(state.db.read()).await.context("finding the reported target")
}

async fn belongs_to(state: &AppState, user_id: i64, org_id: i64) -> Result<bool, AppError> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM organisations o WHERE o.id = $1 AND (o.owner_user_id = $2 OR EXISTS \
         (SELECT 1 FROM organisation_members m WHERE m.organisation_id = o.id AND m.user_id = $2))",
    )
    .bind(org_id)
    .bind(user_id)
    .fetch_one(state.db.read())
    .await
    .context("checking the reporter's membership")?;
    Ok(n > 0)
}

/// A buyer's report. Refused: a target buyers cannot see (404), one's own listing or seller, a
/// second report of the same target, more than `REPORTS_PER_DAY` in a day.
#[allow(clippy::too_many_arguments)]
pub async fn file_report(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    target: ReportTarget,
    target_id: i64,
    category: ReportCategory,
    body: &str,
) -> Result<i64, AppError> {
    let org_id = visible_target_org(state, target, target_id).await?.ok_or(AppError::NotFound)?;
    if belongs_to(state, caller.user_id, org_id).await? {
        return Err(AppError::conflict("reports.own_target"));
    }
    let now = state.now_ms();
    let recent: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM reports WHERE kind = 'report' AND reporter_id = $1 AND created_at > $2",
    )
    .bind(caller.user_id)
    .bind(now - DAY_MS)
    .fetch_one(state.db.read())
    .await
    .context("counting the reporter's recent reports")?;
    if recent >= REPORTS_PER_DAY {
        return Err(AppError::conflict("reports.too_many"));
    }
    let mut c = Change::by_caller(state, caller, meta).await?;
    let now = c.now_ms();
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO reports (kind, reporter_id, target_type, target_id, target_organisation_id, category, body, \
         status, created_at) VALUES ('report', $1, $2, $3, $4, $5, $6, 'open', $7) \
         ON CONFLICT (kind, reporter_id, target_type, target_id) DO NOTHING RETURNING id",
    )
    .bind(caller.user_id)
    .bind(target.as_str())
    .bind(target_id)
    .bind(org_id)
    .bind(category.as_str())
    .bind(body)
    .bind(now)
    .fetch_optional(c.conn())
    .await
    .context("inserting the report")?;
    let Some(id) = id else { return Err(AppError::conflict("reports.already_reported")) };
    let data =
        json!({"report_id": id, "target": target.as_str(), "target_id": target_id, "category": category.as_str()});
    crate::webhooks::publish(&mut c, crate::domain::webhook::Scope::Platform, "reports.created", data).await?;
    c.audit(
        Audit::new(AuditAction::ReportsFile, AuditTarget::Report(id))
            .after(json!({"target": target.as_str(), "target_id": target_id, "category": category.as_str()})),
    )
    .await?;
    c.commit().await?;
    Ok(id)
}

/// The takedown behind a listing's current block: the newest decision that took the listing down
/// or put it back, when that decision is a takedown. Returns the report and its category.
pub(super) async fn current_takedown(
    conn: &mut AnyConnection,
    listing_id: i64,
) -> Result<Option<(i64, String)>, AppError> {
    let row: Option<(i64, String, String)> = sqlx::query_as(
        "SELECT id, resolution, category FROM reports WHERE target_type = 'listing' AND target_id = $1 \
         AND status = 'resolved' AND resolution IN ('listing_taken_down', 'reinstated') \
         ORDER BY decided_at DESC, id DESC LIMIT 1",
    )
    .bind(listing_id)
    .fetch_optional(&mut *conn)
    .await
    .context("finding the listing's takedown")?;
    Ok(row.filter(|(_, resolution, _)| resolution == Resolution::ListingTakenDown.as_str()).map(|(id, _, c)| (id, c)))
}

pub(super) async fn listing_status(
    conn: &mut AnyConnection,
    listing_id: i64,
) -> Result<Option<ListingStatus>, AppError> {
    let s: Option<String> = sqlx::query_scalar("SELECT status FROM listings WHERE id = $1")
        .bind(listing_id)
        .fetch_optional(&mut *conn)
        .await
        .context("reading the listing's status")?;
    match s {
        None => Ok(None),
        Some(s) => ListingStatus::parse(&s).map(Some).ok_or_else(|| corrupt("listing status", &s)),
    }
}

#[derive(sqlx::FromRow)]
struct AppealRecord {
    id: i64,
    status: String,
    resolution: String,
    created_at: i64,
    decision_reason: String,
}

/// What the seller's appeal page shows: the listing, whether it is taken down, its appeals.
pub async fn appeal_context(state: &AppState, org_id: i64, listing_id: i64) -> Result<AppealContext, AppError> {
    let mut conn = state.db.read().acquire().await.context("opening a connection")?;
    let (title, status, status_reason): (String, String, String) =
        sqlx::query_as("SELECT title, status, status_reason FROM listings WHERE id = $1 AND organisation_id = $2")
            .bind(listing_id)
            .bind(org_id)
            .fetch_optional(&mut *conn)
            .await
            .context("loading the appealed listing")?
            .ok_or(AppError::NotFound)?;
    let taken_down =
        status == ListingStatus::Blocked.as_str() && current_takedown(&mut conn, listing_id).await?.is_some();
    let records: Vec<AppealRecord> = sqlx::query_as(
        "SELECT id, status, resolution, created_at, decision_reason FROM reports WHERE kind = 'appeal' \
         AND target_type = 'listing' AND target_id = $1 ORDER BY id DESC LIMIT $2",
    )
    .bind(listing_id)
    .bind(RELATED_SHOWN)
    .fetch_all(&mut *conn)
    .await
    .context("loading the listing's appeals")?;
    let appeals = records
        .into_iter()
        .map(|a| {
            Ok(AppealLine {
                id: a.id,
                status: parsed("status", &a.status, ReportStatus::parse)?,
                resolution: Resolution::parse(&a.resolution),
                created_at_ms: a.created_at,
                decision_reason: a.decision_reason,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    Ok(AppealContext { listing_id, title, status, status_reason, taken_down, appeals })
}

/// A seller member's appeal of a takedown of one of their organisation's listings (404 for any other
/// listing). One open appeal per listing; each member appeals a listing once.
pub async fn file_appeal(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    org_id: i64,
    listing_id: i64,
    body: &str,
) -> Result<i64, AppError> {
    let mut c = Change::by_caller(state, caller, meta).await?;
    let now = c.now_ms();
    // Locks the listing: two members appealing at once line up, the second sees the first's appeal.
    c.lock(RowLock::Listing(listing_id)).await?;
    let owner: Option<i64> = sqlx::query_scalar("SELECT organisation_id FROM listings WHERE id = $1")
        .bind(listing_id)
        .fetch_optional(c.conn())
        .await
        .context("loading the appealed listing")?;
    if owner != Some(org_id) {
        return Err(AppError::NotFound);
    }
    let status = listing_status(c.conn(), listing_id).await?.ok_or(AppError::NotFound)?;
    let takedown = match status {
        ListingStatus::Blocked => current_takedown(c.conn(), listing_id).await?,
        _ => None,
    };
    let Some((takedown_id, category)) = takedown else { return Err(AppError::conflict("reports.not_taken_down")) };
    let open: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM reports WHERE kind = 'appeal' AND target_type = 'listing' AND target_id = $1 \
         AND status = 'open'",
    )
    .bind(listing_id)
    .fetch_one(c.conn())
    .await
    .context("counting open appeals")?;
    if open > 0 {
        return Err(AppError::conflict("reports.appeal_open"));
    }
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO reports (kind, reporter_id, target_type, target_id, target_organisation_id, category, body, \
         status, created_at, appeal_of) VALUES ('appeal', $1, 'listing', $2, $3, $4, $5, 'open', $6, $7) \
         ON CONFLICT (kind, reporter_id, target_type, target_id) DO NOTHING RETURNING id",
    )
    .bind(caller.user_id)
    .bind(listing_id)
    .bind(org_id)
    .bind(&category)
    .bind(body)
    .bind(now)
    .bind(takedown_id)
    .fetch_optional(c.conn())
    .await
    .context("inserting the appeal")?;
    let Some(id) = id else { return Err(AppError::conflict("reports.already_appealed")) };
    c.audit(
        Audit::new(AuditAction::ReportsAppeal, AuditTarget::Report(id))
            .after(json!({"listing_id": listing_id, "appeal_of": takedown_id})),
    )
    .await?;
    c.commit().await?;
    Ok(id)
}
