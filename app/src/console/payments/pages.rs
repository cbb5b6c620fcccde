//! Payments queue, detail and settings.

use leptos::prelude::*;

/// Placeholder until the feature lands (replaced by its owner).
#[component]
pub fn PaymentsPage() -> impl IntoView {
    view! { <p>"PaymentsPage"</p> }
}

/// Placeholder until the feature lands (replaced by its owner).
#[component]
pub fn PaymentDetailPage() -> impl IntoView {
    view! { <p>"PaymentDetailPage"</p> }
}

/// Placeholder until the feature lands (replaced by its owner).
#[component]
pub fn PaymentSettingsPage() -> impl IntoView {
    view! { <p>"PaymentSettingsPage"</p> }
}
