//! The suspension freeze, the ledger controls and the per-seller reconciliation through the real
//! services: suspending freezes a seller's held earnings and open payout requests (the release
//! timer waits, the controls show the release as waiting for a frozen seller), reinstating lifts it
//! and the next run releases; the controls read zero on a healthy ledger and name what is unposted;
//! the reconciliation adds up after a refund and a payout, and turns red when a balance drifts.

use crate::cart::{add, address, live, shop, Shop};
use crate::helpers::{fresh, ok, sound, Persona, TestApp, PASSWORD};
use crate::readiness::status as readiness_status;
use agora_app::domain::ledger::Posting;
use agora_app::domain::permissions::OperatorRole;
use agora_app::domain::readiness::Status;
use agora_app::orders::timers::FROZEN_RETRY_MS;
use agora_app::platform::caller::new_token;
use agora_app::platform::ledger::{self, PostingRefs};
use reqwest::StatusCode;
use serde_json::Value;

/// Buys one of `variant` as `buyer`, pays with the sandbox card, the seller ships and the buyer
/// confirms: the order completes (its earnings pending for the hold). Returns (order id, number).
pub(crate) async fn completed_order(
    app: &TestApp,
    buyer: &Persona,
    seller: &Shop,
    variant: i64,
    key: &str,
) -> (i64, String) {
    let (id, number) = shipped_order(app, buyer, seller, variant, key).await;
    ok(app, buyer, "confirm_order", &[("number", &number)]).await;
    (id, number)
}

/// `completed_order` up to the seller's shipping. Returns (order id, number).
pub(crate) async fn shipped_order(
    app: &TestApp,
    buyer: &Persona,
    seller: &Shop,
    variant: i64,
    key: &str,
) -> (i64, String) {
    let home = address(app, buyer, "Li Wei").await;
    assert_eq!(add(app, buyer, variant, "1").await.0, StatusCode::OK);
    let result = ok(
        app,
        buyer,
        "checkout",
        &[("idempotency_key", key), ("address_id", &home.to_string()), ("payment_method", "sandbox")],
    )
    .await;
    let checkout = result["checkout_id"].as_i64().unwrap();
    ok(
        app,
        buyer,
        "pay_with_sandbox",
        &[("checkout_id", &checkout.to_string()), ("card_number", "4242 4242 4242 4242")],
    )
    .await;
    let (id, number): (i64, String) = sqlx::query_as("SELECT id, number FROM orders WHERE checkout_id = $1")
        .bind(checkout)
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    ok(
        app,
        &seller.owner,
        "ship_order",
        &[("number", &number), ("carrier", "sf"), ("tracking_number", "SF1234567890")],
    )
    .await;
    (id, number)
}

/// A payout account and a requested payout of `amount` for `org`, made as the payout service makes
/// them (the request moves the money from available to in transit). Returns the payout id.
async fn requested_payout(app: &TestApp, org: &Shop, amount: i64) -> i64 {
    let now = app.state.now_ms();
    let user = org.owner.user_id.unwrap();
    let currency = app.state.settings().currency;
    let mut tx = app.state.db.begin().await.unwrap();
    let account: i64 = sqlx::query_scalar(
        "INSERT INTO payout_accounts (organisation_id, method, holder, account_number, account_masked, status, \
         created_by, created_at) VALUES ($1, 'paypal', 'Blue Kiln Ltd', 'kiln@example.com', 'k***@example.com', \
         'active', $2, $3) RETURNING id",
    )
    .bind(org.org)
    .bind(user)
    .bind(now)
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    let payout: i64 = sqlx::query_scalar(
        "INSERT INTO payouts (organisation_id, payout_account_id, currency, amount_minor, status, idempotency_key, \
         request_hash, requested_by, requested_at, updated_at) \
         VALUES ($1, $2, $3, $4, 'requested', $5, 'h', $6, $7, $7) RETURNING id",
    )
    .bind(org.org)
    .bind(account)
    .bind(currency.code())
    .bind(amount)
    .bind(new_token())
    .bind(user)
    .bind(now)
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    let posting = Posting::payout_requested(currency, org.org, amount).unwrap();
    ledger::post(&mut tx, now, &format!("payout:{payout}:requested"), &posting, PostingRefs::default(), "payout")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    payout
}

