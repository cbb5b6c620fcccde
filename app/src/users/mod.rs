//! The users & organisations directory: search and filter users, open one, create one by invitation,
//! reset their password, ban or unban them, assign operator roles and shape the roles themselves (`roles`); list organisations. Protected actions take a reason and the operator's password,
//! and are audited in the same transaction as the change.

pub mod api;
pub mod deletion;
#[cfg(feature = "ssr")]
pub mod editing;
#[cfg(feature = "ssr")]
pub mod invitations;
pub mod messages;
pub mod model;
pub mod pages;
pub mod roles;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod timers;

use crate::capability::{Capability, ConsoleSection};
use crate::domain::permissions::{ORGANISATIONS_VIEW, ROLES_MANAGE, USERS_VIEW};

/// What the frames take from users: its message catalogs and its console sections (see `crate::registry`).
pub const CAPABILITY: Capability = Capability {
    catalogs: &[messages::MESSAGES, deletion::messages::MESSAGES, roles::messages::MESSAGES],
    console_sections: &[
        ConsoleSection { path: "/console/users", label: "console.users", permission: USERS_VIEW },
        ConsoleSection { path: "/console/deletions", label: "console.deletions", permission: USERS_VIEW },
        ConsoleSection {
            path: "/console/organisations",
            label: "console.organisations",
            permission: ORGANISATIONS_VIEW,
        },
        ConsoleSection { path: "/console/roles", label: "console.roles", permission: ROLES_MANAGE },
    ],
};
