//! Where the template editor is mounted: the console frame, in the console's WASM chunk.

use crate::frame::sections::lazy_page;
use leptos::prelude::*;
use leptos_router::any_nested_route::IntoAnyNestedRoute;
use leptos_router::components::Route;
use leptos_router::{path, Lazy, SsrMode};

lazy_page!(console, ConsoleTemplatesPageRoute, super::pages::TemplatesPage);
lazy_page!(console, ConsoleTemplatePageRoute, super::pages::TemplatePage);

#[component(transparent)]
pub fn ConsoleRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("templates") ssr=SsrMode::Async view={Lazy::<ConsoleTemplatesPageRoute>::new()}/>
        <Route path=path!("templates/:id") ssr=SsrMode::Async view={Lazy::<ConsoleTemplatePageRoute>::new()}/>
    }
    .into_inner()
    .into_any_nested_route()
}
