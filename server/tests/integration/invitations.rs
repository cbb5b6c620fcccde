//! Accounts an operator creates and passwords an operator resets (issue 14): no password is ever set
//! or shown by the console; the user chooses one with the mailed link, which also proves the address.

use crate::helpers::{field_error, TestApp, PASSWORD};
use agora_app::domain::permissions::OperatorRole;
use reqwest::StatusCode;
use serde_json::Value;

const HOUR: i64 = 3_600_000;
const NEW_PASSWORD: &str = "a brand new passphrase";

/// The token of the newest mail of `event` to `user_id` (its `secret_link` goes to the reset page).
async fn mailed_token(app: &TestApp, event: &str, user_id: i64) -> String {
    let payload: String = sqlx::query_scalar(
        "SELECT payload_json FROM outbox WHERE channel = 'email' AND event_type = $1 AND recipient_user_id = $2 \
         ORDER BY id DESC LIMIT 1",
    )
    .bind(event)
    .bind(user_id)
    .fetch_one(app.state.db.read())
    .await
    .unwrap_or_else(|e| panic!("no {event} mail to user {user_id}: {e}"));
    let payload: Value = serde_json::from_str(&payload).unwrap();
    let link = payload["secret_link"].as_str().unwrap();
    let prefix = format!("{}/reset-password?token=", app.base);
    assert!(link.starts_with(&prefix), "{link}");
    link[prefix.len()..].to_string()
}

async fn audited(app: &TestApp, action: &str, target: i64) -> Vec<(Option<i64>, String)> {
    sqlx::query_as("SELECT actor_id, reason FROM audit_log WHERE action = $1 AND target_id = $2 ORDER BY id")
        .bind(action)
        .bind(target.to_string())
        .fetch_all(app.state.db.read())
        .await
        .unwrap()
}

async fn set_password(app: &TestApp, token: &str, password: &str) -> (StatusCode, Value) {
    let r = app.post_as(None, "reset_password", &[("token", token), ("new_password", password)]).await;
    (r.status, r.body)
}

fn reset_form(id: &str) -> [(&str, &str); 3] {
    [("id", id), ("reason", "owner called support"), ("password", PASSWORD)]
}

