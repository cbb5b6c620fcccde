//! The report button shown on product and seller pages: a disclosure (`<details>`, so it opens with
//! or without the WASM) holding the report form. Anonymous visitors get a link to sign in that comes
//! back to this page.

use super::api::ReportTarget;
use super::model::category_key;
use crate::components::form::{field_error, form_error};
use crate::components::query::urlencode;
use crate::components::styles::{FIELD_ERROR, INPUT, LABEL};
use crate::components::{FormAlert, SubmitButton};
use crate::domain::report::{ReportCategory, BODY_MAX_CHARS};
use crate::i18n::t;
use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// `target` is "listing" or "seller"; `target_id` the listing's or the seller organisation's id.
#[component]
pub fn ReportButton(#[prop(into)] target: String, target_id: i64) -> impl IntoView {
    let session = use_session();
    let location = use_location();
    if session.viewer.get_untracked().is_none() {
        let here = location.pathname.get_untracked();
        return view! {
            <a href=format!("/signin?next={}", urlencode(&here)) data-testid=format!("report-{target}")
                class="inline-flex items-center gap-1 text-sm text-slate-500 underline-offset-2 hover:text-red-700 hover:underline">
                <FlagIcon/>{t("reports.sign_in_to_report")}
            </a>
        }
        .into_any();
    }
    view! { <ReportForm target target_id/> }.into_any()
}

#[component]
fn FlagIcon() -> impl IntoView {
    view! {
        <svg aria-hidden="true" viewBox="0 0 24 24" class="h-4 w-4" fill="none" stroke="currentColor" stroke-width="2">
            <path d="M4 22V4m0 0h12l-2 4 2 4H4"/>
        </svg>
    }
}

/// The report form behind its disclosure: an island (`crate::frame::islands`), so a buyer can report
/// from a browsing page, and sees the field errors or the thanks in place.
#[island]
pub fn ReportForm(target: String, target_id: i64) -> impl IntoView {
    let button_key = if target == "seller" { "reports.button_seller" } else { "reports.button_listing" };
    let action = ServerAction::<ReportTarget>::new();
    let result = move || action.value().get();
    let done = move || matches!(result(), Some(Ok(_)));
    let category_error = field_error(result, "category");
    let body_error = field_error(result, "body");
    let prefix = format!("report-{target}");
    let (category_id, body_id) = (format!("{prefix}-category"), format!("{prefix}-body"));
    let (category_err_id, body_err_id) = (format!("{category_id}-error"), format!("{body_id}-error"));
    let (category_err_id2, body_err_id2) = (category_err_id.clone(), body_err_id.clone());
    view! {
        <details class="group text-sm" data-testid=prefix.clone()>
            <summary class="inline-flex cursor-pointer list-none items-center gap-1 rounded text-slate-500 hover:text-red-700 focus:outline-none focus:ring-2 focus:ring-indigo-200">
                <FlagIcon/>{t(button_key)}
            </summary>
            <div class="mt-2 w-full max-w-md rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
                <Show
                    when=done
                    fallback=move || {
                        let target = target.clone();
                        let (category_id, body_id) = (category_id.clone(), body_id.clone());
                        let (category_err_id, body_err_id) = (category_err_id.clone(), body_err_id.clone());
                        let (category_err_id2, body_err_id2) = (category_err_id2.clone(), body_err_id2.clone());
                        view! {
                            <ActionForm action=action attr:class="space-y-3" attr:aria-label=t(button_key)>
                                <p class="font-medium text-slate-800">{t("reports.form.title")}</p>
                                <input type="hidden" name="target" value=target/>
                                <input type="hidden" name="target_id" value=target_id/>
                                <div class="space-y-1">
                                    <label for=category_id.clone() class=LABEL>{t("reports.form.category")}</label>
                                    <select id=category_id name="category" required=true class=INPUT
                                        aria-invalid=move || category_error.get().is_some().to_string()
                                        aria-describedby=move || category_error.get().map(|_| category_err_id.clone()).unwrap_or_default()>
                                        <option value="">{t("reports.form.choose")}</option>
                                        {ReportCategory::ALL.into_iter().map(|c| view! {
                                            <option value=c.as_str()>{t(category_key(c))}</option>
                                        }).collect_view()}
                                    </select>
                                    {move || category_error.get().map(|e| view! {
                                        <p id=category_err_id2.clone() class=FIELD_ERROR data-testid="error-category">{e}</p>
                                    })}
                                </div>
                                <div class="space-y-1">
                                    <label for=body_id.clone() class=LABEL>{t("reports.form.body")}</label>
                                    <textarea id=body_id name="body" rows="4" required=true minlength="10" maxlength=BODY_MAX_CHARS class=INPUT
                                        aria-invalid=move || body_error.get().is_some().to_string()
                                        aria-describedby=move || body_error.get().map(|_| body_err_id.clone()).unwrap_or_default()></textarea>
                                    {move || body_error.get().map(|e| view! {
                                        <p id=body_err_id2.clone() class=FIELD_ERROR data-testid="error-body">{e}</p>
                                    })}
                                </div>
                                <FormAlert error=form_error(result)/>
                                <SubmitButton label="reports.form.submit" pending=action.pending() danger=true/>
                            </ActionForm>
                        }
                    }
                >
                    <p role="status" data-testid="report-done" class="text-sm text-green-800">{t("reports.form.done")}</p>
                </Show>
            </div>
        </details>
    }
}

/// The seller's trust judgment on a product page (seed 001): the risk level and why.
#[component]
pub fn TrustBox(
    judgment: crate::domain::trust_judgment::Judgment,
    currency: crate::domain::money::Currency,
) -> impl IntoView {
    use crate::components::{StatusBadge, Tone};
    use crate::domain::trust_judgment::{Evidence, RiskLevel};
    use crate::i18n::{fill, translate, use_lang};
    let lang = use_lang();
    let (tone, label) = match judgment.level {
        RiskLevel::Low => (Tone::Success, "trust.level.low"),
        RiskLevel::Medium => (Tone::Warning, "trust.level.medium"),
        RiskLevel::High => (Tone::Danger, "trust.level.high"),
    };
    let line = move |e: Evidence| -> String {
        let l = lang.get();
        match e {
            Evidence::LostDispute { at_ms } => fill(
                &translate(l, "trust.evidence.lost_dispute"),
                &[("date", crate::components::format::format_utc(at_ms)[..10].to_string())],
            ),
            Evidence::NewSeller => translate(l, "trust.evidence.new_seller"),
            Evidence::PriceAboveHistory { percent_above, highest_minor } => fill(
                &translate(l, "trust.evidence.price_above"),
                &[("p", percent_above.to_string()), ("price", crate::components::money(highest_minor, currency))],
            ),
            Evidence::CompletedOrders { count } => {
                fill(&translate(l, "trust.evidence.completed"), &[("n", count.to_string())])
            }
        }
    };
    view! {
        <section aria-labelledby="trust-box" class=crate::components::styles::CARD_SMALL data-testid="trust-judgment" data-level=judgment.level.as_str()>
            <h2 id="trust-box" class="text-xs font-semibold uppercase tracking-wide text-slate-500">{t("trust.judgment.title")}</h2>
            <p class="mt-1" data-testid="trust-level"><StatusBadge tone label=t(label)/></p>
            <ul class="mt-2 list-disc space-y-1 pl-5 text-sm text-slate-600">
                {judgment.evidence.into_iter().map(|e| view! { <li data-testid="trust-evidence">{move || line(e.clone())}</li> }).collect_view()}
            </ul>
        </section>
    }
}
