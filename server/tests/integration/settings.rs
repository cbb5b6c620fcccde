//! The settings centre (issue 15): a change is a protected, audited version, in force at once where
//! it was made and within the refresh interval on every other server; a rollback restores the values
//! before; secrets are sealed at rest, never answered, never audited, and survive a key rotation;
//! maintenance mode refuses changes (read-only) or everything (closed) but to its allow list; bad
//! input changes nothing.

use crate::helpers::{field_error, fresh, ok, Persona, TestApp, PASSWORD};
use agora_app::domain::permissions::OperatorRole;
use agora_app::platform::audit_log::{verify_chain, ChainStatus};
use agora_app::settings::service::{rotate_key, Rotation};
use reqwest::StatusCode;
use serde_json::Value;
use std::time::{Duration, Instant};

const REASON: &str = "reviews take longer over the holidays";
const KEY_A: &str = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
const KEY_B: &str = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";
const HOUR_MS: i64 = 3_600_000;

async fn change(app: &TestApp, by: &Persona, key: &str, value: &str) -> (StatusCode, Value) {
    app.call(by, "change_setting", &[("key", key), ("value", value), ("reason", REASON), ("password", PASSWORD)]).await
}

async fn versions(app: &TestApp) -> i64 {
    app.count("SELECT COUNT(*) FROM setting_changes").await
}

