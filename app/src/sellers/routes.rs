//! Where the sellers pages are mounted. `lib.rs` places these fragments in its route table, so a capability's
//! pages and paths are declared here, beside the pages themselves.

use crate::frame::sections::lazy_page;
use leptos::prelude::*;
use leptos_router::any_nested_route::IntoAnyNestedRoute;
use leptos_router::components::Route;
use leptos_router::{path, Lazy, SsrMode};

// Every page here is in a lazily loaded section (see `crate::frame::sections`).
lazy_page!(seller, ApplyPageRoute, super::pages::ApplyPage);
lazy_page!(seller, TeamPageRoute, super::team::TeamPage);
lazy_page!(console, ConsoleSellersPageRoute, super::pages::console::SellersPage);
lazy_page!(console, ConsoleSellerDetailPageRoute, super::pages::console_detail::SellerDetailPage);

/// The pages of sellers in the storefront frame (buyers and sellers).
#[component(transparent)]
pub fn StoreRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("sell") ssr=SsrMode::Async view={Lazy::<ApplyPageRoute>::new()}/>
        <Route path=path!("seller/team") ssr=SsrMode::Async view={Lazy::<TeamPageRoute>::new()}/>
    }
    .into_inner()
    .into_any_nested_route()
}

/// The pages of sellers in the console frame.
#[component(transparent)]
pub fn ConsoleRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("sellers") ssr=SsrMode::Async view={Lazy::<ConsoleSellersPageRoute>::new()}/>
        <Route path=path!("sellers/:id") ssr=SsrMode::Async view={Lazy::<ConsoleSellerDetailPageRoute>::new()}/>
    }
    .into_inner()
    .into_any_nested_route()
}
