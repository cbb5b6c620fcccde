//! What the pages show of sign-in providers and identities.

use serde::{Deserialize, Serialize};

/// A provider the sign-in page offers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProviderChoice {
    /// The path that starts a sign-in with it.
    pub start: String,
    pub label: String,
}

/// One of the caller's identities at a provider.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct IdentityRow {
    pub id: i64,
    pub provider: String,
    /// The provider as people read it ("GitHub"), filled in by the server function.
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    pub label: String,
    pub email: String,
    pub created_at_ms: i64,
    pub last_used_at_ms: i64,
}

/// The caller's identities, and the configured providers they may add.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignInMethods {
    pub identities: Vec<IdentityRow>,
    /// Each starts linking (`start` with `link=true`).
    pub can_add: Vec<ProviderChoice>,
}

/// Where a provider's sign-in ends for the browser.
pub const SIGN_IN_PATH: &str = "/signin";
pub const LINK_PATH: &str = "/signin/link";
