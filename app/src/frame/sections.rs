//! Code splitting: which WASM chunk a page's code lives in.
//!
//! The storefront's browsing pages (home, category, search, product, seller store) and both frames'
//! shared pieces are in the main WASM module, which every page of the app downloads (a browsing page
//! loaded from the server downloads only the islands bundle instead: `crate::frame::islands`).
//! Everything else is a *section*, compiled into its own chunk that the browser fetches the first
//! time it enters the section and keeps afterwards (navigation stays client-side):
//!
//! | section | pages |
//! |---|---|
//! | `console` | `/console/...`: the console shell, the command center and every console page |
//! | `seller` | `/seller/...` and `/sell`: the seller center and the application to sell |
//! | `account` | sign-in and sign-up, the account, the cart, checkout, payment, orders, refunds, disputes, notifications |
//!
//! A route fragment declares a section's page with [`lazy_page!`] and mounts it with
//! `view=Lazy::<TheRoute>::new()`. `cargo leptos build --split` (scripts/run.sh, scripts/test.sh) cuts
//! the chunks out along these functions (wasm-split); code shared by several sections lands in a shared
//! chunk, code the main module also uses stays in main. A build without `--split` leaves the chunk
//! loader unresolved and the browser cannot start the app, so every `cargo leptos` command takes it.
//!
//! The section's message catalogs travel with it: see [`crate::i18n::registry`].

/// Declares `$route`, a lazy route for `Lazy::<$route>::new()` whose view is the page component
/// `$page` (a component without props), compiled into the WASM chunk `$section`.
///
/// In the browser the router first preloads the chunk (wasm-split's loader, once per chunk), then the
/// page's render registers the section catalogs and renders the page; `hydrate_lazy` waits for that before it
/// hydrates a section page loaded from the server. On the server the call is direct, and the rendered
/// page asks the browser to preload the chunk (`<link rel="preload">`).
macro_rules! lazy_page {
    ($section:ident, $route:ident, $page:path) => {
        /// A lazy route of a section (see `crate::frame::sections`).
        pub struct $route {}

        // In a block of its own so that one `allow` covers the generated names (the function shares
        // the route's name: a struct with braces names only a type, and the chunk's export names stay
        // unique without generating identifiers).
        #[allow(non_snake_case)]
        const _: () = {
            // The islands bundle (`crate::frame::islands`) has no router and no sections: there the
            // page is a plain function, so that no chunk export keeps the section's code linked in.
            #[cfg(not(feature = "islands-bundle"))]
            #[::leptos::wasm_split::wasm_split($section, wasm_split_path = ::leptos::wasm_split)]
            fn $route() -> ::leptos::prelude::AnyView {
                $crate::i18n::registry::load_section_catalogs();
                ::leptos::prelude::IntoAny::into_any($page())
            }
            #[cfg(feature = "islands-bundle")]
            async fn $route() -> ::leptos::prelude::AnyView {
                ::leptos::prelude::IntoAny::into_any($page())
            }

            impl ::leptos_router::LazyRoute for $route {
                fn data() -> Self {
                    $route {}
                }

                // The router awaits this before it renders the page (with the route's data), so the
                // page's render then finds its code loaded and completes at once. Without it the
                // first render of a section page would wait for the chunk, and hydration, which needs
                // the page at once, would render it a second time instead of taking over the
                // server's HTML.
                async fn preload() {
                    #[cfg(not(feature = "islands-bundle"))]
                    ::paste::paste! { [<__wasm_split_preload_ $route>]().await }
                }

                async fn view(_this: Self) -> ::leptos::prelude::AnyView {
                    #[cfg(feature = "ssr")]
                    ::leptos::prefetch_lazy_fn_on_server(stringify!($section));
                    $route().await
                }
            }
        };
    };
}

// Used as `crate::frame::sections::lazy_page` (a path the import-circle test follows, unlike a
// `#[macro_export]` macro at the crate root, which would make every routes.rs import lib.rs).
pub(crate) use lazy_page;
