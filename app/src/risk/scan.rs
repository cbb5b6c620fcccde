//! The risk scan: every five minutes on every server, each rule of `domain::risk` looks at recent
//! activity and makes findings; a finding raises a signal (audited, as the system), updates the
//! subject's unresolved one, or stays quiet after a recent resolution. Two servers scanning at once
//! cannot raise one finding twice: one unresolved signal per key is a unique index.

use super::model::Fact;
use crate::domain::alerts::Severity;
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::money::{Currency, Money};
use crate::domain::risk::{
    count_severity, dedupe_key, on_finding, payment_severity, payout_severity, price_severity, rate_severity, Finding,
    Rule, RATE_WINDOW_MS,
};
use crate::error::{AppError, Context};
use crate::platform::cases;
use crate::platform::change::{Audit, Change};
use crate::platform::state::AppState;
use serde_json::json;
use std::collections::HashMap;

const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 24 * HOUR_MS;
/// How often the worker scans.
pub const SCAN_EVERY: std::time::Duration = std::time::Duration::from_secs(300);
/// Findings per rule and scan: a flood is worth a look at the first few hundred, not a stalled scan.
const MAX_FINDINGS: i64 = 200;

/// What a rule found about one subject.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub rule: Rule,
    pub subject_id: i64,
    pub subject_label: String,
    pub severity: Severity,
    pub evidence: Vec<Fact>,
}

fn fact(key: &str, value: impl ToString) -> Fact {
    Fact { key: key.to_string(), value: value.to_string() }
}

fn money(minor: i64, currency: &str) -> String {
    Currency::parse(currency).map_or_else(|| format!("{minor} {currency}"), |c| Money::new(minor, c).display())
}

/// Runs every rule once; returns how many signals were raised.
pub async fn scan(state: &AppState) -> Result<usize, AppError> {
    let mut found = vec![];
    found.extend(failed_sign_ins(state).await?);
    found.extend(shared_ip(state).await?);
    found.extend(refused_attempts(state).await?);
    found.extend(payout_flags(state).await?);
    found.extend(seller_rates(state).await?);
    found.extend(price_spikes(state).await?);
    found.extend(large_payments(state).await?);
    let mut raised = 0;
    for candidate in found {
        raised += usize::from(record(state, &candidate).await?);
    }
    Ok(raised)
}

/// The worker: a scan at start and every `SCAN_EVERY` until `stop`.
pub async fn run_worker(state: AppState, mut stop: tokio::sync::watch::Receiver<bool>) {
    loop {
        if let Err(e) = scan(&state).await {
            tracing::warn!(error = %e, "risk scan failed");
        }
        tokio::select! {
            _ = tokio::time::sleep(SCAN_EVERY) => {}
            _ = stop.changed() => return,
        }
    }
}

async fn failed_sign_ins(state: &AppState) -> Result<Vec<Candidate>, AppError> {
    let threshold = state.settings().risk.failed_sign_ins_per_hour;
    let rows: Vec<(i64, String, i64, i64)> = sqlx::query_as(
        "SELECT f.user_id, u.email, COUNT(*), COUNT(DISTINCT f.ip) FROM sign_in_failures f JOIN users u ON u.id = f.user_id \
         WHERE f.at >= $1 AND f.user_id IS NOT NULL GROUP BY f.user_id, u.email HAVING COUNT(*) >= $2 LIMIT $3",
    )
    .bind(state.now_ms() - HOUR_MS)
    .bind(threshold)
    .bind(MAX_FINDINGS)
    .fetch_all(state.db.read())
    .await
    .context("risk: failed sign-ins")?;
    Ok(rows
        .into_iter()
        .filter_map(|(user, email, n, ips)| {
            Some(Candidate {
                rule: Rule::FailedSignIns,
                subject_id: user,
                subject_label: email,
                severity: count_severity(n, threshold)?,
                evidence: vec![fact("failures_last_hour", n), fact("distinct_ips", ips), fact("threshold", threshold)],
            })
        })
        .collect())
}

