//! Pages (being built: issue 5).

use leptos::prelude::*;

#[component]
pub fn OpenDisputePage() -> impl IntoView {
    view! { <p>"OpenDisputePage"</p> }
}

#[component]
pub fn DisputePage() -> impl IntoView {
    view! { <p>"DisputePage"</p> }
}

