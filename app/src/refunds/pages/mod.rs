//! Refund pages: the buyer's request form (`/orders/:number/refund`) and the refunds panel on the
//! buyer's and seller's order pages (`OrderRefunds`), the seller's list (`/seller/refunds`) and
//! detail with accept / refuse (`/seller/refunds/:id`). The ledger-effect and detail parts are shared
//! with the console's refund detail.
pub mod console;

use super::api::{
    get_refund_form, get_seller_refund, list_seller_refunds, my_order_refunds, seller_order_refunds, AcceptRefund,
    EscalateRefund, RefuseRefund, RequestRefund, WithdrawRefund,
};
use super::model::{
    LedgerEffect, OrderRefunds as OrderRefundsData, RefundDetail, RefundForm, RefundLine, RefundRow, RefundViewer,
};
use crate::components::form::{field_error, form_error};
use crate::components::format::time_text;
use crate::components::query::urlencode;
use crate::components::styles::{
    BUTTON_DANGER_SMALL, BUTTON_PRIMARY, BUTTON_SECONDARY_SMALL, FILE_INPUT, H1, H2_LARGE, H3, HINT, LABEL, LINK,
    MUTED, TD, TD_LINE, TD_LINE_NUM, TH_LINE, TH_LINE_NUM, WARNING,
};
use crate::components::{
    label_or_raw, query_param, BadgeGroup, Card, DataTable, DetailHeader, DetailResult, DoneNotice, Field, Fields,
    FilterBar, FormAlert, ListResult, Section, SelectField, SelectFilter, StatusBadge, SubmitButton, TextArea,
    TextField, Time, Tone,
};
use crate::domain::money::Money;
use crate::domain::refund::{RefundStatus, REASONS};
use crate::error::AppError;
use crate::i18n::{fill, t, title, translate, use_lang};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_navigate, use_params_map};

fn sign_in_redirect(next: String) -> AnyView {
    view! { <Redirect path=format!("/signin?next={}", urlencode(&next))/> }.into_any()
}

fn id_param() -> impl Fn() -> i64 + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || params.with(|p| p.get("id")).and_then(|s| s.parse().ok()).unwrap_or(0)
}

/// What a refund's state means to the reader (the kit draws the badge).
fn status_tone(status: &str) -> Tone {
    match RefundStatus::parse(status) {
        Some(RefundStatus::Requested) => Tone::Warning,
        Some(RefundStatus::Refunded) => Tone::Success,
        Some(RefundStatus::Refused) => Tone::Danger,
        Some(RefundStatus::Escalated) => Tone::Escalated,
        _ => Tone::Neutral,
    }
}

#[component]
pub fn RefundStatusBadge(status: String, #[prop(optional)] overdue: bool) -> impl IntoView {
    let lang = use_lang();
    let s = status.clone();
    view! {
        <BadgeGroup>
            <StatusBadge tone=status_tone(&status) testid="refund-status" status=status.clone()
                label=move || label_or_raw(lang.get(), "refunds.status.", &s)/>
            {overdue.then(|| view! { <StatusBadge tone=Tone::Urgent label=t("refunds.overdue")/> })}
        </BadgeGroup>
    }
}

// ---------------------------------------------------------------------------------------------
// Buyer: the request form

