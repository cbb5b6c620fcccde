//! Seller onboarding end to end: apply, documents, submit, the console's decisions (return, approve,
//! reject, activate, suspend, reinstate) with their history, audit and notifications; the refusals;
//! the team; the console queue's filters and pages.

use crate::helpers::{field_error, Persona, TestApp, PASSWORD};
use agora_app::domain::permissions::OperatorRole;
use agora_app::domain::upload::fixtures::png;
use agora_app::platform::caller::Caller;
use agora_app::sellers::service::may_read_document;
use reqwest::multipart::{Form, Part};
use reqwest::StatusCode;
use serde_json::Value;

pub(crate) const APPLICATION: &[(&str, &str)] = &[
    ("name", "Tea House"),
    ("contact_name", "Li Wei"),
    ("contact_email", "li@example.com"),
    ("contact_phone", "+86 138 0000 0000"),
    ("business_type", "company"),
    ("region", "CN"),
    ("description", "Loose-leaf tea."),
];

fn application_named<'a>(name: &'a str, region: &'a str) -> Vec<(&'a str, &'a str)> {
    APPLICATION
        .iter()
        .map(|(k, v)| match *k {
            "name" => (*k, name),
            "region" => (*k, region),
            _ => (*k, *v),
        })
        .collect()
}

