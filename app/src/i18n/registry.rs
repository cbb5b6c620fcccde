//! The one list of message catalogs. It names `messages` files only (each names only
//! `i18n/catalog.rs`), so no feature reaches back here through it.

use super::catalog::Catalog;

/// Every feature's catalog. A feature adds its own file and one line here.
pub const CATALOGS: &[Catalog] = &[
    super::common::MESSAGES,
    crate::frame::storefront_messages::MESSAGES,
    crate::auth::messages::MESSAGES,
    crate::frame::console::messages::MESSAGES,
    crate::users::messages::MESSAGES,
    crate::audit::messages::MESSAGES,
    crate::notifications::messages::MESSAGES,
    crate::categories::messages::MESSAGES,
    crate::reviews::messages::MESSAGES,
    crate::trust::messages::MESSAGES,
    crate::listings::messages::MESSAGES,
    crate::orders::messages::MESSAGES,
    crate::storefront::messages::MESSAGES,
    crate::sellers::messages::MESSAGES,
    crate::sellers::console_messages::MESSAGES,
    crate::payments::messages::MESSAGES,
    crate::commission::messages::MESSAGES,
    crate::ledger::console_messages::MESSAGES,
    crate::ledger::messages::MESSAGES,
    crate::cart::messages::MESSAGES,
    crate::refunds::messages::MESSAGES,
    crate::refunds::console_messages::MESSAGES,
    crate::disputes::messages::MESSAGES,
    crate::disputes::console_messages::MESSAGES,
    crate::payouts::messages::MESSAGES,
    crate::payouts::console_messages::MESSAGES,
];
