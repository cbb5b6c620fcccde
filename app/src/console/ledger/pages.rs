//! Ledger and commission pages.

use leptos::prelude::*;

/// Placeholder until the feature lands (replaced by its owner).
#[component]
pub fn LedgerPage() -> impl IntoView {
    view! { <p>"LedgerPage"</p> }
}

/// Placeholder until the feature lands (replaced by its owner).
#[component]
pub fn PostingsPage() -> impl IntoView {
    view! { <p>"PostingsPage"</p> }
}

/// Placeholder until the feature lands (replaced by its owner).
#[component]
pub fn CommissionPage() -> impl IntoView {
    view! { <p>"CommissionPage"</p> }
}
