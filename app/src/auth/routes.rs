//! Where the auth pages are mounted. `lib.rs` places these fragments in its route table, so a capability's
//! pages and paths are declared here, beside the pages themselves.

use crate::frame::sections::lazy_page;
use leptos::prelude::*;
use leptos_router::any_nested_route::IntoAnyNestedRoute;
use leptos_router::components::Route;
use leptos_router::{path, Lazy, SsrMode};

// Every page here is in a lazily loaded section (see `crate::frame::sections`).
lazy_page!(account, SignInPageRoute, super::pages::SignInPage);
lazy_page!(account, SignUpPageRoute, super::pages::SignUpPage);
lazy_page!(account, AccountPageRoute, super::pages::AccountPage);
lazy_page!(account, BootstrapPageRoute, super::pages::BootstrapPage);
lazy_page!(account, SignInCodePageRoute, super::mail_pages::SignInCodePage);
lazy_page!(account, ForgotPasswordPageRoute, super::mail_pages::ForgotPasswordPage);
lazy_page!(account, ResetPasswordPageRoute, super::mail_pages::ResetPasswordPage);
lazy_page!(account, VerifyEmailPageRoute, super::mail_pages::VerifyEmailPage);
lazy_page!(account, ConfirmEmailPageRoute, super::mail_pages::ConfirmEmailPage);
lazy_page!(account, UnlockPageRoute, super::mail_pages::UnlockPage);
lazy_page!(account, SecondFactorStepPageRoute, super::second_factor::pages::SecondFactorStepPage);
lazy_page!(account, LinkIdentityPageRoute, super::providers::pages::LinkIdentityPage);

/// The pages of auth in the storefront frame (buyers and sellers).
#[component(transparent)]
pub fn StoreRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("signin") ssr=SsrMode::Async view={Lazy::<SignInPageRoute>::new()}/>
        <Route path=path!("signup") ssr=SsrMode::Async view={Lazy::<SignUpPageRoute>::new()}/>
        <Route path=path!("account") ssr=SsrMode::Async view={Lazy::<AccountPageRoute>::new()}/>
        <Route path=path!("bootstrap") ssr=SsrMode::Async view={Lazy::<BootstrapPageRoute>::new()}/>
        <Route path=path!("signin/code") ssr=SsrMode::Async view={Lazy::<SignInCodePageRoute>::new()}/>
        <Route path=path!("forgot-password") ssr=SsrMode::Async view={Lazy::<ForgotPasswordPageRoute>::new()}/>
        <Route path=path!("reset-password") ssr=SsrMode::Async view={Lazy::<ResetPasswordPageRoute>::new()}/>
        <Route path=path!("account/verify") ssr=SsrMode::Async view={Lazy::<VerifyEmailPageRoute>::new()}/>
        <Route path=path!("account/email/confirm") ssr=SsrMode::Async view={Lazy::<ConfirmEmailPageRoute>::new()}/>
        <Route path=path!("unlock") ssr=SsrMode::Async view={Lazy::<UnlockPageRoute>::new()}/>
        <Route path=path!("signin/second-factor") ssr=SsrMode::Async view={Lazy::<SecondFactorStepPageRoute>::new()}/>
        <Route path=path!("signin/link") ssr=SsrMode::Async view={Lazy::<LinkIdentityPageRoute>::new()}/>
    }
    .into_inner()
    .into_any_nested_route()
}
