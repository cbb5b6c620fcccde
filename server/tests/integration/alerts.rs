//! Alerts and incidents (issue 15): a rule over failed sign-ins fires, opens one incident (not one
//! per minute) and tells its recipients from the outbox; operators acknowledge, note and resolve
//! it, each step on its timeline and in the audit log; a silence keeps the rule quiet until it
//! ends, and the end is announced; bad input changes nothing.

use crate::helpers::{field_error, fresh, ok, Persona, TestApp};
use agora_app::domain::permissions::OperatorRole;
use reqwest::StatusCode;
use serde_json::Value;

const MINUTE_MS: i64 = 60_000;

fn rule_form<'a>(name: &'a str, threshold: &'a str, window: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("name", name),
        ("metric", "failed_sign_ins"),
        ("threshold", threshold),
        ("window_minutes", window),
        ("severity", "critical"),
        ("notify_operators", "on"),
        ("emails", "oncall@example.com"),
    ]
}

/// `form` with `key` set to `value`.
fn with<'a>(mut form: Vec<(&'a str, &'a str)>, key: &'a str, value: &'a str) -> Vec<(&'a str, &'a str)> {
    form.retain(|(k, _)| *k != key);
    form.push((key, value));
    form
}

async fn failed_sign_ins(app: &TestApp, n: usize) {
    for _ in 0..n {
        let r = app.sign_in_as(None, "nobody@example.com", "not the password").await;
        assert_ne!(r.status, StatusCode::OK);
    }
}

/// One minute later, with the evaluation (and any other due timer) run as the worker would.
async fn a_minute_later(app: &TestApp) {
    app.advance(MINUTE_MS + 1_000);
    app.run_due_jobs().await;
}

async fn incident(app: &TestApp, who: &Persona, id: i64) -> Value {
    ok(app, who, "incident", &[("id", &id.to_string())]).await
}

