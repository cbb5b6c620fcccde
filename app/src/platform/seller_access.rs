//! Who may act for a seller: the first line of every seller-center server function. A user belongs to
//! at most one seller organisation (applying refuses a second); what they may do there depends on
//! their member role (`domain::seller::MemberRole::may`) and, for selling, on the seller's status.

use super::caller::{require_signed_in, Ctx};
use super::state::AppState;
use crate::domain::seller::{MemberRole, SellerRight, SellerStatus};
use crate::error::AppError;
use sqlx::Row;

/// The caller's seller organisation and their place in it.
#[derive(Debug, Clone)]
pub struct Membership {
    pub organisation_id: i64,
    pub organisation_name: String,
    pub role: MemberRole,
    pub status: SellerStatus,
}

/// A signed-in seller member holding the right asked for, with their organisation.
pub struct SellerCtx {
    pub ctx: Ctx,
    pub membership: Membership,
}

/// The seller organisation `user_id` belongs to, if any.
pub async fn membership_of(state: &AppState, user_id: i64) -> Result<Option<Membership>, AppError> {
    let row = sqlx::query(
        "SELECT o.id, o.name, o.status, m.role FROM organisation_members m \
         JOIN organisations o ON o.id = m.organisation_id \
         WHERE m.user_id = $1 AND o.kind = 'seller' ORDER BY o.id LIMIT 1",
    )
    .bind(user_id)
    .fetch_optional(state.db.read())
    .await?;
    let Some(row) = row else { return Ok(None) };
    let status: String = row.try_get("status")?;
    let role: String = row.try_get("role")?;
    Ok(Some(Membership {
        organisation_id: row.try_get("id")?,
        organisation_name: row.try_get("name")?,
        role: MemberRole::parse(&role).ok_or_else(|| AppError::internal(format!("unknown member role {role}")))?,
        status: SellerStatus::parse(&status)
            .ok_or_else(|| AppError::internal(format!("unknown seller status {status}")))?,
    }))
}

/// Signed in (401 otherwise), a member of a seller organisation whose role holds `right` (403
/// otherwise). The seller's status is not checked here: a suspended seller still sees its listings
/// and may appeal; each feature refuses what the status does not allow.
pub async fn require_seller(right: SellerRight) -> Result<SellerCtx, AppError> {
    let ctx = require_signed_in().await?;
    let membership = membership_of(&ctx.state, ctx.caller.user_id).await?.ok_or(AppError::Forbidden)?;
    if !membership.role.may(right) {
        return Err(AppError::Forbidden);
    }
    Ok(SellerCtx { ctx, membership })
}
