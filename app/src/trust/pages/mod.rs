//! The seller's appeal page, `/seller/listings/:id/appeal`: why the listing was taken down, the
//! appeals so far, and the form for a new one while none is waiting.
pub mod console;
pub mod console_detail;

use super::api::{appeal_status, AppealTakedown};
use super::model::{label_or_raw, outcome_key, status_key, AppealContext, AppealLine};
use crate::components::form::{field_error, form_error};
use crate::components::styles::{CARD, FIELD_ERROR, H1, H2_LARGE, INPUT, LABEL, LINK, MUTED, NOTICE, WARNING};
use crate::components::{DetailResult, Field, Fields, FormAlert, Section, SubmitButton, Time};
use crate::domain::report::{ReportKind, ReportStatus, BODY_MAX_CHARS};
use crate::error::AppError;
use crate::i18n::{t, translate, use_lang};
use crate::session::use_session;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_params_map;

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
                <a href=move || format!("/seller/listings/{}", id().unwrap_or(0)) class=format!("text-sm {LINK}")>
                    "← " {t("appeal.back")}
                </a>
                <h1 class=format!("mt-2 {H1}")>{t("appeal.title")}</h1>
            </div>
            <DetailResult resource=context not_found="appeal.not_found" let:ctx>
                <AppealBody ctx action/>
            </DetailResult>
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
            <h2 id="appeal-listing" class=H2_LARGE data-testid="appeal-listing-title">{ctx.title.clone()}</h2>
            <Fields>
                <Field label="appeal.status">{move || label_or_raw(lang.get(), "reports.listing_status.", &status)}</Field>
                {(!ctx.status_reason.is_empty()).then(|| view! {
                    <Field label="appeal.takedown_reason">
                        <span class="whitespace-pre-wrap" data-testid="takedown-reason">{ctx.status_reason.clone()}</span>
                    </Field>
                })}
            </Fields>
        </section>
        {if can_appeal {
            view! { <AppealForm listing_id=ctx.listing_id action/> }.into_any()
        } else if waiting {
            view! { <p role="status" data-testid="appeal-waiting" class=WARNING>{t("appeal.waiting")}</p> }.into_any()
        } else if !ctx.taken_down {
            view! { <p data-testid="appeal-not-taken-down" class="rounded-md border border-slate-200 bg-white px-3 py-2 text-sm text-slate-700">{t("appeal.not_taken_down")}</p> }.into_any()
        } else {
            ().into_any()
        }}
        {matches!(action.value().get_untracked(), Some(Ok(_))).then(|| view! {
            <p role="status" data-testid="appeal-done" class=NOTICE>{t("appeal.done")}</p>
        })}
        <Section id="appeal-history" title=t("appeal.history")>
            {if ctx.appeals.is_empty() {
                view! { <p class=format!("mt-2 {MUTED}")>{t("appeal.none")}</p> }.into_any()
            } else {
                view! {
                    <ul class="divide-y divide-slate-100 text-sm" data-testid="appeal-list">
                        {ctx.appeals.into_iter().map(|a| view! { <AppealItem a/> }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </Section>
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
        <Section id="appeal-form-title" title=t("appeal.title")>
            <ActionForm action=action attr:class="mt-3 space-y-4" attr:data-testid="appeal-form">
                <input type="hidden" name="listing_id" value=listing_id/>
                <div class="space-y-1">
                    <label for="appeal-body" class=LABEL>{t("appeal.body")}</label>
                    <textarea id="appeal-body" name="body" rows="5" required=true minlength="10" maxlength=BODY_MAX_CHARS
                        aria-invalid=move || body_error.get().is_some().to_string()
                        aria-describedby=move || if body_error.get().is_some() { "appeal-body-error" } else { "" }
                        class=INPUT></textarea>
                    {move || body_error.get().map(|e| view! { <p id="appeal-body-error" class=FIELD_ERROR data-testid="error-body">{e}</p> })}
                </div>
                <FormAlert error=form_error(result)/>
                <SubmitButton label="appeal.submit" pending=action.pending()/>
            </ActionForm>
        </Section>
    }
}
