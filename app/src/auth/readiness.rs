//! Launch readiness checks of identity and login (see `crate::readiness`).

use crate::domain::readiness::{fact, rules, Area, CheckDef, Measured};
use crate::error::AppError;
use crate::platform::state::AppState;

static HTTPS: CheckDef =
    CheckDef { id: "identity.https", area: Area::Identity, link: None, setting: Some("public_url") };
static COOKIES: CheckDef =
    CheckDef { id: "identity.cookies", area: Area::Identity, link: None, setting: Some("public_url") };
static BOOTSTRAP: CheckDef = CheckDef {
    id: "identity.bootstrap_token",
    area: Area::Identity,
    link: Some("/console/users"),
    setting: Some("bootstrap_token"),
};
static SIGNUP: CheckDef =
    CheckDef { id: "identity.signup_policy", area: Area::Identity, link: None, setting: Some("signup_policy") };
static VERIFICATION: CheckDef = CheckDef {
    id: "identity.email_verification",
    area: Area::Identity,
    link: Some("/console/delivery"),
    setting: Some("smtp_host"),
};

static SECOND_FACTOR: CheckDef = CheckDef {
    id: "identity.operator_second_factor",
    area: Area::Identity,
    link: Some("/account#second-factor"),
    setting: Some("operator_second_factor"),
};

pub static CHECKS: &[&CheckDef] = &[&HTTPS, &COOKIES, &BOOTSTRAP, &SECOND_FACTOR, &SIGNUP, &VERIFICATION];

pub async fn measure(state: &AppState) -> Result<Vec<Measured>, AppError> {
    let s = state.settings();
    let https = s.public_url.starts_with("https://");
    let super_admins = super::service::active_super_admins(state).await?;
    let token = s.bootstrap_token.is_some();
    let yes_no = |b: bool| if b { "yes" } else { "no" };
    let without_factor: i64 = sqlx::query_scalar(
        "SELECT COUNT(DISTINCT r.user_id) FROM user_roles r JOIN users u ON u.id = r.user_id \
         LEFT JOIN user_second_factors f ON f.user_id = r.user_id AND f.enabled_at IS NOT NULL \
         WHERE u.status = 'active' AND f.user_id IS NULL",
    )
    .fetch_one(state.db.read())
    .await?;
    let required = s.operator_second_factor_required;
    Ok(vec![
        HTTPS.measured(rules::public_url_https(https), vec![fact("readiness.fact.public_url", &s.public_url)]),
        COOKIES.measured(
            rules::secure_cookies(s.secure_cookies),
            vec![
                fact("readiness.fact.cookie_name", crate::platform::caller::session_cookie_name(state)),
                fact("readiness.fact.secure", yes_no(s.secure_cookies)),
            ],
        ),
        BOOTSTRAP.measured(
            rules::bootstrap_token(token, super_admins),
            vec![
                fact("readiness.fact.bootstrap_token_set", yes_no(token)),
                fact("readiness.fact.super_admins", super_admins),
            ],
        ),
        SECOND_FACTOR.measured(
            rules::operator_second_factor(required, without_factor),
            vec![
                fact("readiness.fact.second_factor_required", yes_no(required)),
                fact("readiness.fact.operators_without_second_factor", without_factor),
            ],
        ),
        SIGNUP.measured(
            rules::signup_policy(s.signup_policy.is_some()),
            vec![fact("readiness.fact.signup_policy", s.signup_policy.map_or("", |p| p.as_str()))],
        ),
        VERIFICATION.measured(
            rules::email_verification(s.mail.configured()),
            vec![
                fact("readiness.fact.verification_required", "yes"),
                fact("readiness.fact.smtp_host", &s.mail.smtp_host),
            ],
        ),
    ])
}
