//! The account mails through the real endpoints: verifying the address at sign-up (and the gates of
//! selling and payouts), the forgotten password, changing the address, signing in with a code. The
//! tests read the outbox rows these flows enqueue (channel, event, recipient, the link or code in the
//! payload) as the mailbox would; delivering them over SMTP is the email channel's own test (mail.rs).

use crate::helpers::{field_error, Persona, Reply, TestApp, PASSWORD};
use reqwest::StatusCode;
use serde_json::Value;

const MINUTE: i64 = 60_000;
const NEW_PASSWORD: &str = "a brand new passphrase";

/// One enqueued mail, as the outbox holds it.
#[derive(Debug)]
struct Mail {
    recipient_user_id: Option<i64>,
    recipient_address: Option<String>,
    payload: Value,
}

/// Every email row of `event` so far, oldest first.
async fn mails(app: &TestApp, event: &str) -> Vec<Mail> {
    let rows: Vec<(Option<i64>, Option<String>, String)> = sqlx::query_as(
        "SELECT recipient_user_id, recipient_address, payload_json FROM outbox \
         WHERE channel = 'email' AND event_type = $1 ORDER BY id",
    )
    .bind(event)
    .fetch_all(app.state.db.read())
    .await
    .unwrap();
    rows.into_iter()
        .map(|(recipient_user_id, recipient_address, payload)| Mail {
            recipient_user_id,
            recipient_address,
            payload: serde_json::from_str(&payload).unwrap(),
        })
        .collect()
}

/// The token of the newest link mailed for `event`, checked to point at `path`.
async fn last_link_token(app: &TestApp, event: &str, path: &str) -> String {
    let all = mails(app, event).await;
    let link =
        all.last().unwrap_or_else(|| panic!("no {event} mail")).payload["secret_link"].as_str().unwrap().to_string();
    let prefix = format!("{}{path}?token=", app.base);
    assert!(link.starts_with(&prefix), "{link} does not start with {prefix}");
    link[prefix.len()..].to_string()
}

async fn post(app: &TestApp, session: Option<&str>, endpoint: &str, form: &[(&str, &str)]) -> Reply {
    app.post_as(session, endpoint, form).await
}

fn conflict_code(body: &Value) -> Option<&str> {
    body.get("Conflict")?.get("code")?.as_str()
}

