//! Account deletion (issue 14, seed 001): the owner asks from the account page and is told every reason
//! it cannot happen yet; an operator approves or rejects on the user's console page (a protected
//! action); an approved account is deactivated at once and can be restored for 30 days; then the purge
//! job removes or anonymizes its personal data. The rules are `domain::account_deletion`.

pub mod api;
pub mod messages;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod purge;
#[cfg(feature = "ssr")]
pub mod service;
