//! The template editor: the list and its coverage, a save refused for a bad variable and accepted for a
//! good one (a new version, audited, used by the next mail), preview with sample values, restoring an
//! older version, and a test mail in the template's own language to the operator.

use crate::helpers::{Persona, TestApp};
use crate::mail::MailServer;
use agora_app::domain::permissions::OperatorRole;
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn template_id(app: &TestApp, admin: &Persona, event: &str, locale: &str) -> i64 {
    let (s, page) = app.call(admin, "list_templates", &[("event", event)]).await;
    assert_eq!(s, StatusCode::OK, "{page}");
    let row =
        page["rows"].as_array().unwrap().iter().find(|r| r["event_type"] == event && r["locale"] == locale).cloned();
    row.unwrap_or_else(|| panic!("no {event} {locale} template in {page}"))["id"].as_i64().unwrap()
}

fn form<'a>(id: &'a str, subject: &'a str, text: &'a str, html: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![("id", id), ("subject", subject), ("body_text", text), ("body_html", html), ("enabled", "on")]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_operator_edits_a_zh_template_refused_then_saved_and_the_next_mail_uses_it() {
    let mail = MailServer::start().await;
    let app = mail.app().await;
    let admin = app.persona("admin", &[OperatorRole::Admin]).await;
    let (s, missing) = app.call(&admin, "missing_templates", &[]).await;
    assert_eq!((s, missing), (StatusCode::OK, json!([])), "every event has its templates after start-up");
    let (_, first) = app.call(&admin, "list_templates", &[]).await;
    assert_eq!(first["rows"].as_array().unwrap().len(), 50, "a page of 50");
    assert!(first["next"].is_string(), "more on the next page");

    let id = template_id(&app, &admin, "payments.approved", "zh").await;
    let sid = id.to_string();
    let (_, before) = app.call(&admin, "get_template", &[("id", &sid)]).await;
    assert_eq!(before["row"]["version"], 1);
    let names: Vec<&str> =
        before["variables"].as_array().unwrap().iter().map(|v| v["name"].as_str().unwrap()).collect();
    assert!(names.contains(&"reference"), "{names:?}");

    // An unknown variable is refused next to its field; nothing changes.
    let (s, body) = app
        .call(&admin, "save_template", &form(&sid, "付款 {{reference}}", "{{nope}}", "<p>{{reference}} {{amount}}</p>"))
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{body}");
    assert!(body.to_string().contains("body_text"), "{body}");
    let (s, body) =
        app.call(&admin, "preview_template", &form(&sid, "x", "y", "<p><script>alert(1)</script></p>")).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{body}");
    let (_, same) = app.call(&admin, "get_template", &[("id", &sid)]).await;
    assert_eq!(same["row"]["version"], 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'templates.save'").await, 0);

    // Preview fills the sample values; a good save is version 2, audited.
    let (subject, text, html) = (
        "付款已确认：{{reference}}",
        "付款 {{reference}} 已确认：{{amount}}。",
        "<p>付款 <b>{{reference}}</b> 已确认：{{amount}}</p>",
    );
    let (s, preview) = app.call(&admin, "preview_template", &form(&sid, subject, text, html)).await;
    assert_eq!(s, StatusCode::OK, "{preview}");
    assert!(!preview["subject"].as_str().unwrap().contains("{{"), "{preview}");
    let (s, version) = app.call(&admin, "save_template", &form(&sid, subject, text, html)).await;
    assert_eq!((s, version), (StatusCode::OK, json!(2)));
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'templates.save'").await, 1);

    // A test to the operator, in the template's language (the operator reads English).
    let (s, _) = app.call(&admin, "send_template_test", &[("id", &sid)]).await;
    assert_eq!(s, StatusCode::OK);
    app.drain_outbox().await;
    let to_admin = mail.to(&admin_email(&app, &admin).await);
    assert_eq!(to_admin.len(), 1, "{to_admin:?}");
    assert!(to_admin[0]["subject"].as_str().unwrap().starts_with("付款已确认："), "{}", to_admin[0]["subject"]);

    // Restoring version 1 saves it again as version 3.
    let (s, v) = app.call(&admin, "restore_template", &[("id", &sid), ("version", "1")]).await;
    assert_eq!((s, v), (StatusCode::OK, json!(3)));
    let (_, after) = app.call(&admin, "get_template", &[("id", &sid)]).await;
    assert_eq!(after["subject"], before["subject"]);
    assert_eq!(after["versions"].as_array().unwrap().len(), 3);
    app.finish().await;
}

async fn admin_email(app: &TestApp, who: &Persona) -> String {
    sqlx::query_scalar::<_, String>("SELECT email FROM users WHERE id = $1")
        .bind(who.user_id.unwrap())
        .fetch_one(app.state.db.read())
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_template_is_not_found_and_a_long_filter_is_refused() {
    let app = TestApp::spawn().await;
    let admin = app.persona("admin", &[OperatorRole::Admin]).await;
    let (s, _) = app.call(&admin, "get_template", &[("id", "1")]).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let long = "x".repeat(101);
    let (s, body): (StatusCode, Value) = app.call(&admin, "list_templates", &[("event", &long)]).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{body}");
    app.finish().await;
}
