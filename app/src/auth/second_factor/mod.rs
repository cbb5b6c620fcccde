//! The second factor (issue 14): an authenticator app's codes (TOTP) and ten recovery codes. Users
//! enrol from their account page; a sign-in then asks for a code after the password; operators'
//! protected actions ask for one too; where the configuration requires it, operators must enrol
//! before the console opens for them.

pub mod api;
#[cfg(feature = "ssr")]
pub mod challenge;
pub mod messages;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod sign_in;
