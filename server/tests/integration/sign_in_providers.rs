//! Sign-in with a provider. OpenID Connect against a real provider: `oidc-provider` from npm, started
//! per test on loopback by end2end/fixtures/oidc-provider.mjs. GitHub against a loopback stand-in of
//! its OAuth web flow and REST API (end2end/fixtures/github-stand-in.mjs; GitHub itself cannot be
//! reached from tests): our client is the real one either way. The test drives the redirects as a
//! browser would (cookies kept, `Accept: text/html`, each redirect followed by hand).

use crate::helpers::{client, start_fixture, Persona, TestApp, PASSWORD};
use reqwest::header::{ACCEPT, LOCATION};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::sync::Arc;

struct Provider {
    _child: tokio::process::Child,
    issuer: String,
}

impl Provider {
    /// A provider whose one client redirects to `app_base` and whose accounts are `accounts`
    /// (`login`, `email`, `email_verified`, `name`).
    async fn start(app_base: &str, accounts: Value) -> Provider {
        let config = json!({
            "port": 0,
            "client_id": "agora",
            "client_secret": "agora-secret",
            "redirect_uris": [format!("{app_base}/api/provider_callback")],
            "accounts": accounts,
        });
        let (child, said) = start_fixture("oidc-provider.mjs", &[&config.to_string()]).await;
        Provider { _child: child, issuer: said["issuer"].as_str().unwrap().to_string() }
    }
}

/// The loopback stand-in for GitHub, with one account: octo (id 583231, octo@github.test verified
/// and primary).
struct GithubStandIn {
    _child: tokio::process::Child,
    web_url: String,
    api_url: String,
}

impl GithubStandIn {
    async fn start(app_base: &str) -> GithubStandIn {
        let config = json!({
            "port": 0,
            "client_id": "agora-gh",
            "client_secret": "agora-gh-secret",
            "redirect_uris": [format!("{app_base}/api/provider_callback")],
            "accounts": [{ "login": "octo", "id": 583231, "name": "Octo Cat",
                "emails": [{ "email": "octo@github.test", "primary": true, "verified": true }] }],
        });
        let (child, said) = start_fixture("github-stand-in.mjs", &[&config.to_string()]).await;
        let url = |k: &str| said[k].as_str().unwrap().to_string();
        GithubStandIn { _child: child, web_url: url("web_url"), api_url: url("api_url") }
    }
}

/// An app and both providers, knowing each other; `issuer` overrides the issuer the app is told.
async fn app_and_provider(accounts: Value, issuer: Option<&dyn Fn(&str) -> String>) -> (TestApp, Provider) {
    let (app, provider, _github) = app_and_providers(accounts, issuer).await;
    (app, provider)
}

async fn app_and_providers(
    accounts: Value,
    issuer: Option<&dyn Fn(&str) -> String>,
) -> (TestApp, Provider, GithubStandIn) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let provider = Provider::start(&base, accounts).await;
    let github = GithubStandIn::start(&base).await;
    let configured = issuer.map(|f| f(&provider.issuer)).unwrap_or_else(|| provider.issuer.clone());
    let env = [
        ("AGORA_OIDC_ISSUER", configured.as_str()),
        ("AGORA_OIDC_CLIENT_ID", "agora"),
        ("AGORA_OIDC_CLIENT_SECRET", "agora-secret"),
        ("AGORA_OIDC_LABEL", "Local ID"),
        ("AGORA_GITHUB_CLIENT_ID", "agora-gh"),
        ("AGORA_GITHUB_CLIENT_SECRET", "agora-gh-secret"),
        ("AGORA_GITHUB_WEB_URL", github.web_url.as_str()),
        ("AGORA_GITHUB_API_URL", github.api_url.as_str()),
    ];
    let app = TestApp::spawn_on(listener, &env).await;
    (app, provider, github)
}

const OIDC_START: &str = "/api/provider_start?provider=oidc";
const GITHUB_START: &str = "/api/provider_start?provider=github";

fn ada() -> Value {
    json!([{ "login": "ada", "email": "ada@example.com", "email_verified": true, "name": "Ada Lovelace" }])
}

/// A browser: one cookie jar for the app and the provider, redirects seen one by one.
struct Browser {
    http: reqwest::Client,
    jar: Arc<reqwest::cookie::Jar>,
}

impl Browser {
    fn new() -> Browser {
        let jar = Arc::new(reqwest::cookie::Jar::default());
        let http = reqwest::Client::builder()
            .cookie_provider(jar.clone())
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Browser { http, jar }
    }

    async fn get(&self, url: &str) -> (StatusCode, Option<String>, String) {
        let res = self.http.get(url).header(ACCEPT, "text/html").send().await.unwrap();
        let location = res.headers().get(LOCATION).map(|l| l.to_str().unwrap().to_string());
        (res.status(), location, res.text().await.unwrap())
    }

