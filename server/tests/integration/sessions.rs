//! Sessions: stored server-side, carried by a hardened cookie, rotated at sign-in, ended by timeouts,
//! sign-out and bans, and never confused by a cookie the server did not issue.

use crate::helpers::{TestApp, PASSWORD};
use agora_app::platform::caller::hash_token;
use reqwest::StatusCode;

const MINUTE_MS: i64 = 60_000;
const HOUR_MS: i64 = 60 * MINUTE_MS;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_session_cookie_is_http_only_and_same_site_lax_and_only_its_hash_is_stored() {
    let app = TestApp::spawn().await;
    let r = app
        .post_as(None, "sign_up", &[("email", "ann@example.com"), ("display_name", "Ann"), ("password", PASSWORD)])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(app.session_cookie(), "agora_session", "plain http uses the unprefixed name");
    let line = r.cookie_line("agora_session").expect("a session cookie").to_string();
    let attrs: Vec<String> = line.split(';').map(|a| a.trim().to_ascii_lowercase()).collect();
    assert!(attrs.contains(&"httponly".into()), "{line}");
    assert!(attrs.contains(&"samesite=lax".into()), "{line}");
    assert!(attrs.contains(&"path=/".into()), "{line}");
    assert!(!attrs.iter().any(|a| a.starts_with("domain")), "{line}");

    let token = r.cookie("agora_session").unwrap();
    assert_eq!(token.len(), 64, "256 random bits in hex");
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 1);
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE id_hash = $1")
        .bind(hash_token(&token))
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    assert_eq!(stored, 1, "the session is stored by the hash of its id");
    let plain: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE id_hash = $1")
        .bind(&token)
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    assert_eq!(plain, 0, "the session id itself is never stored");
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_https_the_session_cookie_is_secure_and_host_prefixed() {
    let app = TestApp::spawn_with(&[("AGORA_PUBLIC_URL", "https://shop.example")]).await;
    assert_eq!(app.session_cookie(), "__Host-agora_session");
    let r = app
        .post_as(None, "sign_up", &[("email", "ann@example.com"), ("display_name", "Ann"), ("password", PASSWORD)])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let line = r.cookie_line("__Host-agora_session").expect("a __Host- session cookie").to_string();
    let attrs: Vec<String> = line.split(';').map(|a| a.trim().to_ascii_lowercase()).collect();
    for needed in ["secure", "httponly", "samesite=lax", "path=/"] {
        assert!(attrs.contains(&needed.to_string()), "{needed} missing from {line}");
    }
    // __Host- cookies must not name a domain (the browser refuses them otherwise).
    assert!(!attrs.iter().any(|a| a.starts_with("domain")), "{line}");
    assert!(r.cookie("agora_session").is_none(), "no unprefixed cookie over https");

    let token = r.cookie("__Host-agora_session").unwrap();
    let user_id = r.body["user_id"].as_i64();
    assert_eq!(app.whoami_as(Some(&token)).await, user_id);
    // The unprefixed name is not read over https: a cookie planted by a sibling domain cannot count.
    let planted = app
        .send(reqwest::Client::new().post(app.url("/api/whoami")).header("Cookie", format!("agora_session={token}")))
        .await;
    assert_eq!(planted.status, StatusCode::OK);
    assert!(planted.body.is_null(), "{}", planted.text);

    let out = app.post_as(Some(&token), "sign_out", &[]).await;
    let cleared = out.cookie_line("__Host-agora_session").expect("sign-out clears the cookie").to_ascii_lowercase();
    assert!(cleared.contains("max-age=0") && cleared.contains("secure"), "{cleared}");
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_session_id_is_rotated_at_sign_in_and_the_old_one_stops_working() {
    let app = TestApp::spawn().await;
    let (user_id, first) = app.sign_up_token("bob@example.com", "Bob", PASSWORD).await;
    assert_eq!(app.whoami_as(Some(&first)).await, Some(user_id));

    let again = app.sign_in_as(Some(&first), "bob@example.com", PASSWORD).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.text);
    let second = again.cookie(app.session_cookie()).expect("a new session cookie");
    assert_ne!(second, first, "the session id must change at sign-in");
    assert_eq!(app.whoami_as(Some(&first)).await, None, "the pre-sign-in id still works");
    assert_eq!(app.whoami_as(Some(&second)).await, Some(user_id));
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 1);
    app.finish().await;
}

