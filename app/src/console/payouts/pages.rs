//! Pages (being built: issue 5).

use leptos::prelude::*;

#[component]
pub fn PayoutsPage() -> impl IntoView {
    view! { <p>"PayoutsPage"</p> }
}

#[component]
pub fn PayoutDetailPage() -> impl IntoView {
    view! { <p>"PayoutDetailPage"</p> }
}

