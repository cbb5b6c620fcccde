//! Launch readiness (issue 13): each failing condition set up for real turns its check into a blocker
//! or warning and back once fixed; deferrals (protected, audited, one winner of two at once, bad
//! input, expiry returns the measured status); invite-only sign-up; the security headers served;
//! the CLI's exit codes.

use crate::helpers::{field_error, ok, Persona, TestApp, PASSWORD};
use agora_app::domain::permissions::OperatorRole;
use agora_app::domain::readiness::Status;
use agora_app::platform::outbox::{enqueue, OutboxEvent};
use agora_app::readiness::model::ReadinessReport;
use agora_app::readiness::service::report;
use reqwest::StatusCode;
use serde_json::{json, Value};

const MIN: i64 = 60_000;
const DAY: i64 = 86_400_000;

/// The status of check `id`, measured now.
pub(crate) async fn status(app: &TestApp, id: &str) -> Status {
    let r = report(&app.state).await.unwrap();
    r.check(id).unwrap_or_else(|| panic!("no check {id}")).status
}

async fn fact(app: &TestApp, id: &str, key: &str) -> String {
    let r = report(&app.state).await.unwrap();
    let c = r.check(id).unwrap();
    c.evidence.iter().find(|f| f.key == format!("readiness.fact.{key}")).unwrap().value.clone()
}

async fn sql(app: &TestApp, q: &str) {
    app.state.db.execute_write(sqlx::query(q)).await.unwrap();
}

