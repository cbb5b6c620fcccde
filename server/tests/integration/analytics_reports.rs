//! The console's reports against real sales: orders bought and paid by card, shipped, confirmed, a
//! dispute decided with a partial refund. Each figure is compared with the orders, disputes and
//! ledger as stored; bad periods are refused by field.

use crate::cart::{add, address, live, shop, Shop};
use crate::helpers::{field_error, ok, Persona, TestApp, PASSWORD};
use agora_app::domain::permissions::OperatorRole;
use agora_app::platform::caller::new_token;
use reqwest::StatusCode;
use serde_json::Value;

/// Sessions end after an hour idle: time moves less than that between calls.
const MINUTE: i64 = 60_000;

/// `POST /console/analytics/{report}/export` with the page's query.
async fn report_csv(app: &TestApp, who: &Persona, report: &str, form: &[(&str, &str)]) -> reqwest::Response {
    who.client.post(app.url(&format!("/console/analytics/{report}/export"))).form(form).send().await.unwrap()
}

/// One order of one unit of `variant`, paid by card; its number.
async fn sale(app: &TestApp, buyer: &Persona, home: i64, variant: i64) -> String {
    assert_eq!(add(app, buyer, variant, "1").await.0, StatusCode::OK);
    let key = format!("report-buy-{}", &new_token()[..12]);
    let result = ok(
        app,
        buyer,
        "checkout",
        &[("idempotency_key", &key), ("address_id", &home.to_string()), ("payment_method", "sandbox")],
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
    sqlx::query_scalar("SELECT number FROM orders WHERE checkout_id = $1")
        .bind(checkout)
        .fetch_one(app.state.db.read())
        .await
        .unwrap()
}

async fn scalar(app: &TestApp, sql: &str, arg: &str) -> i64 {
    sqlx::query_scalar::<_, i64>(sql).bind(arg).fetch_one(app.state.db.read()).await.unwrap()
}

async fn ship(app: &TestApp, s: &Shop, number: &str) {
    ok(app, &s.owner, "ship_order", &[("number", number), ("carrier", "sf"), ("tracking_number", "SF1234567890")])
        .await;
}

fn row<'a>(rows: &'a Value, key: &str, value: &str) -> &'a Value {
    let same = |v: &Value| v.as_str() == Some(value) || v.as_i64().map(|n| n.to_string()).as_deref() == Some(value);
    rows.as_array().unwrap().iter().find(|r| same(&r[key])).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_reports_add_up_to_the_stored_orders_disputes_and_ledger() {
    let app = TestApp::spawn().await;
    app.default_commission_rule(1_000).await;
    let (a, b) = (shop(&app, "Tea House").await, shop(&app, "Silk Road").await);
    let va = live(&app, &a, "Oolong tea", &[("TEA-1", 2_500, 10)]).await[0];
    let vb = live(&app, &b, "Silk scarf", &[("SILK-1", 8_000, 10)]).await[0];
    let buyer = app.persona("buyer", &[]).await;
    let home = address(&app, &buyer, "Li Wei").await;
    let a1 = sale(&app, &buyer, home, va).await;
    let _a2 = sale(&app, &buyer, home, va).await;
    let b1 = sale(&app, &buyer, home, vb).await;

    // A ships its first order 50 minutes after payment; B ships and the buyer confirms (the
    // commission is earned on completion).
    app.advance(50 * MINUTE);
    ship(&app, &a, &a1).await;
    ship(&app, &b, &b1).await;
    ok(&app, &buyer, "confirm_order", &[("number", &b1)]).await;

    // A dispute on A's first order, decided 40 minutes later with 6.00 back.
    let opened = ok(
        &app,
        &buyer,
        "open_dispute",
        &[
            ("idempotency_key", "report-dispute-1"),
            ("order_number", &a1),
            ("claim", "10.00"),
            ("reason_code", "damaged"),
            ("details", "The tin arrived crushed."),
        ],
    )
    .await;
    let dispute = opened.as_i64().unwrap().to_string();
    app.advance(40 * MINUTE);
    let finance = app.persona("finance", &[OperatorRole::Finance]).await;
    ok(
        &app,
        &finance,
        "decide_dispute",
        &[
            ("id", &dispute),
            ("decision", "refund_partial"),
            ("amount", "6.00"),
            ("reason", "Photos show the tin crushed in transit"),
            ("password", PASSWORD),
            ("idempotency_key", "report-decision-1"),
        ],
    )
    .await;
    app.advance(1_000);

    let analyst = app.persona("analyst", &[OperatorRole::Analyst]).await;
    let r = ok(&app, &analyst, "revenue_figures", &[("period", "7d")]).await;
    let gross = app.count("SELECT CAST(SUM(total_minor) AS BIGINT) FROM orders WHERE paid_at IS NOT NULL").await;
    let commission = -app.count("SELECT balance_minor FROM ledger_accounts WHERE code = 'platform:commission'").await;
    let cur = &r["current"];
    assert_eq!(cur["orders"].as_i64(), Some(3));
    assert_eq!(cur["gross_minor"].as_i64(), Some(gross));
    assert_eq!(cur["refunds_minor"].as_i64(), Some(600));
    assert_eq!(cur["net_minor"].as_i64(), Some(gross - 600));
    assert!(commission > 0);
    assert_eq!(cur["commission_minor"].as_i64(), Some(commission));
    // Nothing happened the week before.
    assert_eq!(r["before"]["gross_minor"].as_i64(), Some(0));
    assert_eq!(r["before"]["orders"].as_i64(), Some(0));
    // By payment method, seller, category.
    let sandbox = row(&r["by_method"], "key", "sandbox");
    assert_eq!((sandbox["orders"].as_i64(), sandbox["gross_minor"].as_i64()), (Some(3), Some(gross)));
    let seller_a = row(&r["by_seller"], "key", &a.org.to_string());
    let gross_a = scalar(&app, "SELECT CAST(SUM(o.total_minor) AS BIGINT) FROM orders o JOIN organisations g ON g.id = o.organisation_id WHERE g.name = $1", "Tea House").await;
    assert_eq!((seller_a["orders"].as_i64(), seller_a["gross_minor"].as_i64()), (Some(2), Some(gross_a)));
    assert_eq!(seller_a["refunded_minor"].as_i64(), Some(600));
    let items = app.count("SELECT CAST(SUM(items_minor) AS BIGINT) FROM orders").await;
    let by_category: i64 =
        r["by_category"].as_array().unwrap().iter().map(|c| c["gross_minor"].as_i64().unwrap()).sum();
    assert_eq!(by_category, items);

    // The report itself as CSV: the page's figures as numbers, the export on record with its rows.
    // Finance may export; the analyst reads the reports but may not export.
    let res = report_csv(&app, &finance, "revenue", &[("period", "7d")]).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment; filename=\"agora-report-revenue-"));
    let rows = crate::exports::records(res).await;
    assert_eq!(rows[0][..6], ["section", "key", "name_en", "name_zh", "orders", "gross_minor"]);
    let period = rows.iter().find(|r| r[0] == "period").expect("the period's totals");
    assert_eq!((period[4].as_str(), period[5].as_str()), ("3", gross.to_string().as_str()));
    assert_eq!(period[6], "600");
    let seller_line = rows.iter().find(|r| r[0] == "seller" && r[1] == a.org.to_string()).expect("seller A");
    assert_eq!(seller_line[5], gross_a.to_string());
    let audited: Vec<String> = sqlx::query_scalar(
        "SELECT after_json FROM audit_log WHERE action = 'exports.create' AND target_type = 'analytics_report'",
    )
    .fetch_all(app.state.db.read())
    .await
    .unwrap();
    let after: Value = serde_json::from_str(&audited[0]).unwrap();
    assert_eq!((after["report"].as_str(), after["rows"].as_u64()), (Some("revenue"), Some(rows.len() as u64 - 1)));
    assert_eq!(report_csv(&app, &analyst, "revenue", &[]).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(report_csv(&app, &finance, "salaries", &[]).await.status(), StatusCode::NOT_FOUND);
    let bad = [("period", "custom"), ("from", "2026-03-10"), ("to", "2026-03-01")];
    assert_eq!(report_csv(&app, &finance, "sla", &bad).await.status(), StatusCode::BAD_REQUEST);
    let sla_rows = crate::exports::records(report_csv(&app, &finance, "sla", &[("period", "7d")]).await).await;
    assert_eq!(
        sla_rows.iter().map(|r| r[0].as_str()).collect::<Vec<_>>(),
        ["measure", "listing_review", "dispute_decision", "payout"]
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE target_type = 'analytics_report'").await,
        2,
        "refusals are not on record"
    );

    // Seller performance: A had one of two orders disputed, shipped one 50 minutes after payment.
    let s = ok(&app, &analyst, "seller_performance_report", &[("period", "7d")]).await;
    let perf_a = row(&s["sellers"], "seller_id", &a.org.to_string());
    assert_eq!((perf_a["orders"].as_i64(), perf_a["gmv_minor"].as_i64()), (Some(2), Some(gross_a)));
    assert_eq!((perf_a["disputed_orders"].as_i64(), perf_a["dispute_rate_bp"].as_i64()), (Some(1), Some(5_000)));
    let refunded_a = scalar(&app, "SELECT COUNT(DISTINCT r.order_id) FROM refunds r JOIN orders o ON o.id = r.order_id JOIN organisations g ON g.id = o.organisation_id WHERE g.name = $1", "Tea House").await;
    assert_eq!(perf_a["refunded_orders"].as_i64(), Some(refunded_a));
    let to_ship = scalar(&app, "SELECT shipped_at - paid_at FROM orders WHERE number = $1", &a1).await;
    assert!(to_ship >= 50 * MINUTE);
    assert_eq!(perf_a["ship"]["count"].as_i64(), Some(1));
    assert_eq!(perf_a["ship"]["median_ms"].as_i64(), Some(to_ship));
    // The seller filter narrows by name.
    let s = ok(&app, &analyst, "seller_performance_report", &[("period", "7d"), ("seller", "silk")]).await;
    assert_eq!(s["sellers"].as_array().unwrap().len(), 1);
    assert_eq!(s["sellers"][0]["seller_id"].as_i64(), Some(b.org));

    // Operations SLA: the dispute took its 40 minutes (as stored); no payout was paid.
    let sla = ok(&app, &analyst, "operations_sla_report", &[("period", "7d")]).await;
    let decided =
        scalar(&app, "SELECT decided_at - created_at FROM disputes WHERE id = CAST($1 AS BIGINT)", &dispute).await;
    assert!(decided >= 40 * MINUTE);
    assert_eq!(sla["dispute"]["count"].as_i64(), Some(1));
    assert_eq!(sla["dispute"]["median_ms"].as_i64(), Some(decided));
    assert_eq!(sla["dispute"]["p90_ms"].as_i64(), Some(decided));
    assert_eq!(sla["payout"]["count"].as_i64(), Some(0));
    assert_eq!(sla["payout"]["median_ms"], Value::Null);

    // An earlier custom period holds none of it.
    let old =
        ok(&app, &analyst, "revenue_figures", &[("period", "custom"), ("from", "2020-01-01"), ("to", "2020-01-31")])
            .await;
    assert_eq!(old["current"]["gross_minor"].as_i64(), Some(0));
    assert_eq!(old["covered"]["from"], "2020-01-01");
    app.finish().await;
}

