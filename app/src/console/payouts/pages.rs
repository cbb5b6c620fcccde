//! `/console/payouts`: finance's payout review queue (seed 000): counters, filters, the requests
//! oldest first with their risk flags. `/console/payouts/:id`: one request with the seller's
//! balances, the account (masked; revealing is audited), the risk flags explained, the seller's
//! payout history, the ledger postings and the audit trail, and the decisions (protected).

use crate::components::form::{field_error, form_error};
use crate::components::states::{error_text, urlencode, Time};
use crate::components::{
    EmptyState, ErrorState, ForbiddenState, FormAlert, LoadingState, Pager, ProtectedFields, SubmitButton, TextField,
};
use crate::console::shell::{use_operator, PageHeader};
use crate::domain::payout::{NextAction, PayoutStatus};
use crate::domain::permissions::{PAYOUTS_APPROVE, PAYOUTS_VIEW, PAYOUT_ACCOUNTS_REVEAL};
use crate::error::AppError;
use crate::i18n::{t, translate, use_lang};
use crate::payouts::api::{
    get_payout, list_payouts, payout_counters, ApprovePayout, MarkPayoutFailed, MarkPayoutPaid, RejectPayout,
    RevealPayoutAccount,
};
use crate::payouts::model::{
    age_text, flag_hint_key, method_key, next_action_key, status_key, PayoutDetail, PayoutRow, QueueCounters,
};
use crate::payouts::pages::{money, PayoutStatusBadge, PlainState, RiskBadges, CARD, INPUT, LABEL, TD, TH};
use leptos::html;
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_params_map;

use crate::components::query::query_param;

