//! The report button shown on product and seller pages.

use leptos::prelude::*;

/// Placeholder until trust & safety lands: `target` is "listing" or "seller".
#[component]
pub fn ReportButton(#[prop(into)] target: String, target_id: i64) -> impl IntoView {
    let _ = (target, target_id);
}
