//! Ledger controls (being built: issue 5).

use leptos::prelude::*;

#[component]
pub fn LedgerControlsPage() -> impl IntoView {
    view! { <p>"LedgerControlsPage"</p> }
}

#[component]
pub fn ReconciliationPage() -> impl IntoView {
    view! { <p>"ReconciliationPage"</p> }
}
