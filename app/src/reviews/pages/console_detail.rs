//! `/console/reviews/:id` (a version id): the content under review, the automated checks' evidence,
//! for a re-review what changed against the live copy, the seller's earlier decisions, and the
//! decisions the operator's roles allow. After a decision the page reloads the version.

use super::console::{RiskBadge, SlaCell};
use crate::components::form::{field_error, form_error};
use crate::components::states::Time;
use crate::components::{
    EmptyState, ErrorState, ForbiddenState, FormAlert, LoadingState, ProtectedFields, SubmitButton,
};
use crate::domain::checks::{Finding, Severity};
use crate::domain::money::Money;
use crate::domain::permissions::{LISTINGS_BLOCK, LISTINGS_REVIEW, LISTINGS_VIEW};
use crate::domain::review::FieldChange;
use crate::error::AppError;
use crate::frame::console::shell::{use_operator, PageHeader};
use crate::i18n::{fill, t, translate, use_lang, Lang};
use crate::reviews::api::{get_review, ApproveListingVersion, BlockListingVersion, RejectListingVersion};
use crate::reviews::model::{HistoryLine, ReviewDetail};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::components::styles::CARD;
use crate::components::styles::TD_INLINE as TD;
use crate::components::styles::TH_INLINE as TH;

use crate::components::format::label_or_raw;

fn field_label(lang: Lang, field: &str) -> String {
    match field.strip_prefix("variants.") {
        Some(sku) => fill(&translate(lang, "reviews.field.variant"), &[("sku", sku.to_string())]),
        None => label_or_raw(lang, "reviews.field.", field),
    }
}

