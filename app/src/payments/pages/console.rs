//! `/console/payments`: finance's queue of payments by status (waiting proofs oldest first), one
//! payment with its proof, orders and amounts and the approve/reject decision, and
//! `/console/settings/payments`: the bank account buyers transfer to (a protected change).

use crate::components::form::{field_error, form_error};
use crate::components::styles::{BUTTON_SECONDARY_SMALL, MUTED, ROW_LINK, TD};
use crate::components::{
    notify_and_reload, query_param, DataTable, DetailResult, DoneNotice, Field, Fields, FilterBar, FilterFieldError,
    ForbiddenState, FormAlert, ListResult, ProtectedFields, Section, SelectFilter, SubmitButton, TextArea, TextField,
    Time,
};
use crate::domain::money::Money;
use crate::domain::payment::PaymentStatus;
use crate::domain::permissions::{PAYMENTS_APPROVE, PAYMENTS_VIEW, PAYMENT_SETTINGS_MANAGE};
use crate::error::AppError;
use crate::frame::console::shell::{use_operator, PageHeader};
use crate::i18n::t;
use crate::payments::api::{
    get_payment, list_payments, payment_settings, ApprovePayment, RejectPayment, SaveBankAccount,
};
use crate::payments::model::{provider_key, status_key, PaymentDetail, PaymentRow, PaymentSettingsView};
use crate::payments::pages::{OrderList, PaymentStatusBadge, ProofLink};
use leptos::html;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn PaymentsPage() -> impl IntoView {
    if !use_operator().is_some_and(|v| v.can(PAYMENTS_VIEW)) {
        return view! { <PageHeader title="console.payments" crumbs=vec![]/><ForbiddenState/> }.into_any();
    }
    let can_settings = use_operator().is_some_and(|v| v.can(PAYMENT_SETTINGS_MANAGE));
    let (status, cursor) = (query_param("status"), query_param("cursor"));
    let list = Resource::new(move || (status(), cursor()), |(s, c)| list_payments(s, c));
    let statuses = PaymentStatus::ALL.into_iter().map(|s| (s.as_str(), status_key(s).to_string())).collect();
    view! {
        <PageHeader title="console.payments" crumbs=vec![]>
            {can_settings.then(|| view! {
                <a href="/console/settings/payments" class=BUTTON_SECONDARY_SMALL>{t("payments.settings.title")}</a>
            })}
        </PageHeader>
        <div class="space-y-4">
            <FilterBar action="/console/payments" label="payments.queue.filters" testid="payment-filters">
                <SelectFilter name="status" label="payments.queue.status" all="payments.queue.all" options=statuses/>
                <a href="/console/payments?status=proof_submitted" class="rounded-md px-3 py-2 text-sm font-medium text-indigo-700 hover:bg-indigo-50" data-testid="waiting-link">{t("payments.queue.waiting")}</a>
                <FilterFieldError list/>
            </FilterBar>
            // A refused filter is shown by the filter bar.
            <ListResult resource=list empty="payments.queue.empty" empty_hint="payments.queue.empty_hint" keep=&["status"]
                on_error=|e: AppError| e.field().is_some().then(|| ().into_any()) let:rows>
                <PaymentsTable rows/>
            </ListResult>
        </div>
    }
    .into_any()
}

