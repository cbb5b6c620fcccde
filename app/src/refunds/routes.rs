//! Where the refunds pages are mounted. `lib.rs` places these fragments in its route table, so a capability's
//! pages and paths are declared here, beside the pages themselves.

use leptos::prelude::*;
use leptos_router::any_nested_route::IntoAnyNestedRoute;
use leptos_router::components::Route;
use leptos_router::{path, SsrMode};

/// The pages of refunds in the storefront frame (buyers and sellers).
#[component(transparent)]
pub fn StoreRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("orders/:number/refund") ssr=SsrMode::Async view=super::pages::RefundRequestPage/>
        <Route path=path!("seller/refunds") ssr=SsrMode::Async view=super::pages::SellerRefundsPage/>
        <Route path=path!("seller/refunds/:id") ssr=SsrMode::Async view=super::pages::SellerRefundPage/>
    }
    .into_inner()
    .into_any_nested_route()
}

/// The pages of refunds in the console frame.
#[component(transparent)]
pub fn ConsoleRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("refunds") ssr=SsrMode::Async view=super::pages::console::RefundsPage/>
        <Route path=path!("refunds/:id") ssr=SsrMode::Async view=super::pages::console::RefundDetailPage/>
    }
    .into_inner()
    .into_any_nested_route()
}
