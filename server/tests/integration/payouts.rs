//! Payout accounts and payouts through the real services: a seller earns money (an order bought,
//! paid, shipped, confirmed and past its hold), adds a payout account (password again; cooling-off),
//! requests a payout; finance approves and marks it paid, or marks it failed or rejects it (the money
//! returns). Account numbers stay masked in every seller and queue response; bad requests change
//! nothing and the ledger stays balanced.

use crate::cart::{add, address, live, shop, Shop};
use crate::helpers::{field_error, fresh, ok, sound, Persona, TestApp, PASSWORD};
use agora_app::domain::permissions::OperatorRole;
use agora_app::platform::caller::new_token;
use reqwest::StatusCode;
use serde_json::Value;

const BANK_NUMBER: &str = "6222020012345678";

/// A seller with `price` (minor) of sales available: bought, paid by card, shipped, confirmed, and
/// the settlement hold run out. Returns the shop (fresh session) and its available balance.
async fn earning_shop(app: &TestApp, name: &str, price: i64) -> (Shop, i64) {
    app.default_commission_rule(1000).await;
    let s = shop(app, name).await;
    let variant = live(app, &s, "Tea", &[("TEA-1", price, 10)]).await[0];
    let buyer = app.persona("buyer", &[]).await;
    let home = address(app, &buyer, "Li Wei").await;
    assert_eq!(add(app, &buyer, variant, "1").await.0, StatusCode::OK);
    let key = format!("payout-buy-{}", &new_token()[..12]);
    let result = ok(
        app,
        &buyer,
        "checkout",
        &[("idempotency_key", &key), ("address_id", &home.to_string()), ("payment_method", "sandbox")],
    )
    .await;
    let checkout = result["checkout_id"].as_i64().unwrap().to_string();
    ok(app, &buyer, "pay_with_sandbox", &[("checkout_id", &checkout), ("card_number", "4242 4242 4242 4242")]).await;
    let number: String = sqlx::query_scalar("SELECT number FROM orders WHERE checkout_id = $1")
        .bind(result["checkout_id"].as_i64().unwrap())
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    ok(app, &s.owner, "ship_order", &[("number", &number), ("carrier", "sf"), ("tracking_number", "SF1234567890")])
        .await;
    ok(app, &buyer, "confirm_order", &[("number", &number)]).await;
    app.advance(app.state.settings().settlement_hold_ms + 1);
    app.run_due_jobs().await;
    let s = Shop { org: s.org, owner: fresh(app, &s.owner).await };
    let balance = ok(app, &s.owner, "seller_payouts", &[]).await;
    let available = balance["available_minor"].as_i64().unwrap();
    assert!(available > 0, "{balance}");
    (s, available)
}

fn bank_account(password: &str) -> Vec<(&str, &str)> {
    vec![
        ("method", "bank"),
        ("holder", "Li Wei"),
        ("account", "6222 0200 1234 5678"),
        ("bank_name", "ICBC"),
        ("notes", "business account"),
        ("password", password),
    ]
}

/// Adds the bank account and waits out the cooling-off; returns the account id and fresh personas.
async fn account_after_cooling_off(app: &TestApp, s: Shop) -> (Shop, i64) {
    let id = ok(app, &s.owner, "add_payout_account", &bank_account(PASSWORD)).await.as_i64().unwrap();
    app.advance(app.state.settings().payout_cooling_off_ms + 1);
    (Shop { org: s.org, owner: fresh(app, &s.owner).await }, id)
}

async fn request(app: &TestApp, who: &Persona, key: &str, amount: &str, account: i64) -> (StatusCode, Value) {
    app.call(
        who,
        "request_payout",
        &[("idempotency_key", key), ("amount", amount), ("payout_account_id", &account.to_string())],
    )
    .await
}

fn protected<'a>(id: &'a str, extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![("id", id), ("reason", "checked the seller's history"), ("password", PASSWORD)];
    form.extend_from_slice(extra);
    form
}

