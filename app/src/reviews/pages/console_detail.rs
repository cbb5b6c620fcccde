//! `/console/reviews/:id` (a version id): the content under review, the automated checks' evidence,
//! for a re-review what changed against the live copy, the seller's earlier decisions, and the
//! decisions the operator's roles allow. After a decision the page reloads the version.

use super::console::{tone, SlaCell};
use crate::components::form::{field_error, form_error};
use crate::components::styles::{CARD_DANGER, FIELD_ERROR, H2_LARGE, INPUT, LABEL, MUTED, TD_INLINE};
use crate::components::{
    label_or_raw, money, notify_and_reload, Card, DetailResult, DoneNotice, Field, Fields, ForbiddenState, FormAlert,
    InlineTable, NoneYet, ProtectedFields, Section, StatusBadge, SubmitButton, Time,
};
use crate::domain::checks::{Finding, Severity};
use crate::domain::permissions::{LISTINGS_BLOCK, LISTINGS_REVIEW, LISTINGS_VIEW};
use crate::domain::review::FieldChange;
use crate::error::AppError;
use crate::frame::console::shell::{use_operator, PageHeader};
use crate::i18n::{fill, t, translate, use_lang, Lang};
use crate::reviews::api::{get_review, ApproveListingVersion, BlockListingVersion, RejectListingVersion};
use crate::reviews::model::{risk_key, HistoryLine, ReviewDetail};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

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
    notify_and_reload(move || approve.value().get(), refresh, notice, "reviews.approved");
    notify_and_reload(move || reject.value().get(), refresh, notice, "reviews.rejected");
    notify_and_reload(move || block.value().get(), refresh, notice, "reviews.blocked");
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
        <div class="mb-4"><DoneNotice notice/></div>
        <DetailResult resource=detail not_found="reviews.not_found" let:d>
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
        </DetailResult>
    }
    .into_any()
}

#[component]
fn Content(d: ReviewDetail) -> impl IntoView {
    let lang = use_lang();
    let c = d.content.clone();
    let currency = c.currency;
    let money = move |minor: i64| money(minor, currency);
    let number = d.number;
    let weight = c.weight_grams;
    let images = c.images.clone();
    let has_options = !c.options.is_empty();
    let mut variant_columns = vec!["reviews.variant.sku"];
    variant_columns.extend(has_options.then_some("reviews.variant.options"));
    variant_columns.extend(["reviews.variant.price", "reviews.variant.compare_at", "reviews.variant.stock"]);
    view! {
        <Card>
            <p class="text-xs text-slate-500">{move || fill(&translate(lang.get(), "reviews.version"), &[("n", number.to_string())])}</p>
            <h2 id="content-title" class=format!("{H2_LARGE} break-words") data-testid="review-title">{c.title.clone()}</h2>
            <Fields>
                <Field label="reviews.category">
                    {match d.category_name.clone() { Some(n) => n.into_any(), None => t("reviews.no_category").into_any() }}
                </Field>
                <Field label="reviews.weight">{move || fill(&translate(lang.get(), "reviews.grams"), &[("n", weight.to_string())])}</Field>
            </Fields>
            <h3 class="mt-4 text-sm font-semibold">{t("reviews.description")}</h3>
            <p class="mt-1 whitespace-pre-wrap break-words text-sm text-slate-700" data-testid="review-description">{c.description.clone()}</p>
            <h3 class="mt-4 text-sm font-semibold">{t("reviews.images")}</h3>
            {if images.is_empty() {
                view! { <p class=format!("mt-1 {MUTED}")>{t("reviews.no_images")}</p> }.into_any()
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
            <InlineTable caption="reviews.variants" columns=variant_columns testid="review-variants">
                        {c.variants.iter().map(|v| view! {
                            <tr data-testid="variant-row">
                                <td class=format!("{TD_INLINE} font-mono text-xs")>{v.sku.clone()}</td>
                                {has_options.then(|| view! { <td class=TD_INLINE>{v.options.join(" / ")}</td> })}
                                <td class=format!("{TD_INLINE} tabular-nums")>{money(v.price_minor)}</td>
                                <td class=format!("{TD_INLINE} tabular-nums text-slate-500")>{v.compare_at_minor.map(money).unwrap_or_default()}</td>
                                <td class=format!("{TD_INLINE} tabular-nums")>{v.stock}</td>
                            </tr>
                        }).collect_view()}
            </InlineTable>
        </Card>
    }
}

#[component]
fn Evidence(findings: Vec<Finding>) -> impl IntoView {
    let lang = use_lang();
    let body = if findings.is_empty() {
        view! { <NoneYet key="reviews.no_findings"/> }.into_any()
    } else {
        view! {
            <InlineTable caption="reviews.evidence" columns=vec!["reviews.finding.check", "reviews.finding.field", "reviews.finding.message", "reviews.finding.severity", "reviews.finding.next"] testid="review-findings">
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
                                    <td class=format!("{TD_INLINE} font-mono text-xs")>{f.check.clone()}</td>
                                    <td class=format!("{TD_INLINE} font-mono text-xs")>{f.field.clone()}</td>
                                    <td class=TD_INLINE>{move || fill(&translate(lang.get(), &message), &[("detail", detail.clone())])}</td>
                                    <td class=format!("{TD_INLINE} {colour}")>{move || label_or_raw(lang.get(), "reviews.severity.", severity)}</td>
                                    <td class=TD_INLINE>{move || fill(&translate(lang.get(), &next), &[("detail", detail2.clone())])}</td>
                                </tr>
                            }
                        }).collect_view()}
            </InlineTable>
        }.into_any()
    };
    view! {
        <Section id="evidence-title" title=t("reviews.evidence")>{body}</Section>
    }
}

