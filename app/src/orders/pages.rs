//! Buyer and seller order pages.

use leptos::prelude::*;

/// Placeholder until the feature lands (replaced by its owner).
#[component]
pub fn BuyerOrdersPage() -> impl IntoView {
    view! { <p>"BuyerOrdersPage"</p> }
}

/// Placeholder until the feature lands (replaced by its owner).
#[component]
pub fn BuyerOrderPage() -> impl IntoView {
    view! { <p>"BuyerOrderPage"</p> }
}

/// Placeholder until the feature lands (replaced by its owner).
#[component]
pub fn SellerOrdersPage() -> impl IntoView {
    view! { <p>"SellerOrdersPage"</p> }
}

/// Placeholder until the feature lands (replaced by its owner).
#[component]
pub fn SellerOrderPage() -> impl IntoView {
    view! { <p>"SellerOrderPage"</p> }
}
