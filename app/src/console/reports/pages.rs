//! Reports queue pages.

use leptos::prelude::*;

/// Placeholder until the feature lands (replaced by its owner).
#[component]
pub fn ReportsPage() -> impl IntoView {
    view! { <p>"ReportsPage"</p> }
}

/// Placeholder until the feature lands (replaced by its owner).
#[component]
pub fn ReportDetailPage() -> impl IntoView {
    view! { <p>"ReportDetailPage"</p> }
}
