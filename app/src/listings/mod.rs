//! The seller center (`/seller`): status and next steps, the listings table, the listing editor and
//! each listing's review history.
//!
//! Version rules: a listing row holds the live (approved) copy; edits live in `listing_versions`.
//! Saving a listing whose pending version is a draft or rejected updates that version in place;
//! saving a live listing without one creates a new draft version (number + 1) and the live copy
//! stays; saving while a version is in review is refused (`listings.in_review`); a blocked listing is
//! not editable.

pub mod api;
#[cfg(feature = "ssr")]
mod editing;
pub mod editor;
pub mod messages;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
mod reads;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub(crate) mod versions;

use crate::capability::Capability;

/// What the frames take from listings: its message catalogs (see `crate::registry`).
pub const CAPABILITY: Capability = Capability { catalogs: &[messages::MESSAGES], console_sections: &[] };
