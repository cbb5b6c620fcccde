//! Where the payments pages are mounted. `lib.rs` places these fragments in its route table, so a capability's
//! pages and paths are declared here, beside the pages themselves.

use leptos::prelude::*;
use leptos_router::any_nested_route::IntoAnyNestedRoute;
use leptos_router::components::Route;
use leptos_router::{path, SsrMode};

/// The pages of payments in the storefront frame (buyers and sellers).
#[component(transparent)]
pub fn StoreRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("checkout/:id/pay") ssr=SsrMode::Async view=super::pages::PayPage/>
    }
    .into_inner()
    .into_any_nested_route()
}

/// The pages of payments in the console frame.
#[component(transparent)]
pub fn ConsoleRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("payments") ssr=SsrMode::Async view=super::pages::console::PaymentsPage/>
        <Route path=path!("payments/:id") ssr=SsrMode::Async view=super::pages::console::PaymentDetailPage/>
        <Route path=path!("settings/payments") ssr=SsrMode::Async view=super::pages::console::PaymentSettingsPage/>
    }
    .into_inner()
    .into_any_nested_route()
}
