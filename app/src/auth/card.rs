//! What the account pages share: the card they sit in, and where a sign-in leads.

use crate::components::styles::H1;
use crate::i18n::t;
use leptos::prelude::*;

/// Where to go after signing in: a local `?next=` path, else the console for operators, else home.
pub fn after_sign_in(next: Option<String>, is_operator: bool) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") => n,
        _ if is_operator => "/console".to_string(),
        _ => "/".to_string(),
    }
}

/// Where a first sign-in step leads: on (as `after_sign_in`), or to the second factor's step, which
/// carries `next` along.
pub fn after_sign_in_step(step: &super::model::SignInStep, next: Option<String>) -> String {
    match step {
        super::model::SignInStep::SignedIn(viewer) => after_sign_in(next, viewer.is_operator()),
        super::model::SignInStep::SecondFactor => match next {
            Some(n) => format!("/signin/second-factor?next={}", crate::components::query::urlencode(&n)),
            None => "/signin/second-factor".to_string(),
        },
    }
}

#[component]
pub fn AuthCard(title: &'static str, children: Children) -> impl IntoView {
    view! {
        <div class="mx-auto max-w-md">
            <div class="rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
                <h1 class=format!("mb-6 {H1}")>{t(title)}</h1>
                {children()}
            </div>
        </div>
    }
}
