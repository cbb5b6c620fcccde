//! A user's phone number (issue 14): set as the contact group by `users.manage` (protected), one
//! account per number, shown masked in the directory's detail, revealed whole only with
//! `users.reveal` and a reason, each reveal audited; the audit log itself keeps numbers masked.

use crate::helpers::{field_error, TestApp, PASSWORD};
use agora_app::domain::permissions::OperatorRole;
use reqwest::StatusCode;
use serde_json::Value;

fn contact<'a>(id: &'a str, phone: &'a str) -> [(&'a str, &'a str); 4] {
    [("id", id), ("phone", phone), ("reason", "the user gave it on the phone"), ("password", PASSWORD)]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phone_number_is_set_once_per_account_shown_masked_and_revealed_on_record() {
    let app = TestApp::spawn().await;
    let admin = app.persona("admin", &[OperatorRole::Admin]).await;
    let support = app.persona("support", &[OperatorRole::Support]).await;
    let analyst = app.persona("analyst", &[OperatorRole::Analyst]).await;
    let gil = app.sign_up("gil@example.com", "Gil", PASSWORD).await.user_id.unwrap().to_string();
    let hal = app.sign_up("hal@example.com", "Hal", PASSWORD).await.user_id.unwrap().to_string();

    // Bad numbers are refused next to the field and change nothing.
    for bad in ["13800138000", "+86 138<b>0013</b>8000", "+123", &"9".repeat(5000)] {
        let (status, body) = app.call(&admin, "edit_user_contact", &contact(&gil, bad)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(field_error(&body), Some(("phone".into(), "users.phone.format".into())), "{bad:.20}");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM users WHERE phone IS NOT NULL").await, 0);

    let (status, body) = app.call(&admin, "edit_user_contact", &contact(&gil, "+86 138-0013-8000")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = app.call(&admin, "edit_user_contact", &contact(&gil, "+8613800138000")).await;
    assert_eq!((status, body["Conflict"]["code"].as_str()), (StatusCode::CONFLICT, Some("users.edit.unchanged")));
    // The same number on another account is refused.
    let (_, body) = app.call(&admin, "edit_user_contact", &contact(&hal, "+86 13800138000")).await;
    assert_eq!(field_error(&body), Some(("phone".into(), "users.phone.taken".into())));

    // Everyone who may read the user sees it masked; the audit entry is masked too.
    for who in [&admin, &support, &analyst] {
        let (_, detail) = app.call(who, "get_user", &[("id", &gil)]).await;
        assert_eq!(detail["phone_masked"], "+86•••••••8000");
        assert!(!detail.to_string().contains("13800138000"));
    }
    let logged: String = sqlx::query_scalar("SELECT after_json FROM audit_log WHERE action = 'users.edit_contact'")
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    assert!(logged.contains("+86•••••••8000") && !logged.contains("13800138000"), "{logged}");

    // Revealing takes the permission and a reason, and is on record.
    let (status, _) = app.call(&analyst, "reveal_user_phone", &[("id", &gil), ("reason", "curious")]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = app.call(&support, "reveal_user_phone", &[("id", &gil), ("reason", "")]).await;
    assert_eq!((status, field_error(&body).map(|f| f.0)), (StatusCode::BAD_REQUEST, Some("reason".into())));
    let (status, full) =
        app.call(&support, "reveal_user_phone", &[("id", &gil), ("reason", "calling back about order 12")]).await;
    assert_eq!((status, full), (StatusCode::OK, Value::String("+8613800138000".into())));
    let reveals: Vec<(Option<i64>, String)> =
        sqlx::query_as("SELECT actor_id, reason FROM audit_log WHERE action = 'users.reveal_phone' AND target_id = $1")
            .bind(&gil)
            .fetch_all(app.state.db.read())
            .await
            .unwrap();
    assert_eq!(reveals, vec![(support.user_id, "calling back about order 12".to_string())]);
    let (status, body) = app.call(&support, "reveal_user_phone", &[("id", &hal), ("reason", "calling back")]).await;
    assert_eq!((status, body["Conflict"]["code"].as_str()), (StatusCode::CONFLICT, Some("users.phone.none")));

    // An empty number removes it; then it is free for another account.
    let (status, _) = app.call(&admin, "edit_user_contact", &contact(&gil, "")).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = app.call(&admin, "edit_user_contact", &contact(&hal, "+86 138 0013 8000")).await;
    assert_eq!(status, StatusCode::OK);
    let (_, detail) = app.call(&admin, "get_user", &[("id", &gil)]).await;
    assert_eq!(detail["phone_masked"], Value::Null);
    app.finish().await;
}
