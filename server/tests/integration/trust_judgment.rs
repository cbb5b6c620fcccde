//! The trust judgment on a product page (issue 15, seed 001): a new seller is medium risk; a price
//! far above the listing's earlier price is medium, by a ratio that is a setting; completed orders
//! make it low; a dispute the seller lost makes it high.

use crate::cart::{live, shop};
use crate::finance_controls::{completed_order, shipped_order};
use crate::helpers::{ok, TestApp, PASSWORD};
use agora_app::domain::permissions::OperatorRole;
use serde_json::Value;

async fn judgment(app: &TestApp, listing: i64) -> (String, Vec<String>) {
    let product = ok(app, &app.anonymous(), "storefront_listing", &[("id", &listing.to_string())]).await;
    let trust = &product["trust"];
    let evidence = trust["evidence"].as_array().unwrap().iter().map(|e| match e {
        Value::String(s) => s.clone(),
        Value::Object(o) => o.keys().next().unwrap().clone(),
        other => other.to_string(),
    });
    (trust["level"].as_str().unwrap().to_string(), evidence.collect())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_product_page_judges_its_seller_by_disputes_orders_and_price_history() {
    let app = TestApp::spawn().await;
    app.default_commission_rule(500).await;
    let tea = shop(&app, "Tea House").await;
    let variant = live(&app, &tea, "Oolong", &[("std", 1_000, 20)]).await[0];
    let listing: i64 = sqlx::query_scalar("SELECT listing_id FROM listing_variants WHERE id = $1")
        .bind(variant)
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    assert_eq!(judgment(&app, listing).await, ("Medium".into(), vec!["NewSeller".into()]));

    // An earlier live version at 8.00, as an approved edit leaves one: 10.00 is 25% above it.
    let now = app.state.now_ms();
    sqlx::query(
        "INSERT INTO listing_versions (listing_id, number, status, title, description, price_minor, currency, weight_grams, \
         options_json, variants_json, images_json, created_by, created_at, updated_at) \
         VALUES ($1, 1, 'superseded', 'Oolong', 'A fixture.', 800, $2, 250, '[]', '[]', '[]', $3, $4, $4)",
    )
    .bind(listing)
    .bind(app.state.settings().currency.code())
    .bind(tea.owner.user_id.unwrap())
    .bind(now)
    .execute(app.state.db.read())
    .await
    .unwrap();
    assert_eq!(judgment(&app, listing).await.1, vec!["NewSeller".to_string(), "PriceAboveHistory".into()]);
    // The ratio is a setting: at 1.3 x, 25% above is no longer a signal.
    let tech = app.persona("tech", &[OperatorRole::Tech]).await;
    let form = [
        ("key", "trust_price_ratio_percent"),
        ("value", "130"),
        ("reason", "fewer false alarms"),
        ("password", PASSWORD),
    ];
    ok(&app, &tech, "change_setting", &form).await;
    assert_eq!(judgment(&app, listing).await.1, vec!["NewSeller".to_string()]);

    // A completed order: an established seller at its usual price is low risk.
    let buyer = app.persona("buyer", &[]).await;
    completed_order(&app, &buyer, &tea, variant, "co-00000000000000000000000000000001").await;
    assert_eq!(judgment(&app, listing).await, ("Low".into(), vec!["CompletedOrders".into()]));

    // A dispute the seller loses makes it high.
    let (_, number) = shipped_order(&app, &buyer, &tea, variant, "co-00000000000000000000000000000002").await;
    let opened = [
        ("idempotency_key", "trust-dispute-0001"),
        ("order_number", number.as_str()),
        ("claim", "10.00"),
        ("reason_code", "damaged"),
        ("details", "The tin arrived crushed."),
    ];
    let dispute = ok(&app, &buyer, "open_dispute", &opened).await.as_i64().unwrap().to_string();
    let finance = app.persona("finance", &[OperatorRole::Finance]).await;
    let decided = [
        ("id", dispute.as_str()),
        ("decision", "refund_full"),
        ("amount", ""),
        ("reason", "Photos show the damage"),
        ("password", PASSWORD),
        ("idempotency_key", "trust-decision-0001"),
    ];
    ok(&app, &finance, "decide_dispute", &decided).await;
    let (level, evidence) = judgment(&app, listing).await;
    assert_eq!((level.as_str(), evidence[0].as_str()), ("High", "LostDispute"));
    // Past the window, it no longer counts.
    app.advance(91 * 86_400_000);
    assert_eq!(judgment(&app, listing).await.0, "Low");
    app.finish().await;
}
