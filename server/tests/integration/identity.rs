//! Identity and access (issue 14): the account lock and its unlock link, bans with a category and a
//! duration that end by the clock and are explained at sign-in, refused attempts on the audit record,
//! and the mail a sign-in from a new browser sends.

use crate::helpers::{client, field_error, Persona, Reply, TestApp, PASSWORD};
use agora_app::domain::permissions::OperatorRole;
use agora_app::domain::throttle::{LOCK_AFTER_FAILURES, LOCK_MS};
use reqwest::StatusCode;
use serde_json::Value;

const WRONG: &str = "definitely not it";
const DAY: i64 = 86_400_000;

/// The payloads of every email of `event` so far, oldest first, with their recipients.
async fn mails(app: &TestApp, event: &str) -> Vec<(Option<i64>, Value)> {
    let rows: Vec<(Option<i64>, String)> = sqlx::query_as(
        "SELECT recipient_user_id, payload_json FROM outbox WHERE channel = 'email' AND event_type = $1 ORDER BY id",
    )
    .bind(event)
    .fetch_all(app.state.db.read())
    .await
    .unwrap();
    rows.into_iter().map(|(to, p)| (to, serde_json::from_str(&p).unwrap())).collect()
}

/// `(actor_id, target_id, reason, result)` of every audit entry of `action`, oldest first.
async fn audit(app: &TestApp, action: &str) -> Vec<(Option<i64>, String, String, String)> {
    sqlx::query_as("SELECT actor_id, target_id, reason, result FROM audit_log WHERE action = $1 ORDER BY id")
        .bind(action)
        .fetch_all(app.state.db.read())
        .await
        .unwrap()
}

fn blocked(r: &Reply) -> (&str, Option<i64>, Option<&str>) {
    assert_eq!(r.status, StatusCode::FORBIDDEN, "expected a blocked sign-in: {}", r.text);
    let b = &r.body["SignInBlocked"];
    (b["code"].as_str().unwrap(), b["until_ms"].as_i64(), b["cause"].as_str())
}

fn is_bad_credentials(r: &Reply) -> bool {
    r.status == StatusCode::BAD_REQUEST
        && field_error(&r.body) == Some(("password".into(), "auth.bad_credentials".into()))
}

/// Fails `n` sign-ins to `email`, waiting out each slowdown as a patient guesser would.
async fn fail_sign_ins(app: &TestApp, email: &str, n: i64) {
    let mut failed = 0;
    while failed < n {
        let r = app.sign_in_as(None, email, WRONG).await;
        if r.status == StatusCode::TOO_MANY_REQUESTS {
            app.advance(r.body["RateLimited"]["retry_after_s"].as_i64().unwrap() * 1000);
            continue;
        }
        assert!(is_bad_credentials(&r), "failure {failed}: {}", r.text);
        failed += 1;
    }
}

/// A sign-in, past the IP's slowdown (the tests' guesser and owner share 127.0.0.1): the answer once
/// the wait, if any, is over.
async fn attempt(app: &TestApp, email: &str, password: &str) -> Reply {
    loop {
        let r = app.sign_in_as(None, email, password).await;
        if r.status != StatusCode::TOO_MANY_REQUESTS {
            return r;
        }
        app.advance(r.body["RateLimited"]["retry_after_s"].as_i64().unwrap() * 1000);
    }
}

