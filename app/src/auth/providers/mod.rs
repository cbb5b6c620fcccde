//! Sign-in with a provider (issue 14): any OpenID Connect issuer (`oidc.rs`) and GitHub's OAuth 2.0
//! (`github.rs`). `provider_start` sends the browser to the provider with a state bound to this browser
//! (a cookie), a nonce (OpenID Connect) and a PKCE challenge; the provider sends it back to
//! `provider_callback`, which checks the state, exchanges the code, checks the answer
//! (`domain::sign_in_provider`) and then signs the identity's account in, creates an account for a new
//! identity, links the identity to the signed-in user who asked, or, when the verified email matches
//! an existing account, waits until that account's password confirms the link (`/signin/link`).
//! Users see and unlink their identities on their account page (never the last way to sign in).

pub mod api;
#[cfg(feature = "ssr")]
pub mod client;
#[cfg(feature = "ssr")]
pub mod github;
pub mod messages;
pub mod model;
#[cfg(feature = "ssr")]
pub mod oidc;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
