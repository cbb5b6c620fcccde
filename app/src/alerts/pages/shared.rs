//! What the alerts pages share: the severity and state badges, and rules and values in words.

use crate::components::{StatusBadge, Tone};
use crate::domain::alerts::Metric;
use crate::i18n::{fill, translate, use_lang, Lang};
use leptos::prelude::*;

fn severity_tone(severity: &str) -> Tone {
    match severity {
        "critical" => Tone::Danger,
        "warning" => Tone::Warning,
        _ => Tone::Info,
    }
}

fn state_tone(state: &str) -> Tone {
    match state {
        "open" => Tone::Danger,
        "acknowledged" => Tone::Warning,
        _ => Tone::Success,
    }
}

/// A rule's, an incident's or a risk signal's severity (`data-status` carries the stored key);
/// `testid` names it where tests read it (default `severity`).
#[component]
pub fn SeverityBadge(severity: String, #[prop(optional)] testid: Option<&'static str>) -> impl IntoView {
    let lang = use_lang();
    let key = format!("alerts.severity.{severity}");
    view! {
        <StatusBadge tone=severity_tone(&severity) label=move || translate(lang.get(), &key) testid=testid.unwrap_or("severity") status=severity/>
    }
}

/// An incident's or a risk signal's state; `testid` names the badge where tests read it
/// (`incident-state`, `signal-state`).
#[component]
pub fn StateBadge(state: String, #[prop(optional)] testid: Option<&'static str>) -> impl IntoView {
    let lang = use_lang();
    let key = format!("incidents.state.{state}");
    view! { <StatusBadge tone=state_tone(&state) label=move || translate(lang.get(), &key) testid=testid.unwrap_or("state") status=state/> }
}

/// A metric's name in the page's language.
pub fn metric_label(lang: Lang, metric: &str) -> String {
    translate(lang, &format!("alerts.metric.{metric}"))
}

/// "Failed sign-ins above 0 over 60 min" (free disk space fires below its threshold).
pub fn condition_text(lang: Lang, metric: &str, threshold: i64, window_minutes: i64) -> String {
    let below = Metric::parse(metric).is_some_and(Metric::fires_below);
    let key = if below { "alerts_page.condition_below" } else { "alerts_page.condition_above" };
    fill(
        &translate(lang, key),
        &[
            ("metric", metric_label(lang, metric)),
            ("threshold", threshold.to_string()),
            ("window", window_minutes.to_string()),
        ],
    )
}

/// "Threshold: above 0" (free disk space: below), under an incident's value.
pub fn threshold_text(lang: Lang, metric: &str, threshold: i64) -> String {
    let below = Metric::parse(metric).is_some_and(Metric::fires_below);
    let key = if below { "incidents_page.threshold_below" } else { "incidents_page.threshold_above" };
    fill(&translate(lang, key), &[("threshold", threshold.to_string())])
}
