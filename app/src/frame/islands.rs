//! Islands: the storefront's browsing pages (home, category, search, product, seller store) are what
//! buyers and crawlers meet first, and they work as plain HTML (links, GET forms, form posts). So they
//! do not hydrate the whole app: the server renders them as always, and the browser loads the small
//! islands bundle (crate `agora-islands`, scripts/build-islands.sh) that brings only their islands to
//! life:
//!
//! | island | where |
//! |---|---|
//! | `cart::components::CartLinkIsland` | the header's cart count, refreshed when the cart changes |
//! | `storefront::buy::BuyBox` | the product page's price, variant picker and "Add to cart" |
//! | `storefront::buy::Gallery` | the product page's images |
//! | `trust::components::ReportForm` | "Report this listing / seller" |
//!
//! Every other page hydrates the whole app (`agora-frontend`, with its lazy sections), which renders
//! the browsing pages it navigates to, islands included, as ordinary components; a link from a
//! browsing page to any other page is a page load that starts the app there. The app never hydrates
//! an island from the server's HTML: a part of the frame that every page shows is an island only on
//! the browsing pages ([`rendering_islands_page`]).
//!
//! An island has no context from the page around it: it finds the page's language itself
//! ([`crate::i18n::use_lang`]), and its props are serialized into the page.

use leptos::config::LeptosOptions;

/// The output name of the islands bundle (`pkg/agora-islands.<hash>.js|wasm`).
pub const OUTPUT_NAME: &str = "agora-islands";
/// Its hash file, beside the server binary like cargo-leptos's `hash.txt`.
pub const HASH_FILE: &str = "hash-islands.txt";

/// True for the paths of the pages that hydrate only their islands.
pub fn is_islands_page(path: &str) -> bool {
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let one_segment_under = |prefix: &str| {
        path.strip_prefix(prefix).is_some_and(|rest| !rest.is_empty() && !rest.trim_end_matches('/').contains('/'))
    };
    matches!(path, "/" | "/search" | "/search/")
        || one_segment_under("/c/")
        || one_segment_under("/p/")
        || one_segment_under("/s/")
}

/// True while the server renders a page that hydrates only its islands; false in the browser's app,
/// which renders every page (a browsing page it navigates to included) as part of the whole app. A
/// part of the shared frame that must be an island on those pages asks this.
pub fn rendering_islands_page() -> bool {
    #[cfg(feature = "ssr")]
    {
        leptos::prelude::use_context::<http::request::Parts>().is_some_and(|p| is_islands_page(p.uri.path()))
    }
    #[cfg(not(feature = "ssr"))]
    {
        false
    }
}

/// The options `HydrationScripts` takes to load the islands bundle instead of the app's.
pub fn bundle_options(options: &LeptosOptions) -> LeptosOptions {
    let mut islands = options.clone();
    islands.output_name = OUTPUT_NAME.into();
    // Beside the app's hash file, wherever that is configured to be.
    let hash_file = std::path::Path::new(options.hash_file.as_ref()).with_file_name(HASH_FILE);
    islands.hash_file = hash_file.to_string_lossy().as_ref().into();
    islands
}

#[cfg(test)]
mod tests {
    use super::is_islands_page;

    #[test]
    fn the_browsing_pages_are_islands_pages() {
        for path in ["/", "/search", "/search?q=mug", "/c/home-kitchen", "/p/42", "/p/42?x=1", "/s/7", "/s/7/"] {
            assert!(is_islands_page(path), "{path}");
        }
    }

    #[test]
    fn every_other_page_hydrates_the_app() {
        for path in [
            "/cart",
            "/signin",
            "/console",
            "/console/users",
            "/seller",
            "/p/",
            "/p/1/edit",
            "/c",
            "/orders/3",
            "/searching",
        ] {
            assert!(!is_islands_page(path), "{path}");
        }
    }
}
