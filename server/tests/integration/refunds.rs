//! Refunds through the real services: a buyer asks, the seller accepts (the ledger moves exactly as
//! `domain::refund` plans, before and after completion, in full and in part) or refuses (the buyer
//! escalates to a dispute), an unanswered request escalates at its deadline, the buyer withdraws;
//! bad input, other people's orders, evidence files, the console's queue, and two accepts racing.

use crate::cart::{add, address, live, shop, Shop};
use crate::helpers::{field_error, fresh, ok, sound, Persona, TestApp};
use agora_app::domain::order::AUTO_COMPLETE_AFTER_MS;
use agora_app::domain::permissions::OperatorRole;
use agora_app::domain::refund::commission_reversal;
use agora_app::domain::upload::fixtures;
use reqwest::StatusCode;
use serde_json::Value;

fn conflict_code(body: &Value) -> String {
    body["Conflict"]["code"].as_str().unwrap_or_default().to_string()
}

/// The balance of ledger account `code` (debits positive).
async fn balance(app: &TestApp, code: &str) -> i64 {
    sqlx::query_scalar::<_, i64>(
        "SELECT CAST(COALESCE(SUM(e.amount_minor), 0) AS BIGINT) FROM ledger_entries e \
         JOIN ledger_accounts a ON a.id = e.account_id WHERE a.code = $1",
    )
    .bind(code)
    .fetch_one(app.state.db.read())
    .await
    .unwrap()
}

/// The entries of the posting with idempotency key `key`: (account, amount).
async fn posting(app: &TestApp, key: &str) -> Vec<(String, i64)> {
    sqlx::query_as(
        "SELECT a.code, e.amount_minor FROM ledger_entries e JOIN ledger_accounts a ON a.id = e.account_id \
         JOIN ledger_postings p ON p.id = e.posting_id WHERE p.idempotency_key = $1 ORDER BY e.id",
    )
    .bind(key)
    .fetch_all(app.state.db.read())
    .await
    .unwrap()
}

fn entry(entries: &[(String, i64)], account: &str) -> i64 {
    entries.iter().filter(|e| e.0 == account).map(|e| e.1).sum()
}

struct World {
    app: TestApp,
    shop: Shop,
    buyer: Persona,
    number: String,
    order_id: i64,
    total: i64,
    commission: i64,
}

/// A seller with a 10% commission, a buyer who bought 2 mugs at 25.00 and paid by sandbox card.
async fn world() -> World {
    let app = TestApp::spawn().await;
    app.default_commission_rule(1000).await;
    let shop = shop(&app, "Blue Kiln").await;
    let buyer = app.persona("buyer", &[]).await;
    let number = buy(&app, &shop, &buyer, "refund-world-key-1").await;
    let (order_id, total, commission): (i64, i64, i64) =
        sqlx::query_as("SELECT id, total_minor, commission_minor FROM orders WHERE number = $1")
            .bind(&number)
            .fetch_one(app.state.db.read())
            .await
            .unwrap();
    World { app, shop, buyer, number, order_id, total, commission }
}

/// Buys two mugs of `shop` and pays; returns the order number.
async fn buy(app: &TestApp, shop: &Shop, buyer: &Persona, key: &str) -> String {
    let mug = live(app, shop, &format!("Mug {key}"), &[(&format!("MUG-{key}"), 2500, 10)]).await[0];
    let home = address(app, buyer, "Li Wei").await;
    assert_eq!(add(app, buyer, mug, "2").await.0, StatusCode::OK);
    let result = ok(
        app,
        buyer,
        "checkout",
        &[("idempotency_key", key), ("address_id", &home.to_string()), ("payment_method", "sandbox")],
    )
    .await;
    let checkout = result["checkout_id"].as_i64().unwrap().to_string();
    ok(app, buyer, "pay_with_sandbox", &[("checkout_id", &checkout), ("card_number", "4242 4242 4242 4242")]).await;
    sqlx::query_scalar("SELECT number FROM orders WHERE checkout_id = $1")
        .bind(result["checkout_id"].as_i64().unwrap())
        .fetch_one(app.state.db.read())
        .await
        .unwrap()
}

