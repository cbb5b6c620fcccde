//! The operations console's frame: the shell (navigation by permission), the command center and its counts.
//! Each area's pages live in their capability folder (`users/pages/console.rs`, `payouts/pages/console.rs`...).

pub mod api;
pub mod home;
pub mod messages;
pub mod shell;