/// Waits (polling, bounded) until `process` has `check` true; the refresh interval is 100 ms here.
async fn seen_by(process: &TestApp, check: impl Fn(&agora_app::platform::state::Settings) -> bool) -> bool {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if check(&process.state.settings()) {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    false
}

fn problem(body: &Value) -> (String, String) {
    field_error(body).unwrap_or_else(|| panic!("no field error in {body}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_reaches_every_server_and_a_rollback_puts_the_value_back() {
    let fast = [("AGORA_SETTINGS_REFRESH_MS", "100")];
    let a = TestApp::spawn_with(&fast).await;
    let b = a.another_server(&fast).await;
    let tech = a.persona("tech", &[OperatorRole::Tech]).await;
    assert_eq!(a.state.settings().review_sla_ms, 24 * HOUR_MS, "the configured value");

    let (status, body) = change(&a, &tech, "review_sla_hours", "30").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(a.state.settings().review_sla_ms, 30 * HOUR_MS, "in force at once where it was made");
    assert!(seen_by(&b, |s| s.review_sla_ms == 30 * HOUR_MS).await, "the other server sees it");

    let centre = ok(&a, &tech, "settings_centre", &[]).await;
    let row = centre["rows"].as_array().unwrap().iter().find(|r| r["key"] == "review_sla_hours").unwrap().clone();
    assert_eq!(
        (row["value"].as_str(), row["source"].as_str(), row["configured"].as_str()),
        (Some("30"), Some("Stored"), Some("24"))
    );

    let page = ok(&a, &tech, "setting_versions", &[]).await;
    let newest = page["rows"][0].clone();
    assert_eq!(newest["values"][0]["key"], "review_sla_hours");
    assert_eq!((newest["values"][0]["before"].as_str(), newest["values"][0]["after"].as_str()), (None, Some("30")));
    assert_eq!(newest["reason"], REASON);
    let audited = a
        .count("SELECT COUNT(*) FROM audit_log WHERE action = 'settings.change' AND target_type = 'settings_version'")
        .await;
    assert_eq!(audited, 1);

    let id = newest["id"].as_i64().unwrap().to_string();
    ok(&a, &tech, "rollback_settings", &[("id", &id), ("reason", "the holidays are over"), ("password", PASSWORD)])
        .await;
    assert_eq!(a.state.settings().review_sla_ms, 24 * HOUR_MS);
    assert!(seen_by(&b, |s| s.review_sla_ms == 24 * HOUR_MS).await, "the rollback reaches the other server");
    assert_eq!(a.count("SELECT COUNT(*) FROM runtime_settings").await, 0, "back to the configured value");
    let page = ok(&a, &tech, "setting_versions", &[]).await;
    assert_eq!(page["rows"][0]["rollback_of"].as_i64(), newest["id"].as_i64());
    assert_eq!(a.count("SELECT COUNT(*) FROM audit_log WHERE action = 'settings.rollback'").await, 1);
    assert!(matches!(verify_chain(&a.state.db).await.unwrap(), ChainStatus::Intact { .. }));
    b.finish().await;
    a.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_values_are_refused_next_to_the_field_and_change_nothing() {
    let app = TestApp::spawn_with(&[("AGORA_PINNED_SETTINGS", "shipping_fee_minor")]).await;
    let tech = app.persona("tech", &[OperatorRole::Tech]).await;
    let cases: [(&str, &str, &str); 9] = [
        ("review_sla_hours", "0", "settings.problem.out_of_bounds"),
        ("review_sla_hours", "721", "settings.problem.out_of_bounds"),
        ("review_sla_hours", "twelve", "settings.problem.not_a_number"),
        ("review_sla_hours", "24", "settings.problem.unchanged"),
        ("smtp_security", "ssl", "settings.problem.not_a_choice"),
        ("smtp_host", "smtp://mail.example.com", "settings.problem.not_a_host"),
        ("mail_from_address", "nobody", "settings.problem.not_an_email"),
        ("shipping_fee_minor", "700", "settings.problem.pinned"),
        ("no_such_setting", "1", "settings.problem.unknown"),
    ];
    for (key, value, code) in cases {
        let (status, body) = change(&app, &tech, key, value).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{key}={value}: {body}");
        assert_eq!(problem(&body), ("value".to_string(), code.to_string()), "{key}={value}");
    }
    // A secret without a sealing key cannot be stored.
    let (status, body) = change(&app, &tech, "smtp_password", "hunter2").await;
    assert_eq!((status, problem(&body).1), (StatusCode::BAD_REQUEST, "settings.problem.no_key".to_string()));
    // A maintenance window that ends before it starts.
    let (status, body) = app
        .call(
            &tech,
            "set_maintenance",
            &[
                ("maintenance_mode", "read_only"),
                ("maintenance_starts_at", "2030-01-02T10:00"),
                ("maintenance_ends_at", "2030-01-02T09:00"),
                ("reason", REASON),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(problem(&body), ("maintenance_ends_at".to_string(), "settings.problem.ends_before_starts".to_string()));
    // The right value with the wrong password changes nothing either.
    let (status, _) = app
        .call(
            &tech,
            "change_setting",
            &[("key", "review_sla_hours"), ("value", "30"), ("reason", REASON), ("password", "wrong")],
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(versions(&app).await, 0);
    assert_eq!(app.state.settings().review_sla_ms, 24 * HOUR_MS);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secrets_are_sealed_never_answered_and_survive_a_key_rotation() {
    const MARKER: &str = "marker-s3cret-7Q2";
    let app = TestApp::spawn_with(&[("AGORA_SETTINGS_KEY", KEY_A)]).await;
    let tech = app.persona("tech", &[OperatorRole::Tech]).await;
    let (status, body) = change(&app, &tech, "smtp_password", MARKER).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(app.state.settings().mail.smtp_password.0, MARKER, "in force");
    // Rolling the secret forward once more, so the history holds sealed values on both sides.
    assert_eq!(change(&app, &tech, "smtp_password", &format!("{MARKER}-2")).await.0, StatusCode::OK);

    let answers = [
        ok(&app, &tech, "settings_centre", &[]).await.to_string(),
        ok(&app, &tech, "setting_versions", &[]).await.to_string(),
    ];
    for answer in &answers {
        assert!(!answer.contains(MARKER), "an answer shows the secret: {answer}");
    }
    for sql in [
        "SELECT value FROM runtime_settings",
        "SELECT COALESCE(value_before, '') || COALESCE(value_after, '') FROM setting_change_values",
        "SELECT before_json || after_json || reason FROM audit_log",
        "SELECT payload_json FROM outbox",
    ] {
        let rows: Vec<String> = sqlx::query_scalar(sql).fetch_all(app.state.db.read()).await.unwrap();
        assert!(rows.iter().all(|r| !r.contains(MARKER)), "{sql} holds the secret in plain text");
    }
    assert!(format!("{:?}", app.state.settings()).contains("(redacted)"), "Debug never prints it");

    // Rotation: the new key in AGORA_SETTINGS_KEY, the old one in AGORA_SETTINGS_KEY_PREVIOUS.
    let rotating = app.another_server(&[("AGORA_SETTINGS_KEY", KEY_B), ("AGORA_SETTINGS_KEY_PREVIOUS", KEY_A)]).await;
    match rotate_key(&rotating.state).await.unwrap() {
        Rotation::Done { resealed, .. } => assert!(resealed >= 3, "in force and in the history: {resealed}"),
        other => panic!("{other:?}"),
    }
    let new_only = app.another_server(&[("AGORA_SETTINGS_KEY", KEY_B)]).await;
    assert_eq!(new_only.state.settings().mail.smtp_password.0, format!("{MARKER}-2"), "opens with the new key alone");

    // A server given a key that opens nothing keeps the configured value, says so, and a rotation
    // there changes nothing.
    let stranger = app.another_server(&[("AGORA_SETTINGS_KEY", KEY_A)]).await;
    assert_eq!(stranger.state.settings().mail.smtp_password.0, "", "the configured (empty) value applies");
    let centre = ok(&stranger, &tech, "settings_centre", &[]).await;
    let row = centre["rows"].as_array().unwrap().iter().find(|r| r["key"] == "smtp_password").unwrap().clone();
    assert_eq!(row["unreadable"], true);
    let before: Vec<String> =
        sqlx::query_scalar("SELECT value FROM runtime_settings").fetch_all(app.state.db.read()).await.unwrap();
    assert_eq!(rotate_key(&stranger.state).await.unwrap(), Rotation::Unreadable(vec!["smtp_password".into()]));
    let after: Vec<String> =
        sqlx::query_scalar("SELECT value FROM runtime_settings").fetch_all(app.state.db.read()).await.unwrap();
    assert_eq!(before, after, "nothing changed");
    for server in [stranger, new_only, rotating] {
        server.finish().await;
    }
    app.finish().await;
}

async fn maintenance(app: &TestApp, by: &Persona, form: &[(&str, &str)]) -> (StatusCode, Value) {
    let mut form = form.to_vec();
    form.extend([("reason", "database upgrade"), ("password", PASSWORD)]);
    app.call(by, "set_maintenance", &form).await
}

async fn add_to_cart(app: &TestApp, who: &Persona, variant: i64) -> (StatusCode, Value) {
    app.call(who, "add_to_cart", &[("variant_id", &variant.to_string()), ("quantity", "1")]).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn read_only_maintenance_refuses_changes_but_not_reading_signing_in_or_the_allow_list() {
    let app = TestApp::spawn().await;
    let tech = app.persona("tech", &[OperatorRole::Tech]).await;
    let allowed = app.persona("ops", &[OperatorRole::Admin]).await;
    let admin = app.persona("admin", &[OperatorRole::Admin]).await;
    let seller = app.persona("seller", &[]).await;
    app.organisation_owned_by(&seller, "Tea House").await;
    let (_, variant) = app.live_listing(&seller, "Oolong", 5).await;
    let buyer = app.persona("buyer", &[]).await;

    let (status, body) = maintenance(
        &app,
        &tech,
        &[
            ("maintenance_mode", "read_only"),
            ("maintenance_message", "Back at noon."),
            ("maintenance_allow", &allowed.email),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let (status, body) = add_to_cart(&app, &buyer, variant).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body["Maintenance"]["message"], "Back at noon.");
    let category = [("name_en", "Tea"), ("name_zh", "茶"), ("slug", "tea"), ("parent_id", "")];
    assert_eq!(app.call(&admin, "create_category", &category).await.0, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(app.count("SELECT COUNT(*) FROM categories WHERE slug = 'tea'").await, 0);
    // Reading and signing in go on; the allowed operator works as usual.
    assert_eq!(app.call(&buyer, "get_cart", &[]).await.0, StatusCode::OK);
    let page = buyer.client.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("data-testid=\"maintenance-banner\"") && page.contains("Back at noon."), "the banner");
    let signed_in = app.sign_up("new@agora.test", "New", "a long enough passphrase").await;
    assert!(signed_in.user_id.is_some());
    assert_eq!(app.call(&allowed, "create_category", &category).await.0, StatusCode::OK);
    // Whoever may change settings ends it, allow list or not.
    assert_eq!(maintenance(&app, &tech, &[("maintenance_mode", "off")]).await.0, StatusCode::OK);
    assert_eq!(add_to_cart(&app, &buyer, variant).await.0, StatusCode::OK);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scheduled_closed_window_opens_and_ends_by_itself() {
    let app = TestApp::spawn().await;
    let tech = app.persona("tech", &[OperatorRole::Tech]).await;
    let buyer = app.persona("buyer", &[]).await;
    let offset = app.state.settings().utc_offset_minutes;
    let local = |ms: i64| agora_app::domain::curation::format_local_time(ms, offset);
    let start = app.state.now_ms() + 2 * HOUR_MS;
    let (starts, ends) = (local(start), local(start + HOUR_MS));
    let form = [
        ("maintenance_mode", "closed"),
        ("maintenance_message", "Moving to a new data centre."),
        ("maintenance_starts_at", starts.as_str()),
        ("maintenance_ends_at", ends.as_str()),
        ("maintenance_allow", tech.email.as_str()),
    ];
    assert_eq!(maintenance(&app, &tech, &form).await.0, StatusCode::OK);

    // Announced ahead, not in force yet.
    let home = buyer.client.get(app.url("/")).send().await.unwrap();
    assert_eq!(home.status(), StatusCode::OK);
    assert!(home.text().await.unwrap().contains("Scheduled maintenance"));

    app.advance(2 * HOUR_MS + 60_000);
    let home = buyer.client.get(app.url("/")).send().await.unwrap();
    assert_eq!(home.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(home.headers().contains_key("retry-after"));
    assert!(home.text().await.unwrap().contains("Moving to a new data centre."));
    let (status, body) = app.call(&buyer, "get_cart", &[]).await;
    assert_eq!(
        (status, body["Maintenance"]["message"].as_str()),
        (StatusCode::SERVICE_UNAVAILABLE, Some("Moving to a new data centre."))
    );
    assert_eq!(
        buyer.client.get(app.url("/signin")).send().await.unwrap().status(),
        StatusCode::OK,
        "signing in stays open"
    );
    // (Two hours on, the operator's session has idled out: a new one.)
    let tech = fresh(&app, &tech).await;
    assert_eq!(
        tech.client.get(app.url("/console/settings")).send().await.unwrap().status(),
        StatusCode::OK,
        "the allow list works"
    );

    app.advance(HOUR_MS);
    assert_eq!(buyer.client.get(app.url("/")).send().await.unwrap().status(), StatusCode::OK, "over by itself");
    assert_eq!(app.call(&buyer, "get_cart", &[]).await.0, StatusCode::OK);
    app.finish().await;
}

async fn set_flag(app: &TestApp, by: &Persona, name: &str, fields: &[(&str, &str)]) -> (StatusCode, Value) {
    let mut form = vec![
        ("name", name),
        ("on", "on"),
        ("percent", "100"),
        ("reason", "a measured roll-out"),
        ("password", PASSWORD),
    ];
    for (k, v) in fields {
        form.retain(|(f, _)| f != k);
        form.push((k, v));
    }
    app.call(by, "set_flag", &form).await
}

async fn offers_sandbox(app: &TestApp, buyer: &Persona) -> bool {
    let preview = ok(app, buyer, "checkout_preview", &[]).await;
    preview["providers"].as_array().unwrap().iter().any(|p| p == "Sandbox")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn feature_flags_target_users_switch_on_time_and_gate_sign_ups() {
    let app = TestApp::spawn().await;
    let tech = app.persona("tech", &[OperatorRole::Tech]).await;
    let (first, second) = (app.persona("first", &[]).await, app.persona("second", &[]).await);
    assert!(offers_sandbox(&app, &first).await, "on by default");

    // Off for everyone but one user.
    let first_id = first.user_id.unwrap().to_string();
    let (status, body) = set_flag(&app, &tech, "sandbox_card", &[("percent", "0"), ("users", first_id.as_str())]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(offers_sandbox(&app, &first).await, "the targeted user keeps it");
    assert!(!offers_sandbox(&app, &second).await, "0% of everyone else");
    let (status, body) = app
        .call(
            &second,
            "checkout",
            &[
                ("idempotency_key", "co-0123456789abcdef0123456789abcdef"),
                ("address_id", "1"),
                ("payment_method", "sandbox"),
            ],
        )
        .await;
    assert_eq!(
        (status, field_error(&body).map(|f| f.0)),
        (StatusCode::BAD_REQUEST, Some("payment_method".into())),
        "refused by the server too"
    );

    // Bad rules change nothing.
    let before = versions(&app).await;
    for (field, value, expected) in [
        ("percent", "101", "percent"),
        ("percent", "ten", "percent"),
        ("users", "7, x", "users"),
        ("roles", "Bad Role", "roles"),
    ] {
        let (status, body) = set_flag(&app, &tech, "sandbox_card", &[(field, value)]).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{field}={value}");
        assert_eq!(problem(&body).0, expected, "{field}={value}");
    }
    assert_eq!(versions(&app).await, before);

    // Public sign-up scheduled to close in an hour: open now, closed after.
    let offset = app.state.settings().utc_offset_minutes;
    let at = agora_app::domain::curation::format_local_time(app.state.now_ms() + HOUR_MS, offset);
    let (status, body) =
        set_flag(&app, &tech, "public_signup", &[("switch_at", at.as_str()), ("switch_to", "off")]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    app.sign_up("early@agora.test", "Early", "a long enough passphrase").await;
    app.advance(HOUR_MS + 60_000);
    let anonymous = app.anonymous();
    let signup = [("email", "late@agora.test"), ("display_name", "Late"), ("password", "a long enough passphrase")];
    let (status, body) = app.call(&anonymous, "sign_up", &signup).await;
    assert_eq!((status, body["Conflict"]["code"].as_str()), (StatusCode::CONFLICT, Some("auth.signup_paused")));
    let page = anonymous.client.get(app.url("/signup")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("data-testid=\"signup-paused\""), "the sign-up page says so");

    // New seller applications paused; a flag's version rolls back like any setting.
    let tech = fresh(&app, &tech).await;
    assert_eq!(set_flag(&app, &tech, "seller_signups", &[("on", "off")]).await.0, StatusCode::OK);
    let applicant = app.persona("applicant", &[]).await;
    let application = crate::sellers::APPLICATION;
    let (status, body) = app.call(&applicant, "save_seller_application", application).await;
    assert_eq!((status, body["Conflict"]["code"].as_str()), (StatusCode::CONFLICT, Some("sellers.signups_paused")));
    let newest = ok(&app, &tech, "setting_versions", &[]).await["rows"][0]["id"].as_i64().unwrap().to_string();
    ok(&app, &tech, "rollback_settings", &[("id", &newest), ("reason", "applications reopen"), ("password", PASSWORD)])
        .await;
    assert_eq!(app.call(&applicant, "save_seller_application", application).await.0, StatusCode::OK);
    app.finish().await;
}
