//! The platform kit against a real database: a privileged `Change` cannot commit without an audit
//! entry (and then writes nothing), row locks are refused out of order, seller members are notified
//! once each, on the channels they keep.

use crate::helpers::TestApp;
use agora_app::domain::audit::{AuditAction, AuditTarget};
use agora_app::error::AppError;
use agora_app::platform::change::{Audit, Change, RowLock};
use reqwest::StatusCode;
use serde_json::json;

async fn display_name(app: &TestApp, id: i64) -> String {
    sqlx::query_scalar("SELECT display_name FROM users WHERE id = $1")
        .bind(id)
        .fetch_one(app.state.db.read())
        .await
        .unwrap()
}

async fn rename(c: &mut Change, id: i64, name: &str) {
    sqlx::query("UPDATE users SET display_name = $1 WHERE id = $2")
        .bind(name)
        .bind(id)
        .execute(c.conn())
        .await
        .unwrap();
}

#[tokio::test]
async fn a_privileged_change_without_audit_cannot_commit_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let user = app.persona("target", &[]).await.user_id.unwrap();
    let before = display_name(&app, user).await;
    let audits = app.count("SELECT COUNT(*) FROM audit_log").await;

    let mut c = Change::system(&app.state, "test").await.unwrap();
    rename(&mut c, user, "changed without audit").await;
    assert!(matches!(c.commit().await, Err(AppError::Internal { .. })));
    assert_eq!(display_name(&app, user).await, before, "the refused change wrote nothing");
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log").await, audits);

    let mut c = Change::system(&app.state, "test").await.unwrap();
    rename(&mut c, user, "changed with audit").await;
    c.audit(Audit::new(AuditAction::UsersBan, AuditTarget::User(user)).after(json!({"display_name": "x"})))
        .await
        .unwrap();
    c.commit().await.unwrap();
    assert_eq!(display_name(&app, user).await, "changed with audit");
    let (action, target_type, target_id, roles): (String, String, String, String) =
        sqlx::query_as("SELECT action, target_type, target_id, actor_roles FROM audit_log ORDER BY id DESC LIMIT 1")
            .fetch_one(app.state.db.read())
            .await
            .unwrap();
    assert_eq!((action.as_str(), target_type.as_str()), ("users.ban", "user"));
    assert_eq!((target_id, roles), (user.to_string(), "system:test".to_string()));
    app.finish().await;
}

#[tokio::test]
async fn an_unaudited_change_commits_without_audit_and_may_not_audit() {
    let app = TestApp::spawn().await;
    let user = app.persona("buyer", &[]).await.user_id.unwrap();
    let mut c = Change::unaudited(&app.state, "test: buyer bookkeeping").await.unwrap();
    rename(&mut c, user, "renamed").await;
    c.commit().await.unwrap();
    assert_eq!(display_name(&app, user).await, "renamed");

    let mut c = Change::unaudited(&app.state, "test").await.unwrap();
    let refused = c.audit(Audit::new(AuditAction::UsersBan, AuditTarget::User(user))).await;
    assert!(matches!(refused, Err(AppError::Internal { .. })));
    drop(c);
    app.finish().await;
}

#[tokio::test]
async fn row_locks_are_taken_in_one_order() {
    let app = TestApp::spawn().await;
    let owner = app.persona("owner", &[]).await;
    let org = app.organisation_owned_by(&owner, "Lock Order Shop").await;
    let mut c = Change::system(&app.state, "test").await.unwrap();
    assert!(c.lock(RowLock::Organisation(org)).await.unwrap());
    assert!(c.lock(RowLock::SellerFinance(org)).await.unwrap(), "the finance row is created on first lock");
    assert!(c.lock(RowLock::SellerFinance(org)).await.unwrap(), "the last lock again is harmless");
    assert!(matches!(c.lock(RowLock::User(owner.user_id.unwrap())).await, Err(AppError::Internal { .. })));
    drop(c);

    let mut c = Change::system(&app.state, "test").await.unwrap();
    // Given in any order, taken in lock order; a missing row is reported, not an error.
    let all = c.lock_all([RowLock::Payout(999_999), RowLock::User(owner.user_id.unwrap()), RowLock::Organisation(org)]);
    assert!(!all.await.unwrap());
    drop(c);

    assert!(RowLock::User(9) < RowLock::Organisation(1));
    assert!(RowLock::Payment(9) < RowLock::Order(1), "a payment before its orders");
    assert!(RowLock::Order(9) < RowLock::SellerFinance(1), "settlement: the order, then the finance row");
    assert!(RowLock::SellerFinance(9) < RowLock::Payout(1), "the finance row before its payouts");
    assert!(RowLock::Order(1) < RowLock::Order(2), "rows of one table in id order");
    app.finish().await;
}

