//! Refund pages: the buyer's request form (`/orders/:number/refund`) and the refunds panel on the
//! buyer's and seller's order pages (`OrderRefunds`), the seller's list (`/seller/refunds`) and
//! detail with accept / refuse (`/seller/refunds/:id`). The ledger-effect and detail parts are shared
//! with the console's refund detail.

use super::api::{
    get_refund_form, get_seller_refund, list_seller_refunds, my_order_refunds, seller_order_refunds, AcceptRefund,
    EscalateRefund, RefuseRefund, RequestRefund, WithdrawRefund,
};
use super::model::{LedgerEffect, OrderRefunds as OrderRefundsData, RefundDetail, RefundForm, RefundRow, RefundViewer};
use crate::components::form::{field_error, form_error};
use crate::components::states::{urlencode, Time};
use crate::components::{EmptyState, ErrorState, FormAlert, LoadingState, Pager, SubmitButton, TextField};
use crate::domain::money::Money;
use crate::domain::refund::{RefundStatus, REASONS};
use crate::error::AppError;
use crate::i18n::{fill, t, title, translate, use_lang};
use crate::orders::pages::{label_or_raw, query_param, query_string, CARD, INPUT, LABEL, TD, TH};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Form, Redirect};
use leptos_router::hooks::{use_navigate, use_params_map};

use crate::components::styles::BUTTON_PRIMARY as BUTTON;
pub use crate::components::styles::H2;
use crate::components::styles::LINK;

fn sign_in_redirect(next: String) -> AnyView {
    view! { <Redirect path=format!("/signin?next={}", urlencode(&next))/> }.into_any()
}

fn id_param() -> impl Fn() -> i64 + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || params.with(|p| p.get("id")).and_then(|s| s.parse().ok()).unwrap_or(0)
}

fn status_colour(status: &str) -> &'static str {
    match RefundStatus::parse(status) {
        Some(RefundStatus::Requested) => "bg-amber-50 text-amber-800 ring-amber-600/20",
        Some(RefundStatus::Refunded) => "bg-green-50 text-green-700 ring-green-600/20",
        Some(RefundStatus::Refused) => "bg-red-50 text-red-700 ring-red-600/20",
        Some(RefundStatus::Escalated) => "bg-purple-50 text-purple-700 ring-purple-600/20",
        _ => "bg-slate-100 text-slate-700 ring-slate-500/20",
    }
}

#[component]
pub fn RefundStatusBadge(status: String, #[prop(optional)] overdue: bool) -> impl IntoView {
    let lang = use_lang();
    let colour = status_colour(&status);
    let s = status.clone();
    view! {
        <span class="inline-flex flex-wrap items-center gap-1">
            <span data-testid="refund-status" data-status=status.clone()
                class=format!("inline-flex whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset {colour}")>
                {move || label_or_raw(lang.get(), "refunds.status.", &s)}
            </span>
            {overdue.then(|| view! {
                <span class="inline-flex whitespace-nowrap rounded-full bg-red-600 px-2 py-0.5 text-xs font-semibold text-white">{t("refunds.overdue")}</span>
            })}
        </span>
    }
}

#[component]
fn Fact(label: &'static str, children: Children) -> impl IntoView {
    view! {
        <div class="flex justify-between gap-4 py-1 text-sm">
            <dt class="text-slate-500">{t(label)}</dt>
            <dd class="text-right text-slate-900">{children()}</dd>
        </div>
    }
}

