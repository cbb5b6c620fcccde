//! Ledger pages by audience: `seller` (`/seller/balance`), `console` (`/console/ledger`, postings)
//! and `console_controls` (ledger controls, seller reconciliation).
pub mod console;
pub mod console_controls;
mod seller;

pub use seller::SellerBalancePage;
