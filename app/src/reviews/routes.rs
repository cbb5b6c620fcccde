//! Where the reviews pages are mounted. `lib.rs` places these fragments in its route table, so a capability's
//! pages and paths are declared here, beside the pages themselves.

use crate::frame::sections::lazy_page;
use leptos::prelude::*;
use leptos_router::any_nested_route::IntoAnyNestedRoute;
use leptos_router::components::Route;
use leptos_router::{path, Lazy, SsrMode};

// Every page here is in a lazily loaded section (see `crate::frame::sections`).
lazy_page!(console, ConsoleReviewQueuePageRoute, super::pages::console::ReviewQueuePage);
lazy_page!(console, ConsoleReviewDetailPageRoute, super::pages::console_detail::ReviewDetailPage);

/// The pages of reviews in the console frame.
#[component(transparent)]
pub fn ConsoleRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("reviews") ssr=SsrMode::Async view={Lazy::<ConsoleReviewQueuePageRoute>::new()}/>
        <Route path=path!("reviews/:id") ssr=SsrMode::Async view={Lazy::<ConsoleReviewDetailPageRoute>::new()}/>
    }
    .into_inner()
    .into_any_nested_route()
}