async fn shared_ip(state: &AppState) -> Result<Vec<Candidate>, AppError> {
    let threshold = state.settings().risk.accounts_per_ip_per_day;
    let rows: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT ip, COUNT(DISTINCT user_id), MAX(user_id) FROM sessions WHERE created_at >= $1 \
         GROUP BY ip HAVING COUNT(DISTINCT user_id) >= $2 LIMIT $3",
    )
    .bind(state.now_ms() - DAY_MS)
    .bind(threshold)
    .bind(MAX_FINDINGS)
    .fetch_all(state.db.read())
    .await
    .context("risk: accounts per IP")?;
    let mut out = vec![];
    for (ip, n, newest) in rows {
        let email = email_of(state, newest).await?;
        if let Some(severity) = count_severity(n, threshold) {
            let evidence = vec![fact("ip", &ip), fact("accounts_last_day", n), fact("threshold", threshold)];
            // The newest account is the subject: the one most likely made for the purpose.
            out.push(Candidate { rule: Rule::SharedIp, subject_id: newest, subject_label: email, severity, evidence });
        }
    }
    Ok(out)
}

async fn email_of(state: &AppState, user: i64) -> Result<String, AppError> {
    let email: Option<String> = sqlx::query_scalar("SELECT email FROM users WHERE id = $1")
        .bind(user)
        .fetch_optional(state.db.read())
        .await
        .context("risk: a user's address")?;
    Ok(email.unwrap_or_else(|| format!("#{user}")))
}

async fn refused_attempts(state: &AppState) -> Result<Vec<Candidate>, AppError> {
    let threshold = state.settings().risk.refused_per_hour;
    let rows: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT a.actor_id, u.email, COUNT(*) FROM audit_log a JOIN users u ON u.id = a.actor_id \
         WHERE a.result = 'refused' AND a.at >= $1 AND a.action IN ('access.refused', 'protected.refused') \
         GROUP BY a.actor_id, u.email HAVING COUNT(*) >= $2 LIMIT $3",
    )
    .bind(state.now_ms() - HOUR_MS)
    .bind(threshold)
    .bind(MAX_FINDINGS)
    .fetch_all(state.db.read())
    .await
    .context("risk: refused attempts")?;
    Ok(rows
        .into_iter()
        .filter_map(|(user, email, n)| {
            Some(Candidate {
                rule: Rule::RefusedAttempts,
                subject_id: user,
                subject_label: email,
                severity: count_severity(n, threshold)?,
                evidence: vec![fact("refused_last_hour", n), fact("threshold", threshold)],
            })
        })
        .collect())
}

async fn payout_flags(state: &AppState) -> Result<Vec<Candidate>, AppError> {
    let rows: Vec<(i64, i64, String, String, String)> = sqlx::query_as(
        "SELECT p.id, p.amount_minor, p.currency, p.risk_flags, o.name FROM payouts p \
         JOIN organisations o ON o.id = p.organisation_id \
         WHERE p.status IN ('requested', 'approved') AND p.risk_flags <> '' ORDER BY p.id LIMIT $1",
    )
    .bind(MAX_FINDINGS)
    .fetch_all(state.db.read())
    .await
    .context("risk: flagged payouts")?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, amount, currency, flags, shop)| {
            Some(Candidate {
                rule: Rule::PayoutFlags,
                subject_id: id,
                subject_label: format!("#{id} · {shop} · {}", money(amount, &currency)),
                severity: payout_severity(&flags)?,
                evidence: vec![fact("flags", flags.replace(',', ", ")), fact("amount", money(amount, &currency))],
            })
        })
        .collect())
}

