//! The cart and the address book: adding (the same SKU merges), quantities, selection, warnings,
//! the guest cart and its merge at sign-in, and the address book. Listings are made live by a
//! fixture (SQL), as the storefront tests do.

use crate::helpers::{field_error, Persona, TestApp, PASSWORD};
use reqwest::StatusCode;
use serde_json::{json, Value};

/// A seller organisation and its owner.
pub struct Shop {
    pub org: i64,
    pub owner: Persona,
}

pub async fn shop(app: &TestApp, name: &str) -> Shop {
    let owner = app.persona("seller", &[]).await;
    let org = app.organisation_owned_by(&owner, name).await;
    Shop { org, owner }
}

/// An active listing of `shop` with live variants `(sku, price minor, stock)`; returns the variant
/// ids in order.
pub async fn live(app: &TestApp, shop: &Shop, title: &str, variants: &[(&str, i64, i64)]) -> Vec<i64> {
    let now = app.state.now_ms();
    let currency = app.state.settings().currency.code();
    let price = variants.iter().map(|v| v.1).min().unwrap();
    let stock: i64 = variants.iter().map(|v| v.2).sum();
    let mut tx = app.state.db.begin().await.unwrap();
    let options = if variants.len() > 1 {
        json!([{"name": "Size", "values": variants.iter().map(|v| v.0).collect::<Vec<_>>()}])
    } else {
        json!([])
    };
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO listings (organisation_id, status, title, description, category_id, price_minor, compare_at_minor, \
         currency, weight_grams, options_json, images_json, stock_total, featured, created_by, created_at, updated_at, \
         published_at) VALUES ($1, 'active', $2, 'A fixture.', $3, $4, $5, $6, 250, $7, '[]', $8, 0, $9, $10, $10, $10) \
         RETURNING id",
    )
    .bind(shop.org)
    .bind(title)
    .bind(None::<i64>)
    .bind(price)
    .bind(None::<i64>)
    .bind(currency)
    .bind(options.to_string())
    .bind(stock)
    .bind(shop.owner.user_id.unwrap())
    .bind(now)
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    let mut ids = vec![];
    for (position, (sku, price, stock)) in variants.iter().enumerate() {
        let option_values = if variants.len() > 1 { json!([sku]) } else { json!([]) };
        let vid: i64 = sqlx::query_scalar(
            "INSERT INTO listing_variants (listing_id, sku, options_json, price_minor, compare_at_minor, stock, position, status) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'active') RETURNING id",
        )
        .bind(id)
        .bind(*sku)
        .bind(option_values.to_string())
        .bind(*price)
        .bind(None::<i64>)
        .bind(*stock)
        .bind(position as i64)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
        ids.push(vid);
    }
    tx.commit().await.unwrap();
    ids
}

pub async fn add(app: &TestApp, who: &Persona, variant: i64, qty: &str) -> (StatusCode, Value) {
    app.call(who, "add_to_cart", &[("variant_id", &variant.to_string()), ("quantity", qty)]).await
}

