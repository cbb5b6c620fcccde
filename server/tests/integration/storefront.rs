//! The storefront: what buyers see. Listings are made live by a fixture (SQL, plus the search index
//! through `platform::search_index::upsert`, as approval does), except in the one test that goes
//! through the real seller -> review flow.

use crate::helpers::{field_error, Persona, TestApp};
use agora_app::domain::permissions::OperatorRole;
use agora_app::platform::search_index;
use reqwest::StatusCode;
use serde_json::{json, Value};

/// One live SKU: sku, option values, price (minor units), stock.
pub(crate) type Sku<'a> = (&'a str, &'a [&'a str], i64, i64);

pub(crate) struct Fixture<'a> {
    title: &'a str,
    description: &'a str,
    category: Option<i64>,
    options: Value,
    variants: &'a [Sku<'a>],
    featured: bool,
}

impl<'a> Fixture<'a> {
    pub(crate) fn simple(
        title: &'a str,
        description: &'a str,
        category: Option<i64>,
        variants: &'a [Sku<'a>],
    ) -> Fixture<'a> {
        Fixture { title, description, category, options: json!([]), variants, featured: false }
    }
}

/// A seller (active, owner `owner`) and the buyer-facing helpers around it.
pub(crate) struct Shop {
    pub(crate) org: i64,
    pub(crate) owner: Persona,
}

pub(crate) async fn shop(app: &TestApp, name: &str) -> Shop {
    let owner = app.persona("owner", &[]).await;
    let org = app.organisation_owned_by(&owner, name).await;
    Shop { org, owner }
}

async fn category(app: &TestApp, parent: Option<i64>, slug: &str, en: &str, zh: &str) -> i64 {
    let now = app.state.now_ms();
    sqlx::query_scalar(
        "INSERT INTO categories (parent_id, slug, name_en, name_zh, status, browsable, position, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, 'active', 1, 0, $5, $5) RETURNING id",
    )
    .bind(parent)
    .bind(slug)
    .bind(en)
    .bind(zh)
    .bind(now)
    .fetch_one(app.state.db.read())
    .await
    .unwrap()
}

/// An active listing with live variants, in the search index; `published_at` increases with each call
/// so "newest" has a known order.
pub(crate) async fn live_listing(app: &TestApp, shop: &Shop, f: Fixture<'_>) -> i64 {
    app.advance(1000);
    let now = app.state.now_ms();
    let price = f.variants.iter().map(|v| v.2).min().unwrap();
    let stock: i64 = f.variants.iter().map(|v| v.3).sum();
    let mut tx = app.state.db.begin().await.unwrap();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO listings (organisation_id, status, title, description, category_id, price_minor, \
         compare_at_minor, currency, weight_grams, options_json, images_json, stock_total, featured, created_by, \
         created_at, updated_at, published_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'USD', 250, $8, '[]', $9, $10, \
         $11, $12, $12, $12) RETURNING id",
    )
    .bind(shop.org)
    .bind(if stock > 0 { "active" } else { "sold_out" })
    .bind(f.title)
    .bind(f.description)
    .bind(f.category)
    .bind(price)
    .bind(Some(price * 2))
    .bind(f.options.to_string())
    .bind(stock)
    .bind(i64::from(f.featured))
    .bind(shop.owner.user_id.unwrap())
    .bind(now)
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    for (position, (sku, options, price, stock)) in f.variants.iter().enumerate() {
        sqlx::query(
            "INSERT INTO listing_variants (listing_id, sku, options_json, price_minor, compare_at_minor, stock, \
             position, status) VALUES ($1, $2, $3, $4, $5, $6, $7, 'active')",
        )
        .bind(id)
        .bind(*sku)
        .bind(json!(options).to_string())
        .bind(*price)
        .bind(Some(*price * 2))
        .bind(*stock)
        .bind(position as i64)
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    search_index::upsert(&mut tx, app.state.db.backend, id, f.title, f.description).await.unwrap();
    tx.commit().await.unwrap();
    id
}

