//! Orders and their durable timers: every transition through the server functions and the timers
//! (the clock moved with `advance`, timers run with `run_due_jobs`), the ledger postings of
//! completion and of the settlement hold, the refusals, and timers that outlive their worker.

use crate::helpers::{field_error, Persona, TestApp};
use agora_app::domain::ledger::Posting;
use agora_app::domain::order::{OrderAction, AUTO_COMPLETE_AFTER_MS, PAY_WITHIN_MS, SHIP_WITHIN_MS};
use agora_app::domain::permissions::OperatorRole;
use agora_app::error::AppError;
use agora_app::orders::flow::{self, Audited, Step};
use agora_app::platform::change::Change;
use agora_app::platform::db::Backend;
use agora_app::platform::ledger::{self, PostingRefs};
use reqwest::StatusCode;
use serde_json::Value;

const DAY: i64 = 86_400_000;
const RATE_BPS: i64 = 1_000;

struct Shop {
    buyer: Persona,
    seller: Persona,
    org: i64,
    variant: i64,
    address: String,
}

/// A commission rule, a seller with one live listing (5 in stock), and a buyer with an address.
async fn shop(app: &TestApp) -> Shop {
    app.default_commission_rule(RATE_BPS).await;
    let seller = app.persona("seller", &[]).await;
    let org = app.organisation_owned_by(&seller, "Tea House").await;
    let (_, variant) = app.live_listing(&seller, "Oolong tea", 5).await;
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

/// Puts `qty` of the variant in the buyer's cart and checks out: returns (checkout id, order number, order id).
async fn buy(app: &TestApp, shop: &Shop, buyer: &Persona, address: &str, qty: i64) -> (i64, String, i64) {
    let (status, body) = app
        .call(buyer, "add_to_cart", &[("variant_id", &shop.variant.to_string()), ("quantity", &qty.to_string())])
        .await;
    assert_eq!(status, StatusCode::OK, "add_to_cart: {body}");
    let key = format!("key-{}", &agora_app::platform::caller::new_token()[..16]);
    let (status, body) = app
        .call(
            buyer,
            "checkout",
            &[("idempotency_key", &key), ("address_id", address), ("payment_method", "bank_transfer")],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "checkout: {body}");
    let number = body["order_numbers"][0].as_str().unwrap().to_string();
    let id: i64 = sqlx::query_scalar("SELECT id FROM orders WHERE number = $1")
        .bind(&number)
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    (body["checkout_id"].as_i64().unwrap(), number, id)
}

/// What the payments approval does for the orders (payments' own server fn is tested there):
/// the payment_received posting and the Pay transition, in one transaction.
async fn pay(app: &TestApp, order_id: i64) -> Result<(), AppError> {
    // A payment outside the payment flow: no audit entry of its own, so an unaudited change.
    let mut c = Change::unaudited(&app.state, "test: pays the order directly").await?;
    let order = flow::lock(&mut c, order_id).await?;
    let posting = Posting::payment_received(app.state.settings().currency, order.total_minor).unwrap();
    let refs = PostingRefs { order_id: None, checkout_id: Some(order.checkout_id) };
    c.post(&format!("test:order:{order_id}:paid"), &posting, refs, "test payment").await?;
    let step = Step { action: OrderAction::Pay, actor: None, note: "test payment", audit: Audited::ByCaller };
    flow::transition(&mut c, &order, step).await?;
    c.commit().await
}

async fn order_field<T>(app: &TestApp, id: i64, column: &str) -> T
where
    T: for<'r> sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any> + Send + Unpin,
{
    sqlx::query_scalar(&format!("SELECT {column} FROM orders WHERE id = $1"))
        .bind(id)
        .fetch_one(app.state.db.read())
        .await
        .unwrap()
}

async fn status(app: &TestApp, id: i64) -> String {
    order_field::<String>(app, id, "status").await
}

async fn payment_status(app: &TestApp, checkout: i64) -> String {
    sqlx::query_scalar("SELECT status FROM payments WHERE checkout_id = $1")
        .bind(checkout)
        .fetch_one(app.state.db.read())
        .await
        .unwrap()
}

async fn stock(app: &TestApp, variant: i64) -> i64 {
    sqlx::query_scalar("SELECT stock FROM listing_variants WHERE id = $1")
        .bind(variant)
        .fetch_one(app.state.db.read())
        .await
        .unwrap()
}

async fn timeline(app: &TestApp, id: i64) -> Vec<String> {
    sqlx::query_scalar("SELECT action FROM order_events WHERE order_id = $1 ORDER BY id")
        .bind(id)
        .fetch_all(app.state.db.read())
        .await
        .unwrap()
}

async fn notified(app: &TestApp, who: &Persona, kind: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND kind = $2")
        .bind(who.user_id.unwrap())
        .bind(kind)
        .fetch_one(app.state.db.read())
        .await
        .unwrap()
}

async fn balance(app: &TestApp, code: &str) -> i64 {
    sqlx::query_scalar::<_, i64>("SELECT balance_minor FROM ledger_accounts WHERE code = $1")
        .bind(code)
        .fetch_optional(app.state.db.read())
        .await
        .unwrap()
        .unwrap_or(0)
}

async fn postings(app: &TestApp, order_id: i64) -> Vec<String> {
    sqlx::query_scalar("SELECT kind FROM ledger_postings WHERE order_id = $1 ORDER BY id")
        .bind(order_id)
        .fetch_all(app.state.db.read())
        .await
        .unwrap()
}

async fn ledger_is_sound(app: &TestApp) {
    let mut conn = app.state.db.read().acquire().await.unwrap();
    let problems = ledger::check_invariants(&mut conn).await.unwrap();
    assert!(problems.is_empty(), "ledger: {problems:?}");
}

async fn ship(app: &TestApp, seller: &Persona, number: &str) -> (StatusCode, Value) {
    app.call(seller, "ship_order", &[("number", number), ("carrier", "sf"), ("tracking_number", "sf1234567890")]).await
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
    jar.add_cookie_str(&format!("agora_session={token}; Path=/"), &app.base.parse().unwrap());
    let client = reqwest::Client::builder().cookie_provider(jar).build().unwrap();
    Persona { client, user_id: who.user_id, email: who.email.clone() }
}

fn conflict(body: &Value) -> &str {
    body["Conflict"]["code"].as_str().unwrap_or("")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unpaid_order_cancels_after_30_minutes_and_its_stock_returns() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let (checkout, number, id) = buy(&app, &shop, &shop.buyer, &shop.address, 2).await;
    assert_eq!(stock(&app, shop.variant).await, 3);
    assert_eq!(status(&app, id).await, "pending_payment");

    app.advance(PAY_WITHIN_MS - 60_000);
    app.run_due_jobs().await;
    assert_eq!(status(&app, id).await, "pending_payment", "not yet");

    app.advance(60_000);
    app.run_due_jobs().await;
    assert_eq!(status(&app, id).await, "cancelled");
    assert_eq!(stock(&app, shop.variant).await, 5, "stock released");
    let stock_total: i64 = sqlx::query_scalar(
        "SELECT l.stock_total FROM listings l JOIN listing_variants v ON v.listing_id = l.id WHERE v.id = $1",
    )
    .bind(shop.variant)
    .fetch_one(app.state.db.read())
    .await
    .unwrap();
    assert_eq!(stock_total, 5);
    assert_eq!(
        payment_status(&app, checkout).await,
        "cancelled",
        "every order of the checkout is cancelled, so is its payment"
    );
    assert_eq!(timeline(&app, id).await.last().map(String::as_str), Some("cancel"));
    assert!(postings(&app, id).await.is_empty(), "a cancellation before payment posts nothing");
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'orders.cancel_unpaid'").await, 1);

    // The buyer sees it cancelled, with the timeline; a late payment is refused.
    let (s, body) = app.call(&shop.buyer, "get_my_order", &[("number", &number)]).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "cancelled");
    assert!(body["events"].as_array().unwrap().iter().any(|e| e["action"] == "cancel" && e["actor_role"] == "system"));
    assert_eq!(pay(&app, id).await, Err(AppError::conflict("orders.cancelled")));

    // Running the timers again changes nothing.
    app.advance(DAY);
    app.run_due_jobs().await;
    assert_eq!(stock(&app, shop.variant).await, 5);
    app.drain_outbox().await;
    assert_eq!(notified(&app, &shop.buyer, "orders.cancelled").await, 1);
    app.finish().await;
}

