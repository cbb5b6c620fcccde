//! What every provider exchange shares: one HTTP client (short timeouts, no redirects followed: a
//! provider answers, it does not send us elsewhere), the refusal when a provider cannot be reached,
//! and what a provider vouches for once its answer is checked.

use crate::error::AppError;
use crate::platform::state::AppState;
use std::sync::OnceLock;
use std::time::Duration;

/// The callback's path under `public_url` (a server function reached by the browser's GET); every
/// provider sends the browser back here, and the flow says which provider it was.
pub const CALLBACK_PATH: &str = "/api/provider_callback";

pub fn callback_url(state: &AppState) -> String {
    format!("{}{CALLBACK_PATH}", state.settings().public_url.trim_end_matches('/'))
}

/// What a provider vouches for, whichever it is: its subject (stable per provider), the email only
/// when the provider has verified it, and a name.
pub struct Vouched {
    pub subject: String,
    pub email: Option<String>,
    pub name: Option<String>,
}

pub fn http() -> &'static reqwest::Client {
    static CLIENT: OnceLock<reqwest::Client> = OnceLock::new();
    CLIENT.get_or_init(|| {
        reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent("Agora")
            .build()
            .expect("an HTTP client")
    })
}

/// A provider that did not answer, or answered something unreadable: logged, and the user told to
/// try later or use their password.
pub fn unreachable(url: &str, why: &str) -> AppError {
    tracing::warn!(url, why, "the sign-in provider could not be reached");
    AppError::conflict("provider.provider_unreachable")
}

/// A JSON answer of at most 1 MiB (a provider's documents are small; nothing bigger is read).
pub async fn json<T: serde::de::DeserializeOwned>(url: &str, res: reqwest::Response) -> Result<T, AppError> {
    if res.content_length().is_some_and(|n| n > 1 << 20) {
        return Err(unreachable(url, "answer too large"));
    }
    let body = res.bytes().await.map_err(|e| unreachable(url, &e.to_string()))?;
    serde_json::from_slice(&body).map_err(|e| unreachable(url, &e.to_string()))
}
