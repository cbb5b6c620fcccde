//! The HTTP edge: origin checks, malformed and hostile input, body limits, probes and metrics.

use crate::helpers::{field_error, Reply, TestApp, CROWD, PASSWORD};
use reqwest::StatusCode;

/// Text that must never reach a client: database errors, SQL, panics.
fn assert_no_internals(what: &str, r: &Reply) {
    assert_ne!(r.status, StatusCode::INTERNAL_SERVER_ERROR, "{what}: {}", r.text);
    let lower = r.text.to_lowercase();
    for leak in ["sqlx", "sqlite", "postgres", "syntax", "panicked", "select ", "insert into", "database"] {
        assert!(!lower.contains(leak), "{what}: the response mentions {leak:?}: {}", r.text);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_same_origin_post_naming_the_public_url_is_accepted() {
    let app = TestApp::spawn().await;
    let form = [("email", "ann@example.com"), ("display_name", "Ann"), ("password", PASSWORD)];
    let r =
        app.send(reqwest::Client::new().post(app.url("/api/sign_up")).header("Origin", &app.base).form(&form)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = app
        .send(
            reqwest::Client::new()
                .post(app.url("/api/whoami"))
                .header("Origin", &app.base)
                .header("Sec-Fetch-Site", "same-origin"),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = app.send(reqwest::Client::new().post(app.url("/api/whoami")).header("Sec-Fetch-Site", "same-origin")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_same_origin_post_to_an_https_public_url_is_accepted_and_a_lookalike_is_not() {
    let app = TestApp::spawn_with(&[("AGORA_PUBLIC_URL", "https://shop.example/")]).await;
    let post = |origin: &'static str| {
        reqwest::Client::new()
            .post(app.url("/api/whoami"))
            .header("Origin", origin)
            .header("Sec-Fetch-Site", "same-origin")
    };
    assert_eq!(app.send(post("https://shop.example")).await.status, StatusCode::OK);
    for evil in ["http://shop.example", "https://shop.example.evil.example", "https://evil.example", "null"] {
        assert_eq!(app.send(post(evil)).await.status, StatusCode::FORBIDDEN, "{evil} was accepted");
    }
    app.finish().await;
}

/// GET skips the cross-origin check (a link or an <img> can send one), so no server function may run
/// from a GET.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_get_request_never_runs_a_server_function() {
    let app = TestApp::spawn().await;
    let (user_id, token) = app.sign_up_token("ann@example.com", "Ann", PASSWORD).await;
    let cookie = format!("{}={token}", app.session_cookie());
    let gets = [
        "/api/sign_out".to_string(),
        "/api/sign_up?email=get%40example.com&display_name=Get&password=a%20long%20passphrase".to_string(),
        "/api/change_password?current_password=correct%20horse%20battery%20staple&new_password=hijacked%20by%20a%20link"
            .to_string(),
        "/api/set_language?lang=zh".to_string(),
    ];
    for path in &gets {
        let r = app.send(reqwest::Client::new().get(app.url(path)).header("Cookie", &cookie)).await;
        assert_no_internals(path, &r);
        assert!(!r.status.is_success(), "GET {path} answered {}: {}", r.status, r.text);
    }
    assert_eq!(app.whoami_as(Some(&token)).await, Some(user_id), "a GET signed the user out");
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 1, "a GET signed someone up");
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log").await, 0, "a GET changed the password");
    assert_eq!(app.count("SELECT COUNT(*) FROM users WHERE locale = 'zh'").await, 0, "a GET changed the language");
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_forms_answer_400_and_never_leak_internals() {
    let app = TestApp::spawn().await;
    let (_, token) = app.sign_up_token("ann@example.com", "Ann", PASSWORD).await;
    let users_before = app.count("SELECT COUNT(*) FROM users").await;
    let cases: &[(&str, &str, &str)] = &[
        ("sign_up without fields", "sign_up", ""),
        ("sign_up without a password", "sign_up", "email=b%40example.com&display_name=B"),
        ("sign_in without an email", "sign_in", "password=whatever"),
        ("change_password without the new one", "change_password", "current_password=x"),
        ("an id that is not a number", "mark_notifications_read", "id=abc"),
        ("an id beyond i64", "mark_notifications_read", "id=99999999999999999999999"),
        ("an id that is a float", "mark_notifications_read", "id=1.5"),
        ("broken percent-encoding", "sign_in", "email=%ZZ&password=%"),
        ("a set_language code that does not exist", "set_language", "lang=xx"),
    ];
    for (what, endpoint, body) in cases {
        let r = app
            .send(
                reqwest::Client::new()
                    .post(app.url(&format!("/api/{endpoint}")))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Cookie", format!("{}={token}", app.session_cookie()))
                    .body(body.to_string()),
            )
            .await;
        assert_no_internals(what, &r);
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{what}: {}", r.text);
        assert!(r.body == "Malformed" || field_error(&r.body).is_some(), "{what}: {}", r.text);
    }
    let raw: Vec<(&str, reqwest::RequestBuilder)> = vec![
        (
            "JSON sent to a form endpoint",
            reqwest::Client::new().post(app.url("/api/sign_in")).json(&serde_json::json!({"email": 1})),
        ),
        (
            "bytes that are not UTF-8",
            reqwest::Client::new()
                .post(app.url("/api/sign_in"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body(vec![0xff, 0xfe, 0x00, b'=', 0x80]),
        ),
        ("no body at all", reqwest::Client::new().post(app.url("/api/sign_up"))),
        (
            "an unknown server function",
            reqwest::Client::new().post(app.url("/api/drop_table_users")).form(&[("a", "b")]),
        ),
    ];
    for (what, req) in raw {
        let r = app.send(req).await;
        assert_no_internals(what, &r);
        assert!(r.status.is_client_error(), "{what}: {} {}", r.status, r.text);
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, users_before, "a malformed request wrote something");
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_two_mebibyte_body_is_refused_with_413() {
    let app = TestApp::spawn().await;
    let huge = "x".repeat(2 * 1024 * 1024);
    let r = app
        .send(reqwest::Client::new().post(app.url("/api/sign_up")).form(&[
            ("email", "big@example.com"),
            ("display_name", huge.as_str()),
            ("password", PASSWORD),
        ]))
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.text);
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 0);
    app.finish().await;
}

/// Without `Content-Length` the limit can only bite while the body streams in; the answer must still
/// be 413 (not a 400 "malformed" or a 5xx).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_two_mebibyte_chunked_body_is_refused_with_413() {
    let app = TestApp::spawn().await;
    let addr = app.base.trim_start_matches("http://").to_string();
    let response = tokio::task::spawn_blocking(move || {
        use std::io::{Read, Write};
        let mut s = std::net::TcpStream::connect(&addr).unwrap();
        s.set_read_timeout(Some(std::time::Duration::from_secs(60))).unwrap();
        let head = format!(
            "POST /api/sign_up HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
             Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        );
        s.write_all(head.as_bytes()).unwrap();
        let chunk = "x".repeat(64 * 1024);
        let mut body = String::from("email=big%40example.com&password=abcdefghijk&display_name=");
        for _ in 0..32 {
            body.push_str(&chunk);
            // The server may answer and close before reading everything; stop writing then.
            if s.write_all(format!("{:x}\r\n{body}\r\n", body.len()).as_bytes()).is_err() {
                break;
            }
            body.clear();
        }
        let _ = s.write_all(b"0\r\n\r\n");
        let mut response = Vec::new();
        let _ = s.read_to_end(&mut response);
        String::from_utf8_lossy(&response).to_string()
    })
    .await
    .unwrap();
    assert_eq!(response.split_whitespace().nth(1), Some("413"), "{response}");
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 0);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_sign_up_input_gets_clear_field_errors_and_writes_nothing() {
    // Dozens of sign-ups from one address in a moment: a crowd, for the rate limits.
    let app = TestApp::spawn_with(&CROWD).await;
    let long_name = "n".repeat(10_000);
    let long_email = format!("{}@example.com", "e".repeat(10_000));
    // (what, the form, the expected (field, code))
    type Case<'a> = (&'a str, [(&'a str, &'a str); 3], (&'a str, &'a str));
    let cases: Vec<Case> = vec![
        (
            "SQL in the email",
            [("email", "x'; DROP TABLE users; --@example.com"), ("display_name", "X"), ("password", PASSWORD)],
            ("email", "email.malformed"),
        ),
        (
            "SQL-only email",
            [("email", "' OR '1'='1"), ("display_name", "X"), ("password", PASSWORD)],
            ("email", "email.malformed"),
        ),
        (
            "a 10,000-character name",
            [("email", "long@example.com"), ("display_name", &long_name), ("password", PASSWORD)],
            ("display_name", "name.too_long"),
        ),
        (
            "a 10,000-character email",
            [("email", &long_email), ("display_name", "X"), ("password", PASSWORD)],
            ("email", "email.too_long"),
        ),
        (
            "an emoji email",
            [("email", "🛒🛒🛒"), ("display_name", "X"), ("password", PASSWORD)],
            ("email", "email.malformed"),
        ),
        (
            "an empty name",
            [("email", "empty@example.com"), ("display_name", "   "), ("password", PASSWORD)],
            ("display_name", "name.empty"),
        ),
        (
            "control characters in the name",
            [("email", "bell@example.com"), ("display_name", "a\u{7}b\u{0}"), ("password", PASSWORD)],
            ("display_name", "name.control_chars"),
        ),
        (
            "markup in the email",
            [("email", "<script>@example.com"), ("display_name", "X"), ("password", PASSWORD)],
            ("email", "email.malformed"),
        ),
        (
            "a 10,000-character password",
            [("email", "pw@example.com"), ("display_name", "X"), ("password", &long_name)],
            ("password", "password.too_long"),
        ),
    ];
    for (what, form, (field, code)) in &cases {
        let r = app.post_as(None, "sign_up", form).await;
        assert_no_internals(what, &r);
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{what}: {}", r.text);
        assert_eq!(field_error(&r.body), Some((field.to_string(), code.to_string())), "{what}: {}", r.text);
        assert_eq!(r.cookie(app.session_cookie()), None, "{what}");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 0, "a refused sign-up wrote a user");
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 0, "a refused sign-up wrote a session");

    // SQL-looking and emoji names are just names: stored verbatim, with nothing executed.
    for (i, name) in ["Robert'); DROP TABLE users;--", "小明 🛒🎉", "$1 $2 \\x00 %s"].iter().enumerate() {
        let email = format!("ok{i}@example.com");
        let r =
            app.post_as(None, "sign_up", &[("email", &email), ("display_name", name), ("password", PASSWORD)]).await;
        assert_eq!(r.status, StatusCode::OK, "{name:?}: {}", r.text);
        assert_eq!(r.body["display_name"], *name);
        let stored: String = sqlx::query_scalar("SELECT display_name FROM users WHERE email = $1")
            .bind(&email)
            .fetch_one(app.state.db.read())
            .await
            .unwrap();
        assert_eq!(stored, *name);
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 3);

    // Sign-in with hostile input is a plain refusal too.
    for (email, password) in
        [("' OR 1=1 --", "' OR 1=1 --"), (long_email.as_str(), PASSWORD), ("ok0@example.com", long_name.as_str())]
    {
        let r = app.sign_in_as(None, email, password).await;
        assert_no_internals("hostile sign-in", &r);
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
        assert_eq!(field_error(&r.body).map(|(f, _)| f), Some("password".to_string()));
    }
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_liveness_and_readiness_probes_answer_on_a_migrated_database() {
    let app = TestApp::spawn().await;
    let r = app.send(reqwest::Client::new().get(app.url("/healthz"))).await;
    assert_eq!(r.status, StatusCode::OK);
    let r = app.send(reqwest::Client::new().get(app.url("/readyz"))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readiness_fails_when_a_migration_is_missing_or_unknown() {
    let app = TestApp::spawn().await;
    let readyz = || app.send(reqwest::Client::new().get(app.url("/readyz")));
    assert_eq!(readyz().await.status, StatusCode::OK);

    // A migration this build does not know (a newer release migrated this database).
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(99_990_101_000_000i64)
    .bind("from the future")
    .bind(true)
    .bind(vec![0u8; 48])
    .bind(0i64)
    .execute(app.state.db.read())
    .await
    .unwrap();
    let r = readyz().await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "{}", r.text);
    let metrics = app.send(reqwest::Client::new().get(app.url("/metrics"))).await;
    assert!(metrics.text.lines().any(|l| l == "agora_ready 0"), "{}", metrics.text);

    sqlx::query("DELETE FROM _sqlx_migrations WHERE version = $1")
        .bind(99_990_101_000_000i64)
        .execute(app.state.db.read())
        .await
        .unwrap();
    assert_eq!(readyz().await.status, StatusCode::OK);

    // A migration of this build that the database has not applied.
    let newest = app.count("SELECT MAX(version) FROM _sqlx_migrations").await;
    sqlx::query("DELETE FROM _sqlx_migrations WHERE version = $1")
        .bind(newest)
        .execute(app.state.db.read())
        .await
        .unwrap();
    assert_eq!(readyz().await.status, StatusCode::SERVICE_UNAVAILABLE);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_are_prometheus_text_with_request_counts_and_readiness() {
    let app = TestApp::spawn().await;
    app.send(reqwest::Client::new().post(app.url("/api/whoami"))).await;
    let r = app.send(reqwest::Client::new().get(app.url("/metrics"))).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text.contains("# TYPE agora_http_requests_total counter"), "{}", r.text);
    let api_2xx = r
        .text
        .lines()
        .find_map(|l| l.strip_prefix("agora_http_requests_total{class=\"api\",status=\"2xx\"} "))
        .and_then(|n| n.parse::<u64>().ok())
        .expect("an api 2xx counter");
    assert!(api_2xx >= 1);
    assert!(r.text.lines().any(|l| l == "agora_ready 1"), "{}", r.text);
    assert!(r.text.lines().any(|l| l.starts_with("agora_users ")), "{}", r.text);
    // Every sample line is `name{labels} number` or `name number`.
    for line in r.text.lines().filter(|l| !l.starts_with('#') && !l.is_empty()) {
        let value = line.rsplit(' ').next().unwrap();
        assert!(value.parse::<f64>().is_ok(), "not a sample: {line}");
    }
    app.finish().await;
}

/// Lines written by the tracing subscriber this test binary installs (error level only), so a test
/// can count what the server logged for one request id.
fn captured_log() -> &'static std::sync::Mutex<Vec<u8>> {
    static LOG: std::sync::OnceLock<std::sync::Mutex<Vec<u8>>> = std::sync::OnceLock::new();
    LOG.get_or_init(|| {
        struct Capture;
        impl std::io::Write for Capture {
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                captured_log().lock().unwrap().extend_from_slice(buf);
                Ok(buf.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let _ = tracing_subscriber::fmt()
            .with_writer(|| Capture)
            .with_ansi(false)
            .with_max_level(tracing::Level::ERROR)
            .try_init();
        std::sync::Mutex::new(Vec::new())
    })
}

fn logged_failures(request_id: &str) -> Vec<String> {
    let log = String::from_utf8_lossy(&captured_log().lock().unwrap()).to_string();
    let needle = format!("request_id={request_id} ");
    log.lines().filter(|l| l.contains("request failed") && l.contains(&needle)).map(str::to_string).collect()
}

/// Makes every read of listings fail with a database error (on both backends), the honest way to
/// meet an internal error from outside.
async fn break_listings(app: &TestApp) {
    sqlx::query("ALTER TABLE listings RENAME TO listings_gone").execute(app.state.db.read()).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_internal_error_answers_500_with_the_request_id_and_logs_the_cause_once() {
    captured_log();
    let app = TestApp::spawn().await;
    break_listings(&app).await;
    let res = reqwest::Client::new()
        .post(app.url("/api/storefront_home"))
        .header("x-request-id", "proxy-id-0001")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(res.headers()["x-request-id"], "proxy-id-0001", "a sane inbound id is kept");
    let body = res.text().await.unwrap();
    assert_eq!(body, r#"{"Internal":{"reference":"proxy-id-0001"}}"#, "the reference and nothing else");
    let lines = logged_failures("proxy-id-0001");
    assert_eq!(lines.len(), 1, "logged once: {lines:?}");
    let line = &lines[0];
    for part in ["POST", "/api/storefront_home", "status=500", "database:", ".rs:"] {
        assert!(line.contains(part), "{part} missing from the log line: {line}");
    }
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_meeting_an_internal_error_shows_the_reference_and_no_sql() {
    captured_log();
    let app = TestApp::spawn().await;
    break_listings(&app).await;
    let res = reqwest::Client::new().get(app.url("/")).header("x-request-id", "bad id <script>").send().await.unwrap();
    let id = res.headers()["x-request-id"].to_str().unwrap().to_string();
    assert_ne!(id, "bad id <script>", "an unsafe inbound id is replaced");
    assert_eq!(id.len(), 16, "{id}");
    let body = res.text().await.unwrap();
    assert!(body.contains(&format!("Reference: {id}")), "the page shows the reference: {body}");
    for leak in ["no such table", "does not exist", "SELECT", "listings_gone", "database:"] {
        assert!(!body.contains(leak), "the page leaks {leak:?}");
    }
    assert_eq!(logged_failures(&id).len(), 1, "logged once");
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_response_carries_a_request_id() {
    let app = TestApp::spawn().await;
    let res = reqwest::Client::new().get(app.url("/healthz")).send().await.unwrap();
    let id = res.headers()["x-request-id"].to_str().unwrap();
    assert_eq!(id.len(), 16, "{id}");
    app.finish().await;
}
