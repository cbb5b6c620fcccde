//! What the dispute pages share: the dispute's facts and outcome, and the conversation.

use super::badge::{reason_label, DisputeStatusBadge};
use crate::components::styles::{LINK, MUTED};
use crate::components::{label_or_raw, Field, Fields, Section, Time};
use crate::disputes::model::{DisputeMessage, DisputeThread};
use crate::i18n::{fill, t, translate, use_lang};
use leptos::prelude::*;

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
    let (open, sla_due, created, id) = (d.is_open(), d.sla_due_at_ms, d.created_at_ms, d.id);
    let order = if order_href.is_empty() {
        view! { <span class="font-mono">{number}</span> }.into_any()
    } else {
        view! { <a class=format!("font-mono {LINK}") href=order_href>{number}</a> }.into_any()
    };
    view! {
        <Section id="dispute-summary-title" testid="dispute-summary"
            title=move || format!("{} #{id}", translate(lang.get(), "disputes.title"))>
            <DisputeStatusBadge status=d.status.clone()/>
            <Fields>
                <Field label="disputes.order">
                    {order}" · "{move || label_or_raw(lang.get(), "orders.status.", &order_status)}
                </Field>
                <Field label="disputes.seller">{seller_name}</Field>
                <Field label="disputes.order_total"><span class="tabular-nums">{total}</span></Field>
                <Field label="disputes.claimed"><span class="tabular-nums font-semibold" data-testid="dispute-claim">{claim}</span></Field>
                <Field label="disputes.reason">{move || reason_label(lang.get(), &reason)}</Field>
                <Field label="disputes.opened_by_label">{move || translate(lang.get(), &opened_by)}</Field>
                <Field label="disputes.opened_at"><Time ms=created/></Field>
                {open.then(|| view! { <Field label="disputes.sla_due"><Time ms=sla_due/></Field> })}
            </Fields>
            <Outcome d=outcome/>
        </Section>
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
    // Whole class strings per side (Tailwind scans for literals).
    let side_class = |side: &str| match side {
        "buyer" => "rounded-lg border p-3 border-sky-200 bg-sky-50",
        "seller" => "rounded-lg border p-3 border-emerald-200 bg-emerald-50",
        _ => "rounded-lg border p-3 border-violet-200 bg-violet-50",
    };
    let list = if messages.is_empty() {
        view! { <p class=format!("mt-2 {MUTED}")>{t("disputes.no_messages")}</p> }.into_any()
    } else {
        view! {
            <ol class="mt-3 space-y-3" data-testid="dispute-messages">
                {messages.into_iter().map(|m| {
                    let side_key = format!("disputes.side.{}", m.side);
                    view! {
                        <li class=side_class(&m.side) data-testid="dispute-message" data-side=m.side.clone()>
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
    };
    view! { <Section id="conversation-title" title=t("disputes.conversation")>{list}</Section> }
}