#[component]
fn Done(notice: RwSignal<Option<&'static str>>) -> impl IntoView {
    move || {
        notice.get().map(|key| {
            view! { <p role="status" data-testid="action-done" class="rounded-md border border-green-200 bg-green-50 px-3 py-2 text-sm text-green-800">{t(key)}</p> }
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Buyer: the request form

#[component]
pub fn RefundRequestPage() -> impl IntoView {
    let params = use_params_map();
    let number = move || params.with(|p| p.get("number")).unwrap_or_default();
    let form = Resource::new(number, get_refund_form);
    view! {
        <Title text=title("refunds.request_title")/>
        <div class="mx-auto max-w-2xl space-y-6">
            <nav aria-label="breadcrumb" class="text-sm">
                <a href=move || format!("/orders/{}", number()) class=LINK>{t("refunds.back_to_order")}</a>
            </nav>
            <h1 class="text-2xl font-semibold tracking-tight">{t("refunds.request_title")}</h1>
            <Transition fallback=LoadingState>
                {move || form.get().map(|r| match r {
                    Err(AppError::Unauthenticated) => sign_in_redirect(format!("/orders/{}/refund", number())),
                    Err(AppError::NotFound) => view! { <EmptyState title=Signal::derive(t("orders.not_found"))/> }.into_any(),
                    Err(e) => view! { <ErrorState error=e/> }.into_any(),
                    Ok(f) => view! { <RequestForm f/> }.into_any(),
                })}
            </Transition>
        </div>
    }
}

#[component]
fn RequestForm(f: RefundForm) -> impl IntoView {
    let lang = use_lang();
    let request = ServerAction::<RequestRefund>::new();
    let result = move || request.value().get();
    let navigate = use_navigate();
    let back = format!("/orders/{}", f.order_number);
    let back2 = back.clone();
    Effect::new(move |_| {
        if let Some(Ok(_)) = request.value().get() {
            navigate(&back2, Default::default());
        }
    });
    let (paid, already, left, order_number) =
        (f.money(f.total_minor), f.money(f.refunded_minor), f.money(f.refundable_minor), f.order_number.clone());
    let summary = view! {
        <section class=CARD aria-labelledby="refund-order-title">
            <h2 id="refund-order-title" class=H2>{move || fill(&translate(lang.get(), "refunds.form.order"), &[("number", order_number.clone())])}</h2>
            <dl class="mt-2">
                <Fact label="refunds.form.paid"><span class="tabular-nums">{paid}</span></Fact>
                <Fact label="refunds.form.already"><span class="tabular-nums">{already}</span></Fact>
                <Fact label="refunds.form.left"><span class="font-semibold tabular-nums" data-testid="refundable">{left}</span></Fact>
            </dl>
        </section>
    };
    if let Some(code) = f.blocked.clone() {
        return view! {
            {summary}
            <div role="alert" data-testid="refund-blocked" class="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
                {move || translate(lang.get(), &code)}
            </div>
            <a href=back class=LINK>{t("refunds.back_to_order")}</a>
        }
        .into_any();
    }
    let (amount_err, reason_err, details_err, evidence_err) = (
        field_error(result, "amount"),
        field_error(result, "reason_code"),
        field_error(result, "details"),
        field_error(result, "evidence_upload_id"),
    );
    let error = form_error(result);
    let evidence = RwSignal::new(None::<(i64, String)>);
    let uploading = RwSignal::new(false);
    let upload_error = RwSignal::new(None::<String>);
    let order_id = f.order_id;
    let on_file = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|l| l.get(0)) else { return };
        upload_error.set(None);
        evidence.set(None);
        uploading.set(true);
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            use crate::components::upload::{number_field, post_upload};
            let result = async {
                let data = web_sys::FormData::new().map_err(|_| "error.network".to_string())?;
                data.append_with_str("order_id", &order_id.to_string()).map_err(|_| "error.network".to_string())?;
                data.append_with_blob_and_filename("file", &file, &file.name())
                    .map_err(|_| "error.network".to_string())?;
                let answer = post_upload("/uploads/evidence", &data).await.map_err(|(_, code)| code)?;
                number_field(&answer, "id").ok_or_else(|| "error.internal".to_string())
            }
            .await;
            match result {
                Ok(id) => evidence.set(Some((id, file.name()))),
                Err(code) => upload_error.set(Some(code)),
            }
            uploading.set(false);
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (file, order_id);
    };
    view! {
        {summary}
        <section class=CARD aria-labelledby="refund-form-title">
            <h2 id="refund-form-title" class="sr-only">{t("refunds.request_title")}</h2>
            <ActionForm action=request attr:class="space-y-4" attr:data-testid="refund-form">
                <input type="hidden" name="idempotency_key" value=f.idempotency_key.clone()/>
                <input type="hidden" name="order_number" value=f.order_number.clone()/>
                {move || evidence.get().map(|(id, _)| view! { <input type="hidden" name="evidence_upload_id" value=id/> })}
                <TextField label="refunds.form.amount" name="amount" value=f.refundable_plain.clone() maxlength=20
                    hint="refunds.form.amount_hint" error=amount_err/>
                <div class="space-y-1">
                    <label for="field-reason_code" class=LABEL>{t("refunds.form.reason")}</label>
                    <select id="field-reason_code" name="reason_code" required=true class=INPUT
                        aria-invalid=move || reason_err.get().is_some().to_string()>
                        <option value="">{t("refunds.form.choose")}</option>
                        {REASONS.into_iter().map(|r| view! {
                            <option value=r>{move || translate(lang.get(), &format!("refunds.reason.{r}"))}</option>
                        }).collect_view()}
                    </select>
                    {move || reason_err.get().map(|e| view! { <p class="text-sm text-red-600" data-testid="error-reason_code">{e}</p> })}
                </div>
                <div class="space-y-1">
                    <label for="field-details" class=LABEL>{t("refunds.form.details")}</label>
                    <textarea id="field-details" name="details" rows="4" maxlength="2000" required=true class=INPUT
                        aria-describedby="field-details-hint"
                        aria-invalid=move || details_err.get().is_some().to_string()></textarea>
                    <p id="field-details-hint" class="text-xs text-slate-500">{t("refunds.form.details_hint")}</p>
                    {move || details_err.get().map(|e| view! { <p class="text-sm text-red-600" data-testid="error-details">{e}</p> })}
                </div>
                <div class="space-y-1">
                    <label for="field-evidence" class=LABEL>{t("refunds.form.evidence")}</label>
                    <input id="field-evidence" type="file" accept="application/pdf,image/jpeg,image/png" on:change=on_file
                        aria-describedby="field-evidence-hint"
                        class="block w-full text-sm file:mr-3 file:rounded-md file:border-0 file:bg-slate-100 file:px-3 file:py-2 file:text-sm file:font-medium hover:file:bg-slate-200"/>
                    <p id="field-evidence-hint" class="text-xs text-slate-500">{t("refunds.form.evidence_hint")}</p>
                    {move || uploading.get().then(|| view! { <p role="status" class="text-sm text-slate-500">{t("refunds.form.uploading")}</p> })}
                    {move || evidence.get().map(|(_, name)| view! {
                        <p role="status" class="text-sm text-green-700" data-testid="evidence-attached">
                            {move || fill(&translate(lang.get(), "refunds.form.uploaded"), &[("name", name.clone())])}
                        </p>
                    })}
                    {move || upload_error.get().or_else(|| evidence_err.get()).map(|code| view! {
                        <p class="text-sm text-red-600" data-testid="error-evidence">{move || translate(lang.get(), &code)}</p>
                    })}
                </div>
                <FormAlert error/>
                <SubmitButton label="refunds.form.submit" pending=Signal::derive(move || request.pending().get() || uploading.get())/>
            </ActionForm>
        </section>
    }
    .into_any()
}

// ---------------------------------------------------------------------------------------------
// The panel on the order pages

/// The refunds of an order on its page: `viewer_side` is `buyer` (state in plain words, request,
/// withdraw, open a dispute) or `seller` (each request with a link to answer it).
#[component]
pub fn OrderRefunds(number: String, viewer_side: &'static str) -> impl IntoView {
    let refresh = RwSignal::new(0u32);
    let seller = viewer_side == "seller";
    let n = number.clone();
    let data = Resource::new(
        move || refresh.get(),
        move |_| {
            let n = n.clone();
            async move {
                if seller {
                    seller_order_refunds(n).await
                } else {
                    my_order_refunds(n).await
                }
            }
        },
    );
    view! {
        <section class=CARD aria-labelledby="refunds-panel-title" data-testid="refunds-panel">
            <h2 id="refunds-panel-title" class=H2>{t("refunds.panel_title")}</h2>
            <Transition fallback=LoadingState>
                {move || data.get().map(|r| match r {
                    Err(e) => view! { <ErrorState error=e/> }.into_any(),
                    Ok(d) => view! { <PanelBody d seller refresh/> }.into_any(),
                })}
            </Transition>
        </section>
    }
}

#[component]
fn PanelBody(d: OrderRefundsData, seller: bool, refresh: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let withdraw = ServerAction::<WithdrawRefund>::new();
    let escalate = ServerAction::<EscalateRefund>::new();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(())) = withdraw.value().get() {
            refresh.update(|n| *n += 1);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(id)) = escalate.value().get() {
            navigate(&format!("/disputes/{id}"), Default::default());
        }
    });
    let error = Signal::derive(move || {
        let w = form_error(move || withdraw.value().get()).get();
        w.or_else(|| form_error(move || escalate.value().get()).get())
    });
    let left = Money::new(d.refundable_minor, d.currency).display();
    let request = (!seller && d.can_request).then(|| {
        let href = format!("/orders/{}/refund", d.order_number);
        view! {
            <div class="mt-3 space-y-2">
                <p class="text-sm text-slate-600">{move || fill(&translate(lang.get(), "refunds.panel.left"), &[("amount", left.clone())])}</p>
                <a href=href class=BUTTON data-testid="request-refund">{t("refunds.panel.request")}</a>
            </div>
        }
    });
    let dispute = d.open_dispute_id.map(|id| {
        view! { <p class="mt-3 text-sm"><a href=format!("/disputes/{id}") class=LINK data-testid="open-dispute-link">{t("refunds.panel.see_dispute")}</a></p> }
    });
    let rows = d.rows.clone();
    view! {
        {request}
        {dispute}
        {rows.is_empty().then(|| view! { <p class="mt-2 text-sm text-slate-500">{t("refunds.panel.none")}</p> })}
        <ul class="mt-3 space-y-3" role="list">
            {rows.into_iter().map(|r| view! { <PanelRow r seller withdraw escalate/> }).collect_view()}
        </ul>
        <FormAlert error/>
    }
}