/// Refund and dispute rates of sellers with enough paid orders in the last 30 days.
async fn seller_rates(state: &AppState) -> Result<Vec<Candidate>, AppError> {
    let t = state.settings().risk;
    let since = state.now_ms() - RATE_WINDOW_MS;
    let db = state.db.read();
    let orders: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT o.organisation_id, g.name, COUNT(*) FROM orders o JOIN organisations g ON g.id = o.organisation_id \
         WHERE o.created_at >= $1 AND o.paid_at IS NOT NULL GROUP BY o.organisation_id, g.name HAVING COUNT(*) >= $2",
    )
    .bind(since)
    .bind(t.rate_min_orders)
    .fetch_all(db)
    .await
    .context("risk: sellers' orders")?;
    if orders.is_empty() {
        return Ok(vec![]);
    }
    let per_seller = |table: &'static str| async move {
        let sql =
            format!("SELECT organisation_id, COUNT(*) FROM {table} WHERE created_at >= $1 GROUP BY organisation_id");
        sqlx::query_as::<_, (i64, i64)>(&sql)
            .bind(since)
            .fetch_all(db)
            .await
            .map(|rows| rows.into_iter().collect::<HashMap<i64, i64>>())
            .context("risk: sellers' refunds and disputes")
    };
    let (refunds, disputes) = (per_seller("refunds").await?, per_seller("disputes").await?);
    let mut out = vec![];
    for (org, shop, n) in orders {
        for (rule, events, threshold, key) in [
            (Rule::RefundRate, refunds.get(&org).copied().unwrap_or(0), t.refund_rate_percent, "refunds_30_days"),
            (Rule::DisputeRate, disputes.get(&org).copied().unwrap_or(0), t.dispute_rate_percent, "disputes_30_days"),
        ] {
            if let Some(severity) = rate_severity(events, n, threshold, t.rate_min_orders) {
                let evidence = vec![
                    fact(key, events),
                    fact("orders_30_days", n),
                    fact("rate_percent", events * 100 / n.max(1)),
                    fact("threshold_percent", threshold),
                ];
                out.push(Candidate { rule, subject_id: org, subject_label: shop.clone(), severity, evidence });
            }
        }
    }
    Ok(out)
}

/// Live listings changed in the last day, priced above the ratio of their highest earlier live
/// price (the trust judgment's settings and comparison).
async fn price_spikes(state: &AppState) -> Result<Vec<Candidate>, AppError> {
    let trust = state.settings().trust;
    let now = state.now_ms();
    let rows: Vec<(i64, String, i64, String, Option<i64>)> = sqlx::query_as(
        "SELECT l.id, l.title, l.price_minor, l.currency, (SELECT MAX(o.price_minor) FROM listing_versions o \
           WHERE o.listing_id = l.id AND o.status = 'superseded' AND o.updated_at >= $1) \
         FROM listings l WHERE l.status = 'active' AND l.updated_at >= $2 LIMIT $3",
    )
    .bind(now - trust.price_window_days * DAY_MS)
    .bind(now - DAY_MS)
    .bind(MAX_FINDINGS)
    .fetch_all(state.db.read())
    .await
    .context("risk: price spikes")?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, title, price, currency, highest)| {
            let highest = highest?;
            Some(Candidate {
                rule: Rule::PriceSpike,
                subject_id: id,
                subject_label: title,
                severity: price_severity(price, highest, trust.price_ratio_percent)?,
                evidence: vec![
                    fact("price", money(price, &currency)),
                    fact("highest_earlier_price", money(highest, &currency)),
                    fact("threshold_percent", trust.price_ratio_percent),
                ],
            })
        })
        .collect())
}

async fn large_payments(state: &AppState) -> Result<Vec<Candidate>, AppError> {
    let threshold = state.settings().risk.large_payment_minor;
    let rows: Vec<(i64, String, i64, String, String)> = sqlx::query_as(
        "SELECT c.buyer_id, u.email, p.amount_minor, p.currency, p.reference FROM payments p \
         JOIN checkouts c ON c.id = p.checkout_id JOIN users u ON u.id = c.buyer_id \
         WHERE p.created_at >= $1 AND p.amount_minor >= $2 ORDER BY p.id LIMIT $3",
    )
    .bind(state.now_ms() - DAY_MS)
    .bind(threshold)
    .bind(MAX_FINDINGS)
    .fetch_all(state.db.read())
    .await
    .context("risk: large payments")?;
    let currency = state.settings().currency;
    Ok(rows
        .into_iter()
        .filter_map(|(buyer, email, amount, payment_currency, reference)| {
            Some(Candidate {
                rule: Rule::LargePayment,
                subject_id: buyer,
                subject_label: email,
                severity: payment_severity(amount, threshold)?,
                evidence: vec![
                    fact("payment", reference),
                    fact("amount", money(amount, &payment_currency)),
                    fact("threshold", Money::new(threshold, currency).display()),
                ],
            })
        })
        .collect())
}

