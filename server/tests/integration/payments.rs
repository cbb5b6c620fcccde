//! Payments: bank transfer with proof (reject, upload again, approve -> orders paid, the ledger
//! balanced), the sandbox card (success, decline, refused when not configured), paying twice,
//! proofs of the wrong type or size, someone else's checkout (404), an expired checkout, and the
//! bank account settings (a protected change). Checkouts are made through the cart's server fns.

use crate::helpers::{field_error, Persona, TestApp, PASSWORD};
use agora_app::domain::order::PAY_WITHIN_MS;
use agora_app::domain::permissions::OperatorRole;
use agora_app::domain::upload::fixtures;
use agora_app::platform::ledger;
use reqwest::StatusCode;
use serde_json::Value;

/// Two sellers with one live listing each.
async fn two_sellers(app: &TestApp) -> [i64; 2] {
    app.default_commission_rule(1_000).await;
    let mut out = [0; 2];
    for (i, name) in ["Tea House", "Cup Works"].into_iter().enumerate() {
        let seller = app.persona("seller", &[]).await;
        app.organisation_owned_by(&seller, name).await;
        out[i] = app.live_listing(&seller, &format!("{name} special"), 5).await.1;
    }
    out
}

/// A buyer with an address who checks out one unit of each variant with `method`: (checkout id,
/// payment id, order numbers).
async fn checkout(app: &TestApp, buyer: &Persona, variants: &[i64], method: &str) -> (i64, i64, Vec<String>) {
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
    let address = body.as_i64().unwrap().to_string();
    for v in variants {
        let (status, body) = app.call(buyer, "add_to_cart", &[("variant_id", &v.to_string()), ("quantity", "1")]).await;
        assert_eq!(status, StatusCode::OK, "add_to_cart: {body}");
    }
    let key = format!("key-{}", &agora_app::platform::caller::new_token()[..16]);
    let (status, body) = app
        .call(buyer, "checkout", &[("idempotency_key", &key), ("address_id", &address), ("payment_method", method)])
        .await;
    assert_eq!(status, StatusCode::OK, "checkout: {body}");
    let numbers = body["order_numbers"].as_array().unwrap().iter().map(|n| n.as_str().unwrap().to_string()).collect();
    (body["checkout_id"].as_i64().unwrap(), body["payment_id"].as_i64().unwrap(), numbers)
}

async fn upload_proof(
    app: &TestApp,
    who: &Persona,
    payment_id: i64,
    bytes: Vec<u8>,
    name: &str,
) -> (StatusCode, Value) {
    let mime = if name.ends_with(".pdf") { "application/pdf" } else { "image/png" };
    let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()).mime_str(mime).unwrap();
    let form = reqwest::multipart::Form::new().text("payment_id", payment_id.to_string()).part("file", part);
    let res = who.client.post(app.url("/uploads/payment-proof")).multipart(form).send().await.unwrap();
    let status = res.status();
    let text = res.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

async fn my_payment(app: &TestApp, buyer: &Persona, checkout_id: i64) -> Value {
    let (status, body) = app.call(buyer, "my_payment", &[("checkout_id", &checkout_id.to_string())]).await;
    assert_eq!(status, StatusCode::OK, "my_payment: {body}");
    body
}

