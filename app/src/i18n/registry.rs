//! The one list of message catalogs. It names `messages` files only (each names only
//! `i18n/catalog.rs`), so no feature reaches back here through it.

use super::catalog::Catalog;

/// Every feature's catalog. A feature adds its own file and one line here.
pub const CATALOGS: &[Catalog] = &[
    super::common::MESSAGES,
    crate::layout_messages::MESSAGES,
    crate::auth::messages::MESSAGES,
    crate::console::messages::MESSAGES,
    crate::console::users::messages::MESSAGES,
    crate::console::audit::messages::MESSAGES,
    crate::notifications::messages::MESSAGES,
    crate::console::categories::messages::MESSAGES,
    crate::console::reviews::messages::MESSAGES,
    crate::trust::messages::MESSAGES,
    crate::seller_center::messages::MESSAGES,
    crate::orders::messages::MESSAGES,
    crate::storefront::messages::MESSAGES,
    crate::sellers::messages::MESSAGES,
    crate::console::sellers::messages::MESSAGES,
    crate::payments::messages::MESSAGES,
    crate::commission::messages::MESSAGES,
    crate::console::ledger::messages::MESSAGES,
    crate::ledger::messages::MESSAGES,
    crate::cart::messages::MESSAGES,
    crate::refunds::messages::MESSAGES,
    crate::console::refunds::messages::MESSAGES,
    crate::disputes::messages::MESSAGES,
    crate::console::disputes::messages::MESSAGES,
    crate::payouts::messages::MESSAGES,
    crate::console::payouts::messages::MESSAGES,
];
