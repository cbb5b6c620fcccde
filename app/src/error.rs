//! User-facing errors. A server function fails with one of these codes; the UI translates the code.
//! Causes (SQL text, panics, I/O) never cross this boundary: they are recorded for the request
//! (`platform::errors`), logged once by the server's middleware next to the request id, and the user
//! sees `Internal` with that request id as the reference to quote.

use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("sign in required")]
    Unauthenticated,
    #[error("not allowed")]
    Forbidden,
    #[error("not found")]
    NotFound,
    /// A field failed validation: `code` is a message key shown next to `field`.
    #[error("invalid {field}: {code}")]
    Invalid { field: String, code: String },
    /// The request was valid but conflicts with the current state (`code` is a message key).
    #[error("conflict: {code}")]
    Conflict { code: String },
    #[error("too many attempts, retry in {retry_after_s}s")]
    RateLimited { retry_after_s: i64 },
    /// The account may not sign in now: locked after failed attempts, or banned. `code` is the message
    /// key; `until_ms` when it ends (none: permanent); `cause` a message key for why (a ban's category).
    #[error("sign-in blocked: {code}")]
    SignInBlocked { code: String, until_ms: Option<i64>, cause: Option<String> },
    /// Maintenance mode refuses changes (read-only) or everything (closed) for all but the allowed
    /// operators: the operators' announcement, and when the window ends if it says.
    #[error("maintenance")]
    Maintenance { message: String, until_ms: Option<i64> },
    /// The request could not be read (a malformed form or body).
    #[error("malformed request")]
    Malformed,
    /// The server could not be reached.
    #[error("network error")]
    Network,
    /// Something failed on the server; `reference` is the request id the cause is logged under.
    #[error("internal error (reference {reference})")]
    Internal { reference: String },
}

impl AppError {
    pub fn invalid(field: &str, code: &str) -> AppError {
        AppError::Invalid { field: field.to_string(), code: code.to_string() }
    }

    pub fn conflict(code: &str) -> AppError {
        AppError::Conflict { code: code.to_string() }
    }

    /// An internal error: records `what` went wrong (and where: the caller's location) for the current
    /// request, and returns the error carrying the request id as its reference.
    #[track_caller]
    pub fn internal(what: impl Into<String>) -> AppError {
        #[cfg(feature = "ssr")]
        let reference = crate::platform::errors::record(what.into(), None, std::panic::Location::caller());
        // In the browser there is no request to record against: nothing to quote.
        #[cfg(not(feature = "ssr"))]
        let reference = {
            let _ = what.into();
            String::new()
        };
        AppError::Internal { reference }
    }

    /// The reference to quote for an internal error.
    pub fn reference(&self) -> Option<&str> {
        match self {
            AppError::Internal { reference } if !reference.is_empty() => Some(reference),
            _ => None,
        }
    }

    /// The HTTP status the server answers with for this error.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Unauthenticated => 401,
            AppError::Forbidden | AppError::SignInBlocked { .. } => 403,
            AppError::NotFound => 404,
            AppError::Invalid { .. } | AppError::Malformed => 400,
            AppError::Conflict { .. } => 409,
            AppError::RateLimited { .. } => 429,
            AppError::Maintenance { .. } => 503,
            AppError::Network => 502,
            AppError::Internal { .. } => 500,
        }
    }

    /// The message key for this error (see `i18n`).
    pub fn message_key(&self) -> &str {
        match self {
            AppError::Unauthenticated => "error.unauthenticated",
            AppError::Forbidden => "error.forbidden",
            AppError::NotFound => "error.not_found",
            AppError::Invalid { code, .. } | AppError::Conflict { code } | AppError::SignInBlocked { code, .. } => code,
            AppError::RateLimited { .. } => "error.rate_limited",
            AppError::Maintenance { until_ms: Some(_), .. } => "error.maintenance_until",
            AppError::Maintenance { until_ms: None, .. } => "error.maintenance",
            AppError::Malformed => "error.malformed",
            AppError::Network => "error.network",
            AppError::Internal { .. } => "error.internal",
        }
    }

    /// The field this error belongs next to, if any.
    pub fn field(&self) -> Option<&str> {
        match self {
            AppError::Invalid { field, .. } => Some(field),
            _ => None,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::Deserialization(_) => AppError::Malformed,
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Response(_) => AppError::Network,
            other => AppError::internal(format!("server function: {other}")),
        }
    }
}

/// `?` on a database result: the cause and the `?` site are recorded (add "while doing what" with
/// `error::Context`).
#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    #[track_caller]
    fn from(e: sqlx::Error) -> Self {
        AppError::internal(format!("database: {e}"))
    }
}

#[cfg(feature = "ssr")]
impl From<anyhow::Error> for AppError {
    #[track_caller]
    fn from(e: anyhow::Error) -> Self {
        AppError::internal(format!("{e:#}"))
    }
}

#[cfg(feature = "ssr")]
/// "While doing what": `.context("loading the payout request")` on a database result records the
/// cause with that note; on an `AppError` result it adds the note to an internal error's cause.
pub trait Context<T> {
    fn context(self, what: &str) -> Result<T, AppError>;
}

#[cfg(feature = "ssr")]
impl<T> Context<T> for Result<T, sqlx::Error> {
    #[track_caller]
    fn context(self, what: &str) -> Result<T, AppError> {
        match self {
            Ok(v) => Ok(v),
            Err(e) => {
                let reference = crate::platform::errors::record(
                    format!("database: {e}"),
                    Some(what),
                    std::panic::Location::caller(),
                );
                Err(AppError::Internal { reference })
            }
        }
    }
}

#[cfg(feature = "ssr")]
impl<T> Context<T> for Result<T, AppError> {
    fn context(self, what: &str) -> Result<T, AppError> {
        if let Err(AppError::Internal { reference }) = &self {
            crate::platform::errors::add_doing(reference, what);
        }
        self
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::{AppError, Context};
    use crate::platform::errors::{scope, RequestErrors};

    #[tokio::test]
    async fn context_records_the_cause_with_what_the_code_was_doing() {
        let slot = RequestErrors::new("req-1".into());
        let result: Result<(), AppError> = scope(slot.clone(), async {
            let e: Result<(), sqlx::Error> = Err(sqlx::Error::RowNotFound);
            e.context("loading the payout request").context("approving a payout")
        })
        .await;
        assert_eq!(result, Err(AppError::Internal { reference: "req-1".into() }));
        let causes = slot.take();
        assert_eq!(causes.len(), 1);
        let line = causes[0].line();
        assert!(line.starts_with("database: "), "{line}");
        assert!(line.contains("error.rs"), "{line}");
        assert!(line.ends_with("while loading the payout request while approving a payout"), "{line}");
    }

    #[tokio::test]
    async fn the_question_mark_site_is_recorded() {
        async fn fails() -> Result<(), AppError> {
            Err(sqlx::Error::RowNotFound)?;
            Ok(())
        }
        let slot = RequestErrors::new("req-2".into());
        let line = line!() - 4;
        assert_eq!(scope(slot.clone(), fails()).await, Err(AppError::Internal { reference: "req-2".into() }));
        let cause = &slot.take()[0];
        assert_eq!(cause.location.line(), line);
    }

    #[test]
    fn without_a_request_a_fresh_reference_is_returned() {
        let e = AppError::internal("a corrupt row");
        assert!(matches!(e.reference(), Some(r) if r.len() == 16));
    }
}
