//! Curation and catalog control (issue 13): featured listings and home sections with schedules, as
//! the rendered home page shows them (the cached page included), and the console's listing directory
//! (filters, keyset pages, take-down with the seller's appeal, category correction).

use crate::helpers::{field_error, Persona, TestApp};
use crate::storefront::page;
use agora_app::domain::curation::format_local_time;
use agora_app::domain::permissions::OperatorRole;
use reqwest::StatusCode;
use serde_json::Value;

const MINUTE: i64 = 60_000;

struct Shop {
    org: i64,
    owner: Persona,
}

async fn shop(app: &TestApp, name: &str) -> Shop {
    let owner = app.persona("owner", &[]).await;
    let org = app.organisation_owned_by(&owner, name).await;
    Shop { org, owner }
}

/// A listing inserted as the seller center and review would leave it (`status`, live or not), one
/// second after the previous one so "newest" has a known order.
async fn listing(app: &TestApp, shop: &Shop, title: &str, status: &str, category: Option<i64>, price: i64) -> i64 {
    app.advance(1000);
    let now = app.state.now_ms();
    sqlx::query_scalar(
        "INSERT INTO listings (organisation_id, status, title, description, category_id, price_minor, currency, \
         weight_grams, options_json, images_json, stock_total, created_by, created_at, updated_at, published_at) \
         VALUES ($1, $2, $3, 'A fixture for curation.', $4, $5, 'USD', 250, '[]', '[]', 5, $6, $7, $7, $7) RETURNING id",
    )
    .bind(shop.org)
    .bind(status)
    .bind(title)
    .bind(category)
    .bind(price)
    .bind(shop.owner.user_id.unwrap())
    .bind(now)
    .fetch_one(app.state.db.read())
    .await
    .unwrap()
}

async fn category(app: &TestApp, slug: &str, en: &str, zh: &str, status: &str) -> i64 {
    let now = app.state.now_ms();
    sqlx::query_scalar(
        "INSERT INTO categories (parent_id, slug, name_en, name_zh, status, browsable, position, created_at, updated_at) \
         VALUES (NULL, $1, $2, $3, $4, $5, 0, $6, $6) RETURNING id",
    )
    .bind(slug)
    .bind(en)
    .bind(zh)
    .bind(status)
    .bind(i64::from(status == "active"))
    .bind(now)
    .fetch_one(app.state.db.read())
    .await
    .unwrap()
}

async fn scalar_text(app: &TestApp, sql: &str, id: i64) -> String {
    sqlx::query_scalar(sql).bind(id).fetch_one(app.state.db.read()).await.unwrap()
}

async fn audit_count(app: &TestApp, action: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = $1")
        .bind(action)
        .fetch_one(app.state.db.read())
        .await
        .unwrap()
}

/// The HTML of the home page's section `testid` (up to its closing tag), if shown.
fn section<'a>(html: &'a str, testid: &str) -> Option<&'a str> {
    let start = html.find(&format!("data-testid=\"{testid}\""))?;
    let end = html[start..].find("</section>").map(|e| start + e).unwrap_or(html.len());
    Some(&html[start..end])
}

async fn home(app: &TestApp) -> String {
    let (status, html) = page(app, "/").await;
    assert_eq!(status, StatusCode::OK);
    html
}

/// The next whole minute at least one minute ahead (schedules are typed to the minute).
fn next_minute(now: i64) -> i64 {
    (now / MINUTE + 2) * MINUTE
}

fn at(ms: i64) -> String {
    format_local_time(ms, 0)
}

