//! Commission rules in the console: versions per scope created as drafts, activated by a protected,
//! audited action that retires the scope's previous active version; bad input refused by field; the
//! version in force frozen on each order line at checkout.

use crate::cart::{add, address, live, shop};
use crate::helpers::{Persona, TestApp, PASSWORD};
use agora_app::domain::permissions::OperatorRole;
use reqwest::StatusCode;
use serde_json::Value;

async fn create(app: &TestApp, who: &Persona, fields: &[(&str, &str)]) -> (StatusCode, Value) {
    app.call(who, "create_commission_rule", fields).await
}

async fn draft(app: &TestApp, who: &Persona, scope: &str, scope_id: &str, rate: &str) -> i64 {
    let (status, body) = create(
        app,
        who,
        &[
            ("scope", scope),
            ("scope_id", scope_id),
            ("rate", rate),
            ("fixed", ""),
            ("floor", ""),
            ("cap", ""),
            ("note", "test"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body.as_i64().unwrap()
}

async fn activate(app: &TestApp, who: &Persona, id: i64, password: &str) -> (StatusCode, Value) {
    app.call(
        who,
        "activate_commission_rule",
        &[("id", &id.to_string()), ("reason", "New pricing agreed with sellers"), ("password", password)],
    )
    .await
}

fn assert_invalid(status: StatusCode, body: &Value, field: &str, code: &str) {
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["Invalid"]["field"], field, "{body}");
    assert_eq!(body["Invalid"]["code"], code, "{body}");
}

async fn status_of(app: &TestApp, id: i64) -> String {
    sqlx::query_scalar("SELECT status FROM commission_rules WHERE id = $1")
        .bind(id)
        .fetch_one(app.state.db.read())
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_draft_is_activated_with_reason_and_password_and_retires_the_previous_version() {
    let app = TestApp::spawn().await;
    let finance = app.persona("finance", &[OperatorRole::Finance]).await;
    let first = app.default_commission_rule(1000).await;

    let (status, body) = create(
        &app,
        &finance,
        &[
            ("scope", "default"),
            ("rate", "12.5"),
            ("fixed", "0.30"),
            ("floor", "1"),
            ("cap", "50"),
            ("note", "Spring pricing"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let second = body.as_i64().unwrap();
    let row: (i64, i64, i64, i64, Option<i64>, String, String) = sqlx::query_as(
        "SELECT version, rate_bps, fixed_minor, floor_minor, cap_minor, status, note FROM commission_rules WHERE id = $1",
    )
    .bind(second)
    .fetch_one(app.state.db.read())
    .await
    .unwrap();
    assert_eq!(row, (2, 1250, 30, 100, Some(5000), "draft".into(), "Spring pricing".into()));
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'commission.create'").await, 1);

    // A wrong password changes nothing.
    let (status, body) = activate(&app, &finance, second, "wrong password").await;
    assert_invalid(status, &body, "password", "password.wrong");
    assert_eq!((status_of(&app, first).await, status_of(&app, second).await), ("active".into(), "draft".into()));

    let (status, body) = activate(&app, &finance, second, PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!((status_of(&app, first).await, status_of(&app, second).await), ("retired".into(), "active".into()));
    let (reason, after): (String, String) = sqlx::query_as(
        "SELECT reason, after_json FROM audit_log WHERE action = 'commission.activate' AND target_id = $1",
    )
    .bind(second.to_string())
    .fetch_one(app.state.db.read())
    .await
    .unwrap();
    assert_eq!(reason, "New pricing agreed with sellers");
    assert!(after.contains("\"status\":\"active\""), "{after}");

    // Activating it again, or a retired version, is a conflict.
    let (status, body) = activate(&app, &finance, second, PASSWORD).await;
    assert_eq!((status, body["Conflict"]["code"].as_str()), (StatusCode::CONFLICT, Some("commission.already_active")));
    let (status, body) = activate(&app, &finance, first, PASSWORD).await;
    assert_eq!((status, body["Conflict"]["code"].as_str()), (StatusCode::CONFLICT, Some("commission.retired")));

    // The list shows every version, filterable by scope and status.
    let (status, body) =
        app.call(&finance, "list_commission_rules", &[("scope", "default"), ("status", "active")]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let rows = body["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0]["id"].as_i64(), rows[0]["rate_bps"].as_i64()), (Some(second), Some(1250)));
    let (_, all) = app.call(&finance, "list_commission_rules", &[]).await;
    assert_eq!(all["rows"].as_array().unwrap().len(), 2);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_rules_are_refused_next_to_their_field_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    let finance = app.persona("finance", &[OperatorRole::Finance]).await;
    type Case = (&'static [(&'static str, &'static str)], &'static str, &'static str);
    let cases: &[Case] = &[
        (&[("scope", "default"), ("rate", "5"), ("floor", "10"), ("cap", "2")], "floor", "commission.floor_above_cap"),
        (&[("scope", "default"), ("rate", "100.5")], "rate", "commission.bad_rate"),
        (&[("scope", "default"), ("rate", "2.555")], "rate", "commission.rate_too_many_decimals"),
        (&[("scope", "default"), ("rate", "")], "rate", "commission.rate_required"),
        (&[("scope", "default"), ("rate", "5"), ("fixed", "-1")], "fixed", "money.negative"),
        (&[("scope", "default"), ("rate", "5"), ("cap", "abc")], "cap", "money.not_a_number"),
        (&[("scope", "everything"), ("rate", "5")], "scope", "commission.bad_scope"),
        (&[("scope", "default"), ("scope_id", "7"), ("rate", "5")], "scope_id", "commission.default_has_no_target"),
        (&[("scope", "seller"), ("rate", "5")], "scope_id", "commission.target_required"),
        (&[("scope", "seller"), ("scope_id", "999999"), ("rate", "5")], "scope_id", "commission.target_unknown"),
        (&[("scope", "category"), ("scope_id", "999999"), ("rate", "5")], "scope_id", "commission.target_unknown"),
    ];
    for (fields, field, code) in cases {
        let (status, body) = create(&app, &finance, fields).await;
        assert_invalid(status, &body, field, code);
    }
    let long = "x".repeat(501);
    let (status, body) = create(&app, &finance, &[("scope", "default"), ("rate", "5"), ("note", &long)]).await;
    assert_invalid(status, &body, "note", "commission.note_too_long");
    assert_eq!(app.count("SELECT COUNT(*) FROM commission_rules").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'commission.%'").await, 0);

    // Not finance: refused before anything is read.
    let support = app.persona("support", &[OperatorRole::Support]).await;
    assert_eq!(create(&app, &support, &[("scope", "default"), ("rate", "5")]).await.0, StatusCode::FORBIDDEN);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_operators_activating_the_same_draft_decide_once() {
    let app = TestApp::spawn().await;
    let a = app.persona("finance-a", &[OperatorRole::Finance]).await;
    let b = app.persona("finance-b", &[OperatorRole::Finance]).await;
    let id = draft(&app, &a, "default", "", "8").await;
    let (ra, rb) = tokio::join!(activate(&app, &a, id, PASSWORD), activate(&app, &b, id, PASSWORD));
    let mut statuses = [ra.0, rb.0];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT], "{ra:?} {rb:?}");
    assert_eq!(app.count("SELECT COUNT(*) FROM commission_rules WHERE status = 'active'").await, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'commission.activate'").await, 1);

    // Two drafts of one scope activated at once: still exactly one active version afterwards.
    let d1 = draft(&app, &a, "default", "", "9").await;
    let d2 = draft(&app, &b, "default", "", "10").await;
    let (r1, r2) = tokio::join!(activate(&app, &a, d1, PASSWORD), activate(&app, &b, d2, PASSWORD));
    assert_eq!((r1.0, r2.0), (StatusCode::OK, StatusCode::OK), "{r1:?} {r2:?}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM commission_rules WHERE status = 'active' AND scope = 'default'").await,
        1
    );
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_order_line_keeps_the_version_in_force_at_checkout() {
    let app = TestApp::spawn().await;
    let finance = app.persona("finance", &[OperatorRole::Finance]).await;
    let v1 = app.default_commission_rule(1000).await;
    let kiln = shop(&app, "Blue Kiln").await;
    let tea = shop(&app, "Tea House").await;
    let mug = live(&app, &kiln, "Mug", &[("MUG-1", 2000, 10)]).await[0];
    let leaf = live(&app, &tea, "Green tea", &[("TEA-1", 1000, 10)]).await[0];
    let buyer = app.persona("buyer", &[]).await;
    let home = address(&app, &buyer, "Li Wei").await;

    let buy = |key: &'static str| {
        let (app, buyer) = (&app, &buyer);
        async move {
            assert_eq!(add(app, buyer, mug, "1").await.0, StatusCode::OK);
            assert_eq!(add(app, buyer, leaf, "1").await.0, StatusCode::OK);
            let (status, body) = app
                .call(
                    buyer,
                    "checkout",
                    &[("idempotency_key", key), ("address_id", &home.to_string()), ("payment_method", "bank_transfer")],
                )
                .await;
            assert_eq!(status, StatusCode::OK, "{body}");
            body["checkout_id"].as_i64().unwrap()
        }
    };
    let lines = |checkout: i64| {
        let app = &app;
        async move {
            sqlx::query_as::<_, (i64, i64, i64)>(
                "SELECT o.organisation_id, l.commission_rule_id, l.commission_minor FROM order_lines l \
                 JOIN orders o ON o.id = l.order_id WHERE o.checkout_id = $1 ORDER BY o.organisation_id",
            )
            .bind(checkout)
            .fetch_all(app.state.db.read())
            .await
            .unwrap()
        }
    };

    let first = buy("key-first-checkout-0001").await;
    let expect = |kiln_rule: i64, kiln_c: i64, tea_rule: i64, tea_c: i64| {
        let mut v = vec![(kiln.org, kiln_rule, kiln_c), (tea.org, tea_rule, tea_c)];
        v.sort();
        v
    };
    assert_eq!(lines(first).await, expect(v1, 200, v1, 100));

    // A new default version and a seller-specific rule for the tea house.
    let v2 = draft(&app, &finance, "default", "", "5").await;
    assert_eq!(activate(&app, &finance, v2, PASSWORD).await.0, StatusCode::OK);
    let special = draft(&app, &finance, "seller", &tea.org.to_string(), "2").await;
    assert_eq!(activate(&app, &finance, special, PASSWORD).await.0, StatusCode::OK);
    let second = buy("key-second-checkout-0002").await;
    assert_eq!(lines(second).await, expect(v2, 100, special, 20));
    // The first checkout's lines did not move.
    assert_eq!(lines(first).await, expect(v1, 200, v1, 100));
    let (_, body) = app.call(&finance, "list_commission_rules", &[("scope", "seller")]).await;
    assert_eq!(body["rows"][0]["target_name"], "Tea House");
    app.finish().await;
}
