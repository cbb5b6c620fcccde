//! Console orders.

use leptos::prelude::*;

/// Placeholder until the feature lands (replaced by its owner).
#[component]
pub fn OrdersPage() -> impl IntoView {
    view! { <p>"OrdersPage"</p> }
}

/// Placeholder until the feature lands (replaced by its owner).
#[component]
pub fn OrderDetailPage() -> impl IntoView {
    view! { <p>"OrderDetailPage"</p> }
}
