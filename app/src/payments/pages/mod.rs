//! `/checkout/:id/pay`: the buyer pays for a checkout. Bank transfer shows the platform's account,
//! the amount and the reference to quote, and takes the proof (uploaded with `fetch` + `FormData`
//! to `/uploads/payment-proof`); the sandbox takes a test card. The page always shows where the
//! payment stands (waiting, rejected with finance's reason, approved, expired) and links the orders.
pub mod console;

use super::api::{my_payment, PayWithSandbox};
use super::model::{
    human_size, provider_key, status_colour, status_key, BankAccount, OrderBrief, PaymentView, ProofFile,
};
use crate::components::form::{field_error, form_error};
use crate::components::states::Time;
use crate::components::{EmptyState, ErrorState, FormAlert, LoadingState, SubmitButton, TextField};
use crate::domain::money::Money;
use crate::domain::payment::{PaymentStatus, Provider};
use crate::error::AppError;
use crate::i18n::{t, translate, use_lang};
use crate::session::use_session;
use leptos::html;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_params_map;

use crate::components::styles::CARD;
use crate::components::styles::LABEL;

/// A payment status as a coloured badge (also used by the console and the order pages).
#[component]
pub fn PaymentStatusBadge(status: PaymentStatus) -> impl IntoView {
    view! {
        <span data-testid="payment-status" data-status=status.as_str()
            class=format!("inline-flex whitespace-nowrap rounded-full px-2.5 py-0.5 text-xs font-medium ring-1 ring-inset {}", status_colour(status))>
            {t(status_key(status))}
        </span>
    }
}

/// A term and its value in a definition list.
#[component]
pub(crate) fn Fact(label: &'static str, children: Children) -> impl IntoView {
    view! {
        <div class="grid grid-cols-3 gap-4 py-2">
            <dt class="text-sm text-slate-500">{t(label)}</dt>
            <dd class="col-span-2 text-sm">{children()}</dd>
        </div>
    }
}

