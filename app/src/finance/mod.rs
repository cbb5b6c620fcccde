//! The money core of the finance desk (issue 5), shared by refunds, disputes, payouts, the freeze and
//! the ledger controls: settling a refund in the ledger, and each seller's finance state (freeze,
//! payout cooling-off, negative balance history) with its balances.

#[cfg(feature = "ssr")]
pub mod seller_finance;
#[cfg(feature = "ssr")]
pub mod settlement;
