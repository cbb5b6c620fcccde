//! An OpenID Connect provider: its discovery document (the issuer must be exactly the configured
//! one), the authorization request with a nonce, and the code exchange whose ID token is checked
//! (`domain::sign_in_provider::check_id_token`).

use super::client::{http, json, unreachable, Vouched};
use crate::domain::sign_in_provider::{self as rules, AuthorizationRequest};
use crate::error::AppError;
use crate::platform::state::{AppState, OidcSettings};
use serde::Deserialize;

fn settings(state: &AppState) -> Result<OidcSettings, AppError> {
    state.settings().oidc.clone().ok_or(AppError::NotFound)
}

#[derive(Deserialize)]
struct Discovery {
    issuer: String,
    authorization_endpoint: String,
    token_endpoint: String,
}

/// The provider's discovery document; its issuer must be exactly the configured one.
async fn discover(settings: &OidcSettings) -> Result<Discovery, AppError> {
    let url = format!("{}/.well-known/openid-configuration", settings.issuer);
    let res = http().get(&url).send().await.map_err(|e| unreachable(&url, &e.to_string()))?;
    if !res.status().is_success() {
        return Err(unreachable(&url, res.status().as_str()));
    }
    let doc: Discovery = json(&url, res).await?;
    if doc.issuer.trim_end_matches('/') != settings.issuer {
        tracing::warn!(configured = %settings.issuer, announced = %doc.issuer, "the provider names another issuer");
        return Err(AppError::conflict("provider.wrong_issuer"));
    }
    Ok(doc)
}

pub async fn authorization_url(
    state: &AppState,
    flow_state: &str,
    nonce: &str,
    verifier: &str,
) -> Result<String, AppError> {
    let settings = settings(state)?;
    let doc = discover(&settings).await?;
    Ok(rules::authorization_url(&AuthorizationRequest {
        endpoint: &doc.authorization_endpoint,
        client_id: &settings.client_id,
        redirect_uri: &super::client::callback_url(state),
        scope: "openid email profile",
        state: flow_state,
        nonce: Some(nonce),
        verifier,
    }))
}

#[derive(Deserialize)]
struct TokenAnswer {
    id_token: String,
}

/// Exchanges the code (with the PKCE verifier) and checks the ID token. `iss`, when the provider
/// names itself in its answer (RFC 9207), must be the one asked.
pub async fn exchange(
    state: &AppState,
    code: &str,
    iss: Option<&str>,
    verifier: &str,
    nonce: &str,
) -> Result<Vouched, AppError> {
    let settings = settings(state)?;
    if iss.is_some_and(|i| i.trim_end_matches('/') != settings.issuer) {
        return Err(AppError::conflict("provider.wrong_issuer"));
    }
    let doc = discover(&settings).await?;
    let redirect_uri = super::client::callback_url(state);
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", redirect_uri.as_str()),
        ("code_verifier", verifier),
    ];
    let res = http()
        .post(&doc.token_endpoint)
        .basic_auth(&settings.client_id, Some(&settings.client_secret.0))
        .form(&form)
        .send()
        .await
        .map_err(|e| unreachable(&doc.token_endpoint, &e.to_string()))?;
    if !res.status().is_success() {
        let body = res.text().await.unwrap_or_default();
        tracing::warn!(body = %body.chars().take(300).collect::<String>(), "the provider refused the code");
        return Err(AppError::conflict("provider.code_refused"));
    }
    let answer: TokenAnswer = json(&doc.token_endpoint, res).await?;
    // The provider's expiry is on its clock, the world's: not ours, which tests move forward.
    let claims =
        rules::check_id_token(&answer.id_token, &settings.issuer, &settings.client_id, nonce, state.world_ms())
            .map_err(|p| AppError::conflict(p.code()))?;
    Ok(Vouched { email: claims.verified_email(), subject: claims.sub, name: claims.name })
}
