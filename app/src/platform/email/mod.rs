//! The email channel: an outbox row with channel `email` becomes one mail, rendered from the current
//! template of its event in the recipient's locale, sent over SMTP (`smtp.rs`), built as multipart
//! text + HTML (`message.rs`). Writes its own bookkeeping (the suppression list, scrubbing secrets
//! from the payload) directly, like the in-app channel: it runs inside the outbox worker, which is
//! what `Change` itself enqueues into.

mod message;
mod smtp;

use super::channel::{Deliver, DeliveryFuture, OutboxMessage, Outcome, PrepareFuture, Prepared};
use super::sql::Sql;
use super::state::AppState;
use crate::domain::delivery::EventSpec;
use crate::domain::template::render;
use crate::notifications::templates::{self, Current};
use crate::notifications::{events, unsubscribe_token};
use serde_json::{Map, Value};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

pub use message::Mail;

/// A payload key that picks the template's locale instead of the recipient's: the template editor's
/// "send a test to yourself" mails the zh template to an operator who reads the console in English.
pub const LOCALE_OVERRIDE: &str = "_template_locale";

pub struct EmailChannel;

impl Deliver for EmailChannel {
    fn prepare<'a>(&'a self, state: &'a AppState, messages: &'a [OutboxMessage]) -> PrepareFuture<'a> {
        Box::pin(async move {
            match Batch::read(state, messages).await {
                Ok(batch) => Ok(Arc::new(batch) as Prepared),
                Err(e) => Err(e.to_string()),
            }
        })
    }

    fn deliver<'a>(
        &'a self,
        state: &'a AppState,
        _now_ms: i64,
        prepared: &'a Prepared,
        m: &'a OutboxMessage,
    ) -> DeliveryFuture<'a> {
        Box::pin(async move {
            let Some(batch) = prepared.downcast_ref::<Batch>() else {
                return Outcome::retry("the email channel was handed what another channel read");
            };
            match deliver(state, batch, m).await {
                Ok(outcome) => outcome,
                Err(e) => Outcome::retry(e.to_string()),
            }
        })
    }
}

/// What the mails of one claimed batch need, read in three statements for the whole batch.
struct Batch {
    /// Each recipient user's current address and locale.
    users: HashMap<i64, (String, String)>,
    /// The batch's addresses that are on the suppression list.
    suppressed: HashSet<String>,
    /// The current templates of the batch's events, by (event, locale).
    templates: HashMap<(String, String), (bool, Current)>,
}

impl Batch {
    async fn read(state: &AppState, messages: &[OutboxMessage]) -> Result<Batch, sqlx::Error> {
        let users = users(state, messages.iter().filter_map(|m| m.recipient_user_id).collect()).await?;
        let addresses = messages.iter().filter_map(|m| address(m, &users)).collect();
        let suppressed = smtp::suppressed_among(&state.db, &addresses).await?;
        let events: BTreeSet<&str> = messages.iter().map(|m| m.event_type.as_str()).collect();
        let templates = templates::current_emails(&state.db, &events.into_iter().collect::<Vec<_>>()).await?;
        Ok(Batch { users, suppressed, templates })
    }

    /// Who `m` goes to: its own address or its user's current one, in the locale its payload asks
    /// for or else its user's.
    fn recipient(&self, m: &OutboxMessage, payload: &Map<String, Value>) -> Option<Recipient> {
        let user = m.recipient_user_id.and_then(|id| self.users.get(&id));
        let asked = payload.get(LOCALE_OVERRIDE).and_then(Value::as_str);
        let locale = match asked.or(user.map(|(_, l)| l.as_str())) {
            Some("zh") => "zh",
            _ => "en",
        };
        address(m, &self.users).map(|address| Recipient { address, locale: locale.to_string() })
    }

    /// The current template of `event_type` in `locale`; a locale without its own falls back to
    /// English.
    fn template(&self, event_type: &str, locale: &str) -> Option<&(bool, Current)> {
        let of = |locale: &str| self.templates.get(&(event_type.to_string(), locale.to_string()));
        of(locale).or_else(|| of("en"))
    }
}

/// The address and locale of each of `ids`.
async fn users(state: &AppState, ids: BTreeSet<i64>) -> Result<HashMap<i64, (String, String)>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let mut sql = Sql::new(state.db.backend, "");
    let listed = sql.list(ids);
    sql.push(&format!("SELECT id, email, locale FROM users WHERE id IN ({listed})"));
    let rows: Vec<(i64, String, String)> = sql.query_as().fetch_all(state.db.read()).await?;
    Ok(rows.into_iter().map(|(id, email, locale)| (id, (email, locale))).collect())
}

/// The address `m` goes to, lower-cased: its own, or else its user's current one.
fn address(m: &OutboxMessage, users: &HashMap<i64, (String, String)>) -> Option<String> {
    let user_email = || m.recipient_user_id.and_then(|id| users.get(&id)).map(|(email, _)| email.clone());
    m.recipient_address.clone().or_else(user_email).map(|a| a.trim().to_lowercase())
}

/// Who a message goes to: the address and the locale its template is rendered in.
struct Recipient {
    address: String,
    locale: String,
}

async fn deliver(state: &AppState, batch: &Batch, m: &OutboxMessage) -> Result<Outcome, sqlx::Error> {
    let payload: Map<String, Value> = serde_json::from_str(&m.payload_json).unwrap_or_default();
    let Some(to) = batch.recipient(m, &payload) else {
        return Ok(Outcome::failed("no address to send to"));
    };
    if batch.suppressed.contains(&to.address) {
        return Ok(Outcome::Skipped { reason: format!("{} is on the suppression list", to.address) });
    }
    let Some(spec) = events::find(&m.event_type) else {
        return Ok(Outcome::failed(format!("{} is not an email event", m.event_type)));
    };
    let Some((enabled, current)) = batch.template(&m.event_type, &to.locale) else {
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
    Ok(Some(format!("{}/unsubscribe?token={token}", state.settings().public_url.trim_end_matches('/'))))
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