    /// From the app's start to the provider's redirect back to the app (the callback URL, not yet
    /// opened), signing in at the provider as `login`.
    async fn to_callback(&self, app: &TestApp, provider: &Provider, start: &str, login: &str) -> String {
        let (status, to_provider, body) = self.get(&app.url(start)).await;
        assert_eq!(status, StatusCode::FOUND, "start: {body}");
        let to_provider = to_provider.unwrap();
        assert!(to_provider.starts_with(&provider.issuer), "{to_provider}");
        assert!(to_provider.contains("code_challenge_method=S256") && to_provider.contains("nonce="), "{to_provider}");
        let (_, interaction, _) = self.get(&to_provider).await;
        let interaction = interaction.unwrap();
        // Signed in at the provider already (same browser): straight back to the app.
        if interaction.starts_with(&app.url("/api/provider_callback?")) {
            return interaction;
        }
        let interaction = format!("{}{interaction}", provider.issuer);
        let res = self.http.post(format!("{interaction}/login")).form(&[("login", login)]).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let resume = res.headers()[LOCATION].to_str().unwrap().to_string();
        let (_, callback, _) = self.get(&resume).await;
        let callback = callback.unwrap();
        assert!(callback.starts_with(&app.url("/api/provider_callback?")), "{callback}");
        callback
    }

    /// GitHub's web flow, to the redirect back to the app: the stand-in's authorize page, its form
    /// posted as `login` (`deny` cancels).
    async fn to_github_callback(&self, app: &TestApp, github: &GithubStandIn, login: &str) -> String {
        let (status, authorize, body) = self.get(&app.url(GITHUB_START)).await;
        assert_eq!(status, StatusCode::FOUND, "start: {body}");
        let authorize = authorize.unwrap();
        assert!(authorize.starts_with(&format!("{}/login/oauth/authorize?", github.web_url)), "{authorize}");
        assert!(authorize.contains("code_challenge_method=S256") && !authorize.contains("nonce"), "{authorize}");
        let (status, _, page) = self.get(&authorize).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        let request = page.split("name=\"request\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
        let res = self
            .http
            .post(format!("{}/login/oauth/authorize", github.web_url))
            .form(&[("request", request.as_str()), ("login", login)])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::FOUND);
        let callback = res.headers()[LOCATION].to_str().unwrap().to_string();
        assert!(callback.starts_with(&app.url("/api/provider_callback?")), "{callback}");
        callback
    }

    /// Opens the callback; returns where the app sends the browser.
    async fn callback(&self, url: &str) -> String {
        let (status, location, body) = self.get(url).await;
        assert_eq!(status, StatusCode::FOUND, "callback: {body}");
        location.unwrap()
    }

    async fn whoami(&self, app: &TestApp) -> Value {
        let res = self.http.post(app.url("/api/whoami")).send().await.unwrap();
        res.json().await.unwrap()
    }