async fn verified_at(app: &TestApp, user_id: i64) -> Option<i64> {
    sqlx::query_scalar("SELECT email_verified_at FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_one(app.state.db.read())
        .await
        .unwrap()
}

/// A token that has the shape of a real one but was never issued.
fn forged() -> String {
    "f".repeat(agora_app::domain::account_token::TOKEN_CHARS)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_up_mails_a_link_that_proves_the_address_once() {
    let app = TestApp::spawn().await;
    let (user_id, session) = app.sign_up_token("vera@example.com", "Vera", PASSWORD).await;
    assert_eq!(verified_at(&app, user_id).await, None, "a new account starts unverified");

    let sent = mails(&app, "account.verify_email").await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].recipient_user_id, Some(user_id));
    assert_eq!(sent[0].recipient_address, None, "to the account's own address");
    assert_eq!(sent[0].payload["name"], "Vera");
    let status = post(&app, Some(&session), "my_email_status", &[]).await;
    assert_eq!(status.body["verified"], false, "{}", status.text);

    let token = last_link_token(&app, "account.verify_email", "/account/verify").await;
    let stored: String = sqlx::query_scalar("SELECT token_hash FROM account_tokens WHERE user_id = $1")
        .bind(user_id)
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    assert!(!stored.contains(&token), "only the HMAC of the token is stored");

    let forged_answer = post(&app, None, "verify_email", &[("token", &forged())]).await;
    assert_eq!(field_error(&forged_answer.body), Some(("token".into(), "account_token.unknown".into())));
    assert_eq!(verified_at(&app, user_id).await, None, "a forged link changes nothing");

    // The link works from any browser: the token is the proof.
    let r = post(&app, None, "verify_email", &[("token", &token)]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(verified_at(&app, user_id).await.is_some());
    let status = post(&app, Some(&session), "my_email_status", &[]).await;
    assert_eq!(status.body["verified"], true);

    let again = post(&app, None, "verify_email", &[("token", &token)]).await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);
    assert_eq!(field_error(&again.body), Some(("token".into(), "account_token.used".into())));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_verification_link_lasts_a_day_and_resending_is_throttled() {
    let app = TestApp::spawn().await;
    let (user_id, session) = app.sign_up_token("walt@example.com", "Walt", PASSWORD).await;
    let first = last_link_token(&app, "account.verify_email", "/account/verify").await;

    let soon = post(&app, Some(&session), "resend_verification", &[]).await;
    assert_eq!(soon.status, StatusCode::TOO_MANY_REQUESTS, "{}", soon.text);
    assert_eq!(mails(&app, "account.verify_email").await.len(), 1, "a refused resend mails nothing");

    app.advance(MINUTE);
    let r = post(&app, Some(&session), "resend_verification", &[]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(mails(&app, "account.verify_email").await.len(), 2);
    let second = last_link_token(&app, "account.verify_email", "/account/verify").await;
    let replaced = post(&app, None, "verify_email", &[("token", &first)]).await;
    assert_eq!(
        field_error(&replaced.body),
        Some(("token".into(), "account_token.used".into())),
        "only the newest link works"
    );

    app.advance(24 * 60 * MINUTE);
    let late = post(&app, None, "verify_email", &[("token", &second)]).await;
    assert_eq!(field_error(&late.body), Some(("token".into(), "account_token.expired".into())));
    assert_eq!(verified_at(&app, user_id).await, None);
}

fn application_form(name: &str) -> Vec<(&'static str, String)> {
    vec![
        ("name", name.to_string()),
        ("contact_name", "Vera Owner".into()),
        ("contact_email", "shop@example.com".into()),
        ("contact_phone", "+86 138 0000 0000".into()),
        ("business_type", "company".into()),
        ("region", "CN".into()),
        ("description", "Tea.".into()),
    ]
}

async fn apply_to_sell(app: &TestApp, session: &str, name: &str) -> Reply {
    let form = application_form(name);
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    post(app, Some(session), "save_seller_application", &form).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unverified_account_may_not_apply_to_sell_until_it_opens_the_link() {
    let app = TestApp::spawn().await;
    let (user_id, session) = app.sign_up_token("ana@example.com", "Ana", PASSWORD).await;

    let refused = apply_to_sell(&app, &session, "Ana's Teas").await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.text);
    assert_eq!(conflict_code(&refused.body), Some("auth.email_unverified"));
    assert_eq!(app.count("SELECT COUNT(*) FROM organisations").await, 0, "nothing was created");

    let token = last_link_token(&app, "account.verify_email", "/account/verify").await;
    assert_eq!(post(&app, None, "verify_email", &[("token", &token)]).await.status, StatusCode::OK);
    let accepted = apply_to_sell(&app, &session, "Ana's Teas").await;
    assert_eq!(accepted.status, StatusCode::OK, "{}", accepted.text);
    let owner: i64 =
        sqlx::query_scalar("SELECT owner_user_id FROM organisations").fetch_one(app.state.db.read()).await.unwrap();
    assert_eq!(owner, user_id);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unverified_seller_owner_may_not_request_a_payout() {
    let app = TestApp::spawn().await;
    let (user_id, session) = app.sign_up_token("omar@example.com", "Omar", PASSWORD).await;
    let owner = Persona { client: crate::helpers::client(), user_id: Some(user_id), email: "omar@example.com".into() };
    // An active seller whose owner has not proven the address (an address change just confirmed
    // elsewhere proves it; a seller created before verification existed counts as verified).
    app.organisation_owned_by(&owner, "Omar's Tea").await;
    let form = [("idempotency_key", "payout-key-0001"), ("amount", "10.00"), ("payout_account_id", "1")];
    let refused = post(&app, Some(&session), "request_payout", &form).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.text);
    assert_eq!(conflict_code(&refused.body), Some("auth.email_unverified"));
    assert_eq!(app.count("SELECT COUNT(*) FROM payouts").await, 0);

    let token = last_link_token(&app, "account.verify_email", "/account/verify").await;
    assert_eq!(post(&app, None, "verify_email", &[("token", &token)]).await.status, StatusCode::OK);
    let past_the_gate = post(&app, Some(&session), "request_payout", &form).await;
    assert_ne!(conflict_code(&past_the_gate.body), Some("auth.email_unverified"), "{}", past_the_gate.text);
}

async fn forgot(app: &TestApp, email: &str) -> Reply {
    post(app, None, "forgot_password", &[("email", email)]).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reset_link_sets_a_new_password_once_and_ends_every_session() {
    let app = TestApp::spawn().await;
    let (user_id, first_session) = app.sign_up_token("rita@example.com", "Rita", PASSWORD).await;
    let second = app.sign_in_as(None, "rita@example.com", PASSWORD).await;
    let second_session = second.cookie(app.session_cookie()).unwrap();

    let r = forgot(&app, "  Rita@Example.com ").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let sent = mails(&app, "account.password_reset").await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].recipient_user_id, Some(user_id));
    let token = last_link_token(&app, "account.password_reset", "/reset-password").await;
    assert_eq!(post(&app, None, "check_reset_link", &[("token", &token)]).await.status, StatusCode::OK);

    // A password the rules refuse: said next to the field, and the link still works.
    let weak = post(&app, None, "reset_password", &[("token", &token), ("new_password", "short")]).await;
    assert_eq!(weak.status, StatusCode::BAD_REQUEST);
    assert_eq!(field_error(&weak.body).map(|(f, _)| f), Some("new_password".into()));

    let done = post(&app, None, "reset_password", &[("token", &token), ("new_password", NEW_PASSWORD)]).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text);
    assert_eq!(app.whoami_as(Some(&first_session)).await, None, "every session ended");
    assert_eq!(app.whoami_as(Some(&second_session)).await, None, "every session ended");
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM sessions WHERE user_id = {user_id}")).await, 0);
    assert_eq!(app.sign_in_as(None, "rita@example.com", PASSWORD).await.status, StatusCode::BAD_REQUEST);
    assert_eq!(app.sign_in_as(None, "rita@example.com", NEW_PASSWORD).await.status, StatusCode::OK);

    let notices = app
        .count(&format!(
            "SELECT COUNT(*) FROM outbox WHERE event_type = 'account.password_changed' AND recipient_user_id = {user_id}"
        ))
        .await;
    assert!(notices >= 1, "the owner is told");
    let audited = app
        .count(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'account.reset_password' AND target_id = '{user_id}' AND actor_id = {user_id}"
        ))
        .await;
    assert_eq!(audited, 1);

    let reused =
        post(&app, None, "reset_password", &[("token", &token), ("new_password", "yet another passphrase")]).await;
    assert_eq!(field_error(&reused.body), Some(("token".into(), "account_token.used".into())));
    assert_eq!(app.sign_in_as(None, "rita@example.com", NEW_PASSWORD).await.status, StatusCode::OK, "nothing changed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_and_forged_reset_links_change_nothing() {
    let app = TestApp::spawn().await;
    app.sign_up_token("sam@example.com", "Sam", PASSWORD).await;
    forgot(&app, "sam@example.com").await;
    let token = last_link_token(&app, "account.password_reset", "/reset-password").await;

    for bad in [forged(), "not a token".into(), String::new(), format!("{token}x")] {
        let r = post(&app, None, "reset_password", &[("token", &bad), ("new_password", NEW_PASSWORD)]).await;
        assert_eq!(field_error(&r.body), Some(("token".into(), "account_token.unknown".into())), "{bad:?}");
    }
    app.advance(30 * MINUTE);
    let check = post(&app, None, "check_reset_link", &[("token", &token)]).await;
    assert_eq!(field_error(&check.body), Some(("token".into(), "account_token.expired".into())));
    let late = post(&app, None, "reset_password", &[("token", &token), ("new_password", NEW_PASSWORD)]).await;
    assert_eq!(field_error(&late.body), Some(("token".into(), "account_token.expired".into())));
    assert_eq!(app.sign_in_as(None, "sam@example.com", PASSWORD).await.status, StatusCode::OK, "the password stayed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_reset_requests_in_a_minute_send_one_mail_and_an_unknown_address_answers_alike() {
    let app = TestApp::spawn().await;
    app.sign_up_token("tom@example.com", "Tom", PASSWORD).await;
    let known = forgot(&app, "tom@example.com").await;
    for _ in 0..9 {
        let r = forgot(&app, "tom@example.com").await;
        assert_eq!((r.status, &r.text), (known.status, &known.text));
    }
    assert_eq!(mails(&app, "account.password_reset").await.len(), 1, "ten requests, one mail");

    let unknown = forgot(&app, "nobody@example.com").await;
    assert_eq!((unknown.status, &unknown.text), (known.status, &known.text), "an unknown address answers alike");
    assert_eq!(mails(&app, "account.password_reset").await.len(), 1, "and nothing is sent for it");
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox WHERE recipient_address = 'nobody@example.com'").await, 0);

    app.advance(MINUTE);
    forgot(&app, "tom@example.com").await;
    assert_eq!(mails(&app, "account.password_reset").await.len(), 2, "a minute later, another");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_ip_may_ask_for_a_capped_number_of_mails() {
    let app = TestApp::spawn().await;
    let cap = agora_app::domain::account_token::IP_REQUESTS_PER_WINDOW;
    for i in 0..cap {
        let r = forgot(&app, &format!("someone-{i}@example.com")).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    }
    let over = forgot(&app, "one-more@example.com").await;
    assert_eq!(over.status, StatusCode::TOO_MANY_REQUESTS);
    let code = post(&app, None, "request_sign_in_code", &[("email", "one-more@example.com")]).await;
    assert_eq!(code.status, StatusCode::TOO_MANY_REQUESTS, "codes and links share the cap");
    app.advance(agora_app::domain::account_token::IP_WINDOW_MS);
    assert_eq!(forgot(&app, "one-more@example.com").await.status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changing_the_address_takes_the_password_and_a_link_to_the_new_address() {
    let app = TestApp::spawn().await;
    let (user_id, session) = app.sign_up_token("cleo@example.com", "Cleo", PASSWORD).await;
    app.sign_up_token("taken@example.com", "Other", PASSWORD).await;
    let change = |email: &'static str, password: &'static str| {
        let session = session.clone();
        let app = &app;
        async move {
            post(app, Some(&session), "request_email_change", &[("new_email", email), ("password", password)]).await
        }
    };

    let wrong = change("cleo@new.example", "not my password at all").await;
    assert_eq!(field_error(&wrong.body), Some(("password".into(), "password.wrong".into())));
    let taken = change("taken@example.com", PASSWORD).await;
    assert_eq!(field_error(&taken.body), Some(("new_email".into(), "email.taken".into())));
    let bad = change("not an address", PASSWORD).await;
    assert_eq!(field_error(&bad.body).map(|(f, _)| f), Some("new_email".into()));
    assert!(mails(&app, "account.change_email").await.is_empty());

    let r = change("cleo@new.example", PASSWORD).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let to_new = mails(&app, "account.change_email").await;
    assert_eq!(to_new.len(), 1);
    assert_eq!(to_new[0].recipient_address.as_deref(), Some("cleo@new.example"));
    assert_eq!(to_new[0].recipient_user_id, Some(user_id), "in the user's language");
    let to_old = mails(&app, "account.email_change_requested").await;
    assert_eq!(to_old.len(), 1);
    assert_eq!(to_old[0].recipient_address.as_deref(), Some("cleo@example.com"), "the old address is told");
    assert_eq!(to_old[0].payload["new_email"], "cleo@new.example");
    let status = post(&app, Some(&session), "my_email_status", &[]).await;
    assert_eq!(status.body["pending_email"], "cleo@new.example");

    let token = last_link_token(&app, "account.change_email", "/account/email/confirm").await;
    let done = post(&app, None, "confirm_email_change", &[("token", &token)]).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text);
    assert_eq!(done.body, "cleo@new.example");
    let email: String = sqlx::query_scalar("SELECT email FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    assert_eq!(email, "cleo@new.example");
    assert!(verified_at(&app, user_id).await.is_some(), "the new address is proven by the link");
    let audited = app
        .count(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'account.change_email' AND target_id = '{user_id}'"
        ))
        .await;
    assert_eq!(audited, 1);
    assert_eq!(app.sign_in_as(None, "cleo@new.example", PASSWORD).await.status, StatusCode::OK);

    let reused = post(&app, None, "confirm_email_change", &[("token", &token)]).await;
    assert_eq!(field_error(&reused.body), Some(("token".into(), "account_token.used".into())));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_address_taken_before_the_confirmation_is_refused_then() {
    let app = TestApp::spawn().await;
    let (user_id, session) = app.sign_up_token("dan@example.com", "Dan", PASSWORD).await;
    let r = post(
        &app,
        Some(&session),
        "request_email_change",
        &[("new_email", "race@example.com"), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    app.sign_up_token("race@example.com", "Quicker", PASSWORD).await;
    let token = last_link_token(&app, "account.change_email", "/account/email/confirm").await;
    let refused = post(&app, None, "confirm_email_change", &[("token", &token)]).await;
    assert_eq!(field_error(&refused.body), Some(("token".into(), "email.taken".into())));
    let email: String = sqlx::query_scalar("SELECT email FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    assert_eq!(email, "dan@example.com", "nothing changed");
    app.advance(24 * 60 * MINUTE);
    let late = post(&app, None, "confirm_email_change", &[("token", &token)]).await;
    assert_eq!(field_error(&late.body), Some(("token".into(), "account_token.expired".into())));
}

async fn ask_code(app: &TestApp, email: &str) -> Reply {
    post(app, None, "request_sign_in_code", &[("email", email)]).await
}

async fn last_code(app: &TestApp) -> String {
    let all = mails(app, "account.sign_in_code").await;
    all.last().expect("a code mail").payload["secret_code"].as_str().unwrap().to_string()
}

/// A six-digit code that is not `code`.
fn other_than(code: &str) -> String {
    let n: u32 = code.parse().unwrap();
    format!("{:06}", (n + 1) % 1_000_000)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mailed_code_signs_in_like_a_password() {
    let app = TestApp::spawn().await;
    let (user_id, _) = app.sign_up_token("cody@example.com", "Cody", PASSWORD).await;
    let known = ask_code(&app, "cody@example.com").await;
    assert_eq!(known.status, StatusCode::OK, "{}", known.text);
    let unknown = ask_code(&app, "ghost@example.com").await;
    assert_eq!((unknown.status, unknown.body.clone()), (StatusCode::OK, Value::String("ghost@example.com".into())));
    let sent = mails(&app, "account.sign_in_code").await;
    assert_eq!(sent.len(), 1, "nothing for an unknown address");
    assert_eq!(sent[0].recipient_user_id, Some(user_id));
    let code = last_code(&app).await;
    assert_eq!(code.len(), 6);
    assert!(ask_code(&app, "cody@example.com").await.status == StatusCode::OK);
    assert_eq!(mails(&app, "account.sign_in_code").await.len(), 1, "one code a minute");

    let ghost = post(&app, None, "sign_in_with_code", &[("email", "ghost@example.com"), ("code", &code)]).await;
    assert_eq!(field_error(&ghost.body), Some(("code".into(), "account_token.unknown".into())));
    let malformed = post(&app, None, "sign_in_with_code", &[("email", "cody@example.com"), ("code", "12ab")]).await;
    assert_eq!(field_error(&malformed.body), Some(("code".into(), "auth.code_format".into())));

    let typed = format!("{} {}", &code[..3], &code[3..]);
    let r = post(&app, None, "sign_in_with_code", &[("email", "Cody@example.com"), ("code", &typed)]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["user_id"].as_i64(), Some(user_id));
    let session = r.cookie(app.session_cookie()).expect("a session, as a password sign-in gives");
    assert_eq!(app.whoami_as(Some(&session)).await, Some(user_id));

    let again = post(&app, None, "sign_in_with_code", &[("email", "cody@example.com"), ("code", &code)]).await;
    assert_eq!(field_error(&again.body), Some(("code".into(), "account_token.used".into())), "a code works once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_code_dies_at_the_fifth_wrong_entry_and_after_ten_minutes() {
    let app = TestApp::spawn().await;
    app.sign_up_token("gus@example.com", "Gus", PASSWORD).await;
    ask_code(&app, "gus@example.com").await;
    let code = last_code(&app).await;
    let wrong = other_than(&code);
    for i in 1..=5 {
        let r = post(&app, None, "sign_in_with_code", &[("email", "gus@example.com"), ("code", &wrong)]).await;
        let expected = if i < 5 { "account_token.unknown" } else { "account_token.dead" };
        assert_eq!(field_error(&r.body), Some(("code".into(), expected.into())), "entry {i}");
        assert_eq!(r.cookie(app.session_cookie()), None);
    }
    let right = post(&app, None, "sign_in_with_code", &[("email", "gus@example.com"), ("code", &code)]).await;
    assert_eq!(
        field_error(&right.body),
        Some(("code".into(), "account_token.dead".into())),
        "the right code is too late"
    );

    app.advance(MINUTE);
    ask_code(&app, "gus@example.com").await;
    let fresh = last_code(&app).await;
    app.advance(10 * MINUTE);
    let late = post(&app, None, "sign_in_with_code", &[("email", "gus@example.com"), ("code", &fresh)]).await;
    assert_eq!(field_error(&late.body), Some(("code".into(), "account_token.expired".into())));
}

/// A page as the server renders it (before any script runs), in `lang`.
async fn page(app: &TestApp, session: Option<&str>, path: &str, lang: &str) -> String {
    let mut req = reqwest::Client::new().get(app.url(path)).header("Accept-Language", lang);
    if let Some(token) = session {
        req = req.header(reqwest::header::COOKIE, format!("{}={token}", app.session_cookie()));
    }
    let res = req.send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    res.text().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pages_of_the_account_mails_render_in_english_and_chinese() {
    let app = TestApp::spawn().await;
    let (_, session) = app.sign_up_token("pia@example.com", "Pia", PASSWORD).await;
    forgot(&app, "pia@example.com").await;
    let reset = last_link_token(&app, "account.password_reset", "/reset-password").await;

    let signin = page(&app, None, "/signin", "en").await;
    assert!(signin.contains("href=\"/forgot-password\""), "the forgotten password is offered");
    assert!(signin.contains("href=\"/signin/code\""), "the code is offered beside the password");
    assert!(page(&app, None, "/forgot-password", "en").await.contains("Send the link"));
    assert!(page(&app, None, "/forgot-password", "zh-CN").await.contains("发送链接"));
    assert!(page(&app, None, "/signin/code", "en").await.contains("Email me a code"));
    assert!(page(&app, None, "/signin/code", "zh-CN").await.contains("发送验证码"));

    let usable = page(&app, None, &format!("/reset-password?token={reset}"), "en").await;
    assert!(usable.contains("Set the new password"), "a live link shows the form");
    let forged_page = page(&app, None, &format!("/reset-password?token={}", forged()), "en").await;
    assert!(forged_page.contains("This link or code is not valid"), "a forged link says so");
    assert!(!forged_page.contains("Set the new password"), "and offers no form");
    assert!(page(&app, None, &format!("/reset-password?token={}", forged()), "zh-CN")
        .await
        .contains("该链接或验证码无效"));

    let verify = page(&app, None, "/account/verify?token=abc", "en").await;
    assert!(verify.contains("Verify my address"));
    assert!(page(&app, None, "/account/verify", "en").await.contains("This page needs the link from the mail"));
    assert!(page(&app, None, "/account/email/confirm?token=abc", "zh-CN").await.contains("使用此邮箱"));

    let account = page(&app, Some(&session), "/account", "en").await;
    assert!(
        account.contains("Not verified yet") && account.contains("Send the link again"),
        "the state and the resend"
    );
    assert!(account.contains("Change email address"));
    let token = last_link_token(&app, "account.verify_email", "/account/verify").await;
    post(&app, None, "verify_email", &[("token", &token)]).await;
    let account = page(&app, Some(&session), "/account", "zh-CN").await;
    assert!(account.contains("已验证") && !account.contains("重新发送验证邮件"));
}
