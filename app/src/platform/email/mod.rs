//! The email channel: an outbox row with channel `email` becomes one mail, rendered from the current
//! template of its event in the recipient's locale, sent over SMTP (`smtp.rs`), built as multipart
//! text + HTML (`message.rs`). Writes its own bookkeeping (the suppression list, scrubbing secrets
//! from the payload) directly, like the in-app channel: it runs inside the outbox worker, which is
//! what `Change` itself enqueues into.

mod message;
mod smtp;

use super::channel::{Deliver, DeliveryFuture, OutboxMessage, Outcome};
use super::state::AppState;
use crate::domain::delivery::EventSpec;
use crate::domain::template::render;
use crate::notifications::{events, templates, unsubscribe_token};
use serde_json::{Map, Value};

pub use message::Mail;

/// A payload key that picks the template's locale instead of the recipient's: the template editor's
/// "send a test to yourself" mails the zh template to an operator who reads the console in English.
pub const LOCALE_OVERRIDE: &str = "_template_locale";

pub struct EmailChannel;

impl Deliver for EmailChannel {
    fn deliver<'a>(&'a self, state: &'a AppState, _now_ms: i64, m: &'a OutboxMessage) -> DeliveryFuture<'a> {
        Box::pin(async move {
            match deliver(state, m).await {
                Ok(outcome) => outcome,
                Err(e) => Outcome::retry(e.to_string()),
            }
        })
    }
}

/// Who a message goes to: the address and the locale its template is rendered in.
struct Recipient {
    address: String,
    locale: String,
}

async fn recipient(
    state: &AppState,
    m: &OutboxMessage,
    payload: &Map<String, Value>,
) -> Result<Option<Recipient>, sqlx::Error> {
    let user: Option<(String, String)> = match m.recipient_user_id {
        Some(id) => {
            sqlx::query_as("SELECT email, locale FROM users WHERE id = $1")
                .bind(id)
                .fetch_optional(state.db.read())
                .await?
        }
        None => None,
    };
    let asked = payload.get(LOCALE_OVERRIDE).and_then(Value::as_str);
    let locale = match asked.or(user.as_ref().map(|(_, l)| l.as_str())) {
        Some("zh") => "zh",
        _ => "en",
    };
    let address = m.recipient_address.clone().or(user.map(|(email, _)| email));
    Ok(address.map(|address| Recipient { address: address.trim().to_lowercase(), locale: locale.to_string() }))
}

async fn deliver(state: &AppState, m: &OutboxMessage) -> Result<Outcome, sqlx::Error> {
    let payload: Map<String, Value> = serde_json::from_str(&m.payload_json).unwrap_or_default();
    let Some(to) = recipient(state, m, &payload).await? else {
        return Ok(Outcome::failed("no address to send to"));
    };
    if smtp::suppressed(&state.db, &to.address).await? {
        return Ok(Outcome::Skipped { reason: format!("{} is on the suppression list", to.address) });
    }
    let Some(spec) = events::find(&m.event_type) else {
        return Ok(Outcome::failed(format!("{} is not an email event", m.event_type)));
    };
    let current = match templates::current_email(&state.db, &m.event_type, &to.locale).await? {
        Some(found) => Some(found),
        // A locale without its own template falls back to English.
        None => templates::current_email(&state.db, &m.event_type, "en").await?,
    };
    let Some((enabled, current)) = current else {
        return Ok(Outcome::failed(format!("no email template for {}", m.event_type)));
    };
    if !enabled {
        return Ok(Outcome::Skipped { reason: format!("the {} email template is disabled", m.event_type) });
    }
    let value = |name: &str| payload.get(name).map(|v| v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string()));
    let rendered = render(&current.template, &value);
    let unsubscribe = unsubscribe_url(state, spec, m).await?;
    let mail = Mail::new(m.id, &to.address, &to.locale, rendered, unsubscribe);
    let outcome = smtp::send(state, m.id, &mail).await?;
    if matches!(outcome, Outcome::Delivered(_)) {
        scrub_secrets(state, m, &payload).await?;
    }
    Ok(outcome)
}

/// The one-click unsubscribe link of a non-transactional mail to a user.
async fn unsubscribe_url(state: &AppState, spec: &EventSpec, m: &OutboxMessage) -> Result<Option<String>, sqlx::Error> {
    let (false, Some(user)) = (spec.transactional, m.recipient_user_id) else { return Ok(None) };
    let key = state.signing_key.get(&state.db, state.now_ms()).await?;
    let token = unsubscribe_token::sign(key, user, spec.category);
    Ok(Some(format!("{}/unsubscribe?token={token}", state.settings.public_url.trim_end_matches('/'))))
}

/// Links with tokens and sign-in codes (`secret_*` payload keys) are in the mail; once it is sent they
/// need not stay in the outbox, where the delivery desk would show them.
async fn scrub_secrets(state: &AppState, m: &OutboxMessage, payload: &Map<String, Value>) -> Result<(), sqlx::Error> {
    if !payload.keys().any(|k| k.starts_with("secret_")) {
        return Ok(());
    }
    let scrubbed: Map<String, Value> = payload
        .iter()
        .map(|(k, v)| (k.clone(), if k.starts_with("secret_") { Value::from("(sent)") } else { v.clone() }))
        .collect();
    let q = sqlx::query("UPDATE outbox SET payload_json = $1 WHERE id = $2")
        .bind(Value::Object(scrubbed).to_string())
        .bind(m.id);
    state.db.execute_write(q).await?;
    Ok(())
}
