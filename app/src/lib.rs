//! Agora: the storefront (`/`), the seller center (`/seller`) and the operations console (`/console`),
//! rendered on the server and hydrated in the browser. This file holds the shell, the app-wide context
//! and the route table; each feature lives in its own folder.

#![recursion_limit = "256"]

pub mod alerts;
pub mod audit;
pub mod auth;
pub mod capability;
pub mod cart;
pub mod categories;
#[cfg(feature = "ssr")]
pub mod channels;
pub mod command_center;
pub mod commission;
pub mod components;
pub mod curation;
pub mod delivery;
pub mod disputes;
pub mod domain;
pub mod error;
pub mod exports;
pub mod finance;
pub mod frame;
pub mod i18n;
pub mod ledger;
pub mod listings;
pub mod notifications;
pub mod orders;
pub mod payments;
pub mod payouts;
#[cfg(feature = "ssr")]
pub mod platform;
pub mod readiness;
pub mod refunds;
pub mod registry;
pub mod reports;
pub mod reviews;
pub mod risk;
pub mod sellers;
pub mod session;
pub mod settings;
pub mod storefront;
pub mod templates;
#[cfg(feature = "ssr")]
pub mod timers;
pub mod trust;
pub mod users;
pub mod webhooks;

use auth::api::{SignIn, SignOut, SignUp};
use i18n::Lang;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{path, Lazy, SsrMode};
use session::Session;

/// The HTML document around the app (server only).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    let lang = auth::api::current_lang();
    #[cfg(not(feature = "ssr"))]
    let lang = Lang::default();
    let viewer_json = auth::model::viewer_json(&request_viewer());
    let site_json = auth::model::embedded_json(&request_site());
    // The storefront's browsing pages load the islands bundle, every other page the app
    // (`frame::islands`).
    let islands = frame::islands::rendering_islands_page();
    let scripts = if islands { frame::islands::bundle_options(&options) } else { options.clone() };
    view! {
        <!DOCTYPE html>
        <html lang=lang.code()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options=scripts islands/>
                <HashedStylesheet options id="leptos"/>
                // In the head, not the body: the body is hydrated node by node and must hold only <App/>.
                <script id=auth::model::VIEWER_SCRIPT_ID type="application/json" inner_html=viewer_json></script>
                <script id=settings::model::SITE_SCRIPT_ID type="application/json" inner_html=site_json></script>
                <MetaTags/>
            </head>
            <body class="min-h-screen bg-slate-50 text-slate-900 antialiased">
                <App/>
            </body>
        </html>
    }
}

/// The viewer of this request: from the server middleware while rendering, from the page's embedded
/// JSON while hydrating.
fn request_viewer() -> auth::model::RequestViewer {
    from_request(auth::model::VIEWER_SCRIPT_ID)
}

/// What the settings say to this request (maintenance, flags), the same way.
fn request_site() -> settings::model::RequestSite {
    from_request(settings::model::SITE_SCRIPT_ID)
}

/// A request extension the server middleware set, or (hydrating) its JSON embedded under `_script_id`.
fn from_request<T>(_script_id: &str) -> T
where
    T: Clone + Default + Send + Sync + serde::de::DeserializeOwned + 'static,
{
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>().and_then(|p| p.extensions.get::<T>().cloned()).unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        document()
            .get_element_by_id(_script_id)
            .and_then(|e| e.text_content())
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default()
    }
}

fn initial_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        auth::api::current_lang()
    }
    #[cfg(not(feature = "ssr"))]
    {
        i18n::document_lang().unwrap_or_default()
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let lang = RwSignal::new(initial_lang());
    provide_context(lang);
    let sign_in = ServerAction::<SignIn>::new();
    let sign_up = ServerAction::<SignUp>::new();
    let sign_out = ServerAction::<SignOut>::new();
    let viewer = Signal::stored(request_viewer().0);
    provide_context(Session { sign_in, sign_up, sign_out, viewer });
    provide_context(notifications::components::NotificationsRead(RwSignal::new(0)));

    // Only the storefront's browsing pages are in the main WASM module; the console, the seller center
    // and the account pages are lazy routes, each section a chunk of its own that the browser loads on
    // entering it (`frame::sections`).
    // Pages behind sign-in render in `SsrMode::Async`: the server waits for their data before sending
    // headers, so a redirect to /signin or a 403/404 status reaches the browser as a real status.
    let site = request_site();
    provide_context(settings::model::SiteFlags(site.flags));
    let notice = site.maintenance;
    view! {
        <Title formatter=i18n::document_title/>
        <settings::pages::MaintenanceBanner notice/>
        <Router>
            <Routes fallback=frame::storefront::NotFoundPage>
                <ParentRoute path=path!("") view=frame::storefront::StoreLayout>
                    <storefront::routes::StoreRoutes/>
                    <cart::routes::StoreRoutes/>
                    <payments::routes::StoreRoutes/>
                    <orders::routes::StoreRoutes/>
                    <ledger::routes::StoreRoutes/>
                    <refunds::routes::StoreRoutes/>
                    <disputes::routes::StoreRoutes/>
                    <payouts::routes::StoreRoutes/>
                    <sellers::routes::StoreRoutes/>
                    <listings::routes::StoreRoutes/>
                    <trust::routes::StoreRoutes/>
                    <auth::routes::StoreRoutes/>
                    <notifications::routes::StoreRoutes/>
                    <webhooks::routes::StoreRoutes/>
                </ParentRoute>
                <ParentRoute path=path!("console") view={Lazy::<frame::console::ConsoleShellRoute>::new()} ssr=SsrMode::Async>
                    <Route path=path!("") ssr=SsrMode::Async view={Lazy::<command_center::routes::CommandCenterRoute>::new()}/>
                    <users::routes::ConsoleRoutes/>
                    <sellers::routes::ConsoleRoutes/>
                    <reviews::routes::ConsoleRoutes/>
                    <categories::routes::ConsoleRoutes/>
                    <trust::routes::ConsoleRoutes/>
                    <orders::routes::ConsoleRoutes/>
                    <payments::routes::ConsoleRoutes/>
                    <ledger::routes::ConsoleRoutes/>
                    <commission::routes::ConsoleRoutes/>
                    <refunds::routes::ConsoleRoutes/>
                    <disputes::routes::ConsoleRoutes/>
                    <payouts::routes::ConsoleRoutes/>
                    <delivery::routes::ConsoleRoutes/>
                    <templates::routes::ConsoleRoutes/>
                    <audit::routes::ConsoleRoutes/>
                    <reports::routes::ConsoleRoutes/>
                    <exports::routes::ConsoleRoutes/>
                    <webhooks::routes::ConsoleRoutes/>
                    <readiness::routes::ConsoleRoutes/>
                    <settings::routes::ConsoleRoutes/>
                    <alerts::routes::ConsoleRoutes/>
                    <risk::routes::ConsoleRoutes/>
                    <curation::routes::ConsoleRoutes/>
                </ParentRoute>
            </Routes>
        </Router>
    }
}
