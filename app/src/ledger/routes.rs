//! Where the ledger pages are mounted. `lib.rs` places these fragments in its route table, so a capability's
//! pages and paths are declared here, beside the pages themselves.

use crate::frame::sections::lazy_page;
use leptos::prelude::*;
use leptos_router::any_nested_route::IntoAnyNestedRoute;
use leptos_router::components::Route;
use leptos_router::{path, Lazy, SsrMode};

// Every page here is in a lazily loaded section (see `crate::frame::sections`).
lazy_page!(seller, SellerBalancePageRoute, super::pages::SellerBalancePage);
lazy_page!(console, ConsoleLedgerPageRoute, super::pages::console::LedgerPage);
lazy_page!(console, ConsolePostingsPageRoute, super::pages::console::PostingsPage);
lazy_page!(console, ConsoleLedgerControlsPageRoute, super::pages::console_controls::LedgerControlsPage);
lazy_page!(console, ConsoleReconciliationPageRoute, super::pages::console_controls::ReconciliationPage);

/// The pages of ledger in the storefront frame (buyers and sellers).
#[component(transparent)]
pub fn StoreRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("seller/balance") ssr=SsrMode::Async view={Lazy::<SellerBalancePageRoute>::new()}/>
    }
    .into_inner()
    .into_any_nested_route()
}

/// The pages of ledger in the console frame.
#[component(transparent)]
pub fn ConsoleRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("ledger") ssr=SsrMode::Async view={Lazy::<ConsoleLedgerPageRoute>::new()}/>
        <Route path=path!("ledger/postings") ssr=SsrMode::Async view={Lazy::<ConsolePostingsPageRoute>::new()}/>
        <Route path=path!("ledger/controls") ssr=SsrMode::Async view={Lazy::<ConsoleLedgerControlsPageRoute>::new()}/>
        <Route path=path!("ledger/reconciliation") ssr=SsrMode::Async view={Lazy::<ConsoleReconciliationPageRoute>::new()}/>
    }
    .into_inner()
    .into_any_nested_route()
}
