//! Webhooks end to end against a real receiver (`end2end/fixtures/webhook-receiver.mjs`, which
//! verifies every signature with the npm `standardwebhooks` library): signing (also during a
//! rotation), no loss and no duplicate under failures, 410, redirects, hangs, huge answers and
//! dropped connections, the URL rules, the 5-day disable, replays.

use crate::helpers::{ok, Persona, TestApp};
use agora_app::domain::permissions::OperatorRole;
use reqwest::StatusCode;
use serde_json::Value;
use std::collections::HashMap;
use tokio::io::{AsyncBufReadExt, BufReader};

/// The receiver process and the file it logs to.
struct Receiver {
    child: tokio::process::Child,
    port: u16,
    log: tempfile::NamedTempFile,
}

impl Receiver {
    async fn start() -> Receiver {
        let log = tempfile::NamedTempFile::new().unwrap();
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../end2end/fixtures/webhook-receiver.mjs");
        let mut child = tokio::process::Command::new("node")
            .arg(script)
            .arg(log.path())
            .stdout(std::process::Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("starting the webhook receiver (node)");
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).await.unwrap();
        let port = serde_json::from_str::<Value>(&first).unwrap()["port"].as_u64().unwrap() as u16;
        Receiver { child, port, log }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// Tells the receiver which secrets to verify with (one `verified` flag per secret, in order).
    async fn secrets(&self, secrets: &[&str]) {
        let res = reqwest::Client::new().post(self.url("/_secrets")).json(&secrets).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::NO_CONTENT);
    }

    /// Every request received so far.
    fn requests(&self) -> Vec<Value> {
        std::fs::read_to_string(self.log.path()).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
    }

    async fn stop(mut self) {
        let _ = self.child.kill().await;
    }
}

/// A test app whose webhooks may reach loopback (where the receiver listens).
async fn spawn(env: &[(&str, &str)]) -> TestApp {
    let mut env = env.to_vec();
    env.push(("AGORA_WEBHOOK_ALLOW_PRIVATE_TARGETS", "true"));
    TestApp::spawn_with(&env).await
}

/// An active seller organisation's owner.
async fn seller(app: &TestApp) -> (Persona, i64) {
    let owner = app.persona("owner", &[]).await;
    let org = app.organisation_owned_by(&owner, "Hook Tea").await;
    (owner, org)
}

/// Adds an endpoint at `url` (every event); returns (id, secret).
async fn endpoint(app: &TestApp, owner: &Persona, url: &str) -> (i64, String) {
    let body = ok(app, owner, "create_webhook_endpoint", &[("url", url), ("description", "test")]).await;
    (body["endpoint_id"].as_i64().unwrap(), body["secret"].as_str().unwrap().to_string())
}

async fn send_test(app: &TestApp, owner: &Persona, id: i64) -> i64 {
    ok(app, owner, "send_webhook_test", &[("id", &id.to_string())]).await.as_i64().unwrap()
}

/// Delivers, moving the clock to each next attempt, until no webhook message is pending.
async fn pump(app: &TestApp) {
    loop {
        app.drain_outbox().await;
        let next: Option<i64> = sqlx::query_scalar(
            "SELECT MIN(next_attempt_at) FROM outbox WHERE channel = 'webhook' AND status = 'pending'",
        )
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
        match next {
            Some(at) => app.advance((at - app.state.now_ms()).max(0) + 1),
            None => return,
        }
    }
}

async fn outbox_status(app: &TestApp, id: i64) -> String {
    sqlx::query_scalar("SELECT status FROM outbox WHERE id = $1").bind(id).fetch_one(app.state.db.read()).await.unwrap()
}

async fn endpoint_status(app: &TestApp, id: i64) -> (String, Option<String>) {
    sqlx::query_as("SELECT status, disabled_reason FROM webhook_endpoints WHERE id = $1")
        .bind(id)
        .fetch_one(app.state.db.read())
        .await
        .unwrap()
}

