//! Where the orders pages are mounted. `lib.rs` places these fragments in its route table, so a capability's
//! pages and paths are declared here, beside the pages themselves.

use leptos::prelude::*;
use leptos_router::any_nested_route::IntoAnyNestedRoute;
use leptos_router::components::Route;
use leptos_router::{path, SsrMode};

/// The pages of orders in the storefront frame (buyers and sellers).
#[component(transparent)]
pub fn StoreRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("orders") ssr=SsrMode::Async view=super::pages::BuyerOrdersPage/>
        <Route path=path!("orders/:number") ssr=SsrMode::Async view=super::pages::BuyerOrderPage/>
        <Route path=path!("seller/orders") ssr=SsrMode::Async view=super::pages::SellerOrdersPage/>
        <Route path=path!("seller/orders/:number") ssr=SsrMode::Async view=super::pages::SellerOrderPage/>
    }
    .into_inner()
    .into_any_nested_route()
}

/// The pages of orders in the console frame.
#[component(transparent)]
pub fn ConsoleRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("orders") ssr=SsrMode::Async view=super::pages::console::OrdersPage/>
        <Route path=path!("orders/:number") ssr=SsrMode::Async view=super::pages::console::OrderDetailPage/>
    }
    .into_inner()
    .into_any_nested_route()
}
