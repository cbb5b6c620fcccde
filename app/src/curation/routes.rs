//! Where curation's pages are mounted: the curation page and the listing directory, in the console.

use crate::frame::sections::lazy_page;
use leptos::prelude::*;
use leptos_router::any_nested_route::IntoAnyNestedRoute;
use leptos_router::components::Route;
use leptos_router::{path, Lazy, SsrMode};

// Every page here is in the console's lazily loaded section (see `crate::frame::sections`).
lazy_page!(console, ConsoleCurationPageRoute, super::pages::curation::CurationPage);
lazy_page!(console, ConsoleDirectoryPageRoute, super::pages::directory::DirectoryPage);
lazy_page!(console, ConsoleListingPageRoute, super::pages::listing::ListingPage);

/// The pages of curation in the console frame.
#[component(transparent)]
pub fn ConsoleRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("curation") ssr=SsrMode::Async view={Lazy::<ConsoleCurationPageRoute>::new()}/>
        <Route path=path!("listings") ssr=SsrMode::Async view={Lazy::<ConsoleDirectoryPageRoute>::new()}/>
        <Route path=path!("listings/:id") ssr=SsrMode::Async view={Lazy::<ConsoleListingPageRoute>::new()}/>
    }
    .into_inner()
    .into_any_nested_route()
}
