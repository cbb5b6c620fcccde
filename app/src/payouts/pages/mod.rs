//! Payout pages by audience: `seller` (`/seller/payouts`, `/seller/payouts/accounts`) and
//! `console`; `badges` holds what both show: the status and risk badges and a request's state in
//! plain words.
mod badges;
pub mod console;
mod seller;

pub use badges::{PayoutStatusBadge, PlainState, RiskBadges};
pub use seller::{PayoutAccountsPage, SellerPayoutsPage};
