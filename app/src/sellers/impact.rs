//! What suspending a seller does, measured now (DESIGN.md's suspension impact matrix). Only effects
//! that exist in the system today are counted; nothing here is estimated or invented.

use serde::{Deserialize, Serialize};

/// The effects of a suspension on one seller. While the seller is active it is what a suspension
/// would do; while suspended, what the suspension is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SuspensionImpact {
    /// Live listings (status active or sold_out) that the storefront hides and refuses to sell
    /// while the seller is suspended.
    pub hidden_listings: i64,
}

/// The suspension impact of `organisation_id`, as of now.
///
/// Hook for the money side: when the ledger lands (issues 4 and 5), this function adds the seller's
/// unsettled (frozen) earnings and its pending payouts, and the paid orders still to fulfil or
/// refund under operator watch, as new fields of `SuspensionImpact`. The console's seller page and
/// the suspension's audit record (after-JSON) already show everything this returns.
#[cfg(feature = "ssr")]
pub async fn suspension_impact(
    state: &crate::platform::state::AppState,
    organisation_id: i64,
) -> Result<SuspensionImpact, crate::error::AppError> {
    let mut conn = state.db.read().acquire().await?;
    Ok(impact_in(&mut conn, organisation_id).await?)
}

/// `suspension_impact` inside a transaction (the suspension records what it froze).
#[cfg(feature = "ssr")]
pub async fn impact_in(conn: &mut sqlx::AnyConnection, organisation_id: i64) -> Result<SuspensionImpact, sqlx::Error> {
    let hidden_listings: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM listings WHERE organisation_id = $1 AND status IN ('active', 'sold_out')",
    )
    .bind(organisation_id)
    .fetch_one(&mut *conn)
    .await?;
    Ok(SuspensionImpact { hidden_listings })
}
