//! Pages (being built: issue 5).

use leptos::prelude::*;

#[component]
pub fn RefundsPage() -> impl IntoView {
    view! { <p>"RefundsPage"</p> }
}

#[component]
pub fn RefundDetailPage() -> impl IntoView {
    view! { <p>"RefundDetailPage"</p> }
}

