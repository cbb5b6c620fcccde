//! Sign-in throttling: repeated failures slow down progressively, per account and per IP, without ever
//! locking the real owner out for good.

use crate::helpers::{field_error, Reply, TestApp, PASSWORD};
use agora_app::domain::throttle::{FREE_FAILURES, LOCK_MS, MAX_WAIT_S};
use reqwest::StatusCode;

const WRONG: &str = "definitely not it";

fn retry_after_s(r: &Reply) -> i64 {
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "expected a wait: {}", r.text);
    r.body["RateLimited"]["retry_after_s"].as_i64().unwrap_or_else(|| panic!("no retry_after_s in {}", r.text))
}

/// A wrong guess; when the account is locked (the tenth failure within 15 minutes), the lock is
/// waited out and the guess made again. These tests are about the waits; the lock is `identity.rs`'s.
async fn past_the_lock(app: &TestApp, email: &str, locks: &mut u32) -> Reply {
    let r = app.sign_in_as(None, email, WRONG).await;
    if r.status != StatusCode::FORBIDDEN {
        return r;
    }
    assert_eq!(r.body["SignInBlocked"]["code"], "auth.locked", "{}", r.text);
    *locks += 1;
    app.advance(LOCK_MS);
    app.sign_in_as(None, email, WRONG).await
}

fn is_bad_credentials(r: &Reply) -> bool {
    r.status == StatusCode::BAD_REQUEST
        && field_error(&r.body) == Some(("password".into(), "auth.bad_credentials".into()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_five_failures_even_the_right_password_waits_and_then_works() {
    let app = TestApp::spawn().await;
    let (user_id, _) = app.sign_up_token("ann@example.com", "Ann", PASSWORD).await;
    for i in 0..FREE_FAILURES {
        let r = app.sign_in_as(None, "ann@example.com", WRONG).await;
        assert!(is_bad_credentials(&r), "failure {i}: {} {}", r.status, r.text);
    }
    let sixth = app.sign_in_as(None, "ann@example.com", WRONG).await;
    let wait = retry_after_s(&sixth);
    assert!((1..=MAX_WAIT_S).contains(&wait), "{wait}");

    let owner = app.sign_in_as(None, "ANN@example.com", PASSWORD).await;
    assert_eq!(retry_after_s(&owner), wait, "the right password is refused while waiting, with the same wait");
    assert_eq!(owner.cookie(app.session_cookie()), None);

    app.advance(wait * 1000);
    let owner = app.sign_in_as(None, "ann@example.com", PASSWORD).await;
    assert_eq!(owner.status, StatusCode::OK, "the owner is let in once the wait has passed: {}", owner.text);
    assert_eq!(owner.body["user_id"].as_i64(), Some(user_id));
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_further_failure_doubles_the_wait_up_to_fifteen_minutes() {
    let app = TestApp::spawn().await;
    app.sign_up_token("bob@example.com", "Bob", PASSWORD).await;
    for _ in 0..FREE_FAILURES {
        assert!(is_bad_credentials(&app.sign_in_as(None, "bob@example.com", WRONG).await));
    }
    let (mut waits, mut locks) = (vec![], 0);
    for _ in 0..14 {
        let wait = retry_after_s(&app.sign_in_as(None, "bob@example.com", WRONG).await);
        waits.push(wait);
        if wait >= 60 {
            // Half-way through a long wait is still too early (and does not count as a failure)...
            app.advance(wait * 500);
            let early = app.sign_in_as(None, "bob@example.com", WRONG).await;
            assert_eq!(retry_after_s(&early), wait / 2, "{}", early.text);
            app.advance(wait * 500);
        } else {
            app.advance(wait * 1000);
        }
        // ...and once it is over, another guess is checked (and fails), or finds the account locked
        // by the tenth failure within 15 minutes: that ends by itself.
        let guess = past_the_lock(&app, "bob@example.com", &mut locks).await;
        assert!(is_bad_credentials(&guess), "{} {}", guess.status, guess.text);
    }
    // The try that found the account locked counted too (64 s skipped); ten more failures within
    // 15 minutes never came again to lock it a second time.
    assert_eq!(waits, [1, 2, 4, 8, 16, 32, 128, 256, 512, 900, 900, 900, 900, 900]);
    assert_eq!(locks, 1);
    assert!(waits.iter().all(|w| *w <= MAX_WAIT_S));

    // Even after all that, the owner gets in once the (capped) wait is over.
    let wait = retry_after_s(&app.sign_in_as(None, "bob@example.com", PASSWORD).await);
    assert_eq!(wait, MAX_WAIT_S);
    app.advance(MAX_WAIT_S * 1000);
    let owner = app.sign_in_as(None, "bob@example.com", PASSWORD).await;
    assert_eq!(owner.status, StatusCode::OK, "{}", owner.text);
    // A success starts the account's count afresh.
    for _ in 0..FREE_FAILURES - 1 {
        let r = app.sign_in_as(None, "bob@example.com", WRONG).await;
        assert!(is_bad_credentials(&r) || r.status == StatusCode::TOO_MANY_REQUESTS, "{}", r.text);
    }
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guesses_against_many_accounts_from_one_ip_slow_that_ip_down() {
    let app = TestApp::spawn().await;
    app.sign_up_token("target@example.com", "Target", PASSWORD).await;
    for i in 0..FREE_FAILURES {
        let r = app.sign_in_as(None, &format!("victim{i}@example.com"), WRONG).await;
        assert!(is_bad_credentials(&r), "{} {}", r.status, r.text);
    }
    // A fresh account, never tried before, is still refused: the IP has used up its free failures.
    let r = app.sign_in_as(None, "target@example.com", PASSWORD).await;
    let wait = retry_after_s(&r);
    app.advance(wait * 1000);
    assert_eq!(app.sign_in_as(None, "target@example.com", PASSWORD).await.status, StatusCode::OK);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_guesses_cannot_all_slip_past_the_throttle() {
    let app = std::sync::Arc::new(TestApp::spawn().await);
    app.sign_up_token("cat@example.com", "Cat", PASSWORD).await;
    // Build up a long wait first (failure 12 waits 128 s), through the real endpoint.
    for _ in 0..FREE_FAILURES {
        assert!(is_bad_credentials(&app.sign_in_as(None, "cat@example.com", WRONG).await));
    }
    let mut locks = 0;
    for _ in 0..6 {
        let wait = retry_after_s(&app.sign_in_as(None, "cat@example.com", WRONG).await);
        app.advance(wait * 1000);
        assert!(is_bad_credentials(&past_the_lock(&app, "cat@example.com", &mut locks).await));
    }
    assert_eq!(locks, 1);
    let wait = retry_after_s(&app.sign_in_as(None, "cat@example.com", WRONG).await);
    assert_eq!(wait, 128);
    app.advance(wait * 1000);

    // The wait is over: one guess may be checked. Twenty at once must not all be.
    let mut tasks = vec![];
    for _ in 0..20 {
        let app = app.clone();
        tasks.push(tokio::spawn(async move { app.sign_in_as(None, "cat@example.com", WRONG).await }));
    }
    let (mut checked, mut refused) = (0, 0);
    for t in tasks {
        let r = t.await.unwrap();
        if is_bad_credentials(&r) {
            checked += 1;
        } else {
            retry_after_s(&r);
            refused += 1;
        }
    }
    assert_eq!((checked, refused), (1, 19), "parallel guesses were all checked against the password");
    std::sync::Arc::into_inner(app).expect("every task finished").finish().await;
}