/// Waits until a statement of this test's PostgreSQL database waits for a row lock (polled: the
/// moment is observable, so there is nothing to sleep for).
async fn until_a_statement_waits_for_a_lock(app: &TestApp) {
    for _ in 0..20_000 {
        let waiting: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
        )
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
        if waiting > 0 {
            return;
        }
        tokio::task::yield_now().await;
    }
    panic!("no statement ever waited for a lock");
}

/// An approval locks the payment, then the checkout's orders. The unpaid timer that cancels a
/// checkout's last open order also cancels its payment, so it takes the payment first too: the two
/// wait for each other in one order and cannot deadlock (on PostgreSQL; SQLite's single writer
/// runs them one after the other anyway).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_unpaid_timer_takes_the_payment_before_the_order_as_an_approval_does() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let (checkout, _, id) = buy(&app, &shop, &shop.buyer, &shop.address, 1).await;
    app.advance(PAY_WITHIN_MS);
    // An approval's first lock, held: the payment.
    let mut approval = app.state.db.begin().await.unwrap();
    sqlx::query("UPDATE payments SET status = status WHERE checkout_id = $1")
        .bind(checkout)
        .execute(&mut *approval)
        .await
        .unwrap();
    let timer = {
        let state = app.state.clone();
        tokio::spawn(async move {
            let handlers = agora_app::timers::handlers();
            agora_app::platform::jobs::run_due(&state, &handlers, "test-worker").await
        })
    };
    if app.state.db.backend == Backend::Postgres {
        until_a_statement_waits_for_a_lock(&app).await;
    }
    // The approval's next lock: the order. Had the timer taken the order first, this would wait for
    // the timer while the timer waits for the payment, and PostgreSQL would fail one of them.
    sqlx::query("UPDATE orders SET updated_at = updated_at WHERE id = $1")
        .bind(id)
        .execute(&mut *approval)
        .await
        .unwrap();
    approval.commit().await.unwrap();
    timer.await.unwrap().unwrap();
    assert_eq!(status(&app, id).await, "cancelled");
    assert_eq!(payment_status(&app, checkout).await, "cancelled");
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_buyer_cancels_an_unpaid_order_but_not_a_paid_one() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let (_, first, first_id) = buy(&app, &shop, &shop.buyer, &shop.address, 1).await;
    let (_, second, second_id) = buy(&app, &shop, &shop.buyer, &shop.address, 1).await;
    assert_eq!(stock(&app, shop.variant).await, 3);

    let stranger = app.persona("stranger", &[]).await;
    let (s, _) = app.call(&stranger, "cancel_order", &[("number", &first)]).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "someone else's order does not exist for them");

    let (s, body) = app.call(&shop.buyer, "cancel_order", &[("number", &first)]).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(status(&app, first_id).await, "cancelled");
    assert_eq!(stock(&app, shop.variant).await, 4);
    let (s, body) = app.call(&shop.buyer, "cancel_order", &[("number", &first)]).await;
    assert_eq!((s, conflict(&body)), (StatusCode::CONFLICT, "orders.cancelled"));

    pay(&app, second_id).await.unwrap();
    let (s, body) = app.call(&shop.buyer, "cancel_order", &[("number", &second)]).await;
    assert_eq!((s, conflict(&body)), (StatusCode::CONFLICT, "orders.transition_refused"));
    assert_eq!(status(&app, second_id).await, "paid");
    // The cancel timer of the paid order found nothing to do.
    app.advance(PAY_WITHIN_MS);
    app.run_due_jobs().await;
    assert_eq!(status(&app, second_id).await, "paid");
    assert_eq!(stock(&app, shop.variant).await, 4);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_paid_order_not_shipped_in_3_days_is_flagged_overdue_and_listed_first() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let (_, late, late_id) = buy(&app, &shop, &shop.buyer, &shop.address, 1).await;
    let before = app.state.now_ms();
    pay(&app, late_id).await.unwrap();
    let ship_by: i64 = order_field::<Option<i64>>(&app, late_id, "ship_by").await.unwrap();
    assert!((before + SHIP_WITHIN_MS..=app.state.now_ms() + SHIP_WITHIN_MS).contains(&ship_by));

    app.advance(SHIP_WITHIN_MS - 60_000);
    app.run_due_jobs().await;
    assert_eq!(order_field::<i64>(&app, late_id, "overdue").await, 0);
    // A newer order, paid later, is not overdue.
    let buyer = again(&app, &shop.buyer).await;
    let seller = again(&app, &shop.seller).await;
    let (_, fresh, fresh_id) = buy(&app, &shop, &buyer, &shop.address, 1).await;
    pay(&app, fresh_id).await.unwrap();
    app.advance(60_000);
    app.run_due_jobs().await;
    assert_eq!(order_field::<i64>(&app, late_id, "overdue").await, 1);
    assert_eq!(order_field::<i64>(&app, fresh_id, "overdue").await, 0);
    assert_eq!(status(&app, late_id).await, "paid", "overdue is a flag, not a status");
    assert_eq!(timeline(&app, late_id).await, vec!["created", "pay", "flagged_overdue"]);
    app.drain_outbox().await;
    assert_eq!(notified(&app, &shop.seller, "orders.overdue").await, 1);
    assert_eq!(notified(&app, &shop.seller, "orders.paid").await, 2);

    // The seller center lists overdue orders first, even though newer ones exist.
    let (s, body) = app.call(&seller, "list_seller_orders", &[]).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let numbers: Vec<&str> = body["rows"].as_array().unwrap().iter().map(|r| r["number"].as_str().unwrap()).collect();
    assert_eq!(numbers, vec![late.as_str(), fresh.as_str()]);
    // The console filters overdue ones.
    let ops = app.persona("ops", &[OperatorRole::Admin]).await;
    let (s, body) = app.call(&ops, "console_list_orders", &[("overdue", "1")]).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(body["rows"].as_array().unwrap().len(), 1);
    assert_eq!(body["rows"][0]["number"], late.as_str());

    // Shipping late clears the flag; running the timer again does nothing.
    let (s, body) = ship(&app, &seller, &late).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(order_field::<i64>(&app, late_id, "overdue").await, 0);
    app.run_due_jobs().await;
    assert_eq!(timeline(&app, late_id).await, vec!["created", "pay", "flagged_overdue", "ship"]);
    app.drain_outbox().await;
    assert_eq!(notified(&app, &shop.buyer, "orders.shipped").await, 1);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shipped_order_completes_after_7_days_and_the_seller_is_paid_after_the_hold() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let (_, number, id) = buy(&app, &shop, &shop.buyer, &shop.address, 2).await;
    pay(&app, id).await.unwrap();

    // Bad shipments are refused next to their field; nothing changes.
    for (form, field) in [
        (vec![("carrier", "pigeon"), ("tracking_number", "SF1234567")], "carrier"),
        (vec![("carrier", "other"), ("carrier_name", " "), ("tracking_number", "SF1234567")], "carrier_name"),
        (vec![("carrier", "sf"), ("tracking_number", "12")], "tracking_number"),
    ] {
        let mut form = form;
        form.push(("number", &number));
        let (s, body) = app.call(&shop.seller, "ship_order", &form).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(field_error(&body).unwrap().0, field);
    }
    assert_eq!(status(&app, id).await, "paid");

    let (s, body) = app
        .call(
            &shop.seller,
            "ship_order",
            &[
                ("number", &number),
                ("carrier", "other"),
                ("carrier_name", "City Couriers"),
                ("tracking_number", "cc-20251"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(order_field::<String>(&app, id, "carrier").await, "other:City Couriers");
    assert_eq!(order_field::<String>(&app, id, "tracking_number").await, "CC-20251");
    let (s, body) = ship(&app, &shop.seller, &number).await;
    assert_eq!((s, conflict(&body)), (StatusCode::CONFLICT, "orders.transition_refused"), "shipped once");

    app.advance(AUTO_COMPLETE_AFTER_MS - 60_000);
    app.run_due_jobs().await;
    assert_eq!(status(&app, id).await, "shipped");
    app.advance(60_000);
    app.run_due_jobs().await;
    assert_eq!(status(&app, id).await, "completed");
    assert_eq!(timeline(&app, id).await, vec!["created", "pay", "ship", "auto_complete"]);

    let total: i64 = order_field(&app, id, "total_minor").await;
    let commission: i64 = order_field(&app, id, "commission_minor").await;
    assert_eq!(total, 2 * 1999 + order_field::<i64>(&app, id, "shipping_minor").await);
    assert!(commission > 0);
    assert_eq!(postings(&app, id).await, vec!["order_completed"]);
    let pending = format!("seller:{}:pending", shop.org);
    let available = format!("seller:{}:available", shop.org);
    assert_eq!(balance(&app, &pending).await, -(total - commission));
    assert_eq!(balance(&app, "platform:commission").await, -commission);
    assert_eq!(balance(&app, &available).await, 0);

    app.advance(app.state.settings().settlement_hold_ms - 60_000);
    app.run_due_jobs().await;
    assert_eq!(balance(&app, &available).await, 0, "still held");
    app.advance(60_000);
    app.run_due_jobs().await;
    assert_eq!(postings(&app, id).await, vec!["order_completed", "hold_released"]);
    assert_eq!(balance(&app, &pending).await, 0);
    assert_eq!(balance(&app, &available).await, -(total - commission));
    assert_eq!(balance(&app, "buyer:clearing").await, 0, "paid and completed: clearing is empty");
    ledger_is_sound(&app).await;

    // The release is idempotent: a replayed job changes nothing.
    let job = agora_app::platform::jobs::Job {
        id: 0,
        kind: flow::JOB_RELEASE_HOLD.into(),
        target_id: id,
        due_at: 0,
        attempts: 0,
    };
    agora_app::orders::timers::release_hold(app.state.clone(), job).await.unwrap();
    assert_eq!(postings(&app, id).await, vec!["order_completed", "hold_released"]);
    ledger_is_sound(&app).await;

    app.drain_outbox().await;
    assert_eq!(notified(&app, &shop.buyer, "orders.completed").await, 1);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_buyer_confirms_before_the_timer_and_the_timer_then_does_nothing() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let (_, number, id) = buy(&app, &shop, &shop.buyer, &shop.address, 1).await;

    let (s, body) = app.call(&shop.buyer, "confirm_order", &[("number", &number)]).await;
    assert_eq!((s, conflict(&body)), (StatusCode::CONFLICT, "orders.transition_refused"), "not shipped yet");
    pay(&app, id).await.unwrap();
    let (s, body) = ship(&app, &shop.seller, &number).await;
    assert_eq!(s, StatusCode::OK, "{body}");

    let stranger = app.persona("stranger", &[]).await;
    let (s, _) = app.call(&stranger, "confirm_order", &[("number", &number)]).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "confirming someone else's order");
    let (s, _) = app.call(&shop.seller, "confirm_order", &[("number", &number)]).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "the seller is not the buyer");
    assert_eq!(status(&app, id).await, "shipped");

    app.advance(DAY);
    let buyer = again(&app, &shop.buyer).await;
    let (s, body) = app.call(&buyer, "confirm_order", &[("number", &number)]).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(status(&app, id).await, "completed");
    assert_eq!(timeline(&app, id).await, vec!["created", "pay", "ship", "confirm"]);
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'orders.confirm'").await, 1);
    let (s, body) = app.call(&buyer, "confirm_order", &[("number", &number)]).await;
    assert_eq!((s, conflict(&body)), (StatusCode::CONFLICT, "orders.transition_refused"));

    app.advance(AUTO_COMPLETE_AFTER_MS);
    app.run_due_jobs().await;
    assert_eq!(
        timeline(&app, id).await,
        vec!["created", "pay", "ship", "confirm"],
        "the auto-complete timer did nothing"
    );
    assert_eq!(postings(&app, id).await, vec!["order_completed", "hold_released"]);
    ledger_is_sound(&app).await;
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusals_change_nothing() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let (_, number, id) = buy(&app, &shop, &shop.buyer, &shop.address, 1).await;

    // Shipping an unpaid order.
    let (s, body) = ship(&app, &shop.seller, &number).await;
    assert_eq!((s, conflict(&body)), (StatusCode::CONFLICT, "orders.not_paid"));
    pay(&app, id).await.unwrap();

    // Paying twice (through the flow, as the payments approval does).
    assert_eq!(pay(&app, id).await, Err(AppError::conflict("orders.already_paid")));

    // Another seller's order.
    let other = app.persona("other-seller", &[]).await;
    app.organisation_owned_by(&other, "Other Shop").await;
    let (s, _) = ship(&app, &other, &number).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = app.call(&other, "get_seller_order", &[("number", &number)]).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, body) = app.call(&other, "list_seller_orders", &[]).await;
    assert_eq!(s, StatusCode::OK);
    assert!(body["rows"].as_array().unwrap().is_empty());

    // Someone else's order is not theirs to read.
    let stranger = app.persona("stranger", &[]).await;
    let (s, _) = app.call(&stranger, "get_my_order", &[("number", &number)]).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, body) = app.call(&stranger, "list_my_orders", &[]).await;
    assert_eq!(s, StatusCode::OK);
    assert!(body["rows"].as_array().unwrap().is_empty());
    // A bad status filter is refused next to the field.
    let (s, body) = app.call(&shop.buyer, "list_my_orders", &[("status", "lost")]).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(field_error(&body).unwrap().0, "status");
    // A number that cannot be one.
    let (s, _) = app.call(&shop.buyer, "get_my_order", &[("number", "'; DROP TABLE orders;--")]).await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    assert_eq!(status(&app, id).await, "paid");
    assert_eq!(timeline(&app, id).await, vec!["created", "pay"]);
    ledger_is_sound(&app).await;
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn timers_are_rows_that_outlive_their_worker() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let (_, _, id) = buy(&app, &shop, &shop.buyer, &shop.address, 1).await;
    let due: i64 = sqlx::query_scalar(
        "SELECT due_at FROM jobs WHERE kind = 'order.cancel_unpaid' AND target_id = $1 AND status = 'pending'",
    )
    .bind(id)
    .fetch_one(app.state.db.read())
    .await
    .unwrap();
    assert_eq!(due, order_field::<i64>(&app, id, "pay_by").await);

    // A worker claims the job and dies before finishing it (its lease is left behind).
    app.advance(PAY_WITHIN_MS);
    let now = app.state.now_ms();
    sqlx::query("UPDATE jobs SET lease_owner = 'dead-worker', lease_until = $1 WHERE kind = 'order.cancel_unpaid' AND target_id = $2")
        .bind(now + agora_app::platform::jobs::LEASE_MS)
        .bind(id)
        .execute(app.state.db.read())
        .await
        .unwrap();
    // While the lease holds, a new worker leaves it alone; once it runs out, a freshly built
    // registry (a restarted server) runs it.
    let handlers = agora_app::timers::handlers();
    assert_eq!(agora_app::platform::jobs::run_due(&app.state, &handlers, "restarted").await.unwrap(), 0);
    assert_eq!(status(&app, id).await, "pending_payment");
    app.advance(agora_app::platform::jobs::LEASE_MS + 1);
    let handlers = agora_app::timers::handlers();
    assert_eq!(agora_app::platform::jobs::run_due(&app.state, &handlers, "restarted").await.unwrap(), 1);
    assert_eq!(status(&app, id).await, "cancelled");
    let job_status: String =
        sqlx::query_scalar("SELECT status FROM jobs WHERE kind = 'order.cancel_unpaid' AND target_id = $1")
            .bind(id)
            .fetch_one(app.state.db.read())
            .await
            .unwrap();
    assert_eq!(job_status, "done");
    assert_eq!(stock(&app, shop.variant).await, 5);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn buyers_sellers_and_the_console_read_what_they_may() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let (_, number, id) = buy(&app, &shop, &shop.buyer, &shop.address, 2).await;
    pay(&app, id).await.unwrap();
    let (s, body) = ship(&app, &shop.seller, &number).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let (s, body) = app.call(&shop.buyer, "confirm_order", &[("number", &number)]).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let other_buyer = app.persona("other-buyer", &[]).await;
    let other_address = address_of(&app, &other_buyer).await;
    let (_, other_number, _) = buy(&app, &shop, &other_buyer, &other_address, 1).await;

    // The buyer: their orders, the detail with lines, payment, shipment and the whole timeline;
    // never the commission.
    let (s, body) = app.call(&shop.buyer, "list_my_orders", &[]).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(body["rows"].as_array().unwrap().len(), 1);
    assert_eq!(body["rows"][0]["items"], 2);
    assert_eq!(body["rows"][0]["first_title"], "Oolong tea");
    let (s, d) = app.call(&shop.buyer, "get_my_order", &[("number", &number.to_lowercase())]).await;
    assert_eq!(s, StatusCode::OK, "{d}");
    assert_eq!(d["status"], "completed");
    assert_eq!(d["viewer"], "Buyer");
    assert_eq!(d["lines"][0]["quantity"], 2);
    assert_eq!(d["commission_minor"], Value::Null);
    assert_eq!(d["lines"][0]["commission_minor"], Value::Null);
    assert_eq!(d["payment"]["provider"], "bank_transfer");
    assert_eq!(d["tracking_number"], "SF1234567890");
    assert_eq!(d["address"]["city"], "Shanghai");
    let roles: Vec<(&str, &str)> = d["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["action"].as_str().unwrap(), e["actor_role"].as_str().unwrap()))
        .collect();
    assert_eq!(roles, vec![("created", "buyer"), ("pay", "system"), ("ship", "seller"), ("confirm", "buyer")]);
    assert!(d["events"].as_array().unwrap().iter().all(|e| e["actor"].is_null()), "no emails for the buyer");
    assert_eq!(d["postings"], Value::Null);

    // The seller: both orders, the commission, the buyer's name.
    let (s, body) = app.call(&shop.seller, "list_seller_orders", &[("status", "completed")]).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(body["rows"].as_array().unwrap().len(), 1);
    let (s, d) = app.call(&shop.seller, "get_seller_order", &[("number", &number)]).await;
    assert_eq!(s, StatusCode::OK, "{d}");
    assert!(d["commission_minor"].as_i64().unwrap() > 0);
    assert_eq!(d["buyer_name"], "buyer");
    assert_eq!(d["buyer_email"], Value::Null);

    // The console: filters, and the ledger postings for those who may read the ledger.
    let finance = app.persona("finance", &[OperatorRole::Finance]).await;
    let support = app.persona("support", &[OperatorRole::Support]).await;
    let rows = |body: &Value| -> Vec<String> {
        body["rows"].as_array().unwrap().iter().map(|r| r["number"].as_str().unwrap().to_string()).collect()
    };
    let (s, body) = app.call(&finance, "console_list_orders", &[]).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(rows(&body), vec![other_number.clone(), number.clone()]);
    let (_, body) = app.call(&finance, "console_list_orders", &[("status", "completed")]).await;
    assert_eq!(rows(&body), vec![number.clone()]);
    let (_, body) = app.call(&finance, "console_list_orders", &[("buyer", "other-buyer")]).await;
    assert_eq!(rows(&body), vec![other_number.clone()]);
    let (_, body) = app.call(&finance, "console_list_orders", &[("seller", "tea hou")]).await;
    assert_eq!(rows(&body).len(), 2);
    let (_, body) = app.call(&finance, "console_list_orders", &[("seller", &shop.org.to_string())]).await;
    assert_eq!(rows(&body).len(), 2);
    let (_, body) = app.call(&finance, "console_list_orders", &[("seller", "nobody")]).await;
    assert!(rows(&body).is_empty());
    let total: i64 = order_field(&app, id, "total_minor").await;
    let min = format!("{}.{:02}", total / 100, total % 100);
    let (_, body) = app.call(&finance, "console_list_orders", &[("min", &min)]).await;
    assert_eq!(rows(&body), vec![number.clone()]);
    let (_, body) = app.call(&finance, "console_list_orders", &[("from", "2000-01-01"), ("to", "2000-01-02")]).await;
    assert!(rows(&body).is_empty());
    let (s, body) = app.call(&finance, "console_list_orders", &[("min", "ten")]).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(field_error(&body).unwrap().0, "min");
    let (s, body) = app.call(&finance, "console_list_orders", &[("from", "tomorrow")]).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(field_error(&body).unwrap().0, "from");

    let (s, d) = app.call(&finance, "console_get_order", &[("number", &number)]).await;
    assert_eq!(s, StatusCode::OK, "{d}");
    assert_eq!(d["buyer_email"], shop.buyer.email.as_str());
    let kinds: Vec<&str> = d["postings"].as_array().unwrap().iter().map(|p| p["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, vec!["payment_received", "order_completed"]);
    assert!(d["postings"][1]["entries"].as_array().unwrap().len() >= 2);
    assert!(d["events"].as_array().unwrap().iter().any(|e| e["actor"] == shop.seller.email.as_str()));
    let (s, d) = app.call(&support, "console_get_order", &[("number", &number)]).await;
    assert_eq!(s, StatusCode::OK, "{d}");
    assert_eq!(d["postings"], Value::Null, "support may not read the ledger");
    assert_eq!(d["payment"]["provider"], "bank_transfer");

    app.finish().await;
}