async fn upload_document(app: &TestApp, who: &Persona, kind: &str) -> (StatusCode, Value) {
    let part = Part::bytes(png(300, 400)).file_name(format!("{kind}.png")).mime_str("image/png").unwrap();
    let form = Form::new().text("kind", kind.to_string()).part("file", part);
    let res = who.client.post(app.url("/uploads/seller-document")).multipart(form).send().await.unwrap();
    let status = res.status();
    let text = res.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

/// Applies and submits with a business licence; returns the seller's id.
async fn submitted_seller(app: &TestApp, who: &Persona, name: &str, region: &str) -> i64 {
    let (status, id) = app.call(who, "save_seller_application", &application_named(name, region)).await;
    assert_eq!(status, StatusCode::OK, "{id}");
    let (status, body) = upload_document(app, who, "business_licence").await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body) = app.call(who, "submit_seller_application", &[]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    id.as_i64().unwrap()
}

async fn my_application(app: &TestApp, who: &Persona) -> Value {
    let (status, body) = app.call(who, "my_seller_application", &[]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

async fn seller(app: &TestApp, who: &Persona, id: i64) -> Value {
    let (status, body) = app.call(who, "get_seller", &[("id", &id.to_string())]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

/// The newest transition id, as the console page sends it back with a decision.
fn seen(detail: &Value) -> String {
    detail["application"]["history"].as_array().unwrap().last().unwrap()["id"].as_i64().unwrap().to_string()
}

async fn decide(app: &TestApp, who: &Persona, id: i64, action: &str, reason: &str) -> (StatusCode, Value) {
    app.call(who, "decide_seller", &[("id", &id.to_string()), ("action", action), ("reason", reason)]).await
}

async fn status_of(app: &TestApp, id: i64) -> String {
    sqlx::query_scalar("SELECT status FROM organisations WHERE id = $1")
        .bind(id)
        .fetch_one(app.state.db.read())
        .await
        .unwrap()
}

async fn notifications_of(app: &TestApp, user_id: i64) -> Vec<String> {
    sqlx::query_scalar("SELECT kind FROM notifications WHERE user_id = $1 ORDER BY id")
        .bind(user_id)
        .fetch_all(app.state.db.read())
        .await
        .unwrap()
}

async fn insert_listing(app: &TestApp, org: i64, by: i64, status: &str) -> i64 {
    let now = app.state.now_ms();
    sqlx::query_scalar(
        "INSERT INTO listings (organisation_id, status, title, description, price_minor, currency, weight_grams, \
         options_json, images_json, stock_total, created_by, created_at, updated_at) \
         VALUES ($1, $2, 'Oolong', 'Tea', 1200, 'CNY', 100, '[]', '[]', 5, $3, $4, $4) RETURNING id",
    )
    .bind(org)
    .bind(status)
    .bind(by)
    .bind(now)
    .fetch_one(app.state.db.read())
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_applicant_goes_from_draft_to_active_and_through_a_suspension() {
    let app = TestApp::spawn().await;
    let applicant = app.persona("applicant", &[]).await;
    let admin = app.persona("admin", &[OperatorRole::Admin]).await;
    let applicant_id = applicant.user_id.unwrap();

    // Nothing yet, then a draft with its owner membership and the first history line.
    assert_eq!(my_application(&app, &applicant).await, Value::String("None".into()));
    let (status, body) = app.call(&applicant, "save_seller_application", APPLICATION).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let id = body.as_i64().unwrap();
    let mine = my_application(&app, &applicant).await;
    assert_eq!(mine["Owner"]["status"], "Draft");
    assert_eq!(mine["Owner"]["name"], "Tea House");

    // Submitting needs documents, and among them a business licence.
    let (status, body) = app.call(&applicant, "submit_seller_application", &[]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(field_error(&body), Some(("documents".into(), "sellers.need_documents".into())));
    let (status, identity) = upload_document(&app, &applicant, "identity").await;
    assert_eq!(status, StatusCode::CREATED, "{identity}");
    let (status, body) = app.call(&applicant, "submit_seller_application", &[]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(field_error(&body), Some(("documents".into(), "sellers.need_licence".into())));
    let (status, licence) = upload_document(&app, &applicant, "business_licence").await;
    assert_eq!(status, StatusCode::CREATED, "{licence}");
    let (status, body) = app.call(&applicant, "submit_seller_application", &[]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(status_of(&app, id).await, "submitted");

    // Under review: the application and its documents are locked.
    let (status, body) = app.call(&applicant, "save_seller_application", APPLICATION).await;
    assert_eq!((status, body["Conflict"]["code"].as_str()), (StatusCode::CONFLICT, Some("sellers.not_editable")));
    assert_eq!(upload_document(&app, &applicant, "other").await.0, StatusCode::FORBIDDEN);
    let doc = identity["id"].as_i64().unwrap().to_string();
    let (status, _) = app.call(&applicant, "remove_seller_document", &[("id", &doc)]).await;
    assert_eq!(status, StatusCode::CONFLICT);

    // The queue shows it with its documents; returning needs a reason.
    let (status, page) = app.call(&admin, "list_sellers", &[("status", "submitted")]).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(page["rows"].as_array().unwrap().len(), 1);
    assert_eq!(page["rows"][0]["documents"], 2);
    let (status, body) = decide(&app, &admin, id, "return", "").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(field_error(&body).unwrap().0, "reason");
    let (status, body) = decide(&app, &admin, id, "return", "The licence photo is blurry; upload a sharper one.").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let mine = my_application(&app, &applicant).await;
    assert_eq!(mine["Owner"]["status"], "Returned");
    assert_eq!(mine["Owner"]["last_reason"], "The licence photo is blurry; upload a sharper one.");

    // The applicant fixes it: a new licence, the identity document removed, edits, and resubmits.
    let (status, _) = app.call(&applicant, "remove_seller_document", &[("id", &doc)]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(upload_document(&app, &applicant, "business_licence").await.0, StatusCode::CREATED);
    let (status, body) =
        app.call(&applicant, "save_seller_application", &application_named("Tea House Ltd", "HK")).await;
    assert_eq!((status, body.as_i64()), (StatusCode::OK, Some(id)));
    let (status, body) = app.call(&applicant, "submit_seller_application", &[]).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // A decision taken on a page that is out of date is refused; then approved once, not twice.
    let detail = seller(&app, &admin, id).await;
    assert_eq!(detail["application"]["name"], "Tea House Ltd");
    assert_eq!(detail["application"]["documents"].as_array().unwrap().len(), 2);
    let stale = (seen(&detail).parse::<i64>().unwrap() - 1).to_string();
    let (status, body) =
        app.call(&admin, "decide_seller", &[("id", &id.to_string()), ("action", "approve"), ("seen", &stale)]).await;
    assert_eq!((status, body["Conflict"]["code"].as_str()), (StatusCode::CONFLICT, Some("sellers.changed_meanwhile")));
    let fresh = seen(&detail);
    let (status, body) =
        app.call(&admin, "decide_seller", &[("id", &id.to_string()), ("action", "approve"), ("seen", &fresh)]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = decide(&app, &admin, id, "approve", "").await;
    assert_eq!((status, body["Conflict"]["code"].as_str()), (StatusCode::CONFLICT, Some("sellers.transition_refused")));
    let (status, body) = decide(&app, &admin, id, "activate", "").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(status_of(&app, id).await, "active");

    // Suspension: the impact counts live listings only; a wrong password changes nothing.
    insert_listing(&app, id, applicant_id, "active").await;
    insert_listing(&app, id, applicant_id, "sold_out").await;
    insert_listing(&app, id, applicant_id, "draft").await;
    let detail = seller(&app, &admin, id).await;
    assert_eq!(detail["impact"]["hidden_listings"], 2);
    let transitions = app.count("SELECT COUNT(*) FROM seller_transitions").await;
    let (status, body) = app
        .call(
            &admin,
            "suspend_seller",
            &[("id", &id.to_string()), ("reason", "Counterfeit reports"), ("password", "wrong password")],
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(field_error(&body), Some(("password".into(), "password.wrong".into())));
    assert_eq!(status_of(&app, id).await, "active");
    assert_eq!(app.count("SELECT COUNT(*) FROM seller_transitions").await, transitions);
    let (status, body) = app
        .call(
            &admin,
            "suspend_seller",
            &[("id", &id.to_string()), ("reason", "Counterfeit reports"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(status_of(&app, id).await, "suspended");
    let after: String =
        sqlx::query_scalar("SELECT after_json FROM audit_log WHERE action = 'sellers.suspend' AND target_id = $1")
            .bind(id.to_string())
            .fetch_one(app.state.db.read())
            .await
            .unwrap();
    let after: Value = serde_json::from_str(&after).unwrap();
    assert_eq!(after["impact"]["hidden_listings"], 2);
    // The storefront rule hides the seller's listings at once: none of them is visible now.
    let visible = app
        .count(&format!(
            "SELECT COUNT(*) FROM listings l JOIN organisations o ON o.id = l.organisation_id \
             WHERE l.organisation_id = {id} AND l.status IN ('active', 'sold_out') AND o.status = 'active'"
        ))
        .await;
    assert_eq!(visible, 0);
    let (status, body) = app
        .call(
            &admin,
            "reinstate_seller",
            &[("id", &id.to_string()), ("reason", "Reports were unfounded"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(status_of(&app, id).await, "active");

    // The full history, with actor and reason, and an audit record for each step.
    let mine = my_application(&app, &applicant).await;
    let history = mine["Owner"]["history"].as_array().unwrap();
    let actions: Vec<&str> = history.iter().map(|h| h["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["apply", "submit", "return", "submit", "approve", "activate", "suspend", "reinstate"]);
    assert_eq!(history[2]["actor_id"].as_i64(), admin.user_id);
    assert_eq!(history[6]["reason"], "Counterfeit reports");
    for action in [
        "sellers.apply",
        "sellers.submit",
        "sellers.return",
        "sellers.approve",
        "sellers.activate",
        "sellers.suspend",
        "sellers.reinstate",
        "sellers.document_remove",
        "sellers.edit",
    ] {
        assert!(
            app.count(&format!("SELECT COUNT(*) FROM audit_log WHERE action = '{action}' AND target_id = '{id}'"))
                .await
                >= 1,
            "no audit record {action}"
        );
    }

    // The applicant was told of every decision in-app.
    app.drain_outbox().await;
    assert_eq!(
        notifications_of(&app, applicant_id).await,
        ["sellers.returned", "sellers.approved", "sellers.activated", "sellers.suspended", "sellers.reinstated"]
    );

    // Documents: the seller's members and operators who review sellers read them; nobody else.
    let doc = licence["id"].as_i64().unwrap();
    let stranger = app.persona("stranger", &[]).await;
    let get = |who: &Persona| who.client.get(app.url(&format!("/documents/{doc}"))).send();
    assert_eq!(get(&applicant).await.unwrap().status(), StatusCode::OK);
    assert_eq!(get(&admin).await.unwrap().status(), StatusCode::OK);
    assert_eq!(get(&stranger).await.unwrap().status(), StatusCode::NOT_FOUND);
    let caller = |p: &Persona, roles: Vec<OperatorRole>| Caller {
        user_id: p.user_id.unwrap(),
        email: p.email.clone(),
        display_name: String::new(),
        locale: "en".into(),
        permissions: agora_app::domain::permissions::PermissionSet::defaults_of(&roles),
        roles: roles.into_iter().map(Into::into).collect(),
        session_hash: String::new(),
        second_factor: false,
        must_enrol_second_factor: false,
    };
    assert!(may_read_document(&app.state, &caller(&applicant, vec![]), id).await.unwrap());
    assert!(may_read_document(&app.state, &caller(&admin, vec![OperatorRole::Admin]), id).await.unwrap());
    assert!(!may_read_document(&app.state, &caller(&stranger, vec![]), id).await.unwrap());
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rejection_is_final_and_refusals_change_nothing() {
    let app = TestApp::spawn().await;
    let applicant = app.persona("applicant", &[]).await;
    let reviewer = app.persona("reviewer", &[OperatorRole::Reviewer]).await;
    let support = app.persona("support", &[OperatorRole::Support]).await;
    let id = submitted_seller(&app, &applicant, "Fake Goods", "US").await;

    // A second application by the same person is refused (the first is under review).
    let (status, body) = app.call(&applicant, "save_seller_application", &application_named("Second", "CN")).await;
    assert_eq!((status, body["Conflict"]["code"].as_str()), (StatusCode::CONFLICT, Some("sellers.not_editable")));
    assert_eq!(app.count("SELECT COUNT(*) FROM organisations WHERE kind = 'seller'").await, 1);

    // Only deciders decide; unknown actions and suspending a seller that is not active are refused.
    assert_eq!(decide(&app, &support, id, "approve", "").await.0, StatusCode::FORBIDDEN);
    let (status, body) = decide(&app, &reviewer, id, "suspend", "Trying the wrong door").await;
    assert_eq!(field_error(&body).map(|f| f.0), Some("action".into()), "{status}");
    let (status, body) = app
        .call(
            &reviewer,
            "suspend_seller",
            &[("id", &id.to_string()), ("reason", "Not active yet"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!((status, body["Conflict"]["code"].as_str()), (StatusCode::CONFLICT, Some("sellers.transition_refused")));

    let (status, body) = decide(&app, &reviewer, id, "reject", "Sells counterfeit goods").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    for action in ["approve", "return", "activate"] {
        let (status, _) = decide(&app, &reviewer, id, action, "Second thoughts here").await;
        assert_eq!(status, StatusCode::CONFLICT, "{action} after a rejection");
    }
    let (status, _) = app.call(&applicant, "submit_seller_application", &[]).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(status_of(&app, id).await, "rejected");
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM seller_transitions WHERE organisation_id = {id}")).await, 3);
    let mine = my_application(&app, &applicant).await;
    assert_eq!(mine["Owner"]["last_reason"], "Sells counterfeit goods");

    // Not found is not found.
    assert_eq!(decide(&app, &reviewer, 999_999, "approve", "").await.0, StatusCode::NOT_FOUND);
    // Bad input on the form is named per field, nothing created.
    let other = app.persona("other", &[]).await;
    let mut bad = application_named("Ok Name", "XX");
    bad.retain(|(k, _)| *k != "description");
    let (status, body) = app.call(&other, "save_seller_application", &bad).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(field_error(&body), Some(("region".into(), "field.choose".into())));
    assert_eq!(app.count("SELECT COUNT(*) FROM organisations WHERE kind = 'seller'").await, 1);
    app.drain_outbox().await;
    assert_eq!(notifications_of(&app, applicant.user_id.unwrap()).await, ["sellers.rejected"]);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_owner_builds_a_team_and_staff_see_it_read_only() {
    let app = TestApp::spawn().await;
    let owner = app.persona("owner", &[]).await;
    let staff = app.persona("staff", &[]).await;
    let rival = app.persona("rival", &[]).await;
    let admin = app.persona("admin", &[OperatorRole::Admin]).await;
    let id = app.organisation_owned_by(&owner, "Tea House").await;
    app.organisation_owned_by(&rival, "Rival Tea").await;

    // Unknown accounts, members of another seller and bad emails are refused next to the field.
    for (email, code) in [
        ("nobody@example.com", "sellers.unknown_account"),
        (rival.email.as_str(), "sellers.in_another_seller"),
        (owner.email.as_str(), "sellers.already_in_team"),
        ("not an email", "email.malformed"),
    ] {
        let (status, body) = app.call(&owner, "invite_seller_staff", &[("email", email)]).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{email}: {body}");
        let (field, got) = field_error(&body).unwrap();
        assert_eq!(field, "email");
        if code != "email.malformed" {
            assert_eq!(got, code);
        }
    }
    let (status, body) = app.call(&owner, "invite_seller_staff", &[("email", &staff.email.to_uppercase())]).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // Staff see the team, cannot change it, cannot apply, and are not the applicant.
    let (status, team) = app.call(&staff, "my_seller_team", &[]).await;
    assert_eq!(status, StatusCode::OK, "{team}");
    assert_eq!(team["my_role"], "Staff");
    assert_eq!(team["members"].as_array().unwrap().len(), 2);
    assert_eq!(app.call(&staff, "invite_seller_staff", &[("email", &rival.email)]).await.0, StatusCode::FORBIDDEN);
    let owner_id = owner.user_id.unwrap().to_string();
    assert_eq!(app.call(&staff, "remove_seller_staff", &[("user_id", &owner_id)]).await.0, StatusCode::FORBIDDEN);
    assert_eq!(app.call(&staff, "submit_seller_application", &[]).await.0, StatusCode::FORBIDDEN);
    let (status, body) = app.call(&staff, "save_seller_application", APPLICATION).await;
    assert_eq!((status, body["Conflict"]["code"].as_str()), (StatusCode::CONFLICT, Some("sellers.already_member")));
    assert!(my_application(&app, &staff).await.get("Staff").is_some());

    // The owner cannot be removed; suspension reaches staff too; the owner removes staff.
    let (status, _) = app.call(&owner, "remove_seller_staff", &[("user_id", &owner_id)]).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, body) = app
        .call(
            &admin,
            "suspend_seller",
            &[("id", &id.to_string()), ("reason", "Payment dispute"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let staff_id = staff.user_id.unwrap().to_string();
    let (status, body) = app.call(&owner, "remove_seller_staff", &[("user_id", &staff_id)]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(app.call(&staff, "my_seller_team", &[]).await.0, StatusCode::FORBIDDEN);
    assert_eq!(app.call(&owner, "remove_seller_staff", &[("user_id", &staff_id)]).await.0, StatusCode::NOT_FOUND);

    for action in ["sellers.staff_add", "sellers.staff_remove"] {
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM audit_log WHERE action = '{action}'")).await, 1);
    }
    app.drain_outbox().await;
    assert_eq!(
        notifications_of(&app, staff.user_id.unwrap()).await,
        ["sellers.staff_added", "sellers.suspended", "sellers.staff_removed"]
    );
    assert_eq!(notifications_of(&app, owner.user_id.unwrap()).await, ["sellers.suspended"]);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_queue_filters_counts_and_pages_oldest_waiting_first() {
    let app = TestApp::spawn().await;
    let analyst = app.persona("analyst", &[OperatorRole::Analyst]).await;
    let mut ids = vec![];
    for i in 0..27 {
        let who = app.persona(&format!("applicant{i}"), &[]).await;
        let region = if i % 3 == 0 { "JP" } else { "CN" };
        ids.push(submitted_seller(&app, &who, &format!("Shop {i}"), region).await);
        app.advance(1_000);
    }
    let drafter = app.persona("drafter", &[]).await;
    app.call(&drafter, "save_seller_application", APPLICATION).await;

    let (status, counts) = app.call(&analyst, "count_sellers", &[]).await;
    assert_eq!(status, StatusCode::OK, "{counts}");
    let count = |s: &str| counts.as_array().unwrap().iter().find(|c| c[0] == s).unwrap()[1].as_i64().unwrap();
    assert_eq!((count("Submitted"), count("Draft"), count("Active")), (27, 1, 0));

    // Two pages, oldest first, no repeats.
    let (_, first) = app.call(&analyst, "list_sellers", &[("status", "submitted")]).await;
    let rows = first["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 25);
    assert_eq!(rows[0]["id"].as_i64(), Some(ids[0]));
    let cursor = first["next"].as_str().unwrap().to_string();
    let (_, second) = app.call(&analyst, "list_sellers", &[("status", "submitted"), ("cursor", &cursor)]).await;
    let rest: Vec<i64> = second["rows"].as_array().unwrap().iter().map(|r| r["id"].as_i64().unwrap()).collect();
    assert_eq!(rest, ids[25..]);
    assert!(second["next"].is_null());

    // Region and submitted-day filters; every state with `all`; bad filters named.
    let (_, jp) = app.call(&analyst, "list_sellers", &[("status", "submitted"), ("region", "JP")]).await;
    assert_eq!(jp["rows"].as_array().unwrap().len(), 9);
    let (_, all) = app.call(&analyst, "list_sellers", &[("status", "all"), ("region", "CN")]).await;
    assert_eq!(all["rows"].as_array().unwrap().len(), 19);
    let (_, none) = app.call(&analyst, "list_sellers", &[("status", "submitted"), ("from", "2099-01-01")]).await;
    assert!(none["rows"].as_array().unwrap().is_empty());
    let (_, today) = app
        .call(&analyst, "list_sellers", &[("status", "submitted"), ("from", "2000-01-01"), ("to", "2099-12-31")])
        .await;
    assert_eq!(today["rows"].as_array().unwrap().len(), 25);
    for (field, value) in [("status", "open"), ("region", "XX"), ("from", "2026-02-30"), ("to", "yesterday")] {
        let (status, body) = app.call(&analyst, "list_sellers", &[(field, value)]).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(field_error(&body).unwrap().0, field);
    }
    // The analyst reads but does not decide.
    assert_eq!(decide(&app, &analyst, ids[0], "approve", "").await.0, StatusCode::FORBIDDEN);
    app.finish().await;
}