#[component]
fn PanelRow(
    r: RefundRow,
    seller: bool,
    withdraw: ServerAction<WithdrawRefund>,
    escalate: ServerAction<EscalateRefund>,
) -> impl IntoView {
    let lang = use_lang();
    let amount = r.amount();
    let status = RefundStatus::parse(&r.status);
    let (a, s, respond_by) = (amount.clone(), r.status.clone(), r.respond_by_ms);
    let words = move || {
        let l = lang.get();
        let key = match status {
            Some(RefundStatus::Requested) => "refunds.panel.waiting",
            Some(RefundStatus::Refunded) => "refunds.panel.refunded",
            Some(RefundStatus::Refused) => "refunds.panel.refused",
            Some(RefundStatus::Escalated) => "refunds.panel.escalated",
            Some(RefundStatus::Withdrawn) => "refunds.panel.withdrawn",
            None => return s.clone(),
        };
        let time = crate::components::states::format_utc(respond_by).replace('T', " ") + " UTC";
        fill(&translate(l, key), &[("amount", a.clone()), ("time", time)])
    };
    let id = r.id;
    let actions = if seller {
        view! { <a href=format!("/seller/refunds/{id}") class=LINK data-testid="refund-answer-link">
            {t(if status == Some(RefundStatus::Requested) { "refunds.panel.answer" } else { "refunds.panel.view" })}
        </a> }
        .into_any()
    } else {
        match status {
            Some(RefundStatus::Requested) => view! {
                <ActionForm action=withdraw attr:data-testid="withdraw-form">
                    <input type="hidden" name="id" value=id/>
                    <button type="submit" disabled=move || withdraw.pending().get()
                        class="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50 disabled:opacity-50">
                        {t("refunds.panel.withdraw")}
                    </button>
                </ActionForm>
            }
            .into_any(),
            Some(RefundStatus::Refused) => view! {
                <ActionForm action=escalate attr:data-testid="escalate-form">
                    <input type="hidden" name="id" value=id/>
                    <button type="submit" disabled=move || escalate.pending().get()
                        class="rounded-md bg-red-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-red-700 disabled:opacity-50">
                        {t("refunds.panel.open_dispute")}
                    </button>
                </ActionForm>
            }
            .into_any(),
            _ => ().into_any(),
        }
    };
    view! {
        <li class="rounded-lg border border-slate-200 p-3" data-testid="refund-row" data-status=r.status.clone()>
            <div class="flex flex-wrap items-center justify-between gap-2">
                <RefundStatusBadge status=r.status.clone() overdue=r.overdue/>
                <span class="text-sm font-semibold tabular-nums">{amount}</span>
            </div>
            <p class="mt-2 text-sm text-slate-700" data-testid="refund-words">{words}</p>
            {(!r.seller_response.is_empty()).then(|| view! {
                <p class="mt-1 text-sm text-slate-600">
                    <span class="font-medium">{t("refunds.panel.refused_reason")}": "</span>
                    <span class="whitespace-pre-wrap">{r.seller_response.clone()}</span>
                </p>
            })}
            {r.dispute_id.map(|d| view! {
                <p class="mt-1 text-sm"><a href=format!("/disputes/{d}") class=LINK>{t("refunds.panel.see_dispute")}</a></p>
            })}
            <div class="mt-2">{actions}</div>
        </li>
    }
}