    fn persona(&self, id: i64, email: &str) -> Persona {
        Persona { client: self.http.clone(), user_id: Some(id), email: email.to_string() }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_identity_makes_an_account_and_signs_it_in_again_later() {
    let (app, provider) = app_and_provider(ada(), None).await;
    let browser = Browser::new();
    let callback = browser.to_callback(&app, &provider, OIDC_START, "ada").await;
    assert_eq!(browser.callback(&callback).await, "/");
    let me = browser.whoami(&app).await;
    assert_eq!(me["email"], "ada@example.com");
    assert_eq!(me["display_name"], "Ada Lovelace");
    let id = me["user_id"].as_i64().unwrap();
    // The provider proved the address; there is no password (the provider is the way in).
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM users WHERE id = {id} AND email_verified_at IS NOT NULL AND password_hash = '!unset'"
        ))
        .await,
        1
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM user_identities WHERE provider = 'oidc' AND subject = 'ada'").await, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM oidc_flows").await, 0, "a finished flow is used up");

    // A month later (our clock moved, as tests move it; the provider's did not: its token's expiry
    // is read on the world's clock), in another browser: the same identity, the same account.
    app.advance(30 * 86_400_000);
    let other = Browser::new();
    let callback = other.to_callback(&app, &provider, OIDC_START, "ada").await;
    assert_eq!(other.callback(&callback).await, "/");
    assert_eq!(other.whoami(&app).await["user_id"].as_i64(), Some(id));
    assert_eq!(app.count("SELECT COUNT(*) FROM users WHERE email = 'ada@example.com'").await, 1);

    // Their only way in cannot be removed.
    let identity: i64 = sqlx::query_scalar("SELECT id FROM user_identities WHERE user_id = $1")
        .bind(id)
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    let (status, body) =
        app.call(&other.persona(id, "ada@example.com"), "unlink_identity", &[("id", &identity.to_string())]).await;
    assert_eq!(
        (status, body["Conflict"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("provider.last_way")),
        "{body}"
    );
    let (status, body) = app.call(&other.persona(id, "ada@example.com"), "my_identities", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["identities"].as_array().unwrap().len(), 1);
    assert_eq!(body["identities"][0]["label"], "Local ID");
    assert_eq!(body["can_add"][1]["start"], "/api/provider_start?provider=github&link=true");
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forged_or_replayed_callback_signs_nobody_in() {
    let (app, provider) = app_and_provider(ada(), None).await;
    // Started in one browser, the callback opened in another (no state cookie): refused.
    let victim = Browser::new();
    let attacker = Browser::new();
    let callback = attacker.to_callback(&app, &provider, OIDC_START, "ada").await;
    assert_eq!(victim.callback(&callback).await, "/signin?provider_error=provider.state_mismatch");
    assert!(victim.whoami(&app).await.is_null());
    // A state nobody started (the cookie forged to match): unknown.
    let forged = callback.replace("state=", "state=x");
    let forged_state = forged.split("state=").nth(1).unwrap().split('&').next().unwrap().to_string();
    victim.jar.add_cookie_str(
        &format!("agora_sign_in_state={forged_state}; Path=/api/provider_callback"),
        &app.base.parse().unwrap(),
    );
    assert_eq!(victim.callback(&forged).await, "/signin?provider_error=provider.state_unknown");

    // The real one, once: signed in. Replayed with the cookie put back: the state is used up.
    assert_eq!(attacker.callback(&callback).await, "/");
    let state = callback.split("state=").nth(1).unwrap().split('&').next().unwrap().to_string();
    attacker.jar.add_cookie_str(
        &format!("agora_sign_in_state={state}; Path=/api/provider_callback"),
        &app.base.parse().unwrap(),
    );
    // (Signed in by now, the refusal is shown on the account page.)
    assert_eq!(attacker.callback(&callback).await, "/account?provider_error=provider.state_unknown");
    // The user declining at the provider.
    let declined = app.url("/api/provider_callback?error=access_denied&state=x");
    assert_eq!(Browser::new().callback(&declined).await, "/signin?provider_error=provider.declined");
    assert_eq!(app.count("SELECT COUNT(*) FROM users WHERE email = 'ada@example.com'").await, 1);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_provider_that_is_not_the_configured_issuer_is_refused() {
    // The app is told `localhost`; the provider (reached there) says it is `127.0.0.1`.
    let rename: &dyn Fn(&str) -> String = &|issuer: &str| issuer.replace("127.0.0.1", "localhost");
    let (app, _provider) = app_and_provider(ada(), Some(rename)).await;
    let browser = Browser::new();
    let (status, location, _) = browser.get(&app.url(OIDC_START)).await;
    assert_eq!(
        (status, location.as_deref()),
        (StatusCode::FOUND, Some("/signin?provider_error=provider.wrong_issuer"))
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM oidc_flows").await, 0);
    // Without a provider configured, there is nothing to start.
    let plain = TestApp::spawn().await;
    assert_eq!(
        app.call(&plain.anonymous(), "sign_in_providers", &[]).await.1,
        json!([
            {"start": "/api/provider_start?provider=oidc", "label": "Local ID"},
            {"start": "/api/provider_start?provider=github", "label": "GitHub"}
        ])
    );
    assert_eq!(plain.call(&plain.anonymous(), "sign_in_providers", &[]).await.1, json!([]));
    let (status, location, _) = Browser::new().get(&plain.url(OIDC_START)).await;
    assert_eq!((status, location.as_deref()), (StatusCode::FOUND, Some("/signin?provider_error=error.not_found")));
    plain.finish().await;
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_existing_account_is_linked_only_after_its_password_confirms_it() {
    let (app, provider) = app_and_provider(ada(), None).await;
    let owner = app.sign_up("ada@example.com", "Ada", PASSWORD).await;
    // A confirmation left for more than 15 minutes is refused, even with the right password.
    let late = Browser::new();
    let callback = late.to_callback(&app, &provider, OIDC_START, "ada").await;
    let stale = late.callback(&callback).await.split("token=").nth(1).unwrap().to_string();
    app.advance(agora_app::domain::sign_in_provider::LINK_TTL_MS + 1);
    let guest = Persona { client: late.http.clone(), user_id: None, email: String::new() };
    let (status, body) = app.call(&guest, "confirm_identity_link", &[("token", &stale), ("password", PASSWORD)]).await;
    assert_eq!((status, body["Conflict"]["code"].as_str()), (StatusCode::CONFLICT, Some("provider.link_unknown")));
    assert!(late.whoami(&app).await.is_null());
    let browser = Browser::new();
    let callback = browser.to_callback(&app, &provider, OIDC_START, "ada").await;
    let to_link = browser.callback(&callback).await;
    assert!(to_link.starts_with("/signin/link?token="), "{to_link}");
    assert!(browser.whoami(&app).await.is_null(), "nobody is signed in before the password");
    let token = to_link.split("token=").nth(1).unwrap().to_string();
    let guest = Persona { client: browser.http.clone(), user_id: None, email: String::new() };
    let (status, email) = app.call(&guest, "check_identity_link", &[("token", &token)]).await;
    assert_eq!((status, email), (StatusCode::OK, json!("ada@example.com")));
    let (status, body) =
        app.call(&guest, "confirm_identity_link", &[("token", &token), ("password", "not the password")]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(app.count("SELECT COUNT(*) FROM user_identities").await, 0);
    let (status, body) = app.call(&guest, "confirm_identity_link", &[("token", &token), ("password", PASSWORD)]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(browser.whoami(&app).await["user_id"].as_i64(), owner.user_id);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'account.identity_link' AND actor_roles = 'buyer'")
            .await,
        1
    );
    // The owner is told, by mail, from the outbox written in the same change.
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox WHERE event_type = 'account.identity_linked'").await, 1);
    // The confirmation is used up.
    let (status, body) = app.call(&guest, "check_identity_link", &[("token", &token)]).await;
    assert_eq!((status, body["Conflict"]["code"].as_str()), (StatusCode::CONFLICT, Some("provider.link_unknown")));

    // From now on the provider signs the owner in directly; having a password, they may unlink it.
    let again = Browser::new();
    let callback = again.to_callback(&app, &provider, OIDC_START, "ada").await;
    assert_eq!(again.callback(&callback).await, "/");
    assert_eq!(again.whoami(&app).await["user_id"].as_i64(), owner.user_id);
    let identity: i64 =
        sqlx::query_scalar("SELECT id FROM user_identities").fetch_one(app.state.db.read()).await.unwrap();
    let (status, body) = app.call(&owner, "unlink_identity", &[("id", &identity.to_string())]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'account.identity_unlink'").await, 1);
    // Someone else's identity is nobody's to unlink.
    let (status, _) = app.call(&owner, "unlink_identity", &[("id", &identity.to_string())]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let _ = client();
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn github_signs_up_a_new_user_with_the_verified_primary_email_and_links_for_a_signed_in_one() {
    let (app, _oidc, github) = app_and_providers(ada(), None).await;
    let browser = Browser::new();
    let callback = browser.to_github_callback(&app, &github, "octo").await;
    assert_eq!(browser.callback(&callback).await, "/");
    let me = browser.whoami(&app).await;
    assert_eq!((me["email"].as_str(), me["display_name"].as_str()), (Some("octo@github.test"), Some("Octo Cat")));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM user_identities WHERE provider = 'github' AND subject = '583231'").await,
        1
    );
    // Again: the same account, by GitHub's user id.
    let again = Browser::new();
    let callback = again.to_github_callback(&app, &github, "octo").await;
    assert_eq!(again.callback(&callback).await, "/");
    assert_eq!(again.whoami(&app).await["user_id"], me["user_id"]);
    // Cancelled at GitHub: told so, nobody signed in.
    let declined = Browser::new();
    let callback = declined.to_github_callback(&app, &github, "deny").await;
    assert_eq!(declined.callback(&callback).await, "/signin?provider_error=provider.declined");
    assert!(declined.whoami(&app).await.is_null());

    // A signed-in user (with a password) adds the OpenID Connect provider from their account page:
    // linked to them whatever the provider's email, audited, and they are mailed.
    app.sign_up("someone@example.com", "Someone", PASSWORD).await;
    let linking = Browser::new();
    let res = linking
        .http
        .post(app.url("/api/sign_in"))
        .form(&[("email", "someone@example.com"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let someone = linking.whoami(&app).await["user_id"].as_i64().unwrap();
    let callback = linking.to_callback(&app, &_oidc, "/api/provider_start?provider=oidc&link=true", "ada").await;
    assert_eq!(linking.callback(&callback).await, "/account?linked=1");
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) FROM user_identities WHERE user_id = {someone} AND provider = 'oidc'"))
            .await,
        1
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox WHERE event_type = 'account.identity_linked'").await, 1);
    // The same identity cannot be linked twice (to anyone).
    let callback = linking.to_callback(&app, &_oidc, "/api/provider_start?provider=oidc&link=true", "ada").await;
    assert_eq!(linking.callback(&callback).await, "/account?provider_error=provider.identity_taken");
    app.finish().await;
}
