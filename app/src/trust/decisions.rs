//! Deciding a case: dismiss (deny, for an appeal), take the listing down, suspend the seller or
//! reinstate the listing (uphold an appeal). One `Change` per decision.
//!
//! Lock order (`RowLock`): the target's organisation, then the listing, then the case. Every decision
//! takes the organisation first, so two operators deciding cases about the same seller line up instead
//! of deadlocking, and the second one reads the state the first one left.

use super::filing::{current_takedown, listing_status};
use super::queue::parsed;
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::listing::{ListingAction, ListingStatus};
use crate::domain::reason::Reason;
use crate::domain::report::{ReportCategory, ReportDecisionError, ReportKind, ReportStatus, ReportTarget, Resolution};
use crate::domain::seller::SellerAction;
use crate::error::{AppError, Context};
use crate::platform::caller::{Caller, RequestMeta};
use crate::platform::change::{Audit, Change, RowLock};
use crate::platform::outbox::OutboxEvent;
use crate::platform::search_index;
use crate::platform::state::AppState;
use serde_json::json;

/// A case as read inside the deciding change.
struct Case {
    id: i64,
    kind: ReportKind,
    target: ReportTarget,
    target_id: i64,
    org_id: i64,
    status: ReportStatus,
    reporter_id: i64,
}

#[derive(sqlx::FromRow)]
struct CaseRecord {
    kind: String,
    target_type: String,
    target_id: i64,
    target_organisation_id: i64,
    status: String,
    reporter_id: i64,
}

/// What one decision is about, shared by its steps.
struct Deciding<'a> {
    case: Case,
    resolution: Resolution,
    reason: &'a str,
    decided_by: i64,
    /// The listing's title or the seller's name, as the notifications name it.
    target_label: String,
}

