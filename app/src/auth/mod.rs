//! Accounts: sign up, sign in (with a password or a code by mail), sign out, change password, the
//! forgotten password, verifying and changing the address, language, where you are signed in (and
//! ending those sessions), and the super-admin bootstrap.

pub mod api;
pub(crate) mod card;
#[cfg(feature = "ssr")]
mod devices;
#[cfg(feature = "ssr")]
mod email_change;
#[cfg(feature = "ssr")]
pub mod events;
#[cfg(feature = "ssr")]
pub mod lock;
pub mod mail_api;
pub mod mail_messages;
pub mod mail_pages;
pub mod messages;
pub mod model;
pub mod pages;
pub mod providers;
#[cfg(feature = "ssr")]
pub mod readiness;
#[cfg(feature = "ssr")]
pub mod reset;
pub mod routes;
pub mod second_factor;
#[cfg(feature = "ssr")]
pub mod service;
pub mod sessions;
mod sessions_section;
#[cfg(feature = "ssr")]
mod sign_in_code;
#[cfg(feature = "ssr")]
pub mod tokens;
#[cfg(feature = "ssr")]
pub mod verification;

use crate::capability::Capability;

/// What the frames take from auth: its message catalogs (see `crate::registry`).
pub const CAPABILITY: Capability = Capability {
    catalogs: &[
        messages::MESSAGES,
        mail_messages::MESSAGES,
        second_factor::messages::MESSAGES,
        providers::messages::MESSAGES,
    ],
    console_sections: &[],
};
