//! Where the disputes pages are mounted. `lib.rs` places these fragments in its route table, so a capability's
//! pages and paths are declared here, beside the pages themselves.

use crate::frame::sections::lazy_page;
use leptos::prelude::*;
use leptos_router::any_nested_route::IntoAnyNestedRoute;
use leptos_router::components::Route;
use leptos_router::{path, Lazy, SsrMode};

// Every page here is in a lazily loaded section (see `crate::frame::sections`).
lazy_page!(account, OpenDisputePageRoute, super::pages::OpenDisputePage);
lazy_page!(account, DisputePageRoute, super::pages::DisputePage);
lazy_page!(console, ConsoleDisputesPageRoute, super::pages::console::DisputesPage);
lazy_page!(console, ConsoleDisputeDetailPageRoute, super::pages::console::DisputeDetailPage);

/// The pages of disputes in the storefront frame (buyers and sellers).
#[component(transparent)]
pub fn StoreRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("orders/:number/dispute") ssr=SsrMode::Async view={Lazy::<OpenDisputePageRoute>::new()}/>
        <Route path=path!("disputes/:id") ssr=SsrMode::Async view={Lazy::<DisputePageRoute>::new()}/>
    }
    .into_inner()
    .into_any_nested_route()
}

/// The pages of disputes in the console frame.
#[component(transparent)]
pub fn ConsoleRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("disputes") ssr=SsrMode::Async view={Lazy::<ConsoleDisputesPageRoute>::new()}/>
        <Route path=path!("disputes/:id") ssr=SsrMode::Async view={Lazy::<ConsoleDisputeDetailPageRoute>::new()}/>
    }
    .into_inner()
    .into_any_nested_route()
}
