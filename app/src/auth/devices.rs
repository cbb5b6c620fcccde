//! New-device sign-in notices. A browser carries a long-lived random cookie (its device id; only the
//! SHA-256 is stored, per user, in `known_devices`). A sign-in from a browser the account has not been
//! used on before mails the owner the device, the IP and the time. The first browser an account ever
//! uses (the one it signed up in, or the first sign-in after this feature shipped) is recorded
//! without a mail: there is nothing to compare it with, and the owner knows.
//!
//! Best effort: a sign-in never fails because the notice could not be recorded (it is logged).

use super::model::Viewer;
use crate::domain::session::device_label;
use crate::error::{AppError, Context};
use crate::platform::caller::{append_set_cookie, cookie_value, hash_token, new_token, RequestMeta};
use crate::platform::change::Change;
use crate::platform::outbox::OutboxEvent;
use crate::platform::state::AppState;
use http::request::Parts;
use leptos::prelude::use_context;
use serde_json::json;

/// A device id lives as long as a browser keeps it: 400 days, the longest browsers allow.
const DEVICE_COOKIE_MAX_AGE_S: i64 = 400 * 86_400;

fn cookie_name(state: &AppState) -> &'static str {
    if state.settings().secure_cookies {
        "__Host-agora_device"
    } else {
        "agora_device"
    }
}

/// This browser's device id: the cookie's, or a new one set on the response. A value that is not a
/// device id (64 hex digits) is replaced.
fn device_id(state: &AppState) -> String {
    let name = cookie_name(state);
    let sent = use_context::<Parts>().and_then(|p| cookie_value(&p, name));
    if let Some(id) = sent.filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit())) {
        return id;
    }
    let id = new_token();
    let secure = if state.settings().secure_cookies { "; Secure" } else { "" };
    append_set_cookie(&format!(
        "{name}={id}; Path=/; HttpOnly; SameSite=Lax; Max-Age={DEVICE_COOKIE_MAX_AGE_S}{secure}"
    ));
    id
}

/// Notes that `viewer` signed in from this browser, mailing them when it is new to the account.
pub async fn note_sign_in(state: &AppState, viewer: &Viewer, meta: &RequestMeta) {
    let device = hash_token(&device_id(state));
    if let Err(e) = note(state, viewer, meta, &device).await {
        tracing::error!(error = %e, user_id = viewer.user_id, "recording the sign-in's device failed");
    }
}

async fn note(state: &AppState, viewer: &Viewer, meta: &RequestMeta, device: &str) -> Result<(), AppError> {
    // The owner's own bookkeeping; the notice itself is the mail.
    let mut c = Change::unaudited(state, "sign-in: the devices an account is used on").await?;
    let now = c.now_ms();
    let (known, this_one): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), COALESCE(SUM(CASE WHEN device_hash = $2 THEN 1 ELSE 0 END), 0) FROM known_devices \
         WHERE user_id = $1",
    )
    .bind(viewer.user_id)
    .bind(device)
    .fetch_one(c.conn())
    .await
    .context("reading the account's devices")?;
    sqlx::query(
        "INSERT INTO known_devices (user_id, device_hash, first_seen_at, last_seen_at) VALUES ($1, $2, $3, $3) \
         ON CONFLICT (user_id, device_hash) DO UPDATE SET last_seen_at = $3",
    )
    .bind(viewer.user_id)
    .bind(device)
    .bind(now)
    .execute(c.conn())
    .await
    .context("recording the device")?;
    if this_one == 0 && known > 0 {
        let (browser, system) = device_label(&meta.user_agent);
        let label = format!("{} / {}", or_unknown(browser), or_unknown(system));
        let at = crate::components::format::time_text(now);
        let payload = json!({"name": viewer.display_name, "device": label, "ip": meta.ip, "at": at});
        c.notify(OutboxEvent::email(viewer.user_id, "account.new_device", payload)).await?;
    }
    c.commit().await
}

fn or_unknown(name: &str) -> &str {
    if name.is_empty() {
        "?"
    } else {
        name
    }
}
