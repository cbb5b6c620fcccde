//! Appeal page.

use leptos::prelude::*;

/// Placeholder until the feature lands (replaced by its owner).
#[component]
pub fn AppealPage() -> impl IntoView {
    view! { <p>"AppealPage"</p> }
}
