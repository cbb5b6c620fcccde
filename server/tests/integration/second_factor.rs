//! The second factor (issue 14): enrolling an authenticator app, signing in with its codes or a
//! recovery code, protected actions asking for a code, turning it off, operators who must enrol, and
//! the bad input: a code used twice, a clock off by more than a step, forged challenges, guessing.
//! Codes are computed here from the key the server showed, as the user's app would.

use crate::helpers::{field_error, Persona, Reply, TestApp, PASSWORD};
use agora_app::domain::permissions::OperatorRole;
use agora_app::domain::totp::{self, Secret};
use reqwest::StatusCode;
use serde_json::Value;

const STEP_MS: i64 = totp::STEP_SECONDS * 1000;
const CHALLENGE: &str = "agora_second_factor";

/// The code the app shows now (`offset` steps away).
fn code_at(app: &TestApp, secret: &Secret, offset: i64) -> String {
    totp::code_of(secret, totp::step_at(app.state.now_ms()) + offset, totp::DIGITS)
}

/// A six-digit code that is none of the accepted ones now.
fn wrong_code(app: &TestApp, secret: &Secret) -> String {
    let accepted: Vec<String> = (-1..=1).map(|o| code_at(app, secret, o)).collect();
    (0..).map(|n| format!("{:06}", n * 7919 % 1_000_000)).find(|c| !accepted.contains(c)).unwrap()
}

/// `who` starts and confirms an enrolment; returns the key and the recovery codes.
async fn enrol(app: &TestApp, who: &Persona) -> (Secret, Vec<String>) {
    let (status, enrolment) = app.call(who, "start_second_factor", &[]).await;
    assert_eq!(status, StatusCode::OK, "{enrolment}");
    let secret = Secret::from_base32(enrolment["key"].as_str().unwrap()).expect("the key is base32");
    assert!(enrolment["qr_svg"].as_str().unwrap().contains("<svg"));
    assert!(enrolment["uri"].as_str().unwrap().starts_with("otpauth://totp/Agora:"));
    let (status, codes) = app.call(who, "confirm_second_factor", &[("code", &code_at(app, &secret, 0))]).await;
    assert_eq!(status, StatusCode::OK, "{codes}");
    let codes: Vec<String> = serde_json::from_value(codes).unwrap();
    (secret, codes)
}

/// The password step (after any wait the throttle asks for); returns the challenge cookie it set
/// (and asserts no session started).
async fn password_step(app: &TestApp, email: &str) -> String {
    let mut r = app.sign_in_as(None, email, PASSWORD).await;
    while r.status == StatusCode::TOO_MANY_REQUESTS {
        app.advance(r.body["RateLimited"]["retry_after_s"].as_i64().unwrap() * 1000);
        r = app.sign_in_as(None, email, PASSWORD).await;
    }
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body, Value::Null, "the answer says: second factor next");
    assert!(r.cookie(app.session_cookie()).is_none(), "no session before the code");
    let line = r.cookie_line(CHALLENGE).expect("the challenge cookie").to_string();
    assert!(line.contains("HttpOnly") && line.contains("Max-Age=300"), "{line}");
    r.cookie(CHALLENGE).unwrap()
}

async fn code_step(app: &TestApp, challenge: &str, code: &str) -> Reply {
    let req = reqwest::Client::new()
        .post(app.url("/api/sign_in_second_factor"))
        .header(reqwest::header::COOKIE, format!("{CHALLENGE}={challenge}"))
        .form(&[("code", code)]);
    app.send(req).await
}

fn refused_as(r: &Reply, code: &str) {
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert_eq!(field_error(&r.body), Some(("code".to_string(), code.to_string())), "{}", r.text);
}

async fn mails(app: &TestApp, event: &str, user_id: i64) -> Vec<Value> {
    let rows: Vec<String> = sqlx::query_scalar(
        "SELECT payload_json FROM outbox WHERE channel = 'email' AND event_type = $1 AND recipient_user_id = $2 ORDER BY id",
    )
    .bind(event)
    .bind(user_id)
    .fetch_all(app.state.db.read())
    .await
    .unwrap();
    rows.iter().map(|p| serde_json::from_str(p).unwrap()).collect()
}