/// A server configured as production would be, apart from https (the tests' client sends plain
/// `agora_session` cookies) and with SMTP pointing at a closed port (nothing is sent in these tests).
async fn production_like(extra: &[(&str, &str)]) -> TestApp {
    let mut env = vec![
        ("AGORA_ENVIRONMENT", "production"),
        ("AGORA_CLOCK_CONTROL", "false"),
        ("AGORA_PAYMENT_PROVIDERS", "bank_transfer"),
        ("AGORA_SMTP_HOST", "127.0.0.1"),
        ("AGORA_SMTP_PORT", "9"),
        ("AGORA_SIGNUP_POLICY", "open"),
    ];
    env.extend_from_slice(extra);
    TestApp::spawn_with(&env).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_development_install_reports_its_guardrails_as_blockers() {
    let app = TestApp::spawn().await;
    let r: ReadinessReport = report(&app.state).await.unwrap();
    for id in [
        "identity.https",
        "identity.cookies",
        "identity.email_verification",
        "messaging.smtp",
        "guardrails.environment",
        "guardrails.clock_control",
        "guardrails.debug_endpoints",
        "monetisation.commission",
        "monetisation.bank_account",
        // No super admin yet: nobody can run the console.
        "identity.bootstrap_token",
        // The tests' configuration lets operators in without a second factor.
        "identity.operator_second_factor",
    ] {
        assert_eq!(r.check(id).unwrap().status, Status::Blocker, "{id}: {:?}", r.check(id));
    }
    for id in ["identity.signup_policy", "monetisation.sandbox_provider"] {
        assert_eq!(r.check(id).unwrap().status, Status::Warning, "{id}");
    }
    for id in [
        "operations.database",
        "operations.migrations",
        "operations.uploads",
        "operations.jobs",
        "operations.audit_chain",
        "operations.ledger",
        "operations.unposted",
        "messaging.templates",
        "messaging.outbox",
        "messaging.webhooks",
        "messaging.suppressions",
        "guardrails.demo_data",
        "guardrails.security_headers",
        "monetisation.payout_limits",
    ] {
        assert_eq!(r.check(id).unwrap().status, Status::Ready, "{id}: {:?}", r.check(id));
    }
    // Blockers first, by area: identity's come before monetisation's and guardrails'.
    assert_eq!(r.next, vec!["identity.https", "identity.cookies", "identity.bootstrap_token"]);
    assert_eq!(r.summary.blockers, 11);
    assert_eq!(r.summary.blockers + r.summary.warnings + r.summary.ready + r.summary.deferred, r.checks.len() as i64);
    assert!(!r.production);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_production_like_install_passes_its_guardrails_and_the_console_fixes_the_rest() {
    let app = production_like(&[]).await;
    assert_eq!(status(&app, "guardrails.environment").await, Status::Ready);
    assert_eq!(status(&app, "guardrails.clock_control").await, Status::Ready);
    assert_eq!(status(&app, "guardrails.debug_endpoints").await, Status::Ready);
    assert_eq!(status(&app, "monetisation.sandbox_provider").await, Status::Ready);
    assert_eq!(status(&app, "identity.signup_policy").await, Status::Ready);
    assert_eq!(status(&app, "identity.email_verification").await, Status::Ready);

    // Configured, nothing sent yet: nothing to be late with.
    assert_eq!(status(&app, "messaging.smtp").await, Status::Ready);
    // Plain http: only the configuration fixes it.
    assert_eq!(status(&app, "identity.https").await, Status::Blocker);

    // A super admin: the bootstrap token (unset) is fine.
    assert_eq!(status(&app, "identity.bootstrap_token").await, Status::Blocker);
    let admin = app.persona("admin", &[OperatorRole::SuperAdmin]).await;
    assert_eq!(status(&app, "identity.bootstrap_token").await, Status::Ready);

    // The commission rule and the bank account are fixed from the console.
    assert_eq!(status(&app, "monetisation.commission").await, Status::Blocker);
    app.default_commission_rule(1_000).await;
    assert_eq!(status(&app, "monetisation.commission").await, Status::Ready);
    assert_eq!(status(&app, "monetisation.bank_account").await, Status::Blocker);
    ok(
        &app,
        &admin,
        "save_bank_account",
        &[
            ("holder", "Agora Ltd"),
            ("bank_name", "Bank of Tests"),
            ("account_number", "6222 0000 1234 5678"),
            ("reason", "launch readiness"),
            ("password", PASSWORD),
        ],
    )
    .await;
    assert_eq!(status(&app, "monetisation.bank_account").await, Status::Ready);

    // The server function answers the same report to an operator, and refuses a buyer.
    let body = ok(&app, &admin, "get_readiness", &[]).await;
    assert_eq!(body["production"], json!(true));
    let https = body["checks"].as_array().unwrap().iter().find(|c| c["id"] == "identity.https").unwrap();
    assert_eq!(https["status"], json!("Blocker"));
    let buyer = app.persona("buyer", &[]).await;
    assert_eq!(app.call(&buyer, "get_readiness", &[]).await.0, StatusCode::FORBIDDEN);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn responses_carry_the_security_headers_readiness_reports() {
    let app = production_like(&[]).await;
    let res = reqwest::get(app.url("/healthz")).await.unwrap();
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    assert_eq!(res.headers()["x-frame-options"], "DENY");
    assert!(res.headers().contains_key("referrer-policy"));
    // No https, so no HSTS (it would lock an http host out).
    assert!(!res.headers().contains_key("strict-transport-security"));
    assert_eq!(status(&app, "guardrails.security_headers").await, Status::Ready);
    assert_eq!(
        fact(&app, "guardrails.security_headers", "headers").await,
        "x-content-type-options, x-frame-options, referrer-policy"
    );
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bootstrap_token_left_set_after_a_super_admin_exists_is_a_blocker() {
    let app = TestApp::spawn_with(&[("AGORA_BOOTSTRAP_TOKEN", "let-me-in")]).await;
    app.persona("admin", &[OperatorRole::SuperAdmin]).await;
    assert_eq!(status(&app, "identity.bootstrap_token").await, Status::Blocker);
    assert_eq!(fact(&app, "identity.bootstrap_token", "super_admins").await, "1");
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invite_only_refuses_public_sign_up_with_a_message() {
    let app = TestApp::spawn_with(&[("AGORA_SIGNUP_POLICY", "invite_only")]).await;
    let visitor = app.anonymous();
    let (status, body) = app
        .call(&visitor, "sign_up", &[("email", "new@example.org"), ("display_name", "New"), ("password", PASSWORD)])
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body.to_string().contains("auth.signup_invite_only"), "{body}");
    assert_eq!(app.count("SELECT COUNT(*) FROM users WHERE email = 'new@example.org'").await, 0);
    assert_eq!(fact(&app, "identity.signup_policy", "signup_policy").await, "invite_only");
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stuck_outbox_is_a_blocker_until_it_is_delivered() {
    let app = TestApp::spawn().await;
    let user = app.persona("someone", &[]).await.user_id.unwrap();
    let mut tx = app.state.db.begin().await.unwrap();
    enqueue(&mut tx, app.state.now_ms(), &OutboxEvent::notify(user, "test.event", json!({}))).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(status(&app, "messaging.outbox").await, Status::Ready);
    app.advance(16 * MIN);
    assert_eq!(status(&app, "messaging.outbox").await, Status::Blocker);
    assert_eq!(fact(&app, "messaging.outbox", "backlog_minutes").await, "16");
    app.drain_outbox().await;
    assert_eq!(status(&app, "messaging.outbox").await, Status::Ready);
    // A message that gave up in the last day is a warning.
    sql(&app, "UPDATE outbox SET status = 'exhausted'").await;
    assert_eq!(status(&app, "messaging.outbox").await, Status::Warning);
    app.advance(DAY + MIN);
    assert_eq!(status(&app, "messaging.outbox").await, Status::Ready);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn late_jobs_warn_then_block_until_they_run() {
    let app = TestApp::spawn().await;
    let now = app.state.now_ms();
    sql(
        &app,
        &format!(
            "INSERT INTO jobs (kind, target_id, due_at, status, attempts, created_at) VALUES ('readiness.test', 1, {now}, 'pending', 0, {now})"
        ),
    )
    .await;
    assert_eq!(status(&app, "operations.jobs").await, Status::Ready);
    app.advance(6 * MIN);
    assert_eq!(status(&app, "operations.jobs").await, Status::Warning);
    app.advance(55 * MIN);
    assert_eq!(status(&app, "operations.jobs").await, Status::Blocker);
    sql(&app, "UPDATE jobs SET status = 'done'").await;
    assert_eq!(status(&app, "operations.jobs").await, Status::Ready);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tampered_audit_entry_is_found_after_the_checkpoint() {
    let app = TestApp::spawn().await;
    let tech = app.persona("tech", &[OperatorRole::Tech]).await;
    let owner = app.persona("owner", &[OperatorRole::Tech]).await;
    defer(&app, &tech, "identity.signup_policy", &owner.email, &tomorrow(&app)).await;
    // The first check verifies the entries so far and moves the checkpoint.
    assert_eq!(fact(&app, "operations.audit_chain", "audit_verified_now").await, "1");
    assert_eq!(status(&app, "operations.audit_chain").await, Status::Ready);
    // The next view verifies nothing new.
    assert_eq!(fact(&app, "operations.audit_chain", "audit_verified_now").await, "0");
    end(&app, &tech, "identity.signup_policy").await;
    defer(&app, &tech, "identity.signup_policy", &owner.email, &tomorrow(&app)).await;
    sql(&app, "UPDATE audit_log SET reason = 'nothing to see' WHERE seq = 3").await;
    assert_eq!(status(&app, "operations.audit_chain").await, Status::Blocker);
    sql(&app, "UPDATE audit_log SET reason = 'readiness test' WHERE seq = 3").await;
    assert_eq!(status(&app, "operations.audit_chain").await, Status::Ready);
    assert_eq!(fact(&app, "operations.audit_chain", "audit_verified_through").await, "3");
    // Rewriting the checkpoint's own entry is seen too.
    sql(&app, "UPDATE audit_log SET hash = 'forged' WHERE seq = 3").await;
    assert_eq!(status(&app, "operations.audit_chain").await, Status::Blocker);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unbalanced_ledger_and_an_unknown_schema_are_blockers() {
    let app = TestApp::spawn().await;
    let now = app.state.now_ms();
    sql(
        &app,
        &format!(
            "INSERT INTO ledger_accounts (code, currency, kind, balance_minor, created_at) VALUES ('test:stray', 'USD', 'asset', 5, {now})"
        ),
    )
    .await;
    assert_eq!(status(&app, "operations.ledger").await, Status::Blocker);
    assert_eq!(fact(&app, "operations.ledger", "trial_balance").await, "USD 5");
    sql(&app, "UPDATE ledger_accounts SET balance_minor = 0 WHERE code = 'test:stray'").await;
    assert_eq!(status(&app, "operations.ledger").await, Status::Ready);

    let latest = app.state.db.latest_known_migration();
    sql(&app, &format!("UPDATE _sqlx_migrations SET version = {} WHERE version = {latest}", latest + 1000)).await;
    assert_eq!(status(&app, "operations.migrations").await, Status::Blocker);
    sql(&app, &format!("UPDATE _sqlx_migrations SET version = {latest} WHERE version = {}", latest + 1000)).await;
    assert_eq!(status(&app, "operations.migrations").await, Status::Ready);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_uploads_directory_that_cannot_be_written_is_a_blocker() {
    let app = TestApp::spawn_with(&[("AGORA_UPLOADS_DIR", "/proc/agora-readiness/uploads")]).await;
    assert_eq!(status(&app, "operations.uploads").await, Status::Blocker);
    assert_eq!(fact(&app, "operations.uploads", "writable").await, "no");
    app.finish().await;
    // The tests' own temp dir is writable with room.
    let app = TestApp::spawn().await;
    assert_eq!(status(&app, "operations.uploads").await, Status::Ready);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn messaging_problems_are_warnings_until_fixed() {
    let app = TestApp::spawn().await;
    let creator = app.persona("creator", &[OperatorRole::Tech]).await.user_id.unwrap();
    let now = app.state.now_ms();
    // A disabled webhook endpoint.
    sql(
        &app,
        &format!(
            "INSERT INTO webhook_endpoints (organisation_id, url, description, event_types, status, secret, created_at, created_by, updated_at) \
             VALUES (NULL, 'https://hooks.example.org/x', 'x', '', 'disabled', 'whsec_x', {now}, {creator}, {now})"
        ),
    )
    .await;
    assert_eq!(status(&app, "messaging.webhooks").await, Status::Warning);
    sql(&app, &format!("UPDATE webhook_endpoints SET status = 'active', failing_since = {now}")).await;
    assert_eq!(status(&app, "messaging.webhooks").await, Status::Warning);
    sql(&app, "UPDATE webhook_endpoints SET failing_since = NULL").await;
    assert_eq!(status(&app, "messaging.webhooks").await, Status::Ready);

    // An address suppressed this week.
    sql(
        &app,
        &format!("INSERT INTO email_suppressions (address, smtp_code, reason, created_at) VALUES ('gone@example.org', 550, 'bounce', {now})"),
    )
    .await;
    assert_eq!(status(&app, "messaging.suppressions").await, Status::Warning);
    app.advance(8 * DAY);
    assert_eq!(status(&app, "messaging.suppressions").await, Status::Ready);

    // A missing template.
    sql(&app, "DELETE FROM message_template_versions WHERE template_id = (SELECT MIN(id) FROM message_templates)")
        .await;
    sql(&app, "DELETE FROM message_templates WHERE id = (SELECT MIN(id) FROM message_templates)").await;
    assert_eq!(status(&app, "messaging.templates").await, Status::Warning);
    assert_eq!(fact(&app, "messaging.templates", "templates_missing").await, "1");
    agora_app::notifications::templates::seed_missing(&app.state.db, app.state.now_ms()).await.unwrap();
    assert_eq!(status(&app, "messaging.templates").await, Status::Ready);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_configured_but_silent_for_a_week_is_a_warning() {
    let app = production_like(&[]).await;
    let user = app.persona("someone", &[]).await.user_id.unwrap();
    let now = app.state.now_ms();
    sql(
        &app,
        &format!(
            "INSERT INTO outbox (created_at, event_type, channel, recipient_user_id, recipient_address, payload_json, status, attempts, next_attempt_at, updated_at) \
             VALUES ({now}, 'test.mail', 'email', {user}, 'a@example.org', '{{}}', 'delivered', 1, {now}, {now})"
        ),
    )
    .await;
    assert_eq!(status(&app, "messaging.smtp").await, Status::Ready);
    app.advance(8 * DAY);
    assert_eq!(status(&app, "messaging.smtp").await, Status::Warning);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trust_thresholds_count_up_to_their_targets() {
    let app = TestApp::spawn_with(&[
        ("AGORA_READINESS_TARGET_LISTINGS", "1"),
        ("AGORA_READINESS_TARGET_SELLERS", "1"),
        ("AGORA_READINESS_TARGET_ORDERS", "0"),
    ])
    .await;
    assert_eq!(status(&app, "trust.listings").await, Status::Warning);
    assert_eq!(status(&app, "trust.sellers").await, Status::Warning);
    assert_eq!(status(&app, "trust.orders").await, Status::Ready);
    let seller = app.persona("seller", &[]).await;
    app.organisation_owned_by(&seller, "Tea House").await;
    assert_eq!(status(&app, "trust.sellers").await, Status::Ready);
    app.live_listing(&seller, "Green tea", 5).await;
    assert_eq!(status(&app, "trust.listings").await, Status::Ready);
    assert_eq!(fact(&app, "trust.listings", "counted").await, "≥ 1");
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn payout_limits_and_test_accounts_are_flagged() {
    let app =
        TestApp::spawn_with(&[("AGORA_PAYOUT_MIN_MINOR", "5000"), ("AGORA_PAYOUT_REVIEW_THRESHOLD_MINOR", "5000")])
            .await;
    assert_eq!(status(&app, "monetisation.payout_limits").await, Status::Warning);
    let now = app.state.now_ms();
    sql(
        &app,
        &format!(
            "INSERT INTO users (email, display_name, password_hash, status, locale, created_at, updated_at) \
             VALUES ('admin@agora.test', 'Ada', 'x', 'active', 'en', {now}, {now})"
        ),
    )
    .await;
    assert_eq!(status(&app, "guardrails.demo_data").await, Status::Blocker);
    sql(&app, "UPDATE users SET status = 'banned' WHERE email = 'admin@agora.test'").await;
    assert_eq!(status(&app, "guardrails.demo_data").await, Status::Ready);
    app.finish().await;
}

// ---------------------------------------------------------------------------------------------------
// Deferrals.

fn tomorrow(app: &TestApp) -> String {
    agora_app::domain::period::format_date(app.state.now_ms() + DAY, 0)
}

async fn defer(app: &TestApp, who: &Persona, check: &str, owner: &str, expires: &str) -> (StatusCode, Value) {
    app.call(
        who,
        "defer_readiness_check",
        &[
            ("check", check),
            ("owner", owner),
            ("expires", expires),
            ("reason", "readiness test"),
            ("password", PASSWORD),
        ],
    )
    .await
}

async fn end(app: &TestApp, who: &Persona, check: &str) -> (StatusCode, Value) {
    app.call(who, "end_readiness_deferral", &[("check", check), ("reason", "readiness test"), ("password", PASSWORD)])
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deferral_names_an_owner_and_ends_when_it_expires() {
    let app = TestApp::spawn().await;
    let tech = app.persona("tech", &[OperatorRole::Tech]).await;
    let owner = app.persona("owner", &[OperatorRole::Finance]).await;
    assert_eq!(status(&app, "identity.signup_policy").await, Status::Warning);

    assert_eq!(defer(&app, &tech, "identity.signup_policy", &owner.email, &tomorrow(&app)).await.0, StatusCode::OK);
    let r = report(&app.state).await.unwrap();
    let c = r.check("identity.signup_policy").unwrap();
    assert_eq!((c.status, c.measured), (Status::Deferred, Status::Warning));
    let d = c.deferral.as_ref().unwrap();
    assert_eq!((d.owner_email.as_str(), d.reason.as_str(), d.expired), (owner.email.as_str(), "readiness test", false));
    assert_eq!(r.summary.deferred, 1);
    assert!(!r.next.contains(&"identity.signup_policy".to_string()));
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'readiness.defer' AND target_id = 'identity.signup_policy'"
        )
        .await,
        1
    );

    // Past the end of tomorrow the check shows its measured status again.
    app.advance(2 * DAY);
    let r = report(&app.state).await.unwrap();
    let c = r.check("identity.signup_policy").unwrap();
    assert_eq!(c.status, Status::Warning);
    assert!(c.deferral.as_ref().unwrap().expired);
    // An expired deferral is replaced by a new one, which can be ended.
    let tech = crate::helpers::fresh(&app, &tech).await;
    assert_eq!(defer(&app, &tech, "identity.signup_policy", &owner.email, &tomorrow(&app)).await.0, StatusCode::OK);
    assert_eq!(status(&app, "identity.signup_policy").await, Status::Deferred);
    assert_eq!(end(&app, &tech, "identity.signup_policy").await.0, StatusCode::OK);
    assert_eq!(status(&app, "identity.signup_policy").await, Status::Warning);
    let (code, body) = end(&app, &tech, "identity.signup_policy").await;
    assert_eq!(code, StatusCode::CONFLICT);
    assert!(body.to_string().contains("readiness.not_deferred"), "{body}");
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'readiness.end_deferral'").await, 1);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_operators_deferring_one_check_at_once_make_one_deferral() {
    let app = TestApp::spawn().await;
    let a = app.persona("tech-a", &[OperatorRole::Tech]).await;
    let b = app.persona("tech-b", &[OperatorRole::Tech]).await;
    let date = tomorrow(&app);
    let (ra, rb) = tokio::join!(
        defer(&app, &a, "identity.signup_policy", &a.email, &date),
        defer(&app, &b, "identity.signup_policy", &b.email, &date)
    );
    let mut codes = [ra.0, rb.0];
    codes.sort();
    assert_eq!(codes, [StatusCode::OK, StatusCode::CONFLICT], "{ra:?} {rb:?}");
    let loser = if ra.0 == StatusCode::CONFLICT { &ra.1 } else { &rb.1 };
    assert!(loser.to_string().contains("readiness.already_deferred"), "{loser}");
    assert_eq!(app.count("SELECT COUNT(*) FROM readiness_deferrals").await, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'readiness.defer'").await, 1);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_deferrals_are_refused_next_to_their_field() {
    let app = TestApp::spawn().await;
    let tech = app.persona("tech", &[OperatorRole::Tech]).await;
    let buyer = app.persona("buyer", &[]).await;
    let today = agora_app::domain::period::format_date(app.state.now_ms(), 0);
    let cases: [(&str, &str, &str, &str); 5] = [
        (&today, &tech.email, "expires", "readiness.expiry.past"),
        ("2020-01-01", &tech.email, "expires", "readiness.expiry.past"),
        ("not a date", &tech.email, "expires", "readiness.expiry.invalid"),
        ("", &tech.email, "expires", "readiness.expiry.required"),
        (&tomorrow(&app), &buyer.email, "owner", "readiness.owner.not_operator"),
    ];
    for (expires, owner, field, key) in cases {
        let (code, body) = defer(&app, &tech, "identity.signup_policy", owner, expires).await;
        assert_eq!(code, StatusCode::BAD_REQUEST, "{expires} {owner}: {body}");
        assert_eq!(field_error(&body), Some((field.to_string(), key.to_string())), "{body}");
    }
    let (code, _) = defer(&app, &tech, "no.such.check", &tech.email, &tomorrow(&app)).await;
    assert_eq!(code, StatusCode::NOT_FOUND);
    // A wrong password changes nothing.
    let (code, body) = app
        .call(
            &tech,
            "defer_readiness_check",
            &[
                ("check", "identity.signup_policy"),
                ("owner", &tech.email),
                ("expires", &tomorrow(&app)),
                ("reason", "readiness test"),
                ("password", "not my password"),
            ],
        )
        .await;
    assert_eq!(code, StatusCode::BAD_REQUEST);
    assert_eq!(field_error(&body), Some(("password".to_string(), "password.wrong".to_string())));
    assert_eq!(app.count("SELECT COUNT(*) FROM readiness_deferrals").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'readiness.defer'").await, 0);
    app.finish().await;
}

// ---------------------------------------------------------------------------------------------------
// The CLI.

/// The test database's URL, for the CLI (as the audit CLI test finds it).
async fn database_url(app: &TestApp) -> String {
    if crate::helpers::test_db() == "postgres" {
        let name: String =
            sqlx::query_scalar("SELECT CAST(current_database() AS TEXT)").fetch_one(app.state.db.read()).await.unwrap();
        let admin_url = std::env::var("AGORA_TEST_PG_URL").unwrap();
        let base = admin_url.rsplit_once('/').map(|(b, _)| b.to_string()).unwrap_or(admin_url);
        format!("{base}/{name}")
    } else {
        let file: String = sqlx::query_scalar("SELECT file FROM pragma_database_list WHERE name = 'main'")
            .fetch_one(app.state.db.read())
            .await
            .unwrap();
        format!("sqlite://{file}")
    }
}

async fn cli(app: &TestApp, args: &[&str], env: &[(&str, &str)]) -> (i32, String) {
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_agora-server"));
    cmd.args(["--config", "/nonexistent/agora/Leptos.toml", "readiness"])
        .args(args)
        .env("AGORA_DATABASE_URL", database_url(app).await)
        .env("AGORA_DATABASE_MAX_CONNECTIONS", "2")
        .env("AGORA_UPLOADS_DIR", app.uploads.path())
        .env("AGORA_LOG", "error");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().await.expect("running agora-server");
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_fails_on_blockers_and_optionally_on_warnings() {
    let app = TestApp::spawn().await;
    // A development configuration: blockers, exit 1.
    let (code, out) = cli(&app, &[], &[]).await;
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("blocker  guardrails   guardrails.environment"), "{out}");
    assert!(out.contains("fix: Set environment to production. (setting environment)"), "{out}");

    // Production settings and the console's fixes: no blocker left, exit 0; warnings remain (the
    // trust thresholds), so --fail-on warning exits 1.
    app.persona("admin", &[OperatorRole::SuperAdmin]).await;
    app.default_commission_rule(1_000).await;
    let production = [
        ("AGORA_ENVIRONMENT", "production"),
        ("AGORA_CLOCK_CONTROL", "false"),
        ("AGORA_PUBLIC_URL", "https://agora.example"),
        ("AGORA_PAYMENT_PROVIDERS", "bank_transfer"),
        ("AGORA_SMTP_HOST", "127.0.0.1"),
        ("AGORA_SIGNUP_POLICY", "open"),
    ];
    let (code, out) = cli(&app, &[], &production).await;
    assert_eq!(code, 1, "the bank account is still missing: {out}");
    assert!(out.contains("blocker  monetisation monetisation.bank_account"), "{out}");
    let tech = app.persona("tech", &[OperatorRole::Tech]).await;
    let (status, body) = defer(&app, &tech, "monetisation.bank_account", &tech.email, &tomorrow(&app)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (code, out) = cli(&app, &[], &production).await;
    assert_eq!(code, 0, "{out}");
    let (code, out) = cli(&app, &["--fail-on", "warning"], &production).await;
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("warning  trust        trust.listings"), "{out}");

    // JSON: the same checks.
    let (code, out) = cli(&app, &["--json"], &production).await;
    assert_eq!(code, 0, "{out}");
    let v: Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(v["environment"], "production");
    assert_eq!(v["summary"]["blockers"], 0);
    let bank = v["checks"].as_array().unwrap().iter().find(|c| c["id"] == "monetisation.bank_account").unwrap();
    assert_eq!((bank["status"].as_str(), bank["measured"].as_str()), (Some("deferred"), Some("blocker")));
    assert_eq!(bank["deferral"]["owner"], json!(tech.email));

    // A bad argument is a usage error (clap's 2), not a verdict.
    let (code, _) = cli(&app, &["--fail-on", "sometimes"], &production).await;
    assert_eq!(code, 2);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operators_without_a_second_factor_are_counted_where_one_is_required() {
    let app = TestApp::spawn_with(&[("AGORA_OPERATOR_SECOND_FACTOR", "required")]).await;
    let id = "identity.operator_second_factor";
    assert_eq!(status(&app, id).await, Status::Ready);
    assert_eq!(fact(&app, id, "second_factor_required").await, "yes");
    // An operator who has not enrolled yet is a warning (the console stays shut for them); a buyer
    // is not an operator.
    app.persona("new-operator", &[OperatorRole::Support]).await;
    app.persona("buyer", &[]).await;
    assert_eq!(status(&app, id).await, Status::Warning);
    assert_eq!(fact(&app, id, "operators_without_second_factor").await, "1");
    app.finish().await;
}
