//! Account deletion: the owner asks (refused with every reason while an order is open), an operator
//! approves (the account is deactivated, sessions end, the owner is told), restores within 30 days,
//! or lets the purge run, which anonymizes the person while the ledger and the audit chain stay valid.

use crate::helpers::{client, fresh, sound, Persona, TestApp, PASSWORD};
use agora_app::domain::account_deletion::RESTORE_WINDOW_MS;
use agora_app::domain::order::PAY_WITHIN_MS;
use agora_app::domain::permissions::OperatorRole;
use agora_app::platform::audit_log::{verify_chain, ChainStatus};
use reqwest::StatusCode;
use serde_json::{json, Value};

const DAY: i64 = 86_400_000;

async fn ask(app: &TestApp, who: &Persona, reason: &str, password: &str) -> (StatusCode, Value) {
    app.call(who, "request_account_deletion", &[("reason", reason), ("password", password)]).await
}

async fn decide(app: &TestApp, by: &Persona, endpoint: &str, id: i64) -> (StatusCode, Value) {
    app.call(by, endpoint, &[("id", &id.to_string()), ("reason", "asked by the owner"), ("password", PASSWORD)]).await
}

async fn request_id(app: &TestApp, who: &Persona) -> i64 {
    let (status, body) = app.call(who, "my_account_deletion", &[]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["id"].as_i64().unwrap()
}

async fn user_status(app: &TestApp, who: &Persona) -> String {
    sqlx::query_scalar("SELECT status FROM users WHERE id = $1")
        .bind(who.user_id.unwrap())
        .fetch_one(app.state.db.read())
        .await
        .unwrap()
}

async fn sign_in(app: &TestApp, email: &str) -> (StatusCode, Value, Persona) {
    let who = Persona { client: client(), user_id: None, email: email.to_string() };
    let (status, body) = app.call(&who, "sign_in", &[("email", email), ("password", PASSWORD)]).await;
    (status, body, who)
}

fn conflict(status: StatusCode, body: &Value) -> String {
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    body["Conflict"]["code"].as_str().unwrap().to_string()
}

/// A seller with one live listing, and a buyer with a default address who placed one unpaid order.
async fn buyer_with_an_unpaid_order(app: &TestApp) -> (Persona, i64) {
    app.default_commission_rule(1_000).await;
    let seller = app.persona("seller", &[]).await;
    app.organisation_owned_by(&seller, "Tea House").await;
    let (_, variant) = app.live_listing(&seller, "Oolong tea", 5).await;
    let buyer = app.persona("buyer", &[]).await;
    let address = [
        ("recipient", "Li Lei"),
        ("phone", "+86 138 0013 8000"),
        ("line1", "1 Nanjing Road"),
        ("city", "Shanghai"),
        ("region", "Shanghai"),
        ("postal_code", "200000"),
        ("country", "CN"),
        ("make_default", "on"),
    ];
    let (status, body) = app.call(&buyer, "save_address", &address).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let address_id = body.as_i64().unwrap().to_string();
    let (status, body) =
        app.call(&buyer, "add_to_cart", &[("variant_id", &variant.to_string()), ("quantity", "1")]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let form = [
        ("idempotency_key", "deletion-test-1"),
        ("address_id", address_id.as_str()),
        ("payment_method", "bank_transfer"),
    ];
    let (status, body) = app.call(&buyer, "checkout", &form).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let order: i64 = sqlx::query_scalar("SELECT id FROM orders WHERE buyer_id = $1")
        .bind(buyer.user_id.unwrap())
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    (buyer, order)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_open_order_refuses_the_request_with_its_reason_and_records_nothing() {
    let app = TestApp::spawn().await;
    let (buyer, _) = buyer_with_an_unpaid_order(&app).await;

    let (status, body) = ask(&app, &buyer, "moving away", PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body, json!({"Refused": [{"OpenOrders": 1}]}));
    assert_eq!(app.count("SELECT COUNT(*) FROM account_deletions").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'account.deletion_request'").await, 0);

    // Bad input: a wrong password, a reason too long; nothing changes either.
    let (status, body) = ask(&app, &buyer, "", "not-my-password").await;
    assert_eq!((status, body["Invalid"]["field"].as_str()), (StatusCode::BAD_REQUEST, Some("password")), "{body}");
    let (status, body) = ask(&app, &buyer, &"x".repeat(501), PASSWORD).await;
    assert_eq!(body["Invalid"]["code"], "deletion.reason_too_long", "{status} {body}");
    assert_eq!(app.count("SELECT COUNT(*) FROM account_deletions").await, 0);

    // Once the order is cancelled (unpaid for 30 minutes) the request goes through, once.
    app.advance(PAY_WITHIN_MS);
    app.run_due_jobs().await;
    let (status, body) = ask(&app, &buyer, "moving away", PASSWORD).await;
    assert_eq!((status, body.clone()), (StatusCode::OK, json!("Requested")), "{body}");
    let (status, body) = ask(&app, &buyer, "again", PASSWORD).await;
    assert_eq!(conflict(status, &body), "deletion.already_requested");
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'account.deletion_request'").await, 1);

    // Withdrawn, it can be asked again.
    let (status, body) = app.call(&buyer, "withdraw_account_deletion", &[]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = app.call(&buyer, "withdraw_account_deletion", &[]).await;
    assert_eq!(conflict(status, &body), "deletion.already_decided");
    assert_eq!(ask(&app, &buyer, "", PASSWORD).await.1, json!("Requested"));
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_approved_account_is_deactivated_can_be_restored_and_is_purged_after_30_days() {
    let app = TestApp::spawn().await;
    let admin = app.persona("admin", &[OperatorRole::Admin]).await;
    let support = app.persona("support", &[OperatorRole::Support]).await;
    let (buyer, order) = buyer_with_an_unpaid_order(&app).await;
    app.advance(PAY_WITHIN_MS);
    app.run_due_jobs().await;
    assert_eq!(ask(&app, &buyer, "moving away", PASSWORD).await.1, json!("Requested"));
    let id = request_id(&app, &buyer).await;

    // The queue shows it; only `users.manage` decides; nobody decides their own.
    let (admin, support) = (fresh(&app, &admin).await, fresh(&app, &support).await);
    let (status, body) = app.call(&support, "list_account_deletions", &[]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["rows"][0]["id"], id);
    assert_eq!(decide(&app, &support, "approve_account_deletion", id).await.0, StatusCode::FORBIDDEN);
    let (status, body) = app.call(&support, "list_account_deletions", &[("status", "gone")]).await;
    assert_eq!(body["Invalid"]["field"], "status", "{status} {body}");

    // Approved: deactivated at once, signed out, told until when it can be restored.
    let (status, body) = decide(&app, &admin, "approve_account_deletion", id).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(user_status(&app, &buyer).await, "deleted");
    let user = buyer.user_id.unwrap();
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM sessions WHERE user_id = {user}")).await, 0, "signed out");
    let (status, body, _) = sign_in(&app, &buyer.email).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["SignInBlocked"]["code"], "auth.account_deleted", "{body}");
    let purge_at = body["SignInBlocked"]["until_ms"].as_i64().unwrap();
    assert!((purge_at - (app.state.now_ms() + RESTORE_WINDOW_MS)).abs() < 60_000, "restorable for 30 days");
    assert_eq!(conflict_of(decide(&app, &admin, "approve_account_deletion", id).await), "deletion.already_decided");
    app.drain_outbox().await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE event_type = 'account.deletion_approved' AND channel = 'email'")
            .await,
        1,
        "the owner is told"
    );

    // Restored within the window: active again, the purge cancelled.
    app.advance(10 * DAY);
    let admin = fresh(&app, &admin).await;
    let (status, body) = decide(&app, &admin, "restore_account_deletion", id).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(user_status(&app, &buyer).await, "active");
    let (status, body, signed_in) = sign_in(&app, &buyer.email).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let buyer = Persona { user_id: buyer.user_id, ..signed_in };
    app.advance(RESTORE_WINDOW_MS);
    app.run_due_jobs().await;
    assert_eq!(user_status(&app, &buyer).await, "active", "a restored account is never purged");
    let (admin, buyer) = (fresh(&app, &admin).await, fresh(&app, &buyer).await);

    // Asked and approved again, then left for 30 days: purged.
    assert_eq!(ask(&app, &buyer, "", PASSWORD).await.1, json!("Requested"));
    let id = request_id(&app, &buyer).await;
    assert_eq!(decide(&app, &admin, "approve_account_deletion", id).await.0, StatusCode::OK);
    app.advance(RESTORE_WINDOW_MS - 60_000);
    app.run_due_jobs().await;
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) FROM addresses WHERE user_id = {}", buyer.user_id.unwrap())).await,
        1
    );
    app.advance(60_000);
    app.run_due_jobs().await;
    let (email, name, phone, purged): (String, String, Option<String>, Option<i64>) =
        sqlx::query_as("SELECT email, display_name, phone, purged_at FROM users WHERE id = $1")
            .bind(user)
            .fetch_one(app.state.db.read())
            .await
            .unwrap();
    assert_eq!(
        (email.as_str(), name.as_str(), phone, purged.is_some()),
        (format!("deleted-{user}@deleted.invalid").as_str(), "", None, true)
    );
    for table in ["addresses", "sessions", "known_devices", "notifications"] {
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM {table} WHERE user_id = {user}")).await, 0, "{table}");
    }
    let address: String = sqlx::query_scalar("SELECT address_json FROM orders WHERE id = $1")
        .bind(order)
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    let address: Value = serde_json::from_str(&address).unwrap();
    assert_eq!(
        (address["recipient"].as_str(), address["line1"].as_str(), address["city"].as_str()),
        (Some(""), Some(""), Some("Shanghai"))
    );
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM orders WHERE buyer_id = {user}")).await, 1, "the order stays");
    sound(&app).await;
    let admin = fresh(&app, &admin).await;
    assert!(
        matches!(verify_chain(&app.state.db).await.unwrap(), ChainStatus::Intact { .. }),
        "the audit chain verifies"
    );
    assert_eq!(conflict_of(decide(&app, &admin, "restore_account_deletion", id).await), "deletion.already_purged");
    for action in ["users.deletion_approve", "users.deletion_restore", "users.deletion_purge"] {
        assert!(app.count(&format!("SELECT COUNT(*) FROM audit_log WHERE action = '{action}'")).await >= 1, "{action}");
    }
    let (status, body, _) = sign_in(&app, &buyer.email).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "the old address no longer signs in: {body}");
    app.finish().await;
}

fn conflict_of((status, body): (StatusCode, Value)) -> String {
    conflict(status, &body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rejected_request_tells_the_owner_why_and_the_restore_window_closes() {
    let app = TestApp::spawn().await;
    let admin = app.persona("admin", &[OperatorRole::Admin]).await;
    let buyer = app.persona("buyer", &[]).await;
    assert_eq!(ask(&app, &buyer, "", PASSWORD).await.1, json!("Requested"));
    let id = request_id(&app, &buyer).await;
    let (status, body) = decide(&app, &admin, "reject_account_deletion", id).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(user_status(&app, &buyer).await, "active");
    let (_, mine) = app.call(&buyer, "my_account_deletion", &[]).await;
    assert_eq!(
        (mine["status"].as_str(), mine["decision_reason"].as_str()),
        (Some("Rejected"), Some("asked by the owner"))
    );
    app.drain_outbox().await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE event_type = 'account.deletion_rejected' AND channel = 'email'")
            .await,
        1
    );

    // An operator's own request is decided by someone else.
    assert_eq!(ask(&app, &admin, "", PASSWORD).await.1, json!("Requested"));
    let own = request_id(&app, &admin).await;
    assert_eq!(conflict_of(decide(&app, &admin, "approve_account_deletion", own).await), "deletion.not_own");

    // Approved, then not restored in time: the window is over even before the timer ran.
    assert_eq!(ask(&app, &buyer, "", PASSWORD).await.1, json!("Requested"));
    let id = request_id(&app, &buyer).await;
    assert_eq!(decide(&app, &admin, "approve_account_deletion", id).await.0, StatusCode::OK);
    app.advance(RESTORE_WINDOW_MS);
    let admin = fresh(&app, &admin).await;
    assert_eq!(conflict_of(decide(&app, &admin, "restore_account_deletion", id).await), "deletion.restore_window_over");
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_super_admin_account_is_not_deleted_while_it_holds_the_role() {
    let app = TestApp::spawn().await;
    let admin = app.persona("admin", &[OperatorRole::Admin]).await;
    let chief = app.persona("chief", &[OperatorRole::SuperAdmin]).await;
    assert_eq!(ask(&app, &chief, "", PASSWORD).await.1, json!("Requested"));
    let id = request_id(&app, &chief).await;
    assert_eq!(conflict_of(decide(&app, &admin, "approve_account_deletion", id).await), "deletion.super_admin");
    assert_eq!(user_status(&app, &chief).await, "active", "nothing changed");
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'users.deletion_approve'").await, 0);
    app.finish().await;
}

/// What was true at the request is checked again at the decision: an order placed since, or a ban
/// since, refuses the approval by name and changes nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_approval_is_refused_when_an_order_or_a_ban_came_after_the_request() {
    let app = TestApp::spawn().await;
    let admin = app.persona("admin", &[OperatorRole::Admin]).await;
    let (buyer, _) = buyer_with_an_unpaid_order(&app).await;
    // Asked while nothing was open; then the order is open again (as if placed since the request).
    let set_orders = |status: &'static str| {
        let sql =
            sqlx::query("UPDATE orders SET status = $1 WHERE buyer_id = $2").bind(status).bind(buyer.user_id.unwrap());
        app.state.db.execute_write(sql)
    };
    set_orders("cancelled").await.unwrap();
    assert_eq!(ask(&app, &buyer, "", PASSWORD).await.1, json!("Requested"));
    let id = request_id(&app, &buyer).await;
    set_orders("pending_payment").await.unwrap();
    assert_eq!(conflict_of(decide(&app, &admin, "approve_account_deletion", id).await), "deletion.ties_open");
    assert_eq!(user_status(&app, &buyer).await, "active");

    // Without the order, but banned since: the ban is decided first, nothing is approved.
    set_orders("cancelled").await.unwrap();
    let form = [
        ("id", buyer.user_id.unwrap().to_string()),
        ("category", "fraud".to_string()),
        ("duration", "7d".to_string()),
        ("reason", "fake orders".to_string()),
        ("password", PASSWORD.to_string()),
    ];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, body) = app.call(&admin, "ban_user", &form).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(conflict_of(decide(&app, &admin, "approve_account_deletion", id).await), "deletion.user_not_active");
    assert_eq!(user_status(&app, &buyer).await, "banned");
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'users.deletion_approve'").await, 0);
    app.finish().await;
}
