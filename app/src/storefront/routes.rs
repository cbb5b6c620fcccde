//! Where the storefront pages are mounted. `lib.rs` places these fragments in its route table, so a capability's
//! pages and paths are declared here, beside the pages themselves.

use leptos::prelude::*;
use leptos_router::any_nested_route::IntoAnyNestedRoute;
use leptos_router::components::Route;
use leptos_router::{path, SsrMode};

/// The pages of storefront in the storefront frame (buyers and sellers).
#[component(transparent)]
pub fn StoreRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("") ssr=SsrMode::Async view=super::pages::HomePage/>
        <Route path=path!("c/:slug") ssr=SsrMode::Async view=super::pages::CategoryPage/>
        <Route path=path!("search") ssr=SsrMode::Async view=super::pages::SearchPage/>
        <Route path=path!("p/:id") ssr=SsrMode::Async view=super::pages::ProductPage/>
        <Route path=path!("s/:id") ssr=SsrMode::Async view=super::pages::SellerStorePage/>
    }
    .into_inner()
    .into_any_nested_route()
}
