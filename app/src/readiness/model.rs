//! What crosses the wire: the readiness report the page shows and the summary the command center reads.

use crate::domain::readiness::{Area, Fact, Status};
use serde::{Deserialize, Serialize};

/// Counts per status, for the command center's "readiness blockers" (see `service::summary`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadinessSummary {
    pub blockers: i64,
    pub warnings: i64,
    pub ready: i64,
    pub deferred: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeferralView {
    pub owner_email: String,
    pub reason: String,
    pub expires_at_ms: i64,
    pub deferred_by: String,
    pub deferred_at_ms: i64,
    /// Past its expiry: the check shows its measured status again.
    pub expired: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckView {
    pub id: String,
    pub area: Area,
    /// What is shown: the measured status, or `Deferred` under a deferral in force.
    pub status: Status,
    pub measured: Status,
    pub evidence: Vec<Fact>,
    /// The console page where it is fixed.
    pub link: Option<String>,
    /// The configuration key where it is fixed (`Leptos.toml` / `AGORA_<KEY>`).
    pub setting: Option<String>,
    pub deferral: Option<DeferralView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadinessReport {
    pub production: bool,
    pub checked_at_ms: i64,
    pub summary: ReadinessSummary,
    /// Ids of "the next three actions", in order.
    pub next: Vec<String>,
    /// Every check, in registry order (grouped by area on the page).
    pub checks: Vec<CheckView>,
}

impl ReadinessReport {
    pub fn check(&self, id: &str) -> Option<&CheckView> {
        self.checks.iter().find(|c| c.id == id)
    }
}

/// The message key of a check's title and of its one-line fix.
pub fn title_key(id: &str) -> String {
    format!("readiness.check.{id}")
}

pub fn fix_key(id: &str) -> String {
    format!("readiness.fix.{id}")
}

pub fn status_key(s: Status) -> &'static str {
    match s {
        Status::Blocker => "readiness.status.blocker",
        Status::Warning => "readiness.status.warning",
        Status::Ready => "readiness.status.ready",
        Status::Deferred => "readiness.status.deferred",
    }
}

pub fn area_key(a: Area) -> &'static str {
    match a {
        Area::Identity => "readiness.area.identity",
        Area::Messaging => "readiness.area.messaging",
        Area::Operations => "readiness.area.operations",
        Area::Trust => "readiness.area.trust",
        Area::Monetisation => "readiness.area.monetisation",
        Area::Guardrails => "readiness.area.guardrails",
    }
}
