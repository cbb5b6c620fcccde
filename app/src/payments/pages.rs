//! The buyer's payment page.

use leptos::prelude::*;

/// Placeholder until the feature lands (replaced by its owner).
#[component]
pub fn PayPage() -> impl IntoView {
    view! { <p>"PayPage"</p> }
}
