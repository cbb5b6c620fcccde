//! Payout accounts and payouts behind the server functions, in three parts: `accounts` (the seller's
//! payout accounts, finance's reveal), `requests` (the seller's requests) and `decisions` (finance's
//! queue, detail and decisions); `rows` reads what they share. Every mutation is one
//! `platform::change::Change` that first takes the seller's finance lock (`RowLock::SellerFinance`),
//! so one seller's account changes, payout requests, decisions and freezes are decided one at a time;
//! then it re-reads what it decides on, applies `domain::payout`, posts to the ledger, audits and
//! notifies, and commits.
//!
//! Account numbers leave these modules only masked, except through `reveal_account` (audited).

pub use super::accounts::{
    add_account, change_account, confirm_password, my_accounts, owner_only, parse_account, remove_account,
    reveal_account,
};
pub use super::decisions::{counters, decide, get_payout, list_queue, Decision};
pub use super::requests::{list_seller_payouts, request_payout, seller_payouts};
