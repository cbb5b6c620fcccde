//! Where the payouts pages are mounted. the seller's payout pages in the storefront frame, finance's queue
//! in the console frame. `lib.rs` places these fragments in its route table.

use leptos::prelude::*;
use leptos_router::any_nested_route::IntoAnyNestedRoute;
use leptos_router::components::Route;
use leptos_router::{path, SsrMode};

#[component(transparent)]
pub fn StoreRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("seller/payouts") ssr=SsrMode::Async view=super::pages::SellerPayoutsPage/>
        <Route path=path!("seller/payouts/accounts") ssr=SsrMode::Async view=super::pages::PayoutAccountsPage/>
    }
    .into_inner()
    .into_any_nested_route()
}

#[component(transparent)]
pub fn ConsoleRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("payouts") ssr=SsrMode::Async view=super::pages::console::PayoutsPage/>
        <Route path=path!("payouts/:id") ssr=SsrMode::Async view=super::pages::console::PayoutDetailPage/>
    }
    .into_inner()
    .into_any_nested_route()
}
