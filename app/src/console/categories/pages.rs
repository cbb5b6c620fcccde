//! Category management.

use leptos::prelude::*;

/// Placeholder until the feature lands (replaced by its owner).
#[component]
pub fn CategoriesPage() -> impl IntoView {
    view! { <p>"CategoriesPage"</p> }
}
