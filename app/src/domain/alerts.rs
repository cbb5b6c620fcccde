//! Alerts and incidents (issue 15): rules over the server's own figures and the database, what a
//! rule's evaluation decides, and the incident's states. Plain Rust: the evaluation job
//! (`alerts::evaluate`) measures, this module decides.
//!
//! A rule fires when its metric, measured over its window, is past its threshold (above it, or below
//! it for free disk space). A firing rule opens an incident, or adds to the one it already has open;
//! a silenced rule is still measured (the rules page shows the value) but opens and notifies nothing
//! until the silence ends.

use super::account::Email;
use serde::{Deserialize, Serialize};

/// What a rule watches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Metric {
    /// The 99th percentile of page and server function latency, in ms (this process's requests).
    P99LatencyMs,
    /// Answers with a 5xx status, in percent of all page and server function answers (this process).
    ServerErrorPercent,
    /// Outbox deliveries refused for good or out of retries, created within the window.
    OutboxFailures,
    /// Outbox deliveries waiting now.
    OutboxBacklog,
    /// How late the most overdue durable job is, in seconds.
    JobLagSeconds,
    /// Failed sign-ins (wrong password or unknown account) within the window.
    FailedSignIns,
    /// Refused privileged attempts (missing permission, failed confirmation) within the window.
    RefusedAttempts,
    /// Launch readiness checks that block now.
    ReadinessBlockers,
    /// Free space of the data directory, in percent (fires below the threshold).
    DiskFreePercent,
}

impl Metric {
    pub const ALL: [Metric; 9] = [
        Metric::P99LatencyMs,
        Metric::ServerErrorPercent,
        Metric::OutboxFailures,
        Metric::OutboxBacklog,
        Metric::JobLagSeconds,
        Metric::FailedSignIns,
        Metric::RefusedAttempts,
        Metric::ReadinessBlockers,
        Metric::DiskFreePercent,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Metric::P99LatencyMs => "p99_latency_ms",
            Metric::ServerErrorPercent => "server_error_percent",
            Metric::OutboxFailures => "outbox_failures",
            Metric::OutboxBacklog => "outbox_backlog",
            Metric::JobLagSeconds => "job_lag_seconds",
            Metric::FailedSignIns => "failed_sign_ins",
            Metric::RefusedAttempts => "refused_attempts",
            Metric::ReadinessBlockers => "readiness_blockers",
            Metric::DiskFreePercent => "disk_free_percent",
        }
    }

    pub fn parse(s: &str) -> Option<Metric> {
        Metric::ALL.into_iter().find(|m| m.key() == s)
    }

    /// Whether the rule fires below its threshold rather than above it.
    pub fn fires_below(self) -> bool {
        self == Metric::DiskFreePercent
    }

    /// The largest threshold that means something (percentages stop at 100).
    pub fn max_threshold(self) -> i64 {
        match self {
            Metric::ServerErrorPercent | Metric::DiskFreePercent => 100,
            _ => 1_000_000_000,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Severity {
    Info,
    Warning,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 3] = [Severity::Info, Severity::Warning, Severity::Critical];

    pub fn key(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Critical => "critical",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        Severity::ALL.into_iter().find(|v| v.key() == s)
    }
}

/// The longest window a rule may look back over (a day), in minutes.
pub const MAX_WINDOW_MINUTES: i64 = 24 * 60;
/// Addresses one rule may mail.
pub const MAX_EMAILS: usize = 10;
pub const MAX_NAME_CHARS: usize = 120;
/// The longest silence (a week), in minutes.
pub const MAX_SILENCE_MINUTES: i64 = 7 * 24 * 60;
pub const MAX_NOTE_CHARS: usize = 2_000;
/// How often the enabled rules are evaluated.
pub const EVALUATE_EVERY_MS: i64 = 60_000;

/// A rule as the form gives it, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleInput {
    pub name: String,
    pub metric: Metric,
    pub threshold: i64,
    pub window_minutes: i64,
    pub severity: Severity,
    /// Operators who may handle incidents get an in-app notification (and an email when their
    /// delivery preferences say so).
    pub notify_operators: bool,
    /// The platform's webhook endpoints subscribed to `incidents.opened`.
    pub notify_webhook: bool,
    /// Addresses mailed directly (an on-call mailbox).
    pub emails: Vec<String>,
}