/// The token of the newest unlock link mailed.
async fn unlock_token(app: &TestApp) -> String {
    let sent = mails(app, "account.locked").await;
    let link = sent.last().expect("an unlock mail").1["secret_link"].as_str().unwrap().to_string();
    let prefix = format!("{}/unlock?token=", app.base);
    assert!(link.starts_with(&prefix), "{link}");
    link[prefix.len()..].to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_failures_in_fifteen_minutes_lock_the_account_and_its_owner_unlocks_it_once_with_the_mailed_link() {
    let app = TestApp::spawn().await;
    let (user_id, _) = app.sign_up_token("ann@example.com", "Ann", PASSWORD).await;
    fail_sign_ins(&app, "ann@example.com", LOCK_AFTER_FAILURES - 1).await;
    assert!(mails(&app, "account.locked").await.is_empty(), "nine failures lock nothing");
    fail_sign_ins(&app, "ann@example.com", 1).await;

    // Even the right password is refused now, with the time the lock ends.
    let locked_at = app.state.now_ms();
    let r = attempt(&app, "ann@example.com", PASSWORD).await;
    let (code, until, _) = blocked(&r);
    assert_eq!(code, "auth.locked");
    let until = until.unwrap();
    assert!(until > locked_at && until <= locked_at + LOCK_MS, "{until}");
    assert_eq!(r.cookie(app.session_cookie()), None);

    // The owner got one mail; the lock and the refused sign-in are on record, without the password.
    let sent = mails(&app, "account.locked").await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].0, Some(user_id));
    assert!(sent[0].1["until"].as_str().unwrap().ends_with("UTC"));
    let locks = audit(&app, "account.lock").await;
    assert_eq!(locks.len(), 1);
    assert_eq!((locks[0].0, locks[0].1.as_str()), (None, user_id.to_string().as_str()));
    let refused = audit(&app, "auth.sign_in_refused").await;
    assert_eq!(refused.len(), 1);
    assert_eq!(refused[0].1, user_id.to_string());
    assert_eq!((refused[0].2.as_str(), refused[0].3.as_str()), ("account locked", "refused"));
    assert!(!refused[0].2.contains(PASSWORD));

    // A forged link changes nothing; the real one unlocks, once.
    let forged = "f".repeat(agora_app::domain::account_token::TOKEN_CHARS);
    let r = app.post_as(None, "unlock_account", &[("token", &forged)]).await;
    assert_eq!(field_error(&r.body).map(|(f, _)| f), Some("token".into()), "{}", r.text);
    assert_eq!(blocked(&attempt(&app, "ann@example.com", PASSWORD).await).0, "auth.locked");
    let token = unlock_token(&app).await;
    let r = app.post_as(None, "unlock_account", &[("token", &token)]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let again = app.post_as(None, "unlock_account", &[("token", &token)]).await;
    assert_eq!(field_error(&again.body), Some(("token".into(), "account_token.used".into())), "{}", again.text);
    let r = attempt(&app, "ann@example.com", PASSWORD).await;
    assert_eq!(r.status, StatusCode::OK, "unlocked, the owner is let in (past the IP's own wait): {}", r.text);
    assert_eq!(audit(&app, "account.unlock").await[0].0, Some(user_id));
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lock_ends_by_itself_and_locking_again_takes_ten_fresh_failures() {
    let app = TestApp::spawn().await;
    app.sign_up_token("bea@example.com", "Bea", PASSWORD).await;
    fail_sign_ins(&app, "bea@example.com", LOCK_AFTER_FAILURES).await;
    assert_eq!(blocked(&attempt(&app, "bea@example.com", WRONG).await).0, "auth.locked");
    app.advance(LOCK_MS);
    // One more failure after the lock does not lock again (the count started afresh at the lock).
    fail_sign_ins(&app, "bea@example.com", 1).await;
    assert_eq!(mails(&app, "account.locked").await.len(), 1);
    let r = attempt(&app, "bea@example.com", PASSWORD).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_address_without_an_account_locks_like_any_other_and_mails_nobody() {
    let app = TestApp::spawn().await;
    fail_sign_ins(&app, "nobody@example.com", LOCK_AFTER_FAILURES).await;
    assert_eq!(blocked(&attempt(&app, "nobody@example.com", WRONG).await).0, "auth.locked");
    assert!(mails(&app, "account.locked").await.is_empty());
    assert!(audit(&app, "auth.sign_in_refused").await.is_empty(), "no user to record it against");
    app.finish().await;
}

async fn ban(app: &TestApp, by: &Persona, target: i64, category: &str, duration: &str) -> (StatusCode, Value) {
    let id = target.to_string();
    let form = [
        ("id", id.as_str()),
        ("category", category),
        ("duration", duration),
        ("reason", "fake orders from three accounts"),
        ("password", PASSWORD),
    ];
    app.call(by, "ban_user", &form).await
}

async fn status_of(app: &TestApp, user_id: i64) -> String {
    sqlx::query_scalar("SELECT status FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_one(app.state.db.read())
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_timed_ban_is_explained_at_sign_in_and_lifts_itself_when_its_time_comes() {
    let app = TestApp::spawn().await;
    let admin = app.persona("admin", &[OperatorRole::Admin]).await;
    let (user_id, _) = app.sign_up_token("cid@example.com", "Cid", PASSWORD).await;
    let banned_at = app.state.now_ms();
    let (status, body) = ban(&app, &admin, user_id, "fraud", "7d").await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // The right password learns why and until when; a wrong one hears only "wrong".
    let refused = app.sign_in_as(None, "cid@example.com", PASSWORD).await;
    let (code, until, cause) = blocked(&refused);
    assert_eq!((code, cause), ("auth.banned_until", Some("ban.category.fraud")));
    let until = until.unwrap();
    assert!((banned_at + 7 * DAY..=app.state.now_ms() + 7 * DAY).contains(&until), "{until}");
    assert!(is_bad_credentials(&app.sign_in_as(None, "cid@example.com", WRONG).await));
    let told = mails(&app, "users.banned").await;
    assert_eq!(told.len(), 1);
    assert_eq!(told[0].1["category"], "Fraud or fake orders");
    assert_eq!(told[0].1["category_zh"], "欺诈或虚假订单");
    let (_, detail) = app.call(&admin, "get_user", &[("id", &user_id.to_string())]).await;
    assert_eq!((detail["ban_category"].as_str(), detail["ban_ends_at_ms"].as_i64()), (Some("Fraud"), Some(until)));

    // A day early nothing happens; at the end the timer lifts the ban, as the system, and says so.
    app.advance(6 * DAY);
    app.run_due_jobs().await;
    assert_eq!(status_of(&app, user_id).await, "banned");
    app.advance(DAY);
    app.run_due_jobs().await;
    assert_eq!(status_of(&app, user_id).await, "active");
    let expired = audit(&app, "users.ban_expire").await;
    assert_eq!(expired.len(), 1);
    assert_eq!((expired[0].0, expired[0].1.as_str()), (None, user_id.to_string().as_str()));
    assert_eq!(mails(&app, "users.unbanned").await.len(), 1);
    assert_eq!(app.sign_in_as(None, "cid@example.com", PASSWORD).await.status, StatusCode::OK);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stale_expiry_timer_leaves_a_later_permanent_ban_alone() {
    let app = TestApp::spawn().await;
    let admin = app.persona("admin", &[OperatorRole::Admin]).await;
    let target = app.persona("dan", &[]).await;
    let id = target.user_id.unwrap();
    assert_eq!(ban(&app, &admin, id, "terms_violation", "7d").await.0, StatusCode::OK);
    let form = [("id", id.to_string()), ("reason", "appeal accepted".into()), ("password", PASSWORD.into())];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(app.call(&admin, "unban_user", &form).await.0, StatusCode::OK);
    assert_eq!(ban(&app, &admin, id, "illegal_content", "permanent").await.0, StatusCode::OK);
    app.advance(8 * DAY);
    app.run_due_jobs().await;
    assert_eq!(status_of(&app, id).await, "banned");
    assert!(audit(&app, "users.ban_expire").await.is_empty());
    let refused = app.sign_in_as(None, &target.email, PASSWORD).await;
    let (code, until, cause) = blocked(&refused);
    assert_eq!((code, until, cause), ("auth.banned_permanently", None, Some("ban.category.illegal_content")));
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ban_without_a_known_category_or_duration_changes_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.persona("admin", &[OperatorRole::Admin]).await;
    let target = app.persona("eve", &[]).await;
    let id = target.user_id.unwrap();
    for (category, duration, field) in
        [("spam", "7d", "category"), ("", "30d", "category"), ("fraud", "90d", "duration"), ("fraud", "", "duration")]
    {
        let (status, body) = ban(&app, &admin, id, category, duration).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(body["Invalid"]["field"], field, "{body}");
    }
    assert_eq!(status_of(&app, id).await, "active");
    assert!(audit(&app, "users.ban").await.is_empty());
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_permission_checks_and_wrong_protected_passwords_are_on_record_and_listed() {
    let app = TestApp::spawn().await;
    let admin = app.persona("admin", &[OperatorRole::Admin]).await;
    let support = app.persona("support", &[OperatorRole::Support]).await;
    let target = app.persona("fay", &[]).await;
    let id = target.user_id.unwrap().to_string();

    let (status, _) = app
        .call(
            &support,
            "ban_user",
            &[
                ("id", &id),
                ("category", "fraud"),
                ("duration", "7d"),
                ("reason", "trying my luck"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app
        .call(
            &admin,
            "ban_user",
            &[
                ("id", &id),
                ("category", "fraud"),
                ("duration", "7d"),
                ("reason", "fake orders"),
                ("password", "my old password"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    let access = audit(&app, "access.refused").await;
    assert_eq!(access.len(), 1);
    assert_eq!(access[0].0, support.user_id);
    assert_eq!(access[0].1, support.user_id.unwrap().to_string(), "about the caller refused");
    assert_eq!((access[0].2.as_str(), access[0].3.as_str()), ("needs users.ban (/api/ban_user)", "refused"));
    let protected = audit(&app, "protected.refused").await;
    assert_eq!(protected.len(), 1);
    assert_eq!((protected[0].0, protected[0].2.as_str()), (admin.user_id, "wrong password (/api/ban_user)"));
    assert!(!protected[0].2.contains("my old password"));
    assert_eq!(status_of(&app, target.user_id.unwrap()).await, "active");

    let (status, rows) = app.call(&admin, "recent_refusals", &[]).await;
    assert_eq!(status, StatusCode::OK, "{rows}");
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["action"], "protected.refused", "newest first");
    assert_eq!(rows[0]["email"], admin.email);
    assert_eq!(rows[1]["action"], "access.refused");
    assert_eq!(rows[1]["user_id"].as_i64(), support.user_id);
    // Reading refusals is itself guarded, and a refusal like any other.
    assert_eq!(app.call(&support, "recent_refusals", &[]).await.0, StatusCode::FORBIDDEN);
    assert_eq!(audit(&app, "access.refused").await.len(), 2);
    app.finish().await;
}

async fn sign_in(app: &TestApp, who: &Persona) -> (StatusCode, Value) {
    app.call(who, "sign_in", &[("email", who.email.as_str()), ("password", PASSWORD)]).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sign_in_from_a_new_browser_mails_the_owner_and_a_known_browser_does_not() {
    let app = TestApp::spawn().await;
    let laptop = app.sign_up("gus@example.com", "Gus", PASSWORD).await;
    // The browser the account was made in is its first device: signing in there again is no news.
    assert_eq!(sign_in(&app, &laptop).await.0, StatusCode::OK);
    assert!(mails(&app, "account.new_device").await.is_empty());

    let phone = Persona { client: client(), user_id: None, email: "gus@example.com".into() };
    assert_eq!(sign_in(&app, &phone).await.0, StatusCode::OK);
    let sent = mails(&app, "account.new_device").await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].0, laptop.user_id);
    assert_eq!(sent[0].1["ip"], "127.0.0.1");
    assert!(sent[0].1["at"].as_str().unwrap().ends_with("UTC"));
    // Once seen, the phone is known too.
    assert_eq!(sign_in(&app, &phone).await.0, StatusCode::OK);
    assert_eq!(sign_in(&app, &laptop).await.0, StatusCode::OK);
    assert_eq!(mails(&app, "account.new_device").await.len(), 1);
    app.finish().await;
}
