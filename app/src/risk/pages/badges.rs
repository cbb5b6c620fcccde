//! A signal's severity and state as badges (`data-status` carries the stored key).

use crate::components::{StatusBadge, Tone};
use crate::i18n::{translate, use_lang};
use leptos::prelude::*;

fn severity_tone(severity: &str) -> Tone {
    match severity {
        "critical" => Tone::Danger,
        "warning" => Tone::Warning,
        _ => Tone::Neutral,
    }
}

fn state_tone(state: &str) -> Tone {
    match state {
        "open" => Tone::Danger,
        "acknowledged" => Tone::Warning,
        _ => Tone::Success,
    }
}

#[component]
pub fn SeverityBadge(severity: String) -> impl IntoView {
    let lang = use_lang();
    let key = format!("alerts.severity.{severity}");
    view! {
        <StatusBadge tone=severity_tone(&severity) label=move || translate(lang.get(), &key) testid="signal-severity" status=severity/>
    }
}

/// `testid`: where tests read it (`signal-state` on the signal's page).
#[component]
pub fn StateBadge(state: String, #[prop(optional)] testid: Option<&'static str>) -> impl IntoView {
    let lang = use_lang();
    let key = format!("incidents.state.{state}");
    view! {
        <StatusBadge tone=state_tone(&state) label=move || translate(lang.get(), &key) testid=testid.unwrap_or("state") status=state/>
    }
}