// ---------------------------------------------------------------------------------------------
// Seller

#[component]
fn NotSeller() -> impl IntoView {
    view! {
        <section class=CARD data-testid="not-seller">
            <h2 class="text-lg font-semibold">{t("seller_center.not_seller_title")}</h2>
            <p class="mt-1 text-sm text-slate-600">{t("seller_center.not_seller_body")}</p>
        </section>
    }
}

#[component]
pub fn StatusFilter(
    action: &'static str,
    status: impl Fn() -> Option<String> + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <Form action=action attr:class="flex items-end gap-2" attr:aria-label=move || translate(lang.get(), "refunds.filter.status")>
            <div>
                <label for="refund-status-filter" class=LABEL>{t("refunds.filter.status")}</label>
                <select id="refund-status-filter" name="status" class=INPUT>
                    <option value="">{t("refunds.filter.all")}</option>
                    {RefundStatus::ALL.into_iter().map(|s| view! {
                        <option value=s.as_str() selected=move || status().as_deref() == Some(s.as_str())>
                            {move || translate(lang.get(), &format!("refunds.status.{}", s.as_str()))}
                        </option>
                    }).collect_view()}
                </select>
            </div>
            <button type="submit" class="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-50">
                {t("console_refunds.filter.apply")}
            </button>
        </Form>
    }
}

