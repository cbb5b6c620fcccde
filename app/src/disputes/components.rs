//! The dispute link on order pages: "Open a dispute" for the buyer of a refundable order, or a link to
//! the order's dispute (`/disputes/:id` for its two sides, `/console/disputes/:id` in the console).

use super::api::order_dispute_link;
use super::pages::DisputeStatusBadge;
use crate::components::styles::{BUTTON_SECONDARY_SMALL, ROW_LINK};
use crate::components::Section;
use crate::i18n::t;
use leptos::prelude::*;

/// Where the link points: the buyer's page (may offer "open"), the seller's, or the console's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkFor {
    Buyer,
    Seller,
    Console,
}

#[component]
pub fn OrderDisputeLink(number: String, link_for: LinkFor) -> impl IntoView {
    let stored = StoredValue::new(number);
    let state = Resource::new(move || stored.get_value(), order_dispute_link);
    view! {
        <Transition fallback=|| ()>
            {move || state.get().and_then(|r| r.ok()).map(|s| {
                let href = |id: i64| match link_for {
                    LinkFor::Console => format!("/console/disputes/{id}"),
                    _ => format!("/disputes/{id}"),
                };
                let existing = s.dispute_id.map(|id| {
                    let status = s.dispute_status.clone().unwrap_or_default();
                    view! {
                        <p class="flex flex-wrap items-center gap-2 text-sm">
                            <a href=href(id) data-testid="view-dispute" class=ROW_LINK>{t("disputes.view_dispute")}</a>
                            <DisputeStatusBadge status/>
                        </p>
                    }
                });
                let open = (link_for == LinkFor::Buyer && s.can_open).then(|| format!("/orders/{}/dispute", stored.get_value()));
                (existing.is_some() || open.is_some()).then(|| view! {
                    <Section id="order-dispute-title" title=t("disputes.nav") testid="order-dispute"
                        class="rounded-xl border border-slate-200 bg-white p-5 shadow-sm space-y-2">
                        {existing}
                        {open.map(|href| view! {
                            <a href=href data-testid="open-dispute" class=BUTTON_SECONDARY_SMALL>{t("disputes.open_link")}</a>
                        })}
                    </Section>
                })
            })}
        </Transition>
    }
}