#[component]
pub fn RefundRequestPage() -> impl IntoView {
    let params = use_params_map();
    let number = move || params.with(|p| p.get("number")).unwrap_or_default();
    let form = Resource::new(number, get_refund_form);
    let on_error = move |e: AppError| match e {
        AppError::Unauthenticated => Some(sign_in_redirect(format!("/orders/{}/refund", number()))),
        _ => None,
    };
    view! {
        <Title text=title("refunds.request_title")/>
        <div class="mx-auto max-w-2xl space-y-6">
            <nav aria-label="breadcrumb" class="text-sm">
                <a href=move || format!("/orders/{}", number()) class=LINK>{t("refunds.back_to_order")}</a>
            </nav>
            <h1 class=H1>{t("refunds.request_title")}</h1>
            <DetailResult resource=form not_found="orders.not_found" on_error let:f>
                <RequestForm f/>
            </DetailResult>
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
        <Section id="refund-order-title" title=move || fill(&translate(lang.get(), "refunds.form.order"), &[("number", order_number.clone())])>
            <Fields>
                <Field label="refunds.form.paid"><span class="tabular-nums">{paid}</span></Field>
                <Field label="refunds.form.already"><span class="tabular-nums">{already}</span></Field>
                <Field label="refunds.form.left"><span class="font-semibold tabular-nums" data-testid="refundable">{left}</span></Field>
            </Fields>
        </Section>
    };
    if let Some(code) = f.blocked.clone() {
        return view! {
            {summary}
            <div role="alert" data-testid="refund-blocked" class=WARNING>
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
    let order_id = f.order_id;
    view! {
        {summary}
        <Section id="refund-form-title" title=t("refunds.request_title") hide_title=true>
            <ActionForm action=request attr:class="space-y-4" attr:data-testid="refund-form">
                <input type="hidden" name="idempotency_key" value=f.idempotency_key.clone()/>
                <input type="hidden" name="order_number" value=f.order_number.clone()/>
                {move || evidence.get().map(|(id, _)| view! { <input type="hidden" name="evidence_upload_id" value=id/> })}
                <TextField label="refunds.form.amount" name="amount" value=f.refundable_plain.clone() maxlength=20
                    hint="refunds.form.amount_hint" error=amount_err/>
                <SelectField label="refunds.form.reason" name="reason_code" placeholder="refunds.form.choose"
                    options=REASONS.into_iter().map(|r| (r, format!("refunds.reason.{r}"))).collect() error=reason_err/>
                <TextArea label="refunds.form.details" name="details" rows=4 hint="refunds.form.details_hint" error=details_err/>
                <EvidenceField order_id evidence uploading error=evidence_err/>
                <FormAlert error/>
                <SubmitButton label="refunds.form.submit" pending=Signal::derive(move || request.pending().get() || uploading.get())/>
            </ActionForm>
        </Section>
    }
    .into_any()
}

/// The optional evidence file: uploaded as soon as it is chosen (the form then carries its id).
#[component]
fn EvidenceField(
    order_id: i64,
    evidence: RwSignal<Option<(i64, String)>>,
    uploading: RwSignal<bool>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let lang = use_lang();
    let upload_error = RwSignal::new(None::<String>);
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
    <div class="space-y-1">
        <label for="field-evidence" class=LABEL>{t("refunds.form.evidence")}</label>
        <input id="field-evidence" type="file" accept="application/pdf,image/jpeg,image/png" on:change=on_file
            aria-describedby="field-evidence-hint" class=FILE_INPUT/>
        <p id="field-evidence-hint" class=HINT>{t("refunds.form.evidence_hint")}</p>
        {move || uploading.get().then(|| view! { <p role="status" class=MUTED>{t("refunds.form.uploading")}</p> })}
        {move || evidence.get().map(|(_, name)| view! {
            <p role="status" class="text-sm text-green-700" data-testid="evidence-attached">
                {move || fill(&translate(lang.get(), "refunds.form.uploaded"), &[("name", name.clone())])}
            </p>
        })}
        {move || upload_error.get().or_else(|| error.get()).map(|code| view! {
            <p class="text-sm text-red-600" data-testid="error-evidence">{move || translate(lang.get(), &code)}</p>
        })}
    </div>
    }
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
        <Section id="refunds-panel-title" title=t("refunds.panel_title") testid="refunds-panel">
            <DetailResult resource=data let:d>
                <PanelBody d seller refresh/>
            </DetailResult>
        </Section>
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
                <a href=href class=BUTTON_PRIMARY data-testid="request-refund">{t("refunds.panel.request")}</a>
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
        {rows.is_empty().then(|| view! { <p class=format!("mt-2 {MUTED}")>{t("refunds.panel.none")}</p> })}
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
        let time = time_text(respond_by);
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
                    <button type="submit" disabled=move || withdraw.pending().get() class=BUTTON_SECONDARY_SMALL>
                        {t("refunds.panel.withdraw")}
                    </button>
                </ActionForm>
            }
            .into_any(),
            Some(RefundStatus::Refused) => view! {
                <ActionForm action=escalate attr:data-testid="escalate-form">
                    <input type="hidden" name="id" value=id/>
                    <button type="submit" disabled=move || escalate.pending().get() class=BUTTON_DANGER_SMALL>
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
        <Card testid="not-seller">
            <h2 class=H2_LARGE>{t("seller_center.not_seller_title")}</h2>
            <p class="mt-1 text-sm text-slate-600">{t("seller_center.not_seller_body")}</p>
        </Card>
    }
}

