//! The users directory's second part (issue 14): last sign-in and sign-in count, tags and the internal
//! note edited as a protected, audited group, the profile group, and the filters by type, tag and
//! sign-up date.

use crate::helpers::{field_error, Persona, TestApp, PASSWORD};
use agora_app::domain::permissions::OperatorRole;
use reqwest::StatusCode;
use serde_json::Value;

const DAY: i64 = 86_400_000;
const REASON: &str = "sorting our wholesale customers";

async fn emails(app: &TestApp, who: &Persona, form: &[(&str, &str)]) -> Vec<String> {
    let (status, body) = app.call(who, "list_users", form).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["rows"].as_array().unwrap().iter().map(|r| r["email"].as_str().unwrap().to_string()).collect()
}

async fn detail(app: &TestApp, who: &Persona, id: i64) -> Value {
    let (status, body) = app.call(who, "get_user", &[("id", &id.to_string())]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

async fn edit_record(app: &TestApp, who: &Persona, id: i64, tags: &str, note: &str) -> (StatusCode, Value) {
    let id = id.to_string();
    let form = [("id", id.as_str()), ("tags", tags), ("note", note), ("reason", REASON), ("password", PASSWORD)];
    app.call(who, "edit_user_record", &form).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tags_and_the_note_are_a_protected_audited_edit_and_filter_the_directory() {
    let app = TestApp::spawn().await;
    let admin = app.persona("admin", &[OperatorRole::Admin]).await;
    let support = app.persona("support", &[OperatorRole::Support]).await;
    let buyer = app.persona("buyer", &[]).await;
    let other = app.persona("other", &[]).await;
    let id = buyer.user_id.unwrap();

    // Bad tags or a note that is too long are refused next to their field and change nothing.
    for (tags, note, field, code) in [
        ("vip, big spender", "", "tags", "users.tags.invalid"),
        ("a,b,c,d,e,f,g,h,i,j,k", "", "tags", "users.tags.too_many"),
        ("vip", &"x".repeat(2001) as &str, "note", "users.note.too_long"),
    ] {
        let (status, body) = edit_record(&app, &admin, id, tags, note).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(field_error(&body), Some((field.to_string(), code.to_string())));
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM user_tags").await, 0);
    // Support reads the directory but does not edit it.
    assert_eq!(edit_record(&app, &support, id, "vip", "").await.0, StatusCode::FORBIDDEN);

    let (status, body) =
        edit_record(&app, &admin, id, "Wholesale, VIP，风控关注", "Buys by the pallet.\nCall first.").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let user = detail(&app, &support, id).await;
    assert_eq!(user["tags"], serde_json::json!(["vip", "wholesale", "风控关注"]));
    assert_eq!(user["internal_note"], "Buys by the pallet.\nCall first.");
    // The same again changes nothing and is refused, so the audit log holds real changes only.
    let (status, _) =
        edit_record(&app, &admin, id, "vip, wholesale, 风控关注", "Buys by the pallet.\nCall first.").await;
    assert_eq!(status, StatusCode::CONFLICT);
    let audit: Vec<(Option<i64>, String, String)> = sqlx::query_as(
        "SELECT actor_id, before_json, after_json FROM audit_log WHERE action = 'users.edit_record' AND target_id = $1",
    )
    .bind(id.to_string())
    .fetch_all(app.state.db.read())
    .await
    .unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].0, admin.user_id);
    assert!(audit[0].1.contains("\"tags\":[]") && audit[0].2.contains("wholesale"), "{audit:?}");

    // The directory shows the tags and filters by one (any case), alone or with other filters.
    assert_eq!(emails(&app, &support, &[("tag", "WHOLESALE")]).await, vec![buyer.email.clone()]);
    assert!(emails(&app, &support, &[("tag", "wholesale"), ("status", "banned")]).await.is_empty());
    let (_, body) = app.call(&support, "list_users", &[("tag", "vip")]).await;
    assert_eq!(body["rows"][0]["tags"], serde_json::json!(["vip", "wholesale", "风控关注"]));
    assert!(
        !emails(&app, &support, &[]).await.is_empty() && emails(&app, &support, &[("tag", "nobody")]).await.is_empty()
    );
    let (status, body) = app.call(&support, "list_users", &[("tag", "two words")]).await;
    assert_eq!((status, field_error(&body).map(|f| f.0)), (StatusCode::BAD_REQUEST, Some("tag".into())));

    // Clearing both empties the record.
    assert_eq!(edit_record(&app, &admin, id, "", "").await.0, StatusCode::OK);
    assert!(emails(&app, &support, &[("tag", "vip")]).await.is_empty());
    assert!(emails(&app, &support, &[]).await.contains(&other.email));
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_directory_filters_by_type_and_sign_up_date_and_counts_sign_ins() {
    let app = TestApp::spawn().await;
    let support = app.persona("support", &[OperatorRole::Support]).await;
    let early = app.sign_up("early@agora.test", "Early", PASSWORD).await;
    app.advance(3 * DAY);
    let seller = app.sign_up("seller@agora.test", "Seller", PASSWORD).await;
    app.organisation_owned_by(&seller, "Tea House").await;
    let support = crate::helpers::fresh(&app, &support).await;

    // Sign-ups count as the first sign-in; each sign-in after adds one and moves "last sign-in".
    assert_eq!(detail(&app, &support, early.user_id.unwrap()).await["sign_in_count"], 1);
    assert_eq!(app.sign_in_as(None, "early@agora.test", PASSWORD).await.status, StatusCode::OK);
    let user = detail(&app, &support, early.user_id.unwrap()).await;
    assert_eq!(user["sign_in_count"], 2);
    assert!(user["last_sign_in_at_ms"].as_i64().unwrap() >= user["created_at_ms"].as_i64().unwrap() + 3 * DAY);
    assert_eq!(user["email_verified"], false);

    let day = |user: &Value| agora_app::domain::period::format_date(user["created_at_ms"].as_i64().unwrap(), 0);
    let then = day(&user);
    let now = day(&detail(&app, &support, seller.user_id.unwrap()).await);
    let on_then = [("from", then.as_str()), ("to", then.as_str()), ("kind", "buyer")];
    assert_eq!(emails(&app, &support, &on_then).await, vec!["early@agora.test".to_string()]);
    assert_eq!(
        emails(&app, &support, &[("from", &now), ("kind", "seller")]).await,
        vec!["seller@agora.test".to_string()]
    );
    assert_eq!(emails(&app, &support, &[("kind", "buyer")]).await, vec!["early@agora.test".to_string()]);
    let operators = emails(&app, &support, &[("kind", "operator")]).await;
    assert_eq!(operators, vec![support.email.clone()]);
    for (form, field) in [
        (vec![("from", "2026-02-30")], "from"),
        (vec![("from", now.as_str()), ("to", then.as_str())], "to"),
        (vec![("kind", "robot")], "kind"),
    ] {
        let (status, body) = app.call(&support, "list_users", &form).await;
        assert_eq!((status, field_error(&body).map(|f| f.0)), (StatusCode::BAD_REQUEST, Some(field.to_string())));
    }
    app.finish().await;
}

async fn edit_profile(app: &TestApp, who: &Persona, id: i64, name: &str, lang: &str) -> (StatusCode, Value) {
    let id = id.to_string();
    let form =
        [("id", id.as_str()), ("display_name", name), ("lang", lang), ("reason", REASON), ("password", PASSWORD)];
    app.call(who, "edit_user_profile", &form).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_profile_group_changes_the_name_and_the_language_of_the_mails() {
    let app = TestApp::spawn().await;
    let admin = app.persona("admin", &[OperatorRole::Admin]).await;
    let buyer = app.persona("buyer", &[]).await;
    let id = buyer.user_id.unwrap();
    let (status, body) = edit_profile(&app, &admin, id, "", "en").await;
    assert_eq!(field_error(&body), Some(("display_name".into(), "name.empty".into())), "{status}");
    let (status, body) = edit_profile(&app, &admin, id, "Bao", "zh").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let user = detail(&app, &admin, id).await;
    assert_eq!((user["display_name"].as_str(), user["locale"].as_str()), (Some("Bao"), Some("zh")));
    assert_eq!(edit_profile(&app, &admin, id, "Bao", "zh").await.0, StatusCode::CONFLICT);
    let audited = app
        .count(&format!("SELECT COUNT(*) FROM audit_log WHERE action = 'users.edit_profile' AND target_id = '{id}'"))
        .await;
    assert_eq!(audited, 1);
    app.finish().await;
}
