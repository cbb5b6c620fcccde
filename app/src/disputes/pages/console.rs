//! `/console/disputes`: the dispute queue (counters; filters by status, seller, past SLA and who
//! opened it; oldest SLA first) and `/console/disputes/:id`: the dispute with its order, the whole
//! conversation with evidence, the seller's balances, the ledger effect of each decision, operator
//! messages and the decision form (protected: reason and password).

use crate::components::form::{field_error, form_error};
use crate::components::states::{error_text, Time};
use crate::components::{
    EmptyState, ErrorState, ForbiddenState, FormAlert, LoadingState, Pager, ProtectedFields, SubmitButton,
};
use crate::disputes::console_api::{
    console_dispute_counters, console_get_dispute, console_list_disputes, AddOperatorDisputeMessage, DecideDispute,
    DisputeDecisionPreview,
};
use crate::disputes::model::{ConsoleDispute, DisputeCounters, DisputeRow, LedgerEffect};
use crate::disputes::pages::{Conversation, DisputeStatusBadge, DisputeSummary, Fact};
use crate::domain::dispute::{DisputeStatus, MESSAGE_MAX_CHARS};
use crate::domain::money::{Currency, Money};
use crate::domain::permissions::{DISPUTES_DECIDE, REFUNDS_VIEW};
use crate::error::AppError;
use crate::frame::console::shell::{use_operator, PageHeader};
use crate::i18n::{fill, t, translate, use_lang};
use crate::orders::pages::{label_or_raw, query_param, query_string, OrderBody, INPUT, LABEL, TD, TH};
use leptos::html;
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_params_map;