/// The form's fields, as typed.
#[derive(Debug, Clone, Default)]
pub struct RuleForm<'a> {
    pub name: &'a str,
    pub metric: &'a str,
    pub threshold: &'a str,
    pub window_minutes: &'a str,
    pub severity: &'a str,
    pub notify_operators: bool,
    pub notify_webhook: bool,
    pub emails: &'a str,
}

/// A field and the message key of what is wrong with it.
pub type FieldProblem = (&'static str, &'static str);

/// Reads a rule form, or names the first field that is wrong.
pub fn parse_rule(f: &RuleForm) -> Result<RuleInput, FieldProblem> {
    let name = f.name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        return Err(("name", "alerts.name_invalid"));
    }
    let metric = Metric::parse(f.metric).ok_or(("metric", "alerts.metric_invalid"))?;
    let threshold: i64 = f.threshold.trim().parse().map_err(|_| ("threshold", "alerts.threshold_invalid"))?;
    if !(0..=metric.max_threshold()).contains(&threshold) {
        return Err(("threshold", "alerts.threshold_invalid"));
    }
    let window_minutes: i64 =
        f.window_minutes.trim().parse().map_err(|_| ("window_minutes", "alerts.window_invalid"))?;
    if !(1..=MAX_WINDOW_MINUTES).contains(&window_minutes) {
        return Err(("window_minutes", "alerts.window_invalid"));
    }
    let severity = Severity::parse(f.severity).ok_or(("severity", "alerts.severity_invalid"))?;
    let emails = parse_emails(f.emails)?;
    if !f.notify_operators && !f.notify_webhook && emails.is_empty() {
        return Err(("recipients", "alerts.recipients_required"));
    }
    Ok(RuleInput {
        name: name.to_string(),
        metric,
        threshold,
        window_minutes,
        severity,
        notify_operators: f.notify_operators,
        notify_webhook: f.notify_webhook,
        emails,
    })
}

/// Comma- or line-separated addresses, lower-cased, without repeats.
fn parse_emails(input: &str) -> Result<Vec<String>, FieldProblem> {
    let mut out: Vec<String> = vec![];
    for part in input.split([',', '\n', ';']).map(str::trim).filter(|p| !p.is_empty()) {
        let email = Email::parse(part).map_err(|_| ("emails", "alerts.emails_invalid"))?;
        let email = email.as_str().to_lowercase();
        if !out.contains(&email) {
            out.push(email);
        }
    }
    if out.len() > MAX_EMAILS {
        return Err(("emails", "alerts.emails_too_many"));
    }
    Ok(out)
}

/// Whether `value` is past `threshold` for `metric`.
pub fn breaches(metric: Metric, threshold: i64, value: i64) -> bool {
    if metric.fires_below() {
        value < threshold
    } else {
        value > threshold
    }
}

/// A silence in force at `now`.
pub fn silenced(silenced_until_ms: Option<i64>, now_ms: i64) -> bool {
    silenced_until_ms.is_some_and(|until| now_ms < until)
}

/// What one evaluation of a rule does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Not firing, or firing while silenced: only the measured value is kept.
    Quiet,
    /// Firing with no incident of its own open: open one and notify the recipients.
    Open,
    /// Firing again while its incident is open or acknowledged: count it on that incident.
    AddTo(i64),
}

/// Decides a rule's evaluation from the measured value, its silence and its unresolved incident.
pub fn decide(firing: bool, silenced: bool, unresolved_incident: Option<i64>) -> Outcome {
    match (firing && !silenced, unresolved_incident) {
        (false, _) => Outcome::Quiet,
        (true, Some(id)) => Outcome::AddTo(id),
        (true, None) => Outcome::Open,
    }
}

/// An incident's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum IncidentState {
    Open,
    Acknowledged,
    Resolved,
}

impl IncidentState {
    pub const ALL: [IncidentState; 3] = [IncidentState::Open, IncidentState::Acknowledged, IncidentState::Resolved];

    pub fn key(self) -> &'static str {
        match self {
            IncidentState::Open => "open",
            IncidentState::Acknowledged => "acknowledged",
            IncidentState::Resolved => "resolved",
        }
    }

    pub fn parse(s: &str) -> Option<IncidentState> {
        IncidentState::ALL.into_iter().find(|v| v.key() == s)
    }
}

