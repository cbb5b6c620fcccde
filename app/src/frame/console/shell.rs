//! Seed 004's frame: top bar (logo, environment badge, search, bell, account), a sidebar with only the
//! sections the operator may open, and a page header with breadcrumbs, title and actions.

use super::api::console_environment;
use crate::auth::model::Viewer;
use crate::capability::ConsoleSection;
use crate::components::query::urlencode;
use crate::components::styles::H1;
use crate::components::ForbiddenState;
use crate::components::{StatusBadge, Tone};
use crate::domain::permissions::CONSOLE_VIEW;
use crate::frame::storefront::LanguageSwitch;
use crate::i18n::t;
use crate::notifications::components::NotificationBell;
use crate::session::use_session;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Outlet, Redirect};
use leptos_router::hooks::use_location;

/// The command center, first in the sidebar; every capability declares its own sections after it.
const HOME: ConsoleSection = ConsoleSection { path: "/console", label: "console.home", permission: CONSOLE_VIEW };

/// The console's sections in sidebar order, each with the permission that opens it.
pub fn sections() -> impl Iterator<Item = &'static ConsoleSection> {
    std::iter::once(&HOME).chain(crate::registry::console_sections())
}

#[component]
pub fn ConsoleShell() -> impl IntoView {
    let session = use_session();
    let location = use_location();
    // The viewer is known before rendering, so this decides once and the frame (with its
    // resources) is built once.
    move || match session.viewer.get() {
        None => {
            let next = location.pathname.get_untracked();
            view! { <Redirect path=format!("/signin?next={}", urlencode(&next))/> }.into_any()
        }
        Some(viewer) if !viewer.is_operator() => {
            view! { <div class="mx-auto max-w-xl p-8"><ForbiddenState/></div> }.into_any()
        }
        // The console opens once the operator has a second factor (the server functions refuse too).
        Some(viewer) if viewer.must_enrol_second_factor => {
            view! { <Redirect path="/account#second-factor"/> }.into_any()
        }
        Some(viewer) => view! { <ConsoleFrame viewer/> }.into_any(),
    }
}

/// Provided to console pages, so each can check what the operator may do.
#[derive(Clone)]
pub struct Operator(pub Viewer);

pub fn use_operator() -> Option<Viewer> {
    use_context::<Operator>().map(|o| o.0)
}

#[component]
fn ConsoleFrame(viewer: Viewer) -> impl IntoView {
    provide_context(Operator(viewer.clone()));
    let location = use_location();
    let production = Resource::new(|| (), |_| console_environment());
    let visible: Vec<_> = sections().filter(|s| viewer.can(s.permission)).collect();
    view! {
        <Title text=crate::i18n::title("console.title")/>
        <div class="flex min-h-screen flex-col">
            <header class="sticky top-0 z-10 flex h-14 items-center gap-3 border-b border-slate-800 bg-slate-900 px-4 text-white">
                <a href="/console" class="flex items-center gap-2 font-semibold">
                    <span aria-hidden="true" class="grid h-7 w-7 place-items-center rounded-md bg-indigo-500 text-sm">"A"</span>
                    <span class="hidden sm:inline">{t("console.title")}</span>
                </a>
                <Transition fallback=|| ()>
                    {move || production.get().and_then(|p| p.ok()).map(|production| {
                        // Production is the environment where a slip costs real money: it shouts.
                        let (key, tone) = if production {
                            ("console.env.production", Tone::Urgent)
                        } else {
                            ("console.env.development", Tone::Warning)
                        };
                        view! { <StatusBadge tone label=t(key) testid="env-badge"/> }
                    })}
                </Transition>
                <form method="get" action="/console/users" role="search" class="ml-auto hidden md:block">
                    <label for="console-search" class="sr-only">{t("console.search")}</label>
                    <input id="console-search" name="q" type="search" maxlength="100" placeholder=t("console.search")
                        class="w-72 rounded-md border border-slate-700 bg-slate-800 px-3 py-1.5 text-sm text-white placeholder:text-slate-400 focus:border-indigo-400 focus:outline-none"/>
                </form>
                <div class="ml-auto flex items-center gap-1 text-slate-200 md:ml-0 [&_a]:text-slate-200 [&_button]:text-slate-200">
                    <LanguageSwitch/>
                    <NotificationBell/>
                    <a href="/account" data-testid="account-link" class="rounded-md px-2 py-1 text-sm hover:bg-slate-800">{viewer.display_name.clone()}</a>
                    <a href="/" class="hidden rounded-md px-2 py-1 text-sm hover:bg-slate-800 sm:inline">{t("console.store")}</a>
                </div>
            </header>
            <div class="flex flex-1 flex-col md:flex-row">
                <nav aria-label=t("console.nav") class="border-b border-slate-200 bg-white md:w-56 md:border-b-0 md:border-r">
                    <ul class="flex gap-1 overflow-x-auto p-2 md:flex-col">
                        {visible.into_iter().map(|section| {
                            let (href, key) = (section.path, section.label);
                            // The longest section the path is under is the current one: on
                            // /console/ledger/controls that is "Ledger controls", not "Ledger".
                            let under = |path: &str, h: &str| path == h || (h != "/console" && path.starts_with(&format!("{h}/")));
                            let current = move || {
                                let path = location.pathname.get();
                                under(&path, href)
                                    && !sections().any(|other| other.path.len() > href.len() && under(&path, other.path))
                            };
                            view! {
                                <li>
                                    <a href=href
                                        aria-current=move || current().then_some("page")
                                        class="block whitespace-nowrap rounded-md px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100 aria-[current=page]:bg-indigo-50 aria-[current=page]:text-indigo-700">
                                        {t(key)}
                                    </a>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </nav>
                <main id="main" class="min-w-0 flex-1 p-4 md:p-8">
                    <Outlet/>
                </main>
            </div>
        </div>
    }
}

/// Breadcrumbs, the page title and the page's actions.
#[component]
pub fn PageHeader(
    /// Message key of the title.
    title: &'static str,
    /// `(message key, href)` of the pages above this one, after the command center.
    crumbs: Vec<(&'static str, &'static str)>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    // The command center is the root: it has no trail above it.
    let trail = (!crumbs.is_empty()).then(|| {
        view! {
            <nav aria-label=t("console.breadcrumb") class="mb-2 text-sm text-slate-500">
                <ol class="flex flex-wrap items-center gap-1">
                    <li><a href="/console" class="hover:underline">{t("console.home")}</a></li>
                    {crumbs.into_iter().map(|(key, href)| view! {
                        <li aria-hidden="true">"/"</li>
                        <li><a href=href class="hover:underline">{t(key)}</a></li>
                    }).collect_view()}
                </ol>
            </nav>
        }
    });
    view! {
        <Title text=crate::i18n::title(title)/>
        {trail}
        <div class="mb-6 flex flex-wrap items-center justify-between gap-3">
            <h1 class=H1>{t(title)}</h1>
            <div class="flex items-center gap-2">{children.map(|c| c())}</div>
        </div>
    }
}
