//! The email channel against a real SMTP server (end2end/fixtures/mail-server.mjs, started per test on
//! loopback): rendering in the recipient's locale, multipart and unsubscribe headers, suppression after
//! a permanent refusal, retries on the schedule after a temporary one, preferences and the signed
//! unsubscribe link, template validation.

use crate::helpers::{start_fixture, Persona, TestApp};
use agora_app::domain::delivery::Category;
use agora_app::domain::template::EmailTemplate;
use agora_app::error::AppError;
use agora_app::notifications::{template_versions, templates, unsubscribe_token};
use agora_app::platform::change::Change;
use agora_app::platform::outbox::OutboxEvent;
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::path::PathBuf;

/// The test's SMTP server: a node process that stores each message it accepts as a JSON file.
/// Killed when dropped (and it exits by itself when its stdin, our pipe, closes).
pub(crate) struct MailServer {
    _child: tokio::process::Child,
    dir: tempfile::TempDir,
    port: u16,
}

impl MailServer {
    pub(crate) async fn start() -> MailServer {
        let dir = tempfile::tempdir().unwrap();
        let (child, said) = start_fixture("mail-server.mjs", &[&dir.path().display().to_string(), "0"]).await;
        let port = said["port"].as_u64().unwrap() as u16;
        MailServer { _child: child, dir, port }
    }

    /// Every message received so far, in arrival order.
    pub(crate) fn messages(&self) -> Vec<Value> {
        let mut names: Vec<PathBuf> = std::fs::read_dir(self.dir.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        names.sort();
        names.iter().map(|p| serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()).collect()
    }

    pub(crate) fn to(&self, address: &str) -> Vec<Value> {
        self.messages().into_iter().filter(|m| m["to"].as_array().unwrap().iter().any(|t| t == address)).collect()
    }

    /// An app whose mail goes to this server.
    pub(crate) async fn app(&self) -> TestApp {
        let port = self.port.to_string();
        TestApp::spawn_with(&[
            ("AGORA_SMTP_HOST", "127.0.0.1"),
            ("AGORA_SMTP_PORT", port.as_str()),
            ("AGORA_SMTP_SECURITY", "none"),
        ])
        .await
    }
}

async fn set_locale(app: &TestApp, who: &Persona, locale: &str) {
    sqlx::query("UPDATE users SET locale = $1 WHERE id = $2")
        .bind(locale)
        .bind(who.user_id.unwrap())
        .execute(app.state.db.read())
        .await
        .unwrap();
}

/// What the platform's code does for an event: `Change::notify` with the in-app event.
async fn notify(app: &TestApp, user: i64, event: &str, payload: Value) {
    let mut c = Change::unaudited(&app.state, "test: an event").await.unwrap();
    c.notify(OutboxEvent::notify(user, event, payload)).await.unwrap();
    c.commit().await.unwrap();
}

async fn rows(app: &TestApp, user: i64, channel: &str) -> Vec<(String, String)> {
    sqlx::query_as("SELECT event_type, status FROM outbox WHERE recipient_user_id = $1 AND channel = $2 ORDER BY id")
        .bind(user)
        .bind(channel)
        .fetch_all(app.state.db.read())
        .await
        .unwrap()
}

fn header<'a>(m: &'a Value, name: &str) -> Option<&'a str> {
    m["headers"][name].as_str()
}

