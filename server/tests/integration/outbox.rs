//! The outbox and the audit log: written in the mutation's transaction, delivered after commit exactly
//! once by competing workers, retried on schedule, and recovered from dead workers.

use crate::helpers::{TestApp, PASSWORD};
use agora_app::platform::audit_log::{self, Actor, AuditEntry, ChainStatus};
use agora_app::platform::caller::RequestMeta;
use agora_app::platform::outbox::{self, OutboxEvent, LEASE_MS, RETRY_SCHEDULE_S};
use reqwest::StatusCode;
use serde_json::json;
use sqlx::Row;

async fn enqueue(app: &TestApp, event: OutboxEvent) -> i64 {
    let mut tx = app.state.db.begin().await.unwrap();
    let id = outbox::enqueue(&mut tx, app.state.now_ms(), &event).await.unwrap();
    tx.commit().await.unwrap();
    id
}

async fn outbox_row(app: &TestApp, id: i64) -> (String, i64, i64, Option<String>) {
    let r = sqlx::query("SELECT status, attempts, next_attempt_at, last_error FROM outbox WHERE id = $1")
        .bind(id)
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    (r.get("status"), r.get("attempts"), r.get("next_attempt_at"), r.get("last_error"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changing_a_password_writes_its_audit_record_in_the_same_commit() {
    let app = TestApp::spawn().await;
    let (user_id, token) = app.sign_up_token("ann@example.com", "Ann", PASSWORD).await;
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log").await, 0);
    let refused = app
        .post_as(
            Some(&token),
            "change_password",
            &[("current_password", "wrong password"), ("new_password", "a new long phrase")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log").await, 0, "a refused change is not a change");

    let r = app
        .post_as(
            Some(&token),
            "change_password",
            &[("current_password", PASSWORD), ("new_password", "a new long phrase")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let row = sqlx::query("SELECT actor_id, actor_roles, action, target_type, target_id, ip, result FROM audit_log")
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    assert_eq!(row.get::<Option<i64>, _>("actor_id"), Some(user_id));
    assert_eq!(row.get::<String, _>("actor_roles"), "buyer");
    assert_eq!(row.get::<String, _>("action"), "account.change_password");
    assert_eq!(row.get::<String, _>("target_type"), "user");
    assert_eq!(row.get::<String, _>("target_id"), user_id.to_string());
    assert_eq!(row.get::<String, _>("ip"), "127.0.0.1");
    assert_eq!(row.get::<String, _>("result"), "ok");
    assert_eq!(audit_log::verify_chain(&app.state.db).await.unwrap(), ChainStatus::Intact { entries: 1 });
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_audit_record_and_an_outbox_event_commit_together_or_not_at_all() {
    let app = TestApp::spawn().await;
    let user = app.persona("ann", &[]).await.user_id.unwrap();
    let meta = RequestMeta { ip: "192.0.2.1".into(), user_agent: "test".into() };
    let entry = || AuditEntry {
        action: "test.change",
        target_type: "user",
        target_id: user.to_string(),
        before: json!({}),
        after: json!({"x": 1}),
        reason: "testing",
        result: "ok",
    };

    // Rolled back (a later step failed): neither the record nor the event exists, nothing is delivered.
    let mut tx = app.state.db.begin().await.unwrap();
    audit_log::record(&mut tx, &Actor::system("test"), &meta, app.state.now_ms(), entry()).await.unwrap();
    outbox::enqueue(&mut tx, app.state.now_ms(), &OutboxEvent::notify(user, "test.kind", json!({"n": "1"})))
        .await
        .unwrap();
    tx.rollback().await.unwrap();
    app.drain_outbox().await;
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM notifications").await, 0);
    assert_eq!(audit_log::verify_chain(&app.state.db).await.unwrap(), ChainStatus::Intact { entries: 0 });

    // Committed: both, and the event is delivered after the commit.
    let mut tx = app.state.db.begin().await.unwrap();
    audit_log::record(&mut tx, &Actor::system("test"), &meta, app.state.now_ms(), entry()).await.unwrap();
    outbox::enqueue(&mut tx, app.state.now_ms(), &OutboxEvent::notify(user, "test.kind", json!({"n": "2"})))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log").await, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox WHERE status = 'pending'").await, 1);
    app.drain_outbox().await;
    assert_eq!(app.count("SELECT COUNT(*) FROM notifications").await, 1);
    assert_eq!(audit_log::verify_chain(&app.state.db).await.unwrap(), ChainStatus::Intact { entries: 1 });
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn competing_workers_deliver_every_notification_exactly_once() {
    const EVENTS: i64 = 300;
    let app = TestApp::spawn().await;
    let users = [app.persona("ann", &[]).await.user_id.unwrap(), app.persona("bob", &[]).await.user_id.unwrap()];
    let mut tx = app.state.db.begin().await.unwrap();
    for i in 0..EVENTS {
        let event = OutboxEvent::notify(users[i as usize % 2], "test.kind", json!({"i": i.to_string()}));
        outbox::enqueue(&mut tx, app.state.now_ms(), &event).await.unwrap();
    }
    tx.commit().await.unwrap();

    let mut workers = vec![];
    for name in ["worker-a", "worker-b", "worker-c"] {
        let state = app.state.clone();
        workers.push(tokio::spawn(async move {
            let channels = agora_app::channels::standard();
            let mut attempted = 0;
            // Keep going until there is nothing pending at all: an empty round can simply mean the
            // other workers hold the remaining rows.
            loop {
                let n = outbox::deliver_due(&state, &channels, name).await.unwrap();
                attempted += n;
                if n == 0 {
                    if outbox::pending_count(&state.db).await.unwrap() == 0 {
                        return attempted;
                    }
                    tokio::task::yield_now().await;
                }
            }
        }));
    }
    let mut attempted = 0;
    for w in workers {
        attempted += w.await.unwrap();
    }
    assert_eq!(attempted as i64, EVENTS, "some rows were attempted twice (or not at all)");
    assert_eq!(app.count("SELECT COUNT(*) FROM notifications").await, EVENTS);
    assert_eq!(app.count("SELECT COUNT(DISTINCT outbox_id) FROM notifications").await, EVENTS);
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox WHERE status = 'delivered' AND attempts = 1").await, EVENTS);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM notifications n JOIN outbox o ON o.id = n.outbox_id WHERE n.user_id = o.recipient_user_id")
            .await,
        EVENTS,
        "a notification went to someone else"
    );
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_channel_is_retried_on_schedule_with_jitter_and_then_exhausted() {
    let app = TestApp::spawn().await;
    let user = app.persona("ann", &[]).await.user_id.unwrap();
    let id = enqueue(&app, OutboxEvent { channel: "nonexistent", ..OutboxEvent::notify(user, "test.kind", json!({})) })
        .await;
    let channels = agora_app::channels::standard();
    let attempts = RETRY_SCHEDULE_S.len() as i64;
    for attempt in 1..=attempts {
        // The clock is the wall clock plus the test's offset: bound the schedule by the instants around
        // the attempt, since a loaded CI machine may spend a while inside it.
        let before = app.state.now_ms();
        assert_eq!(outbox::deliver_due(&app.state, &channels, "w").await.unwrap(), 1, "attempt {attempt} was not made");
        let after = app.state.now_ms();
        let (status, made, next_at, error) = outbox_row(&app, id).await;
        assert_eq!(made, attempt);
        assert!(error.unwrap_or_default().contains("nonexistent"));
        if attempt == attempts {
            assert_eq!(status, "exhausted", "after the last attempt the row is exhausted");
            break;
        }
        assert_eq!(status, "pending");
        // The schedule's delay, spread by up to 20 % either way.
        let scheduled_ms = RETRY_SCHEDULE_S[attempt as usize] * 1000;
        assert!(
            next_at >= before + scheduled_ms * 8 / 10 && next_at <= after + scheduled_ms * 12 / 10,
            "attempt {attempt}: next {} ms after it began, schedule says {scheduled_ms}",
            next_at - before
        );
        let delay_ms = (next_at - app.state.now_ms()).max(0);
        if delay_ms >= 60_000 {
            // Not yet due half-way through the delay.
            app.advance(delay_ms / 2);
            assert_eq!(
                outbox::deliver_due(&app.state, &channels, "w").await.unwrap(),
                0,
                "retried early after attempt {attempt}"
            );
            app.advance(delay_ms - delay_ms / 2);
        } else {
            app.advance(delay_ms);
        }
    }
    // Exhausted rows are never picked up again; every attempt is in the log.
    app.advance(7 * 86_400_000);
    assert_eq!(outbox::deliver_due(&app.state, &channels, "w").await.unwrap(), 0);
    assert_eq!(outbox_row(&app, id).await.1, attempts);
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox WHERE status = 'exhausted'").await, 1);
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) FROM delivery_attempts WHERE outbox_id = {id}")).await,
        attempts,
        "one logged attempt per try"
    );
    let metrics = app.send(reqwest::Client::new().get(app.url("/metrics"))).await;
    assert!(metrics.text.lines().any(|l| l == "agora_outbox_exhausted 1"), "{}", metrics.text);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_row_leased_by_a_dead_worker_is_delivered_once_the_lease_runs_out() {
    let app = TestApp::spawn().await;
    let user = app.persona("ann", &[]).await.user_id.unwrap();
    let fresh = enqueue(&app, OutboxEvent::notify(user, "test.kind", json!({"which": "fresh"}))).await;
    let stale = enqueue(&app, OutboxEvent::notify(user, "test.kind", json!({"which": "stale"}))).await;
    let now = app.state.now_ms();
    // One worker claimed `fresh` a moment ago and is still within its lease; another claimed `stale`
    // and died long ago.
    for (id, until) in [(fresh, now + LEASE_MS), (stale, now - 1)] {
        sqlx::query("UPDATE outbox SET lease_owner = 'dead-worker', lease_until = $1 WHERE id = $2")
            .bind(until)
            .bind(id)
            .execute(app.state.db.read())
            .await
            .unwrap();
    }
    let channels = agora_app::channels::standard();
    assert_eq!(outbox::deliver_due(&app.state, &channels, "alive").await.unwrap(), 1);
    assert_eq!(outbox_row(&app, stale).await.0, "delivered");
    assert_eq!(outbox_row(&app, fresh).await.0, "pending", "a live lease was taken over");
    assert_eq!(outbox::deliver_due(&app.state, &channels, "alive").await.unwrap(), 0);

    app.advance(LEASE_MS + 1);
    assert_eq!(outbox::deliver_due(&app.state, &channels, "alive").await.unwrap(), 1);
    assert_eq!(outbox_row(&app, fresh).await.0, "delivered");
    assert_eq!(app.count("SELECT COUNT(*) FROM notifications").await, 2);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redelivering_a_message_after_a_crash_adds_no_second_notification() {
    let app = TestApp::spawn().await;
    let user = app.persona("ann", &[]).await.user_id.unwrap();
    let id = enqueue(&app, OutboxEvent::notify(user, "test.kind", json!({}))).await;
    app.drain_outbox().await;
    // The worker delivered, then died before marking the row delivered.
    sqlx::query("UPDATE outbox SET status = 'pending', delivered_at = NULL WHERE id = $1")
        .bind(id)
        .execute(app.state.db.read())
        .await
        .unwrap();
    app.drain_outbox().await;
    assert_eq!(outbox_row(&app, id).await.0, "delivered");
    assert_eq!(app.count("SELECT COUNT(*) FROM notifications").await, 1);
    app.finish().await;
}

/// A channel that waits for `gate` (the first message) or opens it (the second).
struct Gate {
    gate: std::sync::Arc<tokio::sync::Notify>,
    opens: bool,
}

impl outbox::Deliver for Gate {
    fn deliver<'a>(
        &'a self,
        _: &'a agora_app::platform::state::AppState,
        _: i64,
        _: &'a outbox::Prepared,
        _: &'a outbox::OutboxMessage,
    ) -> outbox::DeliveryFuture<'a> {
        Box::pin(async move {
            if self.opens {
                self.gate.notify_one();
                return outbox::Outcome::Delivered(Default::default());
            }
            // Only reached when the test fails: bounded, so a sequential worker shows up as a failure.
            match tokio::time::timeout(std::time::Duration::from_secs(5), self.gate.notified()).await {
                Ok(()) => outbox::Outcome::Delivered(Default::default()),
                Err(_) => outbox::Outcome::retry("the gate never opened: deliveries ran one after another"),
            }
        })
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_delivery_does_not_hold_up_the_messages_claimed_with_it() {
    let app = TestApp::spawn().await;
    let user = app.persona("ann", &[]).await.user_id.unwrap();
    let gate = std::sync::Arc::new(tokio::sync::Notify::new());
    let channels = agora_app::channels::standard()
        .with("waits", std::sync::Arc::new(Gate { gate: gate.clone(), opens: false }))
        .with("opens", std::sync::Arc::new(Gate { gate, opens: true }));
    // The waiting message is claimed first: a worker that delivered one message after another would
    // wait on it and never reach the message that opens the gate.
    let waits =
        enqueue(&app, OutboxEvent { channel: "waits", ..OutboxEvent::notify(user, "test.kind", json!({})) }).await;
    let opens =
        enqueue(&app, OutboxEvent { channel: "opens", ..OutboxEvent::notify(user, "test.kind", json!({})) }).await;
    assert_eq!(outbox::deliver_due(&app.state, &channels, "w").await.unwrap(), 2);
    assert_eq!(outbox_row(&app, opens).await.0, "delivered");
    assert_eq!(outbox_row(&app, waits).await.0, "delivered", "{:?}", outbox_row(&app, waits).await.3);
    app.finish().await;
}
