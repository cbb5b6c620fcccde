//! Where the trust pages are mounted. `lib.rs` places these fragments in its route table, so a capability's
//! pages and paths are declared here, beside the pages themselves.

use leptos::prelude::*;
use leptos_router::any_nested_route::IntoAnyNestedRoute;
use leptos_router::components::Route;
use leptos_router::{path, SsrMode};

/// The pages of trust in the storefront frame (buyers and sellers).
#[component(transparent)]
pub fn StoreRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("seller/listings/:id/appeal") ssr=SsrMode::Async view=super::pages::AppealPage/>
    }
    .into_inner()
    .into_any_nested_route()
}

/// The pages of trust in the console frame.
#[component(transparent)]
pub fn ConsoleRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("reports") ssr=SsrMode::Async view=super::pages::console::ReportsPage/>
        <Route path=path!("reports/:id") ssr=SsrMode::Async view=super::pages::console_detail::ReportDetailPage/>
    }
    .into_inner()
    .into_any_nested_route()
}
