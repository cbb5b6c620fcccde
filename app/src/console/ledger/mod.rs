//! Ledger accounts and balances, postings, the trial balance, and commission rules.

pub mod pages;
