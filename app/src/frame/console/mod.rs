//! The operations console's frame: the shell (navigation by permission) and the page header. The
//! command center (`/console` itself) is `crate::command_center`.
//! Each area's pages live in their capability folder (`users/pages/console.rs`, `payouts/pages/console.rs`...).

pub mod api;
pub mod messages;
pub mod shell;

use super::sections::lazy_page;

// The console frame itself is in the console's chunk (see `crate::frame::sections`): a storefront
// visitor never downloads it.
lazy_page!(console, ConsoleShellRoute, shell::ConsoleShell);
