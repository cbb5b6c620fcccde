//! The command center through its server functions, over orders, payments, refunds, disputes and
//! ledger postings made by the real services: the KPI figures' values for a period and the period
//! before it, split at the platform's local midnight (UTC+8 here, so two orders on one UTC day fall
//! on two local days); the trends by day; today's work (counts, oldest ages, SLA pressure as the
//! clock moves); only the queues a role may open, no KPIs without analytics; bad periods refused by
//! field.

use crate::cart::{add, address, live, shop as new_shop, Shop};
use crate::helpers::{field_error, fresh, ok, Persona, TestApp};
use crate::refunds::ask as refund_ask;
use agora_app::domain::kpi::Figure;
use agora_app::domain::period::{format_date, local_day_start, DAY_MS};
use agora_app::domain::permissions::OperatorRole;
use reqwest::StatusCode;
use serde_json::Value;

const HOUR: i64 = 3_600_000;
/// UTC+8: the platform's local midnight is 16:00 UTC.
const OFFSET: i32 = 480;

async fn spawn() -> TestApp {
    TestApp::spawn_with(&[("AGORA_UTC_OFFSET_MINUTES", "480")]).await
}

/// Moves the clock to `hour` (local) of the local day `day` days after the one holding `origin`.
fn advance_to(app: &TestApp, origin: i64, day: i64, hour: i64) -> i64 {
    let target = local_day_start(origin, OFFSET) + day * DAY_MS + hour * HOUR;
    let now = app.state.now_ms();
    assert!(target > now, "the clock only moves forward");
    app.advance(target - now);
    target
}

/// Buys `qty` mugs at 25.00 from `shop` and pays by sandbox card now; returns (number, id).
async fn paid_order(app: &TestApp, shop: &Shop, buyer: &Persona, qty: &str, key: &str) -> (String, i64) {
    let mug = live(app, shop, &format!("Mug {key}"), &[(&format!("MUG-{key}"), 2500, 10)]).await[0];
    let home = address(app, buyer, "Li Wei").await;
    assert_eq!(add(app, buyer, mug, qty).await.0, StatusCode::OK);
    let result = ok(
        app,
        buyer,
        "checkout",
        &[("idempotency_key", key), ("address_id", &home.to_string()), ("payment_method", "sandbox")],
    )
    .await;
    let checkout = result["checkout_id"].as_i64().unwrap().to_string();
    ok(app, buyer, "pay_with_sandbox", &[("checkout_id", &checkout), ("card_number", "4242 4242 4242 4242")]).await;
    sqlx::query_as("SELECT number, id FROM orders WHERE checkout_id = $1")
        .bind(result["checkout_id"].as_i64().unwrap())
        .fetch_one(app.state.db.read())
        .await
        .unwrap()
}

async fn order_i64(app: &TestApp, id: i64, column: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT {column} FROM orders WHERE id = $1"))
        .bind(id)
        .fetch_one(app.state.db.read())
        .await
        .unwrap()
}

fn figure(kpis: &Value, name: &str) -> Figure {
    serde_json::from_value(kpis[name].clone()).unwrap_or_else(|e| panic!("{name}: {e} in {kpis}"))
}

