//! `/console/payouts`: finance's payout review queue (seed 000): counters, filters, the requests
//! oldest first with their risk flags. `/console/payouts/:id`: one request with the seller's
//! balances, the account (masked; revealing is audited), the risk flags explained, the seller's
//! payout history, the ledger postings and the audit trail, and the decisions (protected).

use crate::components::form::{field_error, form_error};
use crate::components::states::error_text;
use crate::components::styles::{CARD, DANGER_BANNER, FIELD_ERROR, H2_LARGE, HINT, INPUT, LABEL, TD};
use crate::components::{
    label_or_raw, money, query_param, CheckFilter, Counter, Counters, DataTable, DetailResult, DoneNotice, Field,
    Fields, FilterBar, ForbiddenState, FormAlert, ListResult, ProtectedFields, Section, SelectField, SelectFilter,
    StatusBadge, SubmitButton, TextField, TextFilter, Time, Timeline, TimelineEntry, Tone,
};
use crate::domain::payout::{NextAction, PayoutStatus};
use crate::domain::permissions::{PAYOUTS_APPROVE, PAYOUTS_VIEW, PAYOUT_ACCOUNTS_REVEAL};
use crate::error::AppError;
use crate::frame::console::shell::{use_operator, PageHeader};
use crate::i18n::{t, translate, use_lang};
use crate::payouts::api::{
    get_payout, list_payouts, payout_counters, ApprovePayout, MarkPayoutFailed, MarkPayoutPaid, RejectPayout,
    RevealPayoutAccount,
};
use crate::payouts::model::{
    age_text, flag_hint_key, method_key, next_action_key, status_key, PayoutDetail, PayoutRow, QueueCounters,
};
use crate::payouts::pages::{PayoutStatusBadge, PlainState, RiskBadges};
use leptos::html;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

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
    // A bad filter value comes back as a field error of the list; the filter bar shows it.
    let filter_error = Signal::derive(move || match list.get() {
        Some(Err(e)) if e.field().is_some() => Some(error_text(lang.get(), &e)),
        _ => None,
    });
    let statuses = PayoutStatus::ALL.into_iter().map(|s| (s.as_str(), status_key(s).to_string())).collect();
    view! {
        <PageHeader title="console.payouts" crumbs=vec![]/>
        <DetailResult resource=counters let:c>
            <CounterRow c/>
        </DetailResult>
        <div class="my-4">
            <FilterBar action="/console/payouts" label="console_payouts.filters" testid="payout-filters" error=filter_error>
                <SelectFilter name="status" label="console_payouts.filter.status" all="console_payouts.filter.all" options=statuses/>
                <TextFilter name="seller" label="console_payouts.filter.seller" kind="search"/>
                <CheckFilter name="flagged" label="console_payouts.filter.flagged" value="true"/>
                <CheckFilter name="frozen" label="console_payouts.filter.frozen" value="true"/>
            </FilterBar>
        </div>
        <ListResult resource=list empty="console_payouts.empty" empty_hint="console_payouts.empty_hint"
            keep=&["status", "seller", "flagged", "frozen"]
            on_error=|e: AppError| e.field().is_some().then(|| ().into_any()) let:rows>
            <QueueTable rows/>
        </ListResult>
    }
    .into_any()
}

#[component]
fn CounterRow(c: QueueCounters) -> impl IntoView {
    let in_transit =
        c.currency.map(|cur| money(c.in_transit_minor, cur)).unwrap_or_else(|| c.in_transit_minor.to_string());
    view! {
        <Counters columns=5 testid="payout-counters">
            <Counter label="console_payouts.counter.to_review" value=c.to_review.to_string() testid="counter-to_review-value"
                href="/console/payouts?status=requested"/>
            <Counter label="console_payouts.counter.approved" value=c.approved.to_string() testid="counter-approved-value"
                href="/console/payouts?status=approved"/>
            <Counter label="console_payouts.counter.failed" value=c.failed_this_week.to_string() testid="counter-failed-value"
                href="/console/payouts?status=failed"/>
            <Counter label="console_payouts.counter.in_transit" value=in_transit testid="counter-in_transit-value"/>
            <Counter label="console_payouts.counter.flagged" value=c.flagged.to_string() testid="counter-flagged-value"
                href="/console/payouts?flagged=true"/>
        </Counters>
    }
}

