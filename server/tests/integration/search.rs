//! Storefront search over the app's own term index (`domain::search`, `platform::search_index`):
//! Chinese of one, two and three characters, English words and prefixes, mixed queries, ranking, the
//! candidate cap, index maintenance, and bad input. Every expected list is exact, so the same
//! assertions passing on SQLite and on PostgreSQL (the harness runs both) is the comparison of the
//! two backends' results for one fixture.

use crate::helpers::{field_error, TestApp};
use crate::storefront::{found, ids, live_listing, page, search, shop, Fixture, Shop};
use agora_app::domain::search::document_terms;
use agora_app::platform::search_index;
use agora_app::storefront::search::MAX_CANDIDATES;
use reqwest::StatusCode;

struct Shelf {
    cup: i64,
    tray: i64,
    teapot: i64,
    mug: i64,
    mugs: i64,
}

/// Five listings of one seller, in this order (ids ascend).
async fn shelf(app: &TestApp, shop: &Shop) -> Shelf {
    let one = |sku| [(sku, &[][..], 1000, 3)];
    let (a, b, c, d, e) = (one("A"), one("B"), one("C"), one("D"), one("E"));
    let cup = live_listing(app, shop, Fixture::simple("手工陶瓷茶杯", "景德镇手工制作，青花图案。", None, &a)).await;
    let tray = live_listing(
        app,
        shop,
        Fixture::simple("Handmade walnut tray", "手工制作的托盘 with an oil finish.", None, &b),
    )
    .await;
    let teapot =
        live_listing(app, shop, Fixture::simple("Green teapot", "Cast iron, 1 litre. 铸铁茶壶", None, &c)).await;
    let mug = live_listing(app, shop, Fixture::simple("Blue ceramic mug", "Stoneware, 350 ml.", None, &d)).await;
    let mugs = live_listing(app, shop, Fixture::simple("Mugs and cups", "A set of four.", None, &e)).await;
    Shelf { cup, tray, teapot, mug, mugs }
}