/// The orders a payment covers; `href` makes each number a link.
#[component]
pub(crate) fn OrderList(
    orders: Vec<OrderBrief>,
    currency: crate::domain::money::Currency,
    href: fn(&str) -> String,
) -> impl IntoView {
    let lang = use_lang();
    if orders.is_empty() {
        return view! { <p class="text-sm text-slate-500">{t("payments.orders.none")}</p> }.into_any();
    }
    view! {
        <ul class="divide-y divide-slate-100 text-sm" data-testid="payment-orders">
            {orders.into_iter().map(|o| {
                let status_label = {
                    let status = o.status.clone();
                    move || {
                        let key = format!("orders.status.{status}");
                        let text = translate(lang.get(), &key);
                        if text == key { status.clone() } else { text }
                    }
                };
                view! {
                    <li class="flex flex-wrap items-center justify-between gap-2 py-2" data-testid="payment-order">
                        <a href=href(&o.number) class="font-medium text-indigo-700 hover:underline">{o.number.clone()}</a>
                        <span class="text-slate-600">{o.seller_name.clone()}</span>
                        <span class="tabular-nums">{Money::new(o.total_minor, currency).display()}</span>
                        <span class="rounded bg-slate-100 px-1.5 py-0.5 text-xs" data-testid="order-status" data-status=o.status.clone()>{status_label}</span>
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
                class="inline-flex items-center gap-2 text-sm font-medium text-indigo-700 hover:underline">
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

#[component]
pub fn PayPage() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id")).and_then(|s| s.parse::<i64>().ok()).filter(|id| *id > 0);
    view! {
        <Title text=crate::i18n::title("payments.pay.title")/>
        {move || match session.viewer.get() {
            None => {
                let next = format!("/checkout/{}/pay", id().unwrap_or(0));
                view! { <Redirect path=format!("/signin?next={}", crate::components::states::urlencode(&next))/> }.into_any()
            }
            Some(_) => view! { <Pay/> }.into_any(),
        }}
    }
}

#[component]
fn Pay() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id")).and_then(|s| s.parse::<i64>().ok()).filter(|id| *id > 0);
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
    view! {
        <div class="mx-auto max-w-3xl space-y-6">
            <header>
                <h1 class="text-2xl font-semibold tracking-tight">{t("payments.pay.title")}</h1>
                <p class="mt-1 text-slate-600">{t("payments.pay.intro")}</p>
            </header>
            {move || notice.get().map(|key| view! {
                <p role="status" data-testid="action-done" class="rounded-md border border-green-200 bg-green-50 px-3 py-2 text-sm text-green-800">{t(key)}</p>
            })}
            <Transition fallback=LoadingState>
                {move || payment.get().map(|r| match r {
                    Err(AppError::NotFound) => view! {
                        <EmptyState title=Signal::derive(t("payments.pay.not_found")) hint=Signal::derive(t("payments.pay.not_found_hint"))/>
                    }.into_any(),
                    Err(e) => view! { <ErrorState error=e/> }.into_any(),
                    Ok(v) => view! { <PaymentBody v card refresh notice/> }.into_any(),
                })}
            </Transition>
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
        <section class=CARD aria-labelledby="summary-title" data-testid="payment-summary">
            <div class="flex flex-wrap items-center justify-between gap-2">
                <h2 id="summary-title" class="font-semibold">{t(provider_key(v.provider))}</h2>
                <PaymentStatusBadge status=v.status/>
            </div>
            <dl class="mt-2 divide-y divide-slate-100">
                <Fact label="payments.amount"><span class="text-lg font-semibold tabular-nums" data-testid="payment-amount">{amount}</span></Fact>
                <Fact label="payments.reference"><span class="font-mono" data-testid="payment-reference">{reference}</span></Fact>
                {show_deadline.then(|| view! {
                    <Fact label="payments.pay_by"><Time ms=v.pay_by_ms/></Fact>
                })}
            </dl>
            {state_line}
        </section>
        {flow}
        <section class=CARD aria-labelledby="orders-title">
            <h2 id="orders-title" class="mb-2 font-semibold">{t("payments.orders.title")}</h2>
            <OrderList orders currency=v.currency href=|n| format!("/orders/{n}")/>
        </section>
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
                <section class="rounded-xl border border-amber-200 bg-amber-50 p-6" data-testid="bank-unavailable">
                    <h2 class="font-semibold text-amber-900">{t("payments.bank.unavailable_title")}</h2>
                    <p class="mt-1 text-sm text-amber-900">{t("payments.bank.unavailable")}</p>
                </section>
            }
            .into_any(),
        ),
    };
    let can_upload = payable && v.bank_account.is_some();
    let proof = v.proof.clone().map(|p| {
        view! {
            <section class=CARD aria-labelledby="proof-title">
                <h2 id="proof-title" class="mb-2 font-semibold">{t("payments.proof.current")}</h2>
                <ProofLink proof=p/>
            </section>
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
        <section class=CARD aria-labelledby="account-title" data-testid="bank-account">
            <h2 id="account-title" class="font-semibold">{t("payments.bank.title")}</h2>
            <p class="mt-1 text-sm text-slate-600">{t("payments.bank.instructions")}</p>
            <dl class="mt-2 divide-y divide-slate-100">
                <Fact label="payments.bank.holder">{account.holder}</Fact>
                <Fact label="payments.bank.bank_name">{account.bank_name}</Fact>
                <Fact label="payments.bank.account_number"><span class="font-mono" data-testid="bank-account-number">{account.account_number}</span></Fact>
                {(!account.branch.is_empty()).then(|| view! { <Fact label="payments.bank.branch">{account.branch.clone()}</Fact> })}
                <Fact label="payments.amount"><span class="font-semibold tabular-nums">{amount}</span></Fact>
                <Fact label="payments.reference"><span class="font-mono font-semibold">{reference}</span></Fact>
            </dl>
            {(!account.note.is_empty()).then(|| view! { <p class="mt-2 whitespace-pre-wrap text-sm text-slate-600">{account.note.clone()}</p> })}
        </section>
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
            <h2 id="proof-form-title" class="font-semibold">{t(if again { "payments.proof.upload_again" } else { "payments.proof.upload_title" })}</h2>
            <input type="hidden" name="payment_id" value=payment_id/>
            <div class="space-y-1">
                <label for="proof-file" class=LABEL>{t("payments.proof.file")}</label>
                <input id="proof-file" name="file" type="file" required=true accept="application/pdf,image/jpeg,image/png"
                    aria-describedby="proof-file-hint" aria-invalid=move || file_error.get().is_some().to_string()
                    class="block w-full text-sm file:mr-3 file:rounded-md file:border-0 file:bg-slate-100 file:px-3 file:py-2 file:text-sm file:font-medium hover:file:bg-slate-200"/>
                <p id="proof-file-hint" class="text-xs text-slate-500">{t("payments.proof.file_hint")}</p>
                {move || file_error.get().map(|e| view! { <p class="text-sm text-red-600" data-testid="error-file">{e}</p> })}
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
        <section class=CARD aria-labelledby="card-title">
            <h2 id="card-title" class="font-semibold">{t("payments.card.title")}</h2>
            <p class="mt-1 text-sm text-slate-600" data-testid="sandbox-hint">{t("payments.card.hint")}</p>
            <ActionForm action=card attr:class="mt-4 space-y-4" attr:data-testid="card-form">
                <input type="hidden" name="checkout_id" value=checkout_id/>
                <TextField label="payments.card.number" name="card_number" autocomplete="cc-number" maxlength=40
                    error=field_error(result, "card_number")/>
                <FormAlert error=form_error(result)/>
                <SubmitButton label="payments.card.pay" pending=card.pending()/>
            </ActionForm>
        </section>
    }
}
