//! Where the launch readiness page is mounted: the console frame, in the console's WASM chunk.

use crate::frame::sections::lazy_page;
use leptos::prelude::*;
use leptos_router::any_nested_route::IntoAnyNestedRoute;
use leptos_router::components::Route;
use leptos_router::{path, Lazy, SsrMode};

lazy_page!(console, ConsoleReadinessPageRoute, super::pages::ReadinessPage);

#[component(transparent)]
pub fn ConsoleRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("readiness") ssr=SsrMode::Async view={Lazy::<ConsoleReadinessPageRoute>::new()}/>
    }
    .into_inner()
    .into_any_nested_route()
}