/// The token of a mail's `List-Unsubscribe: <…/unsubscribe?token=…>`.
fn unsubscribe_token_of(m: &Value) -> String {
    let link = header(m, "list-unsubscribe").expect("a List-Unsubscribe header");
    link.split("token=").nth(1).unwrap().trim_end_matches('>').to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_listing_decision_is_mailed_in_each_sellers_locale_with_one_click_unsubscribe() {
    let mail = MailServer::start().await;
    let app = mail.app().await;
    let ann = app.persona("ann", &[]).await;
    let li = app.persona("li", &[]).await;
    set_locale(&app, &li, "zh").await;
    app.organisation_owned_by(&ann, "Ann's Teas").await;
    app.organisation_owned_by(&li, "李的茶").await;
    app.live_listing(&ann, "Green <tea> & co", 3).await;
    app.live_listing(&li, "西湖龙井绿茶", 3).await;
    app.drain_outbox().await;

    let en = mail.to(&ann.email);
    assert_eq!(en.len(), 1, "{en:?}");
    let m = &en[0];
    assert_eq!(m["subject"], "Your listing “Green <tea> & co” is live");
    let from = &app.state.settings().mail.from_address;
    assert_eq!(m["from"], from.as_str());
    assert!(m["text"].as_str().unwrap().contains("Your listing “Green <tea> & co” was approved and is live."));
    assert!(
        m["html"].as_str().unwrap().contains("“Green &lt;tea&gt; &amp; co”"),
        "values are escaped in HTML: {}",
        m["html"]
    );
    assert!(header(m, "content-type").unwrap().starts_with("multipart/alternative"));
    let outbox_id: i64 = sqlx::query_scalar(
        "SELECT id FROM outbox WHERE channel = 'email' AND recipient_user_id = $1 AND event_type = 'listings.approved'",
    )
    .bind(ann.user_id.unwrap())
    .fetch_one(app.state.db.read())
    .await
    .unwrap();
    let domain = from.split('@').nth(1).unwrap();
    assert_eq!(m["messageId"], format!("<outbox-{outbox_id}@{domain}>"), "stable across retries");
    let link = header(m, "list-unsubscribe").unwrap();
    assert!(link.starts_with(&format!("<{}/unsubscribe?token=", app.base)), "{link}");
    assert_eq!(header(m, "list-unsubscribe-post"), Some("List-Unsubscribe=One-Click"));
    assert!(m["text"].as_str().unwrap().contains("/unsubscribe?token="), "the footer links it too");

    let zh = mail.to(&li.email);
    assert_eq!(zh.len(), 1, "{zh:?}");
    assert_eq!(zh[0]["subject"], "你的商品“西湖龙井绿茶”已上线");
    assert!(zh[0]["text"].as_str().unwrap().contains("已通过审核并上线"));
    assert!(zh[0]["text"].as_str().unwrap().contains("退订"));
    // The in-app notification still arrives beside the mail.
    assert_eq!(
        rows(&app, ann.user_id.unwrap(), "in_app").await,
        vec![("listings.approved".into(), "delivered".into())]
    );
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_transactional_mail_has_no_unsubscribe_link() {
    let mail = MailServer::start().await;
    let app = mail.app().await;
    let bob = app.persona("bob", &[]).await;
    notify(&app, bob.user_id.unwrap(), "payments.approved", json!({"reference": "PAY-1", "amount": "$12.00"})).await;
    app.drain_outbox().await;
    let got = mail.to(&bob.email);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0]["subject"], "Payment PAY-1 confirmed");
    assert_eq!(header(&got[0], "list-unsubscribe"), None);
    assert_eq!(header(&got[0], "list-unsubscribe-post"), None);
    assert!(!got[0]["text"].as_str().unwrap().contains("unsubscribe"));

    // An email enqueued directly (account mail does so) goes out alone, and once sent the secrets in
    // its payload (links with tokens, codes) no longer stay in the outbox.
    let mut c = Change::unaudited(&app.state, "test: a direct email").await.unwrap();
    let payload = json!({"reference": "PAY-2", "amount": "$1.00", "secret_code": "493817"});
    c.notify(OutboxEvent::email(bob.user_id.unwrap(), "payments.approved", payload)).await.unwrap();
    c.commit().await.unwrap();
    app.drain_outbox().await;
    assert_eq!(mail.to(&bob.email).len(), 2);
    let stored: Vec<String> = sqlx::query_scalar("SELECT payload_json FROM outbox WHERE channel = 'email' ORDER BY id")
        .fetch_all(app.state.db.read())
        .await
        .unwrap();
    assert!(stored[1].contains("\"secret_code\":\"(sent)\"") && !stored[1].contains("493817"), "{}", stored[1]);
    assert_eq!(rows(&app, bob.user_id.unwrap(), "in_app").await.len(), 1, "no in-app row for a direct email");
    app.finish().await;
}