fn problem(status: StatusCode, body: &Value) -> (String, String) {
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    field_error(body).unwrap_or_else(|| panic!("no field error in {body}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_firing_rule_opens_one_incident_that_operators_acknowledge_note_and_resolve() {
    let app = TestApp::spawn().await;
    let tech = app.persona("tech", &[OperatorRole::Tech]).await;
    let admin = app.persona("admin", &[OperatorRole::Admin]).await;

    // Bad input: each field named, nothing stored.
    let bad: [(Vec<(&str, &str)>, &str); 4] = [
        (rule_form("Sign-in burst", "2", "0"), "window_minutes"),
        (rule_form("Sign-in burst", "-1", "60"), "threshold"),
        (rule_form("", "2", "60"), "name"),
        (with(rule_form("Sign-in burst", "2", "60"), "emails", "not-an-address"), "emails"),
    ];
    for (form, field) in bad {
        let (status, body) = app.call(&tech, "create_alert_rule", &form).await;
        assert_eq!(problem(status, &body).0, field);
    }
    let (status, body) = app
        .call(
            &tech,
            "create_alert_rule",
            &[
                ("name", "Disk"),
                ("metric", "disk_free_percent"),
                ("threshold", "101"),
                ("window_minutes", "5"),
                ("severity", "warning"),
                ("notify_operators", "on"),
            ],
        )
        .await;
    assert_eq!(problem(status, &body), ("threshold".into(), "alerts.threshold_invalid".into()));
    assert_eq!(app.count("SELECT COUNT(*) FROM alert_rules").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM jobs WHERE kind = 'alerts.evaluate'").await, 0, "no rule, no job");

    // Only alerts.manage creates rules; admin may look.
    let (status, _) = app.call(&admin, "create_alert_rule", &rule_form("Sign-in burst", "2", "60")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let rule = ok(&app, &tech, "create_alert_rule", &rule_form("Sign-in burst", "2", "60")).await.as_i64().unwrap();
    let rules = ok(&app, &admin, "alert_rules", &[]).await;
    assert_eq!(rules["rules"][0]["id"].as_i64(), Some(rule));
    assert_eq!(rules["can_manage"], false);

    // Under the threshold: measured, quiet.
    failed_sign_ins(&app, 2).await;
    a_minute_later(&app).await;
    assert_eq!(app.count("SELECT COUNT(*) FROM incidents").await, 0);
    assert_eq!(ok(&app, &tech, "alert_rules", &[]).await["rules"][0]["last_value"].as_i64(), Some(2));

    // Past it: one incident, its recipients told (the operators in the app, the on-call address).
    failed_sign_ins(&app, 1).await;
    a_minute_later(&app).await;
    let page = ok(&app, &tech, "incidents", &[]).await;
    let rows = page["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 1);
    let id = rows[0]["id"].as_i64().unwrap();
    assert_eq!((rows[0]["state"].as_str(), rows[0]["last_value"].as_i64()), (Some("open"), Some(3)));
    let told = |who: i64| {
        format!("SELECT COUNT(*) FROM outbox WHERE event_type = 'incidents.opened' AND channel = 'in_app' AND recipient_user_id = {who}")
    };
    assert_eq!(app.count(&told(tech.user_id.unwrap())).await, 1, "the tech operator hears of it");
    assert_eq!(app.count(&told(admin.user_id.unwrap())).await, 1, "so does the admin (alerts.view)");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE event_type = 'incidents.opened' AND recipient_address = 'oncall@example.com'").await,
        1
    );
    let summary = ok(&app, &admin, "unresolved_incidents", &[]).await;
    assert_eq!(summary["count"].as_i64(), Some(1));

    // Still firing a minute later: the same incident counts it; nobody is told twice.
    a_minute_later(&app).await;
    assert_eq!(app.count("SELECT COUNT(*) FROM incidents").await, 1);
    assert_eq!(incident(&app, &tech, id).await["incident"]["fire_count"].as_i64(), Some(2));
    assert_eq!(app.count(&told(tech.user_id.unwrap())).await, 1);

    // The operators' steps.
    let sid = id.to_string();
    let (status, _) = app.call(&admin, "acknowledge_incident", &[("id", &sid)]).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "admin may look, not handle");
    ok(&app, &tech, "acknowledge_incident", &[("id", &sid), ("note", "looking at the sign-in logs")]).await;
    let (status, body) = app.call(&tech, "acknowledge_incident", &[("id", &sid)]).await;
    assert_eq!(
        (status, body["Conflict"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("incidents.already_acknowledged")),
        "{body}"
    );
    ok(&app, &tech, "add_incident_note", &[("id", &sid), ("note", "one IP, blocked at the proxy")]).await;
    let (status, body) = app.call(&tech, "resolve_incident", &[("id", &sid), ("note", "  ")]).await;
    assert_eq!(problem(status, &body), ("note".into(), "incidents.note_invalid".into()));
    ok(&app, &tech, "resolve_incident", &[("id", &sid), ("note", "the proxy rule holds")]).await;
    let (status, _) = app.call(&tech, "resolve_incident", &[("id", &sid), ("note", "again")]).await;
    assert_eq!(status, StatusCode::CONFLICT);

    let detail = incident(&app, &tech, id).await;
    assert_eq!(detail["incident"]["state"], "resolved");
    let kinds: Vec<&str> = detail["events"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["opened", "acknowledged", "note", "resolved"]);
    assert_eq!(detail["events"][1]["actor"].as_str(), Some(tech.email.as_str()));
    for action in
        ["incidents.open", "incidents.acknowledge", "incidents.note", "incidents.resolve", "alerts.rule_create"]
    {
        let sql = format!("SELECT COUNT(*) FROM audit_log WHERE action = '{action}' AND result <> 'refused'");
        assert_eq!(app.count(&sql).await, 1, "{action} audited once");
    }
    assert_eq!(ok(&app, &admin, "unresolved_incidents", &[]).await["count"].as_i64(), Some(0));
    assert_eq!(ok(&app, &tech, "incidents", &[("state", "resolved")]).await["rows"].as_array().unwrap().len(), 1);
    let (status, body) = app.call(&tech, "incidents", &[("state", "closed")]).await;
    assert_eq!(problem(status, &body).0, "state");

    // Still firing after it was resolved: a new incident.
    a_minute_later(&app).await;
    assert_eq!(app.count("SELECT COUNT(*) FROM incidents WHERE state = 'open'").await, 1);

    // Turned off: no more evaluations once the chain runs out.
    ok(&app, &tech, "set_alert_rule_enabled", &[("id", &rule.to_string()), ("enabled", "false")]).await;
    a_minute_later(&app).await;
    assert_eq!(app.count("SELECT COUNT(*) FROM jobs WHERE kind = 'alerts.evaluate' AND status = 'pending'").await, 0);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_silence_keeps_the_rule_quiet_until_it_ends_and_its_end_is_announced() {
    let app = TestApp::spawn().await;
    let tech = app.persona("tech", &[OperatorRole::Tech]).await;
    let rule = ok(&app, &tech, "create_alert_rule", &rule_form("Sign-in burst", "0", "60")).await.as_i64().unwrap();
    let rid = rule.to_string();

    for (minutes, reason, field) in [
        ("0", "a deploy is rolling out", "minutes"),
        ("10081", "a deploy is rolling out", "minutes"),
        ("30", "x", "reason"),
    ] {
        let (status, body) =
            app.call(&tech, "silence_alert_rule", &[("id", &rid), ("minutes", minutes), ("reason", reason)]).await;
        assert_eq!(problem(status, &body).0, field);
    }
    let (status, _) = app.call(&tech, "end_alert_silence", &[("id", &rid)]).await;
    assert_eq!(status, StatusCode::CONFLICT, "nothing to end");
    ok(
        &app,
        &tech,
        "silence_alert_rule",
        &[("id", &rid), ("minutes", "30"), ("reason", "a load test hammers sign-in")],
    )
    .await;
    let silenced_until = ok(&app, &tech, "alert_rules", &[]).await["rules"][0]["silenced_until_ms"].as_i64().unwrap();
    let left = silenced_until - app.state.now_ms();
    assert!((29 * MINUTE_MS..=30 * MINUTE_MS).contains(&left), "silenced for 30 minutes: {left} ms left");

    failed_sign_ins(&app, 1).await;
    a_minute_later(&app).await;
    assert_eq!(app.count("SELECT COUNT(*) FROM incidents").await, 0, "silenced: measured, not opened");
    assert_eq!(ok(&app, &tech, "alert_rules", &[]).await["rules"][0]["last_value"].as_i64(), Some(1));

    // The silence ends by itself; the operators are told; the first evaluation after its end opens
    // the incident (here in the same catch-up as the end, so the end is a line of it).
    app.advance(30 * MINUTE_MS);
    app.run_due_jobs().await;
    let ended = "SELECT COUNT(*) FROM outbox WHERE event_type = 'alerts.silence_ended'";
    assert_eq!(app.count(ended).await, 1, "the end of the silence is announced");
    assert_eq!(app.count("SELECT COUNT(*) FROM alert_rules WHERE silenced_until IS NULL").await, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'alerts.silence_end'").await, 1);
    a_minute_later(&app).await;
    assert_eq!(app.count("SELECT COUNT(*) FROM incidents WHERE state = 'open'").await, 1);

    // A silence ended early by hand is noted on the open incident and announces nothing. (Half an
    // hour idle ended the operator's session: a fresh one.)
    let tech = fresh(&app, &tech).await;
    ok(
        &app,
        &tech,
        "silence_alert_rule",
        &[("id", &rid), ("minutes", "60"), ("reason", "a load test hammers sign-in")],
    )
    .await;
    ok(&app, &tech, "end_alert_silence", &[("id", &rid)]).await;
    assert_eq!(app.count(ended).await, 1);
    let id = ok(&app, &tech, "incidents", &[]).await["rows"][0]["id"].as_i64().unwrap();
    let kinds: Vec<String> = incident(&app, &tech, id).await["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(kinds, ["opened", "silence_ended", "silenced", "silence_ended"]);
    app.advance(2 * 60 * MINUTE_MS);
    app.run_due_jobs().await;
    assert_eq!(app.count(ended).await, 1, "the cancelled end job does not announce");
    let tech = fresh(&app, &tech).await;
    ok(&app, &tech, "set_alert_rule_enabled", &[("id", &rid), ("enabled", "false")]).await;
    app.finish().await;
}
