//! Pages (being built: issue 5).

use leptos::prelude::*;

#[component]
pub fn DisputesPage() -> impl IntoView {
    view! { <p>"DisputesPage"</p> }
}

#[component]
pub fn DisputeDetailPage() -> impl IntoView {
    view! { <p>"DisputeDetailPage"</p> }
}

