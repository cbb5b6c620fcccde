//! Trust & safety: buyers report listings and sellers, operators take listings down or suspend
//! sellers, sellers appeal takedowns. Every decision is taken once, audited, and told to the people
//! involved; a takedown leaves search at once and an upheld appeal brings the listing back.

use crate::helpers::{field_error, Persona, TestApp, CROWD, PASSWORD};
use agora_app::domain::permissions::OperatorRole;
use agora_app::platform::audit_log::{verify_chain, ChainStatus};
use reqwest::StatusCode;
use serde_json::Value;

const BODY: &str = "This is a counterfeit of a well-known brand.";
const REASON: &str = "counterfeit goods confirmed";

/// The storefront's search finds listing `id` by `q`.
async fn found_by_search(app: &TestApp, q: &str, id: i64) -> bool {
    let (status, body) = app.call(&app.anonymous(), "storefront_search", &[("q", q)]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["page"]["rows"].as_array().unwrap().iter().any(|r| r["id"] == id)
}

async fn in_search(app: &TestApp, listing: i64) -> bool {
    let sql = "SELECT COUNT(*) FROM search_documents WHERE listing_id = $1";
    sqlx::query_scalar::<_, i64>(sql).bind(listing).fetch_one(app.state.db.read()).await.unwrap() == 1
}

async fn text(app: &TestApp, sql: &str, id: i64) -> String {
    sqlx::query_scalar(sql).bind(id).fetch_one(app.state.db.read()).await.unwrap()
}

async fn listing_status(app: &TestApp, id: i64) -> String {
    text(app, "SELECT status FROM listings WHERE id = $1", id).await
}

async fn report_status(app: &TestApp, id: i64) -> String {
    text(app, "SELECT status || ':' || resolution FROM reports WHERE id = $1", id).await
}

/// The kinds of the trust & safety notifications `who` received (after the outbox is drained);
/// the review flow's own notices are left out.
async fn notifications(app: &TestApp, who: &Persona) -> Vec<String> {
    app.drain_outbox().await;
    sqlx::query_scalar(
        "SELECT kind FROM notifications WHERE user_id = $1 AND (kind LIKE 'trust.%' OR kind LIKE 'sellers.%') ORDER BY id",
    )
        .bind(who.user_id.unwrap())
        .fetch_all(app.state.db.read())
        .await
        .unwrap()
}

async fn audit_count(app: &TestApp, action: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = $1")
        .bind(action)
        .fetch_one(app.state.db.read())
        .await
        .unwrap()
}

async fn report(
    app: &TestApp,
    who: &Persona,
    target: &str,
    id: i64,
    category: &str,
    body: &str,
) -> (StatusCode, Value) {
    app.call(
        who,
        "report_target",
        &[("target", target), ("target_id", &id.to_string()), ("category", category), ("body", body)],
    )
    .await
}

async fn report_ok(app: &TestApp, who: &Persona, target: &str, id: i64) -> i64 {
    let (status, body) = report(app, who, target, id, "counterfeit", BODY).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body.as_i64().expect("the report's id")
}

async fn decide(app: &TestApp, who: &Persona, id: i64, resolution: &str, reason: &str) -> (StatusCode, Value) {
    app.call(who, "decide_report", &[("id", &id.to_string()), ("resolution", resolution), ("reason", reason)]).await
}

async fn appeal(app: &TestApp, who: &Persona, listing: i64) -> (StatusCode, Value) {
    app.call(
        who,
        "appeal_takedown",
        &[("listing_id", &listing.to_string()), ("body", "These are genuine goods; invoices attached to our profile.")],
    )
    .await
}

fn assert_conflict(status: StatusCode, body: &Value, code: &str) {
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["Conflict"]["code"], code, "{body}");
}

fn assert_invalid(status: StatusCode, body: &Value, field: &str, code: &str) {
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(field_error(body), Some((field.to_string(), code.to_string())), "{body}");
}

struct World {
    seller: Persona,
    org: i64,
    listing: i64,
    buyer: Persona,
    reviewer: Persona,
}

