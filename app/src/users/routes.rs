//! Where the users pages are mounted. `lib.rs` places these fragments in its route table, so a capability's
//! pages and paths are declared here, beside the pages themselves.

use crate::frame::sections::lazy_page;
use leptos::prelude::*;
use leptos_router::any_nested_route::IntoAnyNestedRoute;
use leptos_router::components::Route;
use leptos_router::{path, Lazy, SsrMode};

// Every page here is in a lazily loaded section (see `crate::frame::sections`).
lazy_page!(console, ConsoleUsersPageRoute, super::pages::console::UsersPage);
lazy_page!(console, ConsoleUserDetailPageRoute, super::pages::console_detail::UserDetailPage);
lazy_page!(console, ConsoleOrganisationsPageRoute, super::pages::console::OrganisationsPage);
lazy_page!(console, ConsoleDeletionsPageRoute, super::deletion::pages::DeletionsPage);
lazy_page!(console, ConsoleRolesPageRoute, super::roles::pages::RolesPage);
lazy_page!(console, ConsoleRolePageRoute, super::roles::pages::RolePage);

/// The pages of users in the console frame.
#[component(transparent)]
pub fn ConsoleRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("users") ssr=SsrMode::Async view={Lazy::<ConsoleUsersPageRoute>::new()}/>
        <Route path=path!("users/:id") ssr=SsrMode::Async view={Lazy::<ConsoleUserDetailPageRoute>::new()}/>
        <Route path=path!("deletions") ssr=SsrMode::Async view={Lazy::<ConsoleDeletionsPageRoute>::new()}/>
        <Route path=path!("organisations") ssr=SsrMode::Async view={Lazy::<ConsoleOrganisationsPageRoute>::new()}/>
        <Route path=path!("roles") ssr=SsrMode::Async view={Lazy::<ConsoleRolesPageRoute>::new()}/>
        <Route path=path!("roles/:id") ssr=SsrMode::Async view={Lazy::<ConsoleRolePageRoute>::new()}/>
    }
    .into_inner()
    .into_any_nested_route()
}
