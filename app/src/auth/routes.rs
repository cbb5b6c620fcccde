//! Where the auth pages are mounted. `lib.rs` places these fragments in its route table, so a capability's
//! pages and paths are declared here, beside the pages themselves.

use leptos::prelude::*;
use leptos_router::any_nested_route::IntoAnyNestedRoute;
use leptos_router::components::Route;
use leptos_router::{path, SsrMode};

/// The pages of auth in the storefront frame (buyers and sellers).
#[component(transparent)]
pub fn StoreRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("signin") ssr=SsrMode::Async view=super::pages::SignInPage/>
        <Route path=path!("signup") ssr=SsrMode::Async view=super::pages::SignUpPage/>
        <Route path=path!("account") ssr=SsrMode::Async view=super::pages::AccountPage/>
        <Route path=path!("bootstrap") ssr=SsrMode::Async view=super::pages::BootstrapPage/>
    }
    .into_inner()
    .into_any_nested_route()
}
