//! Checkout: one order per seller with frozen lines, stock reserved, cart lines removed, timers
//! scheduled; the idempotency key; the last unit raced for by several buyers; refusals that leave
//! nothing behind.

use crate::cart::{add, address, cart, exec, line_of, lines, live, shop};
use crate::helpers::{field_error, Persona, TestApp};
use reqwest::StatusCode;
use serde_json::Value;

async fn checkout(app: &TestApp, who: &Persona, key: &str, address_id: i64, method: &str) -> (StatusCode, Value) {
    app.call(
        who,
        "checkout",
        &[("idempotency_key", key), ("address_id", &address_id.to_string()), ("payment_method", method)],
    )
    .await
}

async fn stock(app: &TestApp, variant: i64) -> i64 {
    sqlx::query_scalar("SELECT stock FROM listing_variants WHERE id = $1")
        .bind(variant)
        .fetch_one(app.state.db.read())
        .await
        .unwrap()
}

/// Rows the checkout writes, to prove a refusal wrote none.
async fn written(app: &TestApp) -> (i64, i64, i64, i64, i64) {
    (
        app.count("SELECT COUNT(*) FROM checkouts").await,
        app.count("SELECT COUNT(*) FROM orders").await,
        app.count("SELECT COUNT(*) FROM order_lines").await,
        app.count("SELECT COUNT(*) FROM payments").await,
        app.count("SELECT COUNT(*) FROM jobs").await,
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_two_seller_checkout_makes_two_orders_with_frozen_lines_and_reserves_stock() {
    let app = TestApp::spawn().await;
    let rule = app.default_commission_rule(1000).await;
    let a = shop(&app, "Blue Kiln").await;
    let b = shop(&app, "Tea House").await;
    let mug = live(&app, &a, "Mug", &[("MUG-S", 1200, 10), ("MUG-L", 1500, 4)]).await;
    let tea = live(&app, &b, "Green tea", &[("TEA-1", 800, 50)]).await[0];
    let spare = live(&app, &b, "Teapot", &[("POT-1", 4000, 5)]).await[0];
    let buyer = app.persona("buyer", &[]).await;
    let home = address(&app, &buyer, "Li Wei").await;
    for (v, q) in [(mug[0], "2"), (mug[1], "1"), (tea, "3"), (spare, "1")] {
        assert_eq!(add(&app, &buyer, v, q).await.0, StatusCode::OK);
    }
    let spare_item = line_of(&cart(&app, &buyer).await, spare)["id"].as_i64().unwrap().to_string();
    app.call(&buyer, "select_cart_items", &[("item_id", &spare_item), ("selected", "false")]).await;

    let (status, preview) = app.call(&buyer, "checkout_preview", &[]).await;
    assert_eq!(status, StatusCode::OK, "{preview}");
    assert_eq!(preview["cart"]["groups"].as_array().unwrap().len(), 2);
    let key = preview["idempotency_key"].as_str().unwrap().to_string();

    let (status, body) = checkout(&app, &buyer, &key, home, "bank_transfer").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let fee = app.state.settings().shipping_fee_minor;
    let items_a = 2 * 1200 + 1500;
    let items_b = 3 * 800;
    assert_eq!(body["total_minor"], items_a + items_b + 2 * fee);
    let numbers: Vec<String> =
        body["order_numbers"].as_array().unwrap().iter().map(|n| n.as_str().unwrap().to_string()).collect();
    assert_eq!(numbers.len(), 2);
    let checkout_id = body["checkout_id"].as_i64().unwrap();
    // Numbered by the checkout and each order's place in it, written with the order.
    let expected: Vec<String> =
        (1..=2).map(|place| agora_app::domain::order::order_number(checkout_id, place, app.state.now_ms())).collect();
    assert_eq!(numbers, expected);

    // One order per seller, pending payment, with its shipping fee, the address copied, 30 minutes to pay.
    let orders = sqlx::query_as::<_, (i64, i64, String, i64, i64, i64, i64, String, i64, i64)>(
        "SELECT id, organisation_id, status, items_minor, shipping_minor, total_minor, commission_minor, address_json, \
         pay_by, created_at FROM orders WHERE checkout_id = $1 ORDER BY organisation_id",
    )
    .bind(checkout_id)
    .fetch_all(app.state.db.read())
    .await
    .unwrap();
    assert_eq!(orders.len(), 2);
    assert_eq!((orders[0].1, orders[1].1), (a.org.min(b.org), a.org.max(b.org)));
    let order_a = orders.iter().find(|o| o.1 == a.org).unwrap();
    let order_b = orders.iter().find(|o| o.1 == b.org).unwrap();
    assert_eq!((order_a.2.as_str(), order_a.3, order_a.4, order_a.5), ("pending_payment", items_a, fee, items_a + fee));
    assert_eq!((order_b.3, order_b.5), (items_b, items_b + fee));
    assert_eq!((order_a.6, order_b.6), (390, 240), "10% commission on the items");
    assert!(order_a.7.contains("88 Jianguo Road"));
    assert_eq!(order_a.8, order_a.9 + 30 * 60_000);

    // Lines frozen: title, variant, SKU, unit price, the commission rule used.
    let frozen = sqlx::query_as::<_, (String, String, String, i64, i64, i64, i64)>(
        "SELECT title, variant_label, sku, unit_price_minor, quantity, line_total_minor, commission_rule_id FROM order_lines \
         WHERE order_id = $1 ORDER BY sku",
    )
    .bind(order_a.0)
    .fetch_all(app.state.db.read())
    .await
    .unwrap();
    assert_eq!(
        frozen,
        vec![
            ("Mug".into(), "MUG-L".into(), "MUG-L".into(), 1500, 1, 1500, rule),
            ("Mug".into(), "MUG-S".into(), "MUG-S".into(), 1200, 2, 2400, rule),
        ]
    );
    exec(&app, "UPDATE listing_variants SET price_minor = 9999 WHERE id = $1", &[mug[0]]).await;
    let still: i64 = sqlx::query_scalar("SELECT unit_price_minor FROM order_lines WHERE variant_id = $1")
        .bind(mug[0])
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    assert_eq!(still, 1200, "a later price change leaves the order alone");

    // Stock reserved (and the listing's total follows), bought lines gone, the unselected one kept.
    assert_eq!((stock(&app, mug[0]).await, stock(&app, mug[1]).await, stock(&app, tea).await), (8, 3, 47));
    let total: i64 = sqlx::query_scalar(
        "SELECT stock_total FROM listings WHERE id = (SELECT listing_id FROM listing_variants WHERE id = $1)",
    )
    .bind(mug[0])
    .fetch_one(app.state.db.read())
    .await
    .unwrap();
    assert_eq!(total, 11);
    let left = lines(&cart(&app, &buyer).await);
    assert_eq!(left.len(), 1);
    assert_eq!(left[0]["variant_id"], spare);

    // One payment for the checkout; a cancel timer per order at its deadline; a timeline row; audit.
    let (provider, pstatus, amount): (String, String, i64) =
        sqlx::query_as("SELECT provider, status, amount_minor FROM payments WHERE id = $1")
            .bind(body["payment_id"].as_i64().unwrap())
            .fetch_one(app.state.db.read())
            .await
            .unwrap();
    assert_eq!(
        (provider.as_str(), pstatus.as_str(), amount),
        ("bank_transfer", "pending", items_a + items_b + 2 * fee)
    );
    let jobs = sqlx::query_as::<_, (String, i64, i64)>(
        "SELECT kind, target_id, due_at FROM jobs WHERE status = 'pending' ORDER BY target_id",
    )
    .fetch_all(app.state.db.read())
    .await
    .unwrap();
    let mut expected: Vec<(String, i64, i64)> =
        orders.iter().map(|o| ("order.cancel_unpaid".to_string(), o.0, o.8)).collect();
    expected.sort_by_key(|j| j.1);
    assert_eq!(jobs, expected);
    assert_eq!(app.count("SELECT COUNT(*) FROM order_events WHERE action = 'created'").await, 2);
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'checkout.create'").await, 1);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retried_or_double_clicked_checkout_returns_the_first_and_another_cart_is_refused() {
    let app = TestApp::spawn().await;
    app.default_commission_rule(500).await;
    let a = shop(&app, "Blue Kiln").await;
    let mug = live(&app, &a, "Mug", &[("MUG-S", 1200, 10)]).await[0];
    let bowl = live(&app, &a, "Bowl", &[("BOWL", 900, 10)]).await[0];
    let buyer = app.persona("buyer", &[]).await;
    let home = address(&app, &buyer, "Li Wei").await;
    add(&app, &buyer, mug, "2").await;

    // A double click: both requests at once.
    let key = "co-double-click-0001";
    let (first, second) = tokio::join!(
        checkout(&app, &buyer, key, home, "bank_transfer"),
        checkout(&app, &buyer, key, home, "bank_transfer")
    );
    assert_eq!(first.0, StatusCode::OK, "{}", first.1);
    assert_eq!(second.0, StatusCode::OK, "{}", second.1);
    assert_eq!(first.1, second.1, "the same checkout");
    // A retry later.
    let (status, again) = checkout(&app, &buyer, key, home, "bank_transfer").await;
    assert_eq!((status, &again), (StatusCode::OK, &first.1));
    assert_eq!(written(&app).await.0, 1);
    assert_eq!(stock(&app, mug).await, 8, "reserved once");

    // The same key with another cart, or another address or method: refused, nothing written.
    add(&app, &buyer, bowl, "1").await;
    let before = written(&app).await;
    let (status, body) = checkout(&app, &buyer, key, home, "bank_transfer").await;
    assert_eq!((status, body["Conflict"]["code"].as_str()), (StatusCode::CONFLICT, Some("idempotency.key_reused")));
    let bowl_item = line_of(&cart(&app, &buyer).await, bowl)["id"].as_i64().unwrap().to_string();
    app.call(&buyer, "remove_cart_item", &[("item_id", &bowl_item)]).await;
    let (status, body) = checkout(&app, &buyer, key, home, "sandbox").await;
    assert_eq!((status, body["Conflict"]["code"].as_str()), (StatusCode::CONFLICT, Some("idempotency.key_reused")));
    assert_eq!(written(&app).await, before);
    assert_eq!(stock(&app, bowl).await, 10);

    // Keys are per buyer: another buyer's same key is their own checkout.
    let other = app.persona("other", &[]).await;
    let theirs = address(&app, &other, "Wang Fang").await;
    add(&app, &other, mug, "1").await;
    let (status, body) = checkout(&app, &other, key, theirs, "bank_transfer").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_ne!(body["checkout_id"], first.1["checkout_id"]);
    app.finish().await;
}

/// Two tabs checking out one cart at once under different keys: one checkout, never two. The lines are
/// read before the write transaction, so the other finds them taken out (`checkout.cart_changed`) or
/// the cart already empty (`checkout.nothing_selected`), and writes nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_tabs_checking_out_one_cart_make_one_checkout() {
    let app = TestApp::spawn().await;
    app.default_commission_rule(500).await;
    let a = shop(&app, "Blue Kiln").await;
    let mug = live(&app, &a, "Mug", &[("MUG-S", 1200, 10)]).await[0];
    let buyer = app.persona("buyer", &[]).await;
    let home = address(&app, &buyer, "Li Wei").await;
    for round in 0..4 {
        add(&app, &buyer, mug, "1").await;
        let (key_one, key_two) = (format!("co-tab-one-{round:04}"), format!("co-tab-two-{round:04}"));
        let (one, two) = tokio::join!(
            checkout(&app, &buyer, &key_one, home, "bank_transfer"),
            checkout(&app, &buyer, &key_two, home, "bank_transfer")
        );
        let (won, lost) = if one.0 == StatusCode::OK { (&one, &two) } else { (&two, &one) };
        assert_eq!(won.0, StatusCode::OK, "{}", won.1);
        assert_eq!(lost.0, StatusCode::CONFLICT, "{}", lost.1);
        let code = lost.1["Conflict"]["code"].as_str().unwrap_or_default();
        assert!(["checkout.cart_changed", "checkout.nothing_selected"].contains(&code), "{}", lost.1);
        assert_eq!(written(&app).await.0, round + 1, "one checkout per round");
        assert_eq!(stock(&app, mug).await, 10 - (round + 1), "reserved once per round");
    }
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn buyers_racing_for_the_last_unit_get_exactly_one_order() {
    let app = TestApp::spawn().await;
    app.default_commission_rule(1000).await;
    let a = shop(&app, "Blue Kiln").await;
    let last = live(&app, &a, "Last vase", &[("VASE", 5000, 1)]).await[0];
    let mut buyers = vec![];
    for i in 0..8 {
        let b = app.persona(&format!("buyer{i}"), &[]).await;
        let addr = address(&app, &b, "Buyer").await;
        assert_eq!(add(&app, &b, last, "1").await.0, StatusCode::OK);
        buyers.push((b, addr));
    }
    // Every checkout on its own task, started together.
    let mut tasks = vec![];
    for (i, (b, addr)) in buyers.iter().enumerate() {
        let req = b.client.post(app.url("/api/checkout")).form(&[
            ("idempotency_key", format!("co-race-{i:04}-key")),
            ("address_id", addr.to_string()),
            ("payment_method", "bank_transfer".to_string()),
        ]);
        tasks.push(tokio::spawn(async move {
            let res = req.send().await.unwrap();
            let status = res.status();
            (status, res.json::<Value>().await.unwrap())
        }));
    }
    let mut results = vec![];
    for t in tasks {
        results.push(t.await.unwrap());
    }
    let won: Vec<&(StatusCode, Value)> = results.iter().filter(|r| r.0 == StatusCode::OK).collect();
    assert_eq!(won.len(), 1, "{results:?}");
    for r in results.iter().filter(|r| r.0 != StatusCode::OK) {
        assert_eq!(
            (r.0, r.1["Conflict"]["code"].as_str()),
            (StatusCode::CONFLICT, Some("checkout.stock_short")),
            "{r:?}"
        );
    }
    assert_eq!(stock(&app, last).await, 0, "never oversold");
    assert_eq!(app.count("SELECT COUNT(*) FROM orders").await, 1);
    assert_eq!(app.count("SELECT CAST(COALESCE(SUM(quantity), 0) AS BIGINT) FROM order_lines").await, 1);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_checkout_is_refused_with_a_clear_reason_and_nothing_half_written() {
    let app = TestApp::spawn().await;
    let a = shop(&app, "Blue Kiln").await;
    let b = shop(&app, "Tea House").await;
    let mug = live(&app, &a, "Mug", &[("MUG-S", 1200, 10)]).await[0];
    let tea = live(&app, &b, "Tea", &[("TEA", 800, 10)]).await[0];
    let buyer = app.persona("buyer", &[]).await;
    let home = address(&app, &buyer, "Li Wei").await;
    let other = app.persona("other", &[]).await;
    let foreign = address(&app, &other, "Wang Fang").await;
    let key = "co-refusals-000001";

    // Nothing selected.
    let (status, body) = checkout(&app, &buyer, key, home, "bank_transfer").await;
    assert_eq!((status, body["Conflict"]["code"].as_str()), (StatusCode::CONFLICT, Some("checkout.nothing_selected")));
    add(&app, &buyer, mug, "2").await;
    add(&app, &buyer, tea, "1").await;

    // No active commission rule: the platform is not ready to sell.
    let (status, body) = checkout(&app, &buyer, key, home, "bank_transfer").await;
    assert_eq!(
        (status, body["Conflict"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("checkout.no_commission_rule"))
    );
    app.default_commission_rule(1000).await;

    // Bad fields.
    let (status, body) = checkout(&app, &buyer, key, foreign, "bank_transfer").await;
    assert_eq!(
        (status, field_error(&body)),
        (StatusCode::BAD_REQUEST, Some(("address_id".into(), "checkout.address_unknown".into())))
    );
    let (status, body) = checkout(&app, &buyer, key, home, "cash").await;
    assert_eq!(
        (status, field_error(&body)),
        (StatusCode::BAD_REQUEST, Some(("payment_method".into(), "checkout.payment_method".into())))
    );
    let (status, body) = checkout(&app, &buyer, "short", home, "bank_transfer").await;
    assert_eq!(
        (status, field_error(&body)),
        (StatusCode::BAD_REQUEST, Some(("idempotency_key".into(), "checkout.bad_idempotency_key".into())))
    );
    let removed = address(&app, &buyer, "Old").await;
    app.call(&buyer, "remove_address", &[("id", &removed.to_string())]).await;
    let (status, _) = checkout(&app, &buyer, key, removed, "bank_transfer").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    // A price changed between the cart and checkout.
    exec(&app, "UPDATE listing_variants SET price_minor = 1300 WHERE id = $1", &[mug]).await;
    let (status, body) = checkout(&app, &buyer, key, home, "bank_transfer").await;
    assert_eq!((status, body["Conflict"]["code"].as_str()), (StatusCode::CONFLICT, Some("checkout.price_changed")));
    let item = line_of(&cart(&app, &buyer).await, mug)["id"].as_i64().unwrap().to_string();
    app.call(&buyer, "accept_cart_price", &[("item_id", &item)]).await;

    // Stock ran short; the seller was suspended; the listing went away.
    exec(&app, "UPDATE listing_variants SET stock = 1 WHERE id = $1", &[mug]).await;
    let (status, body) = checkout(&app, &buyer, key, home, "bank_transfer").await;
    assert_eq!((status, body["Conflict"]["code"].as_str()), (StatusCode::CONFLICT, Some("checkout.stock_short")));
    exec(&app, "UPDATE listing_variants SET stock = 10 WHERE id = $1", &[mug]).await;
    exec(&app, "UPDATE organisations SET status = 'suspended' WHERE id = $1", &[b.org]).await;
    let (status, body) = checkout(&app, &buyer, key, home, "bank_transfer").await;
    assert_eq!((status, body["Conflict"]["code"].as_str()), (StatusCode::CONFLICT, Some("checkout.seller_suspended")));
    exec(&app, "UPDATE organisations SET status = 'active' WHERE id = $1", &[b.org]).await;
    exec(
        &app,
        "UPDATE listings SET status = 'inactive' WHERE id = (SELECT listing_id FROM listing_variants WHERE id = $1)",
        &[tea],
    )
    .await;
    let (status, body) = checkout(&app, &buyer, key, home, "bank_transfer").await;
    assert_eq!((status, body["Conflict"]["code"].as_str()), (StatusCode::CONFLICT, Some("checkout.unavailable")));

    assert_eq!(written(&app).await, (0, 0, 0, 0, 0), "nothing half-written");
    assert_eq!((stock(&app, mug).await, stock(&app, tea).await), (10, 10));
    assert_eq!(lines(&cart(&app, &buyer).await).len(), 2, "the cart is untouched");

    // Fixed, the same key goes through.
    exec(
        &app,
        "UPDATE listings SET status = 'active' WHERE id = (SELECT listing_id FROM listing_variants WHERE id = $1)",
        &[tea],
    )
    .await;
    let (status, body) = checkout(&app, &buyer, key, home, "sandbox").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["order_numbers"].as_array().unwrap().len(), 2);
    app.finish().await;
}