/// What an operator does to an incident.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IncidentAction {
    Acknowledge,
    Note,
    Resolve,
}

/// The state after `action`, or the message key of why it cannot be done. A note fits any state
/// (a post-mortem line on a resolved incident is still worth keeping).
pub fn transition(from: IncidentState, action: IncidentAction) -> Result<IncidentState, &'static str> {
    use IncidentAction::*;
    use IncidentState::*;
    match (from, action) {
        (state, Note) => Ok(state),
        (Open, Acknowledge) => Ok(Acknowledged),
        (Acknowledged, Acknowledge) => Err("incidents.already_acknowledged"),
        (Open | Acknowledged, Resolve) => Ok(Resolved),
        (Resolved, _) => Err("incidents.already_resolved"),
    }
}

/// A note's text, trimmed; required and bounded.
pub fn parse_note(input: &str) -> Result<String, &'static str> {
    let note = input.trim();
    if note.is_empty() || note.chars().count() > MAX_NOTE_CHARS {
        return Err("incidents.note_invalid");
    }
    Ok(note.to_string())
}

/// A silence's length in minutes, 1 minute to a week.
pub fn parse_silence_minutes(input: &str) -> Result<i64, &'static str> {
    match input.trim().parse::<i64>() {
        Ok(m) if (1..=MAX_SILENCE_MINUTES).contains(&m) => Ok(m),
        _ => Err("alerts.silence_invalid"),
    }
}

/// Upper bounds of the request latency histogram, in ms; the last bucket is everything slower.
pub const LATENCY_BOUNDS_MS: [u64; 11] = [5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000];

/// The 99th percentile from a histogram over `LATENCY_BOUNDS_MS` (plus one bucket for slower): the
/// upper bound of the bucket holding it, so the figure never flatters. `None` without requests.
pub fn p99_ms(buckets: &[u64; LATENCY_BOUNDS_MS.len() + 1]) -> Option<i64> {
    let total: u64 = buckets.iter().sum();
    if total == 0 {
        return None;
    }
    // The smallest rank at or above 99% of the requests.
    let rank = (total * 99).div_ceil(100);
    let mut seen = 0;
    for (i, n) in buckets.iter().enumerate() {
        seen += n;
        if seen >= rank {
            let bound = LATENCY_BOUNDS_MS.get(i).copied().unwrap_or(2 * LATENCY_BOUNDS_MS[LATENCY_BOUNDS_MS.len() - 1]);
            return Some(bound as i64);
        }
    }
    None
}

/// The histogram bucket of a request that took `ms`.
pub fn latency_bucket(ms: u64) -> usize {
    LATENCY_BOUNDS_MS.iter().position(|b| ms <= *b).unwrap_or(LATENCY_BOUNDS_MS.len())
}