#[component]
pub fn ReviewDetailPage() -> impl IntoView {
    let crumbs = vec![("console.reviews", "/console/reviews")];
    let Some(operator) = use_operator().filter(|v| v.can(LISTINGS_VIEW)) else {
        return view! {
            <Title text=crate::i18n::title("reviews.detail")/>
            <PageHeader title="reviews.detail" crumbs/><ForbiddenState/>
        }
        .into_any();
    };
    let (can_review, can_block) = (operator.can(LISTINGS_REVIEW), operator.can(LISTINGS_BLOCK));
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id")).and_then(|s| s.parse::<i64>().ok()).filter(|id| *id > 0);
    let approve = ServerAction::<ApproveListingVersion>::new();
    let reject = ServerAction::<RejectListingVersion>::new();
    let block = ServerAction::<BlockListingVersion>::new();
    let refresh = RwSignal::new(0u32);
    let notice = RwSignal::new(None::<&'static str>);
    for (value, done) in [
        (approve.value(), "reviews.approved"),
        (reject.value(), "reviews.rejected"),
        (block.value(), "reviews.blocked"),
    ] {
        Effect::new(move |_| match value.get() {
            Some(Ok(())) => {
                notice.set(Some(done));
                refresh.update(|n| *n += 1);
            }
            Some(Err(_)) => notice.set(None),
            None => {}
        });
    }
    let detail = Resource::new(
        move || (id(), refresh.get()),
        |(id, _)| async move {
            match id {
                Some(id) => get_review(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Title text=crate::i18n::title("reviews.detail")/>
        <PageHeader title="reviews.detail" crumbs/>
        {move || notice.get().map(|key| view! {
            <p role="status" data-testid="action-done" class="mb-4 rounded-md border border-green-200 bg-green-50 px-3 py-2 text-sm text-green-800">{t(key)}</p>
        })}
        <Transition fallback=LoadingState>
            {move || detail.get().map(|r| match r {
                Err(AppError::NotFound) => view! { <EmptyState title=Signal::derive(t("reviews.not_found"))/> }.into_any(),
                Err(e) => view! { <ErrorState error=e/> }.into_any(),
                Ok(d) => view! {
                    <div class="grid gap-6 lg:grid-cols-3">
                        <div class="min-w-0 space-y-6 lg:col-span-2">
                            <Content d=d.clone()/>
                            <Evidence findings=d.findings.clone()/>
                            {d.re_review.then(|| view! { <Changes rows=d.changes.clone()/> })}
                            <History rows=d.history.clone()/>
                        </div>
                        <div class="space-y-6">
                            <Facts d=d.clone()/>
                            {if d.is_pending() {
                                view! {
                                    {can_review.then(|| view! { <Approve d=d.clone() action=approve/> <Reject version_id=d.version_id action=reject/> })}
                                    {can_block.then(|| view! { <Block version_id=d.version_id action=block/> })}
                                }.into_any()
                            } else {
                                view! { <p class="rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-700" data-testid="decided-note">{t("reviews.decided_note")}</p> }.into_any()
                            }}
                        </div>
                    </div>
                }.into_any(),
            })}
        </Transition>
    }
    .into_any()
}

#[component]
fn Content(d: ReviewDetail) -> impl IntoView {
    let lang = use_lang();
    let c = d.content.clone();
    let currency = c.currency;
    let money = move |minor: i64| Money::new(minor, currency).display();
    let number = d.number;
    let weight = c.weight_grams;
    let images = c.images.clone();
    let has_options = !c.options.is_empty();
    view! {
        <section class=CARD aria-labelledby="content-title">
            <p class="text-xs text-slate-500">{move || fill(&translate(lang.get(), "reviews.version"), &[("n", number.to_string())])}</p>
            <h2 id="content-title" class="text-lg font-semibold break-words" data-testid="review-title">{c.title.clone()}</h2>
            <dl class="mt-3 grid gap-2 text-sm sm:grid-cols-3">
                <dt class="text-slate-500">{t("reviews.category")}</dt>
                <dd class="sm:col-span-2">{match d.category_name.clone() { Some(n) => n.into_any(), None => t("reviews.no_category").into_any() }}</dd>
                <dt class="text-slate-500">{t("reviews.weight")}</dt>
                <dd class="sm:col-span-2">{move || fill(&translate(lang.get(), "reviews.grams"), &[("n", weight.to_string())])}</dd>
            </dl>
            <h3 class="mt-4 text-sm font-semibold">{t("reviews.description")}</h3>
            <p class="mt-1 whitespace-pre-wrap break-words text-sm text-slate-700" data-testid="review-description">{c.description.clone()}</p>
            <h3 class="mt-4 text-sm font-semibold">{t("reviews.images")}</h3>
            {if images.is_empty() {
                view! { <p class="mt-1 text-sm text-slate-500">{t("reviews.no_images")}</p> }.into_any()
            } else {
                view! {
                    <ul class="mt-2 grid grid-cols-3 gap-2 sm:grid-cols-5" data-testid="review-images">
                        {images.into_iter().enumerate().map(|(i, id)| view! {
                            <li>
                                <a href=format!("/media/{id}") target="_blank" rel="noopener">
                                    <img src=format!("/media/{id}") loading="lazy"
                                        alt=move || fill(&translate(lang.get(), "reviews.image_alt"), &[("n", (i + 1).to_string())])
                                        class="aspect-square w-full rounded-md border border-slate-200 object-cover"/>
                                </a>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <h3 class="mt-4 text-sm font-semibold">{t("reviews.variants")}</h3>
            <div class="mt-1 overflow-x-auto">
                <table class="min-w-full text-sm" data-testid="review-variants">
                    <caption class="sr-only">{t("reviews.variants")}</caption>
                    <thead>
                        <tr>
                            <th scope="col" class=TH>{t("reviews.variant.sku")}</th>
                            {has_options.then(|| view! { <th scope="col" class=TH>{t("reviews.variant.options")}</th> })}
                            <th scope="col" class=TH>{t("reviews.variant.price")}</th>
                            <th scope="col" class=TH>{t("reviews.variant.compare_at")}</th>
                            <th scope="col" class=TH>{t("reviews.variant.stock")}</th>
                        </tr>
                    </thead>
                    <tbody class="divide-y divide-slate-100">
                        {c.variants.iter().map(|v| view! {
                            <tr data-testid="variant-row">
                                <td class=format!("{TD} font-mono text-xs")>{v.sku.clone()}</td>
                                {has_options.then(|| view! { <td class=TD>{v.options.join(" / ")}</td> })}
                                <td class=format!("{TD} tabular-nums")>{money(v.price_minor)}</td>
                                <td class=format!("{TD} tabular-nums text-slate-500")>{v.compare_at_minor.map(money).unwrap_or_default()}</td>
                                <td class=format!("{TD} tabular-nums")>{v.stock}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

#[component]
fn Evidence(findings: Vec<Finding>) -> impl IntoView {
    let lang = use_lang();
    let body = if findings.is_empty() {
        view! { <p class="text-sm text-slate-500">{t("reviews.no_findings")}</p> }.into_any()
    } else {
        view! {
            <div class="overflow-x-auto">
                <table class="min-w-full text-sm" data-testid="review-findings">
                    <caption class="sr-only">{t("reviews.evidence")}</caption>
                    <thead>
                        <tr>
                            <th scope="col" class=TH>{t("reviews.finding.check")}</th>
                            <th scope="col" class=TH>{t("reviews.finding.field")}</th>
                            <th scope="col" class=TH>{t("reviews.finding.message")}</th>
                            <th scope="col" class=TH>{t("reviews.finding.severity")}</th>
                            <th scope="col" class=TH>{t("reviews.finding.next")}</th>
                        </tr>
                    </thead>
                    <tbody class="divide-y divide-slate-100">
                        {findings.into_iter().map(|f| {
                            let colour = match f.severity {
                                Severity::Blocking => "text-red-700 font-semibold",
                                Severity::Warning => "text-amber-700 font-medium",
                                Severity::Info => "text-slate-600",
                            };
                            let severity = f.severity.as_str();
                            let detail = f.detail.clone();
                            let detail2 = f.detail.clone();
                            let (message, next) = (f.message.clone(), f.next_action.clone());
                            view! {
                                <tr data-testid="finding-row" data-check=f.check.clone()>
                                    <td class=format!("{TD} font-mono text-xs")>{f.check.clone()}</td>
                                    <td class=format!("{TD} font-mono text-xs")>{f.field.clone()}</td>
                                    <td class=TD>{move || fill(&translate(lang.get(), &message), &[("detail", detail.clone())])}</td>
                                    <td class=format!("{TD} {colour}")>{move || label_or_raw(lang.get(), "reviews.severity.", severity)}</td>
                                    <td class=TD>{move || fill(&translate(lang.get(), &next), &[("detail", detail2.clone())])}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }.into_any()
    };
    view! {
        <section class=CARD aria-labelledby="evidence-title">
            <h2 id="evidence-title" class="mb-3 font-semibold">{t("reviews.evidence")}</h2>
            {body}
        </section>
    }
}

#[component]
fn Changes(rows: Vec<FieldChange>) -> impl IntoView {
    let lang = use_lang();
    let body = if rows.is_empty() {
        view! { <p class="text-sm text-slate-500">{t("reviews.no_changes")}</p> }.into_any()
    } else {
        view! {
            <div class="overflow-x-auto">
                <table class="min-w-full text-sm" data-testid="review-diff">
                    <caption class="sr-only">{t("reviews.changes")}</caption>
                    <thead>
                        <tr>
                            <th scope="col" class=TH>{t("reviews.change.field")}</th>
                            <th scope="col" class=TH>{t("reviews.change.before")}</th>
                            <th scope="col" class=TH>{t("reviews.change.after")}</th>
                        </tr>
                    </thead>
                    <tbody class="divide-y divide-slate-100">
                        {rows.into_iter().map(|c| {
                            let field = c.field.clone();
                            view! {
                                <tr data-testid="diff-row" data-field=c.field.clone()>
                                    <td class=format!("{TD} font-medium")>{move || field_label(lang.get(), &field)}</td>
                                    <td class=format!("{TD} whitespace-pre-wrap break-words bg-red-50/50 text-slate-600 line-through decoration-red-300")>{c.before}</td>
                                    <td class=format!("{TD} whitespace-pre-wrap break-words bg-green-50/50")>{c.after}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }.into_any()
    };
    view! {
        <section class=CARD aria-labelledby="changes-title">
            <h2 id="changes-title" class="mb-3 font-semibold">{t("reviews.changes")}</h2>
            {body}
        </section>
    }
}

#[component]
fn History(rows: Vec<HistoryLine>) -> impl IntoView {
    let lang = use_lang();
    let body = if rows.is_empty() {
        view! { <p class="text-sm text-slate-500">{t("reviews.no_history")}</p> }.into_any()
    } else {
        view! {
            <div class="overflow-x-auto">
                <table class="min-w-full text-sm" data-testid="review-history">
                    <caption class="sr-only">{t("reviews.history")}</caption>
                    <thead>
                        <tr>
                            <th scope="col" class=TH>{t("reviews.history.when")}</th>
                            <th scope="col" class=TH>{t("reviews.history.listing")}</th>
                            <th scope="col" class=TH>{t("reviews.history.outcome")}</th>
                            <th scope="col" class=TH>{t("reviews.history.by")}</th>
                            <th scope="col" class=TH>{t("reviews.history.reason")}</th>
                        </tr>
                    </thead>
                    <tbody class="divide-y divide-slate-100">
                        {rows.into_iter().map(|h| {
                            let status = h.status.clone();
                            view! {
                                <tr>
                                    <td class=format!("{TD} whitespace-nowrap")><Time ms=h.decided_at_ms/></td>
                                    <td class=TD>{match h.version_id {
                                        Some(v) => view! { <a class="text-indigo-700 hover:underline" href=format!("/console/reviews/{v}")>{h.title}</a> }.into_any(),
                                        None => h.title.into_any(),
                                    }}</td>
                                    <td class=TD>{move || label_or_raw(lang.get(), "reviews.version_status.", &status)}</td>
                                    <td class=TD>{h.decided_by.unwrap_or_default()}</td>
                                    <td class=format!("{TD} whitespace-pre-wrap break-words")>{h.reason}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }.into_any()
    };
    view! {
        <section class=CARD aria-labelledby="history-title">
            <h2 id="history-title" class="mb-3 font-semibold">{t("reviews.history")}</h2>
            {body}
        </section>
    }
}

#[component]
fn Facts(d: ReviewDetail) -> impl IntoView {
    let lang = use_lang();
    let status = d.status.as_str();
    let listing_status = d.listing_status.as_str();
    let row = |label: &'static str, value: AnyView| {
        view! {
            <div class="grid grid-cols-2 gap-2 py-1.5">
                <dt class="text-sm text-slate-500">{t(label)}</dt>
                <dd class="text-sm">{value}</dd>
            </div>
        }
    };
    view! {
        <section class=CARD aria-labelledby="facts-title">
            <h2 id="facts-title" class="mb-2 font-semibold">{t("reviews.status")}</h2>
            <dl class="divide-y divide-slate-100">
                {row("reviews.status", view! { <span data-testid="version-status">{move || label_or_raw(lang.get(), "reviews.version_status.", status)}</span> }.into_any())}
                {row("reviews.listing_status", view! { <span data-testid="listing-status">{move || label_or_raw(lang.get(), "reviews.listing_status.", listing_status)}</span> }.into_any())}
                {row("reviews.col.risk", view! { <RiskBadge risk=d.risk/> }.into_any())}
                {row("reviews.filter.kind", t(if d.re_review { "reviews.kind.re_review" } else { "reviews.kind.new" }).into_any())}
                {row("reviews.seller", view! {
                    <a class="text-indigo-700 hover:underline" href=format!("/console/reviews?seller={}", d.seller.id)>{d.seller.name.clone()}</a>
                }.into_any())}
                {d.submitted_at_ms.map(|ms| row("reviews.submitted", view! { <Time ms/> }.into_any()))}
                {d.sla_due_at_ms.filter(|_| d.is_pending()).map(|due| row("reviews.due", view! { <SlaCell due_ms=due now_ms=d.now_ms/> }.into_any()))}
                {d.decided_at_ms.map(|ms| row("reviews.decided", view! { <Time ms/> }.into_any()))}
                {d.decided_by.clone().map(|e| row("reviews.decided_by", e.into_any()))}
                {(!d.decision_reason.is_empty()).then(|| row("reviews.decision_reason",
                    view! { <span class="whitespace-pre-wrap break-words" data-testid="decision-reason">{d.decision_reason.clone()}</span> }.into_any()))}
            </dl>
        </section>
    }
}

#[component]
fn Approve(d: ReviewDetail, action: ServerAction<ApproveListingVersion>) -> impl IntoView {
    let result = move || action.value().get();
    let blocking = d.findings.iter().any(|f| f.severity == Severity::Blocking);
    view! {
        <section class=CARD aria-labelledby="approve-title">
            <h2 id="approve-title" class="font-semibold">{t("reviews.approve.title")}</h2>
            <p class="mt-1 text-sm text-slate-600">{t("reviews.approve.effect")}</p>
            {blocking.then(|| view! { <p class="mt-2 text-sm font-medium text-red-700">{t("reviews.approve.blocking")}</p> })}
            <ActionForm action attr:class="mt-4 space-y-3" attr:data-testid="approve-form">
                <input type="hidden" name="version_id" value=d.version_id/>
                <FormAlert error=form_error(result)/>
                <SubmitButton label="reviews.approve.submit" pending=action.pending()/>
            </ActionForm>
        </section>
    }
}

#[component]
fn Reject(version_id: i64, action: ServerAction<RejectListingVersion>) -> impl IntoView {
    let result = move || action.value().get();
    let reason_error = field_error(result, "reason");
    view! {
        <section class=CARD aria-labelledby="reject-title">
            <h2 id="reject-title" class="font-semibold">{t("reviews.reject.title")}</h2>
            <p class="mt-1 text-sm text-slate-600">{t("reviews.reject.effect")}</p>
            <ActionForm action attr:class="mt-4 space-y-3" attr:data-testid="reject-form">
                <input type="hidden" name="version_id" value=version_id/>
                <div class="space-y-1">
                    <label for="reject-reason" class="block text-sm font-medium text-slate-700">{t("reviews.reject.reason")}</label>
                    <textarea id="reject-reason" name="reason" rows="3" maxlength="2000" required=true
                        aria-invalid=move || reason_error.get().is_some().to_string()
                        aria-describedby=move || if reason_error.get().is_some() { "reject-reason-error" } else { "" }
                        class="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-200 aria-[invalid=true]:border-red-500"></textarea>
                    {move || reason_error.get().map(|e| view! { <p id="reject-reason-error" class="text-sm text-red-600" data-testid="error-reason">{e}</p> })}
                </div>
                <FormAlert error=form_error(result)/>
                <SubmitButton label="reviews.reject.submit" pending=action.pending()/>
            </ActionForm>
        </section>
    }
}

#[component]
fn Block(version_id: i64, action: ServerAction<BlockListingVersion>) -> impl IntoView {
    let result = move || action.value().get();
    view! {
        <section class="rounded-xl border border-red-200 bg-white p-6" aria-labelledby="block-title">
            <h2 id="block-title" class="font-semibold text-red-800">{t("reviews.block.title")}</h2>
            <p class="mt-1 text-sm text-slate-600">{t("reviews.block.effect")}</p>
            <ActionForm action attr:class="mt-4 space-y-4" attr:data-testid="block-form">
                <input type="hidden" name="version_id" value=version_id/>
                <ProtectedFields form="block" reason_error=field_error(result, "reason") password_error=field_error(result, "password")/>
                <FormAlert error=form_error(result)/>
                <SubmitButton label="reviews.block.submit" pending=action.pending() danger=true/>
            </ActionForm>
        </section>
    }
}
