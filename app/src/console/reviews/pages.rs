//! Review queue pages.

use leptos::prelude::*;

/// Placeholder until the feature lands (replaced by its owner).
#[component]
pub fn ReviewQueuePage() -> impl IntoView {
    view! { <p>"ReviewQueuePage"</p> }
}

/// Placeholder until the feature lands (replaced by its owner).
#[component]
pub fn ReviewDetailPage() -> impl IntoView {
    view! { <p>"ReviewDetailPage"</p> }
}
