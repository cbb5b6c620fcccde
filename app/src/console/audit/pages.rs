use leptos::prelude::*;

#[component]
pub fn AuditPage() -> impl IntoView {
    view! { <p>"audit"</p> }
}

#[component]
pub fn AuditDetailPage() -> impl IntoView {
    view! { <p>"entry"</p> }
}
