//! Launch readiness's trust thresholds: live listings, active sellers and completed orders against
//! the configured targets. Each count stops at its target (`LIMIT` inside), so with a million
//! listings it reads at most `target` index entries: the evidence says "at least" past that.

use crate::domain::readiness::{fact, rules, Area, CheckDef, Measured};
use crate::error::{AppError, Context};
use crate::platform::state::AppState;

static LISTINGS: CheckDef = CheckDef {
    id: "trust.listings",
    area: Area::Trust,
    link: Some("/console/reviews"),
    setting: Some("readiness_target_listings"),
};
static SELLERS: CheckDef = CheckDef {
    id: "trust.sellers",
    area: Area::Trust,
    link: Some("/console/sellers"),
    setting: Some("readiness_target_sellers"),
};
static ORDERS: CheckDef = CheckDef {
    id: "trust.orders",
    area: Area::Trust,
    link: Some("/console/orders"),
    setting: Some("readiness_target_orders"),
};

pub static CHECKS: &[&CheckDef] = &[&LISTINGS, &SELLERS, &ORDERS];

pub async fn measure(state: &AppState) -> Result<Vec<Measured>, AppError> {
    let t = state.settings().readiness_targets;
    // listings_browse (status, ...), organisations_kind_status, orders_status.
    let listings = count_up_to(state, "SELECT 1 FROM listings WHERE status = 'active'", t.live_listings).await?;
    let sellers =
        count_up_to(state, "SELECT 1 FROM organisations WHERE kind = 'seller' AND status = 'active'", t.active_sellers)
            .await?;
    let orders = count_up_to(state, "SELECT 1 FROM orders WHERE status = 'completed'", t.completed_orders).await?;
    let measured = |def: &'static CheckDef, n: i64, target: i64| {
        def.measured(
            rules::threshold(n, target),
            vec![
                fact("readiness.fact.counted", if n >= target { format!("≥ {n}") } else { n.to_string() }),
                fact("readiness.fact.target", target),
            ],
        )
    };
    Ok(vec![
        measured(&LISTINGS, listings, t.live_listings),
        measured(&SELLERS, sellers, t.active_sellers),
        measured(&ORDERS, orders, t.completed_orders),
    ])
}

async fn count_up_to(state: &AppState, rows: &str, target: i64) -> Result<i64, AppError> {
    sqlx::query_scalar(&format!("SELECT COUNT(*) FROM ({rows} LIMIT $1) AS t"))
        .bind(target)
        .fetch_one(state.db.read())
        .await
        .context("counting toward a trust threshold")
}
