//! What the risk desk shows.

use serde::{Deserialize, Serialize};

/// One fact of a signal's evidence: its label (message `risk.fact.<key>`) and its value as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fact {
    pub key: String,
    pub value: String,
}

/// One signal, as the queue lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignalRow {
    pub id: i64,
    /// `domain::risk::Rule::key` (label `risk.rule.<key>`).
    pub rule: String,
    /// `domain::risk::Scope::key` (label `risk.scope.<key>`).
    pub scope: String,
    pub subject_id: i64,
    /// The subject's name when the signal was raised (an email, a shop, a listing title, a payout).
    pub subject_label: String,
    /// The console page of the subject, where the action is.
    pub subject_page: String,
    /// The action that fits (label `risk.action.<key>`): ban, suspend, take_down, hold_payout.
    pub action: String,
    /// `domain::alerts::Severity::key`.
    pub severity: String,
    /// `domain::alerts::IncidentState::key` (open, acknowledged, resolved).
    pub state: String,
    /// The owner's email.
    pub owner: Option<String>,
    pub evidence: Vec<Fact>,
    pub first_seen_at_ms: i64,
    pub last_seen_at_ms: i64,
    /// Scans that found it.
    pub seen_count: i64,
}

/// One line of a signal's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignalEvent {
    pub at_ms: i64,
    /// raised, taken, acknowledged, note, resolved (message `risk.event.<kind>`).
    pub kind: String,
    pub actor: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignalDetail {
    pub signal: SignalRow,
    pub events: Vec<SignalEvent>,
    pub can_manage: bool,
    /// The caller owns it.
    pub mine: bool,
}