async fn world(app: &TestApp) -> World {
    let seller = app.persona("seller", &[]).await;
    let org = app.organisation_owned_by(&seller, "Tea House").await;
    let listing = app.live_listing(&seller, "Oolong tea gift box", 5).await.0;
    let buyer = app.persona("buyer", &[]).await;
    let reviewer = app.persona("reviewer", &[OperatorRole::Reviewer]).await;
    World { seller, org, listing, buyer, reviewer }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reported_listing_is_taken_down_then_reinstated_on_appeal() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    let buyer2 = app.persona("buyer2", &[]).await;
    assert!(found_by_search(&app, "Oolong", w.listing).await);
    let first = report_ok(&app, &w.buyer, "listing", w.listing).await;
    let second = report_ok(&app, &buyer2, "listing", w.listing).await;

    // The queue groups repeated reports on one target.
    let (status, page) = app.call(&w.reviewer, "list_reports", &[("status", "open")]).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let rows = page["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["id"], first, "open cases come oldest first");
    assert!(rows.iter().all(|r| r["open_on_target"] == 2), "{page}");
    assert_eq!(rows[0]["target_label"], "Oolong tea gift box");
    let (_, counters) = app.call(&w.reviewer, "report_queue_counters", &[]).await;
    assert_eq!(counters["open_reports"], 2, "{counters}");
    assert_eq!(counters["reported_targets"], 1);
    assert_eq!(counters["repeated_targets"], 1);

    // The takedown: blocked with the reason, out of search, every open report on it resolved.
    let (status, body) = decide(&app, &w.reviewer, first, "listing_taken_down", REASON).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(listing_status(&app, w.listing).await, "blocked");
    assert_eq!(text(&app, "SELECT status_reason FROM listings WHERE id = $1", w.listing).await, REASON);
    assert!(!in_search(&app, w.listing).await, "a taken-down listing left search");
    assert!(!found_by_search(&app, "Oolong", w.listing).await);
    let (status, _) = app.call(&app.anonymous(), "storefront_listing", &[("id", &w.listing.to_string())]).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "the product page says it is unavailable");
    assert_eq!(report_status(&app, first).await, "resolved:listing_taken_down");
    assert_eq!(report_status(&app, second).await, "resolved:listing_taken_down");
    assert_eq!(audit_count(&app, "listings.take_down").await, 1);
    assert_eq!(audit_count(&app, "reports.decide").await, 1);

    // Decided once: a second operator, or the grouped report, gets a clear conflict.
    let other = app.persona("reviewer2", &[OperatorRole::Reviewer]).await;
    let (status, body) = decide(&app, &other, first, "dismissed", "looks fine to me").await;
    assert_conflict(status, &body, "reports.already_decided");
    let (status, body) = decide(&app, &other, second, "listing_taken_down", REASON).await;
    assert_conflict(status, &body, "reports.already_decided");

    assert_eq!(notifications(&app, &w.buyer).await, vec!["trust.report_reviewed.listing_taken_down"]);
    assert_eq!(notifications(&app, &buyer2).await, vec!["trust.report_reviewed.listing_taken_down"]);
    assert_eq!(notifications(&app, &w.seller).await, vec!["trust.listing_taken_down"]);

    // The seller appeals; one open appeal per listing.
    let (status, ctx) = app.call(&w.seller, "appeal_status", &[("listing_id", &w.listing.to_string())]).await;
    assert_eq!(status, StatusCode::OK, "{ctx}");
    assert_eq!(ctx["taken_down"], true);
    assert_eq!(ctx["status_reason"], REASON);
    let (status, body) = appeal(&app, &w.seller, w.listing).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let appeal_id = body.as_i64().unwrap();
    let staff = app.persona("staff", &[]).await;
    app.state
        .db
        .execute_write(
            sqlx::query(
                "INSERT INTO organisation_members (organisation_id, user_id, role, added_at) VALUES ($1, $2, 'staff', 0)",
            )
            .bind(w.org)
            .bind(staff.user_id.unwrap()),
        )
        .await
        .unwrap();
    let (status, body) = appeal(&app, &staff, w.listing).await;
    assert_conflict(status, &body, "reports.appeal_open");
    let appeal_of: Option<i64> = sqlx::query_scalar("SELECT appeal_of FROM reports WHERE id = $1")
        .bind(appeal_id)
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    assert!(appeal_of == Some(first) || appeal_of == Some(second), "{appeal_of:?}");

    // An appeal cannot take anything down; upheld, the listing is back and searchable.
    let (status, body) = decide(&app, &w.reviewer, appeal_id, "listing_taken_down", REASON).await;
    assert_conflict(status, &body, "reports.not_applicable");
    let (status, body) = decide(&app, &w.reviewer, appeal_id, "reinstated", "invoices check out").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(listing_status(&app, w.listing).await, "active");
    assert_eq!(text(&app, "SELECT status_reason FROM listings WHERE id = $1", w.listing).await, "");
    assert!(in_search(&app, w.listing).await, "a reinstated listing is searchable again");
    assert!(found_by_search(&app, "Oolong", w.listing).await);
    assert_eq!(audit_count(&app, "listings.reinstate").await, 1);
    let seller_news = notifications(&app, &w.seller).await;
    assert_eq!(seller_news.last().map(String::as_str), Some("trust.appeal_upheld"), "{seller_news:?}");
    assert_eq!(notifications(&app, &staff).await, vec!["trust.appeal_upheld"]);

    // Nothing left to appeal.
    let (status, body) = appeal(&app, &staff, w.listing).await;
    assert_conflict(status, &body, "reports.not_taken_down");

    assert!(matches!(verify_chain(&app.state.db).await.unwrap(), ChainStatus::Intact { .. }));
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dismissed_report_leaves_the_listing_alone_and_a_denied_appeal_keeps_it_down() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    let id = report_ok(&app, &w.buyer, "listing", w.listing).await;
    let (status, body) = decide(&app, &w.reviewer, id, "dismissed", "").await;
    assert_invalid(status, &body, "reason", "reason.too_short");
    let (status, body) = decide(&app, &w.reviewer, id, "seller_suspended", REASON).await;
    assert_invalid(status, &body, "resolution", "reports.suspend_protected");
    assert_eq!(report_status(&app, id).await, "open:");
    let (status, body) = decide(&app, &w.reviewer, id, "dismissed", "not a counterfeit").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(report_status(&app, id).await, "resolved:dismissed");
    assert_eq!(listing_status(&app, w.listing).await, "active");
    assert!(in_search(&app, w.listing).await);
    assert_eq!(notifications(&app, &w.buyer).await, vec!["trust.report_reviewed.dismissed"]);
    assert!(notifications(&app, &w.seller).await.is_empty(), "the seller never heard of a dismissed report");

    // A second buyer's report leads to a takedown; the appeal is denied and the listing stays down.
    let buyer2 = app.persona("buyer2", &[]).await;
    let id2 = report_ok(&app, &buyer2, "listing", w.listing).await;
    let (status, body) = decide(&app, &w.reviewer, id2, "listing_taken_down", REASON).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, appeal_id) = appeal(&app, &w.seller, w.listing).await;
    let appeal_id = appeal_id.as_i64().unwrap();
    let (status, body) = decide(&app, &w.reviewer, appeal_id, "dismissed", "the brand owner confirmed it").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(listing_status(&app, w.listing).await, "blocked");
    assert!(!in_search(&app, w.listing).await);
    assert_eq!(notifications(&app, &w.seller).await, vec!["trust.listing_taken_down", "trust.appeal_denied"]);
    // Each member appeals a listing once.
    let (status, body) = appeal(&app, &w.seller, w.listing).await;
    assert_conflict(status, &body, "reports.already_appealed");
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reported_seller_is_suspended_only_with_the_password() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    let id = report_ok(&app, &w.buyer, "seller", w.org).await;
    let buyer2 = app.persona("buyer2", &[]).await;
    let on_listing = report_ok(&app, &buyer2, "listing", w.listing).await;
    let (status, body) = decide(&app, &w.reviewer, id, "listing_taken_down", REASON).await;
    assert_conflict(status, &body, "reports.not_applicable");

    let suspend = |password: &'static str, reason: &'static str| {
        let id = id.to_string();
        let reviewer = &w.reviewer;
        let app = &app;
        async move {
            app.call(reviewer, "suspend_reported_seller", &[("id", &id), ("reason", reason), ("password", password)])
                .await
        }
    };
    let (status, body) = suspend("wrong password", REASON).await;
    assert_invalid(status, &body, "password", "password.wrong");
    let (status, body) = suspend(PASSWORD, "").await;
    assert_invalid(status, &body, "reason", "reason.too_short");
    assert_eq!(text(&app, "SELECT status FROM organisations WHERE id = $1", w.org).await, "active");
    assert_eq!(report_status(&app, id).await, "open:");

    let (status, body) = suspend(PASSWORD, "fraudulent shop").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(text(&app, "SELECT status FROM organisations WHERE id = $1", w.org).await, "suspended");
    let transition = text(
        &app,
        "SELECT from_status || '>' || to_status || ':' || action || ':' || reason FROM seller_transitions WHERE organisation_id = $1",
        w.org,
    )
    .await;
    assert_eq!(transition, "active>suspended:suspend:fraudulent shop");
    assert_eq!(report_status(&app, id).await, "resolved:seller_suspended");
    assert_eq!(report_status(&app, on_listing).await, "resolved:seller_suspended", "reports on its listings too");
    assert_eq!(audit_count(&app, "sellers.suspend").await, 1);
    let after: String = sqlx::query_scalar("SELECT after_json FROM audit_log WHERE action = 'sellers.suspend'")
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    let after: Value = serde_json::from_str(&after).unwrap();
    assert_eq!(after["impact"]["hidden_listings"], 1, "{after}");
    assert_eq!(notifications(&app, &w.seller).await, vec!["sellers.suspended"]);
    assert_eq!(notifications(&app, &w.buyer).await, vec!["trust.report_reviewed.seller_suspended"]);

    // Decided once; and a suspended seller's listings can no longer be reported (buyers cannot see them).
    let (status, body) = suspend(PASSWORD, "fraudulent shop").await;
    assert_conflict(status, &body, "reports.already_decided");
    let buyer3 = app.persona("buyer3", &[]).await;
    let (status, _) = report(&app, &buyer3, "listing", w.listing, "fraud", BODY).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = report(&app, &buyer3, "seller", w.org, "fraud", BODY).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_reports_and_appeals_are_refused_and_change_nothing() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    report_ok(&app, &w.buyer, "listing", w.listing).await;
    let (status, body) = report(&app, &w.buyer, "listing", w.listing, "fraud", BODY).await;
    assert_conflict(status, &body, "reports.already_reported");
    let (status, body) = report(&app, &w.seller, "listing", w.listing, "fraud", BODY).await;
    assert_conflict(status, &body, "reports.own_target");
    let (status, body) = report(&app, &w.seller, "seller", w.org, "fraud", BODY).await;
    assert_conflict(status, &body, "reports.own_target");
    let (status, body) = report(&app, &w.buyer, "seller", w.org, "spam", BODY).await;
    assert_invalid(status, &body, "category", "field.choose");
    let (status, body) = report(&app, &w.buyer, "seller", w.org, "fraud", "bad").await;
    assert_invalid(status, &body, "body", "field.too_short");
    let (status, body) = report(&app, &w.buyer, "seller", w.org, "fraud", &"x".repeat(2001)).await;
    assert_invalid(status, &body, "body", "field.too_long");
    let (status, body) = report(&app, &w.buyer, "order", w.org, "fraud", BODY).await;
    assert_invalid(status, &body, "target", "reports.bad_target");
    let (status, _) = report(&app, &w.buyer, "listing", 999_999, "fraud", BODY).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = report(&app, &app.anonymous(), "listing", w.listing, "fraud", BODY).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.count("SELECT COUNT(*) FROM reports").await, 1);

    // Appeals: not taken down, another seller's listing, a buyer.
    let (status, body) = appeal(&app, &w.seller, w.listing).await;
    assert_conflict(status, &body, "reports.not_taken_down");
    let rival = app.persona("rival", &[]).await;
    app.organisation_owned_by(&rival, "Rival Tea").await;
    let rival_listing = app.live_listing(&rival, "Rival green tea", 5).await.0;
    let (status, _) = appeal(&app, &w.seller, rival_listing).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "a seller never touches another seller's listing");
    let (status, _) = app.call(&w.seller, "appeal_status", &[("listing_id", &rival_listing.to_string())]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = appeal(&app, &w.buyer, w.listing).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Reading the queue is not deciding.
    let support = app.persona("support", &[OperatorRole::Support]).await;
    let (status, _) = app.call(&support, "list_reports", &[]).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = decide(&app, &support, 1, "dismissed", REASON).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(app.count("SELECT COUNT(*) FROM reports WHERE kind = 'appeal'").await, 0);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_operators_deciding_at_once_decide_once() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    let other = app.persona("reviewer2", &[OperatorRole::Reviewer]).await;
    let id = report_ok(&app, &w.buyer, "listing", w.listing).await;
    let ((s1, b1), (s2, b2)) = tokio::join!(
        decide(&app, &w.reviewer, id, "listing_taken_down", REASON),
        decide(&app, &other, id, "dismissed", "not founded at all"),
    );
    let mut statuses = [s1, s2];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT], "{b1} {b2}");
    assert_eq!(audit_count(&app, "reports.decide").await, 1);
    assert_eq!(notifications(&app, &w.buyer).await.len(), 1);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_queue_filters_and_pages_open_cases_first() {
    // 29 reports from one address in a moment: a crowd, for the rate limits.
    let app = TestApp::spawn_with(&CROWD).await;
    let w = world(&app).await;
    let second_listing = app.live_listing(&w.seller, "Jasmine pearls", 5).await.0;
    // 27 reports on one listing, one on the seller, one on another listing, decided.
    let mut ids = vec![];
    for i in 0..27 {
        let buyer = app.persona(&format!("b{i}"), &[]).await;
        ids.push(report_ok(&app, &buyer, "listing", w.listing).await);
    }
    report_ok(&app, &w.buyer, "seller", w.org).await;
    let decided = report_ok(&app, &w.buyer, "listing", second_listing).await;
    let (status, body) = decide(&app, &w.reviewer, decided, "dismissed", "nothing wrong here").await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let (status, page1) = app.call(&w.reviewer, "list_reports", &[]).await;
    assert_eq!(status, StatusCode::OK, "{page1}");
    let rows1 = page1["rows"].as_array().unwrap();
    assert_eq!(rows1.len(), 25);
    assert_eq!(rows1[0]["id"], ids[0]);
    assert_eq!(rows1[0]["open_on_target"], 27);
    let next = page1["next"].as_str().unwrap().to_string();
    let (_, page2) = app.call(&w.reviewer, "list_reports", &[("cursor", &next)]).await;
    let rows2 = page2["rows"].as_array().unwrap();
    assert_eq!(rows2.len(), 4, "{page2}");
    assert_eq!(rows2[3]["id"], decided, "decided cases come after every open one");
    assert_eq!(rows2[3]["status"], "Resolved");
    assert!(page2["next"].is_null());

    let (_, sellers) = app.call(&w.reviewer, "list_reports", &[("target", "seller")]).await;
    assert_eq!(sellers["rows"].as_array().unwrap().len(), 1);
    let (_, done) = app.call(&w.reviewer, "list_reports", &[("status", "resolved")]).await;
    assert_eq!(done["rows"].as_array().unwrap().len(), 1);
    let (_, on_target) = app
        .call(&w.reviewer, "list_reports", &[("target", "listing"), ("target_id", &second_listing.to_string())])
        .await;
    assert_eq!(on_target["rows"].as_array().unwrap().len(), 1);
    let (_, appeals) = app.call(&w.reviewer, "list_reports", &[("kind", "appeal"), ("category", "fraud")]).await;
    assert_eq!(appeals["rows"].as_array().unwrap().len(), 0);
    let (status, body) = app.call(&w.reviewer, "list_reports", &[("kind", "complaint")]).await;
    assert_invalid(status, &body, "kind", "reports.bad_filter");

    let (status, detail) = app.call(&w.reviewer, "get_report", &[("id", &ids[0].to_string())]).await;
    assert_eq!(status, StatusCode::OK, "{detail}");
    assert_eq!(detail["body"], BODY);
    assert_eq!(detail["related"].as_array().unwrap().len(), 20, "related cases are bounded");
    assert_eq!(detail["target_state"]["status"], "active");
    let (status, _) = app.call(&w.reviewer, "get_report", &[("id", "424242")]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    app.finish().await;
}