/// The seller pages' answer to a signed-out visitor or a buyer: sign in, or "not a seller".
fn seller_error(next: String, e: AppError) -> Option<AnyView> {
    match e {
        AppError::Unauthenticated => Some(sign_in_redirect(next)),
        AppError::Forbidden => Some(view! { <NotSeller/> }.into_any()),
        _ => None,
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
    let mut columns = vec!["refunds.col.order"];
    columns.extend(console.then_some("console_refunds.col.seller"));
    columns.extend([
        "refunds.col.buyer",
        "refunds.col.amount",
        "refunds.col.reason",
        "refunds.col.status",
        "refunds.col.respond_by",
    ]);
    columns.extend(console.then_some("console_refunds.col.age"));
    columns.push("refunds.col.requested");
    view! {
        <DataTable caption columns testid="refunds-table">
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
        </DataTable>
    }
}

#[component]
pub fn SellerRefundsPage() -> impl IntoView {
    let (status, cursor) = (query_param("status"), query_param("cursor"));
    let refunds = Resource::new(move || (status(), cursor()), |(s, c)| list_seller_refunds(s, c));
    let statuses =
        RefundStatus::ALL.into_iter().map(|s| (s.as_str(), format!("refunds.status.{}", s.as_str()))).collect();
    view! {
        <Title text=title("refunds.seller_title")/>
        <div class="mx-auto max-w-6xl space-y-4">
            <nav aria-label="breadcrumb" class="text-sm"><a href="/seller" class=LINK>{t("orders.back_to_seller")}</a></nav>
            <div class="flex flex-wrap items-end justify-between gap-4">
                <h1 class=H1>{t("refunds.seller_title")}</h1>
                <FilterBar action="/seller/refunds" label="refunds.filter.status" apply="console_refunds.filter.apply">
                    <SelectFilter name="status" id="refund-status-filter" label="refunds.filter.status" all="refunds.filter.all" options=statuses/>
                </FilterBar>
            </div>
            <ListResult resource=refunds empty="refunds.empty" empty_hint="refunds.empty_hint" keep=&["status"]
                on_error=|e: AppError| seller_error("/seller/refunds".into(), e) let:rows>
                <RefundsTable rows href="/seller/refunds" caption="refunds.caption"/>
            </ListResult>
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
            <DoneNotice notice/>
            <DetailResult resource=refund not_found="refunds.not_found"
                on_error=move |e: AppError| seller_error(format!("/seller/refunds/{}", id()), e) let:d>
                {
                    let answer = d.can_answer.then(|| (d.row.id, d.row.amount()));
                    view! {
                        <RefundBody d>
                            {answer.map(|(id, amount)| view! { <AnswerForms id amount accept refuse/> })}
                        </RefundBody>
                    }
                }
            </DetailResult>
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
        <Section id="accept-title" title=t("refunds.accept")>
            <p class="mt-1 text-sm text-slate-600">{move || fill(&translate(lang.get(), "refunds.accept_confirm"), &[("amount", amount.clone())])}</p>
            <ActionForm action=accept attr:class="mt-3 space-y-3" attr:data-testid="accept-form">
                <input type="hidden" name="id" value=id/>
                <FormAlert error=accept_error/>
                <SubmitButton label="refunds.accept" pending=accept.pending()/>
            </ActionForm>
        </Section>
        <Section id="refuse-title" title=t("refunds.refuse")>
            <ActionForm action=refuse attr:class="mt-3 space-y-3" attr:data-testid="refuse-form">
                <input type="hidden" name="id" value=id/>
                <TextArea label="refunds.refuse_reason" name="reason" maxlength=1000 error=reason_err/>
                <FormAlert error=refuse_error/>
                <SubmitButton label="refunds.refuse" pending=refuse.pending() danger=true/>
            </ActionForm>
        </Section>
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
    let (amount, amount2) = (d.row.amount(), d.row.amount());
    let currency = d.row.currency;
    let (order_total, refunded_so_far) = (money(d.order_total_minor), money(d.order_refunded_minor));
    let order_href = match d.viewer {
        RefundViewer::Seller => format!("/seller/orders/{}", d.row.order_number),
        RefundViewer::Console => format!("/console/orders/{}", d.row.order_number),
        RefundViewer::Buyer => format!("/orders/{}", d.row.order_number),
    };
    let (order_number, seller_name, buyer_name, buyer_email) = (
        d.row.order_number.clone(),
        d.row.seller_name.clone(),
        d.row.buyer_name.clone().unwrap_or_default(),
        d.buyer_email.clone(),
    );
    let (status, overdue) = (d.row.status.clone(), d.row.overdue);
    let order_status = d.order_status.clone();
    let dispute_href = d.row.dispute_id.map(|id| match d.viewer {
        RefundViewer::Console => format!("/console/disputes/{id}"),
        _ => format!("/disputes/{id}"),
    });
    view! {
        <DetailHeader title=t("refunds.detail_title")
            subtitle=move || view! {
                {t("console_refunds.order")}" "<a href=order_href class="font-mono text-indigo-700 hover:underline" data-testid="refund-order">{order_number}</a>
                " · "{t("console_refunds.seller")}" "<span class="font-medium text-slate-700">{seller_name}</span>
                " · "{t("console_refunds.buyer")}" "<span class="font-medium text-slate-700">{buyer_name}</span>
                {buyer_email.map(|e| view! { " ("<span>{e}</span>")" })}
            }
            badge=move || view! { <RefundStatusBadge status overdue/> }>
            <p class="mt-1 text-xl font-semibold tabular-nums" data-testid="refund-amount">{amount.clone()}</p>
        </DetailHeader>
        <div class="grid gap-6 lg:grid-cols-3">
            <div class="space-y-6 lg:col-span-2">
                <Section id="refund-facts-title" title=t("refunds.detail_title")>
                    <Fields>
                        <Field label="refunds.detail.amount"><span class="tabular-nums">{amount2}</span></Field>
                        <Field label="refunds.detail.reason">{move || label_or_raw(lang.get(), "refunds.reason.", &reason)}</Field>
                        <Field label="refunds.col.requested"><Time ms=d.row.created_at_ms/></Field>
                        {(d.row.status == "requested").then(|| view! { <Field label="refunds.detail.respond_by"><Time ms=d.row.respond_by_ms/></Field> })}
                        <Field label="console_refunds.order_status">{move || label_or_raw(lang.get(), "orders.status.", &order_status)}</Field>
                        <Field label="refunds.detail.order_total"><span class="tabular-nums">{order_total}</span></Field>
                        <Field label="console_refunds.refunded_so_far"><span class="tabular-nums">{refunded_so_far}</span></Field>
                    </Fields>
                    <h3 class=format!("mt-4 {H3}")>{t("refunds.detail.details")}</h3>
                    <p class="mt-1 whitespace-pre-wrap text-sm text-slate-800" data-testid="refund-details">{d.details.clone()}</p>
                    {(!d.row.seller_response.is_empty()).then(|| view! {
                        <h3 class=format!("mt-4 {H3}")>{t("refunds.detail.response")}</h3>
                        <p class="mt-1 whitespace-pre-wrap text-sm text-slate-800">{d.row.seller_response.clone()}</p>
                    })}
                    {dispute_href.map(|href| view! { <p class="mt-3 text-sm"><a href=href class=LINK>{t("console_refunds.see_dispute")}</a></p> })}
                </Section>
                <RefundLines lines=d.lines.clone() currency/>
                <LedgerEffectCard effect=d.effect.clone() currency/>
            </div>
            <div class="space-y-6">
                {children.map(|c| c())}
                <Section id="evidence-title" title=t("refunds.detail.evidence")>
                    {match d.evidence.clone() {
                        Some(e) => view! {
                            <p class="mt-2 text-sm"><a href=e.url.clone() target="_blank" rel="noopener" class=LINK data-testid="evidence-link">{e.file_name.clone()}</a></p>
                            {e.content_type.starts_with("image/").then(|| view! {
                                <img src=e.url.clone() alt=e.file_name.clone() class="mt-2 max-h-64 rounded border border-slate-200"/>
                            })}
                        }.into_any(),
                        None => view! { <p class=format!("mt-2 {MUTED}")>{t("refunds.detail.no_evidence")}</p> }.into_any(),
                    }}
                </Section>
            </div>
        </div>
    }
}

/// The order's lines, with the commission on each.
#[component]
fn RefundLines(lines: Vec<RefundLine>, currency: crate::domain::money::Currency) -> impl IntoView {
    let money = move |minor: i64| Money::new(minor, currency).display();
    view! {
        <Section id="refund-lines-title" title=t("refunds.detail.lines")>
            <table class="mt-3 min-w-full text-sm">
                <caption class="sr-only">{t("refunds.detail.lines")}</caption>
                <thead>
                    <tr class="border-b border-slate-200">
                        <th scope="col" class=TH_LINE>{t("orders.line.item")}</th>
                        <th scope="col" class=TH_LINE_NUM>{t("orders.line.qty")}</th>
                        <th scope="col" class=TH_LINE_NUM>{t("orders.line.total")}</th>
                        <th scope="col" class=TH_LINE_NUM>{t("orders.line.commission")}</th>
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-100">
                    {lines.iter().map(|l| view! {
                        <tr>
                            <td class=TD_LINE>{l.title.clone()}{(!l.variant_label.is_empty()).then(|| view! { <span class="block text-xs text-slate-500">{l.variant_label.clone()}</span> })}</td>
                            <td class=TD_LINE_NUM>{l.quantity}</td>
                            <td class=TD_LINE_NUM>{money(l.line_total_minor)}</td>
                            <td class=format!("{TD_LINE_NUM} text-slate-500")>{money(l.commission_minor)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </Section>
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
        <Section id="effect-title" title=t("refunds.effect.title") testid="ledger-effect">
            <div class="mt-2 space-y-1 text-sm text-slate-700" data-testid="effect-words">
                {move || words().into_iter().map(|w| view! { <p>{w}</p> }).collect_view()}
            </div>
            {(!effect.entries.is_empty()).then(|| view! {
                <table class="mt-3 min-w-full text-sm">
                    <caption class="sr-only">{t("refunds.effect.title")}</caption>
                    <thead>
                        <tr class="border-b border-slate-200">
                            <th scope="col" class=TH_LINE>{t("refunds.effect.account")}</th>
                            <th scope="col" class=TH_LINE_NUM>{t("refunds.effect.amount")}</th>
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
        </Section>
    }
}
