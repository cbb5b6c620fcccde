//! Sign-in with a provider (issue 14: OpenID Connect, GitHub's OAuth 2.0), the rules without HTTP: the
//! PKCE pair (RFC 7636, S256 only), the authorization request, what an ID token must say before anyone
//! is signed in with it (OIDC Core 3.1.3.7), which of GitHub's emails counts, and the display name of
//! a new account. The ID token comes straight from the provider's token endpoint over the back
//! channel, which Core allows to stand in for checking its signature; its issuer, audience, expiry and
//! nonce are always checked.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::Deserialize;
use sha2::{Digest, Sha256};

/// How long a started sign-in may take at the provider before its state is refused.
pub const FLOW_TTL_MS: i64 = 10 * 60_000;
/// How long a pending link (an identity whose email matches an existing account) waits for the
/// account's password.
pub const LINK_TTL_MS: i64 = 15 * 60_000;
/// Tolerated clock difference with the provider when reading `exp` and `iat`.
pub const CLOCK_SKEW_MS: i64 = 60_000;

/// The S256 challenge of a PKCE verifier.
pub fn pkce_challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// What an authorization request asks for (`nonce` only from OpenID Connect providers).
pub struct AuthorizationRequest<'a> {
    pub endpoint: &'a str,
    pub client_id: &'a str,
    pub redirect_uri: &'a str,
    pub scope: &'a str,
    pub state: &'a str,
    pub nonce: Option<&'a str>,
    pub verifier: &'a str,
}

/// The URL the browser is sent to: the provider's authorization endpoint with the request.
pub fn authorization_url(r: &AuthorizationRequest) -> String {
    let challenge = pkce_challenge(r.verifier);
    let mut params: Vec<(&str, &str)> = vec![
        ("response_type", "code"),
        ("client_id", r.client_id),
        ("redirect_uri", r.redirect_uri),
        ("scope", r.scope),
        ("state", r.state),
    ];
    if let Some(nonce) = r.nonce {
        params.push(("nonce", nonce));
    }
    params.push(("code_challenge", &challenge));
    params.push(("code_challenge_method", "S256"));
    let endpoint = r.endpoint;
    let query: Vec<String> = params
        .iter()
        .map(|(k, v)| format!("{k}={}", url::form_urlencoded::byte_serialize(v.as_bytes()).collect::<String>()))
        .collect();
    let sep = if endpoint.contains('?') { '&' } else { '?' };
    format!("{endpoint}{sep}{}", query.join("&"))
}

/// The claims of an ID token this platform reads.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct IdClaims {
    pub iss: String,
    pub sub: String,
    #[serde(deserialize_with = "audiences")]
    pub aud: Vec<String>,
    pub exp: i64,
    #[serde(default)]
    pub nonce: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub email_verified: Option<bool>,
    #[serde(default)]
    pub name: Option<String>,
}

fn audiences<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Aud {
        One(String),
        Many(Vec<String>),
    }
    Ok(match Aud::deserialize(d)? {
        Aud::One(a) => vec![a],
        Aud::Many(a) => a,
    })
}

impl IdClaims {
    /// The email, only when the provider says it has verified it.
    pub fn verified_email(&self) -> Option<String> {
        let email = self.email.as_deref()?.trim().to_lowercase();
        (self.email_verified == Some(true) && !email.is_empty()).then_some(email)
    }
}

/// Why an ID token is refused (each a sign-in refusal with its own message).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenProblem {
    Malformed,
    WrongIssuer,
    WrongAudience,
    Expired,
    WrongNonce,
}

impl TokenProblem {
    pub fn code(self) -> &'static str {
        match self {
            TokenProblem::Malformed => "provider.token_malformed",
            TokenProblem::WrongIssuer => "provider.wrong_issuer",
            TokenProblem::WrongAudience => "provider.wrong_audience",
            TokenProblem::Expired => "provider.token_expired",
            TokenProblem::WrongNonce => "provider.wrong_nonce",
        }
    }
}

/// Reads the ID token's claims (the middle part of the JWT) and checks them against what this
/// sign-in expects.
pub fn check_id_token(
    id_token: &str,
    issuer: &str,
    client_id: &str,
    nonce: &str,
    now_ms: i64,
) -> Result<IdClaims, TokenProblem> {
    let mut parts = id_token.split('.');
    let (Some(_header), Some(payload), Some(_signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(TokenProblem::Malformed);
    };
    let bytes = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).map_err(|_| TokenProblem::Malformed)?;
    let claims: IdClaims = serde_json::from_slice(&bytes).map_err(|_| TokenProblem::Malformed)?;
    if claims.sub.is_empty() || claims.sub.len() > 255 {
        return Err(TokenProblem::Malformed);
    }
    if claims.iss != issuer {
        return Err(TokenProblem::WrongIssuer);
    }
    if !claims.aud.iter().any(|a| a == client_id) {
        return Err(TokenProblem::WrongAudience);
    }
    if claims.exp.saturating_mul(1000) + CLOCK_SKEW_MS < now_ms {
        return Err(TokenProblem::Expired);
    }
    if claims.nonce.as_deref() != Some(nonce) {
        return Err(TokenProblem::WrongNonce);
    }
    Ok(claims)
}