/// 5xx answers in whole percent of all answers, rounded up (one failure in a thousand still shows).
pub fn error_percent(errors: u64, total: u64) -> i64 {
    if total == 0 {
        0
    } else {
        (errors * 100).div_ceil(total) as i64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> RuleForm<'static> {
        RuleForm {
            name: "Sign-in burst",
            metric: "failed_sign_ins",
            threshold: "50",
            window_minutes: "60",
            severity: "critical",
            notify_operators: true,
            notify_webhook: false,
            emails: "",
        }
    }

    #[test]
    fn a_good_rule_parses() {
        let r = parse_rule(&form()).unwrap();
        assert_eq!(
            (r.metric, r.threshold, r.window_minutes, r.severity),
            (Metric::FailedSignIns, 50, 60, Severity::Critical)
        );
    }

    #[test]
    fn each_bad_field_is_named() {
        let cases: [(RuleForm, &str); 9] = [
            (RuleForm { name: " ", ..form() }, "name"),
            (RuleForm { metric: "cpu", ..form() }, "metric"),
            (RuleForm { threshold: "-1", ..form() }, "threshold"),
            (RuleForm { threshold: "ten", ..form() }, "threshold"),
            (RuleForm { metric: "disk_free_percent", threshold: "101", ..form() }, "threshold"),
            (RuleForm { window_minutes: "0", ..form() }, "window_minutes"),
            (RuleForm { window_minutes: "1441", ..form() }, "window_minutes"),
            (RuleForm { severity: "panic", ..form() }, "severity"),
            (RuleForm { emails: "ops@example.com, not-an-address", ..form() }, "emails"),
        ];
        for (f, field) in cases {
            assert_eq!(parse_rule(&f).unwrap_err().0, field, "{f:?}");
        }
    }

    #[test]
    fn a_rule_must_tell_someone() {
        let f = RuleForm { notify_operators: false, ..form() };
        assert_eq!(parse_rule(&f).unwrap_err(), ("recipients", "alerts.recipients_required"));
        let f = RuleForm { notify_operators: false, emails: "Ops@Example.com\nops@example.com", ..form() };
        assert_eq!(parse_rule(&f).unwrap().emails, vec!["ops@example.com"]);
    }

    #[test]
    fn too_many_addresses_are_refused() {
        let many: String = (0..=MAX_EMAILS).map(|i| format!("a{i}@example.com,")).collect();
        let f = RuleForm { emails: &many, ..form() };
        assert_eq!(parse_rule(&f).unwrap_err(), ("emails", "alerts.emails_too_many"));
    }

    #[test]
    fn rules_fire_past_the_threshold_and_disk_space_below_it() {
        assert!(!breaches(Metric::FailedSignIns, 50, 50));
        assert!(breaches(Metric::FailedSignIns, 50, 51));
        assert!(breaches(Metric::DiskFreePercent, 10, 9));
        assert!(!breaches(Metric::DiskFreePercent, 10, 10));
    }

    #[test]
    fn a_silence_holds_until_its_end() {
        assert!(silenced(Some(1_000), 999));
        assert!(!silenced(Some(1_000), 1_000));
        assert!(!silenced(None, 0));
    }

    #[test]
    fn firing_opens_once_then_adds_and_silence_keeps_quiet() {
        assert_eq!(decide(true, false, None), Outcome::Open);
        assert_eq!(decide(true, false, Some(7)), Outcome::AddTo(7));
        assert_eq!(decide(true, true, None), Outcome::Quiet);
        assert_eq!(decide(false, false, Some(7)), Outcome::Quiet);
    }

    #[test]
    fn incidents_move_forward_only() {
        use IncidentAction::*;
        use IncidentState::*;
        assert_eq!(transition(Open, Acknowledge), Ok(Acknowledged));
        assert_eq!(transition(Acknowledged, Resolve), Ok(Resolved));
        assert_eq!(transition(Open, Resolve), Ok(Resolved));
        assert_eq!(transition(Resolved, Acknowledge), Err("incidents.already_resolved"));
        assert_eq!(transition(Resolved, Resolve), Err("incidents.already_resolved"));
        assert_eq!(transition(Acknowledged, Acknowledge), Err("incidents.already_acknowledged"));
        assert_eq!(transition(Resolved, Note), Ok(Resolved));
    }

    #[test]
    fn notes_and_silences_are_bounded() {
        assert!(parse_note("  ").is_err());
        assert_eq!(parse_note(" restarted the worker ").unwrap(), "restarted the worker");
        assert!(parse_note(&"x".repeat(MAX_NOTE_CHARS + 1)).is_err());
        assert_eq!(parse_silence_minutes("60"), Ok(60));
        assert!(parse_silence_minutes("0").is_err());
        assert!(parse_silence_minutes("10081").is_err());
    }

    #[test]
    fn p99_is_the_upper_bound_of_its_bucket() {
        let mut b = [0u64; LATENCY_BOUNDS_MS.len() + 1];
        assert_eq!(p99_ms(&b), None);
        b[latency_bucket(3)] = 99;
        b[latency_bucket(700)] = 1;
        assert_eq!(p99_ms(&b), Some(5), "99 of 100 under 5 ms");
        b[latency_bucket(700)] = 2;
        assert_eq!(p99_ms(&b), Some(1_000));
        b[latency_bucket(60_000)] = 50;
        assert_eq!(p99_ms(&b), Some(20_000));
    }

    #[test]
    fn error_percent_rounds_up() {
        assert_eq!(error_percent(0, 0), 0);
        assert_eq!(error_percent(1, 1_000), 1);
        assert_eq!(error_percent(50, 100), 50);
    }
}
