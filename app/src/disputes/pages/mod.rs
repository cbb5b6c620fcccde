//! `/orders/:number/dispute` (the buyer opens a dispute: claim, reason, details) and `/disputes/:id`
//! (the buyer and the seller's members: the order, the claim, the status in plain words, the
//! conversation with evidence, a message form with an optional evidence file, and the outcome). The
//! conversation and the status badge are shared with the console.
pub mod console;

use super::api::{dispute_view, open_dispute_form, AddDisputeMessage, OpenDispute};
use super::model::{DisputeMessage, DisputeThread, OpenDisputeInfo};
use crate::components::form::{field_error, form_error};
use crate::components::states::{urlencode, Time};
use crate::components::{EmptyState, ErrorState, FormAlert, LoadingState, SubmitButton};
use crate::domain::dispute::MESSAGE_MAX_CHARS;
use crate::domain::money::Money;
use crate::domain::refund::{DETAILS_MAX_CHARS, REASONS};
use crate::error::AppError;
use crate::i18n::{fill, t, title, translate, use_lang};
use leptos::html;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_navigate, use_params_map};

pub use crate::components::styles::CARD_COMPACT as CARD;
use crate::components::styles::H2;
pub use crate::components::styles::INPUT;
pub use crate::components::styles::LABEL;

fn sign_in_redirect(next: String) -> AnyView {
    view! { <Redirect path=format!("/signin?next={}", urlencode(&next))/> }.into_any()
}

fn status_colour(status: &str) -> &'static str {
    match status {
        "open" => "bg-amber-50 text-amber-800 ring-amber-600/20",
        "refunded" => "bg-sky-50 text-sky-700 ring-sky-600/20",
        "seller_won" => "bg-green-50 text-green-700 ring-green-600/20",
        _ => "bg-slate-100 text-slate-700 ring-slate-500/20",
    }
}

/// A dispute status in plain words, as a badge.
#[component]
pub fn DisputeStatusBadge(status: String) -> impl IntoView {
    let lang = use_lang();
    let key = format!("disputes.status.{status}");
    view! {
        <span data-testid="dispute-status" data-status=status.clone()
            class=format!("inline-flex whitespace-nowrap rounded-full px-2.5 py-0.5 text-xs font-medium ring-1 ring-inset {}", status_colour(&status))>
            {move || translate(lang.get(), &key)}
        </span>
    }
}

/// A term and its value.
#[component]
pub fn Fact(label: &'static str, children: Children) -> impl IntoView {
    view! {
        <div class="flex justify-between gap-4 py-1.5">
            <dt class="text-sm text-slate-500">{t(label)}</dt>
            <dd class="text-right text-sm text-slate-900">{children()}</dd>
        </div>
    }
}

fn reason_label(lang: crate::i18n::Lang, code: &str) -> String {
    crate::orders::pages::label_or_raw(lang, "refunds.reason.", code)
}

/// The dispute's facts: order, seller, claim, reason, status, deadline, and the outcome once decided.
#[component]
pub fn DisputeSummary(d: DisputeThread, #[prop(optional)] order_href: Option<String>) -> impl IntoView {
    let lang = use_lang();
    let claim = d.money(d.claim_minor);
    let total = d.money(d.order_total_minor);
    let order_href = order_href.unwrap_or_default();
    let reason = d.reason_code.clone();
    let opened_by = format!("disputes.opened_by.{}", d.opened_by);
    let outcome = d.clone();
    let (seller_name, number, order_status) = (d.seller_name.clone(), d.order_number.clone(), d.order_status.clone());
    let (open, sla_due, created) = (d.is_open(), d.sla_due_at_ms, d.created_at_ms);
    view! {
        <section class=CARD aria-labelledby="dispute-summary-title" data-testid="dispute-summary">
            <div class="flex flex-wrap items-center justify-between gap-2">
                <h2 id="dispute-summary-title" class=H2>{t("disputes.title")} " #" {d.id}</h2>
                <DisputeStatusBadge status=d.status.clone()/>
            </div>
            <dl class="mt-3 divide-y divide-slate-100">
                <Fact label="disputes.order">
                    {if order_href.is_empty() {
                        view! { <span class="font-mono">{number.clone()}</span> }.into_any()
                    } else {
                        view! { <a class="font-mono text-indigo-700 hover:underline" href=order_href.clone()>{number.clone()}</a> }.into_any()
                    }}
                    " · "
                    {move || crate::orders::pages::label_or_raw(lang.get(), "orders.status.", &order_status)}
                </Fact>
                <Fact label="disputes.seller">{seller_name}</Fact>
                <Fact label="disputes.order_total"><span class="tabular-nums">{total}</span></Fact>
                <Fact label="disputes.claimed"><span class="tabular-nums font-semibold" data-testid="dispute-claim">{claim}</span></Fact>
                <Fact label="disputes.reason">{move || reason_label(lang.get(), &reason)}</Fact>
                <Fact label="disputes.opened_by_label">{move || translate(lang.get(), &opened_by)}</Fact>
                <Fact label="disputes.opened_at"><Time ms=created/></Fact>
                {open.then(|| view! { <Fact label="disputes.sla_due"><Time ms=sla_due/></Fact> })}
            </dl>
            <Outcome d=outcome/>
        </section>
    }
}

