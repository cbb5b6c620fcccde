//! Agora: the storefront (`/`), the seller center (`/seller`) and the operations console (`/console`),
//! rendered on the server and hydrated in the browser. This file holds the shell, the app-wide context
//! and the route table; each feature lives in its own folder.

#![recursion_limit = "256"]

pub mod auth;
pub mod cart;
pub mod categories;
pub mod commission;
pub mod components;
pub mod console;
pub mod disputes;
pub mod domain;
pub mod error;
pub mod finance;
pub mod i18n;
pub mod layout;
pub mod layout_messages;
pub mod ledger;
pub mod notifications;
pub mod orders;
pub mod payments;
pub mod payouts;
#[cfg(feature = "ssr")]
pub mod platform;
pub mod refunds;
pub mod seller_center;
pub mod sellers;
pub mod session;
pub mod storefront;
#[cfg(feature = "ssr")]
pub mod timers;
pub mod trust;

use auth::api::{SignIn, SignOut, SignUp};
use i18n::Lang;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{path, SsrMode};
use session::Session;

/// The HTML document around the app (server only).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    let lang = auth::api::current_lang();
    #[cfg(not(feature = "ssr"))]
    let lang = Lang::default();
    let viewer_json = auth::model::viewer_json(&request_viewer());
    view! {
        <!DOCTYPE html>
        <html lang=lang.code()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options=options.clone()/>
                <HashedStylesheet options id="leptos"/>
                // In the head, not the body: the body is hydrated node by node and must hold only <App/>.
                <script id=auth::model::VIEWER_SCRIPT_ID type="application/json" inner_html=viewer_json></script>
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
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .and_then(|p| p.extensions.get::<auth::model::RequestViewer>().cloned())
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        document()
            .get_element_by_id(auth::model::VIEWER_SCRIPT_ID)
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
        document()
            .document_element()
            .and_then(|e| e.get_attribute("lang"))
            .and_then(|l| Lang::parse(&l))
            .unwrap_or_default()
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

    // Pages behind sign-in render in `SsrMode::Async`: the server waits for their data before sending
    // headers, so a redirect to /signin or a 403/404 status reaches the browser as a real status.
    view! {
        <Title formatter=i18n::document_title/>
        <Router>
            <Routes fallback=layout::NotFoundPage>
                <ParentRoute path=path!("") view=layout::StoreLayout>
                    <Route path=path!("") ssr=SsrMode::Async view=storefront::pages::HomePage/>
                    <Route path=path!("c/:slug") ssr=SsrMode::Async view=storefront::pages::CategoryPage/>
                    <Route path=path!("search") ssr=SsrMode::Async view=storefront::pages::SearchPage/>
                    <Route path=path!("p/:id") ssr=SsrMode::Async view=storefront::pages::ProductPage/>
                    <Route path=path!("s/:id") ssr=SsrMode::Async view=storefront::pages::SellerStorePage/>
                    <Route path=path!("cart") ssr=SsrMode::Async view=cart::pages::CartPage/>
                    <Route path=path!("checkout") ssr=SsrMode::Async view=cart::pages::CheckoutPage/>
                    <Route path=path!("checkout/:id/pay") ssr=SsrMode::Async view=payments::pages::PayPage/>
                    <Route path=path!("account/addresses") ssr=SsrMode::Async view=cart::pages::AddressesPage/>
                    <Route path=path!("orders") ssr=SsrMode::Async view=orders::pages::BuyerOrdersPage/>
                    <Route path=path!("orders/:number") ssr=SsrMode::Async view=orders::pages::BuyerOrderPage/>
                    <Route path=path!("seller/orders") ssr=SsrMode::Async view=orders::pages::SellerOrdersPage/>
                    <Route path=path!("seller/orders/:number") ssr=SsrMode::Async view=orders::pages::SellerOrderPage/>
                    <Route path=path!("seller/balance") ssr=SsrMode::Async view=ledger::pages::SellerBalancePage/>
                    <Route path=path!("orders/:number/refund") ssr=SsrMode::Async view=refunds::pages::RefundRequestPage/>
                    <Route path=path!("orders/:number/dispute") ssr=SsrMode::Async view=disputes::pages::OpenDisputePage/>
                    <Route path=path!("disputes/:id") ssr=SsrMode::Async view=disputes::pages::DisputePage/>
                    <Route path=path!("seller/refunds") ssr=SsrMode::Async view=refunds::pages::SellerRefundsPage/>
                    <Route path=path!("seller/refunds/:id") ssr=SsrMode::Async view=refunds::pages::SellerRefundPage/>
                    <Route path=path!("seller/payouts") ssr=SsrMode::Async view=payouts::pages::SellerPayoutsPage/>
                    <Route path=path!("seller/payouts/accounts") ssr=SsrMode::Async view=payouts::pages::PayoutAccountsPage/>
                    <Route path=path!("sell") ssr=SsrMode::Async view=sellers::pages::ApplyPage/>
                    <Route path=path!("seller") ssr=SsrMode::Async view=seller_center::pages::SellerHomePage/>
                    <Route path=path!("seller/team") ssr=SsrMode::Async view=sellers::team::TeamPage/>
                    <Route path=path!("seller/listings/new") ssr=SsrMode::Async view=seller_center::pages::NewListingPage/>
                    <Route path=path!("seller/listings/:id") ssr=SsrMode::Async view=seller_center::pages::ListingEditPage/>
                    <Route path=path!("seller/listings/:id/appeal") ssr=SsrMode::Async view=trust::pages::AppealPage/>
                    <Route path=path!("signin") ssr=SsrMode::Async view=auth::pages::SignInPage/>
                    <Route path=path!("signup") ssr=SsrMode::Async view=auth::pages::SignUpPage/>
                    <Route path=path!("account") ssr=SsrMode::Async view=auth::pages::AccountPage/>
                    <Route path=path!("bootstrap") ssr=SsrMode::Async view=auth::pages::BootstrapPage/>
                    <Route path=path!("notifications") ssr=SsrMode::Async view=notifications::pages::NotificationsPage/>
                </ParentRoute>
                <ParentRoute path=path!("console") view=console::shell::ConsoleShell ssr=SsrMode::Async>
                    <Route path=path!("") ssr=SsrMode::Async view=console::home::ConsoleHome/>
                    <Route path=path!("users") ssr=SsrMode::Async view=console::users::pages::UsersPage/>
                    <Route path=path!("users/:id") ssr=SsrMode::Async view=console::users::detail::UserDetailPage/>
                    <Route path=path!("organisations") ssr=SsrMode::Async view=console::users::pages::OrganisationsPage/>
                    <Route path=path!("sellers") ssr=SsrMode::Async view=console::sellers::pages::SellersPage/>
                    <Route path=path!("sellers/:id") ssr=SsrMode::Async view=console::sellers::pages::SellerDetailPage/>
                    <Route path=path!("reviews") ssr=SsrMode::Async view=console::reviews::pages::ReviewQueuePage/>
                    <Route path=path!("reviews/:id") ssr=SsrMode::Async view=console::reviews::detail::ReviewDetailPage/>
                    <Route path=path!("categories") ssr=SsrMode::Async view=console::categories::pages::CategoriesPage/>
                    <Route path=path!("reports") ssr=SsrMode::Async view=console::reports::pages::ReportsPage/>
                    <Route path=path!("reports/:id") ssr=SsrMode::Async view=console::reports::detail::ReportDetailPage/>
                    <Route path=path!("orders") ssr=SsrMode::Async view=console::orders::pages::OrdersPage/>
                    <Route path=path!("orders/:number") ssr=SsrMode::Async view=console::orders::pages::OrderDetailPage/>
                    <Route path=path!("payments") ssr=SsrMode::Async view=console::payments::pages::PaymentsPage/>
                    <Route path=path!("payments/:id") ssr=SsrMode::Async view=console::payments::pages::PaymentDetailPage/>
                    <Route path=path!("settings/payments") ssr=SsrMode::Async view=console::payments::pages::PaymentSettingsPage/>
                    <Route path=path!("ledger") ssr=SsrMode::Async view=console::ledger::pages::LedgerPage/>
                    <Route path=path!("ledger/postings") ssr=SsrMode::Async view=console::ledger::pages::PostingsPage/>
                    <Route path=path!("commission") ssr=SsrMode::Async view=console::ledger::pages::CommissionPage/>
                    <Route path=path!("ledger/controls") ssr=SsrMode::Async view=console::ledger::controls::LedgerControlsPage/>
                    <Route path=path!("ledger/reconciliation") ssr=SsrMode::Async view=console::ledger::controls::ReconciliationPage/>
                    <Route path=path!("refunds") ssr=SsrMode::Async view=console::refunds::pages::RefundsPage/>
                    <Route path=path!("refunds/:id") ssr=SsrMode::Async view=console::refunds::pages::RefundDetailPage/>
                    <Route path=path!("disputes") ssr=SsrMode::Async view=console::disputes::pages::DisputesPage/>
                    <Route path=path!("disputes/:id") ssr=SsrMode::Async view=console::disputes::pages::DisputeDetailPage/>
                    <Route path=path!("payouts") ssr=SsrMode::Async view=console::payouts::pages::PayoutsPage/>
                    <Route path=path!("payouts/:id") ssr=SsrMode::Async view=console::payouts::pages::PayoutDetailPage/>
                    <Route path=path!("audit") ssr=SsrMode::Async view=console::audit::pages::AuditPage/>
                    <Route path=path!("audit/:id") ssr=SsrMode::Async view=console::audit::pages::AuditDetailPage/>
                </ParentRoute>
            </Routes>
        </Router>
    }
}