async fn count(app: &TestApp, sql: &str, org: i64) -> i64 {
    sqlx::query_scalar::<_, i64>(sql).bind(org).fetch_one(app.state.db.read()).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_payout_goes_from_request_to_paid_with_the_account_masked_and_the_ledger_balanced() {
    let app = TestApp::spawn().await;
    let (s, available) = earning_shop(&app, "Tea House", 30_000).await;

    // The password is asked again: a wrong one adds nothing.
    let (status, body) = app.call(&s.owner, "add_payout_account", &bank_account("not my password")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(field_error(&body), Some(("password".into(), "password.wrong".into())));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM payout_accounts WHERE organisation_id = $1", s.org).await, 0);
    let (status, body) = app
        .call(
            &s.owner,
            "add_payout_account",
            &[
                ("method", "bank"),
                ("holder", "Li Wei"),
                ("account", "12ab"),
                ("bank_name", "ICBC"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(
        (status, field_error(&body)),
        (StatusCode::BAD_REQUEST, Some(("account".into(), "payouts.bad_bank_account".into())))
    );

    let account = ok(&app, &s.owner, "add_payout_account", &bank_account(PASSWORD)).await.as_i64().unwrap();
    let accounts = ok(&app, &s.owner, "my_payout_accounts", &[]).await;
    assert_eq!(accounts["accounts"][0]["account_masked"], "•••• 5678");
    assert!(accounts["hold_until_ms"].as_i64().is_some(), "{accounts}");
    assert!(!accounts.to_string().contains(BANK_NUMBER));
    // The audit record holds the masked number only; the owner is told.
    let after: String = sqlx::query_scalar("SELECT after_json FROM audit_log WHERE action = 'payout_accounts.add'")
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    assert!(after.contains("5678") && !after.contains(BANK_NUMBER), "{after}");
    let told: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM outbox WHERE event_type = 'payout_accounts.changed' AND channel = 'in_app' \
         AND recipient_user_id = $1",
    )
    .bind(s.owner.user_id.unwrap())
    .fetch_one(app.state.db.read())
    .await
    .unwrap();
    assert_eq!(told, 1);

    // Cooling-off: refused now, allowed once it has passed.
    let (status, body) = request(&app, &s.owner, "payout-key-0001", "50.00", account).await;
    assert_eq!(
        (status, field_error(&body)),
        (StatusCode::BAD_REQUEST, Some(("payout_account_id".into(), "payouts.cooling_off".into())))
    );
    app.advance(app.state.settings().payout_cooling_off_ms + 1);
    let s = Shop { org: s.org, owner: fresh(&app, &s.owner).await };
    let id = request(&app, &s.owner, "payout-key-0001", "50.00", account).await;
    assert_eq!(id.0, StatusCode::OK, "{}", id.1);
    let id = id.1.as_i64().unwrap();
    // A retry returns the same payout; the same key for another amount is refused.
    assert_eq!(request(&app, &s.owner, "payout-key-0001", "50.00", account).await.1.as_i64(), Some(id));
    let (status, body) = request(&app, &s.owner, "payout-key-0001", "60.00", account).await;
    assert_eq!((status, body["Conflict"]["code"].as_str()), (StatusCode::CONFLICT, Some("idempotency.key_reused")));
    // One open request at a time.
    let (status, body) = request(&app, &s.owner, "payout-key-0002", "10.00", account).await;
    assert_eq!(
        (status, field_error(&body)),
        (StatusCode::BAD_REQUEST, Some(("amount".into(), "payouts.one_open_request".into())))
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM payouts WHERE organisation_id = $1", s.org).await, 1);

    let view = ok(&app, &s.owner, "seller_payouts", &[]).await;
    assert_eq!(view["available_minor"].as_i64(), Some(available - 5_000));
    assert_eq!(view["in_transit_minor"].as_i64(), Some(5_000));
    assert_eq!(view["open_request"], true);
    sound(&app).await;

    // Finance: the queue and the detail show the account masked; the request is flagged (the account
    // is new).
    let finance = app.persona("finance", &[OperatorRole::Finance]).await;
    let counters = ok(&app, &finance, "payout_counters", &[]).await;
    assert_eq!((counters["to_review"].as_i64(), counters["in_transit_minor"].as_i64()), (Some(1), Some(5_000)));
    let queue = ok(&app, &finance, "list_payouts", &[("status", "requested")]).await;
    assert_eq!(queue["rows"][0]["id"].as_i64(), Some(id));
    assert_eq!(queue["rows"][0]["risk_flags"], serde_json::json!(["NewAccount"]));
    let flagged = ok(&app, &finance, "list_payouts", &[("flagged", "true"), ("seller", "tea")]).await;
    assert_eq!(flagged["rows"].as_array().unwrap().len(), 1);
    assert!(!queue.to_string().contains(BANK_NUMBER));
    let detail = ok(&app, &finance, "get_payout", &[("id", &id.to_string())]).await;
    assert!(!detail.to_string().contains(BANK_NUMBER));
    assert_eq!(detail["postings"].as_array().unwrap().len(), 1);

    // Revealing is audited with its reason.
    let (status, body) =
        app.call(&finance, "reveal_payout_account", &[("id", &account.to_string()), ("reason", "")]).await;
    assert_eq!((status, field_error(&body).map(|f| f.0)), (StatusCode::BAD_REQUEST, Some("reason".into())));
    let full = ok(
        &app,
        &finance,
        "reveal_payout_account",
        &[("id", &account.to_string()), ("reason", "verify the transfer target")],
    )
    .await;
    assert_eq!(full, BANK_NUMBER);
    let reason: String = sqlx::query_scalar("SELECT reason FROM audit_log WHERE action = 'payout_accounts.reveal'")
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    assert_eq!(reason, "verify the transfer target");

    // Approve, then mark paid: in transit -> out of the bank.
    let sid = id.to_string();
    let (status, body) = app
        .call(
            &finance,
            "approve_payout",
            &[("id", sid.as_str()), ("reason", "looks right"), ("password", "wrong password")],
        )
        .await;
    assert_eq!((status, field_error(&body).map(|f| f.0)), (StatusCode::BAD_REQUEST, Some("password".into())));
    ok(&app, &finance, "approve_payout", &protected(&sid, &[])).await;
    let (status, body) = app.call(&finance, "approve_payout", &protected(&sid, &[])).await;
    assert_eq!((status, body["Conflict"]["code"].as_str()), (StatusCode::CONFLICT, Some("payouts.already_approved")));
    let (status, body) =
        app.call(&finance, "mark_payout_paid", &protected(&sid, &[("external_reference", "ab")])).await;
    assert_eq!((status, field_error(&body).map(|f| f.0)), (StatusCode::BAD_REQUEST, Some("external_reference".into())));
    ok(&app, &finance, "mark_payout_paid", &protected(&sid, &[("external_reference", "TRX-2026-0001")])).await;

    let view = ok(&app, &s.owner, "seller_payouts", &[]).await;
    assert_eq!(
        (view["available_minor"].as_i64(), view["in_transit_minor"].as_i64()),
        (Some(available - 5_000), Some(0))
    );
    let mine = ok(&app, &s.owner, "list_my_payouts", &[]).await;
    assert_eq!(mine["rows"][0]["status"], "Paid");
    assert_eq!(mine["rows"][0]["external_reference"], "TRX-2026-0001");
    assert!(!mine.to_string().contains(BANK_NUMBER));
    let detail = ok(&app, &finance, "get_payout", &[("id", &sid)]).await;
    let kinds: Vec<&str> = detail["postings"].as_array().unwrap().iter().map(|p| p["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["payout_requested", "payout_paid"]);
    let actions: Vec<&str> =
        detail["audit"].as_array().unwrap().iter().map(|a| a["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["payouts.mark_paid", "payouts.approve", "payout_accounts.reveal", "payouts.request"]);
    let told: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM outbox WHERE channel = 'in_app' AND event_type IN ('payouts.approved', 'payouts.paid')",
    )
    .fetch_one(app.state.db.read())
    .await
    .unwrap();
    assert_eq!(told, 2);
    sound(&app).await;
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_and_rejected_payouts_return_the_money_and_a_decided_payout_stays_decided() {
    let app = TestApp::spawn().await;
    let (s, available) = earning_shop(&app, "Blue Kiln", 30_000).await;
    let (s, account) = account_after_cooling_off(&app, s).await;
    let finance = app.persona("finance", &[OperatorRole::Finance]).await;

    let id = request(&app, &s.owner, "payout-fail-0001", "100.00", account).await.1.as_i64().unwrap().to_string();
    let (status, body) = app
        .call(
            &finance,
            "mark_payout_failed",
            &protected(&id, &[("retry_condition", "x"), ("next_action", "seller_updates_account")]),
        )
        .await;
    assert_eq!((status, body["Conflict"]["code"].as_str()), (StatusCode::CONFLICT, Some("payouts.not_approved")));
    ok(&app, &finance, "approve_payout", &protected(&id, &[])).await;
    let (status, body) = app
        .call(
            &finance,
            "mark_payout_failed",
            &protected(&id, &[("retry_condition", "After the account is fixed"), ("next_action", "later")]),
        )
        .await;
    assert_eq!(
        (status, field_error(&body)),
        (StatusCode::BAD_REQUEST, Some(("next_action".into(), "field.choose".into())))
    );
    ok(
        &app,
        &finance,
        "mark_payout_failed",
        &protected(
            &id,
            &[("retry_condition", "After the account is fixed"), ("next_action", "seller_updates_account")],
        ),
    )
    .await;
    let view = ok(&app, &s.owner, "seller_payouts", &[]).await;
    assert_eq!((view["available_minor"].as_i64(), view["in_transit_minor"].as_i64()), (Some(available), Some(0)));
    let mine = ok(&app, &s.owner, "list_my_payouts", &[]).await;
    assert_eq!(mine["rows"][0]["status"], "Failed");
    assert_eq!(mine["rows"][0]["retry_condition"], "After the account is fixed");
    assert_eq!(mine["rows"][0]["next_action"], "SellerUpdatesAccount");
    sound(&app).await;

    let id = request(&app, &s.owner, "payout-reject-01", "100.00", account).await.1.as_i64().unwrap().to_string();
    ok(&app, &finance, "reject_payout", &protected(&id, &[])).await;
    let view = ok(&app, &s.owner, "seller_payouts", &[]).await;
    assert_eq!((view["available_minor"].as_i64(), view["in_transit_minor"].as_i64()), (Some(available), Some(0)));
    let postings = count(&app, "SELECT COUNT(*) FROM ledger_postings WHERE id > $1", 0).await;
    for endpoint in ["approve_payout", "reject_payout"] {
        let (status, body) = app.call(&finance, endpoint, &protected(&id, &[])).await;
        assert_eq!(
            (status, body["Conflict"]["code"].as_str()),
            (StatusCode::CONFLICT, Some("payouts.already_rejected")),
            "{endpoint}"
        );
    }
    let (status, _) =
        app.call(&finance, "mark_payout_paid", &protected(&id, &[("external_reference", "TRX-0001")])).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM ledger_postings WHERE id > $1", 0).await, postings);
    let mine = ok(&app, &s.owner, "list_my_payouts", &[]).await;
    assert_eq!(mine["rows"][0]["status"], "Rejected");
    assert_eq!(mine["rows"][0]["decision_reason"], "checked the seller's history");
    // Only finance decides: an analyst reads the queue but cannot approve.
    let analyst = app.persona("analyst", &[OperatorRole::Analyst]).await;
    assert_eq!(app.call(&analyst, "list_payouts", &[]).await.0, StatusCode::OK);
    assert_eq!(app.call(&analyst, "approve_payout", &protected(&id, &[])).await.0, StatusCode::FORBIDDEN);
    sound(&app).await;
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_above_available_below_minimum_or_while_frozen_change_nothing() {
    let app = TestApp::spawn().await;
    let (s, available) = earning_shop(&app, "Tea House", 30_000).await;
    let (s, account) = account_after_cooling_off(&app, s).await;
    let above = agora_app::domain::money::Money::new(available + 1, app.state.settings().currency).plain();
    for (amount, field, code) in [
        (above.as_str(), "amount", "payouts.above_available"),
        ("9.99", "amount", "payouts.below_minimum"),
        ("-5", "amount", "money.negative"),
        ("ten", "amount", "money.not_a_number"),
    ] {
        let (status, body) = request(&app, &s.owner, "payout-bad-00001", amount, account).await;
        assert_eq!(
            (status, field_error(&body)),
            (StatusCode::BAD_REQUEST, Some((field.into(), code.into()))),
            "{amount}"
        );
    }
    let (status, body) = request(&app, &s.owner, "bad key!", "10.00", account).await;
    assert_eq!((status, field_error(&body).map(|f| f.0)), (StatusCode::BAD_REQUEST, Some("idempotency_key".into())));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM payouts WHERE organisation_id = $1", s.org).await, 0);

    // A request open when the seller is frozen cannot be approved; new ones are refused.
    let id = request(&app, &s.owner, "payout-frozen-01", "20.00", account).await.1.as_i64().unwrap().to_string();
    let now = app.state.now_ms();
    let mut tx = app.state.db.begin().await.unwrap();
    assert_eq!(agora_app::finance::seller_finance::set_frozen(&mut tx, s.org, true, now).await.unwrap(), 1);
    tx.commit().await.unwrap();
    let finance = app.persona("finance", &[OperatorRole::Finance]).await;
    let (status, body) = app.call(&finance, "approve_payout", &protected(&id, &[])).await;
    assert_eq!((status, body["Conflict"]["code"].as_str()), (StatusCode::CONFLICT, Some("payouts.frozen")));
    let frozen = ok(&app, &finance, "list_payouts", &[("frozen", "true")]).await;
    assert_eq!(frozen["rows"][0]["frozen"], true);
    // Rejecting is still possible: the money goes back (and stays frozen with the seller).
    ok(&app, &finance, "reject_payout", &protected(&id, &[])).await;
    let (status, body) = request(&app, &s.owner, "payout-frozen-02", "20.00", account).await;
    assert_eq!(
        (status, field_error(&body)),
        (StatusCode::BAD_REQUEST, Some(("amount".into(), "payouts.frozen".into())))
    );
    let view = ok(&app, &s.owner, "seller_payouts", &[]).await;
    assert_eq!((view["frozen"].as_bool(), view["available_minor"].as_i64()), (Some(true), Some(available)));
    sound(&app).await;
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_seller_cannot_touch_another_sellers_accounts_or_payouts_and_staff_only_read() {
    let app = TestApp::spawn().await;
    let (s, _) = earning_shop(&app, "Tea House", 30_000).await;
    let (s, account) = account_after_cooling_off(&app, s).await;
    let id = request(&app, &s.owner, "payout-own-00001", "20.00", account).await.1.as_i64().unwrap();

    let other = shop(&app, "Other Shop").await;
    let sid = account.to_string();
    let mut change = bank_account(PASSWORD);
    change.push(("id", &sid));
    assert_eq!(app.call(&other.owner, "change_payout_account", &change).await.0, StatusCode::NOT_FOUND);
    assert_eq!(
        app.call(&other.owner, "remove_payout_account", &[("id", &sid), ("password", PASSWORD)]).await.0,
        StatusCode::NOT_FOUND
    );
    let (status, body) = request(&app, &other.owner, "payout-other-001", "10.00", account).await;
    assert_eq!(
        (status, field_error(&body).map(|f| f.1)),
        (StatusCode::BAD_REQUEST, Some("payouts.account_unknown".into()))
    );
    let theirs = ok(&app, &other.owner, "list_my_payouts", &[]).await;
    assert_eq!(theirs["rows"], serde_json::json!([]));
    assert_eq!(ok(&app, &other.owner, "my_payout_accounts", &[]).await["accounts"], serde_json::json!([]));
    // A buyer is no seller; finance's detail is finance's.
    let buyer = app.persona("buyer", &[]).await;
    assert_eq!(app.call(&buyer, "get_payout", &[("id", &id.to_string())]).await.0, StatusCode::FORBIDDEN);

    // Staff of the seller read (masked) but neither change accounts nor request.
    let staff = app.persona("staff", &[]).await;
    sqlx::query(
        "INSERT INTO organisation_members (organisation_id, user_id, role, added_at) VALUES ($1, $2, 'staff', $3)",
    )
    .bind(s.org)
    .bind(staff.user_id.unwrap())
    .bind(app.state.now_ms())
    .execute(app.state.db.read())
    .await
    .unwrap();
    let seen = ok(&app, &staff, "my_payout_accounts", &[]).await;
    assert_eq!(
        (seen["is_owner"].as_bool(), seen["accounts"][0]["account_masked"].as_str()),
        (Some(false), Some("•••• 5678"))
    );
    assert_eq!(app.call(&staff, "add_payout_account", &bank_account(PASSWORD)).await.0, StatusCode::FORBIDDEN);
    assert_eq!(request(&app, &staff, "payout-staff-001", "10.00", account).await.0, StatusCode::FORBIDDEN);

    // Changing the account keeps the old one (replaced, the open payout still points at it); a
    // replaced account cannot be removed or changed again.
    let new_id = ok(&app, &s.owner, "change_payout_account", &change).await.as_i64().unwrap();
    assert_ne!(new_id, account);
    let status: String = sqlx::query_scalar("SELECT status FROM payout_accounts WHERE id = $1")
        .bind(account)
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    assert_eq!(status, "replaced");
    let (status, body) = app.call(&s.owner, "remove_payout_account", &[("id", &sid), ("password", PASSWORD)]).await;
    assert_eq!((status, body["Conflict"]["code"].as_str()), (StatusCode::CONFLICT, Some("payouts.account_not_active")));
    ok(&app, &s.owner, "remove_payout_account", &[("id", &new_id.to_string()), ("password", PASSWORD)]).await;
    assert_eq!(ok(&app, &s.owner, "my_payout_accounts", &[]).await["accounts"], serde_json::json!([]));
    let finance = app.persona("finance", &[OperatorRole::Finance]).await;
    ok(&app, &finance, "reject_payout", &protected(&id.to_string(), &[])).await;
    sound(&app).await;
    app.finish().await;
}
