//! The server side of the seller's team page (`/seller/team`, pages in `sellers::team`): reading the
//! team, adding a staff member, taking one off.

use super::model::{Team, MAX_STAFF};
use super::rows::{members, membership_in, seller_name, seller_status};
use crate::domain::account::Email;
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::seller::MemberRole;
use crate::error::{AppError, Context};
use crate::platform::caller::{Caller, RequestMeta};
use crate::platform::change::{Audit, Change, RowLock};
use crate::platform::outbox::OutboxEvent;
use crate::platform::state::AppState;
use serde_json::json;

pub async fn team(state: &AppState, m: &crate::platform::seller_access::Membership) -> Result<Team, AppError> {
    let mut conn = state.db.read().acquire().await.context("opening a connection")?;
    Ok(Team {
        organisation_id: m.organisation_id,
        organisation_name: m.organisation_name.clone(),
        status: m.status,
        my_role: m.role,
        members: members(&mut conn, m.organisation_id).await?,
    })
}

/// Adds the account with `email` to the seller as staff and tells them in-app. The account must
/// exist and belong to no seller yet.
pub async fn invite_staff(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    organisation_id: i64,
    email: &str,
) -> Result<i64, AppError> {
    let email = Email::parse(email).map_err(|e| AppError::invalid("email", e.code()))?;
    let mut c = Change::by_caller(state, caller, meta).await?;
    let now = c.now_ms();
    let user_id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = $1 AND status = 'active'")
        .bind(email.as_str())
        .fetch_optional(c.conn())
        .await
        .context("finding the invited account")?
        .ok_or_else(|| AppError::invalid("email", "sellers.unknown_account"))?;
    // The user (a user belongs to at most one seller) and the seller (its team size), in lock order.
    c.lock_all([RowLock::User(user_id), RowLock::Organisation(organisation_id)]).await?;
    seller_status(c.conn(), organisation_id).await?;
    if let Some((org, _, _)) = membership_in(c.conn(), user_id).await? {
        let code = if org == organisation_id { "sellers.already_in_team" } else { "sellers.in_another_seller" };
        return Err(AppError::invalid("email", code));
    }
    let staff: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM organisation_members WHERE organisation_id = $1 AND role = 'staff'")
            .bind(organisation_id)
            .fetch_one(c.conn())
            .await
            .context("counting the staff")?;
    if staff >= MAX_STAFF {
        return Err(AppError::conflict("sellers.team_full"));
    }
    sqlx::query(
        "INSERT INTO organisation_members (organisation_id, user_id, role, added_at) VALUES ($1, $2, 'staff', $3)",
    )
    .bind(organisation_id)
    .bind(user_id)
    .bind(now)
    .execute(c.conn())
    .await
    .context("adding the staff member")?;
    let name = seller_name(c.conn(), organisation_id).await?;
    c.audit(
        Audit::new(AuditAction::SellersStaffAdd, AuditTarget::Seller(organisation_id))
            .after(json!({"user_id": user_id, "email": email.as_str(), "role": "staff"})),
    )
    .await?;
    c.notify(OutboxEvent::notify(user_id, "sellers.staff_added", json!({"seller": name}))).await?;
    c.commit().await?;
    Ok(user_id)
}

/// Takes a staff member off the team (the owner cannot be removed) and tells them in-app.
pub async fn remove_staff(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    organisation_id: i64,
    user_id: i64,
) -> Result<(), AppError> {
    let mut c = Change::by_caller(state, caller, meta).await?;
    c.lock(RowLock::Organisation(organisation_id)).await?;
    seller_status(c.conn(), organisation_id).await?;
    let role: Option<String> =
        sqlx::query_scalar("SELECT role FROM organisation_members WHERE organisation_id = $1 AND user_id = $2")
            .bind(organisation_id)
            .bind(user_id)
            .fetch_optional(c.conn())
            .await
            .context("reading the member's role")?;
    match role.as_deref().and_then(MemberRole::parse) {
        None => return Err(AppError::NotFound),
        Some(MemberRole::Owner) => return Err(AppError::conflict("sellers.cannot_remove_owner")),
        Some(MemberRole::Staff) => {}
    }
    sqlx::query("DELETE FROM organisation_members WHERE organisation_id = $1 AND user_id = $2")
        .bind(organisation_id)
        .bind(user_id)
        .execute(c.conn())
        .await
        .context("removing the staff member")?;
    let name = seller_name(c.conn(), organisation_id).await?;
    c.audit(
        Audit::new(AuditAction::SellersStaffRemove, AuditTarget::Seller(organisation_id))
            .before(json!({"user_id": user_id, "role": "staff"})),
    )
    .await?;
    c.notify(OutboxEvent::notify(user_id, "sellers.staff_removed", json!({"seller": name}))).await?;
    c.commit().await
}
