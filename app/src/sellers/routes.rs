//! Where the sellers pages are mounted. `lib.rs` places these fragments in its route table, so a capability's
//! pages and paths are declared here, beside the pages themselves.

use leptos::prelude::*;
use leptos_router::any_nested_route::IntoAnyNestedRoute;
use leptos_router::components::Route;
use leptos_router::{path, SsrMode};

/// The pages of sellers in the storefront frame (buyers and sellers).
#[component(transparent)]
pub fn StoreRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("sell") ssr=SsrMode::Async view=super::pages::ApplyPage/>
        <Route path=path!("seller/team") ssr=SsrMode::Async view=super::team::TeamPage/>
    }
    .into_inner()
    .into_any_nested_route()
}

/// The pages of sellers in the console frame.
#[component(transparent)]
pub fn ConsoleRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("sellers") ssr=SsrMode::Async view=super::pages::console::SellersPage/>
        <Route path=path!("sellers/:id") ssr=SsrMode::Async view=super::pages::console::SellerDetailPage/>
    }
    .into_inner()
    .into_any_nested_route()
}
