//! Where the orders pages are mounted. `lib.rs` places these fragments in its route table, so a capability's
//! pages and paths are declared here, beside the pages themselves.

use crate::frame::sections::lazy_page;
use leptos::prelude::*;
use leptos_router::any_nested_route::IntoAnyNestedRoute;
use leptos_router::components::Route;
use leptos_router::{path, Lazy, SsrMode};

// Every page here is in a lazily loaded section (see `crate::frame::sections`).
lazy_page!(account, BuyerOrdersPageRoute, super::pages::BuyerOrdersPage);
lazy_page!(account, BuyerOrderPageRoute, super::pages::BuyerOrderPage);
lazy_page!(seller, SellerOrdersPageRoute, super::pages::SellerOrdersPage);
lazy_page!(seller, SellerOrderPageRoute, super::pages::SellerOrderPage);
lazy_page!(console, ConsoleOrdersPageRoute, super::pages::console::OrdersPage);
lazy_page!(console, ConsoleOrderDetailPageRoute, super::pages::console::OrderDetailPage);

/// The pages of orders in the storefront frame (buyers and sellers).
#[component(transparent)]
pub fn StoreRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("orders") ssr=SsrMode::Async view={Lazy::<BuyerOrdersPageRoute>::new()}/>
        <Route path=path!("orders/:number") ssr=SsrMode::Async view={Lazy::<BuyerOrderPageRoute>::new()}/>
        <Route path=path!("seller/orders") ssr=SsrMode::Async view={Lazy::<SellerOrdersPageRoute>::new()}/>
        <Route path=path!("seller/orders/:number") ssr=SsrMode::Async view={Lazy::<SellerOrderPageRoute>::new()}/>
    }
    .into_inner()
    .into_any_nested_route()
}

/// The pages of orders in the console frame.
#[component(transparent)]
pub fn ConsoleRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("orders") ssr=SsrMode::Async view={Lazy::<ConsoleOrdersPageRoute>::new()}/>
        <Route path=path!("orders/:number") ssr=SsrMode::Async view={Lazy::<ConsoleOrderDetailPageRoute>::new()}/>
    }
    .into_inner()
    .into_any_nested_route()
}
