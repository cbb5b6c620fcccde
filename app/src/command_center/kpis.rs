//! The KPI cards: each figure of a period and of the period just before it, measured from the
//! orders, the ledger, disputes, accounts, seller profiles and payouts as stored, never estimated.
//! The figures that are sums over time are read through their quarter-hour rollups (`rollup`):
//! two running totals per figure and period, plus the stored rows of the period's ragged ends, so a
//! 30-day or a two-year period costs the same. Active sellers are one index seek per seller.
//!
//! Definitions (every instant in `[from, until)`, the period's local days in the platform's time
//! zone; money in the platform's one currency, minor units):
//! - **GMV**: the sum of `total_minor` (items and shipping) of orders whose payment was confirmed
//!   in the period (`orders.paid_at`), including orders later cancelled or refunded.
//! - **Paid orders**: how many orders those are.
//! - **Commission revenue**: the net credit to the ledger's `platform:commission` account by postings
//!   dated in the period: commission earned on orders completed, minus commission reversed by refunds.
//! - **Refunds**: money paid back to buyers by postings of kind `refund` dated in the period (what
//!   left `platform:bank`), refunds accepted by the seller and disputes decided for the buyer alike.
//!   **Refund rate** = refunds / GMV of the same period.
//! - **Disputes**: disputes opened in the period (`disputes.created_at`). **Dispute rate** =
//!   disputes / paid orders of the same period.
//! - **New buyers**: accounts signed up in the period (`users.created_at`): every account can buy.
//! - **New sellers**: seller organisations activated for the first time in the period
//!   (`seller_profiles.activated_at`).
//! - **Active sellers**: distinct sellers with at least one order paid in the period.
//! - **Payouts paid**: the amount of payouts marked paid in the period (`payouts.closed_at`).

use super::figures::Summed;
use super::model::Kpis;
use super::rollup;
use crate::domain::kpi::Figure;
use crate::domain::period::Period;
use crate::error::{AppError, Context};
use crate::platform::state::AppState;

/// Sellers with at least one order paid in `[$1, $2)`: for each seller, one seek into
/// `orders_seller_paid` (a count of distinct sellers over the period's orders would read them all).
const ACTIVE_SELLERS: &str = "SELECT COUNT(*) FROM organisations g WHERE EXISTS \
     (SELECT 1 FROM orders o WHERE o.organisation_id = g.id AND o.paid_at >= $1 AND o.paid_at < $2)";

pub async fn measure(state: &AppState, period: Period) -> Result<Kpis, AppError> {
    let previous = period.previous();
    let ranges = [(period.from_ms, period.until_ms), (previous.from_ms, previous.until_ms)];
    let sums = rollup::sums(state, &Summed::ALL, &ranges).await?;
    let figure = |f: Summed| Figure::new(sums[&f][0], sums[&f][1]);
    let (from, to) = period.dates();
    let (previous_from, previous_to) = previous.dates();
    Ok(Kpis {
        from,
        to,
        previous_from,
        previous_to,
        currency: state.settings().currency,
        gmv: figure(Summed::Gmv),
        paid_orders: figure(Summed::PaidOrders),
        commission: figure(Summed::Commission),
        refunds: figure(Summed::Refunds),
        disputes: figure(Summed::Disputes),
        new_buyers: figure(Summed::NewBuyers),
        new_sellers: figure(Summed::NewSellers),
        active_sellers: Figure::new(active_sellers(state, ranges[0]).await?, active_sellers(state, ranges[1]).await?),
        payouts_paid: figure(Summed::PayoutsPaid),
    })
}

async fn active_sellers(state: &AppState, (from, until): (i64, i64)) -> Result<i64, AppError> {
    sqlx::query_scalar(ACTIVE_SELLERS)
        .bind(from)
        .bind(until)
        .fetch_one(state.db.read())
        .await
        .context("counting active sellers")
}