/// Finance paid the payout: status paid and the payout_paid posting.
async fn pay_payout(app: &TestApp, org: i64, payout: i64, amount: i64) {
    let now = app.state.now_ms();
    let mut tx = app.state.db.begin().await.unwrap();
    sqlx::query("UPDATE payouts SET status = 'paid', external_reference = 'PP-1', updated_at = $1 WHERE id = $2")
        .bind(now)
        .bind(payout)
        .execute(&mut *tx)
        .await
        .unwrap();
    let posting = Posting::payout_paid(app.state.settings().currency, org, amount).unwrap();
    ledger::post(&mut tx, now, &format!("payout:{payout}:paid"), &posting, PostingRefs::default(), "payout paid")
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

/// The seller's net on an order: total less commission.
async fn net_of(app: &TestApp, order: i64) -> (i64, i64) {
    let (total, commission): (i64, i64) =
        sqlx::query_as("SELECT total_minor, commission_minor FROM orders WHERE id = $1")
            .bind(order)
            .fetch_one(app.state.db.read())
            .await
            .unwrap();
    (total - commission, commission)
}

async fn balances(app: &TestApp, seller: &Persona) -> (i64, i64) {
    let b = ok(app, seller, "seller_balance", &[]).await;
    (b["pending_minor"].as_i64().unwrap(), b["available_minor"].as_i64().unwrap())
}

fn unposted(controls: &Value) -> Vec<(String, i64)> {
    controls["unposted"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| (u["kind"].as_str().unwrap().to_string(), u["count"].as_i64().unwrap()))
        .collect()
}

fn all_zero(controls: &Value) {
    assert!(unposted(controls).iter().all(|(_, n)| *n == 0), "{controls}");
    assert!(controls["trial"].as_array().unwrap().iter().all(|t| t[1] == 0), "{controls}");
    assert_eq!(controls["problems"], serde_json::json!([]), "{controls}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn suspending_a_seller_freezes_its_earnings_and_payouts_until_reinstated() {
    let app = TestApp::spawn().await;
    app.default_commission_rule(1000).await;
    let admin = app.persona("admin", &[OperatorRole::Admin]).await;
    let finance = app.persona("finance", &[OperatorRole::Finance]).await;
    let kiln = shop(&app, "Blue Kiln").await;
    let mug = live(&app, &kiln, "Mug", &[("MUG-1", 2500, 10)]).await[0];
    let buyer = app.persona("buyer", &[]).await;

    // Healthy and empty: every control reads zero, nothing waits for release.
    let controls = ok(&app, &finance, "ledger_controls", &[]).await;
    all_zero(&controls);
    assert_eq!(controls["releasable"], serde_json::json!([]));

    // A first order completes and its hold ends: its net becomes available; the seller asks for 10.00.
    let (first, _) = completed_order(&app, &buyer, &kiln, mug, "freeze-key-000001").await;
    let (net, _) = net_of(&app, first).await;
    app.advance(app.state.settings().settlement_hold_ms + 1);
    app.run_due_jobs().await;
    let (admin, finance, buyer) = (fresh(&app, &admin).await, fresh(&app, &finance).await, fresh(&app, &buyer).await);
    let kiln = Shop { org: kiln.org, owner: fresh(&app, &kiln.owner).await };
    assert_eq!(balances(&app, &kiln.owner).await, (0, net));
    let payout = requested_payout(&app, &kiln, 1000).await;
    // A second order completes: its net held.
    let (second, second_no) = completed_order(&app, &buyer, &kiln, mug, "freeze-key-000002").await;
    assert_eq!(balances(&app, &kiln.owner).await, (net, net - 1000));
    assert_eq!(ok(&app, &kiln.owner, "my_seller_freeze", &[]).await, Value::Null);
    let detail = ok(&app, &admin, "get_seller", &[("id", &kiln.org.to_string())]).await;
    assert_eq!(detail["impact"]["pending_minor"], net);
    assert_eq!(detail["impact"]["open_payouts"], 1);
    assert_eq!(detail["impact"]["frozen"], false);

    // Suspension: frozen in the same transaction, recorded in the audit's after-JSON.
    let id = kiln.org.to_string();
    let (status, body) = app
        .call(&admin, "suspend_seller", &[("id", &id), ("reason", "Counterfeit reports"), ("password", PASSWORD)])
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(app.count(&format!("SELECT frozen FROM seller_finance WHERE organisation_id = {id}")).await, 1);
    assert_eq!(app.count(&format!("SELECT frozen FROM payouts WHERE id = {payout}")).await, 1);
    let after: String =
        sqlx::query_scalar("SELECT after_json FROM audit_log WHERE action = 'sellers.suspend' AND target_id = $1")
            .bind(&id)
            .fetch_one(app.state.db.read())
            .await
            .unwrap();
    let after: Value = serde_json::from_str(&after).unwrap();
    assert_eq!(after["frozen"]["pending_minor"], net, "{after}");
    assert_eq!(after["frozen"]["available_minor"], net - 1000);
    assert_eq!(after["frozen"]["in_transit_minor"], 1000);
    assert_eq!(after["frozen"]["payout_requests"], 1);
    let detail = ok(&app, &admin, "get_seller", &[("id", &id)]).await;
    assert_eq!(detail["impact"]["frozen"], true);
    assert_eq!(detail["impact"]["in_transit_minor"], 1000);
    // The seller center's banner has the figures.
    let freeze = ok(&app, &kiln.owner, "my_seller_freeze", &[]).await;
    assert_eq!((freeze["frozen"].as_bool(), freeze["pending_minor"].as_i64()), (Some(true), Some(net)));

    // The hold ends while frozen: the timer does not release; the controls show why.
    app.advance(app.state.settings().settlement_hold_ms + 1);
    app.run_due_jobs().await;
    let (admin, finance) = (fresh(&app, &admin).await, fresh(&app, &finance).await);
    let kiln = Shop { org: kiln.org, owner: fresh(&app, &kiln.owner).await };
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM ledger_postings WHERE order_id = {second} AND kind = 'hold_released'"
        ))
        .await,
        0
    );
    assert_eq!(balances(&app, &kiln.owner).await, (net, net - 1000));
    let controls = ok(&app, &finance, "ledger_controls", &[]).await;
    all_zero(&controls);
    let releasable = controls["releasable"].as_array().unwrap();
    assert_eq!(releasable.len(), 1, "{controls}");
    assert_eq!(releasable[0]["reason"], "frozen");
    assert_eq!((releasable[0]["orders"].as_i64(), releasable[0]["amount_minor"].as_i64()), (Some(1), Some(net)));
    assert_eq!(releasable[0]["examples"][0][0], second_no);
    assert_eq!(controls["total_available_minor"], net - 1000);
    assert_eq!(controls["total_in_transit_minor"], 1000);
    assert_eq!(controls["total_pending_minor"], net);

    // Reinstated: unfrozen, recorded; the next run of the timer releases.
    let (status, body) = app
        .call(&admin, "reinstate_seller", &[("id", &id), ("reason", "Cleared on review"), ("password", PASSWORD)])
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(app.count(&format!("SELECT frozen FROM seller_finance WHERE organisation_id = {id}")).await, 0);
    assert_eq!(app.count(&format!("SELECT frozen FROM payouts WHERE id = {payout}")).await, 0);
    let after: String =
        sqlx::query_scalar("SELECT after_json FROM audit_log WHERE action = 'sellers.reinstate' AND target_id = $1")
            .bind(&id)
            .fetch_one(app.state.db.read())
            .await
            .unwrap();
    let after: Value = serde_json::from_str(&after).unwrap();
    assert_eq!(after["unfrozen"]["payout_requests"], 1, "{after}");
    assert_eq!(ok(&app, &kiln.owner, "my_seller_freeze", &[]).await, Value::Null);
    app.advance(FROZEN_RETRY_MS + 1);
    app.run_due_jobs().await;
    let finance = fresh(&app, &finance).await;
    let kiln = Shop { org: kiln.org, owner: fresh(&app, &kiln.owner).await };
    assert_eq!(balances(&app, &kiln.owner).await, (0, 2 * net - 1000));
    let controls = ok(&app, &finance, "ledger_controls", &[]).await;
    all_zero(&controls);
    assert_eq!(controls["releasable"], serde_json::json!([]));
    sound(&app).await;
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_controls_name_unposted_items_and_negative_balances() {
    let app = TestApp::spawn().await;
    app.default_commission_rule(1000).await;
    let finance = app.persona("finance", &[OperatorRole::Finance]).await;
    let kiln = shop(&app, "Blue Kiln").await;
    let mug = live(&app, &kiln, "Mug", &[("MUG-1", 2500, 10)]).await[0];
    let buyer = app.persona("buyer", &[]).await;
    let (order, _) = completed_order(&app, &buyer, &kiln, mug, "unposted-key-0001").await;
    all_zero(&ok(&app, &finance, "ledger_controls", &[]).await);
    assert_eq!(readiness_status(&app, "operations.unposted").await, Status::Ready);

    // An order marked completed by hand, without its posting (what a broken writer would leave).
    let home = address(&app, &buyer, "Li Wei").await;
    assert_eq!(add(&app, &buyer, mug, "1").await.0, StatusCode::OK);
    let result = ok(
        &app,
        &buyer,
        "checkout",
        &[("idempotency_key", "unposted-key-0002"), ("address_id", &home.to_string()), ("payment_method", "sandbox")],
    )
    .await;
    let checkout = result["checkout_id"].as_i64().unwrap();
    let stray: String = sqlx::query_scalar("SELECT number FROM orders WHERE checkout_id = $1")
        .bind(checkout)
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    sqlx::query("UPDATE orders SET status = 'completed' WHERE checkout_id = $1")
        .bind(checkout)
        .execute(app.state.db.read())
        .await
        .unwrap();
    let controls = ok(&app, &finance, "ledger_controls", &[]).await;
    let check = controls["unposted"].as_array().unwrap().iter().find(|u| u["kind"] == "order_completed").unwrap();
    assert_eq!(check["count"], 1, "{controls}");
    assert_eq!(check["items"][0]["label"], stray.as_str());
    assert_eq!(check["items"][0]["href"], format!("/console/orders/{stray}"));
    assert!(unposted(&controls).iter().filter(|(k, _)| k != "order_completed").all(|(_, n)| *n == 0));
    // Launch readiness reads the newest records of each kind: the stray order is a blocker there too.
    assert_eq!(readiness_status(&app, "operations.unposted").await, Status::Blocker);

    // A refund after the release takes the seller below zero: listed as a negative balance.
    app.advance(app.state.settings().settlement_hold_ms + 1);
    app.run_due_jobs().await;
    let finance = fresh(&app, &finance).await;
    // Most of the balance is paid out first, so the refund cannot be covered.
    let payout = requested_payout(&app, &kiln, 2000).await;
    pay_payout(&app, kiln.org, payout, 2000).await;
    let settled = settle_now(&app, order, 2500, "refund:test-1", "test refund").await;
    let (net, _) = net_of(&app, order).await;
    let below = net - 2000 - settled.plan.seller_share_minor;
    assert!(below < 0);
    assert_eq!(settled.seller_available_after, Some(below));
    let controls = ok(&app, &finance, "ledger_controls", &[]).await;
    assert_eq!(controls["negative_count"], 1, "{controls}");
    assert_eq!(controls["negatives"][0]["organisation_id"], kiln.org);
    assert_eq!(controls["negatives"][0]["available_minor"], below);
    assert_eq!(controls["negative_total_minor"], below);
    assert!(controls["negatives"][0]["negative_since"].is_i64());
    assert_eq!(controls["trial"][0][1], 0);
    sound(&app).await;
    app.finish().await;
}

