//! The operations console: shell, command center, and one folder per area.

pub mod api;
pub mod audit;
pub mod categories;
pub mod disputes;
pub mod home;
pub mod ledger;
pub mod messages;
pub mod orders;
pub mod payments;
pub mod payouts;
pub mod refunds;
pub mod reports;
pub mod reviews;
pub mod sellers;
pub mod shell;
pub mod users;
