//! `/console/payments`: finance's queue of payments by status (waiting proofs oldest first), one
//! payment with its proof, orders and amounts and the approve/reject decision, and
//! `/console/settings/payments`: the bank account buyers transfer to (a protected change).

use crate::components::form::{field_error, form_error};
use crate::components::states::{error_text, urlencode, Time};
use crate::components::{
    EmptyState, ErrorState, ForbiddenState, FormAlert, LoadingState, Pager, ProtectedFields, SubmitButton, TextArea,
    TextField,
};
use crate::domain::money::Money;
use crate::domain::payment::PaymentStatus;
use crate::domain::permissions::{PAYMENTS_APPROVE, PAYMENTS_VIEW, PAYMENT_SETTINGS_MANAGE};
use crate::error::AppError;
use crate::frame::console::shell::{use_operator, PageHeader};
use crate::i18n::{t, use_lang};
use crate::payments::api::{
    get_payment, list_payments, payment_settings, ApprovePayment, RejectPayment, SaveBankAccount,
};
use crate::payments::model::{provider_key, status_key, PaymentDetail, PaymentRow, PaymentSettingsView};
use crate::payments::pages::{Fact, OrderList, PaymentStatusBadge, ProofLink};
use leptos::html;
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_params_map;

use crate::components::styles::CARD;
use crate::components::styles::INPUT;
use crate::components::styles::LABEL;
use crate::components::styles::TD;
use crate::components::styles::TH;

use crate::components::query::query_param;

#[component]
pub fn PaymentsPage() -> impl IntoView {
    if !use_operator().is_some_and(|v| v.can(PAYMENTS_VIEW)) {
        return view! { <PageHeader title="console.payments" crumbs=vec![]/><ForbiddenState/> }.into_any();
    }
    let can_settings = use_operator().is_some_and(|v| v.can(PAYMENT_SETTINGS_MANAGE));
    let (status, cursor) = (query_param("status"), query_param("cursor"));
    let list = Resource::new(move || (status(), cursor()), |(s, c)| list_payments(s, c));
    let lang = use_lang();
    let status_error = move || match list.get() {
        Some(Err(e)) if e.field() == Some("status") => Some(error_text(lang.get(), &e)),
        _ => None,
    };
    view! {
        <PageHeader title="console.payments" crumbs=vec![]>
            {can_settings.then(|| view! {
                <a href="/console/settings/payments" class="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50">{t("payments.settings.title")}</a>
            })}
        </PageHeader>
        <Form method="GET" action="/console/payments" attr:aria-label=t("payments.queue.filters") attr:data-testid="payment-filters"
            attr:class="mb-4 flex flex-wrap items-end gap-3 rounded-xl border border-slate-200 bg-white p-4">
            <div class="space-y-1">
                <label for="filter-status" class=LABEL>{t("payments.queue.status")}</label>
                <select id="filter-status" name="status" class=INPUT>
                    <option value="">{t("payments.queue.all")}</option>
                    {PaymentStatus::ALL.into_iter().map(|s| view! {
                        <option value=s.as_str() selected=move || status().as_deref() == Some(s.as_str())>{t(status_key(s))}</option>
                    }).collect_view()}
                </select>
                <Transition fallback=|| ()>
                    {move || status_error().map(|e| view! { <p class="text-sm text-red-600" data-testid="error-status">{e}</p> })}
                </Transition>
            </div>
            <button type="submit" class="rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-700">{t("action.filter")}</button>
            <a href="/console/payments?status=proof_submitted" class="rounded-md px-3 py-2 text-sm font-medium text-indigo-700 hover:bg-indigo-50" data-testid="waiting-link">{t("payments.queue.waiting")}</a>
        </Form>
        <Transition fallback=LoadingState>
            {move || list.get().map(|r| match r {
                Err(e) if e.field().is_some() => ().into_any(),
                Err(e) => view! { <ErrorState error=e/> }.into_any(),
                Ok(page) if page.rows.is_empty() => view! {
                    <EmptyState title=Signal::derive(t("payments.queue.empty")) hint=Signal::derive(t("payments.queue.empty_hint"))/>
                }.into_any(),
                Ok(page) => {
                    let base = status().map(|s| format!("status={}", urlencode(&s))).unwrap_or_default();
                    view! {
                        <PaymentsTable rows=page.rows/>
                        <Pager next=page.next base_query=base is_first=cursor().is_none()/>
                    }.into_any()
                }
            })}
        </Transition>
    }
    .into_any()
}

