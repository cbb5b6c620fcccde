//! The seller's appeal page, `/seller/listings/:id/appeal`: why the listing was taken down, the
//! appeals so far, and the form for a new one while none is waiting.
pub mod console;
pub mod console_detail;

use super::api::{appeal_status, AppealTakedown};
use super::model::{label_or_raw, outcome_key, status_key, AppealContext, AppealLine};
use crate::components::form::{field_error, form_error};
use crate::components::states::Time;
use crate::components::{EmptyState, ErrorState, FormAlert, LoadingState, SubmitButton};
use crate::domain::report::{ReportKind, ReportStatus, BODY_MAX_CHARS};
use crate::error::AppError;
use crate::i18n::{t, translate, use_lang};
use crate::session::use_session;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_params_map;

use crate::components::styles::CARD;

#[component]
pub fn AppealPage() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id")).and_then(|s| s.parse::<i64>().ok()).filter(|id| *id > 0);
    if session.viewer.get_untracked().is_none() {
        let next = format!("/signin?next=/seller/listings/{}/appeal", id().unwrap_or(0));
        return view! { <Title text=crate::i18n::title("appeal.title")/><Redirect path=next/> }.into_any();
    }
    let action = ServerAction::<AppealTakedown>::new();
    let context = Resource::new(
        move || (id(), action.version().get()),
        |(id, _)| async move {
            match id {
                Some(id) => appeal_status(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Title text=crate::i18n::title("appeal.title")/>
        <div class="mx-auto max-w-2xl space-y-6">
            <div>
                <a href=move || format!("/seller/listings/{}", id().unwrap_or(0)) class="text-sm text-indigo-700 hover:underline">
                    "← " {t("appeal.back")}
                </a>
                <h1 class="mt-2 text-xl font-semibold">{t("appeal.title")}</h1>
            </div>
            <Transition fallback=LoadingState>
                {move || context.get().map(|r| match r {
                    Err(AppError::NotFound) => view! { <EmptyState title=Signal::derive(t("appeal.not_found"))/> }.into_any(),
                    Err(e) => view! { <ErrorState error=e/> }.into_any(),
                    Ok(ctx) => view! { <AppealBody ctx action/> }.into_any(),
                })}
            </Transition>
        </div>
    }
    .into_any()
}

#[component]
fn AppealBody(ctx: AppealContext, action: ServerAction<AppealTakedown>) -> impl IntoView {
    let lang = use_lang();
    let can_appeal = ctx.can_appeal();
    let waiting = ctx.appeals.iter().any(|a| a.status == ReportStatus::Open);
    let status = ctx.status.clone();
    view! {
        <section class=CARD aria-labelledby="appeal-listing">
            <h2 id="appeal-listing" class="text-lg font-semibold" data-testid="appeal-listing-title">{ctx.title.clone()}</h2>
            <dl class="mt-3 space-y-2 text-sm">
                <div class="grid grid-cols-3 gap-4">
                    <dt class="text-slate-500">{t("appeal.status")}</dt>
                    <dd class="col-span-2">{move || label_or_raw(lang.get(), "reports.listing_status.", &status)}</dd>
                </div>
                {(!ctx.status_reason.is_empty()).then(|| view! {
                    <div class="grid grid-cols-3 gap-4">
                        <dt class="text-slate-500">{t("appeal.takedown_reason")}</dt>
                        <dd class="col-span-2 whitespace-pre-wrap" data-testid="takedown-reason">{ctx.status_reason.clone()}</dd>
                    </div>
                })}
            </dl>
        </section>
        {if can_appeal {
            view! { <AppealForm listing_id=ctx.listing_id action/> }.into_any()
        } else if waiting {
            view! { <p role="status" data-testid="appeal-waiting" class="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">{t("appeal.waiting")}</p> }.into_any()
        } else if !ctx.taken_down {
            view! { <p data-testid="appeal-not-taken-down" class="rounded-md border border-slate-200 bg-white px-3 py-2 text-sm text-slate-700">{t("appeal.not_taken_down")}</p> }.into_any()
        } else {
            ().into_any()
        }}
        {matches!(action.value().get_untracked(), Some(Ok(_))).then(|| view! {
            <p role="status" data-testid="appeal-done" class="rounded-md border border-green-200 bg-green-50 px-3 py-2 text-sm text-green-800">{t("appeal.done")}</p>
        })}
        <section class=CARD aria-labelledby="appeal-history">
            <h2 id="appeal-history" class="mb-3 font-semibold">{t("appeal.history")}</h2>
            {if ctx.appeals.is_empty() {
                view! { <p class="text-sm text-slate-500">{t("appeal.none")}</p> }.into_any()
            } else {
                view! {
                    <ul class="divide-y divide-slate-100 text-sm" data-testid="appeal-list">
                        {ctx.appeals.into_iter().map(|a| view! { <AppealItem a/> }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
    .into_any()
}

#[component]
fn AppealItem(a: AppealLine) -> impl IntoView {
    let lang = use_lang();
    let outcome = a.resolution.map(|r| outcome_key(ReportKind::Appeal, r));
    view! {
        <li class="space-y-1 py-2">
            <div class="flex flex-wrap items-center justify-between gap-2">
                <span class="text-slate-500"><Time ms=a.created_at_ms/></span>
                <span class="font-medium">{move || translate(lang.get(), outcome.unwrap_or(status_key(a.status)))}</span>
            </div>
            {(!a.decision_reason.is_empty()).then(|| view! { <p class="whitespace-pre-wrap text-slate-700">{a.decision_reason.clone()}</p> })}
        </li>
    }
}

#[component]
fn AppealForm(listing_id: i64, action: ServerAction<AppealTakedown>) -> impl IntoView {
    let result = move || action.value().get();
    let body_error = field_error(result, "body");
    view! {
        <section class=CARD aria-labelledby="appeal-form-title">
            <h2 id="appeal-form-title" class="mb-3 font-semibold">{t("appeal.title")}</h2>
            <ActionForm action=action attr:class="space-y-4" attr:data-testid="appeal-form">
                <input type="hidden" name="listing_id" value=listing_id/>
                <div class="space-y-1">
                    <label for="appeal-body" class="block text-sm font-medium text-slate-700">{t("appeal.body")}</label>
                    <textarea id="appeal-body" name="body" rows="5" required=true minlength="10" maxlength=BODY_MAX_CHARS
                        aria-invalid=move || body_error.get().is_some().to_string()
                        aria-describedby=move || if body_error.get().is_some() { "appeal-body-error" } else { "" }
                        class="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-200 aria-[invalid=true]:border-red-500"></textarea>
                    {move || body_error.get().map(|e| view! { <p id="appeal-body-error" class="text-sm text-red-600" data-testid="error-body">{e}</p> })}
                </div>
                <FormAlert error=form_error(result)/>
                <SubmitButton label="appeal.submit" pending=action.pending()/>
            </ActionForm>
        </section>
    }
}