async fn kpis(app: &TestApp, who: &Persona, form: &[(&str, &str)]) -> Value {
    ok(app, who, "command_center_kpis", form).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kpis_are_measured_from_orders_and_the_ledger_against_the_previous_local_day() {
    let app = spawn().await;
    app.default_commission_rule(1000).await;
    let origin = app.state.now_ms();
    let shop = new_shop(&app, "Blue Kiln").await;
    let buyer = app.persona("buyer", &[]).await;

    // Day 1, 23:00 local (15:00 UTC): order A. A second seller is activated that day.
    advance_to(&app, origin, 1, 23);
    let buyer = fresh(&app, &buyer).await;
    let (number_a, a) = paid_order(&app, &shop, &buyer, "2", "kpi-order-a").await;
    new_shop(&app, "Green Kiln").await;

    // Day 2, 01:00 local (17:00 UTC, the same UTC day as A): order B, shipped and confirmed (the
    // commission is earned), then partly refunded; A's refund is refused and escalated to a dispute;
    // a new buyer signs up.
    let day2 = advance_to(&app, origin, 2, 1);
    let (buyer, owner) = (fresh(&app, &buyer).await, fresh(&app, &shop.owner).await);
    let (number_b, b) = paid_order(&app, &shop, &buyer, "3", "kpi-order-b").await;
    ok(&app, &owner, "ship_order", &[("number", &number_b), ("carrier", "sf"), ("tracking_number", "SF1234567890")])
        .await;
    ok(&app, &buyer, "confirm_order", &[("number", &number_b)]).await;
    let refund_b = refund_ask(&app, &buyer, &number_b, "10.00").await;
    ok(&app, &owner, "accept_refund", &[("id", &refund_b.to_string())]).await;
    let refund_a = refund_ask(&app, &buyer, &number_a, "5.00").await;
    ok(&app, &owner, "refuse_refund", &[("id", &refund_a.to_string()), ("reason", "The mug left us intact")]).await;
    ok(&app, &buyer, "escalate_refund", &[("id", &refund_a.to_string())]).await;
    app.persona("new-buyer", &[]).await;

    let analyst = app.persona("analyst", &[OperatorRole::Analyst]).await;
    let day = format_date(day2, OFFSET);
    let k = kpis(&app, &analyst, &[("period", "custom"), ("from", &day), ("to", &day)]).await;
    assert_eq!((k["from"].as_str(), k["to"].as_str()), (Some(day.as_str()), Some(day.as_str())));
    assert_eq!(k["previous_to"].as_str(), Some(format_date(day2 - DAY_MS, OFFSET).as_str()));

    let (total_a, total_b) = (order_i64(&app, a, "total_minor").await, order_i64(&app, b, "total_minor").await);
    assert_eq!((total_a, total_b), (5_500, 8_000), "2 and 3 mugs at 25.00, 5.00 shipping");
    assert_eq!(figure(&k, "gmv"), Figure::new(total_b, total_a), "by local day of payment");
    assert_eq!(figure(&k, "gmv").change_bp(), Some(4_545), "8,000 against 5,500: +45.45%");
    assert_eq!(figure(&k, "paid_orders"), Figure::new(1, 1));
    assert_eq!(figure(&k, "active_sellers"), Figure::new(1, 1));
    // B's commission, 10% of its 75.00 of items, less what the 10.00 refund reversed.
    let reversed: i64 = sqlx::query_scalar("SELECT commission_reversed_minor FROM refunds WHERE id = $1")
        .bind(refund_b)
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    assert_eq!(order_i64(&app, b, "commission_minor").await, 750);
    assert!(reversed > 0);
    assert_eq!(figure(&k, "commission"), Figure::new(750 - reversed, 0));
    assert_eq!(figure(&k, "refunds"), Figure::new(1_000, 0));
    assert_eq!(figure(&k, "disputes"), Figure::new(1, 0));
    // Sign-ups: the new buyer and the analyst today; Green Kiln's owner yesterday.
    assert_eq!(figure(&k, "new_buyers"), Figure::new(2, 1));
    assert_eq!(figure(&k, "new_sellers"), Figure::new(0, 1));
    assert_eq!(figure(&k, "new_sellers").change_bp(), Some(-10_000));
    assert_eq!(figure(&k, "payouts_paid"), Figure::new(0, 0));

    // In UTC both orders were paid on the same day: the split above is the local midnight's.
    let utc_day = format_date(day2, 0);
    assert_eq!(format_date(day2 - 2 * HOUR, 0), utc_day, "A and B share a UTC day");

    // The trends by local day: the last two days hold A and B.
    let t = ok(&app, &analyst, "command_center_trends", &[("days", "7")]).await;
    let series = |name: &str| -> Vec<i64> { serde_json::from_value(t[name].clone()).unwrap() };
    assert_eq!(t["dates"][6].as_str(), Some(day.as_str()));
    assert_eq!(series("orders"), vec![0, 0, 0, 0, 0, 1, 1]);
    assert_eq!(series("gmv"), vec![0, 0, 0, 0, 0, total_a, total_b]);
    assert_eq!(series("refunds"), vec![0, 0, 0, 0, 0, 0, 1_000]);
    assert_eq!(ok(&app, &analyst, "command_center_trends", &[]).await["dates"].as_array().unwrap().len(), 30);

    // "Today" is local day 2 so far; "7 days" holds both orders, against nothing before.
    let today = kpis(&app, &analyst, &[("period", "today")]).await;
    assert_eq!(figure(&today, "paid_orders"), Figure::new(1, 1), "the hour before the local midnight holds A");
    let week = kpis(&app, &analyst, &[]).await;
    assert_eq!(figure(&week, "gmv"), Figure::new(total_a + total_b, 0), "7 days by default");

    // The same figures through the quarter-hour rollups, an hour on: the rollup changes no figure.
    app.advance(HOUR);
    let analyst = fresh(&app, &analyst).await;
    let yesterday = format_date(day2 - DAY_MS, OFFSET);
    let forms: [&[(&str, &str)]; 5] = [
        &[("period", "custom"), ("from", &day), ("to", &day)],
        &[("period", "custom"), ("from", &yesterday), ("to", &day)],
        &[("period", "today")],
        &[("period", "7d")],
        &[("period", "30d")],
    ];
    let mut stored = vec![];
    for form in forms {
        stored.push(kpis(&app, &analyst, form).await);
    }
    let trends = ok(&app, &analyst, "command_center_trends", &[("days", "7")]).await;
    assert_eq!(app.count("SELECT COUNT(*) FROM kpi_buckets").await, 0, "nothing rolled up yet");
    app.roll_up_kpis().await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM kpi_buckets WHERE figure = 'gmv'").await,
        2,
        "A and B, each in its quarter hour"
    );
    for (form, before) in forms.into_iter().zip(&stored) {
        assert_eq!(&kpis(&app, &analyst, form).await, before, "{form:?} through the rollups");
    }
    assert_eq!(ok(&app, &analyst, "command_center_trends", &[("days", "7")]).await, trends);
    // Caught up, a second rollup appends nothing; an order paid since is read from the stored rows.
    app.roll_up_kpis().await;
    assert_eq!(app.count("SELECT COUNT(*) FROM kpi_buckets WHERE figure = 'gmv'").await, 2);
    let buyer = fresh(&app, &buyer).await;
    let (_, c) = paid_order(&app, &shop, &buyer, "1", "kpi-order-c").await;
    let total_c = order_i64(&app, c, "total_minor").await;
    let today = kpis(&app, &analyst, &[("period", "today")]).await;
    assert_eq!(figure(&today, "gmv"), Figure::new(total_b + total_c, total_a));
    app.finish().await;
}

