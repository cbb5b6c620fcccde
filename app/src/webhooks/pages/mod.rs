//! The webhooks page, one for both sides: `/seller/webhooks` (the seller organisation's owner) and
//! `/console/webhooks` (operators with `webhooks.manage`, the platform's endpoints). It lists the
//! endpoints, adds one (its secret shown once), and per endpoint: send a test event, rotate the
//! secret (the new one shown once), disable/enable, edit, delete, and the attempts log with replays.

pub mod calls;
mod endpoint;
mod form;
mod shared;

use super::model::{EndpointsView, SecretOnce};
use crate::components::styles::{CARD, H1, H2, SUBTITLE};
use crate::components::{DetailResult, DoneNotice};
use crate::i18n::{t, title};
use calls::Side;
use form::EndpointForm;
use leptos::prelude::*;
use leptos_meta::Title;
use shared::Shared;

#[component]
pub fn SellerWebhooksPage() -> impl IntoView {
    view! {
        <Title text=title("webhooks.title")/>
        <Manager side=Side::Seller/>
    }
}

#[component]
pub fn ConsoleWebhooksPage() -> impl IntoView {
    view! {
        <Title text=title("webhooks.console_title")/>
        <Manager side=Side::Console/>
    }
}

#[component]
fn Manager(side: Side) -> impl IntoView {
    let shared = Shared { side, refresh: RwSignal::new(0), notice: RwSignal::new(None), secret: RwSignal::new(None) };
    let endpoints = Resource::new(move || shared.refresh.get(), move |_| calls::list(side));
    let (heading, hint) = match side {
        Side::Seller => ("webhooks.title", "webhooks.seller_hint"),
        Side::Console => ("webhooks.console_title", "webhooks.console_hint"),
    };
    view! {
        <div class="mx-auto max-w-4xl space-y-6">
            <header>
                <h1 class=H1>{t(heading)}</h1>
                <p class=SUBTITLE>{t(hint)}</p>
            </header>
            <DoneNotice notice=shared.notice/>
            <SecretBox secret=shared.secret/>
            <DetailResult resource=endpoints let:view>
                <Endpoints view shared/>
            </DetailResult>
        </div>
    }
}

/// A secret, once: right after an endpoint was added or its secret rotated.
#[component]
fn SecretBox(secret: RwSignal<Option<SecretOnce>>) -> impl IntoView {
    move || {
        secret.get().map(|s| {
            view! {
                <section role="status" class="rounded-xl border border-amber-300 bg-amber-50 p-4" aria-labelledby="secret-title">
                    <h2 id="secret-title" class=H2>{t("webhooks.secret_title")}</h2>
                    <p class="mt-1 text-sm text-amber-900">{t("webhooks.secret_hint")}</p>
                    <code class="mt-2 block break-all rounded bg-white px-3 py-2 font-mono text-sm" data-testid="webhook-secret">{s.secret}</code>
                    <button type="button" class="mt-2 text-sm text-amber-900 underline" on:click=move |_| secret.set(None)>
                        {t("webhooks.secret_done")}
                    </button>
                </section>
            }
        })
    }
}

#[component]
fn Endpoints(view: EndpointsView, shared: Shared) -> impl IntoView {
    let offered = view.offered.clone();
    let empty = view.endpoints.is_empty();
    view! {
        {empty.then(|| view! { <p class="text-sm text-slate-500" data-testid="webhooks-empty">{t("webhooks.empty")}</p> })}
        <ul class="space-y-4" data-testid="webhook-endpoints">
            {view.endpoints.into_iter().map(|e| view! { <endpoint::EndpointCard e offered=offered.clone() shared/> }).collect_view()}
        </ul>
        <section class=CARD aria-labelledby="add-title">
            <h2 id="add-title" class=H2>{t("webhooks.add_title")}</h2>
            <EndpointForm shared offered=view.offered edit=None/>
        </section>
    }
}