fn create_form<'a>(email: &'a str, name: &'a str, lang: &'a str, password: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("email", email),
        ("display_name", name),
        ("lang", lang),
        ("reason", "a wholesale buyer asked by phone"),
        ("password", password),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_operator_creates_a_user_who_chooses_their_password_with_the_mailed_link() {
    let app = TestApp::spawn().await;
    let admin = app.persona("admin", &[OperatorRole::Admin]).await;
    let users_before = app.count("SELECT COUNT(*) FROM users").await;

    // Bad input is refused next to its field and creates nothing.
    for (form, field, code) in [
        (create_form("not an address", "Mei", "zh", PASSWORD), "email", "email.malformed"),
        (create_form("mei@agora.test", "", "zh", PASSWORD), "display_name", "name.empty"),
        (create_form("mei@agora.test", "Mei", "fr", PASSWORD), "lang", "users.create.lang_required"),
        (create_form("mei@agora.test", "Mei", "zh", "not my password"), "password", "password.wrong"),
    ] {
        let (status, body) = app.call(&admin, "create_user", &form).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(field_error(&body), Some((field.to_string(), code.to_string())), "{body}");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, users_before);

    let (status, body) = app.call(&admin, "create_user", &create_form("Mei@Agora.test", "Mei", "zh", PASSWORD)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let id = body.as_i64().expect("the new user's id");
    let (status, detail) = app.call(&admin, "get_user", &[("id", &id.to_string())]).await;
    assert_eq!(status, StatusCode::OK, "{detail}");
    assert_eq!(detail["email"], "mei@agora.test");
    assert_eq!(detail["password_set"], false);
    assert_eq!(
        audited(&app, "users.create", id).await,
        vec![(admin.user_id, "a wholesale buyer asked by phone".into())]
    );

    // Taken addresses are refused, whatever their case.
    let (status, body) = app.call(&admin, "create_user", &create_form("MEI@agora.test", "Mei 2", "en", PASSWORD)).await;
    assert_eq!(field_error(&body), Some(("email".into(), "email.taken".into())), "{status} {body}");

    // No password opens the account until its owner sets one.
    let r = app.sign_in_as(None, "mei@agora.test", PASSWORD).await;
    assert_eq!(field_error(&r.body), Some(("password".into(), "auth.bad_credentials".into())), "{}", r.text);

    let token = mailed_token(&app, "account.invitation", id).await;
    assert_eq!(app.post_as(None, "check_reset_link", &[("token", &token)]).await.status, StatusCode::OK);
    assert_eq!(set_password(&app, &token, NEW_PASSWORD).await.0, StatusCode::OK);
    assert_eq!(app.sign_in_as(None, "mei@agora.test", NEW_PASSWORD).await.status, StatusCode::OK);
    let verified =
        app.count(&format!("SELECT COUNT(*) FROM users WHERE id = {id} AND email_verified_at IS NOT NULL")).await;
    assert_eq!(verified, 1, "the link came to the address, so the address is proven");
    let (_, detail) = app.call(&admin, "get_user", &[("id", &id.to_string())]).await;
    assert_eq!(detail["password_set"], true);
    assert_eq!(audited(&app, "account.reset_password", id).await, vec![(Some(id), "link from an operator".into())]);

    // The link works once.
    let (status, body) = set_password(&app, &token, "yet another passphrase").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(field_error(&body).map(|f| f.0), Some("token".into()));
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_operator_reset_ends_the_old_password_and_every_session_until_the_user_sets_a_new_one() {
    let app = TestApp::spawn().await;
    let admin = app.persona("admin", &[OperatorRole::Admin]).await;
    let boss = app.persona("boss", &[OperatorRole::SuperAdmin]).await;
    let buyer = app.persona("buyer", &[]).await;
    let id = buyer.user_id.unwrap();
    // Not one's own account, and a super admin's only by a super admin.
    let own = admin.user_id.unwrap().to_string();
    assert_eq!(app.call(&admin, "reset_user_password", &reset_form(&own)).await.0, StatusCode::CONFLICT);
    let bosses = boss.user_id.unwrap().to_string();
    assert_eq!(app.call(&admin, "reset_user_password", &reset_form(&bosses)).await.0, StatusCode::FORBIDDEN);
    assert!(audited(&app, "users.reset_password", boss.user_id.unwrap()).await.is_empty());

    let buyers = id.to_string();
    let (status, body) = app.call(&admin, "reset_user_password", &reset_form(&buyers)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(audited(&app, "users.reset_password", id).await, vec![(admin.user_id, "owner called support".into())]);
    // Signed out everywhere, and the old password is dead.
    assert_eq!(app.call(&buyer, "whoami", &[]).await.1.get("user_id").and_then(Value::as_i64), None);
    let r = app.sign_in_as(None, &buyer.email, PASSWORD).await;
    assert_eq!(field_error(&r.body), Some(("password".into(), "auth.bad_credentials".into())), "{}", r.text);

    // The link lasts 72 hours: a second reset replaces the first link, which then opens nothing.
    let first = mailed_token(&app, "account.password_reset_by_operator", id).await;
    assert_eq!(app.call(&admin, "reset_user_password", &reset_form(&buyers)).await.0, StatusCode::OK);
    let second = mailed_token(&app, "account.password_reset_by_operator", id).await;
    assert_eq!(set_password(&app, &first, NEW_PASSWORD).await.0, StatusCode::BAD_REQUEST);
    app.advance(73 * HOUR);
    let (status, body) = set_password(&app, &second, NEW_PASSWORD).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "an expired link: {body}");

    // A fresh one, used in time, lets the owner back in.
    let admin = crate::helpers::fresh(&app, &admin).await;
    assert_eq!(app.call(&admin, "reset_user_password", &reset_form(&buyers)).await.0, StatusCode::OK);
    let third = mailed_token(&app, "account.password_reset_by_operator", id).await;
    app.advance(71 * HOUR);
    assert_eq!(set_password(&app, &third, NEW_PASSWORD).await.0, StatusCode::OK);
    assert_eq!(app.sign_in_as(None, &buyer.email, NEW_PASSWORD).await.status, StatusCode::OK);
    app.finish().await;
}
