//! Where the webhooks page is mounted: the seller center's (storefront frame) and the console's.

use crate::frame::sections::lazy_page;
use leptos::prelude::*;
use leptos_router::any_nested_route::IntoAnyNestedRoute;
use leptos_router::components::Route;
use leptos_router::{path, Lazy, SsrMode};

lazy_page!(seller, SellerWebhooksPageRoute, super::pages::SellerWebhooksPage);
lazy_page!(console, ConsoleWebhooksPageRoute, super::pages::ConsoleWebhooksPage);

#[component(transparent)]
pub fn StoreRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("seller/webhooks") ssr=SsrMode::Async view={Lazy::<SellerWebhooksPageRoute>::new()}/>
    }
    .into_inner()
    .into_any_nested_route()
}

#[component(transparent)]
pub fn ConsoleRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("webhooks") ssr=SsrMode::Async view={Lazy::<ConsoleWebhooksPageRoute>::new()}/>
    }
    .into_inner()
    .into_any_nested_route()
}
