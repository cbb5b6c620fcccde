//! What the alerts and incidents pages show.

use serde::{Deserialize, Serialize};

/// One alert rule, as the rules page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleRow {
    pub id: i64,
    pub name: String,
    /// `domain::alerts::Metric::key` (its label is the message `alerts.metric.<key>`).
    pub metric: String,
    pub threshold: i64,
    pub window_minutes: i64,
    /// `domain::alerts::Severity::key`.
    pub severity: String,
    pub notify_operators: bool,
    pub notify_webhook: bool,
    pub emails: Vec<String>,
    pub enabled: bool,
    /// A silence in force ends then.
    pub silenced_until_ms: Option<i64>,
    pub silence_reason: String,
    /// The value the last evaluation measured, and when.
    pub last_value: Option<i64>,
    pub last_evaluated_at_ms: Option<i64>,
    /// Its open or acknowledged incident.
    pub unresolved_incident: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RulesView {
    /// Every rule, newest first (at most `alerts::service::MAX_RULES`).
    pub rules: Vec<RuleRow>,
    /// The caller may create rules, silence them and handle incidents.
    pub can_manage: bool,
}

/// One incident, as the list and the command center show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentRow {
    pub id: i64,
    pub rule_id: i64,
    pub title: String,
    pub severity: String,
    /// `domain::alerts::IncidentState::key`.
    pub state: String,
    pub metric: String,
    pub threshold: i64,
    pub opened_value: i64,
    pub last_value: i64,
    /// Evaluations that found the rule firing while this incident was unresolved.
    pub fire_count: i64,
    pub opened_at_ms: i64,
    pub last_fired_at_ms: i64,
    pub acknowledged_at_ms: Option<i64>,
    pub resolved_at_ms: Option<i64>,
}

/// One line of an incident's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentEvent {
    pub at_ms: i64,
    /// opened, acknowledged, note, resolved, silenced, silence_ended (message `incidents.event.<kind>`).
    pub kind: String,
    /// The operator's email, or `system`.
    pub actor: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentDetail {
    pub incident: IncidentRow,
    pub events: Vec<IncidentEvent>,
    /// The rule's silence in force, if any.
    pub rule_silenced_until_ms: Option<i64>,
    pub can_manage: bool,
}

/// The command center's card: unresolved incidents, most severe and newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenIncidents {
    pub count: i64,
    /// At most five.
    pub newest: Vec<IncidentRow>,
}