/// Settles a refund of `amount` on `order` directly (as refunds and disputes do, in a change holding
/// the order's lock), without a refund request or a dispute around it.
async fn settle_now(
    app: &TestApp,
    order: i64,
    amount: i64,
    key: &str,
    note: &str,
) -> agora_app::finance::settlement::SettledRefund {
    use agora_app::platform::change::{Change, RowLock};
    let mut c = Change::unaudited(&app.state, "test: a settlement outside refunds and disputes").await.unwrap();
    assert!(c.lock(RowLock::Order(order)).await.unwrap());
    let settled = agora_app::finance::settlement::settle(&mut c, order, amount, key, None, note).await.unwrap();
    c.commit().await.unwrap();
    settled
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_reconciliation_adds_up_after_a_refund_and_a_payout_and_flags_a_drifted_balance() {
    let app = TestApp::spawn().await;
    app.default_commission_rule(1000).await;
    let finance = app.persona("finance", &[OperatorRole::Finance]).await;
    let kiln = shop(&app, "Blue Kiln").await;
    let tea = shop(&app, "Tea House").await;
    let mug = live(&app, &kiln, "Mug", &[("MUG-1", 2500, 10)]).await[0];
    let leaf = live(&app, &tea, "Green tea", &[("TEA-1", 1200, 10)]).await[0];
    let buyer = app.persona("buyer", &[]).await;

    // Nobody has money yet: an empty reconciliation.
    let page = ok(&app, &finance, "seller_reconciliation", &[]).await;
    assert_eq!(page["rows"], serde_json::json!([]));

    let (first, _) = completed_order(&app, &buyer, &kiln, mug, "recon-key-000001").await;
    let (second, _) = completed_order(&app, &buyer, &kiln, mug, "recon-key-000002").await;
    let (third, _) = completed_order(&app, &buyer, &tea, leaf, "recon-key-000003").await;
    let ((net1, c1), (net2, c2), (net3, c3)) =
        (net_of(&app, first).await, net_of(&app, second).await, net_of(&app, third).await);
    app.advance(app.state.settings().settlement_hold_ms + 1);
    app.run_due_jobs().await;
    let finance = fresh(&app, &finance).await;
    // A partial refund of 10.00 on the first mug (after release: from available, with its share of
    // the commission reversed), a payout of 15.00 paid, another of 5.00 still in transit.
    let plan = settle_now(&app, first, 1000, "refund:recon-1", "partial").await.plan;
    let paid = requested_payout(&app, &kiln, 1500).await;
    pay_payout(&app, kiln.org, paid, 1500).await;
    requested_payout(&app, &kiln, 500).await;

    let page = ok(&app, &finance, "seller_reconciliation", &[]).await;
    let rows = page["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 2, "{page}");
    let k = rows.iter().find(|r| r["organisation_id"] == kiln.org).unwrap();
    assert_eq!(k["earnings_minor"], net1 + net2, "{k}");
    assert_eq!(k["commission_minor"], c1 + c2);
    assert_eq!(k["refunds_minor"], plan.seller_share_minor);
    assert_eq!(k["commission_reversed_minor"], plan.commission_reversed_minor);
    assert_eq!(plan.seller_share_minor + plan.commission_reversed_minor, 1000);
    assert_eq!(k["payouts_paid_minor"], 1500);
    assert_eq!(k["other_minor"], 0);
    assert_eq!(k["in_transit_minor"], 500);
    assert_eq!(k["available_minor"], net1 + net2 - plan.seller_share_minor - 1500 - 500);
    assert_eq!(k["pending_minor"], 0);
    let t = rows.iter().find(|r| r["organisation_id"] == tea.org).unwrap();
    assert_eq!((t["earnings_minor"].as_i64(), t["commission_minor"].as_i64()), (Some(net3), Some(c3)));
    // The check column: earnings - refunds - payouts paid == pending + available + in transit.
    for r in rows {
        let row: agora_app::ledger::controls_model::ReconRow = serde_json::from_value(r.clone()).unwrap();
        assert!(row.adds_up(), "{r}");
    }

    // Search by name and keyset paging by seller id.
    let page = ok(&app, &finance, "seller_reconciliation", &[("q", "kiln")]).await;
    let names: Vec<&str> = page["rows"].as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Blue Kiln"]);
    let first_id = kiln.org.min(tea.org).to_string();
    let page = ok(&app, &finance, "seller_reconciliation", &[("after", &first_id)]).await;
    assert_eq!(page["rows"].as_array().unwrap().len(), 1);
    let (status, body) = app.call(&finance, "seller_reconciliation", &[("q", &"x".repeat(101))]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");

    // A stored balance that drifted from its entries does not add up (and the controls say so).
    sqlx::query("UPDATE ledger_accounts SET balance_minor = balance_minor - 7 WHERE code = $1")
        .bind(format!("seller:{}:available", kiln.org))
        .execute(app.state.db.read())
        .await
        .unwrap();
    let page = ok(&app, &finance, "seller_reconciliation", &[("q", "Blue")]).await;
    let row: agora_app::ledger::controls_model::ReconRow = serde_json::from_value(page["rows"][0].clone()).unwrap();
    assert!(!row.adds_up());
    assert_eq!(row.balance_minor() - row.expected_minor(), 7);
    let controls = ok(&app, &finance, "ledger_controls", &[]).await;
    assert!(!controls["problems"].as_array().unwrap().is_empty(), "{controls}");
    // Put it back: the test leaves a sound ledger.
    sqlx::query("UPDATE ledger_accounts SET balance_minor = balance_minor + 7 WHERE code = $1")
        .bind(format!("seller:{}:available", kiln.org))
        .execute(app.state.db.read())
        .await
        .unwrap();
    sound(&app).await;
    app.finish().await;
}
