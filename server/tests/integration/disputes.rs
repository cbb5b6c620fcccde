//! Disputes through their server functions: the buyer opens one, both sides (and an operator) write,
//! finance decides with a reason and password. The ledger effect of each decision is checked to the
//! minor unit; a seller who cannot cover a refund goes negative and later earnings net it off; a
//! decision for the seller returns the order to where it was with its timers.

use crate::helpers::{field_error, Persona, TestApp, PASSWORD};
use agora_app::domain::ledger::Posting;
use agora_app::domain::order::{OrderAction, AUTO_COMPLETE_AFTER_MS};
use agora_app::domain::permissions::OperatorRole;
use agora_app::domain::refund::commission_reversal;
use agora_app::orders::flow::{self, Audited, Step};
use agora_app::platform::change::Change;
use agora_app::platform::ledger::{self, PostingRefs};
use reqwest::StatusCode;
use serde_json::Value;
use sqlx::Row;

const DAY: i64 = 86_400_000;
const RATE_BPS: i64 = 1_000;

struct Shop {
    buyer: Persona,
    seller: Persona,
    org: i64,
    variant: i64,
    address: String,
}

async fn shop(app: &TestApp) -> Shop {
    app.default_commission_rule(RATE_BPS).await;
    let seller = app.persona("seller", &[]).await;
    let org = app.organisation_owned_by(&seller, "Tea House").await;
    let (_, variant) = app.live_listing(&seller, "Oolong tea", 20).await;
    let buyer = app.persona("buyer", &[]).await;
    let address = address_of(app, &buyer).await;
    Shop { buyer, seller, org, variant, address }
}

