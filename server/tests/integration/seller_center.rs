//! The seller center: creating and editing listings, sending them to review with the automated
//! checks' evidence, the version rules (an edit of a live listing waits in review while the approved
//! copy stays live), and a seller never reaching another seller's listing.

use crate::helpers::{field_error, Persona, TestApp};
use agora_app::domain::listing::{ListingOption, RawListing, RawVariant};
use agora_app::domain::upload::fixtures;
use reqwest::multipart::{Form, Part};
use reqwest::StatusCode;
use serde_json::Value;

fn tee() -> RawListing {
    let v = |sku: &str, colour: &str, price: &str, stock: &str| RawVariant {
        sku: sku.into(),
        options: vec![colour.into()],
        price: price.into(),
        compare_at: String::new(),
        stock: stock.into(),
    };
    RawListing {
        title: "Linen tee".into(),
        description: "A soft linen tee, washed, relaxed fit.".into(),
        category_id: None,
        price: String::new(),
        compare_at: String::new(),
        stock: String::new(),
        weight_grams: "180".into(),
        options: vec![ListingOption { name: "Colour".into(), values: vec!["Red".into(), "Blue".into()] }],
        variants: vec![v("TEE-RED", "Red", "20.00", "5"), v("TEE-BLUE", "Blue", "22.50", "3")],
        images: vec![],
    }
}

fn json(raw: &RawListing) -> String {
    serde_json::to_string(raw).unwrap()
}

async fn save(app: &TestApp, who: &Persona, id: Option<i64>, raw: &RawListing) -> (StatusCode, Value) {
    let body = json(raw);
    match id {
        Some(id) => app.call(who, "save_listing", &[("id", &id.to_string()), ("listing_json", &body)]).await,
        None => app.call(who, "save_listing", &[("listing_json", &body)]).await,
    }
}

async fn create(app: &TestApp, who: &Persona, raw: &RawListing) -> i64 {
    let (status, body) = save(app, who, None, raw).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body.as_i64().expect("the listing id")
}

async fn submit(app: &TestApp, who: &Persona, id: i64) -> (StatusCode, Value) {
    app.call(who, "submit_listing", &[("id", &id.to_string())]).await
}

async fn get(app: &TestApp, who: &Persona, id: i64) -> (StatusCode, Value) {
    app.call(who, "get_my_listing", &[("id", &id.to_string())]).await
}

async fn upload_image(app: &TestApp, who: &Persona) -> i64 {
    let form = Form::new().part("file", Part::bytes(fixtures::png(400, 400)).file_name("tee.png"));
    let res = who.client.post(app.url("/uploads/listing-image")).multipart(form).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let body: Value = res.json().await.unwrap();
    body["id"].as_i64().unwrap()
}

async fn seller(app: &TestApp, label: &str) -> (Persona, i64) {
    let p = app.persona(label, &[]).await;
    let org = app.organisation_owned_by(&p, &format!("{label} shop")).await;
    (p, org)
}

