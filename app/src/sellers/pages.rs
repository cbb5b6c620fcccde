//! Seller onboarding pages.

use leptos::prelude::*;

/// Placeholder until the feature lands (replaced by its owner).
#[component]
pub fn ApplyPage() -> impl IntoView {
    view! { <p>"ApplyPage"</p> }
}

/// Placeholder until the feature lands (replaced by its owner).
#[component]
pub fn TeamPage() -> impl IntoView {
    view! { <p>"TeamPage"</p> }
}
