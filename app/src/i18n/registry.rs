//! Where message lookups search. On the server every catalog: the frames' own, then every
//! capability's (declared by the capability, listed once in `crate::registry`). In the browser the
//! first load carries only the catalogs of the main WASM module's pages (the storefront frame and its
//! browsing pages, see `crate::frame::sections`); a section's first page registers the rest from its
//! own chunk ([`load_section_catalogs`]), so the console's and the seller center's text is not in the
//! storefront's download. Catalog files name only `i18n/catalog.rs`, so no feature reaches back here
//! through them.

use super::catalog::{Catalog, Lang};

/// The catalogs of the frames and of what every page shares.
const FRAME_CATALOGS: &[Catalog] =
    &[super::common::MESSAGES, crate::frame::storefront_messages::MESSAGES, crate::frame::console::messages::MESSAGES];

/// What the storefront's first load (the main WASM module) looks keys up in: the text of the
/// storefront frame (header, cart link, notification bell, account menu) and of the browsing pages
/// (product page: add to cart, report). A key of a main-module page that lives in any other catalog
/// shows as the key until a section loads: keep such keys in one of these.
#[cfg(feature = "hydrate")]
const FIRST_LOAD: &[Catalog] = &[
    super::common::MESSAGES,
    crate::frame::storefront_messages::MESSAGES,
    crate::storefront::messages::MESSAGES,
    crate::cart::messages::MESSAGES,
    crate::auth::messages::MESSAGES,
    crate::notifications::messages::MESSAGES,
    crate::trust::messages::MESSAGES,
];

/// The catalogs a section's chunk registered (all of them), once.
#[cfg(feature = "hydrate")]
static SECTIONS: std::sync::OnceLock<Vec<Catalog>> = std::sync::OnceLock::new();

/// Every catalog.
pub fn all() -> impl Iterator<Item = &'static Catalog> {
    FRAME_CATALOGS.iter().chain(crate::registry::catalogs())
}

/// The catalogs a lookup searches now.
pub fn catalogs() -> impl Iterator<Item = &'static Catalog> {
    #[cfg(feature = "hydrate")]
    {
        FIRST_LOAD.iter().chain(SECTIONS.get().into_iter().flatten())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        all()
    }
}

/// Makes every catalog available to lookups. Called by each section page (`crate::lazy_page!`) before
/// it renders, from inside the section's chunk: only there does the browser build reference the
/// catalogs beyond [`FIRST_LOAD`], so their text travels with the sections (in a chunk they share).
pub fn load_section_catalogs() {
    #[cfg(feature = "hydrate")]
    SECTIONS.get_or_init(|| all().copied().collect());
}

/// The text of `key` in `lang`, `None` when no catalog has it. On the server, from an index of every
/// catalog built once: a page looks up a hundred keys, and searching every catalog in turn for each
/// was a visible share of rendering a page. In the browser, a search of the catalogs loaded so far
/// (their set grows as sections load).
pub fn text(lang: Lang, key: &str) -> Option<&'static str> {
    #[cfg(not(feature = "hydrate"))]
    {
        use std::collections::HashMap;
        static INDEX: std::sync::OnceLock<HashMap<&'static str, (&'static str, &'static str)>> =
            std::sync::OnceLock::new();
        let index = INDEX.get_or_init(|| {
            let mut index = HashMap::new();
            for catalog in all() {
                for (k, en, zh) in catalog.iter() {
                    index.entry(*k).or_insert((*en, *zh));
                }
            }
            index
        });
        index.get(key).map(|(en, zh)| match lang {
            Lang::En => *en,
            Lang::Zh => *zh,
        })
    }
    #[cfg(feature = "hydrate")]
    {
        super::catalog::lookup(catalogs(), lang, key)
    }
}