/// A user whose address the mail server refuses (`reject5…`, 550) or defers (`reject4…`, 451).
async fn persona_at(app: &TestApp, local: &str) -> i64 {
    let p = app.persona("mailbox", &[]).await;
    let id = p.user_id.unwrap();
    sqlx::query("UPDATE users SET email = $1 WHERE id = $2")
        .bind(format!("{local}-{id}@agora.test"))
        .bind(id)
        .execute(app.state.db.read())
        .await
        .unwrap();
    id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_permanent_refusal_fails_the_mail_and_suppresses_the_address() {
    let mail = MailServer::start().await;
    let app = mail.app().await;
    let user = persona_at(&app, "reject5").await;
    let address = format!("reject5-{user}@agora.test");
    notify(&app, user, "orders.shipped", json!({"number": "A-1"})).await;
    app.drain_outbox().await;
    assert_eq!(rows(&app, user, "email").await, vec![("orders.shipped".into(), "failed".into())]);
    let (code, outbox_id): (i64, i64) =
        sqlx::query_as("SELECT smtp_code, outbox_id FROM email_suppressions WHERE address = $1")
            .bind(&address)
            .fetch_one(app.state.db.read())
            .await
            .unwrap();
    assert_eq!(code, 550);
    let attempt: (Option<i64>, String) =
        sqlx::query_as("SELECT status_code, outcome FROM delivery_attempts WHERE outbox_id = $1")
            .bind(outbox_id)
            .fetch_one(app.state.db.read())
            .await
            .unwrap();
    assert_eq!(attempt, (Some(550), "failed".to_string()));

    // The next mail to the address is not even attempted.
    notify(&app, user, "orders.completed", json!({"number": "A-1"})).await;
    app.drain_outbox().await;
    assert_eq!(rows(&app, user, "email").await[1], ("orders.completed".into(), "skipped".into()));
    assert!(mail.messages().is_empty());
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_temporary_refusal_is_retried_on_the_schedule_and_delivered_once_accepted() {
    let mail = MailServer::start().await;
    let app = mail.app().await;
    let user = persona_at(&app, "reject4").await;
    notify(&app, user, "orders.shipped", json!({"number": "A-2"})).await;
    // The clock is the wall clock plus the test's offset: bound the schedule by the instants around the
    // attempt, since a loaded CI machine may spend a while inside the SMTP exchange.
    let before = app.state.now_ms();
    app.drain_outbox().await;
    let after = app.state.now_ms();
    let (status, attempts, next_at): (String, i64, i64) = sqlx::query_as(
        "SELECT status, attempts, next_attempt_at FROM outbox WHERE channel = 'email' AND recipient_user_id = $1",
    )
    .bind(user)
    .fetch_one(app.state.db.read())
    .await
    .unwrap();
    assert_eq!((status.as_str(), attempts), ("pending", 1));
    assert!(
        next_at >= before + 4_000 && next_at <= after + 6_000,
        "the second attempt waits 5 s ± 20 %: {} ms after the attempt began, {} ms after it ended",
        next_at - before,
        next_at - after
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM email_suppressions").await, 0, "a 4xx suppresses nothing");

    // Not due yet: nothing is attempted.
    app.drain_outbox().await;
    let email_attempts = "SELECT COUNT(*) FROM delivery_attempts a JOIN outbox o ON o.id = a.outbox_id \
                          WHERE o.channel = 'email'";
    assert_eq!(app.count(email_attempts).await, 1);

    // The mailbox recovers (the address changes to one the server accepts) and the clock moves on.
    sqlx::query("UPDATE users SET email = $1 WHERE id = $2")
        .bind(format!("ok-{user}@agora.test"))
        .bind(user)
        .execute(app.state.db.read())
        .await
        .unwrap();
    app.advance(6_001);
    app.drain_outbox().await;
    assert_eq!(rows(&app, user, "email").await, vec![("orders.shipped".into(), "delivered".into())]);
    let codes: Vec<(String, Option<i64>)> = sqlx::query_as(
        "SELECT a.outcome, a.status_code FROM delivery_attempts a JOIN outbox o ON o.id = a.outbox_id \
             WHERE o.channel = 'email' ORDER BY a.attempt",
    )
    .fetch_all(app.state.db.read())
    .await
    .unwrap();
    assert_eq!(codes, vec![("retry".to_string(), Some(451)), ("delivered".to_string(), Some(250))]);
    assert_eq!(mail.to(&format!("ok-{user}@agora.test")).len(), 1);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn preferences_decide_which_rows_are_written_and_account_security_stays_on() {
    let mail = MailServer::start().await;
    let app = mail.app().await;
    let ann = app.persona("ann", &[]).await;
    let id = ann.user_id.unwrap();

    let (status, grid) = app.call(&ann, "notification_preferences", &[]).await;
    assert_eq!(status, StatusCode::OK, "{grid}");
    assert!(grid.as_array().unwrap().iter().all(|r| r["in_app"] == true && r["email"] == true), "no row means on");

    // Everything off but orders in the app; account security is sent ticked-off (absent) yet stays on.
    let (status, body) = app.call(&ann, "save_notification_preferences", &[("on[]", "orders:in_app")]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, grid) = app.call(&ann, "notification_preferences", &[]).await;
    let row = |c: &str| grid.as_array().unwrap().iter().find(|r| r["category"] == c).unwrap().clone();
    assert_eq!((row("orders")["in_app"].clone(), row("orders")["email"].clone()), (json!(true), json!(false)));
    assert_eq!(row("account_security")["email"], true);
    assert_eq!(row("account_security")["always_on"], true);

    notify(&app, id, "orders.shipped", json!({"number": "A-3"})).await;
    notify(&app, id, "listings.approved", json!({"title": "Tea"})).await;
    notify(&app, id, "roles.changed", json!({"roles": "finance"})).await;
    app.drain_outbox().await;
    let events = |rows: Vec<(String, String)>| rows.into_iter().map(|(e, _)| e).collect::<Vec<_>>();
    assert_eq!(events(rows(&app, id, "in_app").await), vec!["orders.shipped", "roles.changed"]);
    assert_eq!(events(rows(&app, id, "email").await), vec!["roles.changed"]);
    assert_eq!(mail.to(&ann.email).len(), 1);

    // An unknown choice refuses the whole save.
    let (status, body) = app.call(&ann, "save_notification_preferences", &[("on[]", "orders:webhook")]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(app.count("SELECT COUNT(*) FROM notification_preferences WHERE enabled = 1").await, 1);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_unsubscribe_link_turns_the_category_off_without_signing_in_and_a_forged_one_changes_nothing() {
    let mail = MailServer::start().await;
    let app = mail.app().await;
    let ann = app.persona("ann", &[]).await;
    let id = ann.user_id.unwrap();
    notify(&app, id, "listings.rejected", json!({"title": "Tea", "reason": "Blurry photos."})).await;
    app.drain_outbox().await;
    let token = unsubscribe_token_of(&mail.to(&ann.email)[0]);
    let anonymous = app.anonymous();

    // Forged: another user's id with this signature, or a made-up signature.
    let bob = app.persona("bob", &[]).await;
    let forged = token.replacen(&format!("{id}."), &format!("{}.", bob.user_id.unwrap()), 1);
    for bad in [forged.as_str(), "1.orders.00", ""] {
        let (status, body) = app.call(&anonymous, "unsubscribe", &[("token", bad)]).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(body["Invalid"]["code"], "unsubscribe.invalid", "{body}");
        let res = anonymous.client.post(app.url(&format!("/unsubscribe?token={bad}"))).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM notification_preferences").await, 0);

    // The page tells what the link turns off, then the button does it.
    let (status, target) = app.call(&anonymous, "unsubscribe_preview", &[("token", &token)]).await;
    assert_eq!(status, StatusCode::OK, "{target}");
    assert_eq!(target, json!({"category": "reviews_listings", "email": ann.email}));
    let page = anonymous.client.get(app.url(&format!("/unsubscribe?token={token}"))).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let (status, _) = app.call(&anonymous, "unsubscribe", &[("token", &token)]).await;
    assert_eq!(status, StatusCode::OK);
    notify(&app, id, "listings.approved", json!({"title": "Tea"})).await;
    app.drain_outbox().await;
    assert_eq!(rows(&app, id, "email").await.len(), 1, "no second mail about listings");
    assert_eq!(rows(&app, id, "in_app").await.len(), 2, "the app still tells");

    // RFC 8058 one-click: a mail client POSTs to the link (no cookies, no Origin).
    let res = anonymous
        .client
        .post(app.url(&format!(
            "/unsubscribe?token={}",
            unsubscribe_token::sign(
                app.state.signing_key.get(&app.state.db, 0).await.unwrap(),
                id,
                Category::TrustSafety
            )
        )))
        .form(&[("List-Unsubscribe", "One-Click")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let (_, grid) = app.call(&ann, "notification_preferences", &[]).await;
    let off: Vec<&str> = grid
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["email"] == false)
        .map(|r| r["category"].as_str().unwrap())
        .collect();
    assert_eq!(off, vec!["reviews_listings", "trust_safety"]);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn templates_are_seeded_once_and_a_new_version_must_pass_validation() {
    let app = TestApp::spawn().await;
    let all = templates::list(&app.state.db).await.unwrap();
    let expected: usize = agora_app::notifications::events::all().filter(|s| s.email.is_some()).count() * 2;
    assert_eq!(all.len(), expected);
    assert!(templates::missing(&app.state.db).await.unwrap().is_empty());
    assert_eq!(templates::seed_missing(&app.state.db, 0).await.unwrap(), 0, "seeding again adds nothing");

    let shipped = all.iter().find(|t| t.event_type == "orders.shipped" && t.locale == "en").unwrap();
    let bad =
        EmailTemplate { subject: "Shipped".into(), text: "Your parcel is on its way.".into(), html: String::new() };
    let admin = app.persona("editor", &[]).await;
    let mut c = Change::system(&app.state, "test").await.unwrap();
    let refused = template_versions::save(&mut c, shipped.id, &bad, true, admin.user_id.unwrap()).await;
    assert_eq!(refused, Err(AppError::invalid("body_text", "template.error.missing_variable")));
    drop(c);
    let script = EmailTemplate { html: "<p onclick=\"x()\">{{number}}</p>".into(), ..bad.clone() };
    let mut c = Change::system(&app.state, "test").await.unwrap();
    let refused = template_versions::save(&mut c, shipped.id, &script, true, admin.user_id.unwrap()).await;
    assert_eq!(refused, Err(AppError::invalid("body_html", "template.error.script")));
    drop(c);
    assert_eq!(templates::find(&app.state.db, shipped.id).await.unwrap().unwrap().current_version, 1);

    let good = EmailTemplate { subject: "Order {{number}} is on its way".into(), ..bad };
    let mut c = Change::system(&app.state, "test").await.unwrap();
    assert_eq!(template_versions::save(&mut c, shipped.id, &good, true, admin.user_id.unwrap()).await, Ok(2));
    c.commit().await.unwrap();
    let (enabled, current) = templates::current_email(&app.state.db, "orders.shipped", "en").await.unwrap().unwrap();
    assert!(enabled);
    assert_eq!((current.version, current.template), (2, good.clone()));

    // A disabled template sends nothing: the row is skipped, the app still tells.
    let mut c = Change::system(&app.state, "test").await.unwrap();
    assert_eq!(template_versions::save(&mut c, shipped.id, &good, false, admin.user_id.unwrap()).await, Ok(3));
    c.commit().await.unwrap();
    notify(&app, admin.user_id.unwrap(), "orders.shipped", json!({"number": "A-9"})).await;
    app.drain_outbox().await;
    assert_eq!(rows(&app, admin.user_id.unwrap(), "email").await, vec![("orders.shipped".into(), "skipped".into())]);
    assert_eq!(rows(&app, admin.user_id.unwrap(), "in_app").await, vec![("orders.shipped".into(), "delivered".into())]);
    app.finish().await;
}

#[test]
fn every_in_app_event_has_its_message() {
    let en = agora_app::i18n::Lang::En;
    for spec in agora_app::notifications::events::EVENTS {
        let key = format!("notify.{}", spec.event_type);
        assert_ne!(agora_app::i18n::translate(en, &key), key, "{key} has no in-app message");
    }
}

/// The mails claimed in one round are read for together (recipients, suppressions, templates in
/// three statements): each still goes to its own address, in its own locale, and a suppressed
/// address among them is skipped alone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mails_claimed_together_each_go_to_their_own_address_in_their_own_locale() {
    let mail = MailServer::start().await;
    let app = mail.app().await;
    let ann = app.persona("ann", &[]).await;
    let li = app.persona("li", &[]).await;
    set_locale(&app, &li, "zh").await;
    let gone = persona_at(&app, "gone").await;
    let gone_address = format!("gone-{gone}@agora.test");
    sqlx::query("INSERT INTO email_suppressions (address, reason, created_at) VALUES ($1, 'bounced', 0)")
        .bind(&gone_address)
        .execute(app.state.db.read())
        .await
        .unwrap();
    let mut c = Change::unaudited(&app.state, "test: a batch of mails").await.unwrap();
    for (user, number) in [(ann.user_id.unwrap(), "A-1"), (li.user_id.unwrap(), "L-1"), (gone, "G-1")] {
        c.notify(OutboxEvent::email(user, "orders.shipped", json!({ "number": number }))).await.unwrap();
    }
    // To an address of its own, in its user's locale (confirming a new address does so).
    let to_new = OutboxEvent::email_to("new-li@agora.test", li.user_id, "orders.shipped", json!({"number": "L-2"}));
    c.notify(to_new).await.unwrap();
    c.commit().await.unwrap();
    app.drain_outbox().await;

    let subjects = |address: &str| -> Vec<String> {
        mail.to(address).iter().map(|m| m["subject"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(subjects(&ann.email), vec!["Your order A-1 has shipped".to_string()]);
    assert_eq!(subjects(&li.email), vec!["您的订单 L-1 已发货".to_string()]);
    assert_eq!(subjects("new-li@agora.test"), vec!["您的订单 L-2 已发货".to_string()]);
    assert!(subjects(&gone_address).is_empty());
    assert_eq!(rows(&app, gone, "email").await, vec![("orders.shipped".into(), "skipped".into())]);
    assert_eq!(mail.messages().len(), 3);
    app.finish().await;
}
