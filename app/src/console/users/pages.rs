use leptos::prelude::*;

#[component]
pub fn UsersPage() -> impl IntoView {
    view! { <p>"users"</p> }
}

#[component]
pub fn UserDetailPage() -> impl IntoView {
    view! { <p>"user"</p> }
}

#[component]
pub fn OrganisationsPage() -> impl IntoView {
    view! { <p>"orgs"</p> }
}
