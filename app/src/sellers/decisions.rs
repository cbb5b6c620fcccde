//! Moving a seller through its state machine (the applicant's submission and every console decision,
//! and trust & safety's suspension): the status, the profile's timestamps and last reason, a
//! `seller_transitions` row, the freeze of a suspended seller's money, the audit record
//! (`sellers.<action>`) and the notifications, in one `Change`.

use super::impact::{impact_in, SuspensionImpact};
use super::model::MAX_DOCUMENTS;
use super::rows::{seller_name, seller_status};
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::reason::Reason;
use crate::domain::seller::{SellerAction, SellerStatus};
use crate::domain::upload::Purpose;
use crate::error::{AppError, Context};
use crate::platform::caller::{Caller, RequestMeta};
use crate::platform::change::{Audit, Change, RowLock};
use crate::platform::outbox::OutboxEvent;
use crate::platform::state::AppState;
use serde_json::{json, Value};

pub(super) async fn insert_transition(
    c: &mut Change,
    organisation_id: i64,
    from: SellerStatus,
    to: SellerStatus,
    action: &str,
    actor_id: i64,
    reason: &str,
) -> Result<i64, AppError> {
    let now = c.now_ms();
    sqlx::query_scalar(
        "INSERT INTO seller_transitions (organisation_id, from_status, to_status, action, actor_id, at, reason) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(organisation_id)
    .bind(from.as_str())
    .bind(to.as_str())
    .bind(action)
    .bind(actor_id)
    .bind(now)
    .bind(reason)
    .fetch_one(c.conn())
    .await
    .context("recording the seller transition")
}

/// The reason a decision carries: required (5 to 2,000 characters) for those that say no or send
/// back, optional for the others (a blank one is stored as empty).
pub fn decision_reason(action: SellerAction, input: &str) -> Result<String, AppError> {
    if !action.needs_reason() && input.trim().is_empty() {
        return Ok(String::new());
    }
    Reason::parse(input).map(|r| r.as_str().to_string()).map_err(|e| AppError::invalid("reason", e.code()))
}

/// The in-app event each decision sends (`notify.<event>` is its message).
fn event_of(action: SellerAction) -> Option<&'static str> {
    match action {
        SellerAction::Submit => None,
        SellerAction::Return => Some("sellers.returned"),
        SellerAction::Approve => Some("sellers.approved"),
        SellerAction::Reject => Some("sellers.rejected"),
        SellerAction::Activate => Some("sellers.activated"),
        SellerAction::Suspend => Some("sellers.suspended"),
        SellerAction::Reinstate => Some("sellers.reinstated"),
    }
}

/// Moves seller `organisation_id` by `action` through the state machine, in one change. `seen` is
/// the newest transition id the deciding page showed: if the seller moved since, the decision is
/// refused (Conflict), as is any transition the state machine refuses. Submitting needs a business
/// licence among the documents.
pub async fn transition(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    organisation_id: i64,
    action: SellerAction,
    reason: &str,
    seen: Option<i64>,
) -> Result<SellerStatus, AppError> {
    let mut c = Change::by_caller(state, caller, meta).await?;
    c.lock(RowLock::Organisation(organisation_id)).await?;
    let to = transition_in(&mut c, caller.user_id, organisation_id, action, reason, seen).await?;
    c.commit().await?;
    Ok(to)
}

/// The currency of the seller's ledger accounts (the platform's one currency; a seller without any
/// account yet has nothing to freeze, and its zero amounts are shown in the platform's default).
async fn seller_currency(c: &mut Change, organisation_id: i64) -> Result<String, AppError> {
    let code: Option<String> = sqlx::query_scalar(
        "SELECT currency FROM ledger_accounts WHERE organisation_id = $1 OR organisation_id IS NULL \
         ORDER BY CASE WHEN organisation_id IS NULL THEN 1 ELSE 0 END LIMIT 1",
    )
    .bind(organisation_id)
    .fetch_optional(c.conn())
    .await
    .context("reading the seller's currency")?;
    Ok(code.unwrap_or_else(|| crate::domain::money::Currency::Usd.code().to_string()))
}

/// Refused when the seller moved since the deciding page's newest transition `seen`.
async fn check_seen(c: &mut Change, organisation_id: i64, seen: Option<i64>) -> Result<(), AppError> {
    let Some(seen) = seen else { return Ok(()) };
    let last: Option<i64> = sqlx::query_scalar("SELECT MAX(id) FROM seller_transitions WHERE organisation_id = $1")
        .bind(organisation_id)
        .fetch_one(c.conn())
        .await
        .context("reading the seller's last transition")?;
    if last.unwrap_or(0) != seen {
        return Err(AppError::conflict("sellers.changed_meanwhile"));
    }
    Ok(())
}

/// A submission needs documents, among them a business licence, and not too many.
async fn check_documents(c: &mut Change, organisation_id: i64) -> Result<(), AppError> {
    let (total, licences): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*) AS total, COALESCE(SUM(CASE WHEN kind = 'business_licence' THEN 1 ELSE 0 END), 0) \
         AS licences FROM uploads WHERE organisation_id = $1 AND purpose = $2 AND removed_at IS NULL",
    )
    .bind(organisation_id)
    .bind(Purpose::SellerDocument.as_str())
    .fetch_one(c.conn())
    .await
    .context("counting the seller's documents")?;
    if total == 0 {
        return Err(AppError::invalid("documents", "sellers.need_documents"));
    }
    if licences == 0 {
        return Err(AppError::invalid("documents", "sellers.need_licence"));
    }
    if total > MAX_DOCUMENTS {
        return Err(AppError::invalid("documents", "sellers.too_many_documents"));
    }
    Ok(())
}

