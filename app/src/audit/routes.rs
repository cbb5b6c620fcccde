//! Where the audit pages are mounted. `lib.rs` places these fragments in its route table, so a capability's
//! pages and paths are declared here, beside the pages themselves.

use crate::frame::sections::lazy_page;
use leptos::prelude::*;
use leptos_router::any_nested_route::IntoAnyNestedRoute;
use leptos_router::components::Route;
use leptos_router::{path, Lazy, SsrMode};

// Every page here is in a lazily loaded section (see `crate::frame::sections`).
lazy_page!(console, ConsoleAuditPageRoute, super::pages::console::AuditPage);
lazy_page!(console, ConsoleAuditDetailPageRoute, super::pages::console::AuditDetailPage);

/// The pages of audit in the console frame.
#[component(transparent)]
pub fn ConsoleRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("audit") ssr=SsrMode::Async view={Lazy::<ConsoleAuditPageRoute>::new()}/>
        <Route path=path!("audit/:id") ssr=SsrMode::Async view={Lazy::<ConsoleAuditDetailPageRoute>::new()}/>
    }
    .into_inner()
    .into_any_nested_route()
}
