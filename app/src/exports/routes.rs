//! Where the exports page is mounted (console frame). `lib.rs` places this fragment in its route table.

use crate::frame::sections::lazy_page;
use leptos::prelude::*;
use leptos_router::any_nested_route::IntoAnyNestedRoute;
use leptos_router::components::Route;
use leptos_router::{path, Lazy, SsrMode};

lazy_page!(console, ConsoleExportsPageRoute, super::pages::ExportsPage);

#[component(transparent)]
pub fn ConsoleRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("exports") ssr=SsrMode::Async view={Lazy::<ConsoleExportsPageRoute>::new()}/>
    }
    .into_inner()
    .into_any_nested_route()
}