/// The decision, in plain words, once there is one.
#[component]
fn Outcome(d: DisputeThread) -> impl IntoView {
    let lang = use_lang();
    if d.is_open() {
        return ().into_any();
    }
    let amount = d.decision_amount_minor.map(|m| d.money(m));
    let reason = d.decision_reason.clone();
    view! {
        <div class="mt-4 rounded-md border border-slate-200 bg-slate-50 p-3" data-testid="dispute-outcome" role="status">
            <p class="text-sm font-semibold text-slate-900">{t("disputes.outcome")}</p>
            <p class="mt-1 text-sm text-slate-700">
                {move || match &amount {
                    Some(a) => fill(&translate(lang.get(), "disputes.outcome_refund"), &[("amount", a.clone())]),
                    None => translate(lang.get(), "disputes.outcome_seller"),
                }}
            </p>
            {(!reason.is_empty()).then(|| view! {
                <p class="mt-2 text-xs text-slate-500">{t("disputes.decision_reason")}</p>
                <p class="whitespace-pre-wrap text-sm text-slate-700" data-testid="decision-reason">{reason.clone()}</p>
            })}
            {d.decided_at_ms.map(|ms| view! { <p class="mt-1 text-xs text-slate-500"><Time ms/></p> })}
        </div>
    }
    .into_any()
}

