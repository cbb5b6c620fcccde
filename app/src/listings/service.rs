//! The seller center's queries and mutations, in three parts: `editing` (save, submit, availability:
//! each one `platform::change::Change` with its audit record and the search index), `reads` (the
//! seller's listings and home) and `versions` (how listings and versions are stored). Every listing is
//! reached through the caller's organisation, so another seller's listing is simply not found.

pub use super::editing::{save_listing, set_availability, submit_listing, validate};
pub use super::reads::{get_my_listing, list_my_listings, seller_home};