/// What the receiver's verification said of each request to `/ok` (one flag per secret it held).
fn verified_flags(rx: &Receiver) -> Vec<Vec<bool>> {
    rx.requests()
        .into_iter()
        .filter(|r| r["path"] == "/ok")
        .map(|r| r["verified"].as_array().unwrap().iter().map(|v| v.as_bool().unwrap()).collect())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_receiver_verifies_the_current_and_during_a_rotation_the_previous_secret() {
    let app = spawn(&[]).await;
    let rx = Receiver::start().await;
    let (owner, _) = seller(&app).await;
    let (id, first) = endpoint(&app, &owner, &rx.url("/ok")).await;
    rx.secrets(&[&first]).await;
    send_test(&app, &owner, id).await;
    pump(&app).await;
    let second = ok(&app, &owner, "rotate_webhook_secret", &[("id", &id.to_string())]).await["secret"]
        .as_str()
        .unwrap()
        .to_string();
    // The receiver still holds only the old secret: the message verifies with it (both signed).
    send_test(&app, &owner, id).await;
    pump(&app).await;
    rx.secrets(&[&second]).await;
    send_test(&app, &owner, id).await;
    pump(&app).await;
    // 24 hours later the old secret no longer signs.
    app.advance(24 * 3_600_000 + 1);
    let owner = crate::helpers::fresh(&app, &owner).await;
    rx.secrets(&[&first, &second]).await;
    send_test(&app, &owner, id).await;
    pump(&app).await;
    let flags = verified_flags(&rx);
    assert_eq!(flags, vec![vec![true], vec![true], vec![true], vec![false, true]]);
    rx.stop().await;
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_receiver_failing_half_its_requests_loses_nothing_and_gets_nothing_twice() {
    let app = spawn(&[]).await;
    let rx = Receiver::start().await;
    let (owner, _) = seller(&app).await;
    let (id, secret) = endpoint(&app, &owner, &rx.url("/fail-half")).await;
    rx.secrets(&[&secret]).await;
    let mut sent = vec![];
    for _ in 0..6 {
        sent.push(format!("msg_{}", send_test(&app, &owner, id).await));
    }
    pump(&app).await;
    let got = rx.requests();
    let mut accepted: HashMap<String, usize> = HashMap::new();
    for r in &got {
        assert_eq!(r["verified"], serde_json::json!([true]), "{r}");
        if r["status"] == 200 {
            *accepted.entry(r["id"].as_str().unwrap().to_string()).or_default() += 1;
        }
    }
    let mut ids: Vec<&String> = accepted.keys().collect();
    ids.sort();
    let mut expected: Vec<&String> = sent.iter().collect();
    expected.sort();
    assert_eq!(ids, expected, "every message accepted");
    assert!(accepted.values().all(|n| *n == 1), "a message was accepted twice: {accepted:?}");
    assert!(got.len() > sent.len(), "the receiver failed some requests: {}", got.len());
    // A success clears the endpoint's run of failures.
    let failing: Option<i64> = sqlx::query_scalar("SELECT failing_since FROM webhook_endpoints WHERE id = $1")
        .bind(id)
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    assert_eq!(failing, None);
    rx.stop().await;
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gone_disables_the_endpoint_and_redirects_hangs_huge_answers_and_closes_retry() {
    let app = spawn(&[("AGORA_WEBHOOK_TIMEOUT_MS", "1000")]).await;
    let rx = Receiver::start().await;
    let (owner, _) = seller(&app).await;
    let (gone, _) = endpoint(&app, &owner, &rx.url("/410")).await;
    let m = send_test(&app, &owner, gone).await;
    app.drain_outbox().await;
    assert_eq!(outbox_status(&app, m).await, "failed");
    assert_eq!(endpoint_status(&app, gone).await, ("disabled".into(), Some("gone".into())));
    let (status, _) = app.call(&owner, "send_webhook_test", &[("id", &gone.to_string())]).await;
    assert_eq!(status, StatusCode::CONFLICT);
    for path in ["/redirect", "/hang", "/huge", "/close"] {
        let (id, _) = endpoint(&app, &owner, &rx.url(path)).await;
        let m = send_test(&app, &owner, id).await;
        app.drain_outbox().await;
        assert_eq!(outbox_status(&app, m).await, "pending", "{path} is retried");
        let (outcome, excerpt): (String, Option<String>) =
            sqlx::query_as("SELECT outcome, response_excerpt FROM delivery_attempts WHERE outbox_id = $1")
                .bind(m)
                .fetch_one(app.state.db.read())
                .await
                .unwrap();
        assert_eq!(outcome, "retry", "{path}");
        assert!(excerpt.map_or(0, |e| e.len()) <= 1024, "{path}: at most 1 KB of the answer is kept");
        ok(&app, &owner, "delete_webhook_endpoint", &[("id", &id.to_string())]).await;
    }
    // Deleted endpoints' messages are skipped at their next attempt.
    pump(&app).await;
    let redirects = rx.requests().iter().filter(|r| r["path"] == "/ok").count();
    assert_eq!(redirects, 0, "a redirect was followed");
    rx.stop().await;
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn endpoint_urls_are_checked_when_saved_and_resolved_hosts_at_delivery() {
    let app = TestApp::spawn_with(&[("AGORA_WEBHOOK_ALLOW_PRIVATE_TARGETS", "false")]).await;
    let (owner, _) = seller(&app).await;
    for (url, code) in [
        ("https://user:secret@example.com/hook", "webhooks.url_credentials"),
        ("ftp://example.com/hook", "webhooks.url_scheme"),
        ("http://10.0.0.1/hook", "webhooks.url_private"),
        ("http://[::1]/hook", "webhooks.url_private"),
        ("http://127.0.0.1:9/hook", "webhooks.url_private"),
    ] {
        let (status, body) = app.call(&owner, "create_webhook_endpoint", &[("url", url)]).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{url}");
        assert_eq!(crate::helpers::field_error(&body), Some(("url".into(), code.into())), "{url}");
    }
    let (status, body) = app
        .call(
            &owner,
            "create_webhook_endpoint",
            &[("url", "https://example.com/h"), ("event_types[]", "sellers.applied")],
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(crate::helpers::field_error(&body), Some(("event_types".into(), "webhooks.unknown_event".into())));
    assert_eq!(app.count("SELECT COUNT(*) FROM webhook_endpoints").await, 0);
    // A host name that resolves to loopback is refused when saved...
    let (status, body) = app.call(&owner, "create_webhook_endpoint", &[("url", "http://localhost:9/hook")]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(crate::helpers::field_error(&body), Some(("url".into(), "webhooks.url_private".into())));
    // ...and again at delivery, for good, when its DNS changed after it was saved (here: an IP
    // literal saved, then the row pointed at the name, as a DNS change would).
    let (id, _) = endpoint(&app, &owner, "http://203.0.113.9:9/hook").await;
    sqlx::query("UPDATE webhook_endpoints SET url = 'http://localhost:9/hook' WHERE id = $1")
        .bind(id)
        .execute(app.state.db.read())
        .await
        .unwrap();
    let m = send_test(&app, &owner, id).await;
    app.drain_outbox().await;
    assert_eq!(outbox_status(&app, m).await, "failed");
    let error: String = sqlx::query_scalar("SELECT error FROM delivery_attempts WHERE outbox_id = $1")
        .bind(m)
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    assert!(error.contains("private address"), "{error}");
    // Staff may not manage webhooks; another seller does not see this one.
    let org: i64 = sqlx::query_scalar("SELECT organisation_id FROM webhook_endpoints WHERE id = $1")
        .bind(id)
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    let staff = app.seller_staff(org, "staff").await;
    assert_eq!(app.call(&staff, "my_webhook_endpoints", &[]).await.0, StatusCode::FORBIDDEN);
    let (other, _) = seller(&app).await;
    assert_eq!(app.call(&other, "send_webhook_test", &[("id", &id.to_string())]).await.0, StatusCode::NOT_FOUND);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_days_of_failures_disable_the_endpoint_and_tell_its_owner() {
    let app = spawn(&[]).await;
    let rx = Receiver::start().await;
    let (owner, _) = seller(&app).await;
    let (id, _) = endpoint(&app, &owner, &rx.url("/close")).await;
    send_test(&app, &owner, id).await;
    pump(&app).await;
    assert_eq!(endpoint_status(&app, id).await.0, "active", "the retries ran out before 5 days");
    app.advance(5 * 86_400_000);
    let owner = crate::helpers::fresh(&app, &owner).await;
    send_test(&app, &owner, id).await;
    app.drain_outbox().await;
    assert_eq!(endpoint_status(&app, id).await, ("disabled".into(), Some("failing".into())));
    let told: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND kind = 'webhooks.disabled'")
            .bind(owner.user_id.unwrap())
            .fetch_one(app.state.db.read())
            .await
            .unwrap();
    assert_eq!(told, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'webhooks.auto_disable'").await, 1);
    // The disabled endpoint's message waiting for a retry is skipped.
    pump(&app).await;
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox WHERE status = 'skipped'").await, 1);
    rx.stop().await;
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_operator_replays_one_message_and_every_failure_since_a_time() {
    let app = spawn(&[]).await;
    let rx = Receiver::start().await;
    let operator = app.persona("tech", &[OperatorRole::Tech]).await;
    // A platform endpoint hears of a seller's application; the receiver refuses with 410 first.
    let created = ok(&app, &operator, "console_create_webhook_endpoint", &[("url", &rx.url("/fail-half"))]).await;
    let id = created["endpoint_id"].as_i64().unwrap();
    let first = ok(&app, &operator, "console_send_webhook_test", &[("id", &id.to_string())]).await.as_i64().unwrap();
    app.drain_outbox().await;
    assert_eq!(outbox_status(&app, first).await, "pending");
    // Mark it failed for good as if its retries had run out, then replay it.
    sqlx::query("UPDATE outbox SET status = 'exhausted' WHERE id = $1")
        .bind(first)
        .execute(app.state.db.read())
        .await
        .unwrap();
    let (status, _) = app
        .call(
            &operator,
            "console_replay_webhook_message",
            &[("id", &id.to_string()), ("outbox_id", &first.to_string())],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    app.drain_outbox().await;
    assert_eq!(outbox_status(&app, first).await, "delivered");
    let ids: Vec<String> = rx.requests().iter().map(|r| r["id"].as_str().unwrap().to_string()).collect();
    assert_eq!(ids, vec![format!("msg_{first}"), format!("msg_{first}")], "the same webhook-id on replay");
    // A delivered message cannot be replayed.
    let (status, _) = app
        .call(
            &operator,
            "console_replay_webhook_message",
            &[("id", &id.to_string()), ("outbox_id", &first.to_string())],
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    // Two more, both ending failed; "replay since" sends them again.
    let a = ok(&app, &operator, "console_send_webhook_test", &[("id", &id.to_string())]).await.as_i64().unwrap();
    let b = ok(&app, &operator, "console_send_webhook_test", &[("id", &id.to_string())]).await.as_i64().unwrap();
    sqlx::query("UPDATE outbox SET status = 'failed' WHERE id IN ($1, $2)")
        .bind(a)
        .bind(b)
        .execute(app.state.db.read())
        .await
        .unwrap();
    let since = agora_app::domain::webhook::rfc3339(app.state.now_ms() - 60_000)[..16].to_string();
    let n =
        ok(&app, &operator, "console_replay_webhook_failed_since", &[("id", &id.to_string()), ("since", &since)]).await;
    assert_eq!(n, 2);
    pump(&app).await;
    assert_eq!(outbox_status(&app, a).await, "delivered");
    assert_eq!(outbox_status(&app, b).await, "delivered");
    // The attempts log shows every attempt, newest first, with the answer's start.
    let log = ok(&app, &operator, "console_webhook_attempts", &[("id", &id.to_string())]).await;
    let rows = log["rows"].as_array().unwrap();
    assert!(rows.len() >= 4, "{log}");
    assert!(rows[0]["id"].as_i64() > rows[1]["id"].as_i64());
    assert!(rows
        .iter()
        .any(|r| r["status_code"] == 200 && r["response_excerpt"].as_str().unwrap().contains("received")));
    assert!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'webhooks.replay_since'").await == 1);
    rx.stop().await;
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_are_published_to_the_subscribed_endpoints_of_their_scope() {
    let app = spawn(&[]).await;
    let rx = Receiver::start().await;
    let (owner, _) = seller(&app).await;
    let operator = app.persona("tech", &[OperatorRole::Tech]).await;
    let seller_hook = ok(
        &app,
        &owner,
        "create_webhook_endpoint",
        &[("url", &rx.url("/ok/seller")), ("event_types[]", "listings.approved")],
    )
    .await;
    let platform_hook = ok(
        &app,
        &operator,
        "console_create_webhook_endpoint",
        &[("url", &rx.url("/ok/platform")), ("event_types[]", "listings.submitted")],
    )
    .await;
    rx.secrets(&[seller_hook["secret"].as_str().unwrap(), platform_hook["secret"].as_str().unwrap()]).await;
    app.live_listing(&owner, "Oolong", 5).await;
    pump(&app).await;
    let mut got: Vec<(String, String, Value)> = rx
        .requests()
        .into_iter()
        .map(|r| {
            let body: Value = serde_json::from_str(r["body"].as_str().unwrap()).unwrap();
            (r["path"].as_str().unwrap().to_string(), body["type"].as_str().unwrap().to_string(), r["verified"].clone())
        })
        .collect();
    // Messages to different endpoints go out together: their arrival order is not theirs to keep.
    got.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        got,
        vec![
            ("/ok/platform".to_string(), "listings.submitted".to_string(), serde_json::json!([false, true])),
            ("/ok/seller".to_string(), "listings.approved".to_string(), serde_json::json!([true, false])),
        ]
    );
    rx.stop().await;
    app.finish().await;
}
