//! `/console/disputes`: the dispute queue (counters; filters by status, seller, past SLA and who
//! opened it; oldest SLA first) and `/console/disputes/:id`: the dispute with its order, the whole
//! conversation with evidence, the seller's balances, the ledger effect of each decision, operator
//! messages and the decision form (protected: reason and password).

use crate::components::form::{field_error, form_error};
use crate::components::styles::{BUTTON_SECONDARY_SMALL, CARD_COMPACT, FIELD_ERROR, INPUT, LABEL, ROW_LINK, TD};
use crate::components::{
    label_or_raw, query_param, CheckFilter, Counter, Counters, DataTable, DetailResult, DoneNotice, Field, Fields,
    FilterBar, FilterFieldError, ForbiddenState, FormAlert, ListResult, ProtectedFields, Section, SelectFilter,
    SubmitButton, TextArea, TextFilter, Time,
};
use crate::disputes::console_api::{
    console_dispute_counters, console_get_dispute, console_list_disputes, AddOperatorDisputeMessage, DecideDispute,
    DisputeDecisionPreview,
};
use crate::disputes::model::{ConsoleDispute, DisputeCounters, DisputeRow, LedgerEffect};
use crate::disputes::pages::{Conversation, DisputeStatusBadge, DisputeSummary};
use crate::domain::dispute::{DisputeStatus, MESSAGE_MAX_CHARS};
use crate::domain::money::{Currency, Money};
use crate::domain::permissions::{DISPUTES_DECIDE, REFUNDS_VIEW};
use crate::error::AppError;
use crate::frame::console::shell::{use_operator, PageHeader};
use crate::i18n::{fill, t, translate, use_lang};
use crate::orders::pages::OrderBody;
use leptos::html;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

const OPENED_BY: [&str; 3] = ["buyer", "refused_refund", "seller_silent"];

#[component]
pub fn DisputesPage() -> impl IntoView {
    if !use_operator().is_some_and(|v| v.can(REFUNDS_VIEW)) {
        return view! { <PageHeader title="console_disputes.title" crumbs=vec![]/><ForbiddenState/> }.into_any();
    }
    let (status, seller, past_sla, opened_by, cursor) = (
        query_param("status"),
        query_param("seller"),
        query_param("past_sla"),
        query_param("opened_by"),
        query_param("cursor"),
    );
    let list = Resource::new(
        move || (status(), seller(), past_sla(), opened_by(), cursor()),
        |(s, sel, p, o, c)| console_list_disputes(s, sel, p, o, c),
    );
    let counters = Resource::new(|| (), |_| console_dispute_counters());
    // No status means open (the queue's default), so the empty choice reads "Open"; "all" is a value.
    let statuses = vec![
        (DisputeStatus::Refunded.as_str(), "disputes.status.refunded".to_string()),
        (DisputeStatus::SellerWon.as_str(), "disputes.status.seller_won".to_string()),
        ("all", "console_disputes.all".to_string()),
    ];
    let opened = OPENED_BY.into_iter().map(|o| (o, format!("disputes.opened_by.{o}"))).collect();
    view! {
        <PageHeader title="console_disputes.title" crumbs=vec![]/>
        <div class="space-y-4">
            <DetailResult resource=counters let:c>
                <QueueCounters c/>
            </DetailResult>
            <FilterBar action="/console/disputes" label="console_disputes.filters" testid="dispute-filters">
                <SelectFilter name="status" label="console_disputes.status" all="disputes.status.open" options=statuses/>
                <TextFilter name="seller" label="console_disputes.seller"/>
                <SelectFilter name="opened_by" label="disputes.opened_by_label" all="console_disputes.any" options=opened id="filter-opened-by"/>
                <CheckFilter name="past_sla" label="console_disputes.past_sla_only" id="filter-past-sla"/>
                <FilterFieldError list/>
            </FilterBar>
            // A refused filter is shown by the filter bar.
            <ListResult resource=list empty="console_disputes.empty" empty_hint="console_disputes.empty_hint"
                keep=&["status", "seller", "past_sla", "opened_by"]
                on_error=|e: AppError| e.field().is_some().then(|| ().into_any()) let:rows>
                <DisputesTable rows/>
            </ListResult>
        </div>
    }
    .into_any()
}

