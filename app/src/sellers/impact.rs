//! What suspending a seller does, measured now (DESIGN.md's suspension impact matrix): live listings
//! hidden, unsettled earnings and open payout requests frozen (`finance::seller_finance::set_frozen`,
//! called by the suspension in its transaction), paid orders still to fulfil under operator watch.
//! Only effects that exist in the system are counted; nothing here is estimated or invented.
//!
//! The seller center shows the money side as a banner while the freeze lasts (`FreezeBanner`).

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The effects of a suspension on one seller. While the seller is active it is what a suspension
/// would do; while suspended, what the suspension is doing.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SuspensionImpact {
    /// Live listings (status active or sold_out) that the storefront hides and refuses to sell
    /// while the seller is suspended.
    pub hidden_listings: i64,
    /// The currency of the amounts below (the platform's).
    pub currency: String,
    /// Whether the seller's earnings and payouts are frozen now.
    pub frozen: bool,
    /// Unsettled earnings: the pending balance, which is not released to available while frozen.
    pub pending_minor: i64,
    /// The available balance (negative when refunds exceeded it); no payout can be requested from
    /// it while frozen.
    pub available_minor: i64,
    /// Open payout requests (requested or approved): finance can neither approve nor pay them
    /// while frozen.
    pub open_payouts: i64,
    /// The money of those requests, "in transit" in the ledger.
    pub in_transit_minor: i64,
    /// Paid orders not yet shipped: still to be fulfilled or refunded under operator watch.
    pub paid_orders: i64,
}

impl SuspensionImpact {
    /// Whether any money is held by the freeze (earnings, balance or payout requests).
    pub fn holds_money(&self) -> bool {
        self.pending_minor != 0 || self.available_minor != 0 || self.open_payouts > 0 || self.in_transit_minor != 0
    }
}

/// The suspension impact of `organisation_id`, as of now.
#[cfg(feature = "ssr")]
pub async fn suspension_impact(
    state: &crate::platform::state::AppState,
    organisation_id: i64,
) -> Result<SuspensionImpact, AppError> {
    use crate::error::Context;
    let mut conn = state.db.read().acquire().await.context("opening a connection")?;
    impact_in(&mut conn, organisation_id, state.settings().currency.code()).await
}

/// `suspension_impact` inside a transaction (the suspension records what it froze), in `currency`.
#[cfg(feature = "ssr")]
pub async fn impact_in(
    conn: &mut sqlx::AnyConnection,
    organisation_id: i64,
    currency: &str,
) -> Result<SuspensionImpact, AppError> {
    use crate::error::Context;
    use crate::finance::seller_finance;
    let hidden_listings: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM listings WHERE organisation_id = $1 AND status IN ('active', 'sold_out')",
    )
    .bind(organisation_id)
    .fetch_one(&mut *conn)
    .await
    .context("counting the seller's live listings")?;
    let balances = seller_finance::balances(conn, organisation_id, currency).await?;
    let finance = seller_finance::read(conn, organisation_id).await?;
    let open_payouts: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM payouts WHERE organisation_id = $1 AND status IN ('requested', 'approved')",
    )
    .bind(organisation_id)
    .fetch_one(&mut *conn)
    .await
    .context("counting the seller's open payouts")?;
    let paid_orders: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM orders WHERE organisation_id = $1 AND status = 'paid'")
            .bind(organisation_id)
            .fetch_one(&mut *conn)
            .await
            .context("counting the seller's paid orders")?;
    Ok(SuspensionImpact {
        hidden_listings,
        currency: currency.to_string(),
        frozen: finance.frozen,
        pending_minor: balances.pending_minor,
        available_minor: balances.available_minor,
        open_payouts,
        in_transit_minor: balances.in_transit_minor,
        paid_orders,
    })
}

/// The caller's seller, when its earnings and payouts are frozen (a suspension); `None` otherwise.
#[server(prefix = "/api", endpoint = "my_seller_freeze")]
pub async fn my_seller_freeze() -> Result<Option<SuspensionImpact>, AppError> {
    use crate::domain::seller::SellerRight;
    let seller = crate::platform::seller_access::require_seller(SellerRight::ViewFinance).await?;
    let impact = suspension_impact(&seller.ctx.state, seller.membership.organisation_id).await?;
    Ok(impact.frozen.then_some(impact))
}

/// The seller center's banner while a suspension freezes the seller's money. Renders nothing when
/// the seller is not frozen (or the caller is not a seller): the seller home shows its own states.
#[component]
pub fn FreezeBanner() -> impl IntoView {
    use crate::i18n::{fill, t, translate, use_lang};
    let freeze = Resource::new(|| (), |_| my_seller_freeze());
    let lang = use_lang();
    view! {
        <Transition fallback=|| ()>
            {move || match freeze.get() {
                Some(Ok(Some(i))) => {
                    let figures = [
                        ("freeze.pending", crate::commission::pages::amount(i.pending_minor, &i.currency), "freeze-pending"),
                        ("freeze.available", crate::commission::pages::amount(i.available_minor, &i.currency), "freeze-available"),
                        ("freeze.in_transit", crate::commission::pages::amount(i.in_transit_minor, &i.currency), "freeze-in-transit"),
                    ];
                    let payouts = i.open_payouts;
                    Some(view! {
                        <section role="status" aria-labelledby="freeze-title" data-testid="freeze-banner"
                            class="rounded-xl border border-amber-300 bg-amber-50 p-4 text-amber-900">
                            <h2 id="freeze-title" class="font-semibold">{t("freeze.banner_title")}</h2>
                            <p class="mt-1 text-sm">{t("freeze.banner_body")}</p>
                            <dl class="mt-3 grid gap-3 text-sm sm:grid-cols-4">
                                {figures.into_iter().map(|(label, value, id)| view! {
                                    <div>
                                        <dt class="text-amber-800">{t(label)}</dt>
                                        <dd class="font-semibold tabular-nums" data-testid=id>{value}</dd>
                                    </div>
                                }).collect_view()}
                                <div>
                                    <dt class="text-amber-800">{t("freeze.open_payouts")}</dt>
                                    <dd class="font-semibold tabular-nums" data-testid="freeze-payouts">
                                        {move || fill(&translate(lang.get(), "freeze.payouts_n"), &[("n", payouts.to_string())])}
                                    </dd>
                                </div>
                            </dl>
                        </section>
                    })
                }
                _ => None,
            }}
        </Transition>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_impact_holds_money_only_when_some_balance_or_payout_is_there() {
        let none =
            SuspensionImpact { currency: "USD".into(), hidden_listings: 3, paid_orders: 2, ..Default::default() };
        assert!(!none.holds_money());
        assert!(SuspensionImpact { pending_minor: 1, ..none.clone() }.holds_money());
        assert!(SuspensionImpact { available_minor: -5, ..none.clone() }.holds_money());
        assert!(SuspensionImpact { open_payouts: 1, ..none }.holds_money());
    }
}