/// A table of refunds; `href` is the detail path prefix; `console` adds the seller and age columns.
#[component]
pub fn RefundsTable(
    rows: Vec<RefundRow>,
    href: &'static str,
    caption: &'static str,
    #[prop(optional)] console: bool,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
            <table class="min-w-full divide-y divide-slate-200 text-sm" data-testid="refunds-table">
                <caption class="sr-only">{t(caption)}</caption>
                <thead class="bg-slate-50">
                    <tr>
                        <th scope="col" class=TH>{t("refunds.col.order")}</th>
                        {console.then(|| view! { <th scope="col" class=TH>{t("console_refunds.col.seller")}</th> })}
                        <th scope="col" class=TH>{t("refunds.col.buyer")}</th>
                        <th scope="col" class=TH>{t("refunds.col.amount")}</th>
                        <th scope="col" class=TH>{t("refunds.col.reason")}</th>
                        <th scope="col" class=TH>{t("refunds.col.status")}</th>
                        <th scope="col" class=TH>{t("refunds.col.respond_by")}</th>
                        {console.then(|| view! { <th scope="col" class=TH>{t("console_refunds.col.age")}</th> })}
                        <th scope="col" class=TH>{t("refunds.col.requested")}</th>
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-100">
                    {rows.into_iter().map(|r| {
                        let reason = r.reason_code.clone();
                        let hours = r.age_hours.to_string();
                        view! {
                            <tr data-testid="refund-list-row" data-status=r.status.clone()>
                                <td class=TD><a href=format!("{href}/{}", r.id) class="font-mono font-medium text-indigo-700 hover:underline">{r.order_number.clone()}</a></td>
                                {console.then(|| view! { <td class=TD>{r.seller_name.clone()}</td> })}
                                <td class=TD>{r.buyer_name.clone().unwrap_or_default()}</td>
                                <td class=format!("{TD} tabular-nums")>{r.amount()}</td>
                                <td class=TD>{move || label_or_raw(lang.get(), "refunds.reason.", &reason)}</td>
                                <td class=TD><RefundStatusBadge status=r.status.clone() overdue=r.overdue/></td>
                                <td class=TD>{(r.status == "requested").then(|| view! { <Time ms=r.respond_by_ms/> })}</td>
                                {console.then(|| {
                                    let h = hours.clone();
                                    view! { <td class=format!("{TD} tabular-nums")>{move || fill(&translate(lang.get(), "console_refunds.age"), &[("h", h.clone())])}</td> }
                                })}
                                <td class=TD><Time ms=r.created_at_ms/></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
pub fn SellerRefundsPage() -> impl IntoView {
    let (status, cursor) = (query_param("status"), query_param("cursor"));
    let refunds = Resource::new(move || (status(), cursor()), |(s, c)| list_seller_refunds(s, c));
    view! {
        <Title text=title("refunds.seller_title")/>
        <div class="mx-auto max-w-6xl space-y-4">
            <nav aria-label="breadcrumb" class="text-sm"><a href="/seller" class=LINK>{t("orders.back_to_seller")}</a></nav>
            <div class="flex flex-wrap items-end justify-between gap-4">
                <h1 class="text-2xl font-semibold tracking-tight">{t("refunds.seller_title")}</h1>
                <StatusFilter action="/seller/refunds" status/>
            </div>
            <Transition fallback=LoadingState>
                {move || refunds.get().map(|r| match r {
                    Err(AppError::Unauthenticated) => sign_in_redirect("/seller/refunds".into()),
                    Err(AppError::Forbidden) => view! { <NotSeller/> }.into_any(),
                    Err(e) => view! { <ErrorState error=e/> }.into_any(),
                    Ok(page) if page.rows.is_empty() => view! {
                        <EmptyState title=Signal::derive(t("refunds.empty")) hint=Signal::derive(t("refunds.empty_hint"))/>
                    }.into_any(),
                    Ok(page) => view! {
                        <RefundsTable rows=page.rows href="/seller/refunds" caption="refunds.caption"/>
                        <Pager next=page.next base_query=query_string(&[("status", status())]) is_first=cursor().is_none()/>
                    }.into_any(),
                })}
            </Transition>
        </div>
    }
}

#[component]
pub fn SellerRefundPage() -> impl IntoView {
    let id = id_param();
    let refresh = RwSignal::new(0u32);
    let notice = RwSignal::new(None::<&'static str>);
    let accept = ServerAction::<AcceptRefund>::new();
    let refuse = ServerAction::<RefuseRefund>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = accept.value().get() {
            notice.set(Some("refunds.accepted"));
            refresh.update(|n| *n += 1);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = refuse.value().get() {
            notice.set(Some("refunds.refused_done"));
            refresh.update(|n| *n += 1);
        }
    });
    let refund = Resource::new(move || (id(), refresh.get()), |(id, _)| get_seller_refund(id));
    view! {
        <Title text=title("refunds.detail_title")/>
        <div class="mx-auto max-w-6xl space-y-6">
            <nav aria-label="breadcrumb" class="text-sm"><a href="/seller/refunds" class=LINK>{t("refunds.back_to_list")}</a></nav>
            <Done notice/>
            <Transition fallback=LoadingState>
                {move || refund.get().map(|r| match r {
                    Err(AppError::Unauthenticated) => sign_in_redirect(format!("/seller/refunds/{}", id())),
                    Err(AppError::Forbidden) => view! { <NotSeller/> }.into_any(),
                    Err(AppError::NotFound) => view! { <EmptyState title=Signal::derive(t("refunds.not_found"))/> }.into_any(),
                    Err(e) => view! { <ErrorState error=e/> }.into_any(),
                    Ok(d) => {
                        let answer = d.can_answer.then(|| (d.row.id, d.row.amount()));
                        view! {
                            <RefundBody d>
                                {answer.map(|(id, amount)| view! { <AnswerForms id amount accept refuse/> })}
                            </RefundBody>
                        }.into_any()
                    }
                })}
            </Transition>
        </div>
    }
}

#[component]
fn AnswerForms(
    id: i64,
    amount: String,
    accept: ServerAction<AcceptRefund>,
    refuse: ServerAction<RefuseRefund>,
) -> impl IntoView {
    let lang = use_lang();
    let accept_error = form_error(move || accept.value().get());
    let refuse_result = move || refuse.value().get();
    let (reason_err, refuse_error) = (field_error(refuse_result, "reason"), form_error(refuse_result));
    view! {
        <section class=CARD aria-labelledby="accept-title">
            <h2 id="accept-title" class=H2>{t("refunds.accept")}</h2>
            <p class="mt-1 text-sm text-slate-600">{move || fill(&translate(lang.get(), "refunds.accept_confirm"), &[("amount", amount.clone())])}</p>
            <ActionForm action=accept attr:class="mt-3 space-y-3" attr:data-testid="accept-form">
                <input type="hidden" name="id" value=id/>
                <FormAlert error=accept_error/>
                <SubmitButton label="refunds.accept" pending=accept.pending()/>
            </ActionForm>
        </section>
        <section class=CARD aria-labelledby="refuse-title">
            <h2 id="refuse-title" class=H2>{t("refunds.refuse")}</h2>
            <ActionForm action=refuse attr:class="mt-3 space-y-3" attr:data-testid="refuse-form">
                <input type="hidden" name="id" value=id/>
                <div class="space-y-1">
                    <label for="field-reason" class=LABEL>{t("refunds.refuse_reason")}</label>
                    <textarea id="field-reason" name="reason" rows="3" maxlength="1000" required=true class=INPUT
                        aria-invalid=move || reason_err.get().is_some().to_string()></textarea>
                    {move || reason_err.get().map(|e| view! { <p class="text-sm text-red-600" data-testid="error-reason">{e}</p> })}
                </div>
                <FormAlert error=refuse_error/>
                <SubmitButton label="refunds.refuse" pending=refuse.pending() danger=true/>
            </ActionForm>
        </section>
    }
}

/// The refund's facts, the order's lines, the evidence and the ledger effect; `children` go in the
/// side column (the seller's answer forms).
#[component]
pub fn RefundBody(d: RefundDetail, #[prop(optional)] children: Option<Children>) -> impl IntoView {
    let lang = use_lang();
    let reason = d.row.reason_code.clone();
    let money = {
        let c = d.row.currency;
        move |minor: i64| Money::new(minor, c).display()
    };
    let amount = d.row.amount();
    let currency = d.row.currency;
    let (order_total, refunded_so_far) = (money(d.order_total_minor), money(d.order_refunded_minor));
    let order_href = match d.viewer {
        RefundViewer::Seller => format!("/seller/orders/{}", d.row.order_number),
        RefundViewer::Console => format!("/console/orders/{}", d.row.order_number),
        RefundViewer::Buyer => format!("/orders/{}", d.row.order_number),
    };
    view! {
        <header class="flex flex-wrap items-start justify-between gap-4">
            <div>
                <h1 class="text-2xl font-semibold tracking-tight">{t("refunds.detail_title")}</h1>
                <p class="mt-1 text-sm text-slate-500">
                    {t("console_refunds.order")}" "<a href=order_href class="font-mono text-indigo-700 hover:underline" data-testid="refund-order">{d.row.order_number.clone()}</a>
                    " · "{t("console_refunds.seller")}" "<span class="font-medium text-slate-700">{d.row.seller_name.clone()}</span>
                    " · "{t("console_refunds.buyer")}" "<span class="font-medium text-slate-700">{d.row.buyer_name.clone().unwrap_or_default()}</span>
                    {d.buyer_email.clone().map(|e| view! { " ("<span>{e}</span>")" })}
                </p>
            </div>
            <div class="text-right">
                <RefundStatusBadge status=d.row.status.clone() overdue=d.row.overdue/>
                <p class="mt-1 text-xl font-semibold tabular-nums" data-testid="refund-amount">{d.row.amount()}</p>
            </div>
        </header>
        <div class="grid gap-6 lg:grid-cols-3">
            <div class="space-y-6 lg:col-span-2">
                <section class=CARD aria-labelledby="refund-facts-title">
                    <h2 id="refund-facts-title" class=H2>{t("refunds.detail_title")}</h2>
                    <dl class="mt-2">
                        <Fact label="refunds.detail.amount"><span class="tabular-nums">{amount}</span></Fact>
                        <Fact label="refunds.detail.reason">{move || label_or_raw(lang.get(), "refunds.reason.", &reason)}</Fact>
                        <Fact label="refunds.col.requested"><Time ms=d.row.created_at_ms/></Fact>
                        {(d.row.status == "requested").then(|| view! { <Fact label="refunds.detail.respond_by"><Time ms=d.row.respond_by_ms/></Fact> })}
                        <Fact label="console_refunds.order_status">{
                            let s = d.order_status.clone();
                            move || label_or_raw(lang.get(), "orders.status.", &s)
                        }</Fact>
                        <Fact label="refunds.detail.order_total"><span class="tabular-nums">{order_total}</span></Fact>
                        <Fact label="console_refunds.refunded_so_far"><span class="tabular-nums">{refunded_so_far}</span></Fact>
                    </dl>
                    <h3 class="mt-4 text-sm font-medium text-slate-700">{t("refunds.detail.details")}</h3>
                    <p class="mt-1 whitespace-pre-wrap text-sm text-slate-800" data-testid="refund-details">{d.details.clone()}</p>
                    {(!d.row.seller_response.is_empty()).then(|| view! {
                        <h3 class="mt-4 text-sm font-medium text-slate-700">{t("refunds.detail.response")}</h3>
                        <p class="mt-1 whitespace-pre-wrap text-sm text-slate-800">{d.row.seller_response.clone()}</p>
                    })}
                    {d.row.dispute_id.map(|id| {
                        let href = if d.viewer == RefundViewer::Console { format!("/console/disputes/{id}") } else { format!("/disputes/{id}") };
                        view! { <p class="mt-3 text-sm"><a href=href class=LINK>{t("console_refunds.see_dispute")}</a></p> }
                    })}
                </section>
                <section class=CARD aria-labelledby="refund-lines-title">
                    <h2 id="refund-lines-title" class=H2>{t("refunds.detail.lines")}</h2>
                    <table class="mt-3 min-w-full text-sm">
                        <thead>
                            <tr class="border-b border-slate-200">
                                <th scope="col" class="py-2 pr-3 text-left font-medium text-slate-500">{t("orders.line.item")}</th>
                                <th scope="col" class="px-3 py-2 text-right font-medium text-slate-500">{t("orders.line.qty")}</th>
                                <th scope="col" class="px-3 py-2 text-right font-medium text-slate-500">{t("orders.line.total")}</th>
                                <th scope="col" class="py-2 pl-3 text-right font-medium text-slate-500">{t("orders.line.commission")}</th>
                            </tr>
                        </thead>
                        <tbody class="divide-y divide-slate-100">
                            {d.lines.iter().map(|l| view! {
                                <tr>
                                    <td class="py-2 pr-3">{l.title.clone()}{(!l.variant_label.is_empty()).then(|| view! { <span class="block text-xs text-slate-500">{l.variant_label.clone()}</span> })}</td>
                                    <td class="px-3 py-2 text-right tabular-nums">{l.quantity}</td>
                                    <td class="px-3 py-2 text-right tabular-nums">{money(l.line_total_minor)}</td>
                                    <td class="py-2 pl-3 text-right tabular-nums text-slate-500">{money(l.commission_minor)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </section>
                <LedgerEffectCard effect=d.effect.clone() currency/>
            </div>
            <div class="space-y-6">
                {children.map(|c| c())}
                <section class=CARD aria-labelledby="evidence-title">
                    <h2 id="evidence-title" class=H2>{t("refunds.detail.evidence")}</h2>
                    {match d.evidence.clone() {
                        Some(e) => view! {
                            <p class="mt-2 text-sm"><a href=e.url.clone() target="_blank" rel="noopener" class=LINK data-testid="evidence-link">{e.file_name.clone()}</a></p>
                            {e.content_type.starts_with("image/").then(|| view! {
                                <img src=e.url.clone() alt=e.file_name.clone() class="mt-2 max-h-64 rounded border border-slate-200"/>
                            })}
                        }.into_any(),
                        None => view! { <p class="mt-2 text-sm text-slate-500">{t("refunds.detail.no_evidence")}</p> }.into_any(),
                    }}
                </section>
            </div>
        </div>
    }
}

/// The ledger effect in words, then the entries.
#[component]
fn LedgerEffectCard(effect: LedgerEffect, currency: crate::domain::money::Currency) -> impl IntoView {
    let lang = use_lang();
    let money = move |minor: i64| Money::new(minor, currency).display();
    let e = effect.clone();
    let words = move || {
        let l = lang.get();
        if let Some(code) = &e.unavailable {
            return vec![translate(l, code)];
        }
        let mut out = vec![];
        if e.source == "clearing" {
            out.push(fill(&translate(l, "refunds.effect.clearing"), &[("amount", money(e.refund_minor))]));
            if let Some(earns) = e.seller_earns_minor {
                out.push(fill(&translate(l, "refunds.effect.earns"), &[("amount", money(earns))]));
            }
        } else {
            let source = translate(l, &format!("refunds.effect.source.{}", e.source));
            out.push(fill(
                &translate(l, "refunds.effect.seller"),
                &[
                    ("amount", money(e.seller_gives_minor)),
                    ("source", source),
                    ("commission", money(e.commission_returned_minor)),
                ],
            ));
        }
        if let Some(id) = e.posting_id {
            out.push(fill(&translate(l, "refunds.effect.posted"), &[("id", id.to_string())]));
        } else if !e.entries.is_empty() {
            out.push(translate(l, "refunds.effect.would_post"));
        }
        out
    };
    view! {
        <section class=CARD aria-labelledby="effect-title" data-testid="ledger-effect">
            <h2 id="effect-title" class=H2>{t("refunds.effect.title")}</h2>
            <div class="mt-2 space-y-1 text-sm text-slate-700" data-testid="effect-words">
                {move || words().into_iter().map(|w| view! { <p>{w}</p> }).collect_view()}
            </div>
            {(!effect.entries.is_empty()).then(|| view! {
                <table class="mt-3 min-w-full text-sm">
                    <thead>
                        <tr class="border-b border-slate-200">
                            <th scope="col" class="py-2 pr-3 text-left font-medium text-slate-500">{t("refunds.effect.account")}</th>
                            <th scope="col" class="py-2 pl-3 text-right font-medium text-slate-500">{t("refunds.effect.amount")}</th>
                        </tr>
                    </thead>
                    <tbody class="divide-y divide-slate-100">
                        {effect.entries.iter().map(|x| view! {
                            <tr>
                                <td class="py-1 pr-3 font-mono text-xs">{x.account.clone()}</td>
                                <td class="py-1 pl-3 text-right tabular-nums">{money(x.amount_minor)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            })}
        </section>
    }
}
