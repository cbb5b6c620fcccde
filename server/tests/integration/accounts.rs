//! Accounts through the real endpoints: sign up, sign in, sign out, change password, the password
//! policy and how passwords are stored.

use crate::helpers::{field_error, TestApp, CROWD, PASSWORD};
use reqwest::StatusCode;

/// argon2id, version 0x13, OWASP's parameters: 19 MiB, two passes, one lane.
const OWASP_ARGON2ID: &str = "$argon2id$v=19$m=19456,t=2,p=1$";

async fn stored_hash(app: &TestApp, email: &str) -> String {
    sqlx::query_scalar("SELECT password_hash FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(app.state.db.read())
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_up_creates_an_active_account_signed_in_with_an_argon2id_hash() {
    let app = TestApp::spawn().await;
    let r = app
        .post_as(None, "sign_up", &[("email", "ann@example.com"), ("display_name", "Ann"), ("password", PASSWORD)])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["email"], "ann@example.com");
    assert_eq!(r.body["display_name"], "Ann");
    assert_eq!(r.body["roles"], serde_json::json!([]));
    let user_id = r.body["user_id"].as_i64().unwrap();
    let token = r.cookie(app.session_cookie()).expect("a session cookie");
    assert_eq!(app.whoami_as(Some(&token)).await, Some(user_id));

    let hash = stored_hash(&app, "ann@example.com").await;
    assert!(hash.starts_with(OWASP_ARGON2ID), "stored hash {hash} is not argon2id with OWASP parameters");
    assert!(!hash.contains(PASSWORD));
    let status: String = sqlx::query_scalar("SELECT status FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    assert_eq!(status, "active");
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_in_with_the_right_password_starts_a_session_and_a_wrong_one_does_not() {
    let app = TestApp::spawn().await;
    let (user_id, _) = app.sign_up_token("bob@example.com", "Bob", PASSWORD).await;

    let wrong = app.sign_in_as(None, "bob@example.com", "not the password at all").await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST, "{}", wrong.text);
    assert_eq!(field_error(&wrong.body), Some(("password".into(), "auth.bad_credentials".into())));
    assert_eq!(wrong.cookie(app.session_cookie()), None, "a failed sign-in sets no session");

    let unknown = app.sign_in_as(None, "nobody@example.com", PASSWORD).await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    assert_eq!(unknown.body, wrong.body, "an unknown account and a wrong password answer alike");

    let right = app.sign_in_as(None, "bob@example.com", PASSWORD).await;
    assert_eq!(right.status, StatusCode::OK, "{}", right.text);
    assert_eq!(right.body["user_id"].as_i64(), Some(user_id));
    let token = right.cookie(app.session_cookie()).expect("a session cookie");
    assert_eq!(app.whoami_as(Some(&token)).await, Some(user_id));
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_out_through_a_cookie_jar_leaves_the_client_anonymous() {
    let app = TestApp::spawn().await;
    let ann = app.sign_up("ann@example.com", "Ann", PASSWORD).await;
    let (_, me) = app.call(&ann, "whoami", &[]).await;
    assert_eq!(me["user_id"].as_i64(), ann.user_id);

    let (status, _) = app.call(&ann, "sign_out", &[]).await;
    assert_eq!(status, StatusCode::OK);
    let (_, me) = app.call(&ann, "whoami", &[]).await;
    assert!(me.is_null(), "still signed in after signing out: {me}");
    let (status, _) = app.call(&ann, "unread_notifications", &[]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_email_is_case_insensitive_for_sign_up_and_sign_in() {
    let app = TestApp::spawn().await;
    let (user_id, _) = app.sign_up_token("  Carol@Example.COM ", "Carol", PASSWORD).await;
    assert_eq!(app.count("SELECT COUNT(*) FROM users WHERE email = 'carol@example.com'").await, 1);

    for spelling in ["carol@example.com", "CAROL@EXAMPLE.COM", " cArOl@example.com "] {
        let r = app.sign_in_as(None, spelling, PASSWORD).await;
        assert_eq!(r.status, StatusCode::OK, "signing in as {spelling:?}: {}", r.text);
        assert_eq!(r.body["user_id"].as_i64(), Some(user_id));
    }
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_duplicate_email_is_refused_whatever_its_case() {
    let app = TestApp::spawn().await;
    app.sign_up_token("dan@example.com", "Dan", PASSWORD).await;
    for spelling in ["dan@example.com", "DAN@example.com", " Dan@Example.Com"] {
        let r = app
            .post_as(None, "sign_up", &[("email", spelling), ("display_name", "Other Dan"), ("password", PASSWORD)])
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{spelling:?}: {}", r.text);
        assert_eq!(field_error(&r.body), Some(("email".into(), "email.taken".into())));
        assert_eq!(r.cookie(app.session_cookie()), None);
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 1);
    // The original owner's password still works: the refused sign-ups changed nothing.
    assert_eq!(app.sign_in_as(None, "dan@example.com", PASSWORD).await.status, StatusCode::OK);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_sign_ups_with_one_email_create_exactly_one_account() {
    let app = std::sync::Arc::new(TestApp::spawn().await);
    let mut tasks = vec![];
    for i in 0..8 {
        let app = app.clone();
        tasks.push(tokio::spawn(async move {
            let name = format!("Racer {i}");
            app.post_as(
                None,
                "sign_up",
                &[("email", "race@example.com"), ("display_name", &name), ("password", PASSWORD)],
            )
            .await
        }));
    }
    let mut created = 0;
    for t in tasks {
        let r = t.await.unwrap();
        match r.status {
            StatusCode::OK => created += 1,
            StatusCode::BAD_REQUEST => {
                assert_eq!(field_error(&r.body), Some(("email".into(), "email.taken".into())), "{}", r.text)
            }
            other => panic!("a racing sign-up answered {other}: {}", r.text),
        }
    }
    assert_eq!(created, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 1);
    std::sync::Arc::into_inner(app).expect("every task finished").finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn passwords_from_8_to_128_characters_are_accepted_and_others_refused_with_a_field_error() {
    let app = TestApp::spawn().await;
    let cases: [(String, Option<&str>); 6] = [
        ("a7#kQ2z".into(), Some("password.too_short")),
        ("a7#kQ2zP".into(), None),
        ("密码很长很安全的".into(), None),
        ("correct horse battery staple ".repeat(5).chars().take(128).collect(), None),
        ("y".repeat(64) + &"z".repeat(65), Some("password.too_long")),
        ("".into(), Some("password.too_short")),
    ];
    let lengths: Vec<usize> = cases.iter().map(|(p, _)| p.chars().count()).collect();
    assert_eq!(lengths, [7, 8, 8, 128, 129, 0]);
    for (i, (password, refusal)) in cases.iter().enumerate() {
        let email = format!("p{i}@example.com");
        let r = app.post_as(None, "sign_up", &[("email", &email), ("display_name", "P"), ("password", password)]).await;
        match refusal {
            None => assert_eq!(r.status, StatusCode::OK, "{} chars: {}", password.chars().count(), r.text),
            Some(code) => {
                assert_eq!(r.status, StatusCode::BAD_REQUEST, "{} chars: {}", password.chars().count(), r.text);
                assert_eq!(field_error(&r.body), Some(("password".into(), code.to_string())));
            }
        }
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 3);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn common_passwords_are_refused_with_a_field_error() {
    let app = TestApp::spawn().await;
    for (i, password) in ["password123", "Password123", "QWERTYUIOP", "12345678", "aaaaaaaaaaaa"].iter().enumerate() {
        let email = format!("c{i}@example.com");
        let r = app.post_as(None, "sign_up", &[("email", &email), ("display_name", "C"), ("password", password)]).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{password:?} was accepted: {}", r.text);
        assert_eq!(field_error(&r.body), Some(("password".into(), "password.too_common".into())), "{password:?}");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 0);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changing_the_password_needs_the_current_one_and_stores_a_new_argon2id_hash() {
    let app = TestApp::spawn().await;
    let (_, token) = app.sign_up_token("erin@example.com", "Erin", PASSWORD).await;
    let before = stored_hash(&app, "erin@example.com").await;
    let new_password = "a brand new passphrase";

    let wrong = app
        .post_as(
            Some(&token),
            "change_password",
            &[("current_password", "not my password"), ("new_password", new_password)],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST, "{}", wrong.text);
    assert_eq!(field_error(&wrong.body), Some(("current_password".into(), "password.wrong".into())));

    for (bad, code) in [("short", "password.too_short"), ("password123", "password.too_common")] {
        let r = app
            .post_as(Some(&token), "change_password", &[("current_password", PASSWORD), ("new_password", bad)])
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
        assert_eq!(field_error(&r.body), Some(("new_password".into(), code.into())));
    }
    assert_eq!(stored_hash(&app, "erin@example.com").await, before, "a refused change changed the hash");

    let ok = app
        .post_as(Some(&token), "change_password", &[("current_password", PASSWORD), ("new_password", new_password)])
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text);
    let after = stored_hash(&app, "erin@example.com").await;
    assert_ne!(after, before);
    assert!(after.starts_with(OWASP_ARGON2ID), "{after}");

    assert_eq!(app.sign_in_as(None, "erin@example.com", PASSWORD).await.status, StatusCode::BAD_REQUEST);
    assert_eq!(app.sign_in_as(None, "erin@example.com", new_password).await.status, StatusCode::OK);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changing_the_password_ends_every_other_session_but_keeps_this_one() {
    let app = TestApp::spawn().await;
    let (user_id, here) = app.sign_up_token("fay@example.com", "Fay", PASSWORD).await;
    let elsewhere = app.sign_in_as(None, "fay@example.com", PASSWORD).await.cookie(app.session_cookie()).unwrap();
    assert_eq!(app.whoami_as(Some(&elsewhere)).await, Some(user_id));

    let r = app
        .post_as(
            Some(&here),
            "change_password",
            &[("current_password", PASSWORD), ("new_password", "another long phrase")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(app.whoami_as(Some(&here)).await, Some(user_id));
    assert_eq!(app.whoami_as(Some(&elsewhere)).await, None);
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 1);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_concurrent_sign_ups_all_succeed_without_a_locked_database() {
    // Fifty people signing up from one address at once: a crowd, for the rate limits.
    let app = std::sync::Arc::new(TestApp::spawn_with(&CROWD).await);
    let mut tasks = vec![];
    for i in 0..50 {
        let app = app.clone();
        tasks.push(tokio::spawn(async move {
            let email = format!("crowd{i}@example.com");
            app.post_as(None, "sign_up", &[("email", &email), ("display_name", "Crowd"), ("password", PASSWORD)]).await
        }));
    }
    let mut failures = vec![];
    for t in tasks {
        let r = t.await.unwrap();
        if r.status != StatusCode::OK {
            failures.push(format!("{}: {}", r.status, r.text));
        }
    }
    assert!(failures.is_empty(), "concurrent sign-ups failed:\n{}", failures.join("\n"));
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 50);
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 50);
    std::sync::Arc::into_inner(app).expect("every task finished").finish().await;
}
