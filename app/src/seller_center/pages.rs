//! Seller center pages.

use leptos::prelude::*;

/// Placeholder until the feature lands (replaced by its owner).
#[component]
pub fn SellerHomePage() -> impl IntoView {
    view! { <p>"SellerHomePage"</p> }
}

/// Placeholder until the feature lands (replaced by its owner).
#[component]
pub fn NewListingPage() -> impl IntoView {
    view! { <p>"NewListingPage"</p> }
}

/// Placeholder until the feature lands (replaced by its owner).
#[component]
pub fn ListingEditPage() -> impl IntoView {
    view! { <p>"ListingEditPage"</p> }
}
