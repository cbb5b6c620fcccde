//! `agora-server readiness`'s output: the same checks as `/console/readiness`, as text (one line per
//! check, its fix below) or as JSON (`--json`). Texts are the English catalog's.

use agora_app::i18n::{translate, Lang};
use agora_app::readiness::model::{fix_key, CheckView, ReadinessReport};
use serde_json::{json, Map, Value};

pub fn print(report: &ReadinessReport, as_json: bool) -> anyhow::Result<()> {
    if as_json {
        println!("{}", serde_json::to_string_pretty(&to_json(report))?);
        return Ok(());
    }
    let s = report.summary;
    println!(
        "launch readiness ({}): {} blocker(s), {} warning(s), {} ready, {} deferred",
        if report.production { "production" } else { "development" },
        s.blockers,
        s.warnings,
        s.ready,
        s.deferred
    );
    for c in &report.checks {
        let evidence: Vec<String> = c.evidence.iter().map(|f| format!("{}={}", fact_name(&f.key), f.value)).collect();
        println!("{:<8} {:<12} {:<34} {}", c.status.as_str(), c.area.as_str(), c.id, evidence.join(" "));
        if c.status.needs_action() {
            println!("{:<8} fix: {}{}", "", translate(Lang::En, &fix_key(&c.id)), place(c));
        }
    }
    if !report.next.is_empty() {
        println!("next: {}", report.next.join(", "));
    }
    Ok(())
}

/// `readiness.fact.public_url` -> `public_url`: short, stable names for scripts.
fn fact_name(key: &str) -> &str {
    key.strip_prefix("readiness.fact.").unwrap_or(key)
}

fn place(c: &CheckView) -> String {
    match (&c.setting, &c.link) {
        (Some(key), _) => format!(" (setting {key})"),
        (None, Some(link)) => format!(" (console {link})"),
        (None, None) => String::new(),
    }
}

fn to_json(report: &ReadinessReport) -> Value {
    let checks: Vec<Value> = report
        .checks
        .iter()
        .map(|c| {
            let evidence: Map<String, Value> =
                c.evidence.iter().map(|f| (fact_name(&f.key).to_string(), Value::String(f.value.clone()))).collect();
            json!({
                "id": c.id,
                "area": c.area.as_str(),
                "status": c.status.as_str(),
                "measured": c.measured.as_str(),
                "evidence": evidence,
                "fix": translate(Lang::En, &fix_key(&c.id)),
                "link": c.link,
                "setting": c.setting,
                "deferral": c.deferral.as_ref().map(|d| json!({
                    "owner": d.owner_email, "reason": d.reason, "expires_at_ms": d.expires_at_ms, "expired": d.expired,
                })),
            })
        })
        .collect();
    let s = report.summary;
    json!({
        "environment": if report.production { "production" } else { "development" },
        "checked_at_ms": report.checked_at_ms,
        "summary": {"blockers": s.blockers, "warnings": s.warnings, "ready": s.ready, "deferred": s.deferred},
        "next": report.next,
        "checks": checks,
    })
}