/// The messages, oldest first, each with its side, time and evidence link.
#[component]
pub fn Conversation(messages: Vec<DisputeMessage>) -> impl IntoView {
    let lang = use_lang();
    let side_colour = |side: &str| match side {
        "buyer" => "border-sky-200 bg-sky-50",
        "seller" => "border-emerald-200 bg-emerald-50",
        _ => "border-violet-200 bg-violet-50",
    };
    view! {
        <section class=CARD aria-labelledby="conversation-title">
            <h2 id="conversation-title" class=H2>{t("disputes.conversation")}</h2>
            {if messages.is_empty() {
                view! { <p class="mt-2 text-sm text-slate-500">{t("disputes.no_messages")}</p> }.into_any()
            } else {
                view! {
                    <ol class="mt-3 space-y-3" data-testid="dispute-messages">
                        {messages.into_iter().map(|m| {
                            let side_key = format!("disputes.side.{}", m.side);
                            view! {
                                <li class=format!("rounded-lg border p-3 {}", side_colour(&m.side)) data-testid="dispute-message" data-side=m.side.clone()>
                                    <div class="flex flex-wrap items-center justify-between gap-2 text-xs text-slate-600">
                                        <span class="font-semibold text-slate-800">
                                            {move || translate(lang.get(), &side_key)}
                                            {m.author.clone().map(|a| view! { <span class="ml-1 font-normal text-slate-500">"(" {a} ")"</span> })}
                                        </span>
                                        <Time ms=m.created_at_ms/>
                                    </div>
                                    {(!m.body.is_empty()).then(|| view! { <p class="mt-1 whitespace-pre-wrap text-sm text-slate-900">{m.body.clone()}</p> })}
                                    {m.evidence_upload_id.map(|id| view! {
                                        <a href=format!("/evidence/{id}") target="_blank" rel="noopener" data-testid="evidence-link"
                                            class="mt-2 inline-block text-sm font-medium text-indigo-700 hover:underline">{t("disputes.view_evidence")}</a>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
        </section>
    }
}

// ---------------------------------------------------------------------------------------------
// Opening a dispute

#[component]
pub fn OpenDisputePage() -> impl IntoView {
    let params = use_params_map();
    let number = move || params.with(|p| p.get("number")).unwrap_or_default();
    let info = Resource::new(number, open_dispute_form);
    view! {
        <Title text=title("disputes.open_title")/>
        <div class="mx-auto max-w-3xl space-y-6">
            <nav aria-label="breadcrumb" class="text-sm">
                <a href=move || format!("/orders/{}", number()) class="text-indigo-700 hover:underline">{t("disputes.back_to_order")}</a>
            </nav>
            <h1 class="text-2xl font-semibold text-slate-900">{t("disputes.open_title")}</h1>
            <Transition fallback=LoadingState>
                {move || info.get().map(|r| match r {
                    Err(AppError::Unauthenticated) => sign_in_redirect(format!("/orders/{}/dispute", number())),
                    Err(AppError::NotFound) => view! { <EmptyState title=Signal::derive(t("orders.not_found"))/> }.into_any(),
                    Err(e) => view! { <ErrorState error=e/> }.into_any(),
                    Ok(f) => view! { <OpenForm f/> }.into_any(),
                })}
            </Transition>
        </div>
    }
}

#[component]
fn OpenForm(f: OpenDisputeInfo) -> impl IntoView {
    let lang = use_lang();
    let refundable = Money::new(f.refundable_minor, f.currency);
    let facts = view! {
        <section class=CARD aria-labelledby="open-order-title">
            <h2 id="open-order-title" class=H2>{t("disputes.order")} " " <span class="font-mono">{f.order_number.clone()}</span></h2>
            <dl class="mt-2 divide-y divide-slate-100">
                <Fact label="disputes.seller">{f.seller_name.clone()}</Fact>
                <Fact label="disputes.order_total"><span class="tabular-nums">{Money::new(f.total_minor, f.currency).display()}</span></Fact>
                <Fact label="disputes.refundable"><span class="tabular-nums" data-testid="refundable">{refundable.display()}</span></Fact>
            </dl>
        </section>
    };
    if let Some(id) = f.open_dispute_id {
        return view! {
            {facts}
            <section class=CARD data-testid="dispute-exists">
                <a href=format!("/disputes/{id}") class="text-sm font-medium text-indigo-700 hover:underline">{t("disputes.see_open")}</a>
            </section>
        }
        .into_any();
    }
    if f.open_refund_id.is_some() {
        return view! {
            {facts}
            <section class=CARD data-testid="refund-open" role="status">
                <p class="text-sm text-slate-700">{t("disputes.refund_open_hint")}</p>
                <a href=format!("/orders/{}/refund", f.order_number) class="mt-2 inline-block text-sm font-medium text-indigo-700 hover:underline">{t("disputes.see_refund")}</a>
            </section>
        }
        .into_any();
    }
    if !f.can_open {
        return view! {
            {facts}
            <EmptyState title=Signal::derive(t("disputes.cannot_open"))/>
        }
        .into_any();
    }
    let action = ServerAction::<OpenDispute>::new();
    let result = move || action.value().get();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(id)) = action.value().get() {
            navigate(&format!("/disputes/{id}"), Default::default());
        }
    });
    let claim_error = field_error(result, "claim");
    let reason_error = field_error(result, "reason_code");
    let details_error = field_error(result, "details");
    let hint = fill(&translate(lang.get_untracked(), "disputes.claim_hint"), &[("amount", refundable.display())]);
    view! {
        {facts}
        <section class=CARD aria-labelledby="open-form-title">
            <h2 id="open-form-title" class=H2>{t("disputes.open_title")}</h2>
            <p class="mt-1 text-sm text-slate-600">{t("disputes.open_intro")}</p>
            <ActionForm action attr:class="mt-4 space-y-4" attr:data-testid="open-dispute-form">
                <input type="hidden" name="idempotency_key" value=f.idempotency_key.clone()/>
                <input type="hidden" name="order_number" value=f.order_number.clone()/>
                <div class="space-y-1">
                    <label for="field-claim" class=LABEL>{t("disputes.claim")} " (" {f.currency.code()} ")"</label>
                    <input id="field-claim" name="claim" inputmode="decimal" required=true maxlength="16"
                        value=refundable.plain() class=INPUT aria-describedby="field-claim-hint"
                        aria-invalid=move || claim_error.get().is_some().to_string()/>
                    <p id="field-claim-hint" class="text-xs text-slate-500">{hint}</p>
                    {move || claim_error.get().map(|e| view! { <p class="text-sm text-red-600" data-testid="error-claim">{e}</p> })}
                </div>
                <div class="space-y-1">
                    <label for="field-reason_code" class=LABEL>{t("disputes.reason")}</label>
                    <select id="field-reason_code" name="reason_code" required=true class=INPUT
                        aria-invalid=move || reason_error.get().is_some().to_string()>
                        {REASONS.into_iter().map(|r| view! {
                            <option value=r>{move || reason_label(lang.get(), r)}</option>
                        }).collect_view()}
                    </select>
                    {move || reason_error.get().map(|e| view! { <p class="text-sm text-red-600" data-testid="error-reason_code">{e}</p> })}
                </div>
                <div class="space-y-1">
                    <label for="field-details" class=LABEL>{t("disputes.details")}</label>
                    <textarea id="field-details" name="details" rows="5" required=true maxlength=DETAILS_MAX_CHARS
                        aria-describedby="field-details-hint" class=INPUT
                        aria-invalid=move || details_error.get().is_some().to_string()></textarea>
                    <p id="field-details-hint" class="text-xs text-slate-500">{t("disputes.details_hint")}</p>
                    {move || details_error.get().map(|e| view! { <p class="text-sm text-red-600" data-testid="error-details">{e}</p> })}
                </div>
                <FormAlert error=form_error(result)/>
                <SubmitButton label="disputes.submit_open" pending=action.pending()/>
            </ActionForm>
        </section>
    }
    .into_any()
}

// ---------------------------------------------------------------------------------------------
// The dispute, for its two sides

#[component]
pub fn DisputePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id")).and_then(|s| s.parse::<i64>().ok()).filter(|id| *id > 0);
    let refresh = RwSignal::new(0u32);
    // Kept here, not in the form: a refresh re-renders the form, and the notice must survive it.
    let action = ServerAction::<AddDisputeMessage>::new();
    let notice = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            notice.set(true);
            refresh.update(|n| *n += 1);
        }
    });
    let dispute = Resource::new(
        move || (id(), refresh.get()),
        |(id, _)| async move {
            match id {
                Some(id) => dispute_view(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Title text=title("disputes.title")/>
        <div class="mx-auto max-w-4xl space-y-6">
            <h1 class="text-2xl font-semibold text-slate-900">{t("disputes.title")}</h1>
            <Transition fallback=LoadingState>
                {move || dispute.get().map(|r| match r {
                    Err(AppError::Unauthenticated) => {
                        sign_in_redirect(format!("/disputes/{}", id().unwrap_or_default()))
                    }
                    Err(AppError::NotFound) => view! { <EmptyState title=Signal::derive(t("disputes.empty"))/> }.into_any(),
                    Err(e) => view! { <ErrorState error=e/> }.into_any(),
                    Ok(d) => {
                        let order_href = match d.viewer_side.as_str() {
                            "buyer" => format!("/orders/{}", d.order_number),
                            _ => format!("/seller/orders/{}", d.order_number),
                        };
                        let side_key = format!("disputes.side.{}", d.viewer_side);
                        let lang = use_lang();
                        view! {
                            <p class="text-sm text-slate-600" data-testid="viewer-side">
                                {move || fill(&translate(lang.get(), "disputes.you_are"), &[("side", translate(lang.get(), &side_key))])}
                            </p>
                            <DisputeSummary d=d.clone() order_href/>
                            <Conversation messages=d.messages.clone()/>
                            <MessageForm d=d.clone() action notice/>
                        }.into_any()
                    }
                })}
            </Transition>
        </div>
    }
}

/// A message with an optional evidence file: the file goes first to `/uploads/evidence` (with the
/// order id), then the message refers to it.
#[component]
fn MessageForm(d: DisputeThread, action: ServerAction<AddDisputeMessage>, notice: RwSignal<bool>) -> impl IntoView {
    let lang = use_lang();
    if !d.is_open() {
        return view! { <p class="text-sm text-slate-500" data-testid="dispute-closed">{t("disputes.closed_note")}</p> }.into_any();
    }
    let result = move || action.value().get();
    let form = NodeRef::<html::Form>::new();
    let uploading = RwSignal::new(false);
    let upload_error = RwSignal::new(None::<String>);
    let body_error = field_error(result, "body");
    let evidence_error = Signal::derive(move || upload_error.get().or_else(|| field_error(result, "evidence").get()));
    let id = d.id;
    let order_id = d.order_id;
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(el) = form.get_untracked() else { return };
        upload_error.set(None);
        notice.set(false);
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            use wasm_bindgen::JsCast;
            let body = el
                .elements()
                .named_item("body")
                .and_then(|n| n.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
                .map(|t| t.value())
                .unwrap_or_default();
            let file = el
                .elements()
                .named_item("file")
                .and_then(|n| n.dyn_into::<web_sys::HtmlInputElement>().ok())
                .and_then(|i| i.files())
                .and_then(|f| f.get(0));
            let mut evidence_upload_id = None;
            if let Some(file) = file {
                uploading.set(true);
                let uploaded = async {
                    let data = web_sys::FormData::new().map_err(|_| "error.network".to_string())?;
                    data.append_with_str("order_id", &order_id.to_string()).map_err(|_| "error.network".to_string())?;
                    data.append_with_blob_and_filename("file", &file, &file.name())
                        .map_err(|_| "error.network".to_string())?;
                    let answer = crate::components::upload::post_upload("/uploads/evidence", &data)
                        .await
                        .map_err(|(_, code)| code)?;
                    crate::components::upload::number_field(&answer, "id").ok_or_else(|| "error.internal".to_string())
                }
                .await;
                uploading.set(false);
                match uploaded {
                    Ok(upload) => evidence_upload_id = Some(upload),
                    Err(code) => {
                        upload_error.set(Some(translate(lang.get_untracked(), &code)));
                        return;
                    }
                }
            }
            action.dispatch(AddDisputeMessage { id, body, evidence_upload_id });
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (el, id, order_id, lang);
    };
    let pending = Signal::derive(move || uploading.get() || action.pending().get());
    let left = d.messages_left;
    view! {
        <form node_ref=form on:submit=on_submit class=format!("{CARD} space-y-4") data-testid="dispute-message-form"
            aria-labelledby="message-form-title">
            <h2 id="message-form-title" class=H2>{t("disputes.add_message")}</h2>
            {move || notice.get().then(|| view! {
                <p role="status" data-testid="message-sent" class="rounded-md border border-green-200 bg-green-50 px-3 py-2 text-sm text-green-800">{t("disputes.sent")}</p>
            })}
            <div class="space-y-1">
                <label for="field-body" class=LABEL>{t("disputes.message")}</label>
                <textarea id="field-body" name="body" rows="4" maxlength=MESSAGE_MAX_CHARS class=INPUT
                    aria-describedby="field-body-hint" aria-invalid=move || body_error.get().is_some().to_string()></textarea>
                <p id="field-body-hint" class="text-xs text-slate-500">
                    {move || fill(&translate(lang.get(), "disputes.messages_left"), &[("count", left.to_string())])}
                </p>
                {move || body_error.get().map(|e| view! { <p class="text-sm text-red-600" data-testid="error-body">{e}</p> })}
            </div>
            <div class="space-y-1">
                <label for="field-file" class=LABEL>{t("disputes.evidence")}</label>
                <input id="field-file" name="file" type="file" accept="application/pdf,image/jpeg,image/png"
                    aria-describedby="field-file-hint" aria-invalid=move || evidence_error.get().is_some().to_string()
                    class="block w-full text-sm file:mr-3 file:rounded-md file:border-0 file:bg-slate-100 file:px-3 file:py-2 file:text-sm file:font-medium hover:file:bg-slate-200"/>
                <p id="field-file-hint" class="text-xs text-slate-500">
                    {move || if uploading.get() { translate(lang.get(), "disputes.evidence_uploading") } else { translate(lang.get(), "disputes.evidence_hint") }}
                </p>
                {move || evidence_error.get().map(|e| view! { <p class="text-sm text-red-600" data-testid="error-evidence">{e}</p> })}
            </div>
            <FormAlert error=form_error(result)/>
            <SubmitButton label="disputes.send" pending/>
        </form>
    }
    .into_any()
}
