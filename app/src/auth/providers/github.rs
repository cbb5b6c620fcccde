//! GitHub's OAuth 2.0 web flow (an OAuth app, with PKCE): the authorization request, the code
//! exchange (GitHub answers 200 with an `error` field when it refuses), then who the token belongs to
//! (`GET /user`) and their verified primary email (`GET /user/emails`).

use super::client::{callback_url, http, json, unreachable, Vouched};
use crate::domain::sign_in_provider::{self as rules, AuthorizationRequest, GithubEmail};
use crate::error::AppError;
use crate::platform::state::{AppState, GithubSettings};
use serde::Deserialize;

/// What the sign-in needs: the profile and the email addresses (read only).
const SCOPE: &str = "read:user user:email";

fn settings(state: &AppState) -> Result<GithubSettings, AppError> {
    state.settings().github.clone().ok_or(AppError::NotFound)
}

pub fn authorization_url(state: &AppState, flow_state: &str, verifier: &str) -> Result<String, AppError> {
    let settings = settings(state)?;
    Ok(rules::authorization_url(&AuthorizationRequest {
        endpoint: &format!("{}/login/oauth/authorize", settings.web_url),
        client_id: &settings.client_id,
        redirect_uri: &callback_url(state),
        scope: SCOPE,
        state: flow_state,
        nonce: None,
        verifier,
    }))
}

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: Option<String>,
    error: Option<String>,
}

#[derive(Deserialize)]
struct User {
    id: i64,
    login: String,
    name: Option<String>,
}

/// Exchanges the code (with the PKCE verifier), then reads the user and their emails.
pub async fn exchange(state: &AppState, code: &str, verifier: &str) -> Result<Vouched, AppError> {
    let settings = settings(state)?;
    let url = format!("{}/login/oauth/access_token", settings.web_url);
    let redirect_uri = callback_url(state);
    let form = [
        ("client_id", settings.client_id.as_str()),
        ("client_secret", settings.client_secret.0.as_str()),
        ("code", code),
        ("redirect_uri", redirect_uri.as_str()),
        ("code_verifier", verifier),
    ];
    let res = http()
        .post(&url)
        .header("Accept", "application/json")
        .form(&form)
        .send()
        .await
        .map_err(|e| unreachable(&url, &e.to_string()))?;
    let answer: TokenAnswer = json(&url, res).await?;
    let Some(token) = answer.access_token.filter(|_| answer.error.is_none()) else {
        tracing::warn!(error = ?answer.error, "GitHub refused the code");
        return Err(AppError::conflict("provider.code_refused"));
    };
    let user: User = get(&settings, "/user", &token).await?;
    let emails: Vec<GithubEmail> = get(&settings, "/user/emails", &token).await?;
    let name = user.name.filter(|n| !n.trim().is_empty()).or(Some(user.login));
    Ok(Vouched { subject: user.id.to_string(), email: rules::github_email(&emails), name })
}

async fn get<T: serde::de::DeserializeOwned>(
    settings: &GithubSettings,
    path: &str,
    token: &str,
) -> Result<T, AppError> {
    let url = format!("{}{path}", settings.api_url);
    let res = http()
        .get(&url)
        .bearer_auth(token)
        .header("Accept", "application/vnd.github+json")
        .send()
        .await
        .map_err(|e| unreachable(&url, &e.to_string()))?;
    if !res.status().is_success() {
        return Err(unreachable(&url, res.status().as_str()));
    }
    json(&url, res).await
}
