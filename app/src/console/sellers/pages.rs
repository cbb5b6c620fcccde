//! Seller applications queue and detail.

use leptos::prelude::*;

/// Placeholder until the feature lands (replaced by its owner).
#[component]
pub fn SellersPage() -> impl IntoView {
    view! { <p>"SellersPage"</p> }
}

/// Placeholder until the feature lands (replaced by its owner).
#[component]
pub fn SellerDetailPage() -> impl IntoView {
    view! { <p>"SellerDetailPage"</p> }
}