async fn feature(app: &TestApp, who: &Persona, id: i64, from: &str, to: &str) -> (StatusCode, Value) {
    app.call(who, "feature_listing", &[("listing_id", &id.to_string()), ("starts_at", from), ("ends_at", to)]).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_featured_listing_shows_on_the_home_page_only_within_its_schedule_and_in_its_order() {
    let app = TestApp::spawn().await;
    let curator = app.persona("curator", &[OperatorRole::Admin]).await;
    let s = shop(&app, "Blue Kiln").await;
    let mug = listing(&app, &s, "Blue ceramic mug", "active", None, 1500).await;
    let pot = listing(&app, &s, "Green teapot", "active", None, 4200).await;
    let cup = listing(&app, &s, "Scheduled cup", "active", None, 900).await;

    // Featured now, in the order given: the teapot first, then the mug; moving the mug up swaps them.
    for id in [pot, mug] {
        let (status, body) = feature(&app, &curator, id, "", "").await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let html = home(&app).await;
    let featured = section(&html, "featured").expect("the featured section");
    assert!(featured.find("Green teapot").unwrap() < featured.find("Blue ceramic mug").unwrap());
    let (status, body) =
        app.call(&curator, "move_featured", &[("listing_id", &mug.to_string()), ("direction", "up")]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let html = home(&app).await;
    let featured = section(&html, "featured").unwrap();
    assert!(featured.find("Blue ceramic mug").unwrap() < featured.find("Green teapot").unwrap(), "moved up");
    let (status, body) =
        app.call(&curator, "move_featured", &[("listing_id", &mug.to_string()), ("direction", "up")]).await;
    assert_eq!(status, StatusCode::CONFLICT, "the first cannot move up: {body}");

    // A scheduled feature: not shown before its start, shown from it, gone at its end. Each time the
    // page was cached a few seconds before (well inside the cache's TTL), so only the timer's flag
    // flip (which bumps the catalog version) can change what the next visitor sees.
    let from = next_minute(app.state.now_ms());
    let (status, body) = feature(&app, &curator, cup, &at(from), &at(from + MINUTE)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    app.advance(from - 5_000 - app.state.now_ms());
    app.run_due_jobs().await;
    assert!(!section(&home(&app).await, "featured").unwrap().contains("Scheduled cup"), "not before its start");
    app.advance(5_000);
    app.run_due_jobs().await;
    assert!(section(&home(&app).await, "featured").unwrap().contains("Scheduled cup"), "shown from its start");
    app.advance(MINUTE - 10_000);
    assert!(section(&home(&app).await, "featured").unwrap().contains("Scheduled cup"));
    app.advance(10_000);
    app.run_due_jobs().await;
    assert!(!section(&home(&app).await, "featured").unwrap().contains("Scheduled cup"), "gone at its end");
    let flag: i64 = sqlx::query_scalar("SELECT featured FROM listings WHERE id = $1")
        .bind(cup)
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    assert_eq!(flag, 0);

    // Unfeaturing takes it off at once; the product and search pages never change.
    let (status, body) = app.call(&curator, "unfeature_listing", &[("listing_id", &pot.to_string())]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(!section(&home(&app).await, "featured").unwrap().contains("Green teapot"));
    let (status, html) = page(&app, &format!("/p/{pot}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Green teapot"));

    // Audited: three features, one move, one timer flip on and one off, one unfeature.
    assert_eq!(audit_count(&app, "curation.feature").await, 3 + 1 + 1);
    assert_eq!(audit_count(&app, "curation.unfeature").await, 1 + 1);
    let (status, overview) = app.call(&curator, "curation_overview", &[]).await;
    assert_eq!(status, StatusCode::OK, "{overview}");
    let order: Vec<i64> =
        overview["features"].as_array().unwrap().iter().map(|f| f["listing_id"].as_i64().unwrap()).collect();
    assert_eq!(order, vec![mug, cup]);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_live_listings_of_active_sellers_are_featured_and_bad_schedules_are_refused() {
    let app = TestApp::spawn().await;
    let curator = app.persona("curator", &[OperatorRole::Admin]).await;
    let s = shop(&app, "Blue Kiln").await;
    let draft = listing(&app, &s, "Draft mug", "draft", None, 1500).await;
    let blocked = listing(&app, &s, "Blocked mug", "blocked", None, 1500).await;
    let live = listing(&app, &s, "Live mug", "active", None, 1500).await;
    for id in [draft, blocked] {
        let (status, body) = feature(&app, &curator, id, "", "").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(field_error(&body), Some(("listing_id".into(), "curation.not_live".into())));
    }
    let (status, body) = app.call(&curator, "feature_listing", &[("listing_id", "mug")]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(field_error(&body), Some(("listing_id".into(), "curation.bad_listing_id".into())));
    let from = next_minute(app.state.now_ms());
    let (_, body) = feature(&app, &curator, live, &at(from + MINUTE), &at(from)).await;
    assert_eq!(field_error(&body), Some(("ends_at".into(), "curation.ends_before_starts".into())));
    let (_, body) = feature(&app, &curator, live, "next week", "").await;
    assert_eq!(field_error(&body), Some(("starts_at".into(), "curation.bad_time".into())));
    let (_, body) = feature(&app, &curator, live, "", &at(from - 10 * MINUTE)).await;
    assert_eq!(field_error(&body), Some(("ends_at".into(), "curation.ends_in_past".into())));
    // A suspended seller's listing is not live either.
    sqlx::query("UPDATE organisations SET status = 'suspended' WHERE id = $1")
        .bind(s.org)
        .execute(app.state.db.read())
        .await
        .unwrap();
    let (_, body) = feature(&app, &curator, live, "", "").await;
    assert_eq!(field_error(&body), Some(("listing_id".into(), "curation.not_live".into())));
    // Nothing changed.
    assert_eq!(app.count("SELECT COUNT(*) FROM curation_features").await, 0);
    assert_eq!(audit_count(&app, "curation.feature").await, 0);
    // Not an operator of curation: refused.
    let reviewer = app.persona("reviewer", &[OperatorRole::Reviewer]).await;
    let (status, _) = app.call(&reviewer, "curation_overview", &[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_home_page_shows_its_sections_in_their_order_when_visible_and_within_their_schedule() {
    let app = TestApp::spawn().await;
    let curator = app.persona("curator", &[OperatorRole::Admin]).await;
    let s = shop(&app, "Blue Kiln").await;
    let kitchen = category(&app, "kitchen", "Kitchen", "厨房", "active").await;
    let mug = listing(&app, &s, "Blue ceramic mug", "active", Some(kitchen), 1500).await;
    let (status, body) = feature(&app, &curator, mug, "", "").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let positions = |html: &str| -> Vec<usize> {
        ["home-categories", "featured", "newest"]
            .iter()
            .map(|k| html.find(&format!("data-testid=\"{k}\"")).unwrap_or(usize::MAX))
            .collect()
    };
    let p = positions(&home(&app).await);
    assert!(p[0] < p[1] && p[1] < p[2], "the default order: {p:?}");

    // New arrivals first, then categories, then featured.
    for _ in 0..2 {
        let (status, body) = app.call(&curator, "move_home_section", &[("key", "newest"), ("direction", "up")]).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let p = positions(&home(&app).await);
    assert!(p[2] < p[0] && p[0] < p[1], "newest, categories, featured: {p:?}");

    // Hidden: left out.
    let (status, body) = app.call(&curator, "save_home_section", &[("key", "featured")]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(section(&home(&app).await, "featured").is_none());

    // Shown again from a minute ahead: out until then (the cached page included), in from then on.
    let from = next_minute(app.state.now_ms());
    let (status, body) = app
        .call(&curator, "save_home_section", &[("key", "featured"), ("visible", "1"), ("starts_at", &at(from))])
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    app.advance(from - 5_000 - app.state.now_ms());
    app.run_due_jobs().await;
    assert!(section(&home(&app).await, "featured").is_none(), "not yet");
    app.advance(5_000);
    app.run_due_jobs().await;
    assert!(section(&home(&app).await, "featured").is_some_and(|f| f.contains("Blue ceramic mug")), "from its start");

    // Bad input changes nothing.
    let before = audit_count(&app, "curation.sections").await;
    let (status, body) = app
        .call(
            &curator,
            "save_home_section",
            &[("key", "newest"), ("visible", "1"), ("starts_at", &at(from + MINUTE)), ("ends_at", &at(from))],
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(field_error(&body), Some(("ends_at".into(), "curation.ends_before_starts".into())));
    let (status, body) = app.call(&curator, "save_home_section", &[("key", "hero"), ("visible", "1")]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(audit_count(&app, "curation.sections").await, before);
    assert_eq!(before, 2 + 2, "two moves and two saves, each audited");
    let (_, overview) = app.call(&curator, "curation_overview", &[]).await;
    let keys: Vec<&str> = overview["sections"].as_array().unwrap().iter().map(|s| s["key"].as_str().unwrap()).collect();
    assert_eq!(keys, vec!["newest", "categories", "featured"]);
    app.finish().await;
}

fn rows(page: &Value) -> Vec<i64> {
    page["rows"].as_array().unwrap().iter().map(|r| r["id"].as_i64().unwrap()).collect()
}

async fn directory(app: &TestApp, who: &Persona, form: &[(&str, &str)]) -> Value {
    let (status, body) = app.call(who, "list_listing_directory", form).await;
    assert_eq!(status, StatusCode::OK, "{form:?}: {body}");
    body
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_listing_directory_filters_and_pages_every_listing_newest_first() {
    let app = TestApp::spawn().await;
    let (kiln, tea) = (shop(&app, "Blue Kiln").await, shop(&app, "Tea House").await);
    let (kitchen, drinks) = (
        category(&app, "kitchen", "Kitchen", "厨房", "active").await,
        category(&app, "drinks", "Drinks", "饮品", "active").await,
    );
    // Start an hour into a day, so the first fifteen listings are all created on it.
    let now = app.state.now_ms();
    app.advance((now / 86_400_000 + 1) * 86_400_000 + 3_600_000 - now);
    let day0 = app.state.now_ms();
    let mut all = vec![];
    for i in 0..30i64 {
        let (s, c, status) = if i % 3 == 0 { (&tea, drinks, "draft") } else { (&kiln, kitchen, "active") };
        all.push(listing(&app, s, &format!("Item {i}"), status, Some(c), 1000 + i * 100).await);
        if i == 14 {
            app.advance(2 * 86_400_000);
        }
    }
    all.reverse();
    // Signed in after the clock moved (sessions expire while it does).
    let support = app.persona("support", &[OperatorRole::Support]).await;

    // Every listing once, newest first, over two keyset pages.
    let first = directory(&app, &support, &[]).await;
    assert_eq!(rows(&first).len(), 25);
    let cursor = first["next"].as_str().unwrap().to_string();
    let second = directory(&app, &support, &[("cursor", &cursor)]).await;
    assert!(second["next"].is_null());
    let seen: Vec<i64> = rows(&first).into_iter().chain(rows(&second)).collect();
    assert_eq!(seen, all);

    let tea_ids: Vec<i64> = all.iter().enumerate().filter(|(i, _)| (29 - i) % 3 == 0).map(|(_, id)| *id).collect();
    assert_eq!(rows(&directory(&app, &support, &[("seller", &tea.org.to_string())]).await), tea_ids);
    assert_eq!(rows(&directory(&app, &support, &[("seller", "tea ho")]).await), tea_ids);
    assert_eq!(rows(&directory(&app, &support, &[("category", &drinks.to_string())]).await), tea_ids);
    assert_eq!(rows(&directory(&app, &support, &[("status", "draft")]).await), tea_ids);
    let cheap = rows(&directory(&app, &support, &[("min", "10"), ("max", "12.00")]).await);
    assert_eq!(cheap, all[27..].to_vec(), "1000, 1100 and 1200 minor");
    // Created on the first day: the first 15 listings (the clock then jumped two days).
    let day = format_local_time(day0, 0)[..10].to_string();
    let first_day = rows(&directory(&app, &support, &[("from", &day), ("to", &day)]).await);
    assert_eq!(first_day, all[15..].to_vec());

    // Bad filters are refused next to their field.
    for (form, field) in [
        (vec![("min", "cheap")], "min"),
        (vec![("min", "20"), ("max", "10")], "max"),
        (vec![("status", "gone")], "status"),
        (vec![("from", "2026-13-01")], "from"),
    ] {
        let (status, body) = app.call(&support, "list_listing_directory", &form).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{form:?}");
        assert_eq!(field_error(&body).map(|(f, _)| f).as_deref(), Some(field), "{form:?}");
    }
    let (status, detail) = app.call(&support, "directory_listing", &[("id", &all[0].to_string())]).await;
    assert_eq!(status, StatusCode::OK, "{detail}");
    assert_eq!(detail["row"]["title"], "Item 29");
    app.finish().await;
}

async fn notifications(app: &TestApp, who: &Persona, kind: &str) -> Vec<Value> {
    app.drain_outbox().await;
    let payloads: Vec<String> =
        sqlx::query_scalar("SELECT payload_json FROM notifications WHERE user_id = $1 AND kind = $2 ORDER BY id")
            .bind(who.user_id.unwrap())
            .bind(kind)
            .fetch_all(app.state.db.read())
            .await
            .unwrap();
    payloads.iter().map(|p| serde_json::from_str(p).unwrap()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_take_down_from_the_directory_is_shown_to_the_seller_and_appealed_like_a_report_take_down() {
    let app = TestApp::spawn().await;
    let operator = app.persona("reviewer", &[OperatorRole::Reviewer]).await;
    let s = shop(&app, "Blue Kiln").await;
    let mug = listing(&app, &s, "Blue ceramic mug", "active", None, 1500).await;
    let draft = listing(&app, &s, "Draft mug", "draft", None, 1500).await;
    const REASON: &str = "The photos show a different product.";

    let (status, body) = app.call(&operator, "directory_take_down", &[("id", &mug.to_string()), ("reason", " ")]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(field_error(&body).map(|(f, _)| f).as_deref(), Some("reason"));
    let (status, body) =
        app.call(&operator, "directory_take_down", &[("id", &draft.to_string()), ("reason", REASON)]).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let support = app.persona("support", &[OperatorRole::Support]).await;
    let (status, _) = app.call(&support, "directory_take_down", &[("id", &mug.to_string()), ("reason", REASON)]).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "reading the directory is not acting on it");

    let (status, body) =
        app.call(&operator, "directory_take_down", &[("id", &mug.to_string()), ("reason", REASON)]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(scalar_text(&app, "SELECT status FROM listings WHERE id = $1", mug).await, "blocked");
    let (status, _) = page(&app, &format!("/p/{mug}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "off the storefront");
    assert_eq!(audit_count(&app, "listings.take_down").await, 1);
    let told = notifications(&app, &s.owner, "trust.listing_taken_down").await;
    assert_eq!(told.len(), 1);
    assert_eq!(told[0]["reason"], REASON);

    // The seller sees the reason and appeals; trust & safety upholds the appeal: the listing is back.
    let (status, ctx) = app.call(&s.owner, "appeal_status", &[("listing_id", &mug.to_string())]).await;
    assert_eq!(status, StatusCode::OK, "{ctx}");
    assert_eq!(ctx["taken_down"], true);
    assert_eq!(ctx["status_reason"], REASON);
    let (status, appeal) = app
        .call(
            &s.owner,
            "appeal_takedown",
            &[("listing_id", &mug.to_string()), ("body", "It is the same mug, see the label.")],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{appeal}");
    let appeal_id = appeal.as_i64().unwrap();
    let (status, body) = app
        .call(
            &operator,
            "decide_report",
            &[("id", &appeal_id.to_string()), ("resolution", "reinstated"), ("reason", "The label matches.")],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(scalar_text(&app, "SELECT status FROM listings WHERE id = $1", mug).await, "active");

    // Taken down a second time by the same operator, a while later: the same flow again.
    app.advance(60_000);
    let (status, body) =
        app.call(&operator, "directory_take_down", &[("id", &mug.to_string()), ("reason", REASON)]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, ctx) = app.call(&s.owner, "appeal_status", &[("listing_id", &mug.to_string())]).await;
    assert_eq!(ctx["taken_down"], true);
    assert_eq!(audit_count(&app, "listings.take_down").await, 2);
    let (_, detail) = app.call(&operator, "directory_listing", &[("id", &mug.to_string())]).await;
    assert_eq!(detail["status_reason"], REASON);
    assert_eq!(detail["can_take_down"], false);
    let actions: Vec<&str> =
        detail["audit"].as_array().unwrap().iter().map(|a| a["action"].as_str().unwrap()).collect();
    assert_eq!(actions, vec!["listings.take_down", "listings.reinstate", "listings.take_down"]);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn correcting_a_category_moves_the_listing_and_tells_the_seller() {
    let app = TestApp::spawn().await;
    let operator = app.persona("reviewer", &[OperatorRole::Reviewer]).await;
    let s = shop(&app, "Blue Kiln").await;
    let kitchen = category(&app, "kitchen", "Kitchen", "厨房", "active").await;
    let tea = category(&app, "tea", "Tea", "茶叶", "active").await;
    let old = category(&app, "old", "Old", "旧", "disabled").await;
    let mug = listing(&app, &s, "Green tea tin", "active", Some(kitchen), 1500).await;
    const REASON: &str = "Tea belongs under Tea.";
    let call = |category: i64| {
        let (id, c) = (mug.to_string(), category.to_string());
        let op = &operator;
        let app = &app;
        async move { app.call(op, "directory_recategorize", &[("id", &id), ("category_id", &c), ("reason", REASON)]).await }
    };
    for (category, code) in [
        (kitchen, "listing_directory.same_category"),
        (old, "listing_directory.category_disabled"),
        (999_999, "listing_directory.unknown_category"),
    ] {
        let (status, body) = call(category).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(field_error(&body), Some(("category_id".into(), code.into())));
    }
    let (status, body) = call(tea).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let now: i64 = sqlx::query_scalar("SELECT category_id FROM listings WHERE id = $1")
        .bind(mug)
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    assert_eq!(now, tea);
    let told = notifications(&app, &s.owner, "listings.recategorized").await;
    assert_eq!(told.len(), 1);
    assert_eq!(told[0]["category"], "Tea");
    assert_eq!(told[0]["category_zh"], "茶叶");
    assert_eq!(told[0]["reason"], REASON);
    let reason: String =
        sqlx::query_scalar("SELECT reason FROM audit_log WHERE action = 'listings.recategorize' AND target_id = $1")
            .bind(mug.to_string())
            .fetch_one(app.state.db.read())
            .await
            .unwrap();
    assert_eq!(reason, REASON);
    // The category page lists it under its new category.
    let (status, html) = page(&app, "/c/tea").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Green tea tin"));
    app.finish().await;
}
