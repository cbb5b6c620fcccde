//! The listing review queue: the round trip (submit, reject with a reason, the seller told, fix,
//! resubmit, approve, live), re-review of an edited live listing, one decision per version, blocking
//! as a protected action, the counters and the queue's order and filters.

use crate::helpers::{Persona, TestApp, PASSWORD};
use agora_app::domain::permissions::OperatorRole;
use agora_app::domain::upload::fixtures;
use reqwest::StatusCode;
use serde_json::{json, Value};

const HOUR: i64 = 3_600_000;

struct Seller {
    who: Persona,
    org: i64,
}

async fn seller(app: &TestApp, name: &str) -> Seller {
    let who = app.persona(name, &[]).await;
    let org = app.organisation_owned_by(&who, name).await;
    Seller { who, org }
}

async fn upload_image(app: &TestApp, s: &Seller) -> i64 {
    let part =
        reqwest::multipart::Part::bytes(fixtures::png(400, 400)).file_name("tea.png").mime_str("image/png").unwrap();
    let form = reqwest::multipart::Form::new().part("file", part);
    let res = s.who.client.post(app.url("/uploads/listing-image")).multipart(form).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let body: Value = res.json().await.unwrap();
    body["id"].as_i64().unwrap()
}

fn raw(title: &str, price: &str, stock: &str, images: &[i64]) -> String {
    json!({
        "title": title,
        "description": "Spring harvest jasmine tea, 100 g tin, from Fujian.",
        "category_id": null,
        "price": price,
        "compare_at": "",
        "stock": stock,
        "weight_grams": "150",
        "images": images,
    })
    .to_string()
}

/// Saves (creating when `id` is None) and submits; returns `(listing id, version id in review)`.
async fn submit(app: &TestApp, s: &Seller, id: Option<i64>, json: &str) -> (i64, i64) {
    let id_text = id.map(|i| i.to_string());
    let mut form = vec![("listing_json", json)];
    if let Some(i) = &id_text {
        form.push(("id", i.as_str()));
    }
    let (status, body) = app.call(&s.who, "save_listing", &form).await;
    assert_eq!(status, StatusCode::OK, "save_listing: {body}");
    let listing_id = body.as_i64().unwrap();
    let (status, body) = app.call(&s.who, "submit_listing", &[("id", &listing_id.to_string())]).await;
    assert_eq!(status, StatusCode::OK, "submit_listing: {body}");
    let version: i64 = sqlx::query_scalar("SELECT pending_version_id FROM listings WHERE id = $1")
        .bind(listing_id)
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    (listing_id, version)
}

async fn listing_row(app: &TestApp, id: i64) -> (String, String, String, i64) {
    let r: (String, String, String, i64) =
        sqlx::query_as("SELECT status, title, status_reason, price_minor FROM listings WHERE id = $1")
            .bind(id)
            .fetch_one(app.state.db.read())
            .await
            .unwrap();
    r
}

async fn version_status(app: &TestApp, id: i64) -> String {
    sqlx::query_scalar("SELECT status FROM listing_versions WHERE id = $1")
        .bind(id)
        .fetch_one(app.state.db.read())
        .await
        .unwrap()
}

async fn in_search(app: &TestApp, listing_id: i64) -> bool {
    let sql = "SELECT COUNT(*) FROM search_documents WHERE listing_id = $1";
    sqlx::query_scalar::<_, i64>(sql).bind(listing_id).fetch_one(app.state.db.read()).await.unwrap() == 1
}