/// What a reviewer's approval does (the review feature's own tests cover the real path).
async fn approve_directly(app: &TestApp, listing_id: i64) {
    let now = app.state.now_ms();
    let version: i64 = sqlx::query_scalar("SELECT pending_version_id FROM listings WHERE id = $1")
        .bind(listing_id)
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    let mut tx = app.state.db.begin().await.unwrap();
    sqlx::query("UPDATE listing_versions SET status = 'approved', decided_at = $1 WHERE id = $2")
        .bind(now)
        .bind(version)
        .execute(&mut *tx)
        .await
        .unwrap();
    sqlx::query(
        "UPDATE listings SET status = 'active', live_version_id = $1, pending_version_id = NULL, published_at = $2 \
         WHERE id = $3",
    )
    .bind(version)
    .bind(now)
    .bind(listing_id)
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

async fn listing_state(app: &TestApp, id: i64) -> (String, String, i64, Option<i64>, Option<i64>) {
    let r: (String, String, i64, Option<i64>, Option<i64>) = sqlx::query_as(
        "SELECT status, title, price_minor, live_version_id, pending_version_id FROM listings WHERE id = $1",
    )
    .bind(id)
    .fetch_one(app.state.db.read())
    .await
    .unwrap();
    r
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_seller_creates_a_listing_with_two_variants_and_submits_it_with_evidence() {
    let app = TestApp::spawn().await;
    let (owner, _) = seller(&app, "owner").await;
    let id = create(&app, &owner, &tee()).await;
    let (status, title, price, live, pending) = listing_state(&app, id).await;
    assert_eq!((status.as_str(), title.as_str(), price, live), ("draft", "Linen tee", 2000, None));
    assert!(pending.is_some());

    let (status, body) = submit(&app, &owner, id).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = get(&app, &owner, id).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "PendingReview");
    let v = &body["versions"][0];
    assert_eq!((v["number"].as_i64(), v["status"].as_str()), (Some(1), Some("PendingReview")));
    assert_eq!(v["risk"], "high");
    assert_eq!(v["blocking_count"], 1);
    assert_eq!(v["findings"][0]["check"], "missing_images");
    assert_eq!(v["findings"][0]["severity"], "Blocking");
    assert_eq!(v["raw"]["variants"].as_array().unwrap().len(), 2);
    let submitted = v["submitted_at_ms"].as_i64().expect("submitted_at");
    assert!(submitted <= app.state.now_ms());
    assert_eq!(v["sla_due_at_ms"].as_i64(), Some(submitted + app.state.settings().review_sla_ms));

    // In review: neither editable nor submittable again.
    let (status, body) = save(&app, &owner, Some(id), &tee()).await;
    assert_eq!((status, body["Conflict"]["code"].as_str()), (StatusCode::CONFLICT, Some("listings.in_review")));
    let (status, _) = submit(&app, &owner, id).await;
    assert_eq!(status, StatusCode::CONFLICT);

    let (status, page) = app.call(&owner, "list_my_listings", &[("status", "pending_review")]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(page["rows"][0]["id"].as_i64(), Some(id));
    let (_, page) = app.call(&owner, "list_my_listings", &[("status", "active")]).await;
    assert!(page["rows"].as_array().unwrap().is_empty());
    let audited = app.count(&format!("SELECT COUNT(*) FROM audit_log WHERE target_type = 'listing' AND target_id = '{id}' AND action IN ('listings.save', 'listings.submit')")).await;
    assert_eq!(audited, 2);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn editing_a_live_listing_creates_a_new_version_while_the_live_copy_stays() {
    let app = TestApp::spawn().await;
    let (owner, _) = seller(&app, "owner").await;
    let image = upload_image(&app, &owner).await;
    let mut raw = tee();
    raw.images = vec![image];
    let id = create(&app, &owner, &raw).await;
    assert_eq!(submit(&app, &owner, id).await.0, StatusCode::OK);
    let (_, body) = get(&app, &owner, id).await;
    // With a photo the only finding is the missing category: a warning.
    assert_eq!(body["versions"][0]["risk"], "medium", "{body}");
    assert_eq!(body["versions"][0]["findings"].as_array().unwrap().len(), 1);
    approve_directly(&app, id).await;

    let mut edit = raw.clone();
    edit.title = "Linen tee, new colours".into();
    edit.variants[0].price = "25.00".into();
    let (status, body) = save(&app, &owner, Some(id), &edit).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, title, price, live, pending) = listing_state(&app, id).await;
    assert_eq!((status.as_str(), title.as_str(), price), ("active", "Linen tee", 2000), "the live copy is unchanged");
    assert!(live.is_some() && pending.is_some() && live != pending);
    // A second save updates the same draft version in place.
    edit.description = "Washed linen, relaxed fit, two colours.".into();
    assert_eq!(save(&app, &owner, Some(id), &edit).await.0, StatusCode::OK);
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM listing_versions WHERE listing_id = {id}")).await, 2);

    assert_eq!(submit(&app, &owner, id).await.0, StatusCode::OK);
    let (_, body) = get(&app, &owner, id).await;
    assert_eq!(body["status"], "Active", "a live listing stays active while its edit is reviewed");
    let v = &body["versions"][0];
    assert_eq!((v["number"].as_i64(), v["status"].as_str()), (Some(2), Some("PendingReview")));
    assert_eq!(v["raw"]["title"], "Linen tee, new colours");
    assert_eq!(body["versions"][1]["status"], "Approved");
    let (_, page) = app.call(&owner, "list_my_listings", &[]).await;
    assert_eq!(page["rows"][0]["pending"], "PendingReview");
    assert_eq!(page["rows"][0]["has_live"], true);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_seller_never_reads_edits_or_submits_another_sellers_listing() {
    let app = TestApp::spawn().await;
    let (owner, _) = seller(&app, "owner").await;
    let (other, _) = seller(&app, "other").await;
    let id = create(&app, &owner, &tee()).await;
    let missing = id + 1000;
    let mut hijack = tee();
    hijack.title = "Hijacked".into();
    for target in [id, missing] {
        let (status, body) = get(&app, &other, target).await;
        assert_eq!(
            (status, body.get("NotFound").is_some() || body == "NotFound"),
            (StatusCode::NOT_FOUND, true),
            "{body}"
        );
        assert_eq!(save(&app, &other, Some(target), &hijack).await.0, StatusCode::NOT_FOUND);
        assert_eq!(submit(&app, &other, target).await.0, StatusCode::NOT_FOUND);
        let (status, _) =
            app.call(&other, "set_listing_availability", &[("id", &target.to_string()), ("active", "false")]).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
    // The answers for someone else's listing and a missing one are the same.
    assert_eq!(get(&app, &other, id).await.1, get(&app, &other, missing).await.1);
    let (status, title, _, _, _) = listing_state(&app, id).await;
    assert_eq!((status.as_str(), title.as_str()), ("draft", "Linen tee"), "nothing changed");
    let (_, page) = app.call(&other, "list_my_listings", &[]).await;
    assert!(page["rows"].as_array().unwrap().is_empty());
    // Nor may they use the first seller's photos.
    let image = upload_image(&app, &owner).await;
    let mut raw = tee();
    raw.images = vec![image];
    let (status, body) = save(&app, &other, None, &raw).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(field_error(&body), Some(("images".into(), "seller_center.foreign_image".into())));
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_refused_next_to_its_field_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let (owner, _) = seller(&app, "owner").await;
    let cases: Vec<(RawListing, &str, &str)> = vec![
        (
            {
                let mut r = tee();
                r.variants[0].price = "-5".into();
                r
            },
            "variants.0.price",
            "money.negative",
        ),
        (
            {
                let mut r = tee();
                r.variants[1].price = "99999999999".into();
                r
            },
            "variants.1.price",
            "money.too_large",
        ),
        (
            {
                let mut r = tee();
                r.variants[1].stock = "-1".into();
                r
            },
            "variants.1.stock",
            "number.negative",
        ),
        (
            {
                let mut r = tee();
                r.variants[0].stock = "100000000000".into();
                r
            },
            "variants.0.stock",
            "number.too_large",
        ),
        (
            {
                let mut r = tee();
                r.variants[1].options = vec!["red".into()];
                r
            },
            "variants.1.options",
            "listings.duplicate_variant",
        ),
        (
            {
                let mut r = tee();
                r.variants[1].sku = "tee-red".into();
                r
            },
            "variants.1.sku",
            "listings.duplicate_sku",
        ),
        (
            {
                let mut r = tee();
                r.options[0].values = vec!["Red".into(), "RED".into()];
                r
            },
            "options.0.values",
            "listings.duplicate_option_value",
        ),
        (
            {
                let mut r = tee();
                r.images = vec![5_000_000_001];
                r
            },
            "images",
            "seller_center.foreign_image",
        ),
        (
            {
                let mut r = tee();
                r.images = (1..=11).collect();
                r
            },
            "images",
            "listings.too_many_images",
        ),
        (
            {
                let mut r = tee();
                r.category_id = Some(424242);
                r
            },
            "category_id",
            "seller_center.unknown_category",
        ),
        (
            {
                let mut r = tee();
                r.title = "x".repeat(500);
                r
            },
            "title",
            "field.too_long",
        ),
    ];
    for (raw, field, code) in cases {
        let (status, body) = save(&app, &owner, None, &raw).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{field}: {body}");
        assert_eq!(field_error(&body), Some((field.to_string(), code.to_string())), "{body}");
    }
    let (status, body) = app.call(&owner, "save_listing", &[("listing_json", "{not json")]).await;
    assert_eq!(
        (status, field_error(&body).map(|e| e.1)),
        (StatusCode::BAD_REQUEST, Some("seller_center.malformed".into()))
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM listings").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM listing_versions").await, 0);

    // Markup is stored as the text it is (pages render it inert).
    let mut raw = tee();
    raw.title = "<script>alert(1)</script> tee".into();
    let id = create(&app, &owner, &raw).await;
    let (_, title, _, _, _) = listing_state(&app, id).await;
    assert_eq!(title, "<script>alert(1)</script> tee");
    let (status, _) = app.call(&owner, "list_my_listings", &[("status", "deleted")]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_may_edit_and_a_seller_that_is_not_active_may_not() {
    let app = TestApp::spawn().await;
    let (owner, org) = seller(&app, "owner").await;
    let staff = app.persona("staff", &[]).await;
    sqlx::query(
        "INSERT INTO organisation_members (organisation_id, user_id, role, added_at) VALUES ($1, $2, 'staff', $3)",
    )
    .bind(org)
    .bind(staff.user_id.unwrap())
    .bind(app.state.now_ms())
    .execute(app.state.db.read())
    .await
    .unwrap();
    let id = create(&app, &owner, &tee()).await;
    let mut edit = tee();
    edit.title = "Linen tee by staff".into();
    let (status, body) = save(&app, &staff, Some(id), &edit).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(submit(&app, &staff, id).await.0, StatusCode::OK);
    assert_eq!(listing_state(&app, id).await.1, "Linen tee by staff");

    let other = create(&app, &owner, &tee()).await;
    sqlx::query("UPDATE organisations SET status = 'suspended' WHERE id = $1")
        .bind(org)
        .execute(app.state.db.read())
        .await
        .unwrap();
    let (status, body) = save(&app, &owner, Some(other), &edit).await;
    assert_eq!(
        (status, body["Conflict"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("seller_center.seller_not_active"))
    );
    assert_eq!(save(&app, &owner, None, &tee()).await.0, StatusCode::CONFLICT);
    assert_eq!(submit(&app, &owner, other).await.0, StatusCode::CONFLICT);
    assert_eq!(listing_state(&app, other).await.0, "draft");
    // A suspended seller still sees its listings.
    assert_eq!(get(&app, &owner, other).await.0, StatusCode::OK);
    let (status, home) = app.call(&owner, "seller_home", &[]).await;
    assert_eq!(
        (status, home["status"].as_str(), home["listings"].as_i64()),
        (StatusCode::OK, Some("suspended"), Some(2))
    );
    // A signed-in non-seller is refused.
    let buyer = app.persona("buyer", &[]).await;
    assert_eq!(app.call(&buyer, "seller_home", &[]).await.0, StatusCode::FORBIDDEN);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_live_listing_is_taken_off_sale_and_back_with_the_search_index() {
    let app = TestApp::spawn().await;
    let (owner, _) = seller(&app, "owner").await;
    let id = create(&app, &owner, &tee()).await;
    // A draft cannot be taken off sale.
    let (status, _) =
        app.call(&owner, "set_listing_availability", &[("id", &id.to_string()), ("active", "false")]).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(submit(&app, &owner, id).await.0, StatusCode::OK);
    approve_directly(&app, id).await;
    let (status, body) =
        app.call(&owner, "set_listing_availability", &[("id", &id.to_string()), ("active", "false")]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(listing_state(&app, id).await.0, "inactive");
    let (status, _) =
        app.call(&owner, "set_listing_availability", &[("id", &id.to_string()), ("active", "true")]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(listing_state(&app, id).await.0, "active");
    let indexed = app.count(&format!("SELECT COUNT(*) FROM search_documents WHERE listing_id = {id}")).await;
    assert_eq!(indexed, 1);
    app.finish().await;
}
