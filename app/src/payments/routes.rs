//! Where the payments pages are mounted. `lib.rs` places these fragments in its route table, so a capability's
//! pages and paths are declared here, beside the pages themselves.

use crate::frame::sections::lazy_page;
use leptos::prelude::*;
use leptos_router::any_nested_route::IntoAnyNestedRoute;
use leptos_router::components::Route;
use leptos_router::{path, Lazy, SsrMode};

// Every page here is in a lazily loaded section (see `crate::frame::sections`).
lazy_page!(account, PayPageRoute, super::pages::PayPage);
lazy_page!(console, ConsolePaymentsPageRoute, super::pages::console::PaymentsPage);
lazy_page!(console, ConsolePaymentDetailPageRoute, super::pages::console::PaymentDetailPage);
lazy_page!(console, ConsolePaymentSettingsPageRoute, super::pages::console::PaymentSettingsPage);

/// The pages of payments in the storefront frame (buyers and sellers).
#[component(transparent)]
pub fn StoreRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("checkout/:id/pay") ssr=SsrMode::Async view={Lazy::<PayPageRoute>::new()}/>
    }
    .into_inner()
    .into_any_nested_route()
}

/// The pages of payments in the console frame.
#[component(transparent)]
pub fn ConsoleRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("payments") ssr=SsrMode::Async view={Lazy::<ConsolePaymentsPageRoute>::new()}/>
        <Route path=path!("payments/:id") ssr=SsrMode::Async view={Lazy::<ConsolePaymentDetailPageRoute>::new()}/>
        <Route path=path!("settings/payments") ssr=SsrMode::Async view={Lazy::<ConsolePaymentSettingsPageRoute>::new()}/>
    }
    .into_inner()
    .into_any_nested_route()
}
