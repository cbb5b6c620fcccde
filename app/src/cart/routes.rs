//! Where the cart pages are mounted. `lib.rs` places these fragments in its route table, so a capability's
//! pages and paths are declared here, beside the pages themselves.

use leptos::prelude::*;
use leptos_router::any_nested_route::IntoAnyNestedRoute;
use leptos_router::components::Route;
use leptos_router::{path, SsrMode};

/// The pages of cart in the storefront frame (buyers and sellers).
#[component(transparent)]
pub fn StoreRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("cart") ssr=SsrMode::Async view=super::pages::CartPage/>
        <Route path=path!("checkout") ssr=SsrMode::Async view=super::pages::CheckoutPage/>
        <Route path=path!("account/addresses") ssr=SsrMode::Async view=super::pages::AddressesPage/>
    }
    .into_inner()
    .into_any_nested_route()
}