#[component]
fn QueueCounters(c: DisputeCounters) -> impl IntoView {
    let claimed = Money::new(c.claimed_open_minor, c.currency).display();
    view! {
        <Counters label="console_disputes.counters">
            <Counter label="console_disputes.counter_open" value=c.open.to_string() testid="counter-open"/>
            <Counter label="console_disputes.counter_past_sla" value=c.past_sla.to_string() testid="counter-past-sla"/>
            <Counter label="console_disputes.counter_decided_week" value=c.decided_this_week.to_string() testid="counter-decided"/>
            <Counter label="console_disputes.counter_claimed" value=claimed testid="counter-claimed"/>
        </Counters>
    }
}

/// "3 d 4 h" from milliseconds.
fn age(ms: i64) -> String {
    let hours = ms.max(0) / 3_600_000;
    if hours >= 24 {
        format!("{} d {} h", hours / 24, hours % 24)
    } else {
        format!("{hours} h")
    }
}

#[component]
fn DisputesTable(rows: Vec<DisputeRow>) -> impl IntoView {
    let lang = use_lang();
    let columns = vec![
        "console_disputes.dispute",
        "disputes.seller",
        "console_disputes.buyer",
        "disputes.opened_by_label",
        "disputes.claimed",
        "console_disputes.age",
        "disputes.sla_due",
        "disputes.status_label",
    ];
    view! {
        <DataTable caption="console_disputes.caption" columns testid="disputes-table">
            {rows.into_iter().map(|d| {
                let opened_by = format!("disputes.opened_by.{}", d.opened_by);
                let reason = d.reason_code.clone();
                let open = d.status == DisputeStatus::Open.as_str();
                let (due, past_sla) = (d.sla_due_at_ms, open && d.past_sla);
                view! {
                    <tr class="hover:bg-slate-50" data-testid="dispute-row">
                        <td class=TD>
                            <a href=format!("/console/disputes/{}", d.id) class=ROW_LINK>"#" {d.id}</a>
                            <div class="font-mono text-xs text-slate-500">{d.order_number.clone()}</div>
                            <div class="text-xs text-slate-500">{move || label_or_raw(lang.get(), "refunds.reason.", &reason)}</div>
                        </td>
                        <td class=TD>{d.seller_name.clone()}</td>
                        <td class=TD>{d.buyer_email.clone()}</td>
                        <td class=format!("{TD} whitespace-nowrap")>{move || translate(lang.get(), &opened_by)}</td>
                        <td class=format!("{TD} tabular-nums")>{d.claim()}</td>
                        <td class=format!("{TD} whitespace-nowrap tabular-nums")>{age(d.age_ms)}</td>
                        <td class=format!("{TD} whitespace-nowrap")>
                            <Time ms=due/>
                            {past_sla.then(|| view! {
                                <span class="ml-1 rounded bg-red-50 px-1.5 py-0.5 text-xs font-medium text-red-700" data-testid="past-sla">{t("console_disputes.past_sla")}</span>
                            })}
                        </td>
                        <td class=TD><DisputeStatusBadge status=d.status.clone()/></td>
                    </tr>
                }
            }).collect_view()}
        </DataTable>
    }
}

// ---------------------------------------------------------------------------------------------
// One dispute

