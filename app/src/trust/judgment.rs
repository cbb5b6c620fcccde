//! Measures the facts of the product page's trust judgment (the rules are `domain::trust_judgment`):
//! three indexed reads per product page: the seller's latest lost dispute in the window, its completed
//! orders (counted up to `COUNT_CAP`), and the listing's highest earlier live price in the window.

use crate::domain::trust_judgment::{judge, Facts, Judgment};
use crate::error::{AppError, Context};
use crate::platform::state::AppState;

/// Enough to show "1000+"-scale experience; more only costs reading.
pub const COUNT_CAP: i64 = 1_000;

pub async fn of_listing(
    state: &AppState,
    organisation_id: i64,
    listing_id: i64,
    price_minor: i64,
) -> Result<Judgment, AppError> {
    let thresholds = state.settings().trust;
    let (disputes_since, prices_since) = thresholds.since(state.now_ms());
    let db = state.db.read();
    let last_lost_dispute_ms: Option<i64> = sqlx::query_scalar(
        "SELECT MAX(decided_at) FROM disputes WHERE organisation_id = $1 AND decided_at >= $2 \
         AND decision IN ('refund_full', 'refund_partial')",
    )
    .bind(organisation_id)
    .bind(disputes_since)
    .fetch_one(db)
    .await
    .context("reading the seller's lost disputes")?;
    let completed_orders: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM (SELECT 1 FROM orders WHERE organisation_id = $1 AND status = 'completed' LIMIT $2) c",
    )
    .bind(organisation_id)
    .bind(COUNT_CAP)
    .fetch_one(db)
    .await
    .context("counting the seller's completed orders")?;
    let highest_previous_minor: Option<i64> = sqlx::query_scalar(
        "SELECT MAX(price_minor) FROM listing_versions WHERE listing_id = $1 AND status = 'superseded' AND updated_at >= $2",
    )
    .bind(listing_id)
    .bind(prices_since)
    .fetch_one(db)
    .await
    .context("reading the listing's earlier prices")?;
    let facts = Facts { last_lost_dispute_ms, completed_orders, price_minor, highest_previous_minor };
    Ok(judge(facts, thresholds))
}
