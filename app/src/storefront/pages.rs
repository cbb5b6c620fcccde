//! Storefront pages.

use leptos::prelude::*;

/// Placeholder until the feature lands (replaced by its owner).
#[component]
pub fn HomePage() -> impl IntoView {
    view! { <p>"HomePage"</p> }
}

/// Placeholder until the feature lands (replaced by its owner).
#[component]
pub fn CategoryPage() -> impl IntoView {
    view! { <p>"CategoryPage"</p> }
}

/// Placeholder until the feature lands (replaced by its owner).
#[component]
pub fn SearchPage() -> impl IntoView {
    view! { <p>"SearchPage"</p> }
}

/// Placeholder until the feature lands (replaced by its owner).
#[component]
pub fn ProductPage() -> impl IntoView {
    view! { <p>"ProductPage"</p> }
}

/// Placeholder until the feature lands (replaced by its owner).
#[component]
pub fn SellerStorePage() -> impl IntoView {
    view! { <p>"SellerStorePage"</p> }
}
