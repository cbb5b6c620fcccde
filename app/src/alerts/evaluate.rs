//! The evaluation job (`alerts.evaluate`): every minute while an enabled rule exists, each enabled
//! rule is measured (`observe`) and decided (`domain::alerts::decide`): a firing rule opens an
//! incident and tells its recipients, or counts on its unresolved incident; a silenced one only
//! keeps its measured value. One job chain serves every server process (the jobs table leases each
//! run to one worker); the run schedules the next one.

use super::incidents;
use super::observe::measure;
use crate::domain::alerts::{breaches, decide, silenced, Metric, Outcome, RuleInput, Severity, EVALUATE_EVERY_MS};
use crate::error::{AppError, Context};
use crate::platform::change::Change;
use crate::platform::jobs;
use crate::platform::outbox::OutboxEvent;
use crate::platform::state::AppState;
use crate::webhooks::publish;
use serde_json::json;
use sqlx::Row;
use std::collections::HashMap;

pub const EVALUATE_JOB: &str = "alerts.evaluate";
/// Failed sign-ins are kept this long for the alerts and the risk desk.
const KEEP_SIGN_IN_FAILURES_MS: i64 = 7 * 24 * 3_600_000;

/// Schedules an evaluation a minute from now unless one is pending (inside the caller's change).
pub async fn ensure_scheduled(c: &mut Change) -> Result<(), AppError> {
    let pending: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE kind = $1 AND status = 'pending'")
        .bind(EVALUATE_JOB)
        .fetch_one(c.conn())
        .await?;
    if pending == 0 {
        let now = c.now_ms();
        jobs::schedule(c.conn(), now, EVALUATE_JOB, 0, now + EVALUATE_EVERY_MS).await?;
    }
    Ok(())
}

/// An enabled rule as the job reads it.
struct Rule {
    id: i64,
    input: RuleInput,
    silenced_until: Option<i64>,
}

async fn enabled_rules(state: &AppState) -> Result<Vec<Rule>, AppError> {
    let rows = sqlx::query(
        "SELECT id, name, metric, threshold, window_minutes, severity, notify_operators, notify_webhook, notify_emails, \
         silenced_until FROM alert_rules WHERE enabled = 1 ORDER BY id LIMIT 100",
    )
    .fetch_all(state.db.read())
    .await
    .context("reading the alert rules")?;
    let mut rules = vec![];
    for r in rows {
        // A rule whose metric this build no longer knows is skipped, not fatal to the others.
        let (Some(metric), Some(severity)) =
            (Metric::parse(&r.try_get::<String, _>("metric")?), Severity::parse(&r.try_get::<String, _>("severity")?))
        else {
            continue;
        };
        let emails: String = r.try_get("notify_emails")?;
        rules.push(Rule {
            id: r.try_get("id")?,
            input: RuleInput {
                name: r.try_get("name")?,
                metric,
                threshold: r.try_get("threshold")?,
                window_minutes: r.try_get("window_minutes")?,
                severity,
                notify_operators: r.try_get::<i64, _>("notify_operators")? != 0,
                notify_webhook: r.try_get::<i64, _>("notify_webhook")? != 0,
                emails: emails.split(',').filter(|e| !e.is_empty()).map(str::to_string).collect(),
            },
            silenced_until: r.try_get("silenced_until")?,
        });
    }
    Ok(rules)
}

/// One run: evaluates every enabled rule, then schedules the next run. A rule that cannot be
/// measured is logged and skipped; the next run tries again.
pub async fn run(state: &AppState) -> Result<(), AppError> {
    let rules = enabled_rules(state).await?;
    let mut measured: HashMap<(Metric, i64), i64> = HashMap::new();
    for rule in &rules {
        let key = (rule.input.metric, rule.input.window_minutes);
        let value = match measured.get(&key) {
            Some(v) => *v,
            None => match measure(state, key.0, key.1).await {
                Ok(v) => *measured.entry(key).or_insert(v),
                Err(e) => {
                    tracing::warn!(rule = rule.id, error = %e, "alert rule could not be measured");
                    continue;
                }
            },
        };
        evaluate_rule(state, rule, value).await?;
    }
    let mut c = Change::unaudited(state, "the alert evaluation's next run").await?;
    let now = c.now_ms();
    sqlx::query("DELETE FROM sign_in_failures WHERE at < $1")
        .bind(now - KEEP_SIGN_IN_FAILURES_MS)
        .execute(c.conn())
        .await?;
    // Exactly one pending run: a duplicate chain (two first rules created at once) folds into this one.
    jobs::cancel(c.conn(), now, EVALUATE_JOB, 0).await?;
    if !rules.is_empty() {
        jobs::schedule(c.conn(), now, EVALUATE_JOB, 0, now + EVALUATE_EVERY_MS).await?;
    }
    c.commit().await
}

/// Decides one rule on its measured `value`, in one transaction. Only the job writes incidents'
/// firings (one run at a time), so reading the unresolved incident before the transaction is safe;
/// an operator resolving it meanwhile just means the next run opens a new one.
async fn evaluate_rule(state: &AppState, rule: &Rule, value: i64) -> Result<(), AppError> {
    let now = state.now_ms();
    let firing = breaches(rule.input.metric, rule.input.threshold, value);
    let unresolved: Option<i64> =
        sqlx::query_scalar("SELECT MIN(id) FROM incidents WHERE rule_id = $1 AND state <> 'resolved'")
            .bind(rule.id)
            .fetch_one(state.db.read())
            .await
            .context("reading a rule's unresolved incident")?;
    let outcome = decide(firing, silenced(rule.silenced_until, now), unresolved);
    let mut c = match outcome {
        // Opening an incident is a decision: audited, as the system. Counting a repeat firing and
        // keeping the measured value are bookkeeping.
        Outcome::Open => Change::system(state, "alerts").await?,
        _ => Change::unaudited(state, "an alert rule's measured value").await?,
    };
    sqlx::query("UPDATE alert_rules SET last_value = $1, last_evaluated_at = $2 WHERE id = $3")
        .bind(value)
        .bind(now)
        .bind(rule.id)
        .execute(c.conn())
        .await?;
    match outcome {
        Outcome::Quiet => {}
        Outcome::AddTo(id) => incidents::fired_again(&mut c, id, value).await?,
        Outcome::Open => {
            let id = incidents::open(&mut c, rule.id, &rule.input, value).await?;
            tell_recipients(&mut c, id, &rule.input, value).await?;
        }
    }
    c.commit().await
}

/// The new incident for the rule's recipients, from the outbox after commit.
async fn tell_recipients(c: &mut Change, id: i64, rule: &RuleInput, value: i64) -> Result<(), AppError> {
    let payload = json!({
        "id": id.to_string(), "title": rule.name, "severity": rule.severity.key(),
        "metric": rule.metric.key(), "threshold": rule.threshold, "value": value,
    });
    if rule.notify_operators {
        for user in incidents::handlers_of_incidents(c).await? {
            c.notify(OutboxEvent::notify(user, "incidents.opened", payload.clone())).await?;
        }
    }
    if rule.notify_webhook {
        publish(c, crate::domain::webhook::Scope::Platform, "incidents.opened", payload.clone()).await?;
    }
    for address in &rule.emails {
        c.notify(OutboxEvent::email_to(address, None, "incidents.opened", payload.clone())).await?;
    }
    Ok(())
}
