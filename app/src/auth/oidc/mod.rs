//! Sign-in with an OpenID Connect provider (issue 14): `oidc_start` sends the browser to the provider
//! with a state bound to this browser (a cookie), a nonce and a PKCE challenge; the provider sends it
//! back to `oidc_callback`, which checks the state, exchanges the code, checks the ID token
//! (`domain::oidc`) and then signs the identity's account in, creates an account for a new identity,
//! links the identity to the signed-in user who asked, or, when the verified email matches an
//! existing account, waits until that account's password confirms the link (`/signin/link`). Users
//! see and unlink their identities on their account page (never the last way to sign in).

pub mod api;
pub mod messages;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