/// A report's form and the field error it must get.
type Case<'a> = (&'a [(&'a str, &'a str)], (&'a str, &'a str));

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_period_is_refused_by_field_and_reports_need_analytics() {
    let app = TestApp::spawn().await;
    let analyst = app.persona("analyst", &[OperatorRole::Analyst]).await;
    let cases: &[Case] = &[
        (&[("period", "custom"), ("from", "2026-03-10"), ("to", "2026-03-01")], ("to", "period.ends_before_starts")),
        (&[("period", "custom"), ("from", "2020-01-01"), ("to", "2023-01-01")], ("to", "period.too_long")),
        (&[("period", "custom"), ("from", "2026-13-01"), ("to", "2026-12-01")], ("from", "period.bad_date")),
        (&[("period", "custom"), ("from", "2026-01-01")], ("to", "period.date_required")),
        (&[("period", "year")], ("period", "period.bad_preset")),
    ];
    for endpoint in ["revenue_figures", "seller_performance_report", "operations_sla_report"] {
        for (form, (field, code)) in cases {
            let (status, body) = app.call(&analyst, endpoint, form).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{endpoint} {form:?}");
            assert_eq!(field_error(&body), Some((field.to_string(), code.to_string())), "{endpoint} {form:?}");
        }
    }
    let long = "x".repeat(101);
    let (status, body) = app.call(&analyst, "seller_performance_report", &[("seller", &long)]).await;
    assert_eq!(
        (status, field_error(&body)),
        (StatusCode::BAD_REQUEST, Some(("seller".into(), "analytics_reports.seller_too_long".into())))
    );
    let support = app.persona("support", &[OperatorRole::Support]).await;
    assert_eq!(app.call(&support, "revenue_figures", &[]).await.0, StatusCode::FORBIDDEN);
    app.finish().await;
}