async fn save_bank(app: &TestApp, finance: &Persona) {
    let (status, body) = app
        .call(
            finance,
            "save_bank_account",
            &[
                ("holder", "Agora Marketplace Ltd"),
                ("bank_name", "Bank of Tests"),
                ("account_number", "6222 0000 1234 5678"),
                ("branch", "BKTSCNSH"),
                ("note", "Transfers arrive within one working day."),
                ("reason", "Initial platform account"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "save_bank_account: {body}");
}

async fn order_statuses(app: &TestApp, checkout_id: i64) -> Vec<String> {
    sqlx::query_scalar("SELECT status FROM orders WHERE checkout_id = $1 ORDER BY id")
        .bind(checkout_id)
        .fetch_all(app.state.db.read())
        .await
        .unwrap()
}

async fn notifications(app: &TestApp, user: &Persona, kind: &str) -> Vec<Value> {
    app.drain_outbox().await;
    let rows: Vec<String> =
        sqlx::query_scalar("SELECT payload_json FROM notifications WHERE user_id = $1 AND kind = $2 ORDER BY id")
            .bind(user.user_id.unwrap())
            .bind(kind)
            .fetch_all(app.state.db.read())
            .await
            .unwrap();
    rows.iter().map(|r| serde_json::from_str(r).unwrap()).collect()
}

async fn assert_ledger_sound(app: &TestApp) {
    let mut conn = app.state.db.read().acquire().await.unwrap();
    let problems = ledger::check_invariants(&mut conn).await.unwrap();
    assert!(problems.is_empty(), "ledger problems: {problems:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bank_transfer_goes_through_proof_rejection_and_approval() {
    let app = TestApp::spawn().await;
    let variants = two_sellers(&app).await;
    let finance = app.persona("finance", &[OperatorRole::Finance]).await;
    let buyer = app.persona("buyer", &[]).await;
    let (checkout_id, payment_id, numbers) = checkout(&app, &buyer, &variants, "bank_transfer").await;
    assert_eq!(numbers.len(), 2, "one order per seller");

    // Without a configured account the pay page says transfers are unavailable, and no proof is taken.
    let view = my_payment(&app, &buyer, checkout_id).await;
    assert_eq!(view["status"], "Pending");
    assert!(view["bank_account"].is_null());
    save_bank(&app, &finance).await;
    let view = my_payment(&app, &buyer, checkout_id).await;
    assert_eq!(view["bank_account"]["account_number"], "6222 0000 1234 5678");
    assert!(view["reference"].as_str().unwrap().starts_with("AGP-"));
    let amount = view["amount_minor"].as_i64().unwrap();
    assert_eq!(view["orders"].as_array().unwrap().len(), 2);

    // Finance cannot approve before there is proof.
    let (status, body) = app.call(&finance, "approve_payment", &[("id", &payment_id.to_string())]).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");

    let (status, body) = upload_proof(&app, &buyer, payment_id, fixtures::png(600, 800), "receipt.png").await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let first_proof = body["id"].as_i64().unwrap();
    assert_eq!(body["url"], format!("/proofs/{first_proof}"));
    assert_eq!(my_payment(&app, &buyer, checkout_id).await["status"], "ProofSubmitted");

    // The queue of waiting proofs has it.
    let (status, page) = app.call(&finance, "list_payments", &[("status", "proof_submitted")]).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page["rows"].as_array().unwrap().iter().any(|r| r["id"] == payment_id));
    let (status, detail) = app.call(&finance, "get_payment", &[("id", &payment_id.to_string())]).await;
    assert_eq!(status, StatusCode::OK, "{detail}");
    assert_eq!(detail["proof"]["upload_id"], first_proof);
    assert_eq!(detail["orders"].as_array().unwrap().len(), 2);

    // Reject: a reason is required; the buyer is told and may upload again.
    let (status, body) = app.call(&finance, "reject_payment", &[("id", &payment_id.to_string()), ("reason", "")]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(field_error(&body).unwrap().0, "reason");
    let reason = "The amount on the receipt does not match";
    let (status, body) =
        app.call(&finance, "reject_payment", &[("id", &payment_id.to_string()), ("reason", reason)]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let view = my_payment(&app, &buyer, checkout_id).await;
    assert_eq!(view["status"], "Rejected");
    assert_eq!(view["decision_reason"], reason);
    let told = notifications(&app, &buyer, "payments.rejected").await;
    assert_eq!(told.len(), 1);
    assert_eq!(told[0]["reason"], reason);
    assert_eq!(order_statuses(&app, checkout_id).await, ["pending_payment", "pending_payment"]);

    let (status, body) = upload_proof(&app, &buyer, payment_id, b"%PDF-1.7\nreceipt".to_vec(), "receipt.pdf").await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let second_proof = body["id"].as_i64().unwrap();
    assert_eq!(my_payment(&app, &buyer, checkout_id).await["status"], "ProofSubmitted");

    // Approve: payment approved, the money posted, every order paid, the buyer told.
    let (status, body) = app.call(&finance, "approve_payment", &[("id", &payment_id.to_string())]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(my_payment(&app, &buyer, checkout_id).await["status"], "Approved");
    assert_eq!(order_statuses(&app, checkout_id).await, ["paid", "paid"]);
    let posted = app
        .count(&format!(
            "SELECT COUNT(*) FROM ledger_postings WHERE idempotency_key = 'checkout:{checkout_id}:paid' AND kind = 'payment_received'"
        ))
        .await;
    assert_eq!(posted, 1);
    assert_eq!(app.count("SELECT balance_minor FROM ledger_accounts WHERE code = 'platform:bank'").await, amount);
    assert_ledger_sound(&app).await;
    let told = notifications(&app, &buyer, "payments.approved").await;
    assert_eq!(told.len(), 1);
    assert!(told[0]["amount"].as_str().unwrap().contains("$"));
    let audited = app
        .count(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE target_type = 'payment' AND target_id = '{payment_id}' \
             AND action IN ('payments.proof_submit', 'payments.reject', 'payments.approve')"
        ))
        .await;
    assert_eq!(audited, 4);

    // Paying twice is refused, by finance and by a late proof; nothing more is posted.
    let (status, body) = app.call(&finance, "approve_payment", &[("id", &payment_id.to_string())]).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["Conflict"]["code"], "payments.already_approved");
    let (status, body) = upload_proof(&app, &buyer, payment_id, fixtures::png(600, 800), "again.png").await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["code"], "payments.already_approved");
    let (status, _) =
        app.call(&finance, "reject_payment", &[("id", &payment_id.to_string()), ("reason", reason)]).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(app.count("SELECT COUNT(*) FROM ledger_postings WHERE kind = 'payment_received'").await, 1);

    // Proofs are served to their buyer and to finance only.
    for (who, expected) in [(&buyer, StatusCode::OK), (&finance, StatusCode::OK)] {
        let res = who.client.get(app.url(&format!("/proofs/{second_proof}"))).send().await.unwrap();
        assert_eq!(res.status(), expected);
        assert_eq!(res.headers()["cache-control"], "private, no-store");
    }
    let stranger = app.persona("stranger", &[]).await;
    let res = stranger.client.get(app.url(&format!("/proofs/{first_proof}"))).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = app.anonymous().client.get(app.url(&format!("/proofs/{first_proof}"))).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sandbox_card_succeeds_or_declines_and_pays_once() {
    let app = TestApp::spawn().await;
    let variants = two_sellers(&app).await;
    let buyer = app.persona("buyer", &[]).await;
    let (checkout_id, payment_id, _) = checkout(&app, &buyer, &variants, "sandbox").await;
    let id = checkout_id.to_string();

    let (status, body) =
        app.call(&buyer, "pay_with_sandbox", &[("checkout_id", &id), ("card_number", "4000 0000 0000 0002")]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(field_error(&body), Some(("card_number".into(), "payments.card_declined".into())));
    let (status, body) = app.call(&buyer, "pay_with_sandbox", &[("checkout_id", &id), ("card_number", "1234")]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(field_error(&body), Some(("card_number".into(), "payments.card_invalid".into())));
    assert_eq!(my_payment(&app, &buyer, checkout_id).await["status"], "Pending");
    assert_eq!(order_statuses(&app, checkout_id).await, ["pending_payment", "pending_payment"]);
    assert_eq!(app.count("SELECT COUNT(*) FROM ledger_postings").await, 0);

    // A sandbox payment takes no proof.
    let (status, _) = upload_proof(&app, &buyer, payment_id, fixtures::png(600, 800), "receipt.png").await;
    assert_eq!(status, StatusCode::CONFLICT);

    let (status, body) =
        app.call(&buyer, "pay_with_sandbox", &[("checkout_id", &id), ("card_number", "4242 4242 4242 4242")]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(my_payment(&app, &buyer, checkout_id).await["status"], "Approved");
    assert_eq!(order_statuses(&app, checkout_id).await, ["paid", "paid"]);
    assert_ledger_sound(&app).await;
    assert_eq!(notifications(&app, &buyer, "payments.approved").await.len(), 1);

    let (status, body) =
        app.call(&buyer, "pay_with_sandbox", &[("checkout_id", &id), ("card_number", "4242424242424242")]).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["Conflict"]["code"], "payments.already_approved");
    assert_eq!(app.count("SELECT COUNT(*) FROM ledger_postings WHERE kind = 'payment_received'").await, 1);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sandbox_is_refused_when_not_configured() {
    let app = TestApp::spawn_with(&[("AGORA_PAYMENT_PROVIDERS", "bank_transfer")]).await;
    let variants = two_sellers(&app).await;
    let buyer = app.persona("buyer", &[]).await;
    let (checkout_id, payment_id, _) = checkout(&app, &buyer, &variants, "bank_transfer").await;
    // As if the checkout had been made while the sandbox was still configured.
    sqlx::query("UPDATE payments SET provider = 'sandbox' WHERE id = $1")
        .bind(payment_id)
        .execute(app.state.db.read())
        .await
        .unwrap();
    let (status, body) = app
        .call(
            &buyer,
            "pay_with_sandbox",
            &[("checkout_id", &checkout_id.to_string()), ("card_number", "4242424242424242")],
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["Conflict"]["code"], "payments.provider_unavailable");
    assert_eq!(my_payment(&app, &buyer, checkout_id).await["provider_enabled"], false);
    assert_eq!(order_statuses(&app, checkout_id).await, ["pending_payment", "pending_payment"]);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn proofs_of_the_wrong_type_or_size_are_refused() {
    let app = TestApp::spawn_with(&[("AGORA_UPLOAD_MAX_DOCUMENT_BYTES", "4096")]).await;
    let variants = two_sellers(&app).await;
    let finance = app.persona("finance", &[OperatorRole::Finance]).await;
    save_bank(&app, &finance).await;
    let buyer = app.persona("buyer", &[]).await;
    let (checkout_id, payment_id, _) = checkout(&app, &buyer, &variants, "bank_transfer").await;

    let (status, body) =
        upload_proof(&app, &buyer, payment_id, b"<script>alert(1)</script>".to_vec(), "receipt.png").await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{body}");
    assert_eq!((body["field"].as_str(), body["code"].as_str()), (Some("file"), Some("upload.wrong_type")));
    let mut big = fixtures::png(600, 800);
    big.resize(10_000, 0);
    let (status, body) = upload_proof(&app, &buyer, payment_id, big, "receipt.png").await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    let (status, _) = upload_proof(&app, &buyer, payment_id, vec![], "empty.png").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, body) = upload_proof(&app, &buyer, 0, fixtures::png(60, 80), "receipt.png").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");

    assert_eq!(my_payment(&app, &buyer, checkout_id).await["status"], "Pending");
    assert_eq!(app.count("SELECT COUNT(*) FROM uploads WHERE purpose = 'payment_proof'").await, 0);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_buyer_can_neither_see_nor_pay_someone_elses_checkout() {
    let app = TestApp::spawn().await;
    let variants = two_sellers(&app).await;
    let finance = app.persona("finance", &[OperatorRole::Finance]).await;
    save_bank(&app, &finance).await;
    let buyer = app.persona("buyer", &[]).await;
    let (checkout_id, payment_id, _) = checkout(&app, &buyer, &variants, "sandbox").await;
    let other = app.persona("other", &[]).await;
    let id = checkout_id.to_string();

    let (status, _) = app.call(&other, "my_payment", &[("checkout_id", &id)]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) =
        app.call(&other, "pay_with_sandbox", &[("checkout_id", &id), ("card_number", "4242424242424242")]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = upload_proof(&app, &other, payment_id, fixtures::png(60, 80), "receipt.png").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // A buyer is no operator: the queue and the decisions are closed to them.
    let (status, _) = app.call(&other, "get_payment", &[("id", &payment_id.to_string())]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(my_payment(&app, &buyer, checkout_id).await["status"], "Pending");
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_checkout_cannot_be_paid() {
    // Finance decides after 30 idle minutes: its session must outlive them (an operator's idles out
    // at 30 by default).
    let app = TestApp::spawn_with(&[("AGORA_CONSOLE_SESSION_IDLE_MINUTES", "60")]).await;
    let variants = two_sellers(&app).await;
    let finance = app.persona("finance", &[OperatorRole::Finance]).await;
    save_bank(&app, &finance).await;
    let buyer = app.persona("buyer", &[]).await;
    let (checkout_id, payment_id, _) = checkout(&app, &buyer, &variants, "bank_transfer").await;
    let (status, body) = upload_proof(&app, &buyer, payment_id, fixtures::png(60, 80), "receipt.png").await;
    assert_eq!(status, StatusCode::CREATED, "{body}");

    // Proof waiting for finance keeps the orders open past the 30 minutes...
    app.advance(PAY_WITHIN_MS + 1);
    app.run_due_jobs().await;
    assert_eq!(order_statuses(&app, checkout_id).await, ["pending_payment", "pending_payment"]);
    assert_eq!(my_payment(&app, &buyer, checkout_id).await["expired"], false);
    // ...and once finance rejects it, the buyer has another 30 minutes to upload again, then the
    // orders cancel.
    let (status, body) = app
        .call(&finance, "reject_payment", &[("id", &payment_id.to_string()), ("reason", "Unreadable receipt")])
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    app.advance(PAY_WITHIN_MS + 1);
    app.run_due_jobs().await;
    assert_eq!(order_statuses(&app, checkout_id).await, ["cancelled", "cancelled"]);
    let view = my_payment(&app, &buyer, checkout_id).await;
    assert_eq!(view["status"], "Cancelled");
    assert_eq!(view["expired"], true);

    let (status, body) = app.call(&finance, "approve_payment", &[("id", &payment_id.to_string())]).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["Conflict"]["code"], "payments.cancelled");
    let (status, _) = upload_proof(&app, &buyer, payment_id, fixtures::png(60, 80), "late.png").await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(app.count("SELECT COUNT(*) FROM ledger_postings").await, 0);

    // A sandbox checkout past its deadline, before the timer ran: the card is refused too.
    let buyer2 = app.persona("buyer2", &[]).await;
    let (checkout2, _, _) = checkout(&app, &buyer2, &variants, "sandbox").await;
    app.advance(PAY_WITHIN_MS + 1);
    let (status, body) = app
        .call(
            &buyer2,
            "pay_with_sandbox",
            &[("checkout_id", &checkout2.to_string()), ("card_number", "4242424242424242")],
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["Conflict"]["code"], "payments.checkout_expired");
    app.run_due_jobs().await;
    assert_ledger_sound(&app).await;
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bank_account_is_a_protected_audited_setting() {
    let app = TestApp::spawn().await;
    let finance = app.persona("finance", &[OperatorRole::Finance]).await;
    let support = app.persona("support", &[OperatorRole::Support]).await;
    let fields = |reason: &'static str, password: &'static str| {
        vec![
            ("holder", "Agora Marketplace Ltd"),
            ("bank_name", "Bank of Tests"),
            ("account_number", "6222 0000 1234 5678"),
            ("reason", reason),
            ("password", password),
        ]
    };
    let (status, body) = app.call(&finance, "save_bank_account", &fields("", PASSWORD)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(field_error(&body).unwrap().0, "reason");
    let (status, body) =
        app.call(&finance, "save_bank_account", &fields("Initial platform account", "wrong password")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(field_error(&body).unwrap().0, "password");
    let mut bad = fields("Initial platform account", PASSWORD);
    bad[2] = ("account_number", "12<script>");
    let (status, body) = app.call(&finance, "save_bank_account", &bad).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(field_error(&body), Some(("account_number".into(), "payments.bank.bad_account_number".into())));
    let (status, _) = app.call(&support, "save_bank_account", &fields("Initial platform account", PASSWORD)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(app.count("SELECT COUNT(*) FROM platform_settings").await, 0);

    let (status, body) = app.call(&finance, "save_bank_account", &fields("Initial platform account", PASSWORD)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = app.call(&finance, "save_bank_account", &fields("Same again", PASSWORD)).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let (status, view) = app.call(&finance, "payment_settings", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(view["bank_account"]["holder"], "Agora Marketplace Ltd");
    assert_eq!(view["updated_by"], finance.email.as_str());
    let audited = app
        .count("SELECT COUNT(*) FROM audit_log WHERE action = 'payment_settings.bank_account' AND reason = 'Initial platform account'")
        .await;
    assert_eq!(audited, 1);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_operators_approving_at_once_approve_once() {
    let app = TestApp::spawn().await;
    let variants = two_sellers(&app).await;
    let finance = app.persona("finance", &[OperatorRole::Finance]).await;
    let finance2 = app.persona("finance2", &[OperatorRole::Finance]).await;
    save_bank(&app, &finance).await;
    let buyer = app.persona("buyer", &[]).await;
    let (checkout_id, payment_id, _) = checkout(&app, &buyer, &variants, "bank_transfer").await;
    let (status, body) = upload_proof(&app, &buyer, payment_id, fixtures::png(60, 80), "receipt.png").await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let id = payment_id.to_string();
    let form = [("id", id.as_str())];
    let (a, b) =
        tokio::join!(app.call(&finance, "approve_payment", &form), app.call(&finance2, "approve_payment", &form));
    let mut statuses = [a.0, b.0];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT], "{} / {}", a.1, b.1);
    assert_eq!(order_statuses(&app, checkout_id).await, ["paid", "paid"]);
    assert_eq!(app.count("SELECT COUNT(*) FROM ledger_postings WHERE kind = 'payment_received'").await, 1);
    assert_ledger_sound(&app).await;
    app.finish().await;
}

/// An approval pays every order of a checkout in one statement per table: each seller's people
/// (owner and staff, once each) hear of their own order only, each seller's endpoint gets its own
/// order, every order has its timeline row, its unpaid timer cancelled and its overdue timer.
#[tokio::test]
async fn an_approval_tells_each_seller_of_its_own_order_only() {
    let app = TestApp::spawn_with(&[("AGORA_WEBHOOK_ALLOW_PRIVATE_TARGETS", "true")]).await;
    app.default_commission_rule(1_000).await;
    let (mut sellers, mut variants, mut staff) = (vec![], vec![], vec![]);
    for name in ["Tea House", "Cup Works"] {
        let owner = app.persona("seller", &[]).await;
        let org = app.organisation_owned_by(&owner, name).await;
        variants.push(app.live_listing(&owner, &format!("{name} special"), 5).await.1);
        staff.push(app.seller_staff(org, "staff").await);
        let (status, body) = app
            .call(&owner, "create_webhook_endpoint", &[("url", "http://127.0.0.1:9/hook"), ("description", "t")])
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        sellers.push((owner, body["endpoint_id"].as_i64().unwrap()));
    }
    let finance = app.persona("finance", &[OperatorRole::Finance]).await;
    let buyer = app.persona("buyer", &[]).await;
    let (checkout_id, payment_id, numbers) = checkout(&app, &buyer, &variants, "bank_transfer").await;
    save_bank(&app, &finance).await;
    let (status, body) = upload_proof(&app, &buyer, payment_id, fixtures::png(600, 800), "receipt.png").await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body) = app.call(&finance, "approve_payment", &[("id", &payment_id.to_string())]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(order_statuses(&app, checkout_id).await, ["paid", "paid"]);

    for (i, ((owner, endpoint), staff)) in sellers.iter().zip(&staff).enumerate() {
        for person in [owner, staff] {
            let told = notifications(&app, person, "orders.paid").await;
            assert_eq!(told, vec![serde_json::json!({ "number": numbers[i] })], "seller {i}");
        }
        let hooks: Vec<String> = sqlx::query_scalar(
            "SELECT payload_json FROM outbox WHERE channel = 'webhook' AND event_type = 'orders.paid' AND endpoint_id = $1",
        )
        .bind(endpoint)
        .fetch_all(app.state.db.read())
        .await
        .unwrap();
        assert_eq!(hooks.len(), 1, "seller {i}: {hooks:?}");
        let hook: Value = serde_json::from_str(&hooks[0]).unwrap();
        assert_eq!(
            (hook["data"]["number"].as_str(), hook["data"]["status"].as_str()),
            (Some(numbers[i].as_str()), Some("paid"))
        );
    }
    let per_order = |sql: &str| format!("SELECT COUNT(*) FROM orders o WHERE o.checkout_id = {checkout_id} AND {sql}");
    let timeline = per_order(
        "EXISTS (SELECT 1 FROM order_events e WHERE e.order_id = o.id AND e.action = 'pay' AND e.to_status = 'paid')",
    );
    assert_eq!(app.count(&timeline).await, 2);
    let unpaid = per_order("EXISTS (SELECT 1 FROM jobs j WHERE j.target_id = o.id AND j.kind = 'order.cancel_unpaid' AND j.status = 'cancelled')");
    assert_eq!(app.count(&unpaid).await, 2);
    let overdue = per_order("EXISTS (SELECT 1 FROM jobs j WHERE j.target_id = o.id AND j.kind = 'order.flag_overdue' AND j.status = 'pending' AND j.due_at = o.ship_by)");
    assert_eq!(app.count(&overdue).await, 2);
    // Nothing listens at the endpoints' address: their messages are set aside, not retried for days.
    let mut tx = app.state.db.begin().await.unwrap();
    sqlx::query("UPDATE outbox SET status = 'failed' WHERE channel = 'webhook'").execute(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
    app.finish().await;
}
