//! Where the notifications pages are mounted. `lib.rs` places these fragments in its route table, so a capability's
//! pages and paths are declared here, beside the pages themselves.

use crate::frame::sections::lazy_page;
use leptos::prelude::*;
use leptos_router::any_nested_route::IntoAnyNestedRoute;
use leptos_router::components::Route;
use leptos_router::{path, Lazy, SsrMode};

// Every page here is in a lazily loaded section (see `crate::frame::sections`).
lazy_page!(account, NotificationsPageRoute, super::pages::NotificationsPage);
lazy_page!(account, PreferencesPageRoute, super::preference_pages::PreferencesPage);
lazy_page!(account, UnsubscribePageRoute, super::preference_pages::UnsubscribePage);

/// The pages of notifications in the storefront frame (buyers and sellers).
#[component(transparent)]
pub fn StoreRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("notifications") ssr=SsrMode::Async view={Lazy::<NotificationsPageRoute>::new()}/>
        <Route path=path!("account/notifications") ssr=SsrMode::Async view={Lazy::<PreferencesPageRoute>::new()}/>
        <Route path=path!("unsubscribe") ssr=SsrMode::Async view={Lazy::<UnsubscribePageRoute>::new()}/>
    }
    .into_inner()
    .into_any_nested_route()
}
