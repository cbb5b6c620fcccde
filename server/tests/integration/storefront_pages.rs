//! Fast storefront pages (issue 11): the home page, category pages and searches' first pages come from an in-process cache
//! that a catalog change invalidates at once (a trigger-bumped version read on every lookup), with a
//! TTL only for stock counts; category grids read through indexes and list exactly what search lists;
//! and `Cache-Control` lets browsers and CDNs keep public pages briefly, never a signed-in one.

use crate::helpers::{Persona, TestApp};
use agora_app::domain::permissions::OperatorRole;
use agora_app::platform::cache::TTL_MS;
use agora_server::http::page_cache::{STATUS_HEADER, TTL_MS as PAGE_TTL_MS};
use reqwest::header::{CACHE_CONTROL, VARY};
use reqwest::StatusCode;
use serde_json::Value;

const PUBLIC: &str = "public, max-age=30, stale-while-revalidate=60";
const PRIVATE: &str = "private, no-store";

/// GET `path` as `who`: status, Cache-Control, every Vary value (lower case), body.
async fn get(app: &TestApp, who: &Persona, path: &str) -> (StatusCode, String, String, String) {
    let res = who.client.get(app.url(path)).send().await.unwrap();
    let status = res.status();
    let header = |name| res.headers().get_all(name).iter().map(|v| v.to_str().unwrap().to_lowercase()).collect();
    let cache: Vec<String> = header(CACHE_CONTROL);
    let vary: Vec<String> = header(VARY);
    (status, cache.join(", "), vary.join(", "), res.text().await.unwrap())
}

