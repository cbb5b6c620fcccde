//! The storefront frame (header, language switch, account menu) and the pages every surface shares.

use crate::auth::api::SetLanguage;
use crate::components::styles::LINK;
use crate::i18n::{t, use_lang, Lang};
use crate::notifications::components::NotificationBell;
use crate::session::use_session;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Outlet, A};

/// Switches zh/en at once in the page and remembers it (cookie, and the account when signed in).
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<SetLanguage>::new();
    let next = move || match lang.get() {
        Lang::En => Lang::Zh,
        Lang::Zh => Lang::En,
    };
    view! {
        <ActionForm action=action attr:class="inline">
            <input type="hidden" name="lang" value=move || next().code()/>
            <button
                type="submit"
                data-testid="language-switch"
                aria-label=t("lang.label")
                // The form is read when it submits, right after this click: switching the page's
                // language now would change the hidden value first, so switch on the next frame.
                on:click=move |_| {
                    let target = next();
                    request_animation_frame(move || lang.set(target));
                }
                class="rounded-md px-2 py-1 text-sm text-slate-600 hover:bg-slate-100 hover:text-slate-900"
            >
                {t("lang.switch")}
            </button>
        </ActionForm>
    }
}

#[component]
pub fn AccountMenu() -> impl IntoView {
    let session = use_session();
    move || {
        match session.viewer.get() {
        Some(viewer) => view! {
            <div class="flex items-center gap-2">
                {viewer.is_operator().then(|| view! {
                    <a href="/console" class="rounded-md px-2 py-1 text-sm text-slate-600 hover:bg-slate-100">{t("nav.console")}</a>
                })}
                <NotificationBell/>
                <a href="/orders" data-testid="orders-link" class="rounded-md px-2 py-1 text-sm text-slate-600 hover:bg-slate-100">{t("orders.nav")}</a>
                <a href="/account" data-testid="account-link" class="rounded-md px-2 py-1 text-sm font-medium text-slate-700 hover:bg-slate-100">
                    {viewer.display_name.clone()}
                </a>
            </div>
        }.into_any(),
        None => view! {
            <div class="flex items-center gap-2">
                <a href="/signin" class="rounded-md px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100">{t("auth.sign_in")}</a>
                <a href="/signup" class="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-indigo-700">{t("auth.sign_up")}</a>
            </div>
        }.into_any(),
    }
    }
}

#[component]
pub fn StoreLayout() -> impl IntoView {
    crate::cart::components::provide_cart_refresh();
    view! {
        <a href="#main" class="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:rounded focus:bg-white focus:px-3 focus:py-2">{t("nav.skip")}</a>
        <header class="border-b border-slate-200 bg-white">
            <div class="mx-auto flex h-14 max-w-6xl items-center justify-between gap-4 px-4">
                <A href="/" attr:class="flex items-center gap-2 text-lg font-bold tracking-tight text-indigo-700">
                    <span aria-hidden="true" class="grid h-7 w-7 place-items-center rounded-md bg-indigo-600 text-sm text-white">"A"</span>
                    {t("app.name")}
                </A>
                <crate::storefront::components::HeaderSearch/>
                <nav aria-label=t("nav.main") class="flex items-center gap-2">
                    <a href="/sell" data-testid="sell-link" class="hidden rounded-md px-2 py-1 text-sm text-slate-600 hover:bg-slate-100 hover:text-slate-900 sm:inline-block">{t("storefront.sell")}</a>
                    <LanguageSwitch/>
                    <crate::cart::components::CartLink/>
                    <AccountMenu/>
                </nav>
            </div>
        </header>
        <main id="main" class="mx-auto max-w-6xl px-4 py-8">
            <Outlet/>
        </main>
    }
}

#[component]
pub fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(opts) = use_context::<leptos_axum::ResponseOptions>() {
        opts.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text=crate::i18n::title("error.page_not_found_title")/>
        <main class="mx-auto max-w-xl px-4 py-24 text-center">
            <h1 class="text-2xl font-bold">{t("error.page_not_found_title")}</h1>
            <p class="mt-2 text-slate-600">{t("page.not_found_body")}</p>
            <a href="/" class=format!("mt-6 inline-block {LINK}")>{t("page.back_home")}</a>
        </main>
    }
}