/// One of the emails GitHub lists for the user (`GET /user/emails`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct GithubEmail {
    pub email: String,
    #[serde(default)]
    pub primary: bool,
    #[serde(default)]
    pub verified: bool,
}

/// The email a GitHub user signs in with: their primary one, only when GitHub has verified it.
pub fn github_email(emails: &[GithubEmail]) -> Option<String> {
    emails.iter().find(|e| e.primary && e.verified).map(|e| e.email.trim().to_lowercase()).filter(|e| !e.is_empty())
}

/// A new account's display name: the provider's `name`, else the email's local part, else "Member".
pub fn display_name_of(name: Option<&str>, email: Option<&str>) -> String {
    let from_name = name.map(str::trim).filter(|n| !n.is_empty());
    let from_email = email.and_then(|e| e.split('@').next()).filter(|n| !n.is_empty());
    let name = from_name.or(from_email).unwrap_or("Member");
    name.chars().filter(|c| !c.is_control()).take(64).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(claims: serde_json::Value) -> String {
        format!("eyJhbGciOiJSUzI1NiJ9.{}.c2ln", URL_SAFE_NO_PAD.encode(claims.to_string()))
    }

    fn claims(iss: &str, aud: serde_json::Value, exp_s: i64, nonce: &str) -> serde_json::Value {
        serde_json::json!({"iss": iss, "sub": "ada", "aud": aud, "exp": exp_s, "nonce": nonce,
            "email": "Ada@Example.com", "email_verified": true, "name": "Ada"})
    }

    #[test]
    fn the_challenge_is_rfc_7636s_example() {
        assert_eq!(
            pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn the_authorization_request_carries_state_nonce_and_the_challenge() {
        let request = |endpoint, nonce| AuthorizationRequest {
            endpoint,
            client_id: "agora",
            redirect_uri: "https://shop.example/cb",
            scope: "openid email",
            state: "s t",
            nonce,
            verifier: "v",
        };
        let url = authorization_url(&request("https://id.example/auth", Some("n")));
        assert!(url.starts_with("https://id.example/auth?response_type=code&client_id=agora"));
        assert!(url.contains("redirect_uri=https%3A%2F%2Fshop.example%2Fcb") && url.contains("state=s+t"));
        assert!(url.contains("scope=openid+email") && url.contains("&nonce=n&"));
        assert!(url.contains(&format!("code_challenge={}&code_challenge_method=S256", pkce_challenge("v"))));
        let github = authorization_url(&request("https://github.example/login/oauth/authorize?x=1", None));
        assert!(github.contains("authorize?x=1&response_type") && !github.contains("nonce"));
    }

    #[test]
    fn a_good_token_is_read_and_every_bad_one_named() {
        let now = 1_000_000_000;
        let good = token(claims("https://id.example", serde_json::json!("agora"), 1_000_100, "n1"));
        let c = check_id_token(&good, "https://id.example", "agora", "n1", now).unwrap();
        assert_eq!((c.sub.as_str(), c.verified_email().as_deref()), ("ada", Some("ada@example.com")));
        let many = token(claims("https://id.example", serde_json::json!(["x", "agora"]), 1_000_100, "n1"));
        assert!(check_id_token(&many, "https://id.example", "agora", "n1", now).is_ok());
        let check = |t: &str| check_id_token(t, "https://id.example", "agora", "n1", now).unwrap_err();
        assert_eq!(
            check(&token(claims("https://evil.example", "agora".into(), 1_000_100, "n1"))),
            TokenProblem::WrongIssuer
        );
        assert_eq!(
            check(&token(claims("https://id.example", "other".into(), 1_000_100, "n1"))),
            TokenProblem::WrongAudience
        );
        assert_eq!(check(&token(claims("https://id.example", "agora".into(), 999_000, "n1"))), TokenProblem::Expired);
        assert_eq!(
            check(&token(claims("https://id.example", "agora".into(), 1_000_100, "n2"))),
            TokenProblem::WrongNonce
        );
        assert_eq!(check("not-a-jwt"), TokenProblem::Malformed);
        assert_eq!(check("a.!!!.c"), TokenProblem::Malformed);
    }

    #[test]
    fn an_unverified_email_is_not_an_email() {
        let mut c: IdClaims = serde_json::from_value(claims("i", "a".into(), 1, "n")).unwrap();
        c.email_verified = Some(false);
        assert_eq!(c.verified_email(), None);
        c.email_verified = None;
        assert_eq!(c.verified_email(), None);
        assert_eq!(display_name_of(c.name.as_deref(), c.email.as_deref()), "Ada");
        assert_eq!(display_name_of(None, Some("ada.l@example.com")), "ada.l");
        assert_eq!(display_name_of(Some("  "), None), "Member");
    }

    #[test]
    fn only_a_verified_primary_github_email_counts() {
        let email = |email: &str, primary, verified| GithubEmail { email: email.into(), primary, verified };
        let list = [email("old@x.example", false, true), email("Octo@X.example", true, true)];
        assert_eq!(github_email(&list).as_deref(), Some("octo@x.example"));
        assert_eq!(github_email(&[email("a@x.example", true, false), email("b@x.example", false, true)]), None);
        assert_eq!(github_email(&[]), None);
    }
}