/// `console_session_idle_minutes` (30 here, against 60 for everyone else): an operator's session
/// ends after 30 idle minutes, a buyer's idle as long lives on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_operators_session_idles_out_sooner_than_a_buyers() {
    let app = TestApp::spawn().await;
    let (buyer_id, buyer) = app.sign_up_token("cat@example.com", "Cat", PASSWORD).await;
    let (operator_id, operator) = app.sign_up_token("ops@example.com", "Ops", PASSWORD).await;
    sqlx::query("INSERT INTO user_roles (user_id, role, granted_by, granted_at) VALUES ($1, 'support', $1, 0)")
        .bind(operator_id)
        .execute(app.state.db.read())
        .await
        .unwrap();
    assert_eq!(app.state.settings().session.operator_idle_ms, 30 * MINUTE_MS);

    app.advance(29 * MINUTE_MS);
    assert_eq!(app.whoami_as(Some(&operator)).await, Some(operator_id), "29 idle minutes are fine");
    assert_eq!(app.whoami_as(Some(&buyer)).await, Some(buyer_id));
    app.advance(31 * MINUTE_MS);
    assert_eq!(app.whoami_as(Some(&operator)).await, None, "31 idle minutes are not, for an operator");
    assert_eq!(app.whoami_as(Some(&buyer)).await, Some(buyer_id), "a buyer's 31 idle minutes are fine");
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_ends_after_an_hour_idle_but_requests_keep_it_alive() {
    let app = TestApp::spawn().await;
    let (user_id, busy) = app.sign_up_token("cat@example.com", "Cat", PASSWORD).await;
    let (other_id, idle) = app.sign_up_token("dog@example.com", "Dog", PASSWORD).await;

    // Busy: a request every 40 minutes for three hours.
    for _ in 0..4 {
        app.advance(40 * MINUTE_MS);
        assert_eq!(app.whoami_as(Some(&busy)).await, Some(user_id));
    }
    assert_eq!(app.whoami_as(Some(&idle)).await, None, "160 minutes without a request");
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 1, "the expired session is deleted");

    // Just under the idle limit is fine; the limit itself is not.
    let fresh = app.sign_in_as(None, "dog@example.com", PASSWORD).await.cookie(app.session_cookie()).unwrap();
    app.advance(HOUR_MS - 2 * MINUTE_MS);
    assert_eq!(app.whoami_as(Some(&fresh)).await, Some(other_id));
    app.advance(HOUR_MS);
    assert_eq!(app.whoami_as(Some(&fresh)).await, None);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_busy_session_still_ends_twelve_hours_after_sign_in() {
    let app = TestApp::spawn().await;
    let (user_id, token) = app.sign_up_token("eve@example.com", "Eve", PASSWORD).await;
    let mut elapsed = 0;
    while elapsed + 30 * MINUTE_MS < 12 * HOUR_MS {
        app.advance(30 * MINUTE_MS);
        elapsed += 30 * MINUTE_MS;
        assert_eq!(app.whoami_as(Some(&token)).await, Some(user_id), "after {elapsed} ms");
    }
    app.advance(12 * HOUR_MS - elapsed);
    assert_eq!(app.whoami_as(Some(&token)).await, None, "the absolute limit passed");
    let r = app.post_as(Some(&token), "unread_notifications", &[]).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_out_ends_the_session_at_once_even_for_a_copied_cookie() {
    let app = TestApp::spawn().await;
    let (user_id, token) = app.sign_up_token("fay@example.com", "Fay", PASSWORD).await;
    assert_eq!(app.whoami_as(Some(&token)).await, Some(user_id));
    let out = app.post_as(Some(&token), "sign_out", &[]).await;
    assert_eq!(out.status, StatusCode::OK, "{}", out.text);
    assert_eq!(out.cookie(app.session_cookie()).as_deref(), Some(""), "sign-out clears the cookie");
    assert!(out.cookie_line(app.session_cookie()).unwrap().to_ascii_lowercase().contains("max-age=0"));
    // Someone who kept a copy of the cookie gets nothing from it.
    assert_eq!(app.whoami_as(Some(&token)).await, None);
    assert_eq!(app.post_as(Some(&token), "list_notifications", &[]).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 0);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_banned_users_existing_session_stops_working_at_once() {
    let app = TestApp::spawn().await;
    let (user_id, token) = app.sign_up_token("gus@example.com", "Gus", PASSWORD).await;
    assert_eq!(app.whoami_as(Some(&token)).await, Some(user_id));
    sqlx::query("UPDATE users SET status = 'banned', banned_at = $1, ban_reason = 'test' WHERE id = $2")
        .bind(app.state.now_ms())
        .bind(user_id)
        .execute(app.state.db.read())
        .await
        .unwrap();
    assert_eq!(app.whoami_as(Some(&token)).await, None);
    assert_eq!(app.post_as(Some(&token), "unread_notifications", &[]).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.post_as(
            Some(&token),
            "change_password",
            &[("current_password", PASSWORD), ("new_password", "a new long phrase")]
        )
        .await
        .status,
        StatusCode::UNAUTHORIZED
    );
    let again = app.sign_in_as(None, "gus@example.com", PASSWORD).await;
    assert_eq!(again.status, StatusCode::FORBIDDEN, "a banned user signed in: {}", again.text);
    assert!(again.body.get("SignInBlocked").is_some(), "told of the ban: {}", again.text);
    assert_eq!(again.cookie(app.session_cookie()), None);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_expired_and_forged_session_cookies_are_treated_as_anonymous() {
    let app = TestApp::spawn().await;
    let (_, real) = app.sign_up_token("hal@example.com", "Hal", PASSWORD).await;
    let expired = {
        let (_, t) = app.sign_up_token("ivy@example.com", "Ivy", PASSWORD).await;
        sqlx::query(
            "UPDATE sessions SET created_at = created_at - $1, last_seen_at = last_seen_at - $1 WHERE id_hash = $2",
        )
        .bind(13 * HOUR_MS)
        .bind(hash_token(&t))
        .execute(app.state.db.read())
        .await
        .unwrap();
        t
    };
    let forged: Vec<(&str, String)> = vec![
        ("random 64 hex", agora_app::platform::caller::new_token()),
        ("expired", expired),
        ("the stored hash instead of the id", hash_token(&real)),
        ("upper-cased real id", real.to_ascii_uppercase()),
        ("63 hex", real[..63].to_string()),
        ("65 hex", format!("{real}0")),
        ("garbage", "garbage!@#$%^&*()".into()),
        ("sql", "' OR 1=1 --".into()),
        ("empty", String::new()),
        ("non-ascii", "ßéçrét-ünïcödé".into()),
        ("16 KiB", "a".repeat(16 * 1024)),
        ("64 KiB of hex", "f".repeat(64 * 1024)),
    ];
    for (what, value) in &forged {
        let res = reqwest::Client::new()
            .post(app.url("/api/whoami"))
            .header(reqwest::header::COOKIE, format!("{}={value}", app.session_cookie()).as_bytes())
            .send()
            .await
            .unwrap();
        let status = res.status();
        let text = res.text().await.unwrap();
        assert!(
            status.is_success() || status == StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            "{what}: {status} {text}"
        );
        if status.is_success() {
            assert_eq!(text.trim(), "null", "{what}: whoami answered {text}");
        }
        let r = app.post_as(Some(value), "unread_notifications", &[]).await;
        assert!(
            r.status == StatusCode::UNAUTHORIZED || r.status == StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            "{what}: {} {}",
            r.status,
            r.text
        );
    }
    // Only the real session is left, and it still works.
    assert!(app.whoami_as(Some(&real)).await.is_some());
    app.finish().await;
}

/// A second browser, signed in as `who` (its own cookie jar).
async fn second_browser(app: &TestApp, who: &crate::helpers::Persona) -> crate::helpers::Persona {
    let other =
        crate::helpers::Persona { client: crate::helpers::client(), user_id: who.user_id, email: who.email.clone() };
    let (status, _) = app.call(&other, "sign_in", &[("email", &who.email), ("password", PASSWORD)]).await;
    assert_eq!(status, StatusCode::OK);
    other
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_sees_where_they_are_signed_in_and_ends_the_other_sessions_but_not_anyone_elses() {
    let app = TestApp::spawn().await;
    let ann = app.persona("ann", &[]).await;
    let phone = second_browser(&app, &ann).await;
    let bob = app.persona("bob", &[]).await;

    let (status, rows) = app.call(&ann, "my_sessions", &[]).await;
    assert_eq!(status, StatusCode::OK, "{rows}");
    let rows = rows.as_array().unwrap().clone();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows.iter().filter(|r| r["current"] == true).count(), 1);
    let other = rows.iter().find(|r| r["current"] == false).unwrap();
    let handle = other["handle"].as_str().unwrap().to_string();
    assert!(!other["ip"].as_str().unwrap().is_empty());

    // Nobody ends another person's session, and a handle that is not one is simply not found.
    for (who, handle) in [(&bob, handle.as_str()), (&ann, "zz"), (&ann, &"0".repeat(64))] {
        let (status, _) = app.call(who, "end_my_session", &[("handle", handle)]).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
    let (_, me) = app.call(&phone, "whoami", &[]).await;
    assert_ne!(me, serde_json::Value::Null, "the phone is still signed in");
    // The session in use is ended by signing out, not from the list.
    let current = rows.iter().find(|r| r["current"] == true).unwrap()["handle"].as_str().unwrap().to_string();
    let (status, _) = app.call(&ann, "end_my_session", &[("handle", &current)]).await;
    assert_eq!(status, StatusCode::CONFLICT);

    let (status, body) = app.call(&ann, "end_my_session", &[("handle", &handle)]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, me) = app.call(&phone, "whoami", &[]).await;
    assert_eq!(me, serde_json::Value::Null, "the phone is signed out");
    let (_, rows) = app.call(&ann, "my_sessions", &[]).await;
    assert_eq!(rows.as_array().unwrap().len(), 1);

    // Everywhere else: two more browsers end together; then there is nothing left to end.
    let (laptop, tablet) = (second_browser(&app, &ann).await, second_browser(&app, &ann).await);
    let (status, _) = app.call(&ann, "end_my_other_sessions", &[]).await;
    assert_eq!(status, StatusCode::OK);
    for device in [&laptop, &tablet] {
        assert_eq!(app.call(device, "whoami", &[]).await.1, serde_json::Value::Null);
    }
    let (_, me) = app.call(&ann, "whoami", &[]).await;
    assert_ne!(me, serde_json::Value::Null, "this browser stays signed in");
    let (status, _) = app.call(&ann, "end_my_other_sessions", &[]).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let audited: Vec<String> =
        sqlx::query_scalar("SELECT action FROM audit_log WHERE action LIKE 'account.end_%' ORDER BY seq")
            .fetch_all(app.state.db.read())
            .await
            .unwrap();
    assert_eq!(audited, vec!["account.end_session".to_string(), "account.end_other_sessions".to_string()]);
    let before: String = sqlx::query_scalar("SELECT before_json FROM audit_log WHERE action = 'account.end_session'")
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    let before: serde_json::Value = serde_json::from_str(&before).unwrap();
    assert_eq!(before["session"]["ip"], other["ip"], "the audit names the session that ended: {before}");
    app.finish().await;
}
