//! Reports (console, `analytics.view`): revenue (`/console/analytics/revenue`), seller performance
//! (`/console/analytics/sellers`) and operations SLA (`/console/analytics/sla`), each over a period
//! with its filters in the URL, the report itself as CSV (`export.rs`) and an export of the records
//! behind it over the same period (`crate::exports`). Figures come from the stored orders, refunds, disputes, payouts and ledger, bounded by the period; nothing is
//! estimated or cached. (The trust & safety "reports" of users about listings are `crate::trust`.)

pub mod api;
#[cfg(feature = "ssr")]
pub mod export;
pub mod messages;
pub mod model;
pub mod pages;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod service;

use crate::capability::{Capability, ConsoleSection};
use crate::domain::permissions::ANALYTICS_VIEW;

pub const CAPABILITY: Capability = Capability {
    catalogs: &[messages::MESSAGES],
    console_sections: &[
        ConsoleSection {
            path: "/console/analytics/revenue",
            label: "console.report_revenue",
            permission: ANALYTICS_VIEW,
        },
        ConsoleSection {
            path: "/console/analytics/sellers",
            label: "console.report_sellers",
            permission: ANALYTICS_VIEW,
        },
        ConsoleSection { path: "/console/analytics/sla", label: "console.report_sla", permission: ANALYTICS_VIEW },
    ],
};