#[component]
fn Changes(rows: Vec<FieldChange>) -> impl IntoView {
    let lang = use_lang();
    let body = if rows.is_empty() {
        view! { <NoneYet key="reviews.no_changes"/> }.into_any()
    } else {
        view! {
            <InlineTable caption="reviews.changes" columns=vec!["reviews.change.field", "reviews.change.before", "reviews.change.after"] testid="review-diff">
                        {rows.into_iter().map(|c| {
                            let field = c.field.clone();
                            view! {
                                <tr data-testid="diff-row" data-field=c.field.clone()>
                                    <td class=format!("{TD_INLINE} font-medium")>{move || field_label(lang.get(), &field)}</td>
                                    <td class=format!("{TD_INLINE} whitespace-pre-wrap break-words bg-red-50/50 text-slate-600 line-through decoration-red-300")>{c.before}</td>
                                    <td class=format!("{TD_INLINE} whitespace-pre-wrap break-words bg-green-50/50")>{c.after}</td>
                                </tr>
                            }
                        }).collect_view()}
            </InlineTable>
        }.into_any()
    };
    view! {
        <Section id="changes-title" title=t("reviews.changes")>{body}</Section>
    }
}

#[component]
fn History(rows: Vec<HistoryLine>) -> impl IntoView {
    let lang = use_lang();
    let body = if rows.is_empty() {
        view! { <NoneYet key="reviews.no_history"/> }.into_any()
    } else {
        view! {
            <InlineTable caption="reviews.history" columns=vec!["reviews.history.when", "reviews.history.listing", "reviews.history.outcome", "reviews.history.by", "reviews.history.reason"] testid="review-history">
                        {rows.into_iter().map(|h| {
                            let status = h.status.clone();
                            view! {
                                <tr>
                                    <td class=format!("{TD_INLINE} whitespace-nowrap")><Time ms=h.decided_at_ms/></td>
                                    <td class=TD_INLINE>{match h.version_id {
                                        Some(v) => view! { <a class="text-indigo-700 hover:underline" href=format!("/console/reviews/{v}")>{h.title}</a> }.into_any(),
                                        None => h.title.into_any(),
                                    }}</td>
                                    <td class=TD_INLINE>{move || label_or_raw(lang.get(), "reviews.version_status.", &status)}</td>
                                    <td class=TD_INLINE>{h.decided_by.unwrap_or_default()}</td>
                                    <td class=format!("{TD_INLINE} whitespace-pre-wrap break-words")>{h.reason}</td>
                                </tr>
                            }
                        }).collect_view()}
            </InlineTable>
        }.into_any()
    };
    view! {
        <Section id="history-title" title=t("reviews.history")>{body}</Section>
    }
}