async fn lock_case(c: &mut Change, id: i64) -> Result<Case, AppError> {
    c.lock(RowLock::Report(id)).await?;
    let r: CaseRecord = sqlx::query_as(
        "SELECT kind, target_type, target_id, target_organisation_id, status, reporter_id FROM reports WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(c.conn())
    .await
    .context("loading the case")?
    .ok_or(AppError::NotFound)?;
    Ok(Case {
        id,
        kind: parsed("kind", &r.kind, ReportKind::parse)?,
        target: parsed("target_type", &r.target_type, ReportTarget::parse)?,
        target_id: r.target_id,
        org_id: r.target_organisation_id,
        status: parsed("status", &r.status, ReportStatus::parse)?,
        reporter_id: r.reporter_id,
    })
}

/// Marks case `id` resolved if it is still open; whether it was.
async fn resolve(c: &mut Change, d: &Deciding<'_>, id: i64) -> Result<bool, AppError> {
    let now = c.now_ms();
    let n = sqlx::query(
        "UPDATE reports SET status = 'resolved', resolution = $1, decided_at = $2, decided_by = $3, \
         decision_reason = $4 WHERE id = $5 AND status = 'open'",
    )
    .bind(d.resolution.as_str())
    .bind(now)
    .bind(d.decided_by)
    .bind(d.reason)
    .bind(id)
    .execute(c.conn())
    .await
    .context("resolving a report")?
    .rows_affected();
    Ok(n == 1)
}

/// Resolves the open buyer reports matching `scope` (besides the decided case) with the same
/// resolution; returns their ids and reporters.
async fn resolve_others(
    c: &mut Change,
    d: &Deciding<'_>,
    scope: &str,
    scope_id: i64,
) -> Result<Vec<(i64, i64)>, AppError> {
    let select = format!(
        "SELECT id, reporter_id FROM reports WHERE kind = 'report' AND status = 'open' AND id <> $2 AND {scope} ORDER BY id"
    );
    let rows: Vec<(i64, i64)> = sqlx::query_as(&select)
        .bind(scope_id)
        .bind(d.case.id)
        .fetch_all(c.conn())
        .await
        .context("finding the other open reports")?;
    let mut out = vec![];
    for (id, reporter) in rows {
        if resolve(c, d, id).await? {
            out.push((id, reporter));
        }
    }
    Ok(out)
}

/// The listing's live title and description.
async fn listing_copy(c: &mut Change, listing_id: i64) -> Result<(String, String), AppError> {
    sqlx::query_as("SELECT title, description FROM listings WHERE id = $1")
        .bind(listing_id)
        .fetch_optional(c.conn())
        .await
        .context("loading the listing's copy")?
        .ok_or(AppError::NotFound)
}

async fn target_label(c: &mut Change, case: &Case) -> Result<String, AppError> {
    match case.target {
        ReportTarget::Listing => Ok(listing_copy(c, case.target_id).await?.0),
        ReportTarget::Seller => sqlx::query_scalar("SELECT name FROM organisations WHERE id = $1")
            .bind(case.target_id)
            .fetch_one(c.conn())
            .await
            .context("loading the seller's name"),
    }
}

async fn set_listing_status(c: &mut Change, id: i64, to: ListingStatus, status_reason: &str) -> Result<(), AppError> {
    let now = c.now_ms();
    sqlx::query("UPDATE listings SET status = $1, status_reason = $2, updated_at = $3 WHERE id = $4")
        .bind(to.as_str())
        .bind(status_reason)
        .bind(now)
        .bind(id)
        .execute(c.conn())
        .await
        .context("changing the listing's status")?;
    Ok(())
}

async fn take_down(c: &mut Change, d: &Deciding<'_>) -> Result<Vec<(i64, i64)>, AppError> {
    let listing = d.case.target_id;
    let from = listing_status(c.conn(), listing).await?.ok_or(AppError::NotFound)?;
    let to = from.apply(ListingAction::TakeDown).map_err(|_| AppError::conflict("reports.cannot_take_down"))?;
    set_listing_status(c, listing, to, d.reason).await?;
    let backend = c.state().db.backend;
    search_index::remove(c.conn(), backend, listing).await.context("removing the listing from search")?;
    c.audit(
        Audit::new(AuditAction::ListingsTakeDown, AuditTarget::Listing(listing))
            .before(json!({"status": from.as_str()}))
            .after(json!({"status": to.as_str(), "status_reason": d.reason, "report_id": d.case.id}))
            .reason(d.reason),
    )
    .await?;
    let others = resolve_others(c, d, "target_type = 'listing' AND target_id = $1", listing).await?;
    let payload = json!({"title": d.target_label, "reason": d.reason});
    c.notify_seller_members(d.case.org_id, "trust.listing_taken_down", payload).await?;
    Ok(others)
}

async fn suspend_seller(c: &mut Change, d: &Deciding<'_>) -> Result<Vec<(i64, i64)>, AppError> {
    crate::sellers::service::transition_in(c, d.decided_by, d.case.org_id, SellerAction::Suspend, d.reason, None)
        .await
        .map_err(|e| match e {
            AppError::Conflict { .. } => AppError::conflict("reports.cannot_suspend"),
            other => other,
        })?;
    resolve_others(c, d, "target_organisation_id = $1", d.case.org_id).await
}

async fn reinstate(c: &mut Change, d: &Deciding<'_>) -> Result<(), AppError> {
    let listing = d.case.target_id;
    let from = listing_status(c.conn(), listing).await?.ok_or(AppError::NotFound)?;
    if from != ListingStatus::Blocked || current_takedown(c.conn(), listing).await?.is_none() {
        return Err(AppError::conflict("reports.not_taken_down"));
    }
    let to = from.apply(ListingAction::Reinstate).map_err(|_| AppError::conflict("reports.not_taken_down"))?;
    set_listing_status(c, listing, to, "").await?;
    let (title, description) = listing_copy(c, listing).await?;
    let backend = c.state().db.backend;
    search_index::upsert(c.conn(), backend, listing, &title, &description)
        .await
        .context("putting the listing back into search")?;
    c.audit(
        Audit::new(AuditAction::ListingsReinstate, AuditTarget::Listing(listing))
            .before(json!({"status": from.as_str()}))
            .after(json!({"status": to.as_str(), "appeal_id": d.case.id}))
            .reason(d.reason),
    )
    .await?;
    c.notify_seller_members(d.case.org_id, "trust.appeal_upheld", json!({"title": title})).await
}

/// The reporters of buyer reports learn the outcome (never who the seller is told it by).
async fn tell_reporters(c: &mut Change, d: &Deciding<'_>, also_resolved: &[(i64, i64)]) -> Result<(), AppError> {
    if d.case.kind != ReportKind::Report {
        return Ok(());
    }
    let event = match d.resolution {
        Resolution::Dismissed | Resolution::Reinstated => "trust.report_reviewed.dismissed",
        Resolution::ListingTakenDown => "trust.report_reviewed.listing_taken_down",
        Resolution::SellerSuspended => "trust.report_reviewed.seller_suspended",
    };
    let mut reporters: Vec<i64> = also_resolved.iter().map(|(_, r)| *r).collect();
    reporters.push(d.case.reporter_id);
    reporters.sort_unstable();
    reporters.dedup();
    for reporter in reporters {
        c.notify(OutboxEvent::notify(reporter, event, json!({"target": d.target_label}))).await?;
    }
    Ok(())
}

/// Takes the decision's locks in `RowLock` order and reads the case under them.
async fn lock_for(c: &mut Change, id: i64, resolution: Resolution) -> Result<Case, AppError> {
    // The organisation and target of a case never change, so they can be read before locking.
    let (org_id, target_id): (i64, i64) =
        sqlx::query_as("SELECT target_organisation_id, target_id FROM reports WHERE id = $1")
            .bind(id)
            .fetch_optional(c.conn())
            .await
            .context("loading the case's target")?
            .ok_or(AppError::NotFound)?;
    c.lock(RowLock::Organisation(org_id)).await?;
    if matches!(resolution, Resolution::ListingTakenDown | Resolution::Reinstated) {
        c.lock(RowLock::Listing(target_id)).await?;
    }
    lock_case(c, id).await
}

/// Decides an open case once: dismiss (deny, for an appeal), take the listing down, suspend the
/// seller (the caller confirmed the password first) or reinstate the listing (uphold an appeal).
pub async fn decide(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    id: i64,
    resolution: Resolution,
    reason: &Reason,
) -> Result<(), AppError> {
    let mut c = Change::by_caller(state, caller, meta).await?;
    let case = lock_for(&mut c, id, resolution).await?;
    case.status.decide(case.kind, case.target, resolution).map_err(|e| AppError::conflict(e.code()))?;
    let target_label = target_label(&mut c, &case).await?;
    let d = Deciding { case, resolution, reason: reason.as_str(), decided_by: caller.user_id, target_label };
    let also_resolved = match resolution {
        Resolution::Dismissed => {
            if d.case.kind == ReportKind::Appeal {
                let payload = json!({"title": d.target_label, "reason": d.reason});
                c.notify_seller_members(d.case.org_id, "trust.appeal_denied", payload).await?;
            }
            vec![]
        }
        Resolution::ListingTakenDown => take_down(&mut c, &d).await?,
        Resolution::SellerSuspended => suspend_seller(&mut c, &d).await?,
        Resolution::Reinstated => {
            reinstate(&mut c, &d).await?;
            vec![]
        }
    };
    if !resolve(&mut c, &d, d.case.id).await? {
        return Err(AppError::conflict(ReportDecisionError::AlreadyDecided.code()));
    }
    let others: Vec<i64> = also_resolved.iter().map(|(id, _)| *id).collect();
    c.audit(
        Audit::new(AuditAction::ReportsDecide, AuditTarget::Report(d.case.id))
            .before(json!({"status": "open"}))
            .after(json!({"status": "resolved", "resolution": resolution.as_str(), "also_resolved": others}))
            .reason(d.reason),
    )
    .await?;
    tell_reporters(&mut c, &d, &also_resolved).await?;
    c.commit().await
}

/// Takes a live listing down from the console's listing directory (issue 13): the same take-down as
/// a report's (status, search index, `ListingsTakeDown` audit, the seller told with the reason, the
/// other open reports on it resolved), recorded as a case the operator files and decides at once, so
/// the seller's appeal finds it exactly as it finds a report's take-down (`current_takedown`).
/// Returns the case's id. An operator's earlier case on the same listing (one per reporter and
/// target) is reused and re-decided: the audit log keeps each take-down.
pub async fn take_down_listing(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    listing_id: i64,
    reason: &Reason,
) -> Result<i64, AppError> {
    let mut c = Change::by_caller(state, caller, meta).await?;
    let org_id = crate::listings::versions::lock_with_seller(&mut c, listing_id).await?;
    let now = c.now_ms();
    let case_id: i64 = sqlx::query_scalar(
        "INSERT INTO reports (kind, reporter_id, target_type, target_id, target_organisation_id, category, body, \
         status, resolution, created_at, decided_at, decided_by, decision_reason) \
         VALUES ('report', $1, 'listing', $2, $3, $4, $5, 'resolved', $6, $7, $7, $1, $5) \
         ON CONFLICT (kind, reporter_id, target_type, target_id) DO UPDATE SET body = $5, status = 'resolved', \
         resolution = $6, decided_at = $7, decided_by = $1, decision_reason = $5 RETURNING id",
    )
    .bind(caller.user_id)
    .bind(listing_id)
    .bind(org_id)
    .bind(ReportCategory::Other.as_str())
    .bind(reason.as_str())
    .bind(Resolution::ListingTakenDown.as_str())
    .bind(now)
    .fetch_one(c.conn())
    .await
    .context("recording the take-down")?;
    let case = Case {
        id: case_id,
        kind: ReportKind::Report,
        target: ReportTarget::Listing,
        target_id: listing_id,
        org_id,
        status: ReportStatus::Resolved,
        reporter_id: caller.user_id,
    };
    let target_label = target_label(&mut c, &case).await?;
    let d = Deciding {
        case,
        resolution: Resolution::ListingTakenDown,
        reason: reason.as_str(),
        decided_by: caller.user_id,
        target_label,
    };
    let also_resolved = take_down(&mut c, &d).await?;
    // The other reports' reporters learn the outcome; the operator who decided needs no message.
    let mut reporters: Vec<i64> = also_resolved.iter().map(|(_, r)| *r).collect();
    reporters.sort_unstable();
    reporters.dedup();
    for reporter in reporters {
        let event = OutboxEvent::notify(
            reporter,
            "trust.report_reviewed.listing_taken_down",
            json!({"target": d.target_label}),
        );
        c.notify(event).await?;
    }
    c.commit().await?;
    Ok(case_id)
}