#[component]
fn PaymentsTable(rows: Vec<PaymentRow>) -> impl IntoView {
    let columns = vec![
        "payments.reference",
        "payments.buyer",
        "payments.amount",
        "payments.provider",
        "payments.status",
        "payments.orders.count",
        "payments.proof.submitted_at",
        "payments.created",
    ];
    view! {
        <DataTable caption="payments.queue.caption" columns testid="payments-table">
            {rows.into_iter().map(|p| view! {
                <tr class="hover:bg-slate-50" data-testid="payment-row">
                    <td class=TD>
                        <a href=format!("/console/payments/{}", p.id) class=format!("{ROW_LINK} font-mono")>{p.reference.clone()}</a>
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
        </DataTable>
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
        notify_and_reload(move || value.get(), refresh, notice, done);
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
        <div class="space-y-4">
            <DoneNotice notice/>
            <DetailResult resource=detail not_found="payments.not_found" let:d>
                <PaymentDetailBody d can_decide approve reject/>
            </DetailResult>
        </div>
    }
    .into_any()
}

#[component]
fn PaymentDetailBody(
    d: PaymentDetail,
    can_decide: bool,
    approve: ServerAction<ApprovePayment>,
    reject: ServerAction<RejectPayment>,
) -> impl IntoView {
    let decidable = can_decide && d.row.status == PaymentStatus::ProofSubmitted;
    let proof = match d.proof.clone() {
        Some(p) => view! { <ProofLink proof=p preview=true/> }.into_any(),
        None => view! { <p class=MUTED>{t("payments.proof.none")}</p> }.into_any(),
    };
    let (orders, currency) = (d.orders.clone(), d.row.currency);
    view! {
        <div class="grid gap-6 lg:grid-cols-3">
            <div class="space-y-6 lg:col-span-2">
                <DetailFacts d=d.clone()/>
                <Section id="proof-title" title=t("payments.proof.title")>{proof}</Section>
                <Section id="orders-title" title=t("payments.orders.title")>
                    <OrderList orders currency href=|n| format!("/console/orders/{n}")/>
                </Section>
            </div>
            <div class="space-y-6">
                {decidable.then(|| view! { <Decision payment_id=d.row.id approve reject/> })}
                {(!decidable).then(|| view! { <DecisionState d can_decide/> })}
            </div>
        </div>
    }
}

#[component]
fn DetailFacts(d: PaymentDetail) -> impl IntoView {
    let amount = Money::new(d.row.amount_minor, d.row.currency).display();
    view! {
        <Section id="facts-title" title=t("payments.detail") hide_title=true>
            <div class="flex flex-wrap items-center justify-between gap-2">
                <p class="font-mono text-lg font-semibold" data-testid="payment-reference">{d.row.reference.clone()}</p>
                <PaymentStatusBadge status=d.row.status/>
            </div>
            <Fields>
                <Field label="payments.amount"><span class="font-semibold tabular-nums" data-testid="payment-amount">{amount}</span></Field>
                <Field label="payments.provider">{t(provider_key(d.row.provider))}</Field>
                <Field label="payments.buyer">
                    <a href=format!("/console/users/{}", d.buyer_id) class="text-indigo-700 hover:underline">{d.buyer_name.clone()}</a>
                    " · " {d.row.buyer_email.clone()}
                </Field>
                <Field label="payments.checkout"><span class="tabular-nums">{d.row.checkout_id}</span></Field>
                <Field label="payments.created"><Time ms=d.row.created_at_ms/></Field>
                <Field label="payments.pay_by"><Time ms=d.pay_by_ms/></Field>
                {d.posting_id.map(|id| view! {
                    <Field label="payments.posting">
                        <a href="/console/ledger/postings" class="text-indigo-700 hover:underline" data-testid="posting-link">"#" {id}</a>
                    </Field>
                })}
            </Fields>
        </Section>
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
        <Section id="decision-title" title=t("payments.decision.title") testid="decision-state">
            <p class="mt-1 text-sm text-slate-600">{t(key)}</p>
            <Fields>
                {d.decided_by.clone().map(|who| view! { <Field label="payments.decision.by">{who}</Field> })}
                {d.decided_at_ms.map(|ms| view! { <Field label="payments.decision.at"><Time ms/></Field> })}
                {(!d.decision_reason.is_empty()).then(|| view! {
                    <Field label="payments.decision.reason"><span class="whitespace-pre-wrap">{d.decision_reason.clone()}</span></Field>
                })}
            </Fields>
        </Section>
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
        <Section id="approve-title" title=t("payments.approve.title") class="rounded-xl border border-green-200 bg-white p-6">
            <p class="mt-1 text-sm text-slate-600">{t("payments.approve.effect")}</p>
            <ActionForm action=approve attr:class="mt-4 space-y-3" attr:data-testid="approve-form">
                <input type="hidden" name="id" value=payment_id/>
                <FormAlert error=form_error(approved)/>
                <SubmitButton label="payments.approve.submit" pending=approve.pending()/>
            </ActionForm>
        </Section>
        <Section id="reject-title" title=t("payments.reject.title") class="rounded-xl border border-red-200 bg-white p-6">
            <p class="mt-1 text-sm text-slate-600">{t("payments.reject.effect")}</p>
            <ActionForm action=reject node_ref=form attr:class="mt-4 space-y-3" attr:data-testid="reject-form">
                <input type="hidden" name="id" value=payment_id/>
                <TextArea label="payments.reject.reason" name="reason" error=field_error(rejected, "reason")/>
                <FormAlert error=form_error(rejected)/>
                <SubmitButton label="payments.reject.submit" pending=reject.pending() danger=true/>
            </ActionForm>
        </Section>
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
    notify_and_reload(move || save.value().get(), refresh, notice, "payments.settings.saved");
    let settings = Resource::new(move || refresh.get(), |_| payment_settings());
    view! {
        <PageHeader title="payments.settings.title" crumbs=vec![("console.payments", "/console/payments")]/>
        <div class="space-y-4">
            <DoneNotice notice/>
            <DetailResult resource=settings let:s>
                <div class="grid gap-6 lg:grid-cols-3">
                    <div class="lg:col-span-2"><BankForm s=s.clone() save/></div>
                    <Providers s/>
                </div>
            </DetailResult>
        </div>
    }
    .into_any()
}

#[component]
fn Providers(s: PaymentSettingsView) -> impl IntoView {
    view! {
        <Section id="providers-title" title=t("payments.settings.providers")>
            <p class="mt-1 text-sm text-slate-600">{t("payments.settings.providers_hint")}</p>
            <ul class="mt-3 space-y-1 text-sm" data-testid="providers">
                {s.providers.iter().map(|p| view! { <li class="rounded bg-slate-50 px-2 py-1">{t(provider_key(*p))}</li> }).collect_view()}
            </ul>
            {s.production.then(|| view! { <p class="mt-3 text-xs text-slate-500">{t("payments.settings.production")}</p> })}
        </Section>
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
        <Section id="bank-title" title=t("payments.bank.title")>
            {status}
            <ActionForm action=save node_ref=form attr:class="mt-4 space-y-4" attr:data-testid="bank-form">
                <TextField label="payments.bank.holder" name="holder" maxlength=100 value=value(|a| a.holder.clone()) error=field_error(result, "holder")/>
                <TextField label="payments.bank.bank_name" name="bank_name" maxlength=100 value=value(|a| a.bank_name.clone()) error=field_error(result, "bank_name")/>
                <TextField label="payments.bank.account_number" name="account_number" maxlength=40 value=value(|a| a.account_number.clone()) error=field_error(result, "account_number")/>
                <TextField label="payments.bank.branch" name="branch" maxlength=100 required=false value=value(|a| a.branch.clone()) error=field_error(result, "branch")/>
                <TextField label="payments.bank.note" name="note" maxlength=300 required=false value=value(|a| a.note.clone()) error=field_error(result, "note")/>
                <ProtectedFields form="bank" reason_error=field_error(result, "reason") password_error=field_error(result, "password") code_error=field_error(result, "code")/>
                <FormAlert error=form_error(result)/>
                <SubmitButton label="payments.settings.save" pending=save.pending()/>
            </ActionForm>
        </Section>
    }
}