#[component]
fn Facts(d: ReviewDetail) -> impl IntoView {
    let lang = use_lang();
    let status = d.status.as_str();
    let listing_status = d.listing_status.as_str();
    let kind = if d.re_review { "reviews.kind.re_review" } else { "reviews.kind.new" };
    let due = d.sla_due_at_ms.filter(|_| d.is_pending());
    let reason = (!d.decision_reason.is_empty()).then(|| d.decision_reason.clone());
    view! {
        <Section id="facts-title" title=t("reviews.status")>
            <Fields>
                <Field label="reviews.status">
                    <span data-testid="version-status">{move || label_or_raw(lang.get(), "reviews.version_status.", status)}</span>
                </Field>
                <Field label="reviews.listing_status">
                    <span data-testid="listing-status">{move || label_or_raw(lang.get(), "reviews.listing_status.", listing_status)}</span>
                </Field>
                <Field label="reviews.col.risk">
                    <StatusBadge tone=tone(d.risk) label=t(risk_key(d.risk)) testid="risk-badge" status=d.risk.as_str()/>
                </Field>
                <Field label="reviews.filter.kind">{t(kind)}</Field>
                <Field label="reviews.seller">
                    <a class="text-indigo-700 hover:underline" href=format!("/console/reviews?seller={}", d.seller.id)>{d.seller.name.clone()}</a>
                </Field>
                {d.submitted_at_ms.map(|ms| view! { <Field label="reviews.submitted"><Time ms/></Field> })}
                {due.map(|due| view! { <Field label="reviews.due"><SlaCell due_ms=due now_ms=d.now_ms/></Field> })}
                {d.decided_at_ms.map(|ms| view! { <Field label="reviews.decided"><Time ms/></Field> })}
                {d.decided_by.clone().map(|e| view! { <Field label="reviews.decided_by">{e}</Field> })}
                {reason.map(|r| view! {
                    <Field label="reviews.decision_reason">
                        <span class="whitespace-pre-wrap break-words" data-testid="decision-reason">{r}</span>
                    </Field>
                })}
            </Fields>
        </Section>
    }
}

#[component]
fn Approve(d: ReviewDetail, action: ServerAction<ApproveListingVersion>) -> impl IntoView {
    let result = move || action.value().get();
    let blocking = d.findings.iter().any(|f| f.severity == Severity::Blocking);
    view! {
        <Section id="approve-title" title=t("reviews.approve.title")>
            <p class="mt-1 text-sm text-slate-600">{t("reviews.approve.effect")}</p>
            {blocking.then(|| view! { <p class="mt-2 text-sm font-medium text-red-700">{t("reviews.approve.blocking")}</p> })}
            <ActionForm action attr:class="mt-4 space-y-3" attr:data-testid="approve-form">
                <input type="hidden" name="version_id" value=d.version_id/>
                <FormAlert error=form_error(result)/>
                <SubmitButton label="reviews.approve.submit" pending=action.pending()/>
            </ActionForm>
        </Section>
    }
}

#[component]
fn Reject(version_id: i64, action: ServerAction<RejectListingVersion>) -> impl IntoView {
    let result = move || action.value().get();
    let reason_error = field_error(result, "reason");
    view! {
        <Section id="reject-title" title=t("reviews.reject.title")>
            <p class="mt-1 text-sm text-slate-600">{t("reviews.reject.effect")}</p>
            <ActionForm action attr:class="mt-4 space-y-3" attr:data-testid="reject-form">
                <input type="hidden" name="version_id" value=version_id/>
                <div class="space-y-1">
                    <label for="reject-reason" class=LABEL>{t("reviews.reject.reason")}</label>
                    <textarea id="reject-reason" name="reason" rows="3" maxlength="2000" required=true
                        aria-invalid=move || reason_error.get().is_some().to_string()
                        aria-describedby=move || if reason_error.get().is_some() { "reject-reason-error" } else { "" }
                        class=INPUT></textarea>
                    {move || reason_error.get().map(|e| view! { <p id="reject-reason-error" class=FIELD_ERROR data-testid="error-reason">{e}</p> })}
                </div>
                <FormAlert error=form_error(result)/>
                <SubmitButton label="reviews.reject.submit" pending=action.pending()/>
            </ActionForm>
        </Section>
    }
}

#[component]
fn Block(version_id: i64, action: ServerAction<BlockListingVersion>) -> impl IntoView {
    let result = move || action.value().get();
    view! {
        <Section id="block-title" title=t("reviews.block.title") class=CARD_DANGER>
            <p class="mt-1 text-sm text-slate-600">{t("reviews.block.effect")}</p>
            <ActionForm action attr:class="mt-4 space-y-4" attr:data-testid="block-form">
                <input type="hidden" name="version_id" value=version_id/>
                <ProtectedFields form="block" reason_error=field_error(result, "reason") password_error=field_error(result, "password") code_error=field_error(result, "code")/>
                <FormAlert error=form_error(result)/>
                <SubmitButton label="reviews.block.submit" pending=action.pending() danger=true/>
            </ActionForm>
        </Section>
    }
}
