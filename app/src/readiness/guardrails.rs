//! Launch readiness's production guardrails: what only a development or test install should have.

use crate::domain::readiness::{fact, rules, Area, CheckDef, Measured};
use crate::error::{AppError, Context};
use crate::platform::state::AppState;

static ENVIRONMENT: CheckDef =
    CheckDef { id: "guardrails.environment", area: Area::Guardrails, link: None, setting: Some("environment") };
static CLOCK: CheckDef =
    CheckDef { id: "guardrails.clock_control", area: Area::Guardrails, link: None, setting: Some("clock_control") };
static DEMO_DATA: CheckDef =
    CheckDef { id: "guardrails.demo_data", area: Area::Guardrails, link: Some("/console/users"), setting: None };
static DEBUG: CheckDef =
    CheckDef { id: "guardrails.debug_endpoints", area: Area::Guardrails, link: None, setting: Some("clock_control") };
static HEADERS: CheckDef =
    CheckDef { id: "guardrails.security_headers", area: Area::Guardrails, link: None, setting: Some("public_url") };

pub static CHECKS: &[&CheckDef] = &[&ENVIRONMENT, &CLOCK, &DEMO_DATA, &DEBUG, &HEADERS];

/// Agora has no demo-data loader; what would betray test data in production is the accounts the
/// end-to-end fixtures and the benchmarks create, with their published passwords. Looked up by
/// address (the unique index on users.email), never by scanning users; a banned one cannot sign in.
pub const KNOWN_TEST_ACCOUNTS: [&str; 4] =
    ["admin@agora.test", "bench-admin@example.test", "bench-seller@example.test", "signin-bench@example.test"];

pub async fn measure(state: &AppState) -> Result<Vec<Measured>, AppError> {
    let s = state.settings();
    let test_accounts: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE email IN ($1, $2, $3, $4) AND status = 'active'")
            .bind(KNOWN_TEST_ACCOUNTS[0])
            .bind(KNOWN_TEST_ACCOUNTS[1])
            .bind(KNOWN_TEST_ACCOUNTS[2])
            .bind(KNOWN_TEST_ACCOUNTS[3])
            .fetch_one(state.db.read())
            .await
            .context("looking for the test fixtures' accounts")?;
    let headers: Vec<&str> = state.http.security_headers.iter().map(|(name, _)| *name).collect();
    let https = s.public_url.starts_with("https://");
    let on_off = |b: bool| if b { "on" } else { "off" };
    let list = |v: &[&str]| if v.is_empty() { "-".to_string() } else { v.join(", ") };
    Ok(vec![
        ENVIRONMENT.measured(
            rules::environment(s.production),
            vec![fact("readiness.fact.environment", if s.production { "production" } else { "development" })],
        ),
        CLOCK.measured(
            rules::clock_control(s.clock_control),
            vec![fact("readiness.fact.clock_control", on_off(s.clock_control))],
        ),
        DEMO_DATA.measured(rules::demo_data(test_accounts), vec![fact("readiness.fact.test_accounts", test_accounts)]),
        DEBUG.measured(
            rules::debug_endpoints(state.http.dev_routes.len()),
            vec![fact("readiness.fact.dev_routes", list(&state.http.dev_routes))],
        ),
        HEADERS
            .measured(rules::security_headers(&headers, https), vec![fact("readiness.fact.headers", list(&headers))]),
    ])
}