use crate::components::styles::CARD_COMPACT as CARD;
use crate::components::styles::H2;
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
    let lang = use_lang();
    let filter_error = move |field: &'static str| match list.get() {
        Some(Err(e)) if e.field() == Some(field) => Some(error_text(lang.get(), &e)),
        _ => None,
    };
    view! {
        <PageHeader title="console_disputes.title" crumbs=vec![]/>
        <Transition fallback=|| ()>
            {move || counters.get().map(|r| match r {
                Ok(c) => view! { <Counters c/> }.into_any(),
                Err(e) => view! { <ErrorState error=e/> }.into_any(),
            })}
        </Transition>
        <Form method="GET" action="/console/disputes" attr:aria-label=t("console_disputes.filters") attr:data-testid="dispute-filters"
            attr:class="mb-4 flex flex-wrap items-end gap-3 rounded-xl border border-slate-200 bg-white p-4">
            <div class="space-y-1">
                <label for="filter-status" class=LABEL>{t("console_disputes.status")}</label>
                <select id="filter-status" name="status" class=INPUT>
                    <option value="open" selected=move || status().is_none() || status().as_deref() == Some("open")>{t("disputes.status.open")}</option>
                    {DisputeStatus::ALL.into_iter().filter(|s| *s != DisputeStatus::Open).map(|s| view! {
                        <option value=s.as_str() selected=move || status().as_deref() == Some(s.as_str())>{t(match s {
                            DisputeStatus::Refunded => "disputes.status.refunded",
                            _ => "disputes.status.seller_won",
                        })}</option>
                    }).collect_view()}
                    <option value="all" selected=move || status().as_deref() == Some("all")>{t("console_disputes.all")}</option>
                </select>
                <Transition fallback=|| ()>
                    {move || filter_error("status").map(|e| view! { <p class="text-sm text-red-600" data-testid="error-status">{e}</p> })}
                </Transition>
            </div>
            <div class="space-y-1">
                <label for="filter-seller" class=LABEL>{t("console_disputes.seller")}</label>
                <input id="filter-seller" name="seller" maxlength="100" class=INPUT value=move || seller().unwrap_or_default()/>
                <Transition fallback=|| ()>
                    {move || filter_error("seller").map(|e| view! { <p class="text-sm text-red-600" data-testid="error-seller">{e}</p> })}
                </Transition>
            </div>
            <div class="space-y-1">
                <label for="filter-opened-by" class=LABEL>{t("disputes.opened_by_label")}</label>
                <select id="filter-opened-by" name="opened_by" class=INPUT>
                    <option value="">{t("console_disputes.any")}</option>
                    {OPENED_BY.into_iter().map(|o| {
                        let key = format!("disputes.opened_by.{o}");
                        view! { <option value=o selected=move || opened_by().as_deref() == Some(o)>{move || translate(lang.get(), &key)}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="flex items-center gap-2 pb-2">
                <input id="filter-past-sla" name="past_sla" type="checkbox" value="1" checked=move || past_sla().is_some()
                    class="h-4 w-4 rounded border-slate-300 text-indigo-600"/>
                <label for="filter-past-sla" class="text-sm text-slate-700">{t("console_disputes.past_sla_only")}</label>
            </div>
            <button type="submit" class="rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-700">{t("action.filter")}</button>
        </Form>
        <Transition fallback=LoadingState>
            {move || list.get().map(|r| match r {
                Err(e) if e.field().is_some() => ().into_any(),
                Err(e) => view! { <ErrorState error=e/> }.into_any(),
                Ok(page) if page.rows.is_empty() => view! {
                    <EmptyState title=Signal::derive(t("console_disputes.empty")) hint=Signal::derive(t("console_disputes.empty_hint"))/>
                }.into_any(),
                Ok(page) => {
                    let base = query_string(&[
                        ("status", status()),
                        ("seller", seller()),
                        ("past_sla", past_sla()),
                        ("opened_by", opened_by()),
                    ]);
                    view! {
                        <DisputesTable rows=page.rows/>
                        <Pager next=page.next base_query=base is_first=cursor().is_none()/>
                    }.into_any()
                }
            })}
        </Transition>
    }
    .into_any()
}

#[component]
fn Counters(c: DisputeCounters) -> impl IntoView {
    let claimed = Money::new(c.claimed_open_minor, c.currency).display();
    let tile = |label: &'static str, value: String, id: &'static str| {
        view! {
            <div class="rounded-xl border border-slate-200 bg-white p-4" data-testid=id>
                <p class="text-xs font-medium uppercase tracking-wide text-slate-500">{t(label)}</p>
                <p class="mt-1 text-2xl font-semibold tabular-nums text-slate-900">{value}</p>
            </div>
        }
    };
    view! {
        <div class="mb-4 grid grid-cols-2 gap-3 md:grid-cols-4" aria-label=t("console_disputes.counters") role="group">
            {tile("console_disputes.counter_open", c.open.to_string(), "counter-open")}
            {tile("console_disputes.counter_past_sla", c.past_sla.to_string(), "counter-past-sla")}
            {tile("console_disputes.counter_decided_week", c.decided_this_week.to_string(), "counter-decided")}
            {tile("console_disputes.counter_claimed", claimed, "counter-claimed")}
        </div>
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
    view! {
        <div class="overflow-x-auto rounded-xl border border-slate-200 bg-white">
            <table class="min-w-full divide-y divide-slate-200 text-sm" data-testid="disputes-table">
                <caption class="sr-only">{t("console_disputes.caption")}</caption>
                <thead class="bg-slate-50">
                    <tr>
                        <th scope="col" class=TH>{t("console_disputes.dispute")}</th>
                        <th scope="col" class=TH>{t("disputes.seller")}</th>
                        <th scope="col" class=TH>{t("console_disputes.buyer")}</th>
                        <th scope="col" class=TH>{t("disputes.opened_by_label")}</th>
                        <th scope="col" class=TH>{t("disputes.claimed")}</th>
                        <th scope="col" class=TH>{t("console_disputes.age")}</th>
                        <th scope="col" class=TH>{t("disputes.sla_due")}</th>
                        <th scope="col" class=TH>{t("disputes.status_label")}</th>
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-100">
                    {rows.into_iter().map(|d| {
                        let opened_by = format!("disputes.opened_by.{}", d.opened_by);
                        let reason = d.reason_code.clone();
                        let open = d.status == DisputeStatus::Open.as_str();
                        let (due, past_sla) = (d.sla_due_at_ms, open && d.past_sla);
                        view! {
                            <tr class="hover:bg-slate-50" data-testid="dispute-row">
                                <td class=TD>
                                    <a href=format!("/console/disputes/{}", d.id) class="font-medium text-indigo-700 hover:underline">"#" {d.id}</a>
                                    <div class="font-mono text-xs text-slate-500">{d.order_number.clone()}</div>
                                    <div class="text-xs text-slate-500">{move || label_or_raw(lang.get(), "refunds.reason.", &reason)}</div>
                                </td>
                                <td class=TD>{d.seller_name.clone()}</td>
                                <td class=TD>{d.buyer_email.clone()}</td>
                                <td class=format!("{TD} whitespace-nowrap")>{move || translate(lang.get(), &opened_by)}</td>
                                <td class=format!("{TD} tabular-nums")>{d.claim()}</td>
                                <td class=format!("{TD} whitespace-nowrap tabular-nums")>
                                    {age(d.age_ms)}
                                </td>
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
                </tbody>
            </table>
        </div>
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
        {move || notice.get().map(|key| view! {
            <p role="status" data-testid="action-done" class="mb-4 rounded-md border border-green-200 bg-green-50 px-3 py-2 text-sm text-green-800">{t(key)}</p>
        })}
        <Transition fallback=LoadingState>
            {move || detail.get().map(|r| match r {
                Err(AppError::NotFound) => view! { <EmptyState title=Signal::derive(t("disputes.empty"))/> }.into_any(),
                Err(e) => view! { <ErrorState error=e/> }.into_any(),
                Ok(d) => view! { <Detail d can_decide decide message/> }.into_any(),
            })}
        </Transition>
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
                <details class=CARD data-testid="order-details">
                    <summary class="cursor-pointer text-base font-semibold text-slate-900">{t("console_disputes.order_details")}</summary>
                    <div class="mt-4 space-y-6"><OrderBody d=d.order.clone()/></div>
                </details>
            </div>
            <div class="space-y-6">
                <Balances d=d.clone()/>
                {d.full_effect.clone().map(|e| view! {
                    <section class=CARD aria-labelledby="effect-full-title" data-testid="effect-full">
                        <h2 id="effect-full-title" class=H2>{t("console_disputes.effect_full")}</h2>
                        <EffectView e currency/>
                    </section>
                })}
                {if open && can_decide {
                    view! { <DecisionForm d=d.clone() decide/> }.into_any()
                } else if open {
                    view! { <p class=format!("{CARD} text-sm text-slate-600") data-testid="no-permission">{t("console_disputes.no_permission")}</p> }.into_any()
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
        <section class=CARD aria-labelledby="balances-title" data-testid="seller-balances">
            <h2 id="balances-title" class=H2>{t("console_disputes.balances")}</h2>
            <dl class="mt-2 divide-y divide-slate-100">
                <Fact label="console_disputes.pending"><span class="tabular-nums">{money(d.pending_minor)}</span></Fact>
                <Fact label="console_disputes.available">
                    <span class=if negative { "tabular-nums font-semibold text-red-700" } else { "tabular-nums" } data-testid="available">{money(d.available_minor)}</span>
                </Fact>
                <Fact label="console_disputes.in_transit"><span class="tabular-nums">{money(d.in_transit_minor)}</span></Fact>
                <Fact label="disputes.refundable"><span class="tabular-nums">{money(d.refundable_minor)}</span></Fact>
            </dl>
            {(negative || d.negative_since_ms.is_some()).then(|| view! {
                <p class="mt-2 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800" role="status" data-testid="negative-balance">
                    {t("console_disputes.negative")}
                    {d.negative_since_ms.map(|ms| view! { " " <Time ms/> })}
                </p>
            })}
        </section>
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
            <Fact label="console_disputes.refund_amount"><span class="tabular-nums">{money(e.amount_minor)}</span></Fact>
            <Fact label="console_disputes.commission_reversed"><span class="tabular-nums" data-testid="commission-reversed">{money(e.commission_reversed_minor)}</span></Fact>
            <Fact label="console_disputes.seller_share"><span class="tabular-nums">{money(e.seller_share_minor)}</span></Fact>
            <Fact label="console_disputes.source">{move || translate(lang.get(), &source)}</Fact>
            <Fact label="console_disputes.order_after">{move || label_or_raw(lang.get(), "orders.status.", &status_after)}</Fact>
            {e.seller_available_after.map(|a| view! {
                <Fact label="console_disputes.available_after">
                    <span class=if a < 0 { "tabular-nums font-semibold text-red-700" } else { "tabular-nums" } data-testid="available-after">{money(a)}</span>
                </Fact>
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
    let body_error = field_error(result, "body");
    view! {
        <section class=CARD aria-labelledby="operator-message-title">
            <h2 id="operator-message-title" class=H2>{t("console_disputes.operator_message")}</h2>
            <p class="mt-1 text-sm text-slate-600">{t("console_disputes.operator_message_hint")}</p>
            <ActionForm action=message node_ref=form attr:class="mt-3 space-y-3" attr:data-testid="operator-message-form">
                <input type="hidden" name="id" value=id/>
                <div class="space-y-1">
                    <label for="operator-body" class=LABEL>{t("disputes.message")}</label>
                    <textarea id="operator-body" name="body" rows="3" required=true maxlength=MESSAGE_MAX_CHARS class=INPUT
                        aria-invalid=move || body_error.get().is_some().to_string()></textarea>
                    {move || body_error.get().map(|e| view! { <p class="text-sm text-red-600" data-testid="error-body">{e}</p> })}
                </div>
                <FormAlert error=form_error(result)/>
                <SubmitButton label="disputes.send" pending=message.pending()/>
            </ActionForm>
        </section>
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
    let amount = RwSignal::new(claim.clone());
    let preview = ServerAction::<DisputeDecisionPreview>::new();
    let preview_error = field_error(move || preview.value().get(), "amount");
    let amount_error = field_error(result, "amount");
    let decision_error = field_error(result, "decision");
    let refundable = Money::new(d.refundable_minor, currency).display();
    let options = [
        ("refund_full", "disputes.decision.refund_full"),
        ("refund_partial", "disputes.decision.refund_partial"),
        ("seller_wins", "disputes.decision.seller_wins"),
    ];
    view! {
        <section class=CARD aria-labelledby="decision-title" data-testid="decision">
            <h2 id="decision-title" class=H2>{t("console_disputes.decide")}</h2>
            <p class="mt-1 text-sm text-slate-600">
                {move || fill(&translate(lang.get(), "console_disputes.decide_hint"), &[("amount", refundable.clone())])}
            </p>
            <ActionForm action=decide attr:class="mt-3 space-y-4" attr:data-testid="decision-form">
                <input type="hidden" name="id" value=id/>
                <input type="hidden" name="idempotency_key" value=d.idempotency_key.clone()/>
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
                    {move || decision_error.get().map(|e| view! { <p class="text-sm text-red-600" data-testid="error-decision">{e}</p> })}
                </fieldset>
                <div class="space-y-1" class:hidden=move || kind.get() != "refund_partial">
                    <label for="decision-amount" class=LABEL>{t("console_disputes.partial_amount")} " (" {currency.code()} ")"</label>
                    <input id="decision-amount" name="amount" inputmode="decimal" maxlength="16" class=INPUT
                        prop:value=move || amount.get()
                        on:input=move |ev| amount.set(event_target_value(&ev))
                        aria-invalid=move || amount_error.get().or(preview_error.get()).is_some().to_string()/>
                    {move || amount_error.get().or(preview_error.get()).map(|e| view! { <p class="text-sm text-red-600" data-testid="error-amount">{e}</p> })}
                    <button type="button" data-testid="preview-effect"
                        on:click=move |_| { preview.dispatch(DisputeDecisionPreview { id, amount: amount.get_untracked() }); }
                        class="mt-1 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50">
                        {t("console_disputes.show_effect")}
                    </button>
                    {move || preview.value().get().and_then(|r| r.ok()).map(|e| view! {
                        <div class="mt-2 rounded-md border border-slate-200 bg-slate-50 p-3" data-testid="effect-partial">
                            <EffectView e currency/>
                        </div>
                    })}
                </div>
                <ProtectedFields form="decide" reason_error=field_error(result, "reason") password_error=field_error(result, "password")/>
                <FormAlert error=form_error(result)/>
                <SubmitButton label="console_disputes.submit_decision" pending=decide.pending() danger=true/>
            </ActionForm>
        </section>
    }
}
