//! The risk desk (issue 15): signals raised by rules over recent activity (`domain::risk`), found by
//! a scan every five minutes on every server (`scan`; one unresolved signal per rule and subject
//! whatever the number of servers), handled by operators (`signals`: take, acknowledge, note,
//! resolve) with links to the action that fits the subject. Pages: `/console/risk` and
//! `/console/risk/:id`.

pub mod api;
pub mod messages;
pub mod model;
pub mod page_messages;
pub mod pages;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod scan;
#[cfg(feature = "ssr")]
pub mod signals;

use crate::capability::{Capability, ConsoleSection};
use crate::domain::permissions::RISK_VIEW;

/// What the frames take from the risk desk (see `crate::registry`).
pub const CAPABILITY: Capability = Capability {
    catalogs: &[messages::MESSAGES, page_messages::MESSAGES],
    console_sections: &[ConsoleSection { path: "/console/risk", label: "console.risk", permission: RISK_VIEW }],
};