async fn audits(app: &TestApp, action: &str, user_id: i64) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = $1 AND target_id = $2")
        .bind(action)
        .bind(user_id.to_string())
        .fetch_one(app.state.db.read())
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_enrols_and_signs_in_with_a_code_that_works_once_and_only_near_now() {
    let app = TestApp::spawn().await;
    let ann = app.sign_up("ann@example.com", "Ann", PASSWORD).await;
    let id = ann.user_id.unwrap();

    // A wrong first code turns nothing on.
    let (_, enrolment) = app.call(&ann, "start_second_factor", &[]).await;
    let secret = Secret::from_base32(enrolment["key"].as_str().unwrap()).unwrap();
    let (status, body) = app.call(&ann, "confirm_second_factor", &[("code", &wrong_code(&app, &secret))]).await;
    assert_eq!((status, field_error(&body)), (StatusCode::BAD_REQUEST, Some(("code".into(), "totp.wrong".into()))));
    let (_, body) = app.call(&ann, "confirm_second_factor", &[("code", "<b>12</b>")]).await;
    assert_eq!(field_error(&body), Some(("code".into(), "totp.malformed".into())));
    assert_eq!(app.count("SELECT COUNT(*) FROM user_second_factors WHERE enabled_at IS NOT NULL").await, 0);
    let r = app.sign_in_as(None, "ann@example.com", PASSWORD).await;
    assert!(r.cookie(app.session_cookie()).is_some(), "still signs in with the password alone");

    let (secret, codes) = enrol(&app, &ann).await;
    assert_eq!(codes.len(), 10);
    assert_eq!(audits(&app, "account.second_factor_enable", id).await, 1);
    assert_eq!(mails(&app, "account.second_factor_enabled", id).await.len(), 1);
    let (_, status) = app.call(&ann, "second_factor_status", &[]).await;
    assert_eq!(status, serde_json::json!({"enabled": true, "recovery_codes_left": 10}));
    let (status, body) = app.call(&ann, "start_second_factor", &[]).await;
    assert_eq!((status, body["Conflict"]["code"].as_str()), (StatusCode::CONFLICT, Some("totp.already_enabled")));

    // The code that turned it on is spent: the same step's code cannot sign in.
    let challenge = password_step(&app, "ann@example.com").await;
    refused_as(&code_step(&app, &challenge, &code_at(&app, &secret, 0)).await, "totp.reused");
    // A phone clock two steps off is refused; one step off is fine.
    app.advance(STEP_MS);
    refused_as(&code_step(&app, &challenge, &code_at(&app, &secret, 2)).await, "totp.wrong");
    refused_as(&code_step(&app, &challenge, &code_at(&app, &secret, -2)).await, "totp.wrong");
    let r = code_step(&app, &challenge, &code_at(&app, &secret, 1)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["user_id"].as_i64(), Some(id));
    assert!(r.cookie(app.session_cookie()).is_some_and(|t| !t.is_empty()), "the session starts now");
    assert_eq!(r.cookie(CHALLENGE).as_deref(), Some(""), "the challenge cookie is cleared");
    // The challenge is spent too.
    refused_as(&code_step(&app, &challenge, &code_at(&app, &secret, 0)).await, "totp.challenge_gone");

    // The code just used (step +1) is dead, and so is the older one of now; a later one works.
    let challenge = password_step(&app, "ann@example.com").await;
    refused_as(&code_step(&app, &challenge, &code_at(&app, &secret, 1)).await, "totp.reused");
    refused_as(&code_step(&app, &challenge, &code_at(&app, &secret, 0)).await, "totp.reused");
    app.advance(2 * STEP_MS);
    assert_eq!(code_step(&app, &challenge, &code_at(&app, &secret, 0)).await.status, StatusCode::OK);

    // A forged or missing challenge starts nothing.
    let forged = "A".repeat(43);
    refused_as(&code_step(&app, &forged, &code_at(&app, &secret, 0)).await, "totp.challenge_gone");
    let r = app.post_as(None, "sign_in_second_factor", &[("code", "123456")]).await;
    refused_as(&r, "totp.challenge_gone");

    // A recovery code signs in once, whatever its case, and the owner is told how many are left.
    app.advance(STEP_MS);
    let challenge = password_step(&app, "ann@example.com").await;
    let r = code_step(&app, &challenge, &codes[3].to_uppercase()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let told = mails(&app, "account.recovery_code_used", id).await;
    assert_eq!(told.len(), 1);
    assert_eq!(told[0]["left"], 9);
    let challenge = password_step(&app, "ann@example.com").await;
    refused_as(&code_step(&app, &challenge, &codes[3]).await, "totp.wrong");
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guessing_codes_with_the_right_password_locks_the_account_and_mails_the_owner() {
    let app = TestApp::spawn().await;
    let bo = app.sign_up("bo@example.com", "Bo", PASSWORD).await;
    let id = bo.user_id.unwrap();
    let (secret, _) = enrol(&app, &bo).await;
    let mut guesses = 0;
    let mut challenge = password_step(&app, "bo@example.com").await;
    let mut on_challenge = 0;
    // Ten wrong codes within fifteen minutes lock the account, whatever the challenges: a new
    // password step does not start the count again.
    while guesses < 10 {
        if on_challenge == 5 {
            // The fifth wrong code killed this challenge.
            refused_as(&code_step(&app, &challenge, &wrong_code(&app, &secret)).await, "totp.challenge_gone");
            challenge = password_step(&app, "bo@example.com").await;
            on_challenge = 0;
        }
        let r = code_step(&app, &challenge, &wrong_code(&app, &secret)).await;
        if r.status == StatusCode::TOO_MANY_REQUESTS {
            app.advance(r.body["RateLimited"]["retry_after_s"].as_i64().unwrap() * 1000);
            continue;
        }
        refused_as(&r, "totp.wrong");
        guesses += 1;
        on_challenge += 1;
    }
    let mut r = app.sign_in_as(None, "bo@example.com", PASSWORD).await;
    while r.status == StatusCode::TOO_MANY_REQUESTS {
        // The IP's wait comes first; the lock lasts fifteen minutes, longer than these waits.
        app.advance(r.body["RateLimited"]["retry_after_s"].as_i64().unwrap() * 1000);
        r = app.sign_in_as(None, "bo@example.com", PASSWORD).await;
    }
    assert_eq!(r.body["SignInBlocked"]["code"], "auth.locked", "{}", r.text);
    assert_eq!(mails(&app, "account.locked", id).await.len(), 1, "the owner gets the unlock link");
    assert!(audits(&app, "auth.sign_in_refused", id).await >= 10, "each wrong code is on record");
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_protected_action_asks_the_enrolled_operator_for_a_fresh_code() {
    let app = TestApp::spawn().await;
    let admin = app.persona("admin", &[OperatorRole::Admin]).await;
    let target = app.sign_up("cy@example.com", "Cy", PASSWORD).await.user_id.unwrap().to_string();
    let (secret, codes) = enrol(&app, &admin).await;
    app.advance(STEP_MS);
    fn form<'a>(target: &'a str, code: Option<&'a str>) -> Vec<(&'static str, &'a str)> {
        let mut f = vec![("id", target), ("reason", "the owner asked on the phone"), ("password", PASSWORD)];
        f.extend(code.map(|c| ("code", c)));
        f
    }
    let ended = || app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'users.end_sessions'");
    for (code, problem) in [(None, "totp.required"), (Some(""), "totp.required"), (Some("12345"), "totp.malformed")] {
        let (status, body) = app.call(&admin, "end_user_sessions", &form(&target, code)).await;
        assert_eq!((status, field_error(&body)), (StatusCode::BAD_REQUEST, Some(("code".into(), problem.into()))));
    }
    let wrong = wrong_code(&app, &secret);
    let (_, body) = app.call(&admin, "end_user_sessions", &form(&target, Some(&wrong))).await;
    assert_eq!(field_error(&body), Some(("code".into(), "totp.wrong".into())));
    assert_eq!(ended().await, 0);
    let refusals = audits(&app, "protected.refused", admin.user_id.unwrap()).await;
    assert_eq!(refusals, 2, "the malformed and the wrong code are on record (a missing one is a form error)");

    let code = code_at(&app, &secret, 0);
    let (status, body) = app.call(&admin, "end_user_sessions", &form(&target, Some(&code))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // The same code cannot confirm a second action.
    let (_, body) = app.call(&admin, "end_user_sessions", &form(&target, Some(&code))).await;
    assert_eq!(field_error(&body), Some(("code".into(), "totp.reused".into())));
    // A recovery code stands in for a lost phone (Cy has signed in again: there are sessions to end).
    assert_eq!(app.sign_in_as(None, "cy@example.com", PASSWORD).await.status, StatusCode::OK);
    let (status, _) = app.call(&admin, "end_user_sessions", &form(&target, Some(&codes[0]))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(ended().await, 2);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn turning_it_off_needs_the_password_and_a_code_and_mails_the_owner() {
    let app = TestApp::spawn().await;
    let di = app.sign_up("di@example.com", "Di", PASSWORD).await;
    let id = di.user_id.unwrap();
    let (secret, codes) = enrol(&app, &di).await;
    app.advance(STEP_MS);
    let (_, body) = app
        .call(&di, "disable_second_factor", &[("password", "not it at all"), ("code", &code_at(&app, &secret, 0))])
        .await;
    assert_eq!(field_error(&body), Some(("password".into(), "password.wrong".into())));
    let (_, body) =
        app.call(&di, "disable_second_factor", &[("password", PASSWORD), ("code", &wrong_code(&app, &secret))]).await;
    assert_eq!(field_error(&body), Some(("code".into(), "totp.wrong".into())));
    assert_eq!(app.count("SELECT COUNT(*) FROM user_second_factors").await, 1, "still on");

    // New recovery codes replace the old ones.
    let (status, renewed) =
        app.call(&di, "renew_recovery_codes", &[("password", PASSWORD), ("code", &code_at(&app, &secret, 0))]).await;
    assert_eq!(status, StatusCode::OK, "{renewed}");
    let renewed: Vec<String> = serde_json::from_value(renewed).unwrap();
    assert_eq!(renewed.len(), 10);
    assert!(renewed.iter().all(|c| !codes.contains(c)));
    let (_, body) = app.call(&di, "disable_second_factor", &[("password", PASSWORD), ("code", &codes[0])]).await;
    assert_eq!(field_error(&body), Some(("code".into(), "totp.wrong".into())), "an old recovery code is dead");

    let (status, body) = app.call(&di, "disable_second_factor", &[("password", PASSWORD), ("code", &renewed[0])]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(app.count("SELECT COUNT(*) FROM user_second_factors").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM user_recovery_codes").await, 0);
    assert_eq!(audits(&app, "account.second_factor_disable", id).await, 1);
    assert_eq!(mails(&app, "account.second_factor_disabled", id).await.len(), 1);
    let r = app.sign_in_as(None, "di@example.com", PASSWORD).await;
    assert!(r.cookie(app.session_cookie()).is_some(), "the password alone signs in again");
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn where_required_an_operator_must_enrol_before_the_console_answers() {
    let app = TestApp::spawn_with(&[("AGORA_OPERATOR_SECOND_FACTOR", "required")]).await;
    let admin = app.persona("admin", &[OperatorRole::Admin]).await;
    let buyer = app.persona("buyer", &[]).await;
    let (status, body) = app.call(&admin, "list_users", &[]).await;
    assert_eq!(
        (status, body["Conflict"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("auth.second_factor_required"))
    );
    assert_eq!(audits(&app, "access.refused", admin.user_id.unwrap()).await, 1);
    let (_, me) = app.call(&admin, "whoami", &[]).await;
    assert_eq!(me["must_enrol_second_factor"], true);
    // The console's pages send them to the account page's enrolment.
    let page = admin.client.get(app.url("/console/users")).send().await.unwrap();
    assert_eq!(page.url().path(), "/account", "redirected from the console");
    // What every signed-in user may do still works, enrolment first of all; buyers are not asked.
    assert_eq!(app.call(&admin, "second_factor_status", &[]).await.0, StatusCode::OK);
    let (_, me) = app.call(&buyer, "whoami", &[]).await;
    assert_eq!(me["must_enrol_second_factor"], false);

    enrol(&app, &admin).await;
    let (status, body) = app.call(&admin, "list_users", &[]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let page = admin.client.get(app.url("/console/users")).send().await.unwrap();
    assert_eq!(page.url().path(), "/console/users");
    let (_, me) = app.call(&admin, "whoami", &[]).await;
    assert_eq!(
        (me["must_enrol_second_factor"].clone(), me["second_factor"].clone()),
        (Value::Bool(false), Value::Bool(true))
    );
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mailed_sign_in_code_also_leads_to_the_second_step() {
    let app = TestApp::spawn().await;
    let ed = app.sign_up("ed@example.com", "Ed", PASSWORD).await;
    let (secret, _) = enrol(&app, &ed).await;
    let r = app.post_as(None, "request_sign_in_code", &[("email", "ed@example.com")]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let mailed = mails(&app, "account.sign_in_code", ed.user_id.unwrap()).await;
    let code = mailed.last().unwrap()["secret_code"].as_str().unwrap().to_string();
    let r = app.post_as(None, "sign_in_with_code", &[("email", "ed@example.com"), ("code", &code)]).await;
    assert_eq!((r.status, r.body.clone()), (StatusCode::OK, Value::Null), "{}", r.text);
    assert!(r.cookie(app.session_cookie()).is_none(), "the mailed code alone opens nothing");
    let challenge = r.cookie(CHALLENGE).expect("the challenge cookie");
    app.advance(STEP_MS);
    let r = code_step(&app, &challenge, &code_at(&app, &secret, 0)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(r.cookie(app.session_cookie()).is_some());
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_operator_removes_the_second_factor_of_a_user_who_lost_the_phone_and_the_codes() {
    let app = TestApp::spawn().await;
    let admin = app.persona("admin", &[OperatorRole::Admin]).await;
    let boss = app.persona("boss", &[OperatorRole::SuperAdmin]).await;
    let fay = app.sign_up("fay@example.com", "Fay", PASSWORD).await;
    let fay_id = fay.user_id.unwrap().to_string();
    async fn remove(app: &TestApp, who: &Persona, id: i64) -> (StatusCode, Value) {
        let id = id.to_string();
        let form =
            [("id", id.as_str()), ("reason", "lost phone, identity checked by video call"), ("password", PASSWORD)];
        app.call(who, "remove_user_second_factor", &form).await
    }
    let fay_no = fay.user_id.unwrap();
    // Nothing to remove yet.
    let (status, body) = remove(&app, &admin, fay_no).await;
    assert_eq!((status, body["Conflict"]["code"].as_str()), (StatusCode::CONFLICT, Some("totp.not_enabled_for_user")));
    enrol(&app, &fay).await;
    let (_, detail) = app.call(&admin, "get_user", &[("id", &fay_id)]).await;
    assert_eq!(detail["second_factor"], true);
    // Not one's own, and not a super admin's by a lesser role.
    let (status, body) = remove(&app, &admin, admin.user_id.unwrap()).await;
    assert_eq!((status, body["Conflict"]["code"].as_str()), (StatusCode::CONFLICT, Some("totp.not_for_self")));
    enrol(&app, &boss).await;
    let (status, _) = remove(&app, &admin, boss.user_id.unwrap()).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let (status, body) = remove(&app, &admin, fay_no).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, detail) = app.call(&admin, "get_user", &[("id", &fay_id)]).await;
    assert_eq!(detail["second_factor"], false);
    assert_eq!(audits(&app, "users.remove_second_factor", fay.user_id.unwrap()).await, 1);
    assert_eq!(mails(&app, "account.second_factor_disabled", fay.user_id.unwrap()).await.len(), 1);
    let r = app.sign_in_as(None, "fay@example.com", PASSWORD).await;
    assert!(r.cookie(app.session_cookie()).is_some(), "the password alone signs in");
    app.finish().await;
}