#[component]
pub fn PayoutsPage() -> impl IntoView {
    if !use_operator().is_some_and(|v| v.can(PAYOUTS_VIEW)) {
        return view! { <PageHeader title="console.payouts" crumbs=vec![]/><ForbiddenState/> }.into_any();
    }
    let (status, seller, flagged, frozen, cursor) = (
        query_param("status"),
        query_param("seller"),
        query_param("flagged"),
        query_param("frozen"),
        query_param("cursor"),
    );
    let counters = Resource::new(|| (), |_| payout_counters());
    let list = Resource::new(
        move || (status(), seller(), flagged(), frozen(), cursor()),
        |(s, q, f, z, c)| list_payouts(s, q, f, z, c),
    );
    let lang = use_lang();
    let filter_error = move |field: &'static str| match list.get() {
        Some(Err(e)) if e.field() == Some(field) => Some(error_text(lang.get(), &e)),
        _ => None,
    };
    view! {
        <PageHeader title="console.payouts" crumbs=vec![]/>
        <Transition fallback=LoadingState>
            {move || counters.get().map(|r| match r {
                Err(e) => view! { <ErrorState error=e/> }.into_any(),
                Ok(c) => view! { <Counters c/> }.into_any(),
            })}
        </Transition>
        <Form method="GET" action="/console/payouts" attr:aria-label=t("console_payouts.filters") attr:data-testid="payout-filters"
            attr:class="my-4 flex flex-wrap items-end gap-3 rounded-xl border border-slate-200 bg-white p-4">
            <div class="space-y-1">
                <label for="filter-status" class=LABEL>{t("console_payouts.filter.status")}</label>
                <select id="filter-status" name="status" class=INPUT>
                    <option value="">{t("console_payouts.filter.all")}</option>
                    {PayoutStatus::ALL.into_iter().map(|s| view! {
                        <option value=s.as_str() selected=move || status().as_deref() == Some(s.as_str())>{t(status_key(s))}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="space-y-1">
                <label for="filter-seller" class=LABEL>{t("console_payouts.filter.seller")}</label>
                <input id="filter-seller" name="seller" type="search" maxlength="100" class=INPUT value=move || seller().unwrap_or_default()/>
            </div>
            <div class="flex items-center gap-2 pb-2">
                <input id="filter-flagged" name="flagged" type="checkbox" value="true" checked=move || flagged().is_some()/>
                <label for="filter-flagged" class="text-sm text-slate-700">{t("console_payouts.filter.flagged")}</label>
            </div>
            <div class="flex items-center gap-2 pb-2">
                <input id="filter-frozen" name="frozen" type="checkbox" value="true" checked=move || frozen().is_some()/>
                <label for="filter-frozen" class="text-sm text-slate-700">{t("console_payouts.filter.frozen")}</label>
            </div>
            <button type="submit" class="rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-700">{t("action.filter")}</button>
            <Transition fallback=|| ()>
                {move || ["status", "seller", "flagged", "frozen"].into_iter().find_map(filter_error)
                    .map(|e| view! { <p class="w-full text-sm text-red-600" data-testid="filter-error">{e}</p> })}
            </Transition>
        </Form>
        <Transition fallback=LoadingState>
            {move || list.get().map(|r| match r {
                Err(e) if e.field().is_some() => ().into_any(),
                Err(e) => view! { <ErrorState error=e/> }.into_any(),
                Ok(page) if page.rows.is_empty() => view! {
                    <EmptyState title=Signal::derive(t("console_payouts.empty")) hint=Signal::derive(t("console_payouts.empty_hint"))/>
                }.into_any(),
                Ok(page) => {
                    let mut parts = vec![];
                    for (k, v) in [("status", status()), ("seller", seller()), ("flagged", flagged()), ("frozen", frozen())] {
                        if let Some(v) = v {
                            parts.push(format!("{k}={}", urlencode(&v)));
                        }
                    }
                    view! {
                        <QueueTable rows=page.rows/>
                        <Pager next=page.next base_query=parts.join("&") is_first=cursor().is_none()/>
                    }.into_any()
                }
            })}
        </Transition>
    }
    .into_any()
}

#[component]
fn Counters(c: QueueCounters) -> impl IntoView {
    let in_transit =
        c.currency.map(|cur| money(c.in_transit_minor, cur)).unwrap_or_else(|| c.in_transit_minor.to_string());
    let cards: Vec<(&'static str, &'static str, String, Option<&'static str>)> = vec![
        (
            "to_review",
            "console_payouts.counter.to_review",
            c.to_review.to_string(),
            Some("/console/payouts?status=requested"),
        ),
        (
            "approved",
            "console_payouts.counter.approved",
            c.approved.to_string(),
            Some("/console/payouts?status=approved"),
        ),
        (
            "failed",
            "console_payouts.counter.failed",
            c.failed_this_week.to_string(),
            Some("/console/payouts?status=failed"),
        ),
        ("in_transit", "console_payouts.counter.in_transit", in_transit, None),
        ("flagged", "console_payouts.counter.flagged", c.flagged.to_string(), Some("/console/payouts?flagged=true")),
    ];
    view! {
        <div class="grid gap-3 sm:grid-cols-2 lg:grid-cols-5" data-testid="payout-counters">
            {cards.into_iter().map(|(id, label, value, href)| view! {
                <section class="rounded-xl border border-slate-200 bg-white p-4" aria-labelledby=format!("counter-{id}")>
                    <h2 id=format!("counter-{id}") class="text-xs font-medium uppercase tracking-wide text-slate-500">{t(label)}</h2>
                    {match href {
                        Some(href) => view! { <a href=href class="mt-1 block text-2xl font-semibold tabular-nums text-slate-900 hover:text-indigo-700" data-testid=format!("counter-{id}-value")>{value}</a> }.into_any(),
                        None => view! { <p class="mt-1 text-2xl font-semibold tabular-nums" data-testid=format!("counter-{id}-value")>{value}</p> }.into_any(),
                    }}
                </section>
            }).collect_view()}
        </div>
    }
}

#[component]
fn QueueTable(rows: Vec<PayoutRow>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="overflow-x-auto rounded-xl border border-slate-200 bg-white">
            <table class="min-w-full divide-y divide-slate-200 text-sm" data-testid="payouts-queue">
                <caption class="sr-only">{t("console_payouts.caption")}</caption>
                <thead class="bg-slate-50">
                    <tr>
                        <th scope="col" class=TH>{t("console_payouts.col.seller")}</th>
                        <th scope="col" class=TH>{t("payouts.col.amount")}</th>
                        <th scope="col" class=TH>{t("payouts.col.account")}</th>
                        <th scope="col" class=TH>{t("console_payouts.col.flags")}</th>
                        <th scope="col" class=TH>{t("console_payouts.col.age")}</th>
                        <th scope="col" class=TH>{t("payouts.col.status")}</th>
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-100">
                    {rows.into_iter().map(|p| {
                        let m = p.method;
                        view! {
                            <tr class="hover:bg-slate-50" data-testid="payout-row" data-id=p.id.to_string()>
                                <td class=TD>
                                    <a href=format!("/console/payouts/{}", p.id) class="font-medium text-indigo-700 hover:underline">{p.seller_name.clone()}</a>
                                    <span class="ml-1 text-xs text-slate-500">"#"{p.id}</span>
                                </td>
                                <td class=format!("{TD} tabular-nums font-medium")>{money(p.amount_minor, p.currency)}</td>
                                <td class=TD>{move || translate(lang.get(), method_key(m))}" · "<span class="font-mono">{p.account_masked.clone()}</span></td>
                                <td class=TD>
                                    <RiskBadges flags=p.risk_flags.clone()/>
                                    {p.frozen.then(|| view! { <span class="mt-1 inline-flex rounded-full bg-red-50 px-2 py-0.5 text-xs font-medium text-red-700 ring-1 ring-inset ring-red-600/20" data-testid="frozen-badge">{t("console_payouts.frozen")}</span> })}
                                </td>
                                <td class=format!("{TD} whitespace-nowrap text-slate-600")>
                                    <span title=move || translate(lang.get(), "payouts.col.requested")>{age_text(p.age_ms)}</span>
                                </td>
                                <td class=TD><PayoutStatusBadge status=p.status/></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn Fact(label: &'static str, children: Children) -> impl IntoView {
    view! {
        <div class="grid grid-cols-3 gap-2 py-2 text-sm">
            <dt class="text-slate-500">{t(label)}</dt>
            <dd class="col-span-2 text-slate-900">{children()}</dd>
        </div>
    }
}

#[component]
pub fn PayoutDetailPage() -> impl IntoView {
    let Some(operator) = use_operator().filter(|v| v.can(PAYOUTS_VIEW)) else {
        return view! { <PageHeader title="console_payouts.detail" crumbs=vec![("console.payouts", "/console/payouts")]/><ForbiddenState/> }
            .into_any();
    };
    let can_decide = operator.can(PAYOUTS_APPROVE);
    let can_reveal = operator.can(PAYOUT_ACCOUNTS_REVEAL);
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id")).and_then(|s| s.parse::<i64>().ok()).filter(|id| *id > 0);
    let approve = ServerAction::<ApprovePayout>::new();
    let paid = ServerAction::<MarkPayoutPaid>::new();
    let failed = ServerAction::<MarkPayoutFailed>::new();
    let reject = ServerAction::<RejectPayout>::new();
    let refresh = RwSignal::new(0u32);
    let notice = RwSignal::new(None::<&'static str>);
    let done = move |key: &'static str| {
        notice.set(Some(key));
        refresh.update(|n| *n += 1);
    };
    Effect::new(move |_| {
        if let Some(Ok(())) = approve.value().get() {
            done("console_payouts.approve.done")
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = paid.value().get() {
            done("console_payouts.paid.done")
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = failed.value().get() {
            done("console_payouts.failed.done")
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = reject.value().get() {
            done("console_payouts.reject.done")
        }
    });
    let detail = Resource::new(
        move || (id(), refresh.get()),
        |(id, _)| async move {
            match id {
                Some(id) => get_payout(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <PageHeader title="console_payouts.detail" crumbs=vec![("console.payouts", "/console/payouts")]/>
        {move || notice.get().map(|key| view! {
            <p role="status" data-testid="action-done" class="mb-4 rounded-md border border-green-200 bg-green-50 px-3 py-2 text-sm text-green-800">{t(key)}</p>
        })}
        <Transition fallback=LoadingState>
            {move || detail.get().map(|r| match r {
                Err(AppError::NotFound) => view! { <EmptyState title=Signal::derive(t("console_payouts.not_found"))/> }.into_any(),
                Err(e) => view! { <ErrorState error=e/> }.into_any(),
                Ok(d) => {
                    let status = d.row.status;
                    view! {
                        {d.seller_frozen.then(|| view! {
                            <p role="alert" data-testid="frozen-banner" class="mb-4 rounded-md border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800">{t("console_payouts.frozen_banner")}</p>
                        })}
                        <div class="grid gap-6 lg:grid-cols-3">
                            <div class="space-y-6 lg:col-span-2">
                                <Facts d=d.clone()/>
                                <Flags d=d.clone()/>
                                <Postings d=d.clone()/>
                                <History d=d.clone()/>
                                <Audit d=d.clone()/>
                            </div>
                            <div class="space-y-6">
                                <Account d=d.clone() can_reveal/>
                                {match (can_decide, status) {
                                    (false, s) if s.is_open() => view! {
                                        <p class=format!("{CARD} text-sm text-slate-600") data-testid="no-permission">{t("console_payouts.no_permission")}</p>
                                    }.into_any(),
                                    (true, PayoutStatus::Requested) => view! {
                                        <ProtectedAction id=d.row.id kind=Kind::Approve approve paid failed reject/>
                                        <ProtectedAction id=d.row.id kind=Kind::Reject approve paid failed reject/>
                                    }.into_any(),
                                    (true, PayoutStatus::Approved) => view! {
                                        <ProtectedAction id=d.row.id kind=Kind::Paid approve paid failed reject/>
                                        <ProtectedAction id=d.row.id kind=Kind::Failed approve paid failed reject/>
                                        <ProtectedAction id=d.row.id kind=Kind::Reject approve paid failed reject/>
                                    }.into_any(),
                                    _ => ().into_any(),
                                }}
                            </div>
                        </div>
                    }.into_any()
                }
            })}
        </Transition>
    }
    .into_any()
}

#[component]
fn Facts(d: PayoutDetail) -> impl IntoView {
    let c = d.row.currency;
    let (row, reference) = (d.row.clone(), d.row.external_reference.clone());
    let (lang, seller_status) = (use_lang(), d.seller_status.clone());
    view! {
        <section class=CARD aria-labelledby="facts-title">
            <div class="flex flex-wrap items-center justify-between gap-2">
                <h2 id="facts-title" class="text-lg font-semibold">
                    <a href=format!("/console/sellers/{}", d.row.organisation_id) class="text-indigo-700 hover:underline" data-testid="payout-seller">{d.row.seller_name.clone()}</a>
                    <span class="ml-2 text-sm font-normal text-slate-500">"#"{d.row.id}</span>
                </h2>
                <PayoutStatusBadge status=d.row.status/>
            </div>
            <dl class="mt-2 divide-y divide-slate-100">
                <Fact label="payouts.col.amount"><span class="font-semibold tabular-nums" data-testid="payout-amount">{money(d.row.amount_minor, c)}</span></Fact>
                <Fact label="payouts.col.requested"><Time ms=d.row.requested_at_ms/>" · "{d.requested_by.clone()}</Fact>
                {d.approved_at_ms.map(|ms| view! { <Fact label="console_payouts.approved_by"><Time ms/>" · "{d.approved_by.clone().unwrap_or_default()}</Fact> })}
                {d.row.closed_at_ms.map(|ms| view! { <Fact label="console_payouts.closed_by"><Time ms/>" · "{d.closed_by.clone().unwrap_or_default()}</Fact> })}
                {(!reference.is_empty()).then(|| view! {
                    <Fact label="console_payouts.reference"><span class="font-mono" data-testid="payout-reference">{reference.clone()}</span></Fact>
                })}
                {(!row.status.is_open()).then(|| view! { <Fact label="payouts.col.next"><PlainState row=row.clone()/></Fact> })}
                <Fact label="console_payouts.seller_status">{move || crate::commission::pages::label_or_raw(lang.get(), "seller_center.seller.", &seller_status)}</Fact>
                <Fact label="payouts.balance.pending"><span class="tabular-nums">{money(d.pending_minor, c)}</span></Fact>
                <Fact label="payouts.balance.available"><span class="tabular-nums" data-testid="seller-available">{money(d.available_minor, c)}</span></Fact>
                <Fact label="payouts.balance.in_transit"><span class="tabular-nums">{money(d.in_transit_minor, c)}</span></Fact>
            </dl>
        </section>
    }
}

#[component]
fn Flags(d: PayoutDetail) -> impl IntoView {
    view! {
        <section class=CARD aria-labelledby="flags-title">
            <h2 id="flags-title" class="font-semibold">{t("console_payouts.flags")}</h2>
            {if d.row.risk_flags.is_empty() {
                view! { <p class="mt-1 text-sm text-slate-600" data-testid="no-flags">{t("console_payouts.no_flags")}</p> }.into_any()
            } else {
                view! {
                    <ul class="mt-2 space-y-2" data-testid="flag-list">
                        {d.row.risk_flags.iter().map(|f| view! {
                            <li class="text-sm"><RiskBadges flags=vec![*f]/><span class="ml-2 text-slate-600">{t(flag_hint_key(*f))}</span></li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn Account(d: PayoutDetail, can_reveal: bool) -> impl IntoView {
    let reveal = ServerAction::<RevealPayoutAccount>::new();
    let result = move || reveal.value().get();
    let a = d.account.clone();
    let (lang, account_status) = (use_lang(), a.status.clone());
    view! {
        <section class=CARD aria-labelledby="account-title">
            <h2 id="account-title" class="font-semibold">{t("console_payouts.account")}</h2>
            <dl class="mt-2 divide-y divide-slate-100">
                <Fact label="payouts.method">{t(method_key(a.method))}</Fact>
                <Fact label="payouts.account.holder">{a.holder.clone()}</Fact>
                <Fact label="payouts.account.number">
                    <span class="font-mono" data-testid="account-masked">{a.account_masked.clone()}</span>
                    {move || match result() {
                        Some(Ok(full)) => Some(view! { <span class="mt-1 block font-mono font-semibold" data-testid="account-revealed">{full}</span> }),
                        _ => None,
                    }}
                </Fact>
                {(!a.bank_name.is_empty()).then(|| view! { <Fact label="payouts.account.bank_name">{a.bank_name.clone()}</Fact> })}
                {(!a.notes.is_empty()).then(|| view! { <Fact label="payouts.account.notes"><span class="whitespace-pre-wrap">{a.notes.clone()}</span></Fact> })}
                <Fact label="payouts.account.added"><Time ms=a.created_at_ms/>" · "{move || crate::commission::pages::label_or_raw(lang.get(), "payouts.account_status.", &account_status)}</Fact>
            </dl>
            {can_reveal.then(|| view! {
                <details class="mt-3">
                    <summary class="cursor-pointer text-sm font-medium text-indigo-700" data-testid="reveal-toggle">{t("console_payouts.reveal")}</summary>
                    <ActionForm action=reveal attr:class="mt-3 space-y-3" attr:data-testid="reveal-form">
                        <input type="hidden" name="id" value=a.id.to_string()/>
                        <div class="space-y-1">
                            <label for="reveal-reason" class=LABEL>{t("console_payouts.reveal_reason")}</label>
                            <input id="reveal-reason" name="reason" maxlength="2000" required=true class=INPUT/>
                            {move || field_error(result, "reason").get().map(|e| view! { <p class="text-sm text-red-600" data-testid="error-reveal-reason">{e}</p> })}
                        </div>
                        <p class="text-xs text-slate-500">{t("console_payouts.reveal_hint")}</p>
                        <FormAlert error=form_error(result)/>
                        <SubmitButton label="console_payouts.reveal_submit" pending=reveal.pending()/>
                    </ActionForm>
                </details>
            })}
        </section>
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Approve,
    Paid,
    Failed,
    Reject,
}

/// One protected decision: its own fields, then the reason and the password.
#[component]
fn ProtectedAction(
    id: i64,
    kind: Kind,
    approve: ServerAction<ApprovePayout>,
    paid: ServerAction<MarkPayoutPaid>,
    failed: ServerAction<MarkPayoutFailed>,
    reject: ServerAction<RejectPayout>,
) -> impl IntoView {
    let (title, effect, submit, prefix, danger) = match kind {
        Kind::Approve => (
            "console_payouts.approve.title",
            "console_payouts.approve.effect",
            "console_payouts.approve.submit",
            "approve",
            false,
        ),
        Kind::Paid => {
            ("console_payouts.paid.title", "console_payouts.paid.effect", "console_payouts.paid.submit", "paid", false)
        }
        Kind::Failed => (
            "console_payouts.failed.title",
            "console_payouts.failed.effect",
            "console_payouts.failed.submit",
            "failed",
            true,
        ),
        Kind::Reject => (
            "console_payouts.reject.title",
            "console_payouts.reject.effect",
            "console_payouts.reject.submit",
            "reject",
            true,
        ),
    };
    let border = if danger { "border-red-200" } else { "border-green-200" };
    let heading = format!("{prefix}-title");
    let header = view! {
        <h2 id=heading.clone() class="font-semibold">{t(title)}</h2>
        <p class="mt-1 text-sm text-slate-600">{t(effect)}</p>
    };
    let body = match kind {
        Kind::Approve => {
            let result = move || approve.value().get();
            view! {
                <ActionForm action=approve attr:class="mt-4 space-y-3" attr:data-testid="approve-form">
                    <input type="hidden" name="id" value=id.to_string()/>
                    <ProtectedFields form="approve" reason_error=field_error(result, "reason") password_error=field_error(result, "password")/>
                    <FormAlert error=form_error(result)/>
                    <SubmitButton label=submit pending=approve.pending()/>
                </ActionForm>
            }
            .into_any()
        }
        Kind::Paid => {
            let result = move || paid.value().get();
            view! {
                <ActionForm action=paid attr:class="mt-4 space-y-3" attr:data-testid="paid-form">
                    <input type="hidden" name="id" value=id.to_string()/>
                    <TextField label="console_payouts.reference" name="external_reference" maxlength=100 error=field_error(result, "external_reference")/>
                    <ProtectedFields form="paid" reason_error=field_error(result, "reason") password_error=field_error(result, "password")/>
                    <FormAlert error=form_error(result)/>
                    <SubmitButton label=submit pending=paid.pending()/>
                </ActionForm>
            }
            .into_any()
        }
        Kind::Failed => {
            let result = move || failed.value().get();
            let next_error = field_error(result, "next_action");
            view! {
                <ActionForm action=failed attr:class="mt-4 space-y-3" attr:data-testid="failed-form">
                    <input type="hidden" name="id" value=id.to_string()/>
                    <TextField label="console_payouts.retry_condition" name="retry_condition" maxlength=500 error=field_error(result, "retry_condition")/>
                    <div class="space-y-1">
                        <label for="field-next_action" class=LABEL>{t("console_payouts.next_action")}</label>
                        <select id="field-next_action" name="next_action" class=INPUT required=true aria-invalid=move || next_error.get().is_some().to_string()>
                            {NextAction::ALL.into_iter().map(|a| view! { <option value=a.as_str()>{t(next_action_key(a))}</option> }).collect_view()}
                        </select>
                        {move || next_error.get().map(|e| view! { <p class="text-sm text-red-600" data-testid="error-next_action">{e}</p> })}
                    </div>
                    <p class="text-xs text-slate-500">{t("console_payouts.failed.reason_hint")}</p>
                    <ProtectedFields form="failed" reason_error=field_error(result, "reason") password_error=field_error(result, "password")/>
                    <FormAlert error=form_error(result)/>
                    <SubmitButton label=submit pending=failed.pending() danger=true/>
                </ActionForm>
            }
            .into_any()
        }
        Kind::Reject => {
            let result = move || reject.value().get();
            let form = NodeRef::<html::Form>::new();
            view! {
                <ActionForm action=reject node_ref=form attr:class="mt-4 space-y-3" attr:data-testid="reject-form">
                    <input type="hidden" name="id" value=id.to_string()/>
                    <p class="text-xs text-slate-500">{t("console_payouts.reject.reason_hint")}</p>
                    <ProtectedFields form="reject" reason_error=field_error(result, "reason") password_error=field_error(result, "password")/>
                    <FormAlert error=form_error(result)/>
                    <SubmitButton label=submit pending=reject.pending() danger=true/>
                </ActionForm>
            }
            .into_any()
        }
    };
    view! {
        <section class=format!("rounded-xl border {border} bg-white p-6") aria-labelledby=heading>
            {header}
            {body}
        </section>
    }
}

#[component]
fn Postings(d: PayoutDetail) -> impl IntoView {
    let lang = use_lang();
    let c = d.row.currency;
    view! {
        <section class=CARD aria-labelledby="postings-title">
            <h2 id="postings-title" class="font-semibold">{t("console_payouts.postings")}</h2>
            {if d.postings.is_empty() {
                view! { <p class="mt-1 text-sm text-slate-600">{t("console_payouts.no_postings")}</p> }.into_any()
            } else {
                view! {
                    <ul class="mt-2 space-y-3" data-testid="payout-postings">
                        {d.postings.iter().map(|p| {
                            let kind = p.kind.clone();
                            view! {
                                <li class="text-sm" data-testid="payout-posting" data-kind=p.kind.clone()>
                                    <p class="font-medium">
                                        {move || crate::commission::pages::label_or_raw(lang.get(), "ledger.posting.", &kind)}
                                        <span class="ml-2 text-xs font-normal text-slate-500">"#"{p.id}" · "<Time ms=p.at_ms/></span>
                                    </p>
                                    <table class="mt-1 w-full text-xs">
                                        <caption class="sr-only">{t("console_payouts.postings")}</caption>
                                        <tbody>
                                            {p.entries.iter().map(|(code, amount)| view! {
                                                <tr>
                                                    <td class="py-0.5 font-mono text-slate-600">{code.clone()}</td>
                                                    <td class="py-0.5 text-right tabular-nums">{money(*amount, c)}</td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn History(d: PayoutDetail) -> impl IntoView {
    view! {
        <section class=CARD aria-labelledby="history-title">
            <h2 id="history-title" class="font-semibold">{t("console_payouts.history")}</h2>
            {if d.history.is_empty() {
                view! { <p class="mt-1 text-sm text-slate-600" data-testid="no-history">{t("console_payouts.no_history")}</p> }.into_any()
            } else {
                view! {
                    <table class="mt-2 min-w-full text-sm" data-testid="payout-history">
                        <caption class="sr-only">{t("console_payouts.history")}</caption>
                        <thead>
                            <tr>
                                <th scope="col" class="py-1 text-left text-xs font-semibold text-slate-500">{t("payouts.col.requested")}</th>
                                <th scope="col" class="py-1 text-left text-xs font-semibold text-slate-500">{t("payouts.col.amount")}</th>
                                <th scope="col" class="py-1 text-left text-xs font-semibold text-slate-500">{t("payouts.col.status")}</th>
                            </tr>
                        </thead>
                        <tbody class="divide-y divide-slate-100">
                            {d.history.iter().map(|p| view! {
                                <tr>
                                    <td class="py-1"><a href=format!("/console/payouts/{}", p.id) class="text-indigo-700 hover:underline"><Time ms=p.requested_at_ms/></a></td>
                                    <td class="py-1 tabular-nums">{money(p.amount_minor, p.currency)}</td>
                                    <td class="py-1"><PayoutStatusBadge status=p.status/></td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn Audit(d: PayoutDetail) -> impl IntoView {
    view! {
        <section class=CARD aria-labelledby="audit-title">
            <h2 id="audit-title" class="font-semibold">{t("console_payouts.audit")}</h2>
            <ol class="mt-2 divide-y divide-slate-100" data-testid="payout-audit">
                {d.audit.iter().map(|a| view! {
                    <li class="py-2 text-sm" data-testid="audit-line" data-action=a.action.clone()>
                        <p><span class="font-mono text-xs">{a.action.clone()}</span><span class="ml-2 text-xs text-slate-500"><Time ms=a.at_ms/>" · "{a.actor.clone().unwrap_or_else(|| "system".into())}</span></p>
                        {(!a.reason.is_empty()).then(|| view! { <p class="whitespace-pre-wrap text-slate-600">{a.reason.clone()}</p> })}
                    </li>
                }).collect_view()}
            </ol>
        </section>
    }
}
