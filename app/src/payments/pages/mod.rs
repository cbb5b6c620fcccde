//! `/checkout/:id/pay`: the buyer pays for a checkout. Bank transfer shows the platform's account,
//! the amount and the reference to quote, and takes the proof (uploaded with `fetch` + `FormData`
//! to `/uploads/payment-proof`); the sandbox takes a test card. The page always shows where the
//! payment stands (waiting, rejected with finance's reason, approved, expired) and links the orders.
pub mod console;

use super::api::{my_payment, PayWithSandbox};
use super::model::{human_size, provider_key, status_key, BankAccount, OrderBrief, PaymentView, ProofFile};
use crate::components::form::{field_error, form_error};
use crate::components::list::empty_state;
use crate::components::styles::{
    BUTTON_LINK, CARD, FIELD_ERROR, FILE_INPUT, H1, H2_LARGE, HINT, LABEL, MUTED, ROW_LINK,
};
use crate::components::{
    label_or_raw, signed_out_error, DetailResult, DoneNotice, Field, Fields, FormAlert, Section, StatusBadge,
    SubmitButton, TextField, Time, Tone,
};
use crate::domain::money::{Currency, Money};
use crate::domain::payment::{PaymentStatus, Provider};
use crate::error::AppError;
use crate::i18n::{t, translate, use_lang};
use leptos::html;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// What a payment's state means to the reader (the kit draws the badge).
fn tone(status: PaymentStatus) -> Tone {
    match status {
        PaymentStatus::Pending | PaymentStatus::Cancelled => Tone::Neutral,
        PaymentStatus::ProofSubmitted => Tone::Warning,
        PaymentStatus::Approved => Tone::Success,
        PaymentStatus::Rejected => Tone::Danger,
    }
}

/// A payment status as a badge (also used by the console).
#[component]
pub fn PaymentStatusBadge(status: PaymentStatus) -> impl IntoView {
    view! { <StatusBadge tone=tone(status) label=t(status_key(status)) testid="payment-status" status=status.as_str()/> }
}

