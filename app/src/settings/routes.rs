//! Where the settings centre is mounted: the console frame, in the console's WASM chunk.

use crate::frame::sections::lazy_page;
use leptos::prelude::*;
use leptos_router::any_nested_route::IntoAnyNestedRoute;
use leptos_router::components::Route;
use leptos_router::{path, Lazy, SsrMode};

lazy_page!(console, ConsoleSettingsPageRoute, super::pages::SettingsPage);
lazy_page!(console, ConsoleSettingsVersionsPageRoute, super::pages::VersionsPage);

#[component(transparent)]
pub fn ConsoleRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("settings") ssr=SsrMode::Async view={Lazy::<ConsoleSettingsPageRoute>::new()}/>
        <Route path=path!("settings/versions") ssr=SsrMode::Async view={Lazy::<ConsoleSettingsVersionsPageRoute>::new()}/>
    }
    .into_inner()
    .into_any_nested_route()
}
