//! Launch readiness checks of email delivery and the outbox (see `crate::readiness`). Every query
//! walks an index of `outbox` (`outbox_channel_status`, `outbox_due`, `outbox_status_updated`) or the
//! small suppression list; none counts the whole outbox.

use crate::domain::readiness::{fact, rules, Area, CheckDef, Measured};
use crate::error::{AppError, Context};
use crate::platform::state::AppState;

static SMTP: CheckDef = CheckDef {
    id: "messaging.smtp",
    area: Area::Messaging,
    link: Some("/console/delivery"),
    setting: Some("smtp_host"),
};
static SUPPRESSIONS: CheckDef = CheckDef {
    id: "messaging.suppressions",
    area: Area::Messaging,
    link: Some("/console/delivery/suppressions"),
    setting: None,
};
static OUTBOX: CheckDef =
    CheckDef { id: "messaging.outbox", area: Area::Messaging, link: Some("/console/delivery"), setting: None };

pub static CHECKS: &[&CheckDef] = &[&SMTP, &SUPPRESSIONS, &OUTBOX];

const DAY_MS: i64 = 86_400_000;

pub async fn measure(state: &AppState) -> Result<Vec<Measured>, AppError> {
    let now = state.now_ms();
    let db = state.db.read();
    // The newest delivered mail by id (the index's order) is the last one delivered, near enough.
    let last_delivered: Option<i64> = sqlx::query_scalar(
        "SELECT updated_at FROM outbox WHERE channel = 'email' AND status = 'delivered' ORDER BY id DESC LIMIT 1",
    )
    .fetch_optional(db)
    .await
    .context("reading the last delivered mail")?
    .flatten();
    let any_email: Option<i64> = sqlx::query_scalar("SELECT id FROM outbox WHERE channel = 'email' LIMIT 1")
        .fetch_optional(db)
        .await
        .context("looking for any mail")?;
    let suppressed_week: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM email_suppressions WHERE created_at >= $1")
        .bind(now - 7 * DAY_MS)
        .fetch_one(db)
        .await
        .context("counting suppressions")?;
    let oldest_due: Option<i64> =
        sqlx::query_scalar("SELECT MIN(next_attempt_at) FROM outbox WHERE status = 'pending'")
            .fetch_one(db)
            .await
            .context("reading the outbox backlog")?;
    let gave_up: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE status IN ('failed', 'exhausted') AND updated_at >= $1")
            .bind(now - DAY_MS)
            .fetch_one(db)
            .await
            .context("counting messages that gave up")?;
    let mail = &state.settings().mail;
    let when = |ms: Option<i64>| ms.map_or_else(|| "-".to_string(), |ms| crate::domain::period::format_date(ms, 0));
    let late_minutes = oldest_due.map_or(0, |due| ((now - due).max(0)) / 60_000);
    Ok(vec![
        SMTP.measured(
            rules::smtp(mail.configured(), last_delivered, any_email.is_some(), now),
            vec![
                fact("readiness.fact.smtp_host", &mail.smtp_host),
                fact("readiness.fact.last_mail_delivered", when(last_delivered)),
            ],
        ),
        SUPPRESSIONS.measured(
            rules::suppressions(suppressed_week),
            vec![fact("readiness.fact.suppressed_7d", suppressed_week)],
        ),
        OUTBOX.measured(
            rules::outbox(oldest_due, gave_up, now),
            vec![fact("readiness.fact.backlog_minutes", late_minutes), fact("readiness.fact.gave_up_24h", gave_up)],
        ),
    ])
}
