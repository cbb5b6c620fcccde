//! Where the report pages are mounted (console frame). `lib.rs` places this fragment in its route table.

use crate::frame::sections::lazy_page;
use leptos::prelude::*;
use leptos_router::any_nested_route::IntoAnyNestedRoute;
use leptos_router::components::Route;
use leptos_router::{path, Lazy, SsrMode};

lazy_page!(console, RevenueReportPageRoute, super::pages::RevenueReportPage);
lazy_page!(console, SellersReportPageRoute, super::pages::SellersReportPage);
lazy_page!(console, SlaReportPageRoute, super::pages::SlaReportPage);

#[component(transparent)]
pub fn ConsoleRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("analytics/revenue") ssr=SsrMode::Async view={Lazy::<RevenueReportPageRoute>::new()}/>
        <Route path=path!("analytics/sellers") ssr=SsrMode::Async view={Lazy::<SellersReportPageRoute>::new()}/>
        <Route path=path!("analytics/sla") ssr=SsrMode::Async view={Lazy::<SlaReportPageRoute>::new()}/>
    }
    .into_inner()
    .into_any_nested_route()
}
