//! Where the alerts and incidents pages are mounted: the console frame, in the console's WASM chunk.

use crate::frame::sections::lazy_page;
use leptos::prelude::*;
use leptos_router::any_nested_route::IntoAnyNestedRoute;
use leptos_router::components::Route;
use leptos_router::{path, Lazy, SsrMode};

lazy_page!(console, ConsoleAlertRulesPageRoute, super::pages::RulesPage);
lazy_page!(console, ConsoleIncidentsPageRoute, super::pages::IncidentsPage);
lazy_page!(console, ConsoleIncidentPageRoute, super::pages::IncidentPage);

#[component(transparent)]
pub fn ConsoleRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("alerts") ssr=SsrMode::Async view={Lazy::<ConsoleAlertRulesPageRoute>::new()}/>
        <Route path=path!("incidents") ssr=SsrMode::Async view={Lazy::<ConsoleIncidentsPageRoute>::new()}/>
        <Route path=path!("incidents/:id") ssr=SsrMode::Async view={Lazy::<ConsoleIncidentPageRoute>::new()}/>
    }
    .into_inner()
    .into_any_nested_route()
}