/// Asks for a refund of `amount` with a fresh form key; returns the refund id.
pub(crate) async fn ask(app: &TestApp, buyer: &Persona, number: &str, amount: &str) -> i64 {
    let form = ok(app, buyer, "get_refund_form", &[("number", number)]).await;
    let key = form["idempotency_key"].as_str().unwrap().to_string();
    ok(
        app,
        buyer,
        "request_refund",
        &[
            ("idempotency_key", &key),
            ("order_number", number),
            ("amount", amount),
            ("reason_code", "damaged"),
            ("details", "The mug arrived with a crack in it."),
        ],
    )
    .await
    .as_i64()
    .unwrap()
}

async fn refund_status(app: &TestApp, id: i64) -> String {
    sqlx::query_scalar("SELECT status FROM refunds WHERE id = $1")
        .bind(id)
        .fetch_one(app.state.db.read())
        .await
        .unwrap()
}

async fn order_status(app: &TestApp, order_id: i64) -> String {
    sqlx::query_scalar("SELECT status FROM orders WHERE id = $1")
        .bind(order_id)
        .fetch_one(app.state.db.read())
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_partial_refund_before_completion_comes_from_clearing_and_settles_the_rest() {
    let World { app, shop, buyer, number, order_id, total, commission } = world().await;
    let form = ok(&app, &buyer, "get_refund_form", &[("number", &number)]).await;
    assert_eq!(form["refundable_minor"].as_i64(), Some(total));
    assert_eq!(form["blocked"], Value::Null);
    let id = ask(&app, &buyer, &number, "12.34").await;
    assert_eq!(refund_status(&app, id).await, "requested");
    // A second request while this one waits is refused by name.
    let form = ok(&app, &buyer, "get_refund_form", &[("number", &number)]).await;
    assert_eq!(form["blocked"], "refunds.already_open");

    // The seller sees it first in its list, with the ledger effect in words.
    let list = ok(&app, &shop.owner, "list_seller_refunds", &[]).await;
    assert_eq!(list["rows"][0]["id"].as_i64(), Some(id));
    let detail = ok(&app, &shop.owner, "get_seller_refund", &[("id", &id.to_string())]).await;
    assert_eq!(detail["effect"]["source"], "clearing");
    assert_eq!(detail["can_answer"], true);
    let reversed = commission_reversal(total, commission, 0, 0, 1234);
    let rest = total - 1234;
    assert_eq!(detail["effect"]["seller_earns_minor"].as_i64(), Some(rest - (commission - reversed)));

    ok(&app, &shop.owner, "accept_refund", &[("id", &id.to_string())]).await;
    assert_eq!(refund_status(&app, id).await, "refunded");
    assert_eq!(order_status(&app, order_id).await, "partially_refunded");
    let refund = posting(&app, &format!("refund:{id}")).await;
    assert_eq!(entry(&refund, "buyer:clearing"), 1234);
    assert_eq!(entry(&refund, "platform:bank"), -1234);
    let completed = posting(&app, &format!("order:{order_id}:completed")).await;
    assert_eq!(entry(&completed, "buyer:clearing"), rest);
    assert_eq!(entry(&completed, "platform:commission"), -(commission - reversed));
    assert_eq!(entry(&completed, &format!("seller:{}:pending", shop.org)), -(rest - (commission - reversed)));
    let (reversed_stored, posting_id): (i64, Option<i64>) =
        sqlx::query_as("SELECT commission_reversed_minor, posting_id FROM refunds WHERE id = $1")
            .bind(id)
            .fetch_one(app.state.db.read())
            .await
            .unwrap();
    assert_eq!(reversed_stored, reversed);
    assert!(posting_id.is_some());
    assert_eq!(balance(&app, "buyer:clearing").await, 0);
    sound(&app).await;

    // A second answer is a conflict by name; the buyer sees "refunded".
    let (status, body) = app.call(&shop.owner, "accept_refund", &[("id", &id.to_string())]).await;
    assert_eq!((status, conflict_code(&body).as_str()), (StatusCode::CONFLICT, "refunds.already_refunded"));
    let (status, body) =
        app.call(&shop.owner, "refuse_refund", &[("id", &id.to_string()), ("reason", "Too late now")]).await;
    assert_eq!((status, conflict_code(&body).as_str()), (StatusCode::CONFLICT, "refunds.already_refunded"));
    let mine = ok(&app, &buyer, "my_order_refunds", &[("number", &number)]).await;
    assert_eq!(mine["rows"][0]["status"], "refunded");
    assert_eq!(mine["refundable_minor"].as_i64(), Some(total - 1234));
    let detail = ok(&app, &shop.owner, "get_seller_refund", &[("id", &id.to_string())]).await;
    assert_eq!(detail["effect"]["posted"], true);

    // The console: counted as refunded this week, history from the audit log.
    let finance = app.persona("finance", &[OperatorRole::Finance]).await;
    let counters = ok(&app, &finance, "console_refund_counters", &[]).await;
    assert_eq!((counters["refunded_week"].as_i64(), counters["refunded_week_minor"].as_i64()), (Some(1), Some(1234)));
    let detail = ok(&app, &finance, "console_get_refund", &[("id", &id.to_string())]).await;
    let actions: Vec<&str> =
        detail["history"].as_array().unwrap().iter().map(|h| h["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["refunds.request", "refunds.accept"]);
    let page = ok(&app, &finance, "console_list_refunds", &[("status", "refunded"), ("seller", "kiln")]).await;
    assert_eq!(page["rows"].as_array().unwrap().len(), 1);
    let page = ok(&app, &finance, "console_list_refunds", &[("status", "requested")]).await;
    assert!(page["rows"].as_array().unwrap().is_empty());
    let notified: i64 =
        app.count("SELECT COUNT(*) FROM outbox WHERE event_type LIKE 'refunds.%' AND channel = 'in_app'").await;
    assert_eq!(notified, 2, "the seller was told of the request, the buyer of the refund");
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refunds_after_completion_come_back_from_the_seller_and_reverse_the_commission_exactly() {
    let World { app, shop, buyer, number, order_id, total, commission } = world().await;
    ok(&app, &shop.owner, "ship_order", &[("number", &number), ("carrier", "sf"), ("tracking_number", "SF1234567890")])
        .await;
    ok(&app, &buyer, "confirm_order", &[("number", &number)]).await;
    let (pending, available) = (format!("seller:{}:pending", shop.org), format!("seller:{}:available", shop.org));
    let net = total - commission;
    assert_eq!(balance(&app, &pending).await, -net);

    // A third, while the earnings are held: from pending.
    let third = total / 3;
    let id = ask(&app, &buyer, &number, &format!("{}.{:02}", third / 100, third % 100)).await;
    ok(&app, &shop.owner, "accept_refund", &[("id", &id.to_string())]).await;
    let first_reversal = commission_reversal(total, commission, 0, 0, third);
    let refund = posting(&app, &format!("refund:{id}")).await;
    assert_eq!(entry(&refund, &pending), third - first_reversal);
    assert_eq!(entry(&refund, "platform:commission"), first_reversal);
    assert_eq!(entry(&refund, "platform:bank"), -third);
    assert_eq!(order_status(&app, order_id).await, "partially_refunded");
    sound(&app).await;

    // The hold ends: only what is left in pending becomes available.
    app.advance(app.state.settings().settlement_hold_ms + 1);
    app.run_due_jobs().await;
    let (buyer, owner) = (fresh(&app, &buyer).await, fresh(&app, &shop.owner).await);
    assert_eq!(balance(&app, &pending).await, 0);
    assert_eq!(balance(&app, &available).await, -(net - (third - first_reversal)));

    // The rest, from available: the seller ends at zero, the commission fully reversed.
    let rest = total - third;
    let id2 = ask(&app, &buyer, &number, &format!("{}.{:02}", rest / 100, rest % 100)).await;
    let detail = ok(&app, &owner, "get_seller_refund", &[("id", &id2.to_string())]).await;
    assert_eq!(detail["effect"]["source"], "available");
    ok(&app, &owner, "accept_refund", &[("id", &id2.to_string())]).await;
    let second_reversal = commission_reversal(total, commission, third, first_reversal, rest);
    assert_eq!(first_reversal + second_reversal, commission);
    assert_eq!(balance(&app, &available).await, 0);
    assert_eq!(balance(&app, "platform:commission").await, 0);
    assert_eq!(balance(&app, "platform:bank").await, 0);
    assert_eq!(order_status(&app, order_id).await, "refunded");
    sound(&app).await;
    // Nothing is left to refund.
    let form = ok(&app, &buyer, "get_refund_form", &[("number", &number)]).await;
    assert_eq!(form["blocked"], "refunds.order_not_refundable");
    let _ = AUTO_COMPLETE_AFTER_MS;
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_refund_escalates_to_a_dispute_when_the_buyer_asks() {
    let World { app, shop, buyer, number, order_id, .. } = world().await;
    let id = ask(&app, &buyer, &number, "50.00").await;
    let (status, body) = app.call(&buyer, "escalate_refund", &[("id", &id.to_string())]).await;
    assert_eq!((status, conflict_code(&body).as_str()), (StatusCode::CONFLICT, "refunds.wait_for_answer"));
    let (status, body) = app.call(&shop.owner, "refuse_refund", &[("id", &id.to_string()), ("reason", "no")]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(field_error(&body), Some(("reason".into(), "reason.too_short".into())));
    ok(&app, &shop.owner, "refuse_refund", &[("id", &id.to_string()), ("reason", "The mug was intact when shipped.")])
        .await;
    assert_eq!(refund_status(&app, id).await, "refused");
    let (status, body) = app.call(&shop.owner, "accept_refund", &[("id", &id.to_string())]).await;
    assert_eq!((status, conflict_code(&body).as_str()), (StatusCode::CONFLICT, "refunds.already_answered"));
    let mine = ok(&app, &buyer, "my_order_refunds", &[("number", &number)]).await;
    assert_eq!(mine["rows"][0]["seller_response"], "The mug was intact when shipped.");

    let dispute = ok(&app, &buyer, "escalate_refund", &[("id", &id.to_string())]).await.as_i64().unwrap();
    assert_eq!(refund_status(&app, id).await, "escalated");
    let (stored, opened_by): (Option<i64>, String) = sqlx::query_as(
        "SELECT r.dispute_id, d.opened_by FROM refunds r JOIN disputes d ON d.id = r.dispute_id WHERE r.id = $1",
    )
    .bind(id)
    .fetch_one(app.state.db.read())
    .await
    .unwrap();
    assert_eq!((stored, opened_by.as_str()), (Some(dispute), "refused_refund"));
    assert_eq!(order_status(&app, order_id).await, "in_dispute");
    let (status, body) = app.call(&buyer, "escalate_refund", &[("id", &id.to_string())]).await;
    assert_eq!((status, conflict_code(&body).as_str()), (StatusCode::CONFLICT, "refunds.already_escalated"));
    // While the dispute is open, no new request.
    let form = ok(&app, &buyer, "get_refund_form", &[("number", &number)]).await;
    assert_eq!(form["blocked"], "refunds.dispute_open");
    assert_eq!(balance(&app, "buyer:clearing").await, -5000 - shipping(&app, order_id).await);
    sound(&app).await;
    app.finish().await;
}

/// Found by the finance property test: a refused request A, a new request B, then A escalated. The
/// dispute must not open while B waits for the seller (the seller could then settle the order under
/// the dispute); and the seller cannot accept a request while a dispute is open.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dispute_never_opens_beside_another_waiting_request() {
    let World { app, shop, buyer, number, order_id, .. } = world().await;
    let a = ask(&app, &buyer, &number, "10.00").await;
    ok(&app, &shop.owner, "refuse_refund", &[("id", &a.to_string()), ("reason", "The mug was intact when shipped.")])
        .await;
    let b = ask(&app, &buyer, &number, "5.00").await;
    let (status, body) = app.call(&buyer, "escalate_refund", &[("id", &a.to_string())]).await;
    assert_eq!((status, conflict_code(&body).as_str()), (StatusCode::CONFLICT, "disputes.refund_open"));
    assert_eq!(refund_status(&app, a).await, "refused");
    assert_eq!(order_status(&app, order_id).await, "paid");
    assert_eq!(app.count("SELECT COUNT(*) FROM disputes").await, 0);
    // Once B is withdrawn, A escalates; B's successor cannot be accepted under the dispute.
    ok(&app, &buyer, "withdraw_refund", &[("id", &b.to_string())]).await;
    ok(&app, &buyer, "escalate_refund", &[("id", &a.to_string())]).await;
    assert_eq!(order_status(&app, order_id).await, "in_dispute");
    sound(&app).await;
    app.finish().await;
}

async fn shipping(app: &TestApp, order_id: i64) -> i64 {
    sqlx::query_scalar("SELECT shipping_minor FROM orders WHERE id = $1")
        .bind(order_id)
        .fetch_one(app.state.db.read())
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unanswered_request_escalates_at_its_deadline_once() {
    let World { app, buyer, number, order_id, .. } = world().await;
    let id = ask(&app, &buyer, &number, "10.00").await;
    app.run_due_jobs().await;
    assert_eq!(refund_status(&app, id).await, "requested");
    app.advance(app.state.settings().refund_response_ms + 1);
    app.run_due_jobs().await;
    assert_eq!(refund_status(&app, id).await, "escalated");
    let opened_by: String =
        sqlx::query_scalar("SELECT d.opened_by FROM disputes d JOIN refunds r ON r.dispute_id = d.id WHERE r.id = $1")
            .bind(id)
            .fetch_one(app.state.db.read())
            .await
            .unwrap();
    assert_eq!(opened_by, "seller_silent");
    assert_eq!(order_status(&app, order_id).await, "in_dispute");
    // The handler is idempotent: run again, still one dispute.
    agora_app::refunds::service::escalate_silent(&app.state, id).await.unwrap();
    assert_eq!(app.count("SELECT COUNT(*) FROM disputes").await, 1);
    let failed = app.count("SELECT COUNT(*) FROM jobs WHERE status = 'failed' OR last_error IS NOT NULL").await;
    assert_eq!(failed, 0);
    let audited = app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'refunds.escalate'").await;
    assert_eq!(audited, 1);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_buyer_withdraws_a_waiting_request_and_may_ask_again() {
    let World { app, shop, buyer, number, .. } = world().await;
    let id = ask(&app, &buyer, &number, "10.00").await;
    let stranger = app.persona("stranger", &[]).await;
    let (status, _) = app.call(&stranger, "withdraw_refund", &[("id", &id.to_string())]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    ok(&app, &buyer, "withdraw_refund", &[("id", &id.to_string())]).await;
    assert_eq!(refund_status(&app, id).await, "withdrawn");
    let (status, body) = app.call(&shop.owner, "accept_refund", &[("id", &id.to_string())]).await;
    assert_eq!((status, conflict_code(&body).as_str()), (StatusCode::CONFLICT, "refunds.already_answered"));
    let pending = app.count("SELECT COUNT(*) FROM jobs WHERE kind = 'refund.escalate' AND status = 'pending'").await;
    assert_eq!(pending, 0);
    let again = ask(&app, &buyer, &number, "5.00").await;
    assert_ne!(again, id);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_requests_are_refused_by_field_or_by_name_and_change_nothing() {
    let World { app, shop, buyer, number, total, .. } = world().await;
    let form = ok(&app, &buyer, "get_refund_form", &[("number", &number)]).await;
    let key = form["idempotency_key"].as_str().unwrap().to_string();
    let send = |amount: &'static str, key: String| {
        let (app, buyer, number) = (&app, &buyer, number.clone());
        async move {
            app.call(
                buyer,
                "request_refund",
                &[
                    ("idempotency_key", &key),
                    ("order_number", &number),
                    ("amount", amount),
                    ("reason_code", "not_received"),
                    ("details", "Nothing arrived after two weeks."),
                ],
            )
            .await
        }
    };
    // More than was paid.
    let (status, body) = send("9999.00", key.clone()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(field_error(&body), Some(("amount".into(), "refunds.amount_too_large".into())));
    let (_, body) = send("lots", key.clone()).await;
    assert_eq!(field_error(&body), Some(("amount".into(), "money.not_a_number".into())));
    let (_, body) = send("0", key.clone()).await;
    assert_eq!(field_error(&body), Some(("amount".into(), "refunds.amount_positive".into())));
    assert_eq!(app.count("SELECT COUNT(*) FROM refunds").await, 0);
    // The same key: the same request answers the first refund; another amount is refused.
    let (status, first) = send("10.00", key.clone()).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    let (status, again) = send("10.00", key.clone()).await;
    assert_eq!((status, again.clone()), (StatusCode::OK, first.clone()));
    let (status, body) = send("11.00", key.clone()).await;
    assert_eq!((status, conflict_code(&body).as_str()), (StatusCode::CONFLICT, "idempotency.key_reused"));
    // A second open request with a new key.
    let (status, body) = send("11.00", "another-form-key-0001".into()).await;
    assert_eq!((status, conflict_code(&body).as_str()), (StatusCode::CONFLICT, "refunds.already_open"));
    assert_eq!(app.count("SELECT COUNT(*) FROM refunds").await, 1);
    let id = first.as_i64().unwrap().to_string();
    // Someone else's order, another seller's refund: 404.
    let stranger = app.persona("stranger", &[]).await;
    let (status, _) = app.call(&stranger, "get_refund_form", &[("number", &number)]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app
        .call(
            &stranger,
            "request_refund",
            &[
                ("idempotency_key", "stranger-key-00001"),
                ("order_number", &number),
                ("amount", "1.00"),
                ("reason_code", "other"),
                ("details", "Not my order at all, sorry."),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app.call(&stranger, "my_order_refunds", &[("number", &number)]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let other = crate::cart::shop(&app, "Other Shop").await;
    for endpoint in ["get_seller_refund", "accept_refund"] {
        let (status, _) = app.call(&other.owner, endpoint, &[("id", &id)]).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{endpoint}");
    }
    let (status, _) = app.call(&other.owner, "seller_order_refunds", &[("number", &number)]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let list = ok(&app, &other.owner, "list_seller_refunds", &[]).await;
    assert!(list["rows"].as_array().unwrap().is_empty());
    // The buyer cannot answer their own request.
    let (status, _) = app.call(&buyer, "accept_refund", &[("id", &id)]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(refund_status(&app, id.parse().unwrap()).await, "requested");
    let _ = (shop, total);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn evidence_is_checked_by_its_bytes_and_shown_only_to_the_two_sides_and_operators() {
    let app = TestApp::spawn_with(&[("AGORA_UPLOAD_MAX_DOCUMENT_BYTES", "4096")]).await;
    app.default_commission_rule(1000).await;
    let shop = shop(&app, "Blue Kiln").await;
    let buyer = app.persona("buyer", &[]).await;
    let number = buy(&app, &shop, &buyer, "evidence-world-1").await;
    let order_id: i64 = sqlx::query_scalar("SELECT id FROM orders WHERE number = $1")
        .bind(&number)
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    let upload = |who: &Persona, order: i64, bytes: Vec<u8>, name: &'static str| {
        let part = reqwest::multipart::Part::bytes(bytes).file_name(name);
        let form = reqwest::multipart::Form::new().text("order_id", order.to_string()).part("file", part);
        who.client.post(app.url("/uploads/evidence")).multipart(form).send()
    };
    let res = upload(&buyer, order_id, b"<script>alert(1)</script>".to_vec(), "photo.jpg").await.unwrap();
    assert_eq!(res.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let res = upload(&buyer, order_id, fixtures::png(4000, 4000).into_iter().chain(vec![0; 5000]).collect(), "big.png")
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let stranger = app.persona("stranger", &[]).await;
    let res = upload(&stranger, order_id, b"%PDF-1.4\n...".to_vec(), "x.pdf").await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = upload(&buyer, order_id, fixtures::png(120, 80), "crack.png").await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let stored: Value = res.json().await.unwrap();
    let url = stored["url"].as_str().unwrap().to_string();
    let evidence_id = stored["id"].as_i64().unwrap();

    // Read by the uploader, the seller and operators with refunds.view; 404 for anyone else.
    let support = app.persona("support", &[OperatorRole::Support]).await;
    for who in [&buyer, &shop.owner, &support] {
        let res = who.client.get(app.url(&url)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers()["cache-control"], "private, no-store");
    }
    let tech = app.persona("tech", &[OperatorRole::Tech]).await;
    for who in [&stranger, &tech] {
        assert_eq!(who.client.get(app.url(&url)).send().await.unwrap().status(), StatusCode::NOT_FOUND);
    }

    // Attached to the request; someone else's upload or another order's is refused.
    let form = ok(&app, &buyer, "get_refund_form", &[("number", &number)]).await;
    let key = form["idempotency_key"].as_str().unwrap().to_string();
    let seller_file = upload(&shop.owner, order_id, b"%PDF-1.4\n...".to_vec(), "ship.pdf").await.unwrap();
    let seller_file: Value = seller_file.json().await.unwrap();
    let request = |evidence: String| {
        let (app, buyer, number, key) = (&app, &buyer, number.clone(), key.clone());
        async move {
            app.call(
                buyer,
                "request_refund",
                &[
                    ("idempotency_key", &key),
                    ("order_number", &number),
                    ("amount", "10.00"),
                    ("reason_code", "damaged"),
                    ("details", "See the photo of the crack."),
                    ("evidence_upload_id", &evidence),
                ],
            )
            .await
        }
    };
    let (status, body) = request(seller_file["id"].to_string()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(field_error(&body), Some(("evidence_upload_id".into(), "refunds.bad_evidence".into())));
    let (status, body) = request(evidence_id.to_string()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let detail = ok(&app, &shop.owner, "get_seller_refund", &[("id", &body.to_string())]).await;
    assert_eq!(detail["evidence"]["url"].as_str(), Some(url.as_str()));
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_accepts_at_once_settle_once() {
    let World { app, shop, buyer, number, .. } = world().await;
    let id = ask(&app, &buyer, &number, "20.00").await.to_string();
    let staff = app.persona("staff", &[]).await;
    sqlx::query(
        "INSERT INTO organisation_members (organisation_id, user_id, role, added_at) VALUES ($1, $2, 'staff', $3)",
    )
    .bind(shop.org)
    .bind(staff.user_id.unwrap())
    .bind(app.state.now_ms())
    .execute(app.state.db.read())
    .await
    .unwrap();
    let form: [(&str, &str); 1] = [("id", &id)];
    let (a, b) = tokio::join!(app.call(&shop.owner, "accept_refund", &form), app.call(&staff, "accept_refund", &form));
    let mut statuses = [a.0, b.0];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT], "{:?} {:?}", a.1, b.1);
    let postings =
        app.count(&format!("SELECT COUNT(*) FROM ledger_postings WHERE idempotency_key = 'refund:{id}'")).await;
    assert_eq!(postings, 1);
    let refunded: i64 = app.count("SELECT refunded_minor FROM orders").await;
    assert_eq!(refunded, 2000);
    sound(&app).await;
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_see_and_ship_the_order_and_answer_its_refund() {
    let World { app, shop, buyer, number, order_id, .. } = world().await;
    let staff = app.seller_staff(shop.org, "staff").await;
    ok(&app, &staff, "get_seller_order", &[("number", &number)]).await;
    let shipment = [("number", number.as_str()), ("carrier", "sf"), ("tracking_number", "SF1234567890")];
    let (status, body) = app.call(&staff, "ship_order", &shipment).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(order_status(&app, order_id).await, "shipped");

    let id = ask(&app, &buyer, &number, "20.00").await.to_string();
    let detail = ok(&app, &staff, "get_seller_refund", &[("id", &id)]).await;
    assert_eq!(detail["can_answer"], true);
    let refusal = [("id", id.as_str()), ("reason", "The mug was intact when shipped.")];
    let (status, body) = app.call(&staff, "refuse_refund", &refusal).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(refund_status(&app, id.parse().unwrap()).await, "refused");
    app.finish().await;
}
