//! Where the listings pages are mounted. `lib.rs` places these fragments in its route table, so a capability's
//! pages and paths are declared here, beside the pages themselves.

use crate::frame::sections::lazy_page;
use leptos::prelude::*;
use leptos_router::any_nested_route::IntoAnyNestedRoute;
use leptos_router::components::Route;
use leptos_router::{path, Lazy, SsrMode};

// Every page here is in a lazily loaded section (see `crate::frame::sections`).
lazy_page!(seller, SellerHomePageRoute, super::pages::SellerHomePage);
lazy_page!(seller, NewListingPageRoute, super::pages::NewListingPage);
lazy_page!(seller, ListingEditPageRoute, super::pages::ListingEditPage);

/// The pages of listings in the storefront frame (buyers and sellers).
#[component(transparent)]
pub fn StoreRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("seller") ssr=SsrMode::Async view={Lazy::<SellerHomePageRoute>::new()}/>
        <Route path=path!("seller/listings/new") ssr=SsrMode::Async view={Lazy::<NewListingPageRoute>::new()}/>
        <Route path=path!("seller/listings/:id") ssr=SsrMode::Async view={Lazy::<ListingEditPageRoute>::new()}/>
    }
    .into_inner()
    .into_any_nested_route()
}