/// Raises, updates or leaves `candidate`'s signal. Returns whether a signal was raised.
async fn record(state: &AppState, candidate: &Candidate) -> Result<bool, AppError> {
    let key = dedupe_key(candidate.rule, candidate.subject_id);
    let db = state.db.read();
    let unresolved: Option<i64> =
        sqlx::query_scalar("SELECT MIN(id) FROM risk_signals WHERE dedupe_key = $1 AND state <> 'resolved'")
            .bind(&key)
            .fetch_one(db)
            .await
            .context("risk: the subject's open signal")?;
    let resolved_at: Option<i64> =
        sqlx::query_scalar("SELECT MAX(resolved_at) FROM risk_signals WHERE dedupe_key = $1")
            .bind(&key)
            .fetch_one(db)
            .await
            .context("risk: the subject's last resolution")?;
    let now = state.now_ms();
    let evidence = serde_json::to_string(
        &candidate.evidence.iter().map(|f| [f.key.as_str(), f.value.as_str()]).collect::<Vec<_>>(),
    )
    .unwrap_or_else(|_| "[]".into());
    match on_finding(unresolved, resolved_at, now) {
        Finding::Quiet => Ok(false),
        Finding::Update(id) => {
            let mut c = Change::unaudited(state, "a risk signal seen again").await?;
            sqlx::query(
                "UPDATE risk_signals SET last_seen_at = $1, seen_count = seen_count + 1, evidence_json = $2, severity = $3 \
                 WHERE id = $4",
            )
            .bind(now)
            .bind(&evidence)
            .bind(candidate.severity.key())
            .bind(id)
            .execute(c.conn())
            .await?;
            c.commit().await?;
            Ok(false)
        }
        Finding::Raise => raise(state, candidate, &key, &evidence).await,
    }
}

/// A new signal; `false` when another server raised it a moment ago (the unique index on
/// unresolved keys refused this one, and the transaction is dropped).
async fn raise(state: &AppState, candidate: &Candidate, key: &str, evidence: &str) -> Result<bool, AppError> {
    let mut c = Change::system(state, "risk").await?;
    let now = c.now_ms();
    let scope = candidate.rule.scope();
    let id: Result<i64, sqlx::Error> = sqlx::query_scalar(
        "INSERT INTO risk_signals (rule, scope, subject_id, subject_label, dedupe_key, severity, state, evidence_json, \
         first_seen_at, last_seen_at, seen_count) VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $8, $8, 1) RETURNING id",
    )
    .bind(candidate.rule.key())
    .bind(scope.key())
    .bind(candidate.subject_id)
    .bind(&candidate.subject_label)
    .bind(key)
    .bind(candidate.severity.key())
    .bind(evidence)
    .bind(now)
    .fetch_one(c.conn())
    .await;
    let id = match id {
        Ok(id) => id,
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => return Ok(false),
        Err(e) => return Err(e.into()),
    };
    cases::log(&mut c, super::signals::TABLES, id, "raised", "system", "").await?;
    c.audit(Audit::new(AuditAction::RiskRaise, AuditTarget::RiskSignal(id)).after(json!({
        "rule": candidate.rule.key(), "scope": scope.key(), "subject_id": candidate.subject_id,
        "severity": candidate.severity.key(), "evidence": candidate.evidence.iter().map(|f| (f.key.clone(), f.value.clone())).collect::<Vec<_>>(),
    })))
    .await?;
    c.commit().await?;
    Ok(true)
}