fn queue<'a>(work: &'a Value, name: &str) -> Option<&'a Value> {
    work["queues"].as_array().unwrap().iter().find(|q| q["queue"] == name)
}

fn queue_names(work: &Value) -> Vec<String> {
    work["queues"].as_array().unwrap().iter().map(|q| q["queue"].as_str().unwrap().to_string()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn todays_work_counts_each_queue_ages_its_oldest_item_and_feels_the_sla() {
    let app = spawn().await;
    app.default_commission_rule(1000).await;
    let shop = new_shop(&app, "Blue Kiln").await;
    let buyer = app.persona("buyer", &[]).await;
    let finance = app.persona("finance", &[OperatorRole::Finance]).await;

    let work = ok(&app, &finance, "command_center_work", &[]).await;
    let refunds = queue(&work, "RefundsAwaitingSeller").expect("finance sees refunds");
    assert_eq!((refunds["count"].as_i64(), refunds["pressure"].as_str()), (Some(0), Some("Clear")));
    assert_eq!(refunds["oldest_at_ms"], Value::Null);

    let (number, _) = paid_order(&app, &shop, &buyer, "1", "work-order").await;
    let refund = refund_ask(&app, &buyer, &number, "5.00").await;
    let asked_at: i64 = sqlx::query_scalar("SELECT created_at FROM refunds WHERE id = $1")
        .bind(refund)
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    let pressure = |work: &Value| {
        let q = queue(work, "RefundsAwaitingSeller").unwrap().clone();
        (q["count"].as_i64().unwrap(), q["overdue"].as_i64().unwrap(), q["pressure"].as_str().unwrap().to_string())
    };
    let work = ok(&app, &finance, "command_center_work", &[]).await;
    assert_eq!(pressure(&work), (1, 0, "Ok".to_string()), "48 hours to answer");
    assert_eq!(queue(&work, "RefundsAwaitingSeller").unwrap()["oldest_at_ms"].as_i64(), Some(asked_at));

    // 37 hours on, 11 are left of the 48: the last quarter.
    app.advance(37 * HOUR);
    let finance = fresh(&app, &finance).await;
    let work = ok(&app, &finance, "command_center_work", &[]).await;
    assert_eq!(pressure(&work), (1, 0, "DueSoon".to_string()));
    let age = work["now_ms"].as_i64().unwrap() - asked_at;
    assert!((37 * HOUR..38 * HOUR).contains(&age), "the age is measured from now: {age}");

    // Past the deadline, before the escalation timer runs: overdue.
    app.advance(12 * HOUR);
    let finance = fresh(&app, &finance).await;
    let work = ok(&app, &finance, "command_center_work", &[]).await;
    assert_eq!(pressure(&work), (1, 1, "Overdue".to_string()));
    // The refund queue at its escalation: it becomes a dispute, within its SLA.
    app.run_due_jobs().await;
    let work = ok(&app, &finance, "command_center_work", &[]).await;
    assert_eq!(pressure(&work), (0, 0, "Clear".to_string()));
    let disputes = queue(&work, "Disputes").unwrap();
    assert_eq!((disputes["count"].as_i64(), disputes["pressure"].as_str()), (Some(1), Some("Ok")));

    // Finance's queues, in the page's order; a reviewer's are the catalog's, with no KPIs.
    assert_eq!(
        queue_names(&work),
        ["SellerApplications", "PaymentsAwaitingApproval", "RefundsAwaitingSeller", "Disputes", "PayoutsToReview"],
    );
    let reviewer = app.persona("reviewer", &[OperatorRole::Reviewer]).await;
    let work = ok(&app, &reviewer, "command_center_work", &[]).await;
    assert_eq!(queue_names(&work), ["SellerApplications", "ListingReviews", "ReportsAndAppeals"]);
    assert_eq!(app.call(&reviewer, "command_center_kpis", &[]).await.0, StatusCode::FORBIDDEN);
    assert_eq!(app.call(&reviewer, "command_center_trends", &[]).await.0, StatusCode::FORBIDDEN);
    let buyer = fresh(&app, &buyer).await;
    assert_eq!(app.call(&buyer, "command_center_work", &[]).await.0, StatusCode::FORBIDDEN);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_periods_are_refused_by_field() {
    let app = spawn().await;
    let analyst = app.persona("analyst", &[OperatorRole::Analyst]).await;
    let refused = |form: &'static [(&'static str, &'static str)], field: &'static str, code: &'static str| {
        let (app, analyst) = (&app, &analyst);
        async move {
            let (status, body) = app.call(analyst, "command_center_kpis", form).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{form:?}: {body}");
            assert_eq!(field_error(&body), Some((field.to_string(), code.to_string())), "{form:?}");
        }
    };
    refused(&[("period", "custom"), ("from", "2026-11-30"), ("to", "2026-11-01")], "to", "period.ends_before_starts")
        .await;
    refused(&[("period", "custom"), ("from", "2024-01-01"), ("to", "2026-01-01")], "to", "period.too_long").await;
    refused(&[("period", "custom"), ("from", "2026-02-30"), ("to", "2026-03-01")], "from", "period.bad_date").await;
    refused(&[("period", "custom"), ("from", "2026-02-01")], "to", "period.date_required").await;
    refused(&[("period", "week")], "period", "period.bad_preset").await;
    let (status, body) = app.call(&analyst, "command_center_trends", &[("days", "14")]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(field_error(&body), Some(("trend".to_string(), "command_center.bad_trend".to_string())));
    app.finish().await;
}

/// Launch readiness's blockers are a queue of their own for whoever may open readiness: the count the
/// readiness page measures at the same moment, and one fewer once a blocker is fixed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readiness_blockers_are_a_queue_for_those_who_may_open_readiness() {
    let app = spawn().await;
    let tech = app.persona("tech", &[OperatorRole::Tech]).await;
    let blockers =
        |work: &Value| queue(work, "ReadinessBlockers").expect("tech sees readiness")["count"].as_i64().unwrap();
    let measured = |report: &Value| report["summary"]["blockers"].as_i64().unwrap();

    let work = ok(&app, &tech, "command_center_work", &[]).await;
    let report = ok(&app, &tech, "get_readiness", &[]).await;
    assert!(measured(&report) > 0, "a fresh platform has blockers (no commission rule): {report}");
    assert_eq!(blockers(&work), measured(&report));
    assert_eq!(queue(&work, "ReadinessBlockers").unwrap()["pressure"], "Overdue");

    // The default commission rule is one of them: fixing it takes one off the queue.
    app.default_commission_rule(1000).await;
    let work = ok(&app, &tech, "command_center_work", &[]).await;
    assert_eq!(blockers(&work), measured(&report) - 1);

    // Finance may not open readiness: no such queue for them.
    let finance = app.persona("finance", &[OperatorRole::Finance]).await;
    let work = ok(&app, &finance, "command_center_work", &[]).await;
    assert!(queue(&work, "ReadinessBlockers").is_none());
    app.finish().await;
}