#[component]
fn QueueTable(rows: Vec<PayoutRow>) -> impl IntoView {
    let lang = use_lang();
    let columns = vec![
        "console_payouts.col.seller",
        "payouts.col.amount",
        "payouts.col.account",
        "console_payouts.col.flags",
        "console_payouts.col.age",
        "payouts.col.status",
    ];
    view! {
        <DataTable caption="console_payouts.caption" columns testid="payouts-queue">
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
                            {p.frozen.then(|| view! { <StatusBadge tone=Tone::Danger label=t("console_payouts.frozen") testid="frozen-badge"/> })}
                        </td>
                        <td class=format!("{TD} whitespace-nowrap text-slate-600")>
                            <span title=move || translate(lang.get(), "payouts.col.requested")>{age_text(p.age_ms)}</span>
                        </td>
                        <td class=TD><PayoutStatusBadge status=p.status/></td>
                    </tr>
                }
            }).collect_view()}
        </DataTable>
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
    let actions = Actions { approve, paid, failed, reject };
    view! {
        <PageHeader title="console_payouts.detail" crumbs=vec![("console.payouts", "/console/payouts")]/>
        <div class="space-y-4">
            <DoneNotice notice/>
            <DetailResult resource=detail not_found="console_payouts.not_found" let:d>
                <DetailBody d can_decide can_reveal actions/>
            </DetailResult>
        </div>
    }
    .into_any()
}

/// The four decisions' server actions, owned by the page so their results survive a refresh.
#[derive(Clone, Copy)]
struct Actions {
    approve: ServerAction<ApprovePayout>,
    paid: ServerAction<MarkPayoutPaid>,
    failed: ServerAction<MarkPayoutFailed>,
    reject: ServerAction<RejectPayout>,
}