#[tokio::test]
async fn every_seller_member_hears_once_on_the_channels_they_keep() {
    let app = TestApp::spawn().await;
    let owner = app.persona("owner", &[]).await;
    let org = app.organisation_owned_by(&owner, "Members Shop").await;
    let staff = app.seller_staff(org, "staff").await;
    let outsider = app.persona("outsider", &[]).await;
    app.organisation_owned_by(&outsider, "Other Shop").await;
    // The staff member reads payouts in the app only.
    let (status, body) =
        app.call(&staff, "save_notification_preferences", &[("on[]", "payments_payouts:in_app")]).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let mut c = Change::system(&app.state, "test").await.unwrap();
    c.notify_seller_members(org, "payouts.approved", json!({"id": 1, "amount": "1.00"})).await.unwrap();
    c.audit(Audit::new(AuditAction::PayoutsApprove, AuditTarget::Payout(1))).await.unwrap();
    c.commit().await.unwrap();
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT recipient_user_id, channel FROM outbox WHERE event_type = 'payouts.approved' ORDER BY id",
    )
    .fetch_all(app.state.db.read())
    .await
    .unwrap();
    let (owner_id, staff_id) = (owner.user_id.unwrap(), staff.user_id.unwrap());
    let expected =
        vec![(owner_id, "in_app".to_string()), (owner_id, "email".to_string()), (staff_id, "in_app".to_string())];
    assert_eq!(
        rows, expected,
        "the owner (also a member row) once per channel, the staff in the app only, no outsider"
    );
    app.finish().await;
}

async fn suppress(conn: &mut sqlx::AnyConnection, address: &str) {
    sqlx::query("INSERT INTO email_suppressions (address, reason, created_at) VALUES ($1, 'test', 0)")
        .bind(address)
        .execute(conn)
        .await
        .unwrap();
}

/// A write transaction that ends without `commit` (an error returned early, or its request cancelled
/// while it held the transaction) leaves nothing behind, and the writer (on SQLite, the one write
/// connection) goes to the next write, which goes through.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_dropped_or_cancelled_before_commit_leaves_nothing_and_the_next_write_goes_through() {
    let app = TestApp::spawn().await;
    let mut tx = app.state.db.begin().await.unwrap();
    suppress(&mut tx, "dropped@example.test").await;
    drop(tx);

    // Cancelled while it holds the writer: its task is aborted between two statements or in one.
    let db = app.state.db.clone();
    let (began, wait) = tokio::sync::oneshot::channel();
    let cancelled = tokio::spawn(async move {
        let mut tx = db.begin().await.unwrap();
        suppress(&mut tx, "cancelled@example.test").await;
        began.send(()).unwrap();
        loop {
            sqlx::query("SELECT COUNT(*) FROM email_suppressions").execute(&mut *tx).await.unwrap();
        }
    });
    wait.await.unwrap();
    cancelled.abort();
    assert!(cancelled.await.unwrap_err().is_cancelled());

    let mut tx = app.state.db.begin().await.unwrap();
    suppress(&mut tx, "kept@example.test").await;
    tx.commit().await.unwrap();
    let rows: Vec<String> =
        sqlx::query_scalar("SELECT address FROM email_suppressions").fetch_all(app.state.db.read()).await.unwrap();
    assert_eq!(rows, vec!["kept@example.test".to_string()]);
    app.finish().await;
}

/// A transaction the database ended by itself (SQLite does so on a full disk or an I/O error) is
/// dropped by a request that then fails; sqlx's own rollback of it fails too. The connection must not
/// go back to the pool still counting a transaction: on SQLite's one writer that would fail every later
/// write ("begin_with at non-zero transaction depth", seen in CI after a disk filled up).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_transaction_the_database_ended_itself_does_not_poison_the_writer() {
    let app = TestApp::spawn().await;
    for _ in 0..2 {
        let mut tx = app.state.db.begin().await.unwrap();
        suppress(&mut tx, "lost@example.test").await;
        // What SQLite does on its own after SQLITE_FULL; sqlx still counts the transaction open.
        sqlx::query("ROLLBACK").execute(&mut *tx).await.unwrap();
        drop(tx);
    }

    let mut tx = app.state.db.begin().await.expect("the next write gets a usable connection");
    suppress(&mut tx, "kept@example.test").await;
    tx.commit().await.unwrap();
    let rows: Vec<String> =
        sqlx::query_scalar("SELECT address FROM email_suppressions").fetch_all(app.state.db.read()).await.unwrap();
    assert_eq!(rows, vec!["kept@example.test".to_string()]);
    app.finish().await;
}
