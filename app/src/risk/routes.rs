//! Where the risk desk is mounted: the console frame, in the console's WASM chunk.

use crate::frame::sections::lazy_page;
use leptos::prelude::*;
use leptos_router::any_nested_route::IntoAnyNestedRoute;
use leptos_router::components::Route;
use leptos_router::{path, Lazy, SsrMode};

lazy_page!(console, ConsoleRiskPageRoute, super::pages::RiskPage);
lazy_page!(console, ConsoleRiskSignalPageRoute, super::pages::SignalPage);

#[component(transparent)]
pub fn ConsoleRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("risk") ssr=SsrMode::Async view={Lazy::<ConsoleRiskPageRoute>::new()}/>
        <Route path=path!("risk/:id") ssr=SsrMode::Async view={Lazy::<ConsoleRiskSignalPageRoute>::new()}/>
    }
    .into_inner()
    .into_any_nested_route()
}
