//! What a capability declares about itself for the frames (a leaf: it names only the catalog and
//! permission types, so every capability can use it without reaching back into the registry).

use crate::domain::permissions::Permission;
use crate::i18n::catalog::Catalog;

pub struct Capability {
    /// Its zh/en message catalogs (`messages.rs`, and `console_messages.rs` where it has one).
    pub catalogs: &'static [Catalog],
    /// Its entries in the console sidebar, each with the permission that opens it.
    pub console_sections: &'static [ConsoleSection],
}

pub struct ConsoleSection {
    pub path: &'static str,
    /// The message key of its label.
    pub label: &'static str,
    pub permission: Permission,
}
