//! Where the delivery desk is mounted: the console frame, in the console's WASM chunk.

use crate::frame::sections::lazy_page;
use leptos::prelude::*;
use leptos_router::any_nested_route::IntoAnyNestedRoute;
use leptos_router::components::Route;
use leptos_router::{path, Lazy, SsrMode};

lazy_page!(console, ConsoleDeliveryPageRoute, super::pages::DeliveryPage);
lazy_page!(console, ConsoleDeliveryDetailPageRoute, super::pages::DeliveryDetailPage);
lazy_page!(console, ConsoleSuppressionsPageRoute, super::pages::SuppressionsPage);

#[component(transparent)]
pub fn ConsoleRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("delivery") ssr=SsrMode::Async view={Lazy::<ConsoleDeliveryPageRoute>::new()}/>
        <Route path=path!("delivery/suppressions") ssr=SsrMode::Async view={Lazy::<ConsoleSuppressionsPageRoute>::new()}/>
        <Route path=path!("delivery/:id") ssr=SsrMode::Async view={Lazy::<ConsoleDeliveryDetailPageRoute>::new()}/>
    }
    .into_inner()
    .into_any_nested_route()
}
