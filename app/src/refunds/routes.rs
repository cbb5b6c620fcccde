//! Where the refunds pages are mounted. `lib.rs` places these fragments in its route table, so a capability's
//! pages and paths are declared here, beside the pages themselves.

use crate::frame::sections::lazy_page;
use leptos::prelude::*;
use leptos_router::any_nested_route::IntoAnyNestedRoute;
use leptos_router::components::Route;
use leptos_router::{path, Lazy, SsrMode};

// Every page here is in a lazily loaded section (see `crate::frame::sections`).
lazy_page!(account, RefundRequestPageRoute, super::pages::RefundRequestPage);
lazy_page!(seller, SellerRefundsPageRoute, super::pages::SellerRefundsPage);
lazy_page!(seller, SellerRefundPageRoute, super::pages::SellerRefundPage);
lazy_page!(console, ConsoleRefundsPageRoute, super::pages::console::RefundsPage);
lazy_page!(console, ConsoleRefundDetailPageRoute, super::pages::console::RefundDetailPage);

/// The pages of refunds in the storefront frame (buyers and sellers).
#[component(transparent)]
pub fn StoreRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("orders/:number/refund") ssr=SsrMode::Async view={Lazy::<RefundRequestPageRoute>::new()}/>
        <Route path=path!("seller/refunds") ssr=SsrMode::Async view={Lazy::<SellerRefundsPageRoute>::new()}/>
        <Route path=path!("seller/refunds/:id") ssr=SsrMode::Async view={Lazy::<SellerRefundPageRoute>::new()}/>
    }
    .into_inner()
    .into_any_nested_route()
}

/// The pages of refunds in the console frame.
#[component(transparent)]
pub fn ConsoleRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("refunds") ssr=SsrMode::Async view={Lazy::<ConsoleRefundsPageRoute>::new()}/>
        <Route path=path!("refunds/:id") ssr=SsrMode::Async view={Lazy::<ConsoleRefundDetailPageRoute>::new()}/>
    }
    .into_inner()
    .into_any_nested_route()
}
