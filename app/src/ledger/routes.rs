//! Where the ledger pages are mounted. `lib.rs` places these fragments in its route table, so a capability's
//! pages and paths are declared here, beside the pages themselves.

use leptos::prelude::*;
use leptos_router::any_nested_route::IntoAnyNestedRoute;
use leptos_router::components::Route;
use leptos_router::{path, SsrMode};

/// The pages of ledger in the storefront frame (buyers and sellers).
#[component(transparent)]
pub fn StoreRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("seller/balance") ssr=SsrMode::Async view=super::pages::SellerBalancePage/>
    }
    .into_inner()
    .into_any_nested_route()
}

/// The pages of ledger in the console frame.
#[component(transparent)]
pub fn ConsoleRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("ledger") ssr=SsrMode::Async view=super::pages::console::LedgerPage/>
        <Route path=path!("ledger/postings") ssr=SsrMode::Async view=super::pages::console::PostingsPage/>
        <Route path=path!("ledger/controls") ssr=SsrMode::Async view=super::pages::console_controls::LedgerControlsPage/>
        <Route path=path!("ledger/reconciliation") ssr=SsrMode::Async view=super::pages::console_controls::ReconciliationPage/>
    }
    .into_inner()
    .into_any_nested_route()
}
