//! The delivery desk: the outbox by channel and state with each message's attempts, replaying what
//! gave up (one, or all that match; protected and audited), and the suppression list.

use crate::helpers::{TestApp, PASSWORD};
use agora_app::domain::permissions::OperatorRole;
use agora_app::platform::outbox::{self, OutboxEvent};
use reqwest::StatusCode;
use serde_json::json;

/// A message for a channel nobody serves: every attempt fails.
async fn failing_message(app: &TestApp, user: i64, event_type: &str) -> i64 {
    let payload = json!({"number": "AG-1", "secret_link": "https://agora.test/reset?token=abc"});
    let event = OutboxEvent { channel: "nonexistent", ..OutboxEvent::notify(user, event_type, payload) };
    let mut tx = app.state.db.begin().await.unwrap();
    let id = outbox::enqueue(&mut tx, app.state.now_ms(), &event).await.unwrap();
    tx.commit().await.unwrap();
    id
}

/// Makes every attempt of the schedule on every due message, moving the clock past each delay.
async fn exhaust(app: &TestApp) {
    for _ in 0..outbox::RETRY_SCHEDULE_S.len() {
        app.drain_outbox().await;
        app.advance(13 * 3_600_000);
    }
    app.drain_outbox().await;
}

async fn status_of(app: &TestApp, id: i64) -> (String, i64) {
    sqlx::query_as("SELECT status, attempts FROM outbox WHERE id = $1")
        .bind(id)
        .fetch_one(app.state.db.read())
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_exhausted_message_is_listed_with_its_attempts_and_replayed_once_by_a_protected_action() {
    let app = TestApp::spawn().await;
    let ann = app.persona("ann", &[]).await.user_id.unwrap();
    let id = failing_message(&app, ann, "orders.shipped").await;
    exhaust(&app).await;
    assert_eq!(status_of(&app, id).await, ("exhausted".to_string(), 8));
    // Signed in after the clock moved days ahead (sessions end after 12 hours).
    let tech = app.persona("tech", &[OperatorRole::Tech]).await;

    let (s, counters) = app.call(&tech, "delivery_desk_counters", &[]).await;
    assert_eq!(s, StatusCode::OK, "{counters}");
    assert_eq!(counters["exhausted_24h"], 1);
    assert_eq!(counters["pending"], 0);

    let (s, page) = app.call(&tech, "list_deliveries", &[("status", "exhausted"), ("event", "orders.")]).await;
    assert_eq!(s, StatusCode::OK, "{page}");
    let rows = page["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["id"], id);
    assert!(rows[0]["recipient"].as_str().unwrap().starts_with("ann-"), "the user's address: {}", rows[0]);
    assert!(rows[0]["last_error"].as_str().unwrap().contains("nonexistent"));
    let (_, none) = app.call(&tech, "list_deliveries", &[("status", "delivered")]).await;
    assert!(none["rows"].as_array().unwrap().is_empty());
    let (_, other_event) = app.call(&tech, "list_deliveries", &[("event", "payouts.")]).await;
    assert!(other_event["rows"].as_array().unwrap().is_empty());

    let (s, detail) = app.call(&tech, "get_delivery", &[("id", &id.to_string())]).await;
    assert_eq!(s, StatusCode::OK, "{detail}");
    assert_eq!(detail["attempts"].as_array().unwrap().len(), 8, "every attempt is logged");
    let payload: serde_json::Value = serde_json::from_str(detail["payload_json"].as_str().unwrap()).unwrap();
    assert_eq!(payload["secret_link"], "(hidden)", "a link that opens an account is never shown on the desk");
    assert_eq!(payload["number"], "AG-1");

    // A wrong password changes nothing.
    let (s, _) = app
        .call(
            &tech,
            "replay_delivery",
            &[("id", &id.to_string()), ("reason", "receiver fixed"), ("password", "nope nope")],
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(status_of(&app, id).await.0, "exhausted");

    let (s, body) = app
        .call(
            &tech,
            "replay_delivery",
            &[("id", &id.to_string()), ("reason", "receiver fixed"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(status_of(&app, id).await, ("pending".to_string(), 0));
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'delivery.replay'").await, 1);
    // Queued again: a second replay has nothing to do.
    let (s, _) = app
        .call(
            &tech,
            "replay_delivery",
            &[("id", &id.to_string()), ("reason", "receiver fixed"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    // The worker tries it again (and, the channel still missing, it starts retrying).
    app.drain_outbox().await;
    assert_eq!(status_of(&app, id).await, ("pending".to_string(), 1));
    let (_, retrying) = app.call(&tech, "list_deliveries", &[("status", "retrying")]).await;
    assert_eq!(retrying["rows"][0]["id"], id);
    exhaust(&app).await;
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replay_all_that_match_takes_only_what_gave_up_and_is_one_audit_entry() {
    let app = TestApp::spawn().await;
    let ann = app.persona("ann", &[]).await.user_id.unwrap();
    let a = failing_message(&app, ann, "orders.shipped").await;
    let b = failing_message(&app, ann, "payouts.approved").await;
    exhaust(&app).await;
    let admin = app.persona("admin", &[OperatorRole::Admin]).await;
    let delivered = {
        let mut tx = app.state.db.begin().await.unwrap();
        let id = outbox::enqueue(&mut tx, app.state.now_ms(), &OutboxEvent::notify(ann, "orders.shipped", json!({})))
            .await
            .unwrap();
        tx.commit().await.unwrap();
        app.drain_outbox().await;
        id
    };
    assert_eq!(status_of(&app, delivered).await.0, "delivered");

    // A state that cannot be replayed is a field error; nothing changes.
    let (s, body) = app
        .call(&admin, "replay_deliveries", &[("status", "delivered"), ("reason", "retry all"), ("password", PASSWORD)])
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{body}");
    let (s, n) = app
        .call(
            &admin,
            "replay_deliveries",
            &[("event", "orders."), ("reason", "receiver fixed"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{n}");
    assert_eq!(n, 1, "only the exhausted order message matches");
    assert_eq!(status_of(&app, a).await.0, "pending");
    assert_eq!(status_of(&app, b).await.0, "exhausted");
    assert_eq!(status_of(&app, delivered).await.0, "delivered");
    let (s, n) = app.call(&admin, "replay_deliveries", &[("reason", "everything else"), ("password", PASSWORD)]).await;
    assert_eq!((s, n), (StatusCode::OK, json!(1)));
    let (s, _) = app.call(&admin, "replay_deliveries", &[("reason", "again"), ("password", PASSWORD)]).await;
    assert_eq!(s, StatusCode::CONFLICT, "nothing left to replay");
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'delivery.replay_many'").await, 2);
    // A bad filter value is refused by name.
    let (s, body) = app.call(&admin, "list_deliveries", &[("channel", "carrier-pigeon")]).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(body.to_string().contains("channel"), "{body}");
    exhaust(&app).await;
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_suppressed_address_is_listed_and_cleared_by_a_protected_audited_action() {
    let app = TestApp::spawn().await;
    let tech = app.persona("tech", &[OperatorRole::Tech]).await;
    let support = app.persona("support", &[OperatorRole::Support]).await;
    // The email channel writes this row when a mail server answers 5xx (tested with a real SMTP server
    // in `mail`); here the desk's side of it.
    sqlx::query(
        "INSERT INTO email_suppressions (address, smtp_code, reason, outbox_id, created_at) VALUES ($1, 550, $2, NULL, $3)",
    )
    .bind("gone@example.com")
    .bind("550 5.1.1 mailbox unavailable")
    .bind(app.state.now_ms())
    .execute(app.state.db.read())
    .await
    .unwrap();
    let (s, page) = app.call(&support, "list_suppressions", &[]).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(page["rows"][0]["address"], "gone@example.com");
    let (_, counters) = app.call(&support, "delivery_desk_counters", &[]).await;
    assert_eq!(counters["suppressed"], 1);
    let (s, _) = app
        .call(
            &support,
            "clear_suppression",
            &[("address", "gone@example.com"), ("reason", "fixed"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "support reads the desk but does not change it");

    let (s, _) = app
        .call(
            &tech,
            "clear_suppression",
            &[("address", "nobody@example.com"), ("reason", "a typo in the address"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, body) = app
        .call(
            &tech,
            "clear_suppression",
            &[("address", "gone@example.com"), ("reason", "mailbox restored"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(app.count("SELECT COUNT(*) FROM email_suppressions").await, 0);
    let before: String =
        sqlx::query_scalar("SELECT before_json FROM audit_log WHERE action = 'delivery.suppression_clear'")
            .fetch_one(app.state.db.read())
            .await
            .unwrap();
    assert!(before.contains("gone@example.com") && before.contains("550"), "{before}");
    app.finish().await;
}
