//! Seller balance page.

use leptos::prelude::*;

/// Placeholder until the feature lands (replaced by its owner).
#[component]
pub fn SellerBalancePage() -> impl IntoView {
    view! { <p>"SellerBalancePage"</p> }
}
