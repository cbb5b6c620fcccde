//! Pages (being built: issue 5).

use leptos::prelude::*;

#[component]
pub fn RefundRequestPage() -> impl IntoView {
    view! { <p>"RefundRequestPage"</p> }
}

#[component]
pub fn SellerRefundsPage() -> impl IntoView {
    view! { <p>"SellerRefundsPage"</p> }
}

#[component]
pub fn SellerRefundPage() -> impl IntoView {
    view! { <p>"SellerRefundPage"</p> }
}

