//! Cart, checkout and address book pages.

use leptos::prelude::*;

/// Placeholder until the feature lands (replaced by its owner).
#[component]
pub fn CartPage() -> impl IntoView {
    view! { <p>"CartPage"</p> }
}

/// Placeholder until the feature lands (replaced by its owner).
#[component]
pub fn CheckoutPage() -> impl IntoView {
    view! { <p>"CheckoutPage"</p> }
}

/// Placeholder until the feature lands (replaced by its owner).
#[component]
pub fn AddressesPage() -> impl IntoView {
    view! { <p>"AddressesPage"</p> }
}
