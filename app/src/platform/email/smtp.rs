//! Sending over SMTP, and what the answer means for the outbox: a permanent refusal (5xx) fails the
//! message and puts the address on the suppression list; a temporary one (4xx), a timeout or a
//! connection that cannot be made is retried on the schedule. Without an SMTP host, development
//! writes the mail to the log and production waits for one to be configured.

use super::message::Mail;
use crate::domain::delivery::SmtpSecurity;
use crate::platform::channel::{Attempt, Outcome};
use crate::platform::db::Db;
use crate::platform::sql::Sql;
use crate::platform::state::{AppState, MailSettings};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use std::collections::{BTreeSet, HashSet};
use std::time::{Duration, Instant};

/// How long one SMTP conversation may take.
const TIMEOUT: Duration = Duration::from_secs(30);

/// Which of `addresses` (lower-cased) are on the suppression list, in one read.
pub async fn suppressed_among(db: &Db, addresses: &BTreeSet<String>) -> Result<HashSet<String>, sqlx::Error> {
    if addresses.is_empty() {
        return Ok(HashSet::new());
    }
    let mut sql = Sql::new(db.backend, "");
    let listed = sql.list(addresses.iter().map(String::as_str));
    sql.push(&format!("SELECT address FROM email_suppressions WHERE address IN ({listed})"));
    let found: Vec<String> = sql.query_scalar().fetch_all(db.read()).await?;
    Ok(found.into_iter().collect())
}

fn transport(s: &MailSettings) -> Result<AsyncSmtpTransport<Tokio1Executor>, lettre::transport::smtp::Error> {
    let builder = match s.smtp_security {
        SmtpSecurity::StartTls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&s.smtp_host)?,
        SmtpSecurity::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&s.smtp_host)?,
        SmtpSecurity::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&s.smtp_host),
    };
    let builder = builder.port(s.smtp_port).timeout(Some(TIMEOUT));
    let builder = if s.smtp_username.is_empty() {
        builder
    } else {
        // The password goes to the transport only; `Secret` keeps it out of every log line.
        builder.credentials(Credentials::new(s.smtp_username.clone(), s.smtp_password.0.clone()))
    };
    Ok(builder.build())
}

/// Reply codes that are about our account, not the recipient: refusing them must not suppress the
/// recipient's address (530 authentication required, 534/535 authentication refused).
fn about_our_account(code: i64) -> bool {
    matches!(code, 530 | 534 | 535)
}

pub async fn send(state: &AppState, outbox_id: i64, mail: &Mail) -> Result<Outcome, sqlx::Error> {
    let settings = &state.settings().mail;
    if !settings.configured() {
        if state.settings().production {
            return Ok(Outcome::retry("no SMTP server configured"));
        }
        tracing::info!(to = %mail.to, subject = %mail.content.subject, text = %mail.content.text,
            "mail (no SMTP server configured: written to the log instead)");
        return Ok(delivered(None, 0, "written to the log"));
    }
    let message = match mail.build(settings) {
        Ok(m) => m,
        Err(e) => return Ok(Outcome::failed(e)),
    };
    let transport = match transport(settings) {
        Ok(t) => t,
        Err(e) => return Ok(Outcome::retry(format!("SMTP settings: {e}"))),
    };
    let started = Instant::now();
    let result = transport.send(message).await;
    let latency_ms = started.elapsed().as_millis() as i64;
    match result {
        Ok(response) => {
            let code = response.code().to_string().parse().ok();
            Ok(delivered(code, latency_ms, &response.message().collect::<Vec<_>>().join("\n")))
        }
        Err(e) => {
            let code: Option<i64> = e.status().and_then(|c| c.to_string().parse().ok());
            let attempt = Attempt { status_code: code, latency_ms, excerpt: Some(Attempt::excerpt(&e.to_string())) };
            let error = format!("SMTP: {e}");
            if e.is_permanent() {
                if !code.is_some_and(about_our_account) {
                    suppress(&state.db, state.now_ms(), &mail.to, code, &e.to_string(), outbox_id).await?;
                }
                return Ok(Outcome::Failed { attempt, error });
            }
            Ok(Outcome::Retry { attempt, error, retry_after_ms: None })
        }
    }
}

/// Puts `address` on the suppression list (once: a second refusal keeps the first row).
async fn suppress(
    db: &Db,
    now_ms: i64,
    address: &str,
    code: Option<i64>,
    reason: &str,
    outbox_id: i64,
) -> Result<(), sqlx::Error> {
    let q = sqlx::query(
        "INSERT INTO email_suppressions (address, smtp_code, reason, outbox_id, created_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (address) DO NOTHING",
    )
    .bind(address)
    .bind(code)
    .bind(Attempt::excerpt(reason))
    .bind(outbox_id)
    .bind(now_ms);
    db.execute_write(q).await?;
    Ok(())
}

/// What a successful send answered, for the attempts log.
fn delivered(code: Option<i64>, latency_ms: i64, answer: &str) -> Outcome {
    Outcome::Delivered(Attempt { status_code: code, latency_ms, excerpt: Some(Attempt::excerpt(answer)) })
}
