//! Pages (being built: issue 5).

use leptos::prelude::*;

#[component]
pub fn SellerPayoutsPage() -> impl IntoView {
    view! { <p>"SellerPayoutsPage"</p> }
}

#[component]
pub fn PayoutAccountsPage() -> impl IntoView {
    view! { <p>"PayoutAccountsPage"</p> }
}