pub(crate) async fn search(app: &TestApp, form: &[(&str, &str)]) -> Value {
    let (status, body) = app.call(&app.anonymous(), "storefront_search", form).await;
    assert_eq!(status, StatusCode::OK, "search {form:?}: {body}");
    body
}

pub(crate) fn ids(page: &Value) -> Vec<i64> {
    page["rows"].as_array().unwrap().iter().map(|r| r["id"].as_i64().unwrap()).collect()
}

pub(crate) async fn found(app: &TestApp, q: &str) -> Vec<i64> {
    let mut out = ids(&search(app, &[("q", q)]).await["page"]);
    out.sort();
    out
}

pub(crate) async fn page(app: &TestApp, path: &str) -> (StatusCode, String) {
    // No retry: a page is rendered whole within the server's deadline or answered 503 (http/deadline.rs).
    let res = reqwest::get(app.url(path)).await.unwrap_or_else(|e| panic!("GET {path}: {e}"));
    let status = res.status();
    (status, res.text().await.unwrap_or_else(|e| panic!("GET {path} ({status}) body: {e}")))
}

struct Catalog {
    kitchen: i64,
    mugs: i64,
    mug: i64,
    teapot: i64,
    cup_zh: i64,
    bare: i64,
}

/// Kitchen > Mugs, and four listings of one seller.
async fn catalog(app: &TestApp, shop: &Shop) -> Catalog {
    let kitchen = category(app, None, "kitchen", "Kitchen", "厨房").await;
    let mugs = category(app, Some(kitchen), "mugs", "Mugs", "马克杯").await;
    let mug = live_listing(
        app,
        shop,
        Fixture::simple(
            "Blue ceramic mug",
            "Hand-thrown stoneware, dishwasher safe.\nHolds 350 ml.",
            Some(mugs),
            &[("MUG-1", &[], 1800, 5)],
        ),
    )
    .await;
    let teapot = live_listing(
        app,
        shop,
        Fixture::simple("Green teapot", "Cast iron, 1 litre.", Some(kitchen), &[("POT-1", &[], 4500, 2)]),
    )
    .await;
    let cup_zh = live_listing(
        app,
        shop,
        Fixture::simple("手工陶瓷茶杯", "景德镇手工制作，青花图案。", Some(mugs), &[("CUP-1", &[], 2600, 0)]),
    )
    .await;
    let bare = live_listing(
        app,
        shop,
        Fixture::simple("Linen tea towel", "Uncategorised and plain.", None, &[("TOWEL-1", &[], 900, 10)]),
    )
    .await;
    Catalog { kitchen, mugs, mug, teapot, cup_zh, bare }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_finds_listings_by_title_and_description_words_in_english_and_chinese() {
    let app = TestApp::spawn().await;
    let shop = shop(&app, "Blue Kiln").await;
    let c = catalog(&app, &shop).await;
    assert_eq!(found(&app, "ceramic").await, vec![c.mug], "a title word");
    assert_eq!(found(&app, "CERAMIC mug").await, vec![c.mug], "case and two words (AND)");
    assert_eq!(found(&app, "stoneware").await, vec![c.mug], "a description word");
    assert_eq!(found(&app, "cast iron").await, vec![c.teapot]);
    assert_eq!(found(&app, "陶瓷茶杯").await, vec![c.cup_zh], "a Chinese phrase in the title");
    assert_eq!(found(&app, "青花图案").await, vec![c.cup_zh], "a Chinese phrase in the description");
    assert_eq!(found(&app, "茶杯").await, vec![c.cup_zh], "two characters: the title fallback");
    assert_eq!(found(&app, "te").await, vec![c.teapot, c.bare], "a short term matches titles");
    assert!(found(&app, "submarine").await.is_empty(), "no match");
    // FTS5 syntax in user input is just text.
    for q in ["\"", "mug\" OR \"tea", "NEAR(mug", "mu*", "a:b", "%", "_", "'; DROP TABLE listings;--", "!@#$"] {
        search(&app, &[("q", q)]).await;
    }
    assert_eq!(found(&app, "mug\" OR \"tea").await, Vec::<i64>::new());
    // Relevance: a title match ranks above a description-only match.
    let towel_mug = live_listing(
        &app,
        &shop,
        Fixture::simple("Cotton bag", "Fits a mug or two, and a towel.", None, &[("BAG-1", &[], 1200, 3)]),
    )
    .await;
    let ranked = ids(&search(&app, &[("q", "mug"), ("sort", "relevance")]).await["page"]);
    assert_eq!(ranked, vec![c.mug, towel_mug]);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn filters_sorting_and_keyset_pages_are_correct_and_stable() {
    let app = TestApp::spawn().await;
    let shop = shop(&app, "Many Things").await;
    let cat = category(&app, None, "things", "Things", "杂物").await;
    let mut all = vec![];
    for i in 0..30i64 {
        // Prices repeat (ties are broken by id), every fifth is out of stock.
        let price = 1000 + (i % 7) * 250;
        let stock = if i % 5 == 0 { 0 } else { i };
        let title = format!("Widget number {i}");
        let sku = format!("W-{i}");
        let variants: Vec<Sku> = vec![(&sku, &[], price, stock)];
        let id = live_listing(&app, &shop, Fixture::simple(&title, "A widget.", Some(cat), &variants)).await;
        all.push((id, price, stock));
    }
    // Every page of every sort: no repeats, nothing skipped, in order.
    for (sort, filters) in [
        ("newest", vec![]),
        ("price_asc", vec![]),
        ("price_desc", vec![]),
        ("relevance", vec![("q", "widget")]),
        ("price_asc", vec![("min", "12.50"), ("max", "20"), ("in_stock", "1")]),
    ] {
        let mut seen: Vec<i64> = vec![];
        let mut cursor: Option<String> = None;
        let mut pages = 0;
        loop {
            let mut form: Vec<(&str, &str)> = vec![("sort", sort)];
            form.extend(filters.iter().copied());
            if let Some(c) = &cursor {
                form.push(("cursor", c));
            }
            let body = search(&app, &form).await;
            seen.extend(ids(&body["page"]));
            pages += 1;
            match body["page"]["next"].as_str() {
                Some(c) => cursor = Some(c.to_string()),
                None => break,
            }
        }
        let min = filters.iter().find(|f| f.0 == "min").map(|_| 1250).unwrap_or(0);
        let max = filters.iter().find(|f| f.0 == "max").map(|_| 2000).unwrap_or(i64::MAX);
        let in_stock = filters.iter().any(|f| f.0 == "in_stock");
        let mut expected: Vec<(i64, i64, i64)> =
            all.iter().copied().filter(|(_, p, s)| *p >= min && *p <= max && (!in_stock || *s > 0)).collect();
        match sort {
            "price_asc" => expected.sort_by_key(|(id, p, _)| (*p, *id)),
            "price_desc" => expected.sort_by_key(|(id, p, _)| (-*p, -*id)),
            // Equal relevance for identical texts: id descending; newest: published later first.
            _ => expected.sort_by_key(|(id, _, _)| -*id),
        }
        let expected: Vec<i64> = expected.iter().map(|e| e.0).collect();
        if sort == "relevance" {
            // Ranks depend on text lengths: every row exactly once is what paging owes.
            let mut sorted = seen.clone();
            sorted.sort_by_key(|id| -id);
            sorted.dedup();
            assert_eq!(sorted, expected, "relevance pages");
        } else {
            assert_eq!(seen, expected, "sort {sort} with {filters:?}");
        }
        assert_eq!(pages, expected.len().div_ceil(24).max(1), "{sort}: pages of 24");
    }
    // The category page pages the same way.
    let (status, body) = app.call(&app.anonymous(), "storefront_category", &[("slug", "things")]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(ids(&body["page"]).len(), 24);
    let next = body["page"]["next"].as_str().unwrap().to_string();
    let (_, body) = app.call(&app.anonymous(), "storefront_category", &[("slug", "things"), ("cursor", &next)]).await;
    assert_eq!(ids(&body["page"]).len(), 6);
    assert!(body["page"]["next"].is_null());
    // A garbage cursor is the first page, not an error.
    let body = search(&app, &[("cursor", "'; DROP TABLE listings;--")]).await;
    assert_eq!(ids(&body["page"]).len(), 24);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_filter_input_is_refused_next_to_its_field() {
    let app = TestApp::spawn().await;
    let anon = app.anonymous();
    for (form, field, code) in [
        (vec![("min", "abc")], "min", "money.not_a_number"),
        (vec![("max", "-5")], "max", "money.negative"),
        (vec![("min", "1.234")], "min", "money.too_many_decimals"),
        (vec![("max", "99999999999")], "max", "money.too_large"),
        (vec![("min", "20"), ("max", "10")], "max", "storefront.filter.max_below_min"),
        (vec![("sort", "cheapest")], "sort", "field.choose"),
        (vec![("in_stock", "perhaps")], "in_stock", "field.choose"),
        (vec![("category", "no-such-category")], "category", "field.choose"),
    ] {
        let (status, body) = app.call(&anon, "storefront_search", &form).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{form:?}: {body}");
        assert_eq!(field_error(&body), Some((field.to_string(), code.to_string())), "{form:?}");
    }
    let long = "q".repeat(101);
    let (status, body) = app.call(&anon, "storefront_search", &[("q", &long)]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(field_error(&body), Some(("q".into(), "field.too_long".into())));
    // The page shows the message next to the field (and keeps what was typed).
    let (status, html) = page(&app, "/search?q=mug&min=abc").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("data-testid=\"error-min\""), "{html}");
    assert!(html.contains("Enter an amount such as 12.50."));
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn home_category_and_product_pages_render_on_the_server_with_titles_and_meta() {
    let app = TestApp::spawn().await;
    let (status, html) = page(&app, "/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("data-testid=\"empty-state\""), "an empty catalog shows its empty state");
    let shop = shop(&app, "Blue Kiln").await;
    let c = catalog(&app, &shop).await;
    sqlx::query("UPDATE listings SET featured = 1 WHERE id = $1")
        .bind(c.teapot)
        .execute(app.state.db.read())
        .await
        .unwrap();

    let (status, html) = page(&app, "/").await;
    assert_eq!(status, StatusCode::OK);
    for text in ["Blue ceramic mug", "Green teapot", "手工陶瓷茶杯", "href=\"/c/kitchen\"", "data-testid=\"featured\""]
    {
        assert!(html.contains(text), "home lacks {text}");
    }

    let (status, html) = page(&app, "/c/kitchen").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<title>Kitchen · Agora</title>"), "{html}");
    assert!(html.contains("href=\"/c/mugs\""), "a subcategory link");
    for id in [c.mug, c.teapot, c.cup_zh] {
        assert!(html.contains(&format!("href=\"/p/{id}\"")), "the category shows its descendants' listings");
    }
    assert!(!html.contains(&format!("href=\"/p/{}\"", c.bare)));
    let (_, html) = page(&app, "/c/mugs").await;
    assert!(html.contains("href=\"/c/kitchen\""), "breadcrumbs");
    assert!(!html.contains(&format!("href=\"/p/{}\"", c.teapot)));
    let (status, _) = page(&app, "/c/nope").await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (status, html) = page(&app, &format!("/p/{}", c.mug)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<title>Blue ceramic mug · Agora</title>"), "{html}");
    assert!(
        html.contains("<meta name=\"description\" content=\"Hand-thrown stoneware, dishwasher safe. Holds 350 ml.\"")
    );
    assert!(html.contains("$18.00") && html.contains("$36.00"), "price and compare-at: {html}");
    assert!(html.contains(&format!("href=\"/s/{}\"", shop.org)), "the seller card links the store");
    let (_, html) = page(&app, &format!("/p/{}", c.cup_zh)).await;
    assert!(html.contains("Sold out"), "stock 0 shows sold out");

    let (status, html) = page(&app, &format!("/s/{}", shop.org)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<title>Blue Kiln · Agora</title>"));
    assert!(html.contains(&format!("href=\"/p/{}\"", c.bare)));

    let (status, html) = page(&app, "/search?q=ceramic").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&format!("href=\"/p/{}\"", c.mug)));
    assert!(!html.contains(&format!("href=\"/p/{}\"", c.teapot)));
    for missing in ["/p/0", "/p/abc", "/p/999999999999", "/s/0", "/s/999999"] {
        assert_eq!(page(&app, missing).await.0, StatusCode::NOT_FOUND, "{missing}");
    }
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn product_page_lists_live_variants_with_their_prices_and_stock() {
    let app = TestApp::spawn().await;
    let shop = shop(&app, "Shirts").await;
    let id = live_listing(
        &app,
        &shop,
        Fixture {
            title: "Linen shirt",
            description: "Breathable.",
            category: None,
            options: json!([{"name": "Colour", "values": ["White", "Blue"]}, {"name": "Size", "values": ["M", "L"]}]),
            variants: &[
                ("SH-WM", &["White", "M"], 3900, 4),
                ("SH-WL", &["White", "L"], 3900, 0),
                ("SH-BM", &["Blue", "M"], 4200, 1),
            ],
            featured: false,
        },
    )
    .await;
    sqlx::query("UPDATE listing_variants SET status = 'removed' WHERE sku = 'SH-BM'")
        .execute(app.state.db.read())
        .await
        .unwrap();
    let (status, body) = app.call(&app.anonymous(), "storefront_listing", &[("id", &id.to_string())]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let skus: Vec<&str> = body["variants"].as_array().unwrap().iter().map(|v| v["sku"].as_str().unwrap()).collect();
    assert_eq!(skus, vec!["SH-WM", "SH-WL"], "removed SKUs are not offered");
    assert_eq!(body["options"][0]["name"], "Colour");
    let (_, html) = page(&app, &format!("/p/{id}")).await;
    assert!(html.contains("data-testid=\"variants-table\""));
    assert!(html.contains("$39.00"));
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_suspended_seller_or_disabled_category_hides_listings_everywhere() {
    let app = TestApp::spawn().await;
    let shop = shop(&app, "Blue Kiln").await;
    let other = self::shop(&app, "Other").await;
    let c = catalog(&app, &shop).await;
    let other_listing = live_listing(
        &app,
        &other,
        Fixture::simple("Ceramic bowl", "Stoneware too.", Some(c.kitchen), &[("B-1", &[], 1500, 1)]),
    )
    .await;
    let visible = |body: &Value, id: i64| ids(body).contains(&id);

    sqlx::query("UPDATE organisations SET status = 'suspended' WHERE id = $1")
        .bind(shop.org)
        .execute(app.state.db.read())
        .await
        .unwrap();
    let (_, home) = app.call(&app.anonymous(), "storefront_home", &[]).await;
    assert_eq!(ids(&json!({"rows": home["newest"]})), vec![other_listing]);
    assert!(!visible(&search(&app, &[("q", "ceramic")]).await["page"], c.mug));
    assert!(visible(&search(&app, &[("q", "ceramic")]).await["page"], other_listing));
    let (_, cat) = app.call(&app.anonymous(), "storefront_category", &[("slug", "kitchen")]).await;
    assert_eq!(ids(&cat["page"]), vec![other_listing]);
    let (status, html) = page(&app, &format!("/p/{}", c.mug)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("no longer available"), "{html}");
    let (status, _) = app.call(&app.anonymous(), "storefront_listing", &[("id", &c.mug.to_string())]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(page(&app, &format!("/s/{}", shop.org)).await.0, StatusCode::NOT_FOUND);

    // Reinstated: back at once.
    sqlx::query("UPDATE organisations SET status = 'active' WHERE id = $1")
        .bind(shop.org)
        .execute(app.state.db.read())
        .await
        .unwrap();
    assert_eq!(page(&app, &format!("/p/{}", c.mug)).await.0, StatusCode::OK);

    // Disabling Kitchen (and so Mugs below it) hides their listings; uncategorised ones stay.
    sqlx::query("UPDATE categories SET status = 'disabled', browsable = 0 WHERE id = $1")
        .bind(c.kitchen)
        .execute(app.state.db.read())
        .await
        .unwrap();
    sqlx::query("UPDATE categories SET browsable = 0 WHERE id = $1")
        .bind(c.mugs)
        .execute(app.state.db.read())
        .await
        .unwrap();
    let (_, home) = app.call(&app.anonymous(), "storefront_home", &[]).await;
    assert_eq!(ids(&json!({"rows": home["newest"]})), vec![c.bare]);
    assert!(home["categories"].as_array().unwrap().is_empty());
    assert!(found(&app, "ceramic").await.is_empty());
    assert_eq!(page(&app, "/c/kitchen").await.0, StatusCode::NOT_FOUND);
    assert_eq!(page(&app, "/c/mugs").await.0, StatusCode::NOT_FOUND);
    assert_eq!(page(&app, &format!("/p/{}", c.mug)).await.0, StatusCode::NOT_FOUND);
    assert_eq!(page(&app, &format!("/p/{}", c.bare)).await.0, StatusCode::OK);

    // Not live (a takedown) is gone too, whatever the index says.
    sqlx::query("UPDATE listings SET status = 'blocked' WHERE id = $1")
        .bind(c.bare)
        .execute(app.state.db.read())
        .await
        .unwrap();
    assert_eq!(page(&app, &format!("/p/{}", c.bare)).await.0, StatusCode::NOT_FOUND);
    assert!(found(&app, "linen").await.is_empty());
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn html_in_a_title_or_description_renders_inert() {
    let app = TestApp::spawn().await;
    let shop = shop(&app, "<b>Bold</b> & Co").await;
    let id = live_listing(
        &app,
        &shop,
        Fixture::simple(
            "</title><script>alert('x')</script> Mug",
            "<img src=x onerror=alert(1)>\nSecond line",
            None,
            &[("X-1", &[], 1000, 1)],
        ),
    )
    .await;
    for path in [format!("/p/{id}"), "/".to_string(), format!("/s/{}", shop.org), "/search?q=script".to_string()] {
        let (status, html) = page(&app, &path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        if let Some(i) = html.find("<script>alert") {
            panic!("{path} renders the title as markup: {}", &html[i.saturating_sub(300)..(i + 200).min(html.len())]);
        }
        assert!(!html.contains("<img src=x"), "{path} renders the description as markup");
        assert!(!html.contains("<b>Bold</b>"), "{path} renders the seller name as markup");
    }
    let (_, html) = page(&app, &format!("/p/{id}")).await;
    assert!(
        html.contains("<title>&lt;/title&gt;&lt;script&gt;alert('x')&lt;/script&gt; Mug · Agora</title>"),
        "{html}"
    );
    assert!(html.contains("&lt;script&gt;alert("), "the title is shown as text");
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_listing_approved_through_review_is_found_and_shown() {
    let app = TestApp::spawn().await;
    let shop = shop(&app, "Real Flow").await;
    let reviewer = app.persona("reviewer", &[OperatorRole::Reviewer]).await;
    let listing = json!({
        "title": "Porcelain espresso cup",
        "description": "Thin-walled porcelain.\n80 ml.",
        "category_id": null,
        "price": "14.00",
        "compare_at": "",
        "stock": "7",
        "weight_grams": "120",
        "options": [],
        "variants": [],
        "images": []
    });
    let (status, body) = app.call(&shop.owner, "save_listing", &[("listing_json", &listing.to_string())]).await;
    assert_eq!(status, StatusCode::OK, "save: {body}");
    let id = body.as_i64().unwrap();
    let (status, body) = app.call(&shop.owner, "submit_listing", &[("id", &id.to_string())]).await;
    assert_eq!(status, StatusCode::OK, "submit: {body}");
    assert!(found(&app, "porcelain").await.is_empty(), "not live before approval");
    let version: i64 = sqlx::query_scalar("SELECT pending_version_id FROM listings WHERE id = $1")
        .bind(id)
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    let (status, body) = app.call(&reviewer, "approve_listing_version", &[("version_id", &version.to_string())]).await;
    assert_eq!(status, StatusCode::OK, "approve: {body}");
    assert_eq!(found(&app, "porcelain").await, vec![id]);
    assert_eq!(found(&app, "espresso cup").await, vec![id]);
    let (status, html) = page(&app, &format!("/p/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("$14.00") && html.contains("In stock: 7"), "{html}");
    app.finish().await;
}
