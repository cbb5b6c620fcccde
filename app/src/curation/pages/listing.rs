//! One listing in the console (`/console/listings/:id`): its facts, why it is blocked, what happened
//! to it, and what an operator with `listings.manage` may do: take a live listing down (the seller
//! sees the reason and may appeal, as for a report's take-down) or correct its category (the seller
//! is told). Both need a reason. The page reloads the listing after each.

use super::directory::category_label;
use super::status_tone;
use crate::categories::api::category_tree;
use crate::components::form::{field_error, form_error};
use crate::components::styles::{CARD, CARD_DANGER, FIELD_ERROR, INPUT, LABEL, LINK};
use crate::components::{
    money, notify_and_reload, DetailHeader, DetailResult, DoneNotice, Field, Fields, ForbiddenState, FormAlert,
    Section, StatusBadge, SubmitButton, Time, Timeline, TimelineEntry,
};
use crate::curation::api::{directory_listing, DirectoryRecategorize, DirectoryTakeDown};
use crate::curation::model::{status_key, DirectoryDetail};
use crate::domain::permissions::{CURATION_MANAGE, LISTINGS_MANAGE, LISTINGS_VIEW};
use crate::domain::reason::REASON_MAX_CHARS;
use crate::error::AppError;
use crate::frame::console::shell::{use_operator, PageHeader};
use crate::i18n::{t, use_lang};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ListingPage() -> impl IntoView {
    let crumbs = vec![("listing_directory.title", "/console/listings")];
    let Some(operator) = use_operator().filter(|v| v.can(LISTINGS_VIEW)) else {
        return view! { <PageHeader title="listing_directory.detail" crumbs/><ForbiddenState/> }.into_any();
    };
    let can_manage = operator.can(LISTINGS_MANAGE);
    let can_curate = operator.can(CURATION_MANAGE);
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id")).and_then(|s| s.parse::<i64>().ok()).filter(|id| *id > 0);
    let take_down = ServerAction::<DirectoryTakeDown>::new();
    let recategorize = ServerAction::<DirectoryRecategorize>::new();
    let refresh = RwSignal::new(0u32);
    let notice = RwSignal::new(None::<&'static str>);
    notify_and_reload(move || take_down.value().get(), refresh, notice, "listing_directory.taken_down");
    notify_and_reload(move || recategorize.value().get(), refresh, notice, "listing_directory.recategorized");
    let detail = Resource::new(
        move || (id(), refresh.get()),
        |(id, _)| async move {
            match id {
                Some(id) => directory_listing(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <PageHeader title="listing_directory.detail" crumbs/>
        <div class="mb-4"><DoneNotice notice/></div>
        <DetailResult resource=detail not_found="listing_directory.not_found" let:d>
            {
                let (listing_id, live, category_id) = (d.row.id, d.can_take_down, d.row.category_id);
                view! {
                    <div class="grid gap-6 lg:grid-cols-3">
                        <div class="space-y-6 lg:col-span-2">
                            <Facts d can_curate/>
                        </div>
                        <div class="space-y-6">
                            {(can_manage && live).then(|| view! { <TakeDownForm id=listing_id action=take_down/> })}
                            {can_manage.then(|| view! { <RecategorizeForm id=listing_id current=category_id action=recategorize/> })}
                        </div>
                    </div>
                }
            }
        </DetailResult>
    }
    .into_any()
}

#[component]
fn Facts(d: DirectoryDetail, can_curate: bool) -> impl IntoView {
    let lang = use_lang();
    let r = d.row;
    let status = r.status;
    let category = match (&r.category_en, &r.category_zh) {
        (Some(en), zh) => category_label(lang.get_untracked(), en, zh.as_deref().unwrap_or(""), 0),
        _ => "—".to_string(),
    };
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
    let id = r.id;
    let reason = d.status_reason;
    view! {
        <Section id="listing-facts-title" title=t("listing_directory.detail") testid="listing-facts" hide_title=true>
            <DetailHeader title=r.title.clone()
                subtitle=move || view! { "#"{id}" · "<a href=format!("/p/{id}") class=LINK>{t("listing_directory.storefront_page")}</a> }
                badge=move || view! { <StatusBadge tone=status_tone(status) label=t(status_key(status)) testid="listing-status" status=status.as_str().to_string()/> }>
                {can_curate.then(|| view! {
                    <a href=format!("/console/curation?listing={id}") class=LINK data-testid="feature-link">{t("listing_directory.feature")}</a>
                })}
            </DetailHeader>
            <div class="mt-4">
                <Fields>
                    <Field label="listing_directory.col.seller">{r.seller_name}" (#"{r.organisation_id}")"</Field>
                    <Field label="listing_directory.col.category"><span data-testid="listing-category">{category}</span></Field>
                    <Field label="listing_directory.col.price"><span class="tabular-nums">{money(r.price_minor, r.currency)}</span></Field>
                    <Field label="listing_directory.col.created"><Time ms=r.created_at_ms/></Field>
                    <Field label="listing_directory.featured">{t(if r.featured { "listing_directory.yes" } else { "listing_directory.no" })}</Field>
                </Fields>
            </div>
            {(!reason.is_empty()).then(|| view! {
                <p class="mt-4 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800" data-testid="status-reason">
                    {t("listing_directory.status_reason")}": "{reason}
                </p>
            })}
        </Section>
        <Section id="listing-audit-title" title=t("listing_directory.history")>
            <Timeline entries testid="listing-audit"/>
        </Section>
    }
}

/// A reason field with its error (`<form>-reason`).
#[component]
fn ReasonField(form: &'static str, #[prop(into)] error: Signal<Option<String>>) -> impl IntoView {
    let id = format!("{form}-reason");
    let err_id = format!("{id}-error");
    let err_id2 = err_id.clone();
    view! {
        <div class="space-y-1">
            <label for=id.clone() class=LABEL>{t("listing_directory.reason")}</label>
            <textarea id=id name="reason" rows="3" required=true maxlength=REASON_MAX_CHARS class=INPUT
                aria-invalid=move || error.get().is_some().to_string()
                aria-describedby=move || error.get().map(|_| err_id.clone()).unwrap_or_default()></textarea>
            {move || error.get().map(|e| view! { <p id=err_id2.clone() class=FIELD_ERROR data-testid="error-reason">{e}</p> })}
        </div>
    }
}

#[component]
fn TakeDownForm(id: i64, action: ServerAction<DirectoryTakeDown>) -> impl IntoView {
    let result = move || action.value().get();
    view! {
        <Section id="take-down-title" title=t("listing_directory.take_down") class=CARD_DANGER>
            <p class="mt-1 text-sm text-slate-600">{t("listing_directory.take_down_hint")}</p>
            <ActionForm action=action attr:class="mt-4 space-y-4" attr:data-testid="take-down-form">
                <input type="hidden" name="id" value=id/>
                <ReasonField form="take-down" error=field_error(result, "reason")/>
                <FormAlert error=form_error(result)/>
                <SubmitButton label="listing_directory.take_down" pending=action.pending() danger=true/>
            </ActionForm>
        </Section>
    }
}

#[component]
fn RecategorizeForm(id: i64, current: Option<i64>, action: ServerAction<DirectoryRecategorize>) -> impl IntoView {
    let lang = use_lang();
    let result = move || action.value().get();
    let category_error = field_error(result, "category_id");
    let tree = Resource::new(|| (), |_| category_tree(false));
    view! {
        <Section id="recategorize-title" title=t("listing_directory.recategorize") class=CARD>
            <p class="mt-1 text-sm text-slate-600">{t("listing_directory.recategorize_hint")}</p>
            <ActionForm action=action attr:class="mt-4 space-y-4" attr:data-testid="recategorize-form">
                <input type="hidden" name="id" value=id/>
                <div class="space-y-1">
                    <label for="recategorize-category" class=LABEL>{t("listing_directory.new_category")}</label>
                    <select id="recategorize-category" name="category_id" required=true class=INPUT
                        aria-invalid=move || category_error.get().is_some().to_string()>
                        <option value="">{t("listing_directory.choose_category")}</option>
                        <Transition fallback=|| ()>
                            {move || tree.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|n| {
                                let disabled = Some(n.id) == current;
                                view! { <option value=n.id.to_string() disabled=disabled>{category_label(lang.get(), &n.name_en, &n.name_zh, n.depth)}</option> }
                            }).collect_view()}
                        </Transition>
                    </select>
                    {move || category_error.get().map(|e| view! { <p class=FIELD_ERROR data-testid="error-category_id">{e}</p> })}
                </div>
                <ReasonField form="recategorize" error=field_error(result, "reason")/>
                <FormAlert error=form_error(result)/>
                <SubmitButton label="listing_directory.recategorize_submit" pending=action.pending()/>
            </ActionForm>
        </Section>
    }
}
