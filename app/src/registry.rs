//! The one registry of capabilities. Each capability declares in its `mod.rs` what the frames take from
//! it (its message catalogs, its console sections) as a `Capability`, and in its `routes.rs` where its
//! pages are mounted; adding a capability adds its line here and its route fragments in `lib.rs`.
//! The order here is the console sidebar's order.

use crate::capability::{Capability, ConsoleSection};
use crate::i18n::catalog::Catalog;

pub const CAPABILITIES: &[&Capability] = &[
    &crate::users::CAPABILITY,
    &crate::sellers::CAPABILITY,
    &crate::reviews::CAPABILITY,
    &crate::trust::CAPABILITY,
    &crate::curation::CAPABILITY,
    &crate::categories::CAPABILITY,
    &crate::orders::CAPABILITY,
    &crate::payments::CAPABILITY,
    &crate::refunds::CAPABILITY,
    &crate::disputes::CAPABILITY,
    &crate::payouts::CAPABILITY,
    &crate::ledger::CAPABILITY,
    &crate::commission::CAPABILITY,
    &crate::delivery::CAPABILITY,
    &crate::templates::CAPABILITY,
    &crate::audit::CAPABILITY,
    &crate::reports::CAPABILITY,
    &crate::exports::CAPABILITY,
    &crate::auth::CAPABILITY,
    &crate::storefront::CAPABILITY,
    &crate::cart::CAPABILITY,
    &crate::listings::CAPABILITY,
    &crate::notifications::CAPABILITY,
    &crate::webhooks::CAPABILITY,
    &crate::readiness::CAPABILITY,
    &crate::settings::CAPABILITY,
    &crate::alerts::CAPABILITY,
    &crate::risk::CAPABILITY,
    &crate::command_center::CAPABILITY,
];

/// Every capability's message catalogs.
pub fn catalogs() -> impl Iterator<Item = &'static Catalog> {
    CAPABILITIES.iter().flat_map(|c| c.catalogs.iter())
}

/// Every console section after the command center, in sidebar order.
pub fn console_sections() -> impl Iterator<Item = &'static ConsoleSection> {
    CAPABILITIES.iter().flat_map(|c| c.console_sections.iter())
}