/// Writes the new status and the profile's timestamps / last reason.
async fn write_status(
    c: &mut Change,
    organisation_id: i64,
    from: SellerStatus,
    to: SellerStatus,
    action: SellerAction,
    reason: &str,
) -> Result<(), AppError> {
    let now = c.now_ms();
    let moved = sqlx::query("UPDATE organisations SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4")
        .bind(to.as_str())
        .bind(now)
        .bind(organisation_id)
        .bind(from.as_str())
        .execute(c.conn())
        .await
        .context("moving the seller")?
        .rows_affected();
    if moved != 1 {
        return Err(AppError::conflict("sellers.changed_meanwhile"));
    }
    let profile = match action {
        SellerAction::Submit => {
            sqlx::query("UPDATE seller_profiles SET submitted_at = $1 WHERE organisation_id = $2").bind(now)
        }
        SellerAction::Return | SellerAction::Approve | SellerAction::Reject => {
            sqlx::query("UPDATE seller_profiles SET decided_at = $1, last_reason = $2 WHERE organisation_id = $3")
                .bind(now)
                .bind(reason)
        }
        SellerAction::Activate => {
            sqlx::query("UPDATE seller_profiles SET activated_at = $1 WHERE organisation_id = $2").bind(now)
        }
        SellerAction::Suspend => {
            sqlx::query("UPDATE seller_profiles SET suspended_at = $1, last_reason = $2 WHERE organisation_id = $3")
                .bind(now)
                .bind(reason)
        }
        SellerAction::Reinstate => {
            sqlx::query("UPDATE seller_profiles SET suspended_at = NULL, last_reason = $1 WHERE organisation_id = $2")
                .bind(reason)
        }
    };
    profile.bind(organisation_id).execute(c.conn()).await.context("updating the seller profile")?;
    Ok(())
}

/// The suspension freezes the seller's unsettled earnings and open payout requests; the
/// reinstatement lifts the freeze. Adds what was frozen or released to the audit record's `after`.
async fn freeze(
    c: &mut Change,
    organisation_id: i64,
    action: SellerAction,
    impact: SuspensionImpact,
    after: &mut Value,
) -> Result<(), AppError> {
    let frozen = action == SellerAction::Suspend;
    let now = c.now_ms();
    c.lock(RowLock::SellerFinance(organisation_id)).await?;
    let payouts = crate::finance::seller_finance::set_frozen(c.conn(), organisation_id, frozen, now)
        .await
        .context("freezing the seller's money")?;
    after["impact"] =
        serde_json::to_value(&impact).map_err(|e| AppError::internal(format!("serialising the impact: {e}")))?;
    after[if frozen { "frozen" } else { "unfrozen" }] = json!({
        "currency": impact.currency,
        "pending_minor": impact.pending_minor,
        "available_minor": impact.available_minor,
        "in_transit_minor": impact.in_transit_minor,
        "payout_requests": payouts,
    });
    Ok(())
}

/// Suspension and reinstatement change every member's work; the other decisions are the applicant's
/// (the owner's) business.
async fn tell(c: &mut Change, organisation_id: i64, action: SellerAction, reason: &str) -> Result<(), AppError> {
    let Some(event) = event_of(action) else { return Ok(()) };
    let name = seller_name(c.conn(), organisation_id).await?;
    let payload = json!({"seller": name, "reason": reason});
    if matches!(action, SellerAction::Suspend | SellerAction::Reinstate) {
        return c.notify_seller_members(organisation_id, event, payload).await;
    }
    let owner: i64 = sqlx::query_scalar("SELECT owner_user_id FROM organisations WHERE id = $1")
        .bind(organisation_id)
        .fetch_one(c.conn())
        .await
        .context("reading the seller's owner")?;
    c.notify(OutboxEvent::notify(owner, event, payload)).await
}

/// `transition` inside a larger change (trust & safety suspending a reported seller). The caller has
/// locked the organisation (`RowLock::Organisation(organisation_id)`) first; `actor_id` is the
/// deciding user, recorded on the transition.
pub async fn transition_in(
    c: &mut Change,
    actor_id: i64,
    organisation_id: i64,
    action: SellerAction,
    reason: &str,
    seen: Option<i64>,
) -> Result<SellerStatus, AppError> {
    let from = seller_status(c.conn(), organisation_id).await?;
    check_seen(c, organisation_id, seen).await?;
    let to = from.apply(action).map_err(|e| AppError::conflict(e.code()))?;
    if action == SellerAction::Submit {
        check_documents(c, organisation_id).await?;
        let data = serde_json::json!({"organisation_id": organisation_id});
        crate::webhooks::publish(c, crate::domain::webhook::Scope::Platform, "sellers.applied", data).await?;
    }
    let impact = match action {
        SellerAction::Suspend | SellerAction::Reinstate => {
            let currency = seller_currency(c, organisation_id).await?;
            Some(impact_in(c.conn(), organisation_id, &currency).await?)
        }
        _ => None,
    };
    write_status(c, organisation_id, from, to, action, reason).await?;
    let transition_id = insert_transition(c, organisation_id, from, to, action.as_str(), actor_id, reason).await?;
    let mut after = json!({"status": to.as_str(), "transition_id": transition_id});
    if let Some(impact) = impact {
        freeze(c, organisation_id, action, impact, &mut after).await?;
    }
    c.audit(
        Audit::new(AuditAction::Seller(action), AuditTarget::Seller(organisation_id))
            .before(json!({"status": from.as_str()}))
            .after(after)
            .reason(reason),
    )
    .await?;
    tell(c, organisation_id, action, reason).await?;
    Ok(to)
}