async fn home(app: &TestApp) -> Value {
    let (status, body) = app.call(&app.anonymous(), "storefront_home", &[]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

/// The ids on the first page of a search for `q`.
async fn searched(app: &TestApp, q: &str) -> Vec<i64> {
    crate::storefront::ids(&crate::storefront::search(app, &[("q", q)]).await["page"])
}

async fn category(app: &TestApp, form: &[(&str, &str)]) -> Value {
    let (status, body) = app.call(&app.anonymous(), "storefront_category", form).await;
    assert_eq!(status, StatusCode::OK, "{form:?}: {body}");
    body
}

fn ids(rows: &Value) -> Vec<i64> {
    rows.as_array().unwrap().iter().map(|r| r["id"].as_i64().unwrap()).collect()
}

async fn seller(app: &TestApp, name: &str) -> (i64, Persona) {
    let owner = app.persona("owner", &[]).await;
    let org = app.organisation_owned_by(&owner, name).await;
    (org, owner)
}

async fn insert_category(app: &TestApp, parent: Option<i64>, slug: &str) -> i64 {
    sqlx::query_scalar(
        "INSERT INTO categories (parent_id, slug, name_en, name_zh, status, browsable, position, created_at, updated_at) \
         VALUES ($1, $2, $2, $2, 'active', 1, 0, 0, 0) RETURNING id",
    )
    .bind(parent)
    .bind(slug)
    .fetch_one(app.state.db.read())
    .await
    .unwrap()
}

/// A live listing by SQL (the grid reads only the listing row): `(status, category, price, published_at)`.
async fn insert_listing(app: &TestApp, org: i64, owner: &Persona, row: (&str, i64, i64, i64)) -> i64 {
    let (status, category, price, published) = row;
    sqlx::query_scalar(
        "INSERT INTO listings (organisation_id, status, title, description, category_id, price_minor, currency, \
         weight_grams, options_json, images_json, stock_total, featured, created_by, created_at, updated_at, \
         published_at) VALUES ($1, $2, 'Bowl', '', $3, $4, 'USD', 100, '[]', '[]', $5, 0, $6, $7, $7, $7) RETURNING id",
    )
    .bind(org)
    .bind(status)
    .bind(category)
    .bind(price)
    .bind(if status == "active" { 3 } else { 0 })
    .bind(owner.user_id.unwrap())
    .bind(published)
    .fetch_one(app.state.db.read())
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn anonymous_storefront_pages_are_public_and_everything_signed_in_or_setting_a_cookie_is_private() {
    let app = TestApp::spawn().await;
    let (org, owner) = seller(&app, "Blue Kiln").await;
    let (listing, _) = app.live_listing(&owner, "Oolong tea", 5).await;
    insert_category(&app, None, "tea").await;
    let anon = app.anonymous();
    for path in ["/", "/c/tea", &format!("/p/{listing}"), &format!("/s/{org}"), "/search?q=oolong"] {
        let (status, cache, vary, _) = get(&app, &anon, path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_eq!(cache, PUBLIC, "anonymous {path}");
        assert!(vary.contains("cookie"), "{path} varies by cookie: {vary}");
    }
    // Pages are compressed per request with gzip (at a fast level), even for a browser that prefers
    // brotli: brotli cost more CPU per page for 1% fewer bytes (see startup.rs).
    let res = reqwest::Client::new()
        .get(app.url("/"))
        .header(reqwest::header::ACCEPT_ENCODING, "gzip, deflate, br, zstd")
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()[reqwest::header::CONTENT_ENCODING], "gzip");
    let (status, cache, _, _) = get(&app, &anon, "/p/999999999999").await;
    assert_eq!((status, cache.as_str()), (StatusCode::NOT_FOUND, PRIVATE), "an error page is not kept");

    let buyer = app.persona("buyer", &[]).await;
    for path in ["/", "/c/tea", &format!("/p/{listing}"), "/search?q=oolong"] {
        let (status, cache, vary, _) = get(&app, &buyer, path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_eq!(cache, PRIVATE, "signed in {path}");
        assert!(vary.contains("cookie"), "{path}: {vary}");
    }
    let admin = app.persona("admin", &[OperatorRole::Admin]).await;
    for (who, path) in [(&admin, "/console"), (&anon, "/console"), (&owner, "/seller"), (&anon, "/seller")] {
        let (_, cache, _, _) = get(&app, who, path).await;
        assert_eq!(cache, PRIVATE, "{path} is never public");
    }
    // A response that sets a cookie is never kept, signed in or not.
    let res = reqwest::Client::new().post(app.url("/api/set_language")).form(&[("lang", "zh")]).send().await.unwrap();
    assert!(res.headers().contains_key(reqwest::header::SET_COOKIE));
    assert_eq!(res.headers()[CACHE_CONTROL], PRIVATE);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_newly_approved_listing_and_a_renamed_category_show_at_once_on_cached_pages() {
    let app = TestApp::spawn().await;
    let admin = app.persona("admin", &[OperatorRole::Admin]).await;
    let (status, body) =
        app.call(&admin, "create_category", &[("name_en", "Tea"), ("name_zh", "茶"), ("slug", "tea")]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let tea = body.as_i64().unwrap();
    let (_, owner) = seller(&app, "Blue Kiln").await;
    let (first, _) = app.live_listing(&owner, "Oolong tea", 5).await;
    sqlx::query("UPDATE listings SET category_id = $1 WHERE id = $2")
        .bind(tea)
        .bind(first)
        .execute(app.state.db.read())
        .await
        .unwrap();
    // The pages are now cached (asked for twice: the second answer comes from the cache).
    for _ in 0..2 {
        assert_eq!(ids(&home(&app).await["newest"]), vec![first]);
        assert_eq!(ids(&category(&app, &[("slug", "tea")]).await["page"]["rows"]), vec![first]);
        assert_eq!(searched(&app, "tea").await, vec![first]);
    }

    // Through the real seller -> review flow; the clock does not move.
    let (second, _) = app.live_listing(&owner, "Jasmine tea", 5).await;
    assert_eq!(ids(&home(&app).await["newest"]), vec![second, first], "the approved listing is on the home page");
    let (_, _, _, html) = get(&app, &app.anonymous(), "/").await;
    assert!(html.contains("Jasmine tea"), "and in the rendered page");
    assert_eq!(searched(&app, "tea").await, vec![second, first], "and in the cached search");

    let (status, body) = app
        .call(
            &admin,
            "rename_category",
            &[("id", &tea.to_string()), ("name_en", "Fine tea"), ("name_zh", "好茶"), ("slug", "tea")],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let home_now = home(&app).await;
    let names: Vec<&str> =
        home_now["categories"].as_array().unwrap().iter().map(|c| c["name_en"].as_str().unwrap()).collect();
    assert_eq!(names, vec!["Fine tea"]);
    assert_eq!(category(&app, &[("slug", "tea")]).await["category"]["name_en"], "Fine tea");
    let (_, _, _, html) = get(&app, &app.anonymous(), "/c/tea").await;
    assert!(html.contains("<title>Fine tea · Agora</title>"), "{html}");

    // Taken off the storefront (a takedown by SQL: any path bumps the version): gone at once.
    sqlx::query("UPDATE listings SET status = 'blocked' WHERE id = $1")
        .bind(first)
        .execute(app.state.db.read())
        .await
        .unwrap();
    assert_eq!(ids(&home(&app).await["newest"]), vec![second]);
    assert!(ids(&category(&app, &[("slug", "tea")]).await["page"]["rows"]).is_empty());
    assert_eq!(searched(&app, "tea").await, vec![second]);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stock_counts_are_served_from_the_cache_until_its_ttl_passes() {
    let app = TestApp::spawn().await;
    let (_, owner) = seller(&app, "Blue Kiln").await;
    let (listing, _) = app.live_listing(&owner, "Oolong tea", 5).await;
    let stock = |home: &Value| home["newest"][0]["stock_total"].as_i64().unwrap();
    let searched_stock = || async {
        crate::storefront::search(&app, &[("q", "oolong")]).await["page"]["rows"][0]["stock_total"].clone()
    };
    assert_eq!(stock(&home(&app).await), 5);
    assert_eq!(searched_stock().await, 5);
    // A sale that leaves stock: checkout does not bump the catalog version, so the cached page stays.
    sqlx::query("UPDATE listings SET stock_total = 2 WHERE id = $1")
        .bind(listing)
        .execute(app.state.db.read())
        .await
        .unwrap();
    assert_eq!(stock(&home(&app).await), 5, "served from the cache");
    assert_eq!(searched_stock().await, 5, "a search's first page too");
    app.advance(TTL_MS);
    assert_eq!(stock(&home(&app).await), 2, "reloaded once the TTL has passed");
    assert_eq!(searched_stock().await, 2);
    // Running out changes what the page says (sold out, the in-stock filter): that bumps the version.
    sqlx::query("UPDATE listings SET stock_total = 0, status = 'sold_out' WHERE id = $1")
        .bind(listing)
        .execute(app.state.db.read())
        .await
        .unwrap();
    assert_eq!(stock(&home(&app).await), 0, "at once");
    app.finish().await;
}

/// Every page of a grid, following the keyset cursor.
async fn walk(app: &TestApp, endpoint: &str, form: &[(&str, &str)]) -> Vec<i64> {
    let mut out = vec![];
    let mut cursor: Option<String> = None;
    for _ in 0..20 {
        let mut f: Vec<(&str, &str)> = form.to_vec();
        if let Some(c) = &cursor {
            f.push(("cursor", c));
        }
        let (status, body) = app.call(&app.anonymous(), endpoint, &f).await;
        assert_eq!(status, StatusCode::OK, "{endpoint} {f:?}: {body}");
        out.extend(ids(&body["page"]["rows"]));
        match body["page"]["next"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => return out,
        }
    }
    panic!("{endpoint} {form:?} never ended");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn category_pages_list_exactly_what_search_lists_in_every_order_and_filter() {
    let app = TestApp::spawn().await;
    let (org, owner) = seller(&app, "Blue Kiln").await;
    let (hidden_org, hidden_owner) = seller(&app, "Suspended").await;
    // `big` has more subcategories than one walk each (browse::MAX_CATEGORY_WALKS): its grid reads
    // `category_id IN (...)`; `small` (one child) walks each category.
    let big = insert_category(&app, None, "big").await;
    let mut cats = vec![big];
    for i in 0..=agora_app::storefront::browse::MAX_CATEGORY_WALKS {
        cats.push(insert_category(&app, Some(big), &format!("big-{i}")).await);
    }
    let small = insert_category(&app, None, "small").await;
    let small_child = insert_category(&app, Some(small), "small-0").await;
    cats.extend([small, small_child]);
    // 60 listings over all 20 categories: prices repeat (ties break by id), a few sold out, some
    // published at the same time.
    let mut rows = vec![];
    for n in 0..60_i64 {
        let status = if n % 7 == 0 { "sold_out" } else { "active" };
        let cat = cats[(n as usize * 7) % cats.len()];
        let (price, published) = (500 + (n * 37) % 9 * 100, 1_000 + n / 3);
        let id = insert_listing(&app, org, &owner, (status, cat, price, published)).await;
        rows.push((id, cat, price, published, status == "active"));
    }
    let hidden = insert_listing(&app, hidden_org, &hidden_owner, ("active", big, 700, 2_000)).await;
    sqlx::query("UPDATE organisations SET status = 'suspended' WHERE id = $1")
        .bind(hidden_org)
        .execute(app.state.db.read())
        .await
        .unwrap();

    for slug in ["big", "small", "small-0", "big-3"] {
        for (sort, min, max, in_stock) in
            [("", "", "", ""), ("price_asc", "", "", ""), ("price_desc", "6", "11", ""), ("newest", "", "9", "1")]
        {
            let form = [("sort", sort), ("min", min), ("max", max), ("in_stock", in_stock)];
            let mut by_category = form.to_vec();
            by_category.push(("slug", slug));
            let mut by_search = form.to_vec();
            by_search.push(("category", slug));
            let got = walk(&app, "storefront_category", &by_category).await;
            assert_eq!(got, walk(&app, "storefront_search", &by_search).await, "{slug} {form:?}");
            assert!(!got.contains(&hidden), "a suspended seller's listing stays hidden");
            // And what they both list is right, computed here.
            let subtree: Vec<i64> = match slug {
                "big" => cats[..=agora_app::storefront::browse::MAX_CATEGORY_WALKS + 1].to_vec(),
                "small" => vec![small, small_child],
                "small-0" => vec![small_child],
                _ => vec![cats[4]],
            };
            let mut want: Vec<&(i64, i64, i64, i64, bool)> = rows
                .iter()
                .filter(|r| subtree.contains(&r.1))
                .filter(|r| min.is_empty() || r.2 >= min.parse::<i64>().unwrap() * 100)
                .filter(|r| max.is_empty() || r.2 <= max.parse::<i64>().unwrap() * 100)
                .filter(|r| in_stock.is_empty() || r.4)
                .collect();
            match sort {
                "price_asc" => want.sort_by_key(|r| (r.2, r.0)),
                "price_desc" => want.sort_by_key(|r| std::cmp::Reverse((r.2, r.0))),
                _ => want.sort_by_key(|r| std::cmp::Reverse((r.3, r.0))),
            }
            assert_eq!(got, want.iter().map(|r| r.0).collect::<Vec<_>>(), "{slug} {form:?}");
        }
    }
    app.finish().await;
}

/// GET `path` with `headers`: status, the page cache's verdict (`hit`, `miss`, or empty when the page
/// is not one it keeps), Content-Encoding, body bytes.
async fn get_kept(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> (StatusCode, String, String, Vec<u8>) {
    let mut req = reqwest::Client::new().get(app.url(path));
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    let res = req.send().await.unwrap();
    let header = |name: &str| res.headers().get(name).map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    let (cache, encoding) = (header(STATUS_HEADER.as_str()), header("content-encoding"));
    (res.status(), cache, encoding, res.bytes().await.unwrap().to_vec())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn anonymous_browsing_pages_are_kept_whole_until_the_catalog_changes_or_the_ttl_passes() {
    let app = TestApp::spawn().await;
    let (org, owner) = seller(&app, "Blue Kiln").await;
    let (listing, _) = app.live_listing(&owner, "Oolong tea", 5).await;
    insert_category(&app, None, "tea").await;

    let (status, first, _, body) = get_kept(&app, "/", &[]).await;
    assert_eq!((status, first.as_str()), (StatusCode::OK, "miss"));
    let html = String::from_utf8(body).unwrap();
    assert!(html.contains("Oolong tea"));
    let (_, again, encoding, gz) = get_kept(&app, "/", &[("accept-encoding", "gzip, br")]).await;
    assert_eq!((again.as_str(), encoding.as_str()), ("hit", "gzip"), "kept, with its gzip form");
    let mut unzipped = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gz[..]), &mut unzipped).unwrap();
    assert_eq!(unzipped, html, "the same page");

    // Per language: a Chinese browser gets its own page, in Chinese.
    let (_, zh, _, body) = get_kept(&app, "/", &[("accept-language", "zh-CN,zh;q=0.9")]).await;
    assert_eq!(zh, "miss");
    assert!(String::from_utf8(body).unwrap().contains("lang=\"zh\""));

    // A listing approved through the real flow bumps the catalog version: the next answer is rendered.
    app.live_listing(&owner, "Jasmine tea", 5).await;
    let (_, after, _, body) = get_kept(&app, "/", &[]).await;
    assert_eq!(after, "miss");
    assert!(String::from_utf8(body).unwrap().contains("Jasmine tea"));
    assert_eq!(get_kept(&app, "/", &[]).await.1, "hit");
    // Stock counts are not followed by the version: kept until the TTL passes.
    sqlx::query("UPDATE listings SET stock_total = 2 WHERE id = $1")
        .bind(listing)
        .execute(app.state.db.read())
        .await
        .unwrap();
    assert_eq!(get_kept(&app, "/", &[]).await.1, "hit");
    app.advance(PAGE_TTL_MS);
    assert_eq!(get_kept(&app, "/", &[]).await.1, "miss");

    // Rendered every time: signed-in visitors, guests with a cart, pages with a cursor.
    let buyer = app.persona("buyer", &[]).await;
    let res = buyer.client.get(app.url("/")).send().await.unwrap();
    assert!(res.headers().get(STATUS_HEADER).is_none(), "signed in");
    let cart = format!("agora_cart={}", "0".repeat(64));
    assert_eq!(get_kept(&app, "/", &[("cookie", &cart)]).await.1, "", "a guest with a cart");
    assert_eq!(get_kept(&app, "/search?q=tea&cursor=1.2", &[]).await.1, "");

    // Product and store pages are kept too: the version follows what only they show (migration 0013).
    let product = format!("/p/{listing}");
    let store = format!("/s/{org}");
    for path in [&product, &store] {
        assert_eq!(get_kept(&app, path, &[]).await.1, "miss", "{path}");
        assert_eq!(get_kept(&app, path, &[]).await.1, "hit", "{path}");
    }
    let db = app.state.db.clone();
    let sql = |q: &'static str| {
        let db = db.clone();
        async move { sqlx::query(q).bind(listing).execute(db.read()).await.unwrap() }
    };
    sql("UPDATE listing_variants SET stock = stock - 1 WHERE listing_id = $1").await;
    assert_eq!(get_kept(&app, &product, &[]).await.1, "hit", "a sale that leaves stock changes nothing kept");
    sql("UPDATE listing_variants SET price_minor = 4321 WHERE listing_id = $1").await;
    let (_, cache, _, body) = get_kept(&app, &product, &[]).await;
    assert_eq!(cache, "miss", "a variant repriced");
    assert!(String::from_utf8(body).unwrap().contains("43.21"));
    sql("UPDATE listings SET description = 'Picked in May.' WHERE id = $1").await;
    let (_, cache, _, body) = get_kept(&app, &product, &[]).await;
    assert_eq!(cache, "miss", "a new description");
    assert!(String::from_utf8(body).unwrap().contains("Picked in May."));
    sqlx::query("UPDATE organisations SET region = 'Fujian' WHERE id = $1")
        .bind(org)
        .execute(app.state.db.read())
        .await
        .unwrap();
    let (_, cache, _, body) = get_kept(&app, &store, &[]).await;
    assert_eq!(cache, "miss", "the seller's region");
    assert!(String::from_utf8(body).unwrap().contains("Fujian"));
    // An error page is not kept.
    let (status, cache, _, _) = get_kept(&app, "/c/no-such-category", &[]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(cache, "", "a 404 passes through");

    // Visitors asking for a page while it is being rendered wait for that one render.
    let answers = futures_util::future::join_all((0..16).map(|_| get_kept(&app, "/c/tea", &[]))).await;
    let misses = answers.iter().filter(|(status, cache, _, _)| *status == StatusCode::OK && cache == "miss").count();
    let hits = answers.iter().filter(|(_, cache, _, _)| cache == "hit").count();
    assert_eq!((misses, hits), (1, 15));
    // Operators see the cache work in /metrics (a counter of the whole test process).
    let metrics = reqwest::get(app.url("/metrics")).await.unwrap().text().await.unwrap();
    let hits: u64 = metrics
        .lines()
        .find_map(|l| l.strip_prefix("agora_page_cache_answers_total{result=\"hit\"} "))
        .and_then(|n| n.parse().ok())
        .unwrap_or_default();
    assert!(hits >= 15, "{metrics}");
    app.finish().await;
}