pub async fn cart(app: &TestApp, who: &Persona) -> Value {
    let (status, body) = app.call(who, "get_cart", &[]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

pub fn lines(cart: &Value) -> Vec<Value> {
    cart["groups"].as_array().unwrap().iter().flat_map(|g| g["lines"].as_array().unwrap().clone()).collect()
}

pub fn line_of(cart: &Value, variant: i64) -> Value {
    lines(cart)
        .into_iter()
        .find(|l| l["variant_id"] == variant)
        .unwrap_or_else(|| panic!("no line for {variant} in {cart}"))
}

pub async fn exec(app: &TestApp, sql: &str, args: &[i64]) {
    let mut q = sqlx::query(sql);
    for a in args {
        q = q.bind(*a);
    }
    q.execute(app.state.db.read()).await.unwrap();
}

/// Saves a valid address for `who`; returns its id.
pub async fn address(app: &TestApp, who: &Persona, recipient: &str) -> i64 {
    let (status, body) = app
        .call(
            who,
            "save_address",
            &[
                ("recipient", recipient),
                ("phone", "+86 138 0000 0000"),
                ("line1", "88 Jianguo Road"),
                ("city", "Beijing"),
                ("region", "Beijing"),
                ("postal_code", "100022"),
                ("country", "cn"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body.as_i64().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn adding_the_same_sku_merges_and_lines_change_and_go() {
    let app = TestApp::spawn().await;
    let a = shop(&app, "Blue Kiln").await;
    let b = shop(&app, "Tea House").await;
    let mug = live(&app, &a, "Mug", &[("MUG-S", 1200, 10), ("MUG-L", 1500, 3)]).await;
    let tea = live(&app, &b, "Green tea", &[("TEA-1", 800, 50)]).await;
    let buyer = app.persona("buyer", &[]).await;

    assert_eq!(add(&app, &buyer, mug[0], "2").await, (StatusCode::OK, json!(2)));
    assert_eq!(add(&app, &buyer, mug[0], "3").await, (StatusCode::OK, json!(5)));
    assert_eq!(add(&app, &buyer, tea[0], "1").await.0, StatusCode::OK);
    assert_eq!(add(&app, &buyer, mug[1], "1").await.0, StatusCode::OK);
    let c = cart(&app, &buyer).await;
    assert_eq!(lines(&c).len(), 3, "the same SKU merged into one line: {c}");
    assert_eq!(line_of(&c, mug[0])["quantity"], 5);
    let sellers: Vec<&str> =
        c["groups"].as_array().unwrap().iter().map(|g| g["seller_name"].as_str().unwrap()).collect();
    assert_eq!(sellers, vec!["Blue Kiln", "Tea House"], "grouped by seller in the order added");
    assert_eq!(c["shipping_fee_minor"], app.state.settings().shipping_fee_minor);
    let (_, count) = app.call(&buyer, "cart_count", &[]).await;
    assert_eq!(count, 7);

    // Change a quantity, unselect a line, remove one.
    let item = line_of(&c, mug[0])["id"].as_i64().unwrap().to_string();
    let (status, body) = app.call(&buyer, "set_cart_quantity", &[("item_id", &item), ("quantity", "4")]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let tea_item = line_of(&c, tea[0])["id"].as_i64().unwrap().to_string();
    let (status, _) = app.call(&buyer, "select_cart_items", &[("item_id", &tea_item), ("selected", "false")]).await;
    assert_eq!(status, StatusCode::OK);
    let large_item = line_of(&c, mug[1])["id"].as_i64().unwrap().to_string();
    assert_eq!(app.call(&buyer, "remove_cart_item", &[("item_id", &large_item)]).await.0, StatusCode::OK);
    let c = cart(&app, &buyer).await;
    assert_eq!(line_of(&c, mug[0])["quantity"], 4);
    assert_eq!(line_of(&c, tea[0])["selected"], false);
    assert_eq!(lines(&c).len(), 2);
    let (status, _) = app.call(&buyer, "select_cart_items", &[("selected", "true")]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(lines(&cart(&app, &buyer).await).iter().all(|l| l["selected"] == true));

    // Someone else's line is not reachable.
    let other = app.persona("other", &[]).await;
    assert_eq!(app.call(&other, "remove_cart_item", &[("item_id", &item)]).await.0, StatusCode::NOT_FOUND);
    assert_eq!(
        app.call(&other, "set_cart_quantity", &[("item_id", &item), ("quantity", "1")]).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.call(&app.anonymous(), "accept_cart_price", &[("item_id", &item)]).await.0, StatusCode::NOT_FOUND);
    assert_eq!(line_of(&cart(&app, &buyer).await, mug[0])["quantity"], 4);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_quantities_are_refused_next_to_the_field_and_nothing_changes() {
    let app = TestApp::spawn().await;
    let a = shop(&app, "Blue Kiln").await;
    let mug = live(&app, &a, "Mug", &[("MUG-S", 1200, 5)]).await[0];
    let buyer = app.persona("buyer", &[]).await;
    for (qty, code) in [
        ("0", "cart.quantity_positive"),
        ("-2", "cart.quantity_positive"),
        ("1.5", "cart.quantity_whole"),
        ("many", "cart.quantity_whole"),
        ("1000", "cart.quantity_too_large"),
        ("6", "cart.beyond_stock"),
    ] {
        let (status, body) = add(&app, &buyer, mug, qty).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{qty}: {body}");
        assert_eq!(field_error(&body), Some(("quantity".into(), code.into())), "{qty}");
    }
    assert!(lines(&cart(&app, &buyer).await).is_empty());
    assert_eq!(add(&app, &buyer, mug, "4").await.0, StatusCode::OK);
    // Merging past the stock is refused too.
    let (status, body) = add(&app, &buyer, mug, "2").await;
    assert_eq!(
        (status, field_error(&body)),
        (StatusCode::BAD_REQUEST, Some(("quantity".into(), "cart.beyond_stock".into())))
    );
    let item = line_of(&cart(&app, &buyer).await, mug)["id"].as_i64().unwrap().to_string();
    for (qty, code) in [
        ("0", "cart.quantity_positive"),
        ("-1", "cart.quantity_positive"),
        ("9", "cart.beyond_stock"),
        ("1000", "cart.quantity_too_large"),
    ] {
        let (status, body) = app.call(&buyer, "set_cart_quantity", &[("item_id", &item), ("quantity", qty)]).await;
        assert_eq!(
            (status, field_error(&body)),
            (StatusCode::BAD_REQUEST, Some(("quantity".into(), code.into()))),
            "{qty}"
        );
    }
    assert_eq!(line_of(&cart(&app, &buyer).await, mug)["quantity"], 4);
    // A variant that does not exist or is not live.
    let (status, body) = add(&app, &buyer, 999_999, "1").await;
    assert_eq!(
        (status, field_error(&body)),
        (StatusCode::BAD_REQUEST, Some(("variant_id".into(), "cart.variant_unavailable".into())))
    );
    exec(
        &app,
        "UPDATE listings SET status = 'inactive' WHERE id = (SELECT listing_id FROM listing_variants WHERE id = $1)",
        &[mug],
    )
    .await;
    assert_eq!(add(&app, &buyer, mug, "1").await.0, StatusCode::BAD_REQUEST);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cart_warns_about_price_stock_availability_and_suspension() {
    let app = TestApp::spawn().await;
    let a = shop(&app, "Blue Kiln").await;
    let b = shop(&app, "Tea House").await;
    let mug = live(&app, &a, "Mug", &[("MUG-S", 1200, 10)]).await[0];
    let bowl = live(&app, &a, "Bowl", &[("BOWL", 900, 10)]).await[0];
    let pot = live(&app, &a, "Pot", &[("POT", 4000, 10)]).await[0];
    let tea = live(&app, &b, "Tea", &[("TEA", 800, 10)]).await[0];
    let buyer = app.persona("buyer", &[]).await;
    for v in [mug, bowl, pot, tea] {
        assert_eq!(add(&app, &buyer, v, "3").await.0, StatusCode::OK);
    }
    assert!(lines(&cart(&app, &buyer).await).iter().all(|l| l["warnings"] == json!([])));

    exec(&app, "UPDATE listing_variants SET price_minor = 1300 WHERE id = $1", &[mug]).await;
    exec(&app, "UPDATE listing_variants SET stock = 2 WHERE id = $1", &[bowl]).await;
    exec(
        &app,
        "UPDATE listings SET status = 'blocked' WHERE id = (SELECT listing_id FROM listing_variants WHERE id = $1)",
        &[pot],
    )
    .await;
    exec(&app, "UPDATE organisations SET status = 'suspended' WHERE id = $1", &[b.org]).await;
    let c = cart(&app, &buyer).await;
    let m = line_of(&c, mug);
    assert_eq!(m["warnings"], json!(["PriceChanged"]));
    assert_eq!(
        (m["price_minor"].as_i64(), m["price_seen_minor"].as_i64()),
        (Some(1300), Some(1200)),
        "current price shown"
    );
    assert_eq!(line_of(&c, bowl)["warnings"], json!(["StockShort"]));
    assert_eq!(line_of(&c, pot)["warnings"], json!(["Unavailable"]));
    assert_eq!(line_of(&c, tea)["warnings"], json!(["SellerSuspended"]));

    // Accepting the new price clears its warning.
    let item = m["id"].as_i64().unwrap().to_string();
    assert_eq!(app.call(&buyer, "accept_cart_price", &[("item_id", &item)]).await.0, StatusCode::OK);
    let m = line_of(&cart(&app, &buyer).await, mug);
    assert_eq!((m["warnings"].clone(), m["price_seen_minor"].as_i64()), (json!([]), Some(1300)));
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_guest_cart_lives_behind_a_cookie_and_merges_into_the_account_at_sign_in() {
    let app = TestApp::spawn().await;
    let a = shop(&app, "Blue Kiln").await;
    let v = live(&app, &a, "Mug", &[("MUG-S", 1200, 10), ("MUG-L", 1500, 10)]).await;
    let buyer = app.persona("buyer", &[]).await;
    assert_eq!(add(&app, &buyer, v[0], "1").await.0, StatusCode::OK);

    let guest = app.anonymous();
    assert!(lines(&cart(&app, &guest).await).is_empty());
    let res = guest
        .client
        .post(app.url("/api/add_to_cart"))
        .form(&[("variant_id", v[0].to_string()), ("quantity", "2".into())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let cookie = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|c| c.to_str().unwrap().to_string())
        .find(|c| c.starts_with("agora_cart="));
    let cookie = cookie.expect("a guest cart cookie");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    assert_eq!(add(&app, &guest, v[1], "1").await.0, StatusCode::OK);
    assert_eq!(lines(&cart(&app, &guest).await).len(), 2);
    // Another guest sees nothing of it.
    assert!(lines(&cart(&app, &app.anonymous()).await).is_empty());
    assert_eq!(app.count("SELECT COUNT(*) FROM cart_items WHERE owner_key LIKE 'g:%'").await, 2);

    let (status, body) = app.call(&guest, "sign_in", &[("email", &buyer.email), ("password", PASSWORD)]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let merged = cart(&app, &guest).await;
    assert_eq!(line_of(&merged, v[0])["quantity"], 3, "the same SKU merged");
    assert_eq!(line_of(&merged, v[1])["quantity"], 1);
    assert_eq!(cart(&app, &buyer).await, merged, "the account's cart, on every device");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM cart_items WHERE owner_key LIKE 'g:%'").await,
        0,
        "the guest cart is gone"
    );
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_address_book_adds_edits_defaults_and_removes_only_the_callers_addresses() {
    let app = TestApp::spawn().await;
    let buyer = app.persona("buyer", &[]).await;
    let home = address(&app, &buyer, "Li Wei").await;
    let office = address(&app, &buyer, "Li Wei (office)").await;
    let (_, list) = app.call(&buyer, "list_addresses", &[]).await;
    let defaults: Vec<(i64, bool)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["id"].as_i64().unwrap(), a["is_default"].as_bool().unwrap()))
        .collect();
    assert_eq!(defaults, vec![(home, true), (office, false)], "the first address is the default");
    assert_eq!(list[0]["address"]["country"], "CN", "normalised");

    // Edit, make default.
    let (status, body) = app
        .call(
            &buyer,
            "save_address",
            &[
                ("id", &office.to_string()),
                ("recipient", "Li Wei"),
                ("phone", "010 6500 0000"),
                ("line1", "1 Chaoyang Road"),
                ("city", "Beijing"),
                ("country", "CN"),
                ("make_default", "on"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, list) = app.call(&buyer, "list_addresses", &[]).await;
    assert_eq!(list[0]["id"], office);
    assert_eq!(list[0]["address"]["line1"], "1 Chaoyang Road");
    assert_eq!(list.as_array().unwrap().iter().filter(|a| a["is_default"] == true).count(), 1);
    assert_eq!(app.call(&buyer, "set_default_address", &[("id", &home.to_string())]).await.0, StatusCode::OK);
    let (_, list) = app.call(&buyer, "list_addresses", &[]).await;
    assert_eq!(list[0]["id"], home);

    // Bad input is named; nothing stored.
    let (status, body) = app
        .call(
            &buyer,
            "save_address",
            &[("recipient", "X"), ("phone", "abc"), ("line1", "88 Road"), ("city", "B"), ("country", "CN")],
        )
        .await;
    assert_eq!((status, field_error(&body)), (StatusCode::BAD_REQUEST, Some(("phone".into(), "field.phone".into()))));
    let (status, body) = app
        .call(
            &buyer,
            "save_address",
            &[("recipient", " "), ("phone", "12345678"), ("line1", "88 Road"), ("city", "B"), ("country", "CN")],
        )
        .await;
    assert_eq!(
        (status, field_error(&body)),
        (StatusCode::BAD_REQUEST, Some(("recipient".into(), "field.required".into())))
    );

    // Another buyer can neither read, edit, default nor remove them.
    let other = app.persona("other", &[]).await;
    let (_, theirs) = app.call(&other, "list_addresses", &[]).await;
    assert_eq!(theirs, json!([]));
    assert_eq!(app.call(&other, "remove_address", &[("id", &home.to_string())]).await.0, StatusCode::NOT_FOUND);
    assert_eq!(app.call(&other, "set_default_address", &[("id", &home.to_string())]).await.0, StatusCode::NOT_FOUND);
    let (status, _) = app
        .call(
            &other,
            "save_address",
            &[
                ("id", &home.to_string()),
                ("recipient", "Mallory"),
                ("phone", "12345678"),
                ("line1", "1 Evil St"),
                ("city", "X"),
                ("country", "US"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Removing the default passes it on.
    assert_eq!(app.call(&buyer, "remove_address", &[("id", &home.to_string())]).await.0, StatusCode::OK);
    let (_, list) = app.call(&buyer, "list_addresses", &[]).await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!((list[0]["id"].as_i64(), list[0]["is_default"].as_bool()), (Some(office), Some(true)));
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'address.%'").await, 5);
    app.finish().await;
}