/// The ids of the first page in the order shown (relevance unless `sort` says otherwise).
async fn ranked(app: &TestApp, q: &str) -> Vec<i64> {
    ids(&search(app, &[("q", q)]).await["page"])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chinese_of_any_length_english_words_and_prefixes_and_mixed_queries_find_what_contains_them() {
    let app = TestApp::spawn().await;
    let shop = shop(&app, "Kiln").await;
    let s = shelf(&app, &shop).await;
    let none: Vec<i64> = vec![];
    // One Chinese character, two, three and four.
    assert_eq!(ranked(&app, "杯").await, vec![s.cup]);
    assert_eq!(ranked(&app, "茶").await, vec![s.cup, s.teapot], "title before description");
    assert_eq!(ranked(&app, "手工").await, vec![s.cup, s.tray], "title and description before description only");
    assert_eq!(ranked(&app, "陶瓷茶").await, vec![s.cup]);
    assert_eq!(ranked(&app, "工制作").await, vec![s.tray, s.cup], "equal weight: newest first");
    assert_eq!(ranked(&app, "青花图案").await, vec![s.cup]);
    assert_eq!(ranked(&app, "陶茶").await, none, "two characters that are not adjacent");
    assert_eq!(ranked(&app, "手工制作茶杯").await, none, "its pairs are all in one listing, the phrase is not");
    // English: whole words, prefixes of any length, case, full-width letters, numbers.
    assert_eq!(ranked(&app, "mug").await, vec![s.mug, s.mugs], "a whole word before a prefix");
    assert_eq!(ranked(&app, "m").await, vec![s.mug, s.mugs]);
    assert_eq!(ranked(&app, "te").await, vec![s.teapot]);
    assert_eq!(ranked(&app, "STONEWARE").await, vec![s.mug]);
    assert_eq!(ranked(&app, "ｍｕｇ").await, vec![s.mug, s.mugs]);
    assert_eq!(ranked(&app, "350").await, vec![s.mug]);
    assert_eq!(ranked(&app, "w").await, vec![s.tray], "walnut (title) and with (description)");
    assert_eq!(ranked(&app, "ware").await, none, "words match from their start");
    // Mixed: every part must match, with or without a space between the scripts.
    assert_eq!(ranked(&app, "手工 tray").await, vec![s.tray]);
    assert_eq!(ranked(&app, "手工tray").await, vec![s.tray]);
    assert_eq!(ranked(&app, "铸铁 teapot").await, vec![s.teapot]);
    assert_eq!(ranked(&app, "茶杯 mug").await, none);
    // Other orders see the same matches.
    let newest = ids(&search(&app, &[("q", "手工"), ("sort", "newest")]).await["page"]);
    assert_eq!(newest, vec![s.tray, s.cup]);
    let cheapest = ids(&search(&app, &[("q", "茶"), ("sort", "price_asc")]).await["page"]);
    assert_eq!(cheapest, vec![s.cup, s.teapot], "equal prices: id ascending");
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_index_follows_the_listing_text_and_can_be_rebuilt() {
    let app = TestApp::spawn().await;
    let shop = shop(&app, "Kiln").await;
    let s = shelf(&app, &shop).await;
    let terms_of = |id: i64| format!("SELECT COUNT(*) FROM search_terms WHERE listing_id = {id}");
    let expected = document_terms("Blue ceramic mug", "Stoneware, 350 ml.").len() as i64;
    assert_eq!(app.count(&terms_of(s.mug)).await, expected);

    // New text replaces the old terms entirely.
    let mut tx = app.state.db.begin().await.unwrap();
    search_index::upsert(&mut tx, app.state.db.backend, s.mug, "Red kettle", "Enamel.").await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(app.count(&terms_of(s.mug)).await, document_terms("Red kettle", "Enamel.").len() as i64);
    assert!(found(&app, "stoneware").await.is_empty());
    assert_eq!(found(&app, "kettle").await, vec![s.mug]);

    // Removed: no terms, not found.
    let mut tx = app.state.db.begin().await.unwrap();
    search_index::remove(&mut tx, app.state.db.backend, s.mug).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(app.count(&terms_of(s.mug)).await, 0);
    assert!(found(&app, "kettle").await.is_empty());

    // A rebuild indexes the live listings' own text (the mug's listing row still says "mug").
    let n = search_index::reindex(&app.state.db).await.unwrap();
    assert_eq!(n, 5);
    assert_eq!(app.count(&terms_of(s.mug)).await, expected);
    assert_eq!(ranked(&app, "mug").await, vec![s.mug, s.mugs]);
    assert_eq!(ranked(&app, "手工").await, vec![s.cup, s.tray]);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn relevance_ranks_a_capped_candidate_set_and_other_orders_stay_exact() {
    let app = TestApp::spawn().await;
    let shop = shop(&app, "Bulk").await;
    let n = MAX_CANDIDATES + 50;
    let now = app.state.now_ms();
    // Bulk rows by portable SQL, then the index rebuilt as bench/seed-catalog.sh does.
    sqlx::query(&format!(
        "WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < {n}) \
         INSERT INTO listings (organisation_id, status, title, description, category_id, price_minor, \
         compare_at_minor, currency, weight_grams, options_json, images_json, stock_total, featured, created_by, \
         created_at, updated_at, published_at) \
         SELECT $1, 'active', 'Widget', 'Plain.', NULL, 500 + (n * 7919) % 20000, NULL, 'USD', 100, '[]', '[]', 1, 0, \
         $2, $3, $3, $3 + n FROM seq"
    ))
    .bind(shop.org)
    .bind(shop.owner.user_id.unwrap())
    .bind(now)
    .execute(app.state.db.read())
    .await
    .unwrap();
    assert_eq!(search_index::reindex(&app.state.db).await.unwrap(), n as u64);
    let mut all: Vec<(i64, i64)> = sqlx::query_as("SELECT id, price_minor FROM listings WHERE organisation_id = $1")
        .bind(shop.org)
        .fetch_all(app.state.db.read())
        .await
        .unwrap();

    // Relevance: every page of it is the newest MAX_CANDIDATES matches, each once.
    let mut seen = vec![];
    let mut cursor: Option<String> = None;
    loop {
        let mut form = vec![("q", "widget")];
        if let Some(c) = &cursor {
            form.push(("cursor", c));
        }
        let body = search(&app, &form).await;
        seen.extend(ids(&body["page"]));
        match body["page"]["next"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    all.sort_by_key(|(id, _)| -id);
    let newest: Vec<i64> = all.iter().take(MAX_CANDIDATES as usize).map(|r| r.0).collect();
    assert_eq!(seen, newest);

    // Price order over all the matches (more than the cap): exact, through the price index.
    all.sort_by_key(|(id, price)| (*price, *id));
    let cheapest: Vec<i64> = all.iter().take(24).map(|r| r.0).collect();
    assert_eq!(ids(&search(&app, &[("q", "wid"), ("sort", "price_asc")]).await["page"]), cheapest);
    let in_range: Vec<i64> = all.iter().filter(|(_, p)| (10_000..=10_400).contains(p)).map(|r| r.0).collect();
    assert_eq!(in_range.len(), 21, "one page");
    let body = search(&app, &[("q", "widget"), ("sort", "price_asc"), ("min", "100"), ("max", "104")]).await;
    assert_eq!(ids(&body["page"]), in_range);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_search_input_gives_a_normal_or_empty_page_never_an_error() {
    let app = TestApp::spawn().await;
    let shop = shop(&app, "Kiln").await;
    let s = shelf(&app, &shop).await;
    let none: Vec<i64> = vec![];
    // Only punctuation or emoji: nothing to look up, nothing found (not everything).
    for q in ["!!!", "，。、", "...---...", "🙂", "🙂🎉✨", "\u{200b}", "%", "_", "\\"] {
        assert_eq!(ranked(&app, q).await, none, "{q:?}");
    }
    // SQL and FTS syntax are just words and separators.
    for (q, expected) in [
        ("\"", none.clone()),
        ("mug*", vec![s.mug, s.mugs]),
        ("\"mug\"", vec![s.mug, s.mugs]),
        ("NEAR(mug, 2)", none.clone()),
        ("title:mug", none.clone()),
        (":mug", vec![s.mug, s.mugs]),
        ("mug\" OR \"tea", none.clone()),
        ("mug OR", none.clone()),
        ("' OR 1=1 --", none.clone()),
        ("'; DROP TABLE listings;--", none.clone()),
        ("mug 🙂", vec![s.mug, s.mugs]),
        ("茶杯🙂", vec![s.cup]),
    ] {
        assert_eq!(ranked(&app, q).await, expected, "{q:?}");
    }
    // Long input: 100 characters of many words or of Chinese is a normal search (bounded terms);
    // more is refused next to the field, and the page still renders.
    let words = "mug ".repeat(25);
    assert_eq!(ranked(&app, words.trim()).await, vec![s.mug, s.mugs]);
    let many = (0..30).map(|i| format!("w{i}")).collect::<Vec<_>>().join(" ");
    assert_eq!(ranked(&app, &many[..99]).await, none);
    assert_eq!(ranked(&app, &"手工陶瓷茶杯".repeat(16)).await, none);
    let long = "mug".repeat(334);
    let (status, body) = app.call(&app.anonymous(), "storefront_search", &[("q", &long)]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(field_error(&body), Some(("q".into(), "field.too_long".into())));
    let (status, html) = page(&app, &format!("/search?q={long}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("data-testid=\"error-q\""), "the message next to the field");
    // Unpaired surrogates (CESU-style percent-encoding), in the page's URL and in the API's body.
    for q in ["%ED%A0%80", "mug%ED%A0%80", "%ED%B0%80%ED%A0%80", "%F0%9F", "%C0%AF"] {
        let (status, html) = page(&app, &format!("/search?q={q}")).await;
        assert_eq!(status, StatusCode::OK, "GET /search?q={q}: {html}");
        let res = app
            .anonymous()
            .client
            .post(app.url("/api/storefront_search"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("q={q}"))
            .send()
            .await
            .unwrap();
        assert!(res.status().is_success() || res.status() == StatusCode::BAD_REQUEST, "POST q={q}: {}", res.status());
    }
    // A cursor that was tampered with is the first page or a later one, never an error.
    for cursor in
        ["abc", "1.2.3", "-1.-1", "99999999999999999999.1", "9223372036854775807.9223372036854775807", "10.0", "'.1"]
    {
        for sort in ["relevance", "newest", "price_asc"] {
            let body = search(&app, &[("q", "mug"), ("sort", sort), ("cursor", cursor)]).await;
            assert!(ids(&body["page"]).len() <= 2, "{sort} {cursor}");
        }
    }
    app.finish().await;
}