/// The orders a payment covers; `href` makes each number a link.
#[component]
pub(crate) fn OrderList(orders: Vec<OrderBrief>, currency: Currency, href: fn(&str) -> String) -> impl IntoView {
    let lang = use_lang();
    if orders.is_empty() {
        return view! { <p class=MUTED>{t("payments.orders.none")}</p> }.into_any();
    }
    view! {
        <ul class="divide-y divide-slate-100 text-sm" data-testid="payment-orders">
            {orders.into_iter().map(|o| {
                let status = o.status.clone();
                view! {
                    <li class="flex flex-wrap items-center justify-between gap-2 py-2" data-testid="payment-order">
                        <a href=href(&o.number) class=ROW_LINK>{o.number.clone()}</a>
                        <span class="text-slate-600">{o.seller_name.clone()}</span>
                        <span class="tabular-nums">{Money::new(o.total_minor, currency).display()}</span>
                        <span class="rounded bg-slate-100 px-1.5 py-0.5 text-xs" data-testid="order-status" data-status=o.status.clone()>
                            {move || label_or_raw(lang.get(), "orders.status.", &status)}
                        </span>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// A link to the proof file, with an inline preview for images.
#[component]
pub(crate) fn ProofLink(proof: ProofFile, #[prop(default = false)] preview: bool) -> impl IntoView {
    let image = proof.content_type.starts_with("image/");
    view! {
        <div class="space-y-2">
            <a href=proof.url.clone() target="_blank" rel="noopener" data-testid="proof-link"
                class=format!("inline-flex items-center gap-2 {BUTTON_LINK}")>
                {proof.file_name.clone()}
                <span class="text-xs text-slate-500">"(" {human_size(proof.size_bytes)} ")"</span>
            </a>
            <p class="text-xs text-slate-500">{t("payments.proof.submitted_at")} " " <Time ms=proof.submitted_at_ms/></p>
            {(preview && image).then(|| view! {
                <img src=proof.url.clone() alt=t("payments.proof.preview_alt") class="max-h-96 rounded-md border border-slate-200"/>
            })}
        </div>
    }
}

/// The checkout's id in the path (`None` when it is not a positive number).
fn checkout_id() -> impl Fn() -> Option<i64> + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || params.with(|p| p.get("id")).and_then(|s| s.parse::<i64>().ok()).filter(|id| *id > 0)
}

#[component]
pub fn PayPage() -> impl IntoView {
    let id = checkout_id();
    let refresh = RwSignal::new(0u32);
    let notice = RwSignal::new(None::<&'static str>);
    let card = ServerAction::<PayWithSandbox>::new();
    Effect::new(move |_| match card.value().get() {
        Some(Ok(())) => {
            notice.set(Some("payments.card.paid"));
            refresh.update(|n| *n += 1);
        }
        Some(Err(_)) => notice.set(None),
        None => {}
    });
    let payment = Resource::new(
        move || (id(), refresh.get()),
        |(id, _)| async move {
            match id {
                Some(id) => my_payment(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    // Signed out: sign in and come back; a checkout that is not theirs (or none) reads "not found".
    let on_error = move |e: AppError| match e {
        AppError::NotFound => Some(empty_state("payments.pay.not_found", Some("payments.pay.not_found_hint"))),
        e => signed_out_error(format!("/checkout/{}/pay", id().unwrap_or(0)), e),
    };
    view! {
        <Title text=crate::i18n::title("payments.pay.title")/>
        <div class="mx-auto max-w-3xl space-y-6">
            <header>
                <h1 class=H1>{t("payments.pay.title")}</h1>
                <p class="mt-1 text-slate-600">{t("payments.pay.intro")}</p>
            </header>
            <DoneNotice notice/>
            <DetailResult resource=payment on_error let:v>
                <PaymentBody v card refresh notice/>
            </DetailResult>
        </div>
    }
}

#[component]
fn PaymentBody(
    v: PaymentView,
    card: ServerAction<PayWithSandbox>,
    refresh: RwSignal<u32>,
    notice: RwSignal<Option<&'static str>>,
) -> impl IntoView {
    let payable = v.payable();
    let state_line = state_line(&v);
    let flow = match v.provider {
        Provider::BankTransfer => view! { <BankTransferFlow v=v.clone() payable refresh notice/> }.into_any(),
        Provider::Sandbox => payable.then(|| view! { <CardForm checkout_id=v.checkout_id card/> }).into_any(),
    };
    let (amount, reference, orders) = (v.amount(), v.reference.clone(), v.orders.clone());
    let show_deadline = v.status != PaymentStatus::Approved && !v.expired;
    view! {
        <Section id="summary-title" title=t(provider_key(v.provider)) testid="payment-summary">
            <PaymentStatusBadge status=v.status/>
            <Fields>
                <Field label="payments.amount"><span class="text-lg font-semibold tabular-nums" data-testid="payment-amount">{amount}</span></Field>
                <Field label="payments.reference"><span class="font-mono" data-testid="payment-reference">{reference}</span></Field>
                {show_deadline.then(|| view! { <Field label="payments.pay_by"><Time ms=v.pay_by_ms/></Field> })}
            </Fields>
            {state_line}
        </Section>
        {flow}
        <Section id="orders-title" title=t("payments.orders.title")>
            <OrderList orders currency=v.currency href=|n| format!("/orders/{n}")/>
        </Section>
    }
}

/// One sentence on where the payment stands.
fn state_line(v: &PaymentView) -> AnyView {
    let (key, colour) = match (v.status, v.expired, v.provider_enabled) {
        (PaymentStatus::Approved, _, _) => ("payments.pay.approved", "border-green-200 bg-green-50 text-green-800"),
        (_, true, _) | (PaymentStatus::Cancelled, _, _) => {
            ("payments.pay.expired", "border-slate-200 bg-slate-50 text-slate-700")
        }
        (_, _, false) => ("payments.provider_unavailable", "border-amber-200 bg-amber-50 text-amber-900"),
        (PaymentStatus::ProofSubmitted, _, _) => {
            ("payments.pay.waiting", "border-amber-200 bg-amber-50 text-amber-900")
        }
        (PaymentStatus::Rejected, _, _) => ("payments.pay.rejected", "border-red-200 bg-red-50 text-red-800"),
        (PaymentStatus::Pending, _, _) => match v.provider {
            Provider::BankTransfer if v.bank_account.is_none() => {
                ("payments.pay.pending_no_account", "border-slate-200 bg-slate-50 text-slate-700")
            }
            Provider::BankTransfer => ("payments.pay.pending_transfer", "border-slate-200 bg-slate-50 text-slate-700"),
            Provider::Sandbox => ("payments.pay.pending_card", "border-slate-200 bg-slate-50 text-slate-700"),
        },
    };
    let reason = (v.status == PaymentStatus::Rejected && !v.decision_reason.is_empty()).then(|| {
        let reason = v.decision_reason.clone();
        view! { <p class="mt-1 whitespace-pre-wrap font-medium" data-testid="rejection-reason">{reason}</p> }
    });
    view! {
        <div role="status" data-testid="payment-state" class=format!("mt-4 rounded-md border px-3 py-2 text-sm {colour}")>
            <p>{t(key)}</p>
            {reason}
        </div>
    }
    .into_any()
}

#[component]
fn BankTransferFlow(
    v: PaymentView,
    payable: bool,
    refresh: RwSignal<u32>,
    notice: RwSignal<Option<&'static str>>,
) -> impl IntoView {
    let account = match (&v.bank_account, payable) {
        (_, false) => None,
        (Some(a), true) => {
            Some(view! { <AccountCard account=a.clone() amount=v.amount() reference=v.reference.clone()/> }.into_any())
        }
        (None, true) => Some(
            view! {
                <section class="rounded-xl border border-amber-200 bg-amber-50 p-6" data-testid="bank-unavailable" aria-labelledby="bank-unavailable-title">
                    <h2 id="bank-unavailable-title" class="font-semibold text-amber-900">{t("payments.bank.unavailable_title")}</h2>
                    <p class="mt-1 text-sm text-amber-900">{t("payments.bank.unavailable")}</p>
                </section>
            }
            .into_any(),
        ),
    };
    let can_upload = payable && v.bank_account.is_some();
    let proof = v.proof.clone().map(|p| {
        view! {
            <Section id="proof-title" title=t("payments.proof.current")>
                <ProofLink proof=p/>
            </Section>
        }
    });
    view! {
        {account}
        {proof}
        {can_upload.then(|| view! {
            <ProofForm payment_id=v.payment_id again=v.proof.is_some() refresh notice/>
        })}
    }
}

#[component]
fn AccountCard(account: BankAccount, amount: String, reference: String) -> impl IntoView {
    view! {
        <Section id="account-title" title=t("payments.bank.title") testid="bank-account">
            <p class="mt-1 text-sm text-slate-600">{t("payments.bank.instructions")}</p>
            <Fields>
                <Field label="payments.bank.holder">{account.holder}</Field>
                <Field label="payments.bank.bank_name">{account.bank_name}</Field>
                <Field label="payments.bank.account_number"><span class="font-mono" data-testid="bank-account-number">{account.account_number}</span></Field>
                {(!account.branch.is_empty()).then(|| view! { <Field label="payments.bank.branch">{account.branch.clone()}</Field> })}
                <Field label="payments.amount"><span class="font-semibold tabular-nums">{amount}</span></Field>
                <Field label="payments.reference"><span class="font-mono font-semibold">{reference}</span></Field>
            </Fields>
            {(!account.note.is_empty()).then(|| view! { <p class="mt-2 whitespace-pre-wrap text-sm text-slate-600">{account.note.clone()}</p> })}
        </Section>
    }
}

/// Uploads a proof with `fetch` and a `FormData` of this form; without the WASM the form posts itself
/// to the same endpoint.
#[component]
fn ProofForm(
    payment_id: i64,
    again: bool,
    refresh: RwSignal<u32>,
    notice: RwSignal<Option<&'static str>>,
) -> impl IntoView {
    let lang = use_lang();
    let form = NodeRef::<html::Form>::new();
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<(String, String)>);
    let file_error =
        Signal::derive(move || error.get().filter(|(f, _)| f == "file").map(|(_, c)| translate(lang.get(), &c)));
    let other_error =
        Signal::derive(move || error.get().filter(|(f, _)| f != "file").map(|(_, c)| translate(lang.get(), &c)));
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(el) = form.get_untracked() else { return };
        pending.set(true);
        error.set(None);
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            match upload_proof(&el).await {
                Ok(()) => {
                    el.reset();
                    notice.set(Some("payments.proof.uploaded"));
                    refresh.update(|n| *n += 1);
                }
                Err(e) => error.set(Some(e)),
            }
            pending.set(false);
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (el, refresh, notice);
    };
    view! {
        <form node_ref=form method="post" action="/uploads/payment-proof" enctype="multipart/form-data"
            on:submit=on_submit class=format!("{CARD} space-y-3") data-testid="proof-form" aria-labelledby="proof-form-title">
            <h2 id="proof-form-title" class=H2_LARGE>{t(if again { "payments.proof.upload_again" } else { "payments.proof.upload_title" })}</h2>
            <input type="hidden" name="payment_id" value=payment_id/>
            <div class="space-y-1">
                <label for="proof-file" class=LABEL>{t("payments.proof.file")}</label>
                <input id="proof-file" name="file" type="file" required=true accept="application/pdf,image/jpeg,image/png"
                    aria-describedby="proof-file-hint" aria-invalid=move || file_error.get().is_some().to_string()
                    class=FILE_INPUT/>
                <p id="proof-file-hint" class=HINT>{t("payments.proof.file_hint")}</p>
                {move || file_error.get().map(|e| view! { <p class=FIELD_ERROR data-testid="error-file">{e}</p> })}
            </div>
            <FormAlert error=other_error/>
            <SubmitButton label="payments.proof.submit" pending=pending/>
        </form>
    }
}

/// POSTs the form to `/uploads/payment-proof`; on refusal, the `(field, code)` the server named.
#[cfg(feature = "hydrate")]
async fn upload_proof(form: &web_sys::HtmlFormElement) -> Result<(), (String, String)> {
    let data = web_sys::FormData::new_with_form(form).map_err(|_| (String::new(), "error.network".to_string()))?;
    crate::components::upload::post_upload("/uploads/payment-proof", &data).await.map(|_| ())
}

#[component]
fn CardForm(checkout_id: i64, card: ServerAction<PayWithSandbox>) -> impl IntoView {
    let result = move || card.value().get();
    view! {
        <Section id="card-title" title=t("payments.card.title")>
            <p class="mt-1 text-sm text-slate-600" data-testid="sandbox-hint">{t("payments.card.hint")}</p>
            <ActionForm action=card attr:class="mt-4 space-y-4" attr:data-testid="card-form">
                <input type="hidden" name="checkout_id" value=checkout_id/>
                <TextField label="payments.card.number" name="card_number" autocomplete="cc-number" maxlength=40
                    error=field_error(result, "card_number")/>
                <FormAlert error=form_error(result)/>
                <SubmitButton label="payments.card.pay" pending=card.pending()/>
            </ActionForm>
        </Section>
    }
}