#[component]
fn DetailBody(d: PayoutDetail, can_decide: bool, can_reveal: bool, actions: Actions) -> impl IntoView {
    let (status, id) = (d.row.status, d.row.id);
    let decisions = match (can_decide, status) {
        (false, s) if s.is_open() => view! {
            <p class=format!("{CARD} text-sm text-slate-600") data-testid="no-permission">{t("console_payouts.no_permission")}</p>
        }
        .into_any(),
        (true, PayoutStatus::Requested) => view! {
            <ProtectedAction id kind=Kind::Approve actions/>
            <ProtectedAction id kind=Kind::Reject actions/>
        }
        .into_any(),
        (true, PayoutStatus::Approved) => view! {
            <ProtectedAction id kind=Kind::Paid actions/>
            <ProtectedAction id kind=Kind::Failed actions/>
            <ProtectedAction id kind=Kind::Reject actions/>
        }
        .into_any(),
        _ => ().into_any(),
    };
    view! {
        {d.seller_frozen.then(|| view! {
            <p role="alert" data-testid="frozen-banner" class=DANGER_BANNER>{t("console_payouts.frozen_banner")}</p>
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
                {decisions}
            </div>
        </div>
    }
}

#[component]
fn Facts(d: PayoutDetail) -> impl IntoView {
    let c = d.row.currency;
    let (row, reference) = (d.row.clone(), d.row.external_reference.clone());
    let (lang, seller_status) = (use_lang(), d.seller_status.clone());
    // Not a `Section`: the heading is the seller's name, a link, with the status beside it.
    view! {
        <section class=CARD aria-labelledby="facts-title">
            <div class="flex flex-wrap items-center justify-between gap-2">
                <h2 id="facts-title" class=H2_LARGE>
                    <a href=format!("/console/sellers/{}", d.row.organisation_id) class="text-indigo-700 hover:underline" data-testid="payout-seller">{d.row.seller_name.clone()}</a>
                    <span class="ml-2 text-sm font-normal text-slate-500">"#"{d.row.id}</span>
                </h2>
                <PayoutStatusBadge status=d.row.status/>
            </div>
            <Fields>
                <Field label="payouts.col.amount"><span class="font-semibold tabular-nums" data-testid="payout-amount">{money(d.row.amount_minor, c)}</span></Field>
                <Field label="payouts.col.requested"><Time ms=d.row.requested_at_ms/>" · "{d.requested_by.clone()}</Field>
                {d.approved_at_ms.map(|ms| view! { <Field label="console_payouts.approved_by"><Time ms/>" · "{d.approved_by.clone().unwrap_or_default()}</Field> })}
                {d.row.closed_at_ms.map(|ms| view! { <Field label="console_payouts.closed_by"><Time ms/>" · "{d.closed_by.clone().unwrap_or_default()}</Field> })}
                {(!reference.is_empty()).then(|| view! {
                    <Field label="console_payouts.reference"><span class="font-mono" data-testid="payout-reference">{reference.clone()}</span></Field>
                })}
                {(!row.status.is_open()).then(|| view! { <Field label="payouts.col.next"><PlainState row=row.clone()/></Field> })}
                <Field label="console_payouts.seller_status">{move || label_or_raw(lang.get(), "seller_center.seller.", &seller_status)}</Field>
                <Field label="payouts.balance.pending"><span class="tabular-nums">{money(d.pending_minor, c)}</span></Field>
                <Field label="payouts.balance.available"><span class="tabular-nums" data-testid="seller-available">{money(d.available_minor, c)}</span></Field>
                <Field label="payouts.balance.in_transit"><span class="tabular-nums">{money(d.in_transit_minor, c)}</span></Field>
            </Fields>
        </section>
    }
}

#[component]
fn Flags(d: PayoutDetail) -> impl IntoView {
    view! {
        <Section id="flags-title" title=t("console_payouts.flags")>
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
        </Section>
    }
}

#[component]
fn Account(d: PayoutDetail, can_reveal: bool) -> impl IntoView {
    let reveal = ServerAction::<RevealPayoutAccount>::new();
    let result = move || reveal.value().get();
    let a = d.account.clone();
    let (lang, account_status) = (use_lang(), a.status.clone());
    view! {
        <Section id="account-title" title=t("console_payouts.account")>
            <Fields>
                <Field label="payouts.method">{t(method_key(a.method))}</Field>
                <Field label="payouts.account.holder">{a.holder.clone()}</Field>
                <Field label="payouts.account.number">
                    <span class="font-mono" data-testid="account-masked">{a.account_masked.clone()}</span>
                    {move || match result() {
                        Some(Ok(full)) => Some(view! { <span class="mt-1 block font-mono font-semibold" data-testid="account-revealed">{full}</span> }),
                        _ => None,
                    }}
                </Field>
                {(!a.bank_name.is_empty()).then(|| view! { <Field label="payouts.account.bank_name">{a.bank_name.clone()}</Field> })}
                {(!a.notes.is_empty()).then(|| view! { <Field label="payouts.account.notes"><span class="whitespace-pre-wrap">{a.notes.clone()}</span></Field> })}
                <Field label="payouts.account.added"><Time ms=a.created_at_ms/>" · "{move || label_or_raw(lang.get(), "payouts.account_status.", &account_status)}</Field>
            </Fields>
            {can_reveal.then(|| view! { <RevealForm id=a.id reveal/> })}
        </Section>
    }
}

/// Showing the full account number: a reason, recorded in the audit log.
#[component]
fn RevealForm(id: i64, reveal: ServerAction<RevealPayoutAccount>) -> impl IntoView {
    let result = move || reveal.value().get();
    // Its own element ids and error test id: the protected forms on this page use `error-reason`.
    let reason_error = field_error(result, "reason");
    view! {
        <details class="mt-3">
            <summary class="cursor-pointer text-sm font-medium text-indigo-700" data-testid="reveal-toggle">{t("console_payouts.reveal")}</summary>
            <ActionForm action=reveal attr:class="mt-3 space-y-3" attr:data-testid="reveal-form">
                <input type="hidden" name="id" value=id.to_string()/>
                <div class="space-y-1">
                    <label for="reveal-reason" class=LABEL>{t("console_payouts.reveal_reason")}</label>
                    <input id="reveal-reason" name="reason" maxlength="2000" required=true class=INPUT
                        aria-invalid=move || reason_error.get().is_some().to_string()
                        aria-describedby=move || if reason_error.get().is_some() { "reveal-reason-error" } else { "" }/>
                    {move || reason_error.get().map(|e| view! { <p id="reveal-reason-error" class=FIELD_ERROR data-testid="error-reveal-reason">{e}</p> })}
                </div>
                <p class=HINT>{t("console_payouts.reveal_hint")}</p>
                <FormAlert error=form_error(result)/>
                <SubmitButton label="console_payouts.reveal_submit" pending=reveal.pending()/>
            </ActionForm>
        </details>
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Approve,
    Paid,
    Failed,
    Reject,
}

/// The words of one decision: heading id, title, effect, submit label, whether it is dangerous.
fn decision_text(kind: Kind) -> (&'static str, &'static str, &'static str, &'static str, bool) {
    match kind {
        Kind::Approve => (
            "approve-title",
            "console_payouts.approve.title",
            "console_payouts.approve.effect",
            "console_payouts.approve.submit",
            false,
        ),
        Kind::Paid => (
            "paid-title",
            "console_payouts.paid.title",
            "console_payouts.paid.effect",
            "console_payouts.paid.submit",
            false,
        ),
        Kind::Failed => (
            "failed-title",
            "console_payouts.failed.title",
            "console_payouts.failed.effect",
            "console_payouts.failed.submit",
            true,
        ),
        Kind::Reject => (
            "reject-title",
            "console_payouts.reject.title",
            "console_payouts.reject.effect",
            "console_payouts.reject.submit",
            true,
        ),
    }
}

/// One protected decision: its own fields, then the reason and the password.
#[component]
fn ProtectedAction(id: i64, kind: Kind, actions: Actions) -> impl IntoView {
    let (heading, title, effect, submit, danger) = decision_text(kind);
    // Whole class strings (Tailwind): the border says whether the decision is dangerous.
    let class = if danger {
        "rounded-xl border border-red-200 bg-white p-6"
    } else {
        "rounded-xl border border-green-200 bg-white p-6"
    };
    let Actions { approve, paid, failed, reject } = actions;
    let body = match kind {
        Kind::Approve => {
            let result = move || approve.value().get();
            view! {
                <ActionForm action=approve attr:class="mt-4 space-y-3" attr:data-testid="approve-form">
                    <input type="hidden" name="id" value=id.to_string()/>
                    <ProtectedFields form="approve" reason_error=field_error(result, "reason") password_error=field_error(result, "password") code_error=field_error(result, "code")/>
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
                    <ProtectedFields form="paid" reason_error=field_error(result, "reason") password_error=field_error(result, "password") code_error=field_error(result, "code")/>
                    <FormAlert error=form_error(result)/>
                    <SubmitButton label=submit pending=paid.pending()/>
                </ActionForm>
            }
            .into_any()
        }
        Kind::Failed => {
            let result = move || failed.value().get();
            let next_actions =
                NextAction::ALL.into_iter().map(|a| (a.as_str(), next_action_key(a).to_string())).collect();
            view! {
                <ActionForm action=failed attr:class="mt-4 space-y-3" attr:data-testid="failed-form">
                    <input type="hidden" name="id" value=id.to_string()/>
                    <TextField label="console_payouts.retry_condition" name="retry_condition" maxlength=500 error=field_error(result, "retry_condition")/>
                    <SelectField label="console_payouts.next_action" name="next_action" options=next_actions error=field_error(result, "next_action")/>
                    <p class=HINT>{t("console_payouts.failed.reason_hint")}</p>
                    <ProtectedFields form="failed" reason_error=field_error(result, "reason") password_error=field_error(result, "password") code_error=field_error(result, "code")/>
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
                    <p class=HINT>{t("console_payouts.reject.reason_hint")}</p>
                    <ProtectedFields form="reject" reason_error=field_error(result, "reason") password_error=field_error(result, "password") code_error=field_error(result, "code")/>
                    <FormAlert error=form_error(result)/>
                    <SubmitButton label=submit pending=reject.pending() danger=true/>
                </ActionForm>
            }
            .into_any()
        }
    };
    view! {
        <Section id=heading title=t(title) class>
            <p class="mt-1 text-sm text-slate-600">{t(effect)}</p>
            {body}
        </Section>
    }
}

#[component]
fn Postings(d: PayoutDetail) -> impl IntoView {
    let lang = use_lang();
    let c = d.row.currency;
    view! {
        <Section id="postings-title" title=t("console_payouts.postings")>
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
                                        {move || label_or_raw(lang.get(), "ledger.posting.", &kind)}
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
        </Section>
    }
}

/// The seller's earlier payouts.
#[component]
fn History(d: PayoutDetail) -> impl IntoView {
    let th = "py-1 text-left text-xs font-semibold text-slate-500";
    view! {
        <Section id="history-title" title=t("console_payouts.history")>
            {if d.history.is_empty() {
                view! { <p class="mt-1 text-sm text-slate-600" data-testid="no-history">{t("console_payouts.no_history")}</p> }.into_any()
            } else {
                view! {
                    <table class="mt-2 min-w-full text-sm" data-testid="payout-history">
                        <caption class="sr-only">{t("console_payouts.history")}</caption>
                        <thead>
                            <tr>
                                <th scope="col" class=th>{t("payouts.col.requested")}</th>
                                <th scope="col" class=th>{t("payouts.col.amount")}</th>
                                <th scope="col" class=th>{t("payouts.col.status")}</th>
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
        </Section>
    }
}

/// The payout's audit trail.
#[component]
fn Audit(d: PayoutDetail) -> impl IntoView {
    let entries = d
        .audit
        .into_iter()
        .map(|a| TimelineEntry {
            at_ms: a.at_ms,
            what: a.action,
            who: a.actor.unwrap_or_else(|| "system".into()),
            note: a.reason,
        })
        .collect();
    view! {
        <Section id="audit-title" title=t("console_payouts.audit")>
            <Timeline entries testid="payout-audit"/>
        </Section>
    }
}