#[component]
fn PaymentsTable(rows: Vec<PaymentRow>) -> impl IntoView {
    view! {
        <div class="overflow-x-auto rounded-xl border border-slate-200 bg-white">
            <table class="min-w-full divide-y divide-slate-200 text-sm" data-testid="payments-table">
                <caption class="sr-only">{t("payments.queue.caption")}</caption>
                <thead class="bg-slate-50">
                    <tr>
                        <th scope="col" class=TH>{t("payments.reference")}</th>
                        <th scope="col" class=TH>{t("payments.buyer")}</th>
                        <th scope="col" class=TH>{t("payments.amount")}</th>
                        <th scope="col" class=TH>{t("payments.provider")}</th>
                        <th scope="col" class=TH>{t("payments.status")}</th>
                        <th scope="col" class=TH>{t("payments.orders.count")}</th>
                        <th scope="col" class=TH>{t("payments.proof.submitted_at")}</th>
                        <th scope="col" class=TH>{t("payments.created")}</th>
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-100">
                    {rows.into_iter().map(|p| view! {
                        <tr class="hover:bg-slate-50" data-testid="payment-row">
                            <td class=TD>
                                <a href=format!("/console/payments/{}", p.id) class="font-mono font-medium text-indigo-700 hover:underline">{p.reference.clone()}</a>
                            </td>
                            <td class=TD>{p.buyer_email.clone()}</td>
                            <td class=format!("{TD} tabular-nums")>{Money::new(p.amount_minor, p.currency).display()}</td>
                            <td class=TD>{t(provider_key(p.provider))}</td>
                            <td class=TD><PaymentStatusBadge status=p.status/></td>
                            <td class=format!("{TD} tabular-nums")>{p.orders}</td>
                            <td class=format!("{TD} whitespace-nowrap text-slate-500")>{p.proof_submitted_at_ms.map(|ms| view! { <Time ms/> })}</td>
                            <td class=format!("{TD} whitespace-nowrap text-slate-500")><Time ms=p.created_at_ms/></td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
pub fn PaymentDetailPage() -> impl IntoView {
    let Some(operator) = use_operator().filter(|v| v.can(PAYMENTS_VIEW)) else {
        return view! { <PageHeader title="payments.detail" crumbs=vec![("console.payments", "/console/payments")]/><ForbiddenState/> }
            .into_any();
    };
    let can_decide = operator.can(PAYMENTS_APPROVE);
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id")).and_then(|s| s.parse::<i64>().ok()).filter(|id| *id > 0);
    let approve = ServerAction::<ApprovePayment>::new();
    let reject = ServerAction::<RejectPayment>::new();
    let refresh = RwSignal::new(0u32);
    let notice = RwSignal::new(None::<&'static str>);
    for (value, done) in [(approve.value(), "payments.approve.done"), (reject.value(), "payments.reject.done")] {
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
                Some(id) => get_payment(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <PageHeader title="payments.detail" crumbs=vec![("console.payments", "/console/payments")]/>
        {move || notice.get().map(|key| view! {
            <p role="status" data-testid="action-done" class="mb-4 rounded-md border border-green-200 bg-green-50 px-3 py-2 text-sm text-green-800">{t(key)}</p>
        })}
        <Transition fallback=LoadingState>
            {move || detail.get().map(|r| match r {
                Err(AppError::NotFound) => view! { <EmptyState title=Signal::derive(t("payments.not_found"))/> }.into_any(),
                Err(e) => view! { <ErrorState error=e/> }.into_any(),
                Ok(d) => {
                    let decidable = can_decide && d.row.status == PaymentStatus::ProofSubmitted;
                    view! {
                        <div class="grid gap-6 lg:grid-cols-3">
                            <div class="space-y-6 lg:col-span-2">
                                <DetailFacts d=d.clone()/>
                                <section class=CARD aria-labelledby="proof-title">
                                    <h2 id="proof-title" class="mb-2 font-semibold">{t("payments.proof.title")}</h2>
                                    {match d.proof.clone() {
                                        Some(p) => view! { <ProofLink proof=p preview=true/> }.into_any(),
                                        None => view! { <p class="text-sm text-slate-500">{t("payments.proof.none")}</p> }.into_any(),
                                    }}
                                </section>
                                <section class=CARD aria-labelledby="orders-title">
                                    <h2 id="orders-title" class="mb-2 font-semibold">{t("payments.orders.title")}</h2>
                                    <OrderList orders=d.orders.clone() currency=d.row.currency href=|n| format!("/console/orders/{n}")/>
                                </section>
                            </div>
                            <div class="space-y-6">
                                {decidable.then(|| view! { <Decision payment_id=d.row.id approve reject/> })}
                                {(!decidable).then(|| view! { <DecisionState d=d.clone() can_decide/> })}
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
fn DetailFacts(d: PaymentDetail) -> impl IntoView {
    let amount = Money::new(d.row.amount_minor, d.row.currency).display();
    view! {
        <section class=CARD aria-labelledby="facts-title">
            <div class="flex flex-wrap items-center justify-between gap-2">
                <h2 id="facts-title" class="font-mono text-lg font-semibold" data-testid="payment-reference">{d.row.reference.clone()}</h2>
                <PaymentStatusBadge status=d.row.status/>
            </div>
            <dl class="mt-2 divide-y divide-slate-100">
                <Fact label="payments.amount"><span class="font-semibold tabular-nums" data-testid="payment-amount">{amount}</span></Fact>
                <Fact label="payments.provider">{t(provider_key(d.row.provider))}</Fact>
                <Fact label="payments.buyer">
                    <a href=format!("/console/users/{}", d.buyer_id) class="text-indigo-700 hover:underline">{d.buyer_name.clone()}</a>
                    " · " {d.row.buyer_email.clone()}
                </Fact>
                <Fact label="payments.checkout"><span class="tabular-nums">{d.row.checkout_id}</span></Fact>
                <Fact label="payments.created"><Time ms=d.row.created_at_ms/></Fact>
                <Fact label="payments.pay_by"><Time ms=d.pay_by_ms/></Fact>
                {d.posting_id.map(|id| view! {
                    <Fact label="payments.posting">
                        <a href="/console/ledger/postings" class="text-indigo-700 hover:underline" data-testid="posting-link">"#" {id}</a>
                    </Fact>
                })}
            </dl>
        </section>
    }
}

/// Who decided and why, once decided (or why nothing can be decided now).
#[component]
fn DecisionState(d: PaymentDetail, can_decide: bool) -> impl IntoView {
    let key = match d.row.status {
        PaymentStatus::Approved => "payments.decision.approved",
        PaymentStatus::Rejected => "payments.decision.rejected",
        PaymentStatus::Cancelled => "payments.decision.cancelled",
        PaymentStatus::Pending => "payments.decision.waiting_for_buyer",
        PaymentStatus::ProofSubmitted if !can_decide => "payments.decision.no_permission",
        PaymentStatus::ProofSubmitted => "payments.decision.waiting_for_buyer",
    };
    view! {
        <section class=CARD aria-labelledby="decision-title" data-testid="decision-state">
            <h2 id="decision-title" class="font-semibold">{t("payments.decision.title")}</h2>
            <p class="mt-1 text-sm text-slate-600">{t(key)}</p>
            <dl class="mt-2 divide-y divide-slate-100">
                {d.decided_by.clone().map(|who| view! { <Fact label="payments.decision.by">{who}</Fact> })}
                {d.decided_at_ms.map(|ms| view! { <Fact label="payments.decision.at"><Time ms/></Fact> })}
                {(!d.decision_reason.is_empty()).then(|| view! {
                    <Fact label="payments.decision.reason"><span class="whitespace-pre-wrap">{d.decision_reason.clone()}</span></Fact>
                })}
            </dl>
        </section>
    }
}

#[component]
fn Decision(
    payment_id: i64,
    approve: ServerAction<ApprovePayment>,
    reject: ServerAction<RejectPayment>,
) -> impl IntoView {
    let approved = move || approve.value().get();
    let rejected = move || reject.value().get();
    let form = NodeRef::<html::Form>::new();
    Effect::new(move |_| {
        if let (Some(Ok(())), Some(f)) = (rejected(), form.get_untracked()) {
            f.reset();
        }
    });
    view! {
        <section class="rounded-xl border border-green-200 bg-white p-6" aria-labelledby="approve-title">
            <h2 id="approve-title" class="font-semibold text-green-800">{t("payments.approve.title")}</h2>
            <p class="mt-1 text-sm text-slate-600">{t("payments.approve.effect")}</p>
            <ActionForm action=approve attr:class="mt-4 space-y-3" attr:data-testid="approve-form">
                <input type="hidden" name="id" value=payment_id/>
                <FormAlert error=form_error(approved)/>
                <SubmitButton label="payments.approve.submit" pending=approve.pending()/>
            </ActionForm>
        </section>
        <section class="rounded-xl border border-red-200 bg-white p-6" aria-labelledby="reject-title">
            <h2 id="reject-title" class="font-semibold text-red-800">{t("payments.reject.title")}</h2>
            <p class="mt-1 text-sm text-slate-600">{t("payments.reject.effect")}</p>
            <ActionForm action=reject node_ref=form attr:class="mt-4 space-y-3" attr:data-testid="reject-form">
                <input type="hidden" name="id" value=payment_id/>
                <TextArea label="payments.reject.reason" name="reason" error=field_error(rejected, "reason")/>
                <FormAlert error=form_error(rejected)/>
                <SubmitButton label="payments.reject.submit" pending=reject.pending() danger=true/>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn PaymentSettingsPage() -> impl IntoView {
    if !use_operator().is_some_and(|v| v.can(PAYMENT_SETTINGS_MANAGE)) {
        return view! { <PageHeader title="payments.settings.title" crumbs=vec![("console.payments", "/console/payments")]/><ForbiddenState/> }
            .into_any();
    }
    let save = ServerAction::<SaveBankAccount>::new();
    let refresh = RwSignal::new(0u32);
    let notice = RwSignal::new(None::<&'static str>);
    Effect::new(move |_| match save.value().get() {
        Some(Ok(())) => {
            notice.set(Some("payments.settings.saved"));
            refresh.update(|n| *n += 1);
        }
        Some(Err(_)) => notice.set(None),
        None => {}
    });
    let settings = Resource::new(move || refresh.get(), |_| payment_settings());
    view! {
        <PageHeader title="payments.settings.title" crumbs=vec![("console.payments", "/console/payments")]/>
        {move || notice.get().map(|key| view! {
            <p role="status" data-testid="action-done" class="mb-4 rounded-md border border-green-200 bg-green-50 px-3 py-2 text-sm text-green-800">{t(key)}</p>
        })}
        <Transition fallback=LoadingState>
            {move || settings.get().map(|r| match r {
                Err(e) => view! { <ErrorState error=e/> }.into_any(),
                Ok(s) => view! {
                    <div class="grid gap-6 lg:grid-cols-3">
                        <div class="lg:col-span-2"><BankForm s=s.clone() save/></div>
                        <Providers s/>
                    </div>
                }.into_any(),
            })}
        </Transition>
    }
    .into_any()
}

#[component]
fn Providers(s: PaymentSettingsView) -> impl IntoView {
    view! {
        <section class=CARD aria-labelledby="providers-title">
            <h2 id="providers-title" class="font-semibold">{t("payments.settings.providers")}</h2>
            <p class="mt-1 text-sm text-slate-600">{t("payments.settings.providers_hint")}</p>
            <ul class="mt-3 space-y-1 text-sm" data-testid="providers">
                {s.providers.iter().map(|p| view! { <li class="rounded bg-slate-50 px-2 py-1">{t(provider_key(*p))}</li> }).collect_view()}
            </ul>
            {s.production.then(|| view! { <p class="mt-3 text-xs text-slate-500">{t("payments.settings.production")}</p> })}
        </section>
    }
}

#[component]
fn BankForm(s: PaymentSettingsView, save: ServerAction<SaveBankAccount>) -> impl IntoView {
    let result = move || save.value().get();
    let a = s.bank_account.clone();
    let value = move |f: fn(&crate::payments::model::BankAccount) -> String| a.as_ref().map(f).unwrap_or_default();
    let status = match (&s.bank_account, s.updated_at_ms) {
        (None, _) => view! { <p class="mt-1 text-sm text-amber-800" data-testid="bank-not-configured">{t("payments.settings.not_configured")}</p> }.into_any(),
        (Some(_), Some(ms)) => view! {
            <p class="mt-1 text-sm text-slate-600">{t("payments.settings.updated")} " " <Time ms/> {s.updated_by.clone().map(|e| format!(" · {e}"))}</p>
        }.into_any(),
        (Some(_), None) => ().into_any(),
    };
    let form = NodeRef::<html::Form>::new();
    // The reason and the password were for that change only.
    Effect::new(move |_| {
        if let (Some(Ok(())), Some(f)) = (result(), form.get_untracked()) {
            f.reset();
        }
    });
    view! {
        <section class=CARD aria-labelledby="bank-title">
            <h2 id="bank-title" class="font-semibold">{t("payments.bank.title")}</h2>
            {status}
            <ActionForm action=save node_ref=form attr:class="mt-4 space-y-4" attr:data-testid="bank-form">
                <TextField label="payments.bank.holder" name="holder" maxlength=100 value=value(|a| a.holder.clone()) error=field_error(result, "holder")/>
                <TextField label="payments.bank.bank_name" name="bank_name" maxlength=100 value=value(|a| a.bank_name.clone()) error=field_error(result, "bank_name")/>
                <TextField label="payments.bank.account_number" name="account_number" maxlength=40 value=value(|a| a.account_number.clone()) error=field_error(result, "account_number")/>
                <TextField label="payments.bank.branch" name="branch" maxlength=100 required=false value=value(|a| a.branch.clone()) error=field_error(result, "branch")/>
                <TextField label="payments.bank.note" name="note" maxlength=300 required=false value=value(|a| a.note.clone()) error=field_error(result, "note")/>
                <ProtectedFields form="bank" reason_error=field_error(result, "reason") password_error=field_error(result, "password")/>
                <FormAlert error=form_error(result)/>
                <SubmitButton label="payments.settings.save" pending=save.pending()/>
            </ActionForm>
        </section>
    }
}
