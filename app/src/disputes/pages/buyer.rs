//! `/orders/:number/dispute`: the buyer opens a dispute (claim, reason, details).

use crate::components::form::{field_error, form_error};
use crate::components::list::empty_state;
use crate::components::styles::{CARD, FIELD_ERROR, H1, HINT, INPUT, LABEL, LINK};
use crate::components::{
    signed_out_error, Card, DetailResult, Field, Fields, FormAlert, Section, SelectField, SubmitButton, TextArea,
};
use crate::disputes::api::{open_dispute_form, OpenDispute};
use crate::disputes::model::OpenDisputeInfo;
use crate::domain::money::Money;
use crate::domain::refund::{DETAILS_MAX_CHARS, REASONS};
use crate::error::AppError;
use crate::i18n::{fill, t, title, translate, use_lang};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map};

#[component]
pub fn OpenDisputePage() -> impl IntoView {
    let params = use_params_map();
    let number = move || params.with(|p| p.get("number")).unwrap_or_default();
    let info = Resource::new(number, open_dispute_form);
    view! {
        <Title text=title("disputes.open_title")/>
        <div class="mx-auto max-w-3xl space-y-6">
            <nav aria-label="breadcrumb" class="text-sm">
                <a href=move || format!("/orders/{}", number()) class=LINK>{t("disputes.back_to_order")}</a>
            </nav>
            <h1 class=H1>{t("disputes.open_title")}</h1>
            <DetailResult resource=info not_found="orders.not_found"
                on_error=move |e: AppError| signed_out_error(format!("/orders/{}/dispute", number()), e) let:f>
                <OpenForm f/>
            </DetailResult>
        </div>
    }
}

/// The order's facts, then the form, or why there is none (a dispute or a refund already open,
/// nothing left to dispute).
#[component]
fn OpenForm(f: OpenDisputeInfo) -> impl IntoView {
    let lang = use_lang();
    let refundable = Money::new(f.refundable_minor, f.currency).display();
    let (number, seller, total) =
        (f.order_number.clone(), f.seller_name.clone(), Money::new(f.total_minor, f.currency).display());
    let facts = view! {
        <Section id="open-order-title" title=move || format!("{} {number}", translate(lang.get(), "disputes.order"))>
            <Fields>
                <Field label="disputes.seller">{seller}</Field>
                <Field label="disputes.order_total"><span class="tabular-nums">{total}</span></Field>
                <Field label="disputes.refundable"><span class="tabular-nums" data-testid="refundable">{refundable}</span></Field>
            </Fields>
        </Section>
    };
    let rest = if let Some(id) = f.open_dispute_id {
        view! {
            <Card testid="dispute-exists">
                <a href=format!("/disputes/{id}") class="text-sm font-medium text-indigo-700 hover:underline">{t("disputes.see_open")}</a>
            </Card>
        }
        .into_any()
    } else if f.open_refund_id.is_some() {
        view! {
            <section class=CARD data-testid="refund-open" role="status">
                <p class="text-sm text-slate-700">{t("disputes.refund_open_hint")}</p>
                <a href=format!("/orders/{}/refund", f.order_number) class="mt-2 inline-block text-sm font-medium text-indigo-700 hover:underline">{t("disputes.see_refund")}</a>
            </section>
        }
        .into_any()
    } else if !f.can_open {
        empty_state("disputes.cannot_open", None)
    } else {
        view! { <OpenDisputeForm f/> }.into_any()
    };
    view! { {facts}{rest} }
}

#[component]
fn OpenDisputeForm(f: OpenDisputeInfo) -> impl IntoView {
    let lang = use_lang();
    let refundable = Money::new(f.refundable_minor, f.currency);
    let action = ServerAction::<OpenDispute>::new();
    let result = move || action.value().get();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(id)) = action.value().get() {
            navigate(&format!("/disputes/{id}"), Default::default());
        }
    });
    let claim_error = field_error(result, "claim");
    let hint = fill(&translate(lang.get_untracked(), "disputes.claim_hint"), &[("amount", refundable.display())]);
    let reasons = REASONS.into_iter().map(|r| (r, format!("refunds.reason.{r}"))).collect();
    view! {
        <Section id="open-form-title" title=t("disputes.open_title")>
            <p class="mt-1 text-sm text-slate-600">{t("disputes.open_intro")}</p>
            <ActionForm action attr:class="mt-4 space-y-4" attr:data-testid="open-dispute-form">
                <input type="hidden" name="idempotency_key" value=f.idempotency_key.clone()/>
                <input type="hidden" name="order_number" value=f.order_number.clone()/>
                // An amount with its currency in the label and a hint naming the refundable amount.
                <div class="space-y-1">
                    <label for="field-claim" class=LABEL>{t("disputes.claim")} " (" {f.currency.code()} ")"</label>
                    <input id="field-claim" name="claim" inputmode="decimal" required=true maxlength="16"
                        value=refundable.plain() class=INPUT aria-describedby="field-claim-hint"
                        aria-invalid=move || claim_error.get().is_some().to_string()/>
                    <p id="field-claim-hint" class=HINT>{hint}</p>
                    {move || claim_error.get().map(|e| view! { <p class=FIELD_ERROR data-testid="error-claim">{e}</p> })}
                </div>
                <SelectField label="disputes.reason" name="reason_code" options=reasons error=field_error(result, "reason_code")/>
                <TextArea label="disputes.details" name="details" rows=5 maxlength=DETAILS_MAX_CHARS hint="disputes.details_hint"
                    error=field_error(result, "details")/>
                <FormAlert error=form_error(result)/>
                <SubmitButton label="disputes.submit_open" pending=action.pending()/>
            </ActionForm>
        </Section>
    }
}
