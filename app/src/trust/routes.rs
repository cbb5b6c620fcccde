//! Where the trust pages are mounted. `lib.rs` places these fragments in its route table, so a capability's
//! pages and paths are declared here, beside the pages themselves.

use crate::frame::sections::lazy_page;
use leptos::prelude::*;
use leptos_router::any_nested_route::IntoAnyNestedRoute;
use leptos_router::components::Route;
use leptos_router::{path, Lazy, SsrMode};

// Every page here is in a lazily loaded section (see `crate::frame::sections`).
lazy_page!(seller, AppealPageRoute, super::pages::AppealPage);
lazy_page!(console, ConsoleReportsPageRoute, super::pages::console::ReportsPage);
lazy_page!(console, ConsoleReportDetailPageRoute, super::pages::console_detail::ReportDetailPage);

/// The pages of trust in the storefront frame (buyers and sellers).
#[component(transparent)]
pub fn StoreRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("seller/listings/:id/appeal") ssr=SsrMode::Async view={Lazy::<AppealPageRoute>::new()}/>
    }
    .into_inner()
    .into_any_nested_route()
}

/// The pages of trust in the console frame.
#[component(transparent)]
pub fn ConsoleRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("reports") ssr=SsrMode::Async view={Lazy::<ConsoleReportsPageRoute>::new()}/>
        <Route path=path!("reports/:id") ssr=SsrMode::Async view={Lazy::<ConsoleReportDetailPageRoute>::new()}/>
    }
    .into_inner()
    .into_any_nested_route()
}
