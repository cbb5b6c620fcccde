//! In-app notifications: each user sees, counts and marks only their own.

use crate::helpers::{Persona, TestApp, PASSWORD};
use agora_app::platform::outbox::{self, OutboxEvent};
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn notify(app: &TestApp, user_id: i64, n: usize) {
    let mut tx = app.state.db.begin().await.unwrap();
    for i in 0..n {
        let event = OutboxEvent::notify(user_id, "test.kind", json!({"i": i.to_string()}));
        outbox::enqueue(&mut tx, app.state.now_ms(), &event).await.unwrap();
    }
    tx.commit().await.unwrap();
    app.drain_outbox().await;
}

async fn ids(app: &TestApp, who: &Persona) -> Vec<i64> {
    let (status, page) = app.call(who, "list_notifications", &[]).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page["rows"].as_array().unwrap().iter().map(|n| n["id"].as_i64().unwrap()).collect()
}

async fn unread(app: &TestApp, who: &Persona) -> i64 {
    let (status, n) = app.call(who, "unread_notifications", &[]).await;
    assert_eq!(status, StatusCode::OK, "{n}");
    n.as_i64().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_user_lists_and_counts_only_their_own_notifications() {
    let app = TestApp::spawn().await;
    let ann = app.persona("ann", &[]).await;
    let bob = app.persona("bob", &[]).await;
    notify(&app, ann.user_id.unwrap(), 2).await;
    notify(&app, bob.user_id.unwrap(), 3).await;

    let (status, page) = app.call(&ann, "list_notifications", &[]).await;
    assert_eq!(status, StatusCode::OK);
    let rows = page["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|n| n["kind"] == "test.kind" && n["read"] == Value::Bool(false)));
    // Newest first, with the payload as template parameters.
    assert!(rows[0]["id"].as_i64() > rows[1]["id"].as_i64());
    assert_eq!(rows[0]["params"], json!([["i", "1"]]));
    assert_eq!(unread(&app, &ann).await, 2);
    assert_eq!(ids(&app, &bob).await.len(), 3);
    assert_eq!(unread(&app, &bob).await, 3);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_cannot_mark_someone_elses_notification_read() {
    let app = TestApp::spawn().await;
    let ann = app.persona("ann", &[]).await;
    let bob = app.persona("bob", &[]).await;
    notify(&app, ann.user_id.unwrap(), 1).await;
    notify(&app, bob.user_id.unwrap(), 2).await;
    let bobs = ids(&app, &bob).await;

    // Ann names Bob's notification: accepted as a no-op, Bob's stays unread.
    let id = bobs[0].to_string();
    let (status, body) = app.call(&ann, "mark_notifications_read", &[("id", id.as_str())]).await;
    assert!(status == StatusCode::OK || status == StatusCode::NOT_FOUND, "{status} {body}");
    assert_eq!(unread(&app, &bob).await, 2);
    assert_eq!(unread(&app, &ann).await, 1);

    // "Mark all read" is all of Ann's, none of Bob's.
    let (status, _) = app.call(&ann, "mark_notifications_read", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(unread(&app, &ann).await, 0);
    assert_eq!(unread(&app, &bob).await, 2);

    // Bob marks one of his own: exactly that one.
    let id = bobs[1].to_string();
    let (status, _) = app.call(&bob, "mark_notifications_read", &[("id", id.as_str())]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(unread(&app, &bob).await, 1);
    let (_, page) = app.call(&bob, "list_notifications", &[]).await;
    let read: Vec<(i64, bool)> = page["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["id"].as_i64().unwrap(), n["read"].as_bool().unwrap()))
        .collect();
    assert_eq!(read, vec![(bobs[0], false), (bobs[1], true)]);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notifications_page_by_cursor_without_repeats_or_gaps() {
    let app = TestApp::spawn().await;
    let ann = app.persona("ann", &[]).await;
    let bob = app.persona("bob", &[]).await;
    notify(&app, ann.user_id.unwrap(), 60).await;
    notify(&app, bob.user_id.unwrap(), 5).await;
    let mut seen = vec![];
    let mut cursor: Option<String> = None;
    loop {
        let form: Vec<(&str, &str)> = cursor.as_deref().map(|c| vec![("cursor", c)]).unwrap_or_default();
        let (status, page) = app.call(&ann, "list_notifications", &form).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        let rows = page["rows"].as_array().unwrap();
        assert!(rows.len() <= 100);
        seen.extend(rows.iter().map(|n| n["id"].as_i64().unwrap()));
        match page["next"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => break,
        }
    }
    assert_eq!(seen.len(), 60);
    let mut sorted = seen.clone();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    sorted.dedup();
    assert_eq!(seen, sorted, "pages repeat or are out of order");
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changing_the_password_notifies_the_owner_in_app() {
    let app = TestApp::spawn().await;
    let user = app.persona("owner", &[]).await;
    let (status, body) = app
        .call(&user, "change_password", &[("current_password", PASSWORD), ("new_password", "a brand new passphrase")])
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    app.drain_outbox().await;
    let (_, page) = app.call(&user, "list_notifications", &[]).await;
    assert_eq!(page["rows"][0]["kind"], "account.password_changed", "{page}");
    app.finish().await;
}
