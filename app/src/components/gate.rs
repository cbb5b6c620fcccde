//! What a storefront or seller page shows instead of its content when the visitor may not see it:
//! a signed-out visitor goes to sign in (and comes back), a signed-in user who is no seller member
//! reads "not a seller". Pages pass `seller_error` as the `on_error` of `ListResult`/`DetailResult`.

use super::query::urlencode;
use super::styles::{CARD, H2_LARGE};
use crate::error::AppError;
use crate::i18n::t;
use leptos::prelude::*;
use leptos_router::components::Redirect;

/// To the sign-in page, back to `next` afterwards.
pub fn sign_in_redirect(next: String) -> AnyView {
    view! { <Redirect path=format!("/signin?next={}", urlencode(&next))/> }.into_any()
}

/// A signed-in user who is not a member of a seller.
#[component]
pub fn NotSeller() -> impl IntoView {
    view! {
        <section class=CARD data-testid="not-seller">
            <h2 class=H2_LARGE>{t("seller_center.not_seller_title")}</h2>
            <p class="mt-1 text-sm text-slate-600">{t("seller_center.not_seller_body")}</p>
        </section>
    }
}

/// The errors a page's `on_error` claims: sign in (back to `next`).
pub fn signed_out_error(next: String, e: AppError) -> Option<AnyView> {
    matches!(e, AppError::Unauthenticated).then(|| sign_in_redirect(next))
}

/// The seller pages' answer to a signed-out visitor or a buyer: sign in, or "not a seller".
pub fn seller_error(next: String, e: AppError) -> Option<AnyView> {
    match e {
        AppError::Unauthenticated => Some(sign_in_redirect(next)),
        AppError::Forbidden => Some(view! { <NotSeller/> }.into_any()),
        _ => None,
    }
}