async fn address_of(app: &TestApp, buyer: &Persona) -> String {
    let (status, body) = app
        .call(
            buyer,
            "save_address",
            &[
                ("recipient", "Li Lei"),
                ("phone", "+86 138 0013 8000"),
                ("line1", "1 Nanjing Road"),
                ("city", "Shanghai"),
                ("region", "Shanghai"),
                ("postal_code", "200000"),
                ("country", "CN"),
                ("make_default", "on"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "save_address: {body}");
    body.as_i64().unwrap().to_string()
}

/// A paid order of `qty` units: (order number, order id).
async fn paid_order(app: &TestApp, shop: &Shop, buyer: &Persona, qty: i64) -> (String, i64) {
    let (status, body) = app
        .call(buyer, "add_to_cart", &[("variant_id", &shop.variant.to_string()), ("quantity", &qty.to_string())])
        .await;
    assert_eq!(status, StatusCode::OK, "add_to_cart: {body}");
    let key = format!("key-{}", &agora_app::platform::caller::new_token()[..16]);
    let (status, body) = app
        .call(
            buyer,
            "checkout",
            &[("idempotency_key", &key), ("address_id", &shop.address), ("payment_method", "bank_transfer")],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "checkout: {body}");
    let number = body["order_numbers"][0].as_str().unwrap().to_string();
    let id: i64 = sqlx::query_scalar("SELECT id FROM orders WHERE number = $1")
        .bind(&number)
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    // A payment outside the payment flow: no audit entry of its own, so an unaudited change.
    let mut c = Change::unaudited(&app.state, "test: pays the order directly").await.unwrap();
    let order = flow::lock(&mut c, id).await.unwrap();
    let posting = Posting::payment_received(app.state.settings().currency, order.total_minor).unwrap();
    let refs = PostingRefs { order_id: None, checkout_id: Some(order.checkout_id) };
    c.post(&format!("test:order:{id}:paid"), &posting, refs, "test payment").await.unwrap();
    let step = Step { action: OrderAction::Pay, actor: None, note: "test payment", audit: Audited::ByCaller };
    flow::transition(&mut c, &order, step).await.unwrap();
    c.commit().await.unwrap();
    (number, id)
}

async fn ship(app: &TestApp, seller: &Persona, number: &str) {
    let (s, body) = app
        .call(seller, "ship_order", &[("number", number), ("carrier", "sf"), ("tracking_number", "sf1234567890")])
        .await;
    assert_eq!(s, StatusCode::OK, "ship: {body}");
}

async fn order_i64(app: &TestApp, id: i64, column: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT {column} FROM orders WHERE id = $1"))
        .bind(id)
        .fetch_one(app.state.db.read())
        .await
        .unwrap()
}

async fn order_status(app: &TestApp, id: i64) -> String {
    sqlx::query_scalar("SELECT status FROM orders WHERE id = $1").bind(id).fetch_one(app.state.db.read()).await.unwrap()
}

async fn balance(app: &TestApp, code: &str) -> i64 {
    sqlx::query_scalar::<_, i64>("SELECT balance_minor FROM ledger_accounts WHERE code = $1")
        .bind(code)
        .fetch_optional(app.state.db.read())
        .await
        .unwrap()
        .unwrap_or(0)
}

async fn ledger_is_sound(app: &TestApp) {
    let mut conn = app.state.db.read().acquire().await.unwrap();
    let problems = ledger::check_invariants(&mut conn).await.unwrap();
    assert!(problems.is_empty(), "ledger: {problems:?}");
}

async fn notified(app: &TestApp, who: &Persona, kind: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND kind = $2")
        .bind(who.user_id.unwrap())
        .bind(kind)
        .fetch_one(app.state.db.read())
        .await
        .unwrap()
}

async fn audits(app: &TestApp, action: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = $1")
        .bind(action)
        .fetch_one(app.state.db.read())
        .await
        .unwrap()
}

fn conflict(body: &Value) -> &str {
    body["Conflict"]["code"].as_str().unwrap_or("")
}

/// The same user with a new session: moving the clock by days ends the old one (idle timeout).
async fn again(app: &TestApp, who: &Persona) -> Persona {
    use agora_app::platform::caller::{hash_token, new_token};
    let token = new_token();
    sqlx::query(
        "INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, ip, user_agent) VALUES ($1, $2, $3, $3, '127.0.0.1', 'test')",
    )
    .bind(hash_token(&token))
    .bind(who.user_id.unwrap())
    .bind(app.state.now_ms())
    .execute(app.state.db.read())
    .await
    .unwrap();
    let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
    jar.add_cookie_str(&format!("{}={token}; Path=/", app.session_cookie()), &app.base.parse().unwrap());
    let client = reqwest::Client::builder().cookie_provider(jar).build().unwrap();
    Persona { client, user_id: who.user_id, email: who.email.clone() }
}

async fn open(app: &TestApp, buyer: &Persona, key: &str, number: &str, claim: &str) -> (StatusCode, Value) {
    app.call(
        buyer,
        "open_dispute",
        &[
            ("idempotency_key", key),
            ("order_number", number),
            ("claim", claim),
            ("reason_code", "damaged"),
            ("details", "The tin arrived crushed and the tea spilled."),
        ],
    )
    .await
}

async fn decide(
    app: &TestApp,
    who: &Persona,
    id: i64,
    decision: &str,
    amount: &str,
    password: &str,
    key: &str,
) -> (StatusCode, Value) {
    app.call(
        who,
        "decide_dispute",
        &[
            ("id", &id.to_string()),
            ("decision", decision),
            ("amount", amount),
            ("reason", "Photos show the tin crushed in transit"),
            ("password", password),
            ("idempotency_key", key),
        ],
    )
    .await
}

async fn say(app: &TestApp, who: &Persona, id: i64, body: &str) -> (StatusCode, Value) {
    app.call(who, "add_dispute_message", &[("id", &id.to_string()), ("body", body)]).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_buyer_opens_a_dispute_both_sides_talk_and_finance_refunds_part() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let (number, order_id) = paid_order(&app, &shop, &shop.buyer, 2).await;
    ship(&app, &shop.seller, &number).await;
    let total = order_i64(&app, order_id, "total_minor").await;
    let commission = order_i64(&app, order_id, "commission_minor").await;
    let complete_by = order_i64(&app, order_id, "complete_by").await;

    // The form tells the buyer what may be claimed.
    let (s, form) = app.call(&shop.buyer, "open_dispute_form", &[("order_number", &number)]).await;
    assert_eq!(s, StatusCode::OK, "{form}");
    assert_eq!(form["refundable_minor"].as_i64(), Some(total));
    assert_eq!(form["can_open"], Value::Bool(true));

    // Bad input is refused next to its field; nothing opens.
    let over = format!("{}.{:02}", (total + 1) / 100, (total + 1) % 100);
    let (s, body) = open(&app, &shop.buyer, "dispute-key-0001", &number, &over).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(field_error(&body), Some(("claim".into(), "refunds.amount_too_large".into())));
    let (s, body) = open(&app, &shop.buyer, "dispute-key-0001", &number, "abc").await;
    assert_eq!((s, field_error(&body).unwrap().0), (StatusCode::BAD_REQUEST, "claim".to_string()));
    assert_eq!(app.count("SELECT COUNT(*) FROM disputes").await, 0);
    assert_eq!(order_status(&app, order_id).await, "shipped");

    // Someone else's order is not there.
    let stranger = app.persona("stranger", &[]).await;
    let (s, _) = open(&app, &stranger, "dispute-key-0002", &number, "10.00").await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    let (s, body) = open(&app, &shop.buyer, "dispute-key-0003", &number, "10.00").await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let id = body.as_i64().unwrap();
    // A retry returns the same dispute; the same key with another claim is refused.
    let (s, body) = open(&app, &shop.buyer, "dispute-key-0003", &number, "10.00").await;
    assert_eq!((s, body.as_i64()), (StatusCode::OK, Some(id)));
    let (s, body) = open(&app, &shop.buyer, "dispute-key-0003", &number, "11.00").await;
    assert_eq!((s, conflict(&body)), (StatusCode::CONFLICT, "idempotency.key_reused"));
    // A second dispute on the same order is refused.
    let (s, body) = open(&app, &shop.buyer, "dispute-key-0004", &number, "10.00").await;
    assert_eq!(s, StatusCode::CONFLICT, "{body}");
    assert_eq!(app.count("SELECT COUNT(*) FROM disputes").await, 1);
    assert_eq!(order_status(&app, order_id).await, "in_dispute");
    assert_eq!(audits(&app, "disputes.open").await, 1);

    // Both sides talk; the other side is told each time.
    let (s, body) = say(&app, &shop.seller, id, "We packed it well; please send a photo.").await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let (s, body) = say(&app, &shop.buyer, id, "Here is what arrived.").await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let (s, body) = say(&app, &shop.buyer, id, "   ").await;
    assert_eq!((s, field_error(&body).unwrap().0), (StatusCode::BAD_REQUEST, "body".to_string()));
    // Evidence must be the author's own upload about this order.
    let (s, body) = app
        .call(
            &shop.buyer,
            "add_dispute_message",
            &[("id", &id.to_string()), ("body", "x"), ("evidence_upload_id", "1")],
        )
        .await;
    assert_eq!((s, field_error(&body).unwrap().0), (StatusCode::BAD_REQUEST, "evidence".to_string()));

    // Nobody else reads or writes: a stranger, another seller.
    let other_seller = app.persona("other-seller", &[]).await;
    app.organisation_owned_by(&other_seller, "Other Shop").await;
    for who in [&stranger, &other_seller] {
        let (s, _) = app.call(who, "dispute_view", &[("id", &id.to_string())]).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        let (s, _) = say(&app, who, id, "let me in").await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        let (s, _) = app.call(who, "order_dispute_link", &[("order_number", &number)]).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
    }

    let (s, view) = app.call(&shop.seller, "dispute_view", &[("id", &id.to_string())]).await;
    assert_eq!(s, StatusCode::OK, "{view}");
    assert_eq!(view["viewer_side"], "seller");
    let sides: Vec<&str> = view["messages"].as_array().unwrap().iter().map(|m| m["side"].as_str().unwrap()).collect();
    assert_eq!(sides, ["buyer", "seller", "buyer"]);
    let (s, link) = app.call(&shop.buyer, "order_dispute_link", &[("order_number", &number)]).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!((link["dispute_id"].as_i64(), link["can_open"].as_bool()), (Some(id), Some(false)));

    // The console: support reads, finance writes and decides.
    let finance = app.persona("finance", &[OperatorRole::Finance]).await;
    let support = app.persona("support", &[OperatorRole::Support]).await;
    let (s, page) = app.call(&support, "console_list_disputes", &[]).await;
    assert_eq!(s, StatusCode::OK, "{page}");
    assert_eq!(page["rows"][0]["id"].as_i64(), Some(id));
    let (s, counters) = app.call(&support, "console_dispute_counters", &[]).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!((counters["open"].as_i64(), counters["claimed_open_minor"].as_i64()), (Some(1), Some(1000)));
    let (s, _) = decide(&app, &support, id, "refund_partial", "6.00", PASSWORD, "decision-key-01").await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, body) =
        app.call(&finance, "add_operator_dispute_message", &[("id", &id.to_string()), ("body", "Reviewing.")]).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let (s, detail) = app.call(&finance, "console_get_dispute", &[("id", &id.to_string())]).await;
    assert_eq!(s, StatusCode::OK, "{detail}");
    assert_eq!(detail["status_before_dispute"], "shipped");
    assert_eq!(detail["full_effect"]["source"], "clearing");
    assert_eq!(detail["can_decide"], Value::Bool(true));
    let (s, effect) =
        app.call(&finance, "dispute_decision_preview", &[("id", &id.to_string()), ("amount", "6.00")]).await;
    assert_eq!(s, StatusCode::OK, "{effect}");
    let reversed = commission_reversal(total, commission, 0, 0, 600);
    assert_eq!(effect["commission_reversed_minor"].as_i64(), Some(reversed));
    assert_eq!(effect["remainder"].as_array().unwrap().len(), 3, "{effect}");

    // A wrong password changes nothing.
    let (s, body) = decide(&app, &finance, id, "refund_partial", "6.00", "wrong password", "decision-key-01").await;
    assert_eq!((s, field_error(&body).unwrap().0), (StatusCode::BAD_REQUEST, "password".to_string()));
    let (s, body) = decide(&app, &finance, id, "refund_partial", "", PASSWORD, "decision-key-01").await;
    assert_eq!((s, field_error(&body).unwrap().0), (StatusCode::BAD_REQUEST, "amount".to_string()));
    let (s, body) = decide(&app, &finance, id, "refund_partial", "9999.00", PASSWORD, "decision-key-01").await;
    assert_eq!((s, field_error(&body).unwrap().0), (StatusCode::BAD_REQUEST, "amount".to_string()));
    assert_eq!(order_status(&app, order_id).await, "in_dispute");
    assert_eq!(audits(&app, "disputes.decide").await, 0);

    // Finance refunds 6.00 of the shipped order: from clearing, and the rest settles to the seller.
    let (s, body) = decide(&app, &finance, id, "refund_partial", "6.00", PASSWORD, "decision-key-01").await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(body, "refunded");
    assert_eq!(order_status(&app, order_id).await, "partially_refunded");
    assert_eq!(order_i64(&app, order_id, "refunded_minor").await, 600);
    assert_eq!(order_i64(&app, order_id, "refund_commission_minor").await, reversed);
    assert_eq!(balance(&app, "buyer:clearing").await, 0);
    assert_eq!(balance(&app, &format!("seller:{}:pending", shop.org)).await, -(total - 600 - (commission - reversed)));
    assert_eq!(balance(&app, "platform:commission").await, -(commission - reversed));
    ledger_is_sound(&app).await;
    let d = sqlx::query(
        "SELECT status, decision, decision_amount_minor, posting_id, decided_by FROM disputes WHERE id = $1",
    )
    .bind(id)
    .fetch_one(app.state.db.read())
    .await
    .unwrap();
    assert_eq!(d.get::<String, _>("decision"), "refund_partial");
    assert_eq!(d.get::<Option<i64>, _>("decision_amount_minor"), Some(600));
    assert!(d.get::<Option<i64>, _>("posting_id").is_some());
    assert_eq!(d.get::<Option<i64>, _>("decided_by"), finance.user_id);
    // The overdue / auto-complete timers do not come back for a settled order.
    let _ = complete_by;
    app.advance(AUTO_COMPLETE_AFTER_MS + DAY);
    app.run_due_jobs().await;
    assert_eq!(order_status(&app, order_id).await, "partially_refunded");
    let finance = again(&app, &finance).await;
    let buyer = again(&app, &shop.buyer).await;

    // The same key and request is the first result; another decision is refused; messages too.
    let (s, body) = decide(&app, &finance, id, "refund_partial", "6.00", PASSWORD, "decision-key-01").await;
    assert_eq!((s, body.as_str()), (StatusCode::OK, Some("refunded")));
    let (s, body) = decide(&app, &finance, id, "refund_partial", "7.00", PASSWORD, "decision-key-01").await;
    assert_eq!((s, conflict(&body)), (StatusCode::CONFLICT, "idempotency.key_reused"));
    let (s, body) = decide(&app, &finance, id, "seller_wins", "", PASSWORD, "decision-key-02").await;
    assert_eq!((s, conflict(&body)), (StatusCode::CONFLICT, "disputes.already_decided"));
    let (s, body) = say(&app, &buyer, id, "One more thing").await;
    assert_eq!((s, conflict(&body)), (StatusCode::CONFLICT, "disputes.closed"));
    assert_eq!(audits(&app, "disputes.decide").await, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM ledger_postings WHERE kind = 'refund'").await, 1);

    app.drain_outbox().await;
    assert_eq!(notified(&app, &shop.seller, "disputes.opened_seller").await, 1);
    assert_eq!(notified(&app, &shop.seller, "disputes.message_seller").await, 1);
    assert_eq!(notified(&app, &shop.buyer, "disputes.message").await, 1);
    assert_eq!(notified(&app, &shop.buyer, "disputes.message_operator").await, 1);
    assert_eq!(notified(&app, &shop.seller, "disputes.decided_refund_to_seller").await, 1);
    assert_eq!(notified(&app, &shop.buyer, "disputes.decided_refund").await, 1);
    let (s, view) = app.call(&buyer, "dispute_view", &[("id", &id.to_string())]).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!((view["status"].as_str(), view["decision_amount_minor"].as_i64()), (Some("refunded"), Some(600)));
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_refund_after_release_leaves_the_seller_negative_until_later_earnings_net_it_off() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let currency = app.state.settings().currency;
    let available = format!("seller:{}:available", shop.org);
    let (number, order_id) = paid_order(&app, &shop, &shop.buyer, 1).await;
    ship(&app, &shop.seller, &number).await;
    let (s, _) = app.call(&shop.buyer, "confirm_order", &[("number", &number)]).await;
    assert_eq!(s, StatusCode::OK);
    app.advance(app.state.settings().settlement_hold_ms + 1);
    app.run_due_jobs().await;
    let total = order_i64(&app, order_id, "total_minor").await;
    let commission = order_i64(&app, order_id, "commission_minor").await;
    let earned = total - commission;
    assert_eq!(balance(&app, &available).await, -earned);
    // The seller moved its earnings out (a payout on its way): nothing is left to cover a refund.
    let mut tx = app.state.db.begin().await.unwrap();
    let payout = Posting::payout_requested(currency, shop.org, earned).unwrap();
    ledger::post(&mut tx, app.state.now_ms(), "test:payout:1", &payout, PostingRefs::default(), "test payout")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(balance(&app, &available).await, 0);

    let buyer = again(&app, &shop.buyer).await;
    let seller = again(&app, &shop.seller).await;
    let (s, body) =
        open(&app, &buyer, "dispute-key-0101", &number, &format!("{}.{:02}", total / 100, total % 100)).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let id = body.as_i64().unwrap();
    let finance = app.persona("finance", &[OperatorRole::Finance]).await;
    let (s, detail) = app.call(&finance, "console_get_dispute", &[("id", &id.to_string())]).await;
    assert_eq!(s, StatusCode::OK, "{detail}");
    assert_eq!(detail["full_effect"]["source"], "available");
    assert_eq!(detail["full_effect"]["seller_available_after"].as_i64(), Some(-earned));
    let (s, body) = decide(&app, &finance, id, "refund_full", "", PASSWORD, "decision-key-101").await;
    assert_eq!((s, body.as_str()), (StatusCode::OK, Some("refunded")), "{body}");
    assert_eq!(order_status(&app, order_id).await, "refunded");
    // Owed by the seller now: the account is a debit.
    assert_eq!(balance(&app, &available).await, earned);
    assert_eq!(balance(&app, "platform:commission").await, 0);
    ledger_is_sound(&app).await;
    let (s, detail) = app.call(&finance, "console_get_dispute", &[("id", &id.to_string())]).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(detail["available_minor"].as_i64(), Some(-earned));
    assert!(detail["negative_since_ms"].as_i64().is_some());

    // A later order's earnings net the debt off first.
    let (number2, order2) = paid_order(&app, &shop, &buyer, 2).await;
    ship(&app, &seller, &number2).await;
    let (s, _) = app.call(&buyer, "confirm_order", &[("number", &number2)]).await;
    assert_eq!(s, StatusCode::OK);
    app.advance(app.state.settings().settlement_hold_ms + 1);
    app.run_due_jobs().await;
    let earned2 = order_i64(&app, order2, "total_minor").await - order_i64(&app, order2, "commission_minor").await;
    assert_eq!(balance(&app, &available).await, -(earned2 - earned));
    let negative: Option<i64> =
        sqlx::query_scalar("SELECT negative_since FROM seller_finance WHERE organisation_id = $1")
            .bind(shop.org)
            .fetch_one(app.state.db.read())
            .await
            .unwrap();
    assert_eq!(negative, None, "back above zero");
    ledger_is_sound(&app).await;
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dispute_decided_for_the_seller_returns_the_order_and_its_timers_resume() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let (number, order_id) = paid_order(&app, &shop, &shop.buyer, 1).await;
    ship(&app, &shop.seller, &number).await;
    let (s, body) = open(&app, &shop.buyer, "dispute-key-0201", &number, "5.00").await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let id = body.as_i64().unwrap();
    // The auto-complete timer waits while the dispute is open.
    app.advance(AUTO_COMPLETE_AFTER_MS + DAY);
    app.run_due_jobs().await;
    assert_eq!(order_status(&app, order_id).await, "in_dispute");

    let finance = app.persona("finance", &[OperatorRole::Finance]).await;
    let decided_at = app.state.now_ms();
    let (s, body) = decide(&app, &finance, id, "seller_wins", "", PASSWORD, "decision-key-201").await;
    assert_eq!((s, body.as_str()), (StatusCode::OK, Some("seller_won")), "{body}");
    assert_eq!(order_status(&app, order_id).await, "shipped");
    assert!(order_i64(&app, order_id, "complete_by").await >= decided_at + DAY);
    assert_eq!(app.count("SELECT COUNT(*) FROM ledger_postings WHERE kind = 'refund'").await, 0);
    let (s, body) = decide(&app, &finance, id, "refund_full", "", PASSWORD, "decision-key-202").await;
    assert_eq!((s, conflict(&body)), (StatusCode::CONFLICT, "disputes.already_decided"));

    app.advance(DAY - 60_000);
    app.run_due_jobs().await;
    assert_eq!(order_status(&app, order_id).await, "shipped");
    app.advance(60_000);
    app.run_due_jobs().await;
    assert_eq!(order_status(&app, order_id).await, "completed");
    ledger_is_sound(&app).await;

    // Decided for the seller: the buyer may open a new one on the completed order.
    let buyer = again(&app, &shop.buyer).await;
    let (s, link) = app.call(&buyer, "order_dispute_link", &[("order_number", &number)]).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!((link["dispute_status"].as_str(), link["can_open"].as_bool()), (Some("seller_won"), Some(true)));
    app.drain_outbox().await;
    assert_eq!(notified(&app, &shop.buyer, "disputes.decided_seller").await, 1);
    assert_eq!(notified(&app, &shop.seller, "disputes.decided_seller_to_seller").await, 1);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dispute_waits_while_a_refund_request_is_open_and_the_queue_filters() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let (number, order_id) = paid_order(&app, &shop, &shop.buyer, 1).await;
    // An open refund request: the buyer escalates it instead of opening a second case.
    let now = app.state.now_ms();
    sqlx::query(
        "INSERT INTO refunds (order_id, organisation_id, buyer_id, currency, amount_minor, reason_code, details, status, \
         idempotency_key, request_hash, respond_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, 100, 'damaged', 'broken tin on arrival', 'requested', 'k-refund-1', 'h', $5, $5, $5)",
    )
    .bind(order_id)
    .bind(shop.org)
    .bind(shop.buyer.user_id.unwrap())
    .bind(app.state.settings().currency.code())
    .bind(now)
    .execute(app.state.db.read())
    .await
    .unwrap();
    let (s, body) = open(&app, &shop.buyer, "dispute-key-0301", &number, "1.00").await;
    assert_eq!((s, conflict(&body)), (StatusCode::CONFLICT, "disputes.refund_open"));
    sqlx::query("UPDATE refunds SET status = 'withdrawn' WHERE order_id = $1")
        .bind(order_id)
        .execute(app.state.db.read())
        .await
        .unwrap();
    let (s, body) = open(&app, &shop.buyer, "dispute-key-0301", &number, "1.00").await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let id = body.as_i64().unwrap();

    let analyst = app.persona("analyst", &[OperatorRole::Analyst]).await;
    let call = |form: Vec<(&'static str, String)>| {
        let app = &app;
        let analyst = &analyst;
        async move {
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let (s, page) = app.call(analyst, "console_list_disputes", &form).await;
            assert_eq!(s, StatusCode::OK, "{page}");
            page["rows"].as_array().unwrap().iter().map(|r| r["id"].as_i64().unwrap()).collect::<Vec<_>>()
        }
    };
    assert_eq!(call(vec![]).await, vec![id]);
    assert_eq!(call(vec![("seller", shop.org.to_string())]).await, vec![id]);
    assert_eq!(call(vec![("seller", "tea ho".into())]).await, vec![id]);
    assert_eq!(call(vec![("seller", "nobody".into())]).await, Vec::<i64>::new());
    assert_eq!(call(vec![("opened_by", "buyer".into())]).await, vec![id]);
    assert_eq!(call(vec![("opened_by", "seller_silent".into())]).await, Vec::<i64>::new());
    assert_eq!(call(vec![("past_sla", "1".into())]).await, Vec::<i64>::new());
    assert_eq!(call(vec![("status", "refunded".into())]).await, Vec::<i64>::new());
    let (s, body) = app.call(&analyst, "console_list_disputes", &[("status", "nonsense")]).await;
    assert_eq!((s, field_error(&body).unwrap().0), (StatusCode::BAD_REQUEST, "status".to_string()));
    app.advance(app.state.settings().dispute_sla_ms + 1);
    let analyst = again(&app, &analyst).await;
    let (s, page) = app.call(&analyst, "console_list_disputes", &[("past_sla", "1")]).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(page["rows"][0]["id"].as_i64(), Some(id));
    let (s, counters) = app.call(&analyst, "console_dispute_counters", &[]).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(counters["past_sla"].as_i64(), Some(1));
    // Analysts read; they neither write nor decide.
    let (s, _) = app.call(&analyst, "add_operator_dispute_message", &[("id", &id.to_string()), ("body", "hi")]).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    app.finish().await;
}
