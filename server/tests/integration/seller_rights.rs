//! Seller member rights (`domain::seller::SellerRight`) through the real server functions: staff
//! run the shop day to day and see its money and team; moving money out (payout accounts and payout
//! requests) and the team are the owner's. The matrix checks every endpoint's right with throwaway
//! ids; these tests check the same refusals against real rows, and that a refusal changes nothing.

use crate::cart::shop;
use crate::helpers::{ok, TestApp, PASSWORD};
use reqwest::StatusCode;

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_are_refused_payout_accounts_and_payouts_and_nothing_changes() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Tea House").await;
    let staff = app.seller_staff(s.org, "staff").await;
    let account = ok(&app, &s.owner, "add_payout_account", &bank_account(PASSWORD)).await.as_i64().unwrap();
    let id = account.to_string();

    // Staff know their own password: the refusal is about the right, not the confirmation.
    assert_eq!(app.call(&staff, "add_payout_account", &bank_account(PASSWORD)).await.0, StatusCode::FORBIDDEN);
    let mut change = bank_account(PASSWORD);
    change.push(("id", &id));
    assert_eq!(app.call(&staff, "change_payout_account", &change).await.0, StatusCode::FORBIDDEN);
    let remove = [("id", id.as_str()), ("password", PASSWORD)];
    assert_eq!(app.call(&staff, "remove_payout_account", &remove).await.0, StatusCode::FORBIDDEN);
    let payout = [("idempotency_key", "rights-staff-payout-1"), ("amount", "1.00"), ("payout_account_id", id.as_str())];
    assert_eq!(app.call(&staff, "request_payout", &payout).await.0, StatusCode::FORBIDDEN);

    let accounts = app.count(&format!("SELECT COUNT(*) FROM payout_accounts WHERE organisation_id = {}", s.org)).await;
    assert_eq!(accounts, 1);
    let status: String = sqlx::query_scalar("SELECT status FROM payout_accounts WHERE id = $1")
        .bind(account)
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    assert_eq!(status, "active");
    assert_eq!(app.count("SELECT COUNT(*) FROM payouts").await, 0);

    // What staff may: read the balances, the payouts and the accounts (masked).
    let balances = ok(&app, &staff, "seller_payouts", &[]).await;
    assert_eq!(balances["is_owner"].as_bool(), Some(false));
    assert_eq!(ok(&app, &staff, "list_my_payouts", &[]).await["rows"], serde_json::json!([]));
    let seen = ok(&app, &staff, "my_payout_accounts", &[]).await;
    assert_eq!(seen["accounts"][0]["account_masked"].as_str(), Some("•••• 5678"));

    // The owner may do what staff were refused.
    let removed = app.call(&s.owner, "remove_payout_account", &remove).await;
    assert_eq!(removed.0, StatusCode::OK, "{}", removed.1);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_see_the_team_but_the_owner_alone_changes_it() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Tea House").await;
    let staff = app.seller_staff(s.org, "staff").await;
    let newcomer = app.persona("newcomer", &[]).await;

    let team = ok(&app, &staff, "my_seller_team", &[]).await;
    assert_eq!(team["my_role"], "Staff");
    let invite = [("email", newcomer.email.as_str())];
    assert_eq!(app.call(&staff, "invite_seller_staff", &invite).await.0, StatusCode::FORBIDDEN);
    let members = format!("SELECT COUNT(*) FROM organisation_members WHERE organisation_id = {}", s.org);
    assert_eq!(app.count(&members).await, 2);

    let (status, body) = app.call(&s.owner, "invite_seller_staff", &invite).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let newcomer_id = newcomer.user_id.unwrap().to_string();
    let remove = [("user_id", newcomer_id.as_str())];
    assert_eq!(app.call(&staff, "remove_seller_staff", &remove).await.0, StatusCode::FORBIDDEN);
    assert_eq!(app.count(&members).await, 3);
    let (status, body) = app.call(&s.owner, "remove_seller_staff", &remove).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(app.count(&members).await, 2);
    app.finish().await;
}
