//! The settings centre (issue 15): runtime settings stored in the database over the configuration's
//! start-up values, changed in the console (`/console/settings`) as protected, audited versions that
//! can be rolled back, in force on every server process within its refresh interval; secrets sealed
//! at rest (`platform::sealed`); maintenance mode (`domain::maintenance`, enforced by
//! `platform::maintenance` and the server's closed-mode gate). The catalog and its rules are
//! `domain::settings`; `bindings` maps each key to where it lives in `Settings`.

pub mod api;
#[cfg(feature = "ssr")]
pub mod bindings;
#[cfg(feature = "ssr")]
pub mod flag_form;
#[cfg(feature = "ssr")]
pub mod flags;
#[cfg(feature = "ssr")]
pub mod live;
pub mod messages;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod readiness;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod service;

use crate::capability::{Capability, ConsoleSection};
use crate::domain::permissions::SETTINGS_VIEW;

/// What the frames take from the settings centre (see `crate::registry`).
pub const CAPABILITY: Capability = Capability {
    catalogs: &[messages::MESSAGES],
    console_sections: &[ConsoleSection {
        path: "/console/settings",
        label: "console.settings",
        permission: SETTINGS_VIEW,
    }],
};
