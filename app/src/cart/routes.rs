//! Where the cart pages are mounted. `lib.rs` places these fragments in its route table, so a capability's
//! pages and paths are declared here, beside the pages themselves.

use crate::frame::sections::lazy_page;
use leptos::prelude::*;
use leptos_router::any_nested_route::IntoAnyNestedRoute;
use leptos_router::components::Route;
use leptos_router::{path, Lazy, SsrMode};

// Every page here is in a lazily loaded section (see `crate::frame::sections`).
lazy_page!(account, CartPageRoute, super::pages::CartPage);
lazy_page!(account, CheckoutPageRoute, super::pages::CheckoutPage);
lazy_page!(account, AddressesPageRoute, super::pages::AddressesPage);

/// The pages of cart in the storefront frame (buyers and sellers).
#[component(transparent)]
pub fn StoreRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("cart") ssr=SsrMode::Async view={Lazy::<CartPageRoute>::new()}/>
        <Route path=path!("checkout") ssr=SsrMode::Async view={Lazy::<CheckoutPageRoute>::new()}/>
        <Route path=path!("account/addresses") ssr=SsrMode::Async view={Lazy::<AddressesPageRoute>::new()}/>
    }
    .into_inner()
    .into_any_nested_route()
}
