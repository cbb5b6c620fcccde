//! Where the payouts pages are mounted. the seller's payout pages in the storefront frame, finance's queue
//! in the console frame. `lib.rs` places these fragments in its route table.

use crate::frame::sections::lazy_page;
use leptos::prelude::*;
use leptos_router::any_nested_route::IntoAnyNestedRoute;
use leptos_router::components::Route;
use leptos_router::{path, Lazy, SsrMode};

// Every page here is in a lazily loaded section (see `crate::frame::sections`).
lazy_page!(seller, SellerPayoutsPageRoute, super::pages::SellerPayoutsPage);
lazy_page!(seller, PayoutAccountsPageRoute, super::pages::PayoutAccountsPage);
lazy_page!(console, ConsolePayoutsPageRoute, super::pages::console::PayoutsPage);
lazy_page!(console, ConsolePayoutDetailPageRoute, super::pages::console::PayoutDetailPage);

#[component(transparent)]
pub fn StoreRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("seller/payouts") ssr=SsrMode::Async view={Lazy::<SellerPayoutsPageRoute>::new()}/>
        <Route path=path!("seller/payouts/accounts") ssr=SsrMode::Async view={Lazy::<PayoutAccountsPageRoute>::new()}/>
    }
    .into_inner()
    .into_any_nested_route()
}

#[component(transparent)]
pub fn ConsoleRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("payouts") ssr=SsrMode::Async view={Lazy::<ConsolePayoutsPageRoute>::new()}/>
        <Route path=path!("payouts/:id") ssr=SsrMode::Async view={Lazy::<ConsolePayoutDetailPageRoute>::new()}/>
    }
    .into_inner()
    .into_any_nested_route()
}