async fn notifications(app: &TestApp, who: &Persona) -> Vec<Value> {
    app.drain_outbox().await;
    let (status, body) = app.call(who, "list_notifications", &[]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["rows"].as_array().unwrap().clone()
}

fn kinds(rows: &[Value]) -> Vec<String> {
    rows.iter().map(|r| r["kind"].as_str().unwrap_or_default().to_string()).collect()
}

async fn approve(app: &TestApp, who: &Persona, version: i64) -> (StatusCode, Value) {
    app.call(who, "approve_listing_version", &[("version_id", &version.to_string())]).await
}

async fn reject(app: &TestApp, who: &Persona, version: i64, reason: &str) -> (StatusCode, Value) {
    app.call(who, "reject_listing_version", &[("version_id", &version.to_string()), ("reason", reason)]).await
}

async fn block(app: &TestApp, who: &Persona, version: i64, password: &str) -> (StatusCode, Value) {
    app.call(
        who,
        "block_listing_version",
        &[("version_id", &version.to_string()), ("reason", "counterfeit goods"), ("password", password)],
    )
    .await
}

async fn queue(app: &TestApp, who: &Persona, form: &[(&str, &str)]) -> Value {
    let (status, body) = app.call(who, "list_review_queue", form).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

fn version_ids(page: &Value) -> Vec<i64> {
    page["rows"].as_array().unwrap().iter().map(|r| r["version_id"].as_i64().unwrap()).collect()
}

async fn counters(app: &TestApp, who: &Persona) -> Value {
    let (status, c) = app.call(who, "review_counters", &[]).await;
    assert_eq!(status, StatusCode::OK, "{c}");
    c
}

async fn audit_count(app: &TestApp, action: &str, listing: i64) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = $1 AND target_id = $2")
        .bind(action)
        .bind(listing.to_string())
        .fetch_one(app.state.db.read())
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_listing_goes_through_rejection_and_resubmission_to_live() {
    let app = TestApp::spawn().await;
    let reviewer = app.persona("reviewer", &[OperatorRole::Reviewer]).await;
    let s = seller(&app, "Tea House").await;
    let image = upload_image(&app, &s).await;
    let (listing, version) = submit(&app, &s, None, &raw("Jasmine tea", "12.50", "30", &[image])).await;
    assert_eq!(listing_row(&app, listing).await.0, "pending_review");

    let page = queue(&app, &reviewer, &[]).await;
    assert_eq!(version_ids(&page), vec![version]);
    let row = &page["rows"][0];
    assert_eq!(row["seller_name"], "Tea House");
    assert_eq!(row["re_review"], false);
    assert_eq!(row["sla_state"], "OnTrack");

    // A reason is required, and shown to the seller.
    let (status, body) = reject(&app, &reviewer, version, "no").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["Invalid"]["field"], "reason");
    assert_eq!(version_status(&app, version).await, "pending_review");
    let (status, body) = reject(&app, &reviewer, version, "The photo shows a different tin.").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (st, _, reason, _) = listing_row(&app, listing).await;
    assert_eq!((st.as_str(), reason.as_str()), ("rejected", "The photo shows a different tin."));
    assert_eq!(version_status(&app, version).await, "rejected");
    assert!(!in_search(&app, listing).await);
    let notes = notifications(&app, &s.who).await;
    let rejected = notes.iter().find(|n| n["kind"] == "listings.rejected").expect("seller told of the rejection");
    assert!(rejected.to_string().contains("The photo shows a different tin."), "{rejected}");
    assert!(rejected.to_string().contains("Jasmine tea"), "{rejected}");
    assert_eq!(audit_count(&app, "listings.reject", listing).await, 1);
    assert!(queue(&app, &reviewer, &[]).await["rows"].as_array().unwrap().is_empty());

    // The seller fixes and resubmits; the reviewer approves.
    let (_, version2) = submit(&app, &s, Some(listing), &raw("Jasmine green tea", "13.00", "30", &[image])).await;
    assert_eq!(listing_row(&app, listing).await.0, "pending_review");
    assert_eq!(version_ids(&queue(&app, &reviewer, &[]).await), vec![version2]);
    let (status, body) = approve(&app, &reviewer, version2).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (st, title, reason, price) = listing_row(&app, listing).await;
    assert_eq!((st.as_str(), title.as_str(), reason.as_str(), price), ("active", "Jasmine green tea", "", 1300));
    let (live, pending, published): (Option<i64>, Option<i64>, Option<i64>) =
        sqlx::query_as("SELECT live_version_id, pending_version_id, published_at FROM listings WHERE id = $1")
            .bind(listing)
            .fetch_one(app.state.db.read())
            .await
            .unwrap();
    assert_eq!((live, pending), (Some(version2), None));
    assert!(published.is_some());
    assert_eq!(version_status(&app, version2).await, "approved");
    let variants: Vec<(String, i64, i64, String)> =
        sqlx::query_as("SELECT sku, price_minor, stock, status FROM listing_variants WHERE listing_id = $1")
            .bind(listing)
            .fetch_all(app.state.db.read())
            .await
            .unwrap();
    assert_eq!(variants, vec![("default".to_string(), 1300, 30, "active".to_string())]);
    assert!(in_search(&app, listing).await);
    assert!(kinds(&notifications(&app, &s.who).await).contains(&"listings.approved".to_string()));
    assert_eq!(audit_count(&app, "listings.approve", listing).await, 1);

    // The detail shows the earlier rejection in the seller's history.
    let (status, detail) = app.call(&reviewer, "get_review", &[("version_id", &version2.to_string())]).await;
    assert_eq!(status, StatusCode::OK, "{detail}");
    assert_eq!(detail["status"], "Approved");
    let history = detail["history"].as_array().unwrap();
    assert_eq!(history.len(), 2, "{detail}");
    assert_eq!((history[0]["status"].as_str(), history[1]["status"].as_str()), (Some("approved"), Some("rejected")));
    assert_eq!(history[1]["reason"], "The photo shows a different tin.");
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_of_a_live_listing_is_reviewed_while_the_approved_copy_stays_live() {
    let app = TestApp::spawn().await;
    let reviewer = app.persona("reviewer", &[OperatorRole::Reviewer]).await;
    let s = seller(&app, "Tea House").await;
    let image = upload_image(&app, &s).await;
    let (listing, v1) = submit(&app, &s, None, &raw("Oolong tea", "20.00", "5", &[image])).await;
    assert_eq!(approve(&app, &reviewer, v1).await.0, StatusCode::OK);

    let (_, v2) = submit(&app, &s, Some(listing), &raw("Oolong tea, aged", "25.00", "0", &[image])).await;
    assert_ne!(v1, v2);
    // The live copy is unchanged while the edit waits.
    let (st, title, _, price) = listing_row(&app, listing).await;
    assert_eq!((st.as_str(), title.as_str(), price), ("active", "Oolong tea", 2000));
    assert!(in_search(&app, listing).await);

    let page = queue(&app, &reviewer, &[("kind", "re_review")]).await;
    assert_eq!(version_ids(&page), vec![v2]);
    assert_eq!(page["rows"][0]["re_review"], true);
    assert!(version_ids(&queue(&app, &reviewer, &[("kind", "new")]).await).is_empty());

    let (status, detail) = app.call(&reviewer, "get_review", &[("version_id", &v2.to_string())]).await;
    assert_eq!(status, StatusCode::OK, "{detail}");
    assert_eq!(detail["re_review"], true);
    let changed: Vec<&str> =
        detail["changes"].as_array().unwrap().iter().map(|c| c["field"].as_str().unwrap()).collect();
    assert_eq!(changed, vec!["title", "price", "variants.default"], "{detail}");
    assert_eq!(detail["changes"][0]["before"], "Oolong tea");
    assert_eq!(detail["changes"][0]["after"], "Oolong tea, aged");
    assert_eq!(detail["changes"][1]["before"], "$20.00");
    assert!(detail["history"].as_array().unwrap().iter().any(|h| h["version_id"] == v1));

    assert_eq!(approve(&app, &reviewer, v2).await.0, StatusCode::OK);
    let (st, title, _, price) = listing_row(&app, listing).await;
    // No stock in the new copy: live, but sold out.
    assert_eq!((st.as_str(), title.as_str(), price), ("sold_out", "Oolong tea, aged", 2500));
    assert_eq!(version_status(&app, v1).await, "superseded");
    assert_eq!(version_status(&app, v2).await, "approved");
    assert!(in_search(&app, listing).await);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rejected_edit_leaves_the_live_copy_alone() {
    let app = TestApp::spawn().await;
    let reviewer = app.persona("reviewer", &[OperatorRole::Reviewer]).await;
    let s = seller(&app, "Tea House").await;
    let image = upload_image(&app, &s).await;
    let (listing, v1) = submit(&app, &s, None, &raw("Oolong tea", "20.00", "5", &[image])).await;
    approve(&app, &reviewer, v1).await;
    let (_, v2) = submit(&app, &s, Some(listing), &raw("Oolong tea replica", "25.00", "5", &[image])).await;
    assert_eq!(reject(&app, &reviewer, v2, "Banned word in the title.").await.0, StatusCode::OK);
    let (st, title, _, _) = listing_row(&app, listing).await;
    assert_eq!((st.as_str(), title.as_str()), ("active", "Oolong tea"));
    assert_eq!(version_status(&app, v1).await, "approved");
    assert!(in_search(&app, listing).await);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_version_is_decided_once() {
    let app = TestApp::spawn().await;
    let first = app.persona("reviewer-a", &[OperatorRole::Reviewer]).await;
    let second = app.persona("reviewer-b", &[OperatorRole::Reviewer]).await;
    let s = seller(&app, "Tea House").await;
    let (listing, version) = submit(&app, &s, None, &raw("Jasmine tea", "12.50", "30", &[])).await;
    assert_eq!(approve(&app, &first, version).await.0, StatusCode::OK);
    let audits = app.count("SELECT COUNT(*) FROM audit_log").await;
    for (status, body) in [
        approve(&app, &second, version).await,
        reject(&app, &second, version, "Too late, but trying").await,
        block(&app, &second, version, PASSWORD).await,
    ] {
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert_eq!(body["Conflict"]["code"], "reviews.already_decided");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log").await, audits);
    assert_eq!(listing_row(&app, listing).await.0, "active");
    assert_eq!(version_status(&app, version).await, "approved");

    // Two reviewers at the same moment: exactly one decision.
    let (_, v2) = submit(&app, &s, None, &raw("Green tea", "9.00", "3", &[])).await;
    let (a, b) = tokio::join!(approve(&app, &first, v2), reject(&app, &second, v2, "Racing the other reviewer"));
    let mut statuses = [a.0, b.0];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT], "{} {}", a.1, b.1);
    let decisions: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action IN ('listings.approve', 'listings.reject') AND target_id = $1",
    )
    .bind(
        sqlx::query_scalar::<_, i64>("SELECT listing_id FROM listing_versions WHERE id = $1")
            .bind(v2)
            .fetch_one(app.state.db.read())
            .await
            .unwrap()
            .to_string(),
    )
    .fetch_one(app.state.db.read())
    .await
    .unwrap();
    assert_eq!(decisions, 1);
    // Unknown versions are 404.
    assert_eq!(approve(&app, &first, 987_654_321).await.0, StatusCode::NOT_FOUND);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn blocking_needs_the_reviewers_password_and_takes_the_listing_off_search() {
    let app = TestApp::spawn().await;
    let reviewer = app.persona("reviewer", &[OperatorRole::Reviewer]).await;
    let s = seller(&app, "Tea House").await;
    let image = upload_image(&app, &s).await;
    let (listing, v1) = submit(&app, &s, None, &raw("Oolong tea", "20.00", "5", &[image])).await;
    approve(&app, &reviewer, v1).await;
    let (_, v2) = submit(&app, &s, Some(listing), &raw("Oolong tea counterfeit", "20.00", "5", &[image])).await;

    let (status, body) = block(&app, &reviewer, v2, "not my password").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["Invalid"]["field"], "password");
    assert_eq!(version_status(&app, v2).await, "pending_review");
    assert_eq!(listing_row(&app, listing).await.0, "active");
    assert!(in_search(&app, listing).await);

    let (status, body) = block(&app, &reviewer, v2, PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (st, _, reason, _) = listing_row(&app, listing).await;
    assert_eq!((st.as_str(), reason.as_str()), ("blocked", "counterfeit goods"));
    assert_eq!(version_status(&app, v2).await, "blocked");
    assert!(!in_search(&app, listing).await);
    assert!(kinds(&notifications(&app, &s.who).await).contains(&"listings.blocked".to_string()));
    assert_eq!(audit_count(&app, "listings.block", listing).await, 1);

    // A new listing blocked straight from review.
    let (l2, v3) = submit(&app, &s, None, &raw("Replica watch", "99.00", "1", &[])).await;
    assert_eq!(block(&app, &reviewer, v3, PASSWORD).await.0, StatusCode::OK);
    assert_eq!(listing_row(&app, l2).await.0, "blocked");
    let (status, counters) = app.call(&reviewer, "review_counters", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(counters["blocked"], 2);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn counters_and_queue_order_follow_sla_and_risk() {
    // Sessions outlive the day the clock jumps through.
    let app = TestApp::spawn_with(&[
        ("AGORA_SESSION_IDLE_MINUTES", "6000"),
        ("AGORA_CONSOLE_SESSION_IDLE_MINUTES", "6000"),
        ("AGORA_SESSION_ABSOLUTE_HOURS", "100"),
    ])
    .await;
    let reviewer = app.persona("reviewer", &[OperatorRole::Reviewer]).await;
    let a = seller(&app, "Tea House").await;
    let b = seller(&app, "Cup Shop").await;
    let image = upload_image(&app, &a).await;
    // Oldest first: with a 24 h SLA, after 20 h the first is under pressure; after 25 h overdue.
    let (_, low_old) = submit(&app, &a, None, &raw("Old clean tea", "10.00", "3", &[image])).await;
    app.advance(5 * HOUR);
    let (_, high_mid) = submit(&app, &b, None, &raw("Cup without photo", "10.00", "3", &[])).await;
    let (_, low_mid) = submit(&app, &a, None, &raw("Second clean tea", "10.00", "3", &[image])).await;
    // Same due time as high_mid: the high-risk one comes first.
    sqlx::query("UPDATE listing_versions SET sla_due_at = (SELECT sla_due_at FROM listing_versions WHERE id = $1) WHERE id = $2")
        .bind(high_mid)
        .bind(low_mid)
        .execute(app.state.db.read())
        .await
        .unwrap();
    app.advance(5 * HOUR);
    let (_, new_one) = submit(&app, &a, None, &raw("Fresh tea", "10.00", "3", &[image])).await;

    let page = queue(&app, &reviewer, &[]).await;
    let order = version_ids(&page);
    let (hm, lm) =
        (order.iter().position(|v| *v == high_mid).unwrap(), order.iter().position(|v| *v == low_mid).unwrap());
    assert_eq!(order.len(), 4);
    assert_eq!(order[0], low_old);
    assert!(hm < lm, "high risk first at equal due time: {order:?}");
    assert_eq!(order[3], new_one);

    let c = counters(&app, &reviewer).await;
    assert_eq!(c["to_review"], 4);
    assert_eq!(c["high_risk"], 1);
    assert_eq!(c["decidable"], 3);
    assert_eq!(c["overdue"], 0);
    assert_eq!(c["sla_pressure"], 0);

    app.advance(10 * HOUR); // low_old: 20 h old (4 h left, under pressure)
    let c = counters(&app, &reviewer).await;
    assert_eq!((c["sla_pressure"].as_i64(), c["overdue"].as_i64()), (Some(1), Some(0)));
    assert_eq!(version_ids(&queue(&app, &reviewer, &[("sla", "pressure")]).await), vec![low_old]);
    app.advance(5 * HOUR); // low_old overdue; the 5 h ones have 4 h left
    let c = counters(&app, &reviewer).await;
    assert_eq!((c["sla_pressure"].as_i64(), c["overdue"].as_i64()), (Some(3), Some(1)));
    let overdue = queue(&app, &reviewer, &[("sla", "overdue")]).await;
    assert_eq!(version_ids(&overdue), vec![low_old]);
    assert_eq!(overdue["rows"][0]["sla_state"], "Overdue");

    // Filters.
    assert_eq!(version_ids(&queue(&app, &reviewer, &[("risk", "high")]).await), vec![high_mid]);
    assert_eq!(version_ids(&queue(&app, &reviewer, &[("seller", &b.org.to_string())]).await), vec![high_mid]);
    let (status, body) = app.call(&reviewer, "list_review_queue", &[("risk", "extreme")]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["Invalid"]["field"], "risk");
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_queue_pages_by_its_sort_key_without_repeats() {
    let app = TestApp::spawn().await;
    let reviewer = app.persona("reviewer", &[OperatorRole::Reviewer]).await;
    let s = seller(&app, "Tea House").await;
    let mut submitted = vec![];
    for i in 0..27 {
        let (_, v) = submit(&app, &s, None, &raw(&format!("Tea number {i}"), "10.00", "3", &[])).await;
        submitted.push(v);
        if i % 3 == 0 {
            app.advance(60_000);
        }
    }
    // A mix of risks at equal due times.
    for (i, v) in submitted.iter().enumerate() {
        let risk = ["low", "medium", "high"][i % 3];
        sqlx::query("UPDATE listing_versions SET risk = $1 WHERE id = $2")
            .bind(risk)
            .bind(*v)
            .execute(app.state.db.read())
            .await
            .unwrap();
    }
    let first = queue(&app, &reviewer, &[]).await;
    assert_eq!(first["rows"].as_array().unwrap().len(), 25);
    let cursor = first["next"].as_str().expect("a second page").to_string();
    let second = queue(&app, &reviewer, &[("cursor", &cursor)]).await;
    assert!(second["next"].is_null());
    let mut all: Vec<Value> = first["rows"].as_array().unwrap().clone();
    all.extend(second["rows"].as_array().unwrap().iter().cloned());
    assert_eq!(all.len(), 27);
    let rank = |r: &str| match r {
        "High" => 2,
        "Medium" => 1,
        _ => 0,
    };
    let keys: Vec<(i64, i64, i64)> = all
        .iter()
        .map(|r| {
            (
                r["sla_due_at_ms"].as_i64().unwrap(),
                -rank(r["risk"].as_str().unwrap()),
                r["version_id"].as_i64().unwrap(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    let mut ids: Vec<i64> = keys.iter().map(|k| k.2).collect();
    ids.sort();
    submitted.sort();
    assert_eq!(ids, submitted);
    app.finish().await;
}