#[component]
pub fn DisputeDetailPage() -> impl IntoView {
    let Some(operator) = use_operator().filter(|v| v.can(REFUNDS_VIEW)) else {
        return view! {
            <PageHeader title="console_disputes.detail" crumbs=vec![("console_disputes.title", "/console/disputes")]/>
            <ForbiddenState/>
        }
        .into_any();
    };
    let can_decide = operator.can(DISPUTES_DECIDE);
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id")).and_then(|s| s.parse::<i64>().ok()).filter(|id| *id > 0);
    let decide = ServerAction::<DecideDispute>::new();
    let message = ServerAction::<AddOperatorDisputeMessage>::new();
    let refresh = RwSignal::new(0u32);
    let notice = RwSignal::new(None::<&'static str>);
    Effect::new(move |_| match decide.value().get() {
        Some(Ok(_)) => {
            notice.set(Some("console_disputes.decided"));
            refresh.update(|n| *n += 1);
        }
        Some(Err(_)) => notice.set(None),
        None => {}
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = message.value().get() {
            notice.set(Some("disputes.sent"));
            refresh.update(|n| *n += 1);
        }
    });
    let detail = Resource::new(
        move || (id(), refresh.get()),
        |(id, _)| async move {
            match id {
                Some(id) => console_get_dispute(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <PageHeader title="console_disputes.detail" crumbs=vec![("console_disputes.title", "/console/disputes")]/>
        <div class="space-y-4">
            <DoneNotice notice/>
            <DetailResult resource=detail not_found="disputes.empty" let:d>
                <Detail d can_decide decide message/>
            </DetailResult>
        </div>
    }
    .into_any()
}

#[component]
fn Detail(
    d: ConsoleDispute,
    can_decide: bool,
    decide: ServerAction<DecideDispute>,
    message: ServerAction<AddOperatorDisputeMessage>,
) -> impl IntoView {
    let lang = use_lang();
    let open = d.dispute.is_open();
    let currency = d.dispute.currency;
    let before = d.status_before_dispute.clone();
    let order_href = format!("/console/orders/{}", d.dispute.order_number);
    view! {
        <div class="grid gap-6 lg:grid-cols-3">
            <div class="space-y-6 lg:col-span-2">
                <DisputeSummary d=d.dispute.clone() order_href/>
                {before.map(|b| view! {
                    <p class="text-sm text-slate-600" data-testid="status-before">
                        {t("console_disputes.status_before")} ": "
                        <span class="font-medium">{move || label_or_raw(lang.get(), "orders.status.", &b)}</span>
                    </p>
                })}
                <Conversation messages=d.dispute.messages.clone()/>
                {(open && can_decide).then(|| view! { <OperatorMessage id=d.dispute.id message/> })}
                <details class=CARD_COMPACT data-testid="order-details">
                    <summary class="cursor-pointer text-base font-semibold text-slate-900">{t("console_disputes.order_details")}</summary>
                    <div class="mt-4 space-y-6"><OrderBody d=d.order.clone()/></div>
                </details>
            </div>
            <div class="space-y-6">
                <Balances d=d.clone()/>
                {d.full_effect.clone().map(|e| view! {
                    <Section id="effect-full-title" title=t("console_disputes.effect_full") testid="effect-full">
                        <EffectView e currency/>
                    </Section>
                })}
                {if open && can_decide {
                    view! { <DecisionForm d=d.clone() decide/> }.into_any()
                } else if open {
                    view! { <p class=format!("{CARD_COMPACT} text-sm text-slate-600") data-testid="no-permission">{t("console_disputes.no_permission")}</p> }.into_any()
                } else {
                    ().into_any()
                }}
            </div>
        </div>
    }
}

#[component]
fn Balances(d: ConsoleDispute) -> impl IntoView {
    let money = move |m: i64| Money::new(m, d.dispute.currency).display();
    let negative = d.available_minor < 0;
    view! {
        <Section id="balances-title" title=t("console_disputes.balances") testid="seller-balances">
            <Fields>
                <Field label="console_disputes.pending"><span class="tabular-nums">{money(d.pending_minor)}</span></Field>
                <Field label="console_disputes.available">
                    <span class=if negative { "tabular-nums font-semibold text-red-700" } else { "tabular-nums" } data-testid="available">{money(d.available_minor)}</span>
                </Field>
                <Field label="console_disputes.in_transit"><span class="tabular-nums">{money(d.in_transit_minor)}</span></Field>
                <Field label="disputes.refundable"><span class="tabular-nums">{money(d.refundable_minor)}</span></Field>
            </Fields>
            {(negative || d.negative_since_ms.is_some()).then(|| view! {
                <p class="mt-2 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800" role="status" data-testid="negative-balance">
                    {t("console_disputes.negative")}
                    {d.negative_since_ms.map(|ms| view! { " " <Time ms/> })}
                </p>
            })}
        </Section>
    }
}

/// A planned refund's ledger lines and what it leaves behind.
#[component]
fn EffectView(e: LedgerEffect, currency: Currency) -> impl IntoView {
    let lang = use_lang();
    let money = move |m: i64| Money::new(m, currency).display();
    let source = format!("console_disputes.source.{}", e.source);
    let status_after = e.order_status_after.clone();
    let lines = |rows: Vec<crate::disputes::model::EffectLine>| {
        view! {
            <table class="mt-2 w-full text-xs">
                <thead><tr>
                    <th scope="col" class="py-1 text-left font-medium text-slate-500">{t("console_disputes.account")}</th>
                    <th scope="col" class="py-1 text-right font-medium text-slate-500">{t("console_disputes.amount")}</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|l| view! {
                        <tr><td class="py-0.5 font-mono">{l.account}</td><td class="py-0.5 text-right tabular-nums">{Money::new(l.amount_minor, currency).display()}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        }
    };
    let remainder = (!e.remainder.is_empty()).then(|| {
        view! {
            <p class="mt-3 text-xs font-medium text-slate-600">{t("console_disputes.remainder")}</p>
            {lines(e.remainder.clone())}
        }
    });
    view! {
        <dl class="mt-2 divide-y divide-slate-100" data-testid="ledger-effect">
            <Field label="console_disputes.refund_amount"><span class="tabular-nums">{money(e.amount_minor)}</span></Field>
            <Field label="console_disputes.commission_reversed"><span class="tabular-nums" data-testid="commission-reversed">{money(e.commission_reversed_minor)}</span></Field>
            <Field label="console_disputes.seller_share"><span class="tabular-nums">{money(e.seller_share_minor)}</span></Field>
            <Field label="console_disputes.source">{move || translate(lang.get(), &source)}</Field>
            <Field label="console_disputes.order_after">{move || label_or_raw(lang.get(), "orders.status.", &status_after)}</Field>
            {e.seller_available_after.map(|a| view! {
                <Field label="console_disputes.available_after">
                    <span class=if a < 0 { "tabular-nums font-semibold text-red-700" } else { "tabular-nums" } data-testid="available-after">{money(a)}</span>
                </Field>
            })}
        </dl>
        {lines(e.lines.clone())}
        {remainder}
    }
}

#[component]
fn OperatorMessage(id: i64, message: ServerAction<AddOperatorDisputeMessage>) -> impl IntoView {
    let result = move || message.value().get();
    let form = NodeRef::<html::Form>::new();
    Effect::new(move |_| {
        if let (Some(Ok(_)), Some(el)) = (message.value().get(), form.get_untracked()) {
            el.reset();
        }
    });
    view! {
        <Section id="operator-message-title" title=t("console_disputes.operator_message")>
            <p class="mt-1 text-sm text-slate-600">{t("console_disputes.operator_message_hint")}</p>
            <ActionForm action=message node_ref=form attr:class="mt-3 space-y-3" attr:data-testid="operator-message-form">
                <input type="hidden" name="id" value=id/>
                <TextArea label="disputes.message" name="body" maxlength=MESSAGE_MAX_CHARS error=field_error(result, "body")/>
                <FormAlert error=form_error(result)/>
                <SubmitButton label="disputes.send" pending=message.pending()/>
            </ActionForm>
        </Section>
    }
}

#[component]
fn DecisionForm(d: ConsoleDispute, decide: ServerAction<DecideDispute>) -> impl IntoView {
    let lang = use_lang();
    let currency = d.dispute.currency;
    let id = d.dispute.id;
    let result = move || decide.value().get();
    let kind = RwSignal::new("refund_partial".to_string());
    let claim = Money::new(d.dispute.claim_minor.min(d.refundable_minor), currency).plain();
    let refundable = Money::new(d.refundable_minor, currency).display();
    view! {
        <Section id="decision-title" title=t("console_disputes.decide") testid="decision">
            <p class="mt-1 text-sm text-slate-600">
                {move || fill(&translate(lang.get(), "console_disputes.decide_hint"), &[("amount", refundable.clone())])}
            </p>
            <ActionForm action=decide attr:class="mt-3 space-y-4" attr:data-testid="decision-form">
                <input type="hidden" name="id" value=id/>
                <input type="hidden" name="idempotency_key" value=d.idempotency_key.clone()/>
                <DecisionChoice kind error=field_error(result, "decision")/>
                <PartialAmount id currency claim kind error=field_error(result, "amount")/>
                <ProtectedFields form="decide" reason_error=field_error(result, "reason") password_error=field_error(result, "password") code_error=field_error(result, "code")/>
                <FormAlert error=form_error(result)/>
                <SubmitButton label="console_disputes.submit_decision" pending=decide.pending() danger=true/>
            </ActionForm>
        </Section>
    }
}

/// Full refund, partial refund or the seller wins.
#[component]
fn DecisionChoice(kind: RwSignal<String>, error: Signal<Option<String>>) -> impl IntoView {
    let options = [
        ("refund_full", "disputes.decision.refund_full"),
        ("refund_partial", "disputes.decision.refund_partial"),
        ("seller_wins", "disputes.decision.seller_wins"),
    ];
    view! {
        <fieldset class="space-y-2">
            <legend class=LABEL>{t("console_disputes.decision")}</legend>
            {options.into_iter().map(|(value, label)| {
                let input_id = format!("decision-{value}");
                view! {
                    <div class="flex items-center gap-2">
                        <input type="radio" id=input_id.clone() name="decision" value=value
                            checked=move || kind.get() == value
                            on:change=move |_| kind.set(value.to_string())
                            class="h-4 w-4 border-slate-300 text-indigo-600"/>
                        <label for=input_id class="text-sm text-slate-800">{t(label)}</label>
                    </div>
                }
            }).collect_view()}
            {move || error.get().map(|e| view! { <p class=FIELD_ERROR data-testid="error-decision">{e}</p> })}
        </fieldset>
    }
}

/// The partial refund's amount, with a preview of its ledger effect before deciding.
#[component]
fn PartialAmount(
    id: i64,
    currency: Currency,
    claim: String,
    kind: RwSignal<String>,
    error: Signal<Option<String>>,
) -> impl IntoView {
    let amount = RwSignal::new(claim);
    let preview = ServerAction::<DisputeDecisionPreview>::new();
    let preview_error = field_error(move || preview.value().get(), "amount");
    let shown_error = move || error.get().or(preview_error.get());
    view! {
        <div class="space-y-1" class:hidden=move || kind.get() != "refund_partial">
            <label for="decision-amount" class=LABEL>{t("console_disputes.partial_amount")} " (" {currency.code()} ")"</label>
            <input id="decision-amount" name="amount" inputmode="decimal" maxlength="16" class=INPUT
                prop:value=move || amount.get()
                on:input=move |ev| amount.set(event_target_value(&ev))
                aria-invalid=move || shown_error().is_some().to_string()/>
            {move || shown_error().map(|e| view! { <p class=FIELD_ERROR data-testid="error-amount">{e}</p> })}
            <button type="button" data-testid="preview-effect" class=format!("mt-1 {BUTTON_SECONDARY_SMALL}")
                on:click=move |_| { preview.dispatch(DisputeDecisionPreview { id, amount: amount.get_untracked() }); }>
                {t("console_disputes.show_effect")}
            </button>
            {move || preview.value().get().and_then(|r| r.ok()).map(|e| view! {
                <div class="mt-2 rounded-md border border-slate-200 bg-slate-50 p-3" data-testid="effect-partial">
                    <EffectView e currency/>
                </div>
            })}
        </div>
    }
}
