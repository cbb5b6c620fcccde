//! Where message lookups search: the frames' own catalogs, then every capability's (declared by the
//! capability, listed once in `crate::registry`). Catalog files name only `i18n/catalog.rs`, so no
//! feature reaches back here through them.

use super::catalog::Catalog;

/// The catalogs of the frames and of what every page shares.
const FRAME_CATALOGS: &[Catalog] =
    &[super::common::MESSAGES, crate::frame::storefront_messages::MESSAGES, crate::frame::console::messages::MESSAGES];

pub fn catalogs() -> impl Iterator<Item = &'static Catalog> {
    FRAME_CATALOGS.iter().chain(crate::registry::catalogs())
}
