//! One seller in the console: the application, documents, members, the full history with actor,
//! time and reason, what a suspension hides, and the decisions its state allows. Each decision form
//! sends the newest transition id the page showed, so a decision on a seller someone else moved
//! meanwhile is refused; after a success the page reloads the seller.

use crate::components::form::{field_error, form_error};
use crate::components::styles::{CARD_DANGER, FIELD_ERROR, H2_LARGE, INPUT, LABEL, MUTED};
use crate::components::{
    notify_and_reload, Card, DetailResult, DoneNotice, ForbiddenState, FormAlert, ProtectedFields, Section,
    SubmitButton,
};
use crate::domain::permissions::{SELLERS_DECIDE, SELLERS_SUSPEND, SELLERS_VIEW};
use crate::domain::seller::SellerStatus;
use crate::error::AppError;
use crate::frame::console::shell::{use_operator, PageHeader};
use crate::i18n::{fill, t, translate, use_lang};
use crate::sellers::console_api::{get_seller, DecideSeller, ReinstateSeller, SuspendSeller};
use crate::sellers::console_model::SellerDetail;
use crate::sellers::model::MemberRow;
use crate::sellers::pages::{ApplicationFacts, DocumentTable, History, SellerStatusBadge};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[derive(Clone, Copy)]
struct Decisions {
    approve: ServerAction<DecideSeller>,
    ret: ServerAction<DecideSeller>,
    reject: ServerAction<DecideSeller>,
    activate: ServerAction<DecideSeller>,
    suspend: ServerAction<SuspendSeller>,
    reinstate: ServerAction<ReinstateSeller>,
}

#[component]
pub fn SellerDetailPage() -> impl IntoView {
    let crumbs = vec![("console.sellers", "/console/sellers")];
    let Some(operator) = use_operator().filter(|v| v.can(SELLERS_VIEW)) else {
        return view! { <PageHeader title="sellers.detail" crumbs/><ForbiddenState/> }.into_any();
    };
    let (can_decide, can_suspend) = (operator.can(SELLERS_DECIDE), operator.can(SELLERS_SUSPEND));
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id")).and_then(|s| s.parse::<i64>().ok()).filter(|id| *id > 0);
    let refresh = RwSignal::new(0u32);
    let notice = RwSignal::new(None::<&'static str>);
    let d = Decisions {
        approve: ServerAction::new(),
        ret: ServerAction::new(),
        reject: ServerAction::new(),
        activate: ServerAction::new(),
        suspend: ServerAction::new(),
        reinstate: ServerAction::new(),
    };
    notify_and_reload(move || d.approve.value().get(), refresh, notice, "sellers.done.approve");
    notify_and_reload(move || d.ret.value().get(), refresh, notice, "sellers.done.return");
    notify_and_reload(move || d.reject.value().get(), refresh, notice, "sellers.done.reject");
    notify_and_reload(move || d.activate.value().get(), refresh, notice, "sellers.done.activate");
    notify_and_reload(move || d.suspend.value().get(), refresh, notice, "sellers.done.suspend");
    notify_and_reload(move || d.reinstate.value().get(), refresh, notice, "sellers.done.reinstate");
    let detail = Resource::new(
        move || (id(), refresh.get()),
        |(id, _)| async move {
            match id {
                Some(id) => get_seller(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <PageHeader title="sellers.detail" crumbs/>
        <div class="mb-4"><DoneNotice notice/></div>
        <DetailResult resource=detail not_found="sellers.not_found" let:seller>
            <Seller seller me=operator.user_id can_decide can_suspend d/>
        </DetailResult>
    }
    .into_any()
}

#[component]
fn Seller(seller: SellerDetail, me: i64, can_decide: bool, can_suspend: bool, d: Decisions) -> impl IntoView {
    let lang = use_lang();
    let app = seller.application.clone();
    let region_key = format!("sellers.region.{}", app.region);
    let reason = (!app.last_reason.is_empty()).then(|| app.last_reason.clone());
    // Children of the kit's cards are moved into their own closures: take what each needs first.
    let (name, docs, history) = (app.name.clone(), app.documents.clone(), app.history.clone());
    let (status, id, seen) = (app.status, app.organisation_id, app.seen());
    let owner = seller.owner_email.clone();
    view! {
        <div class="grid gap-6 lg:grid-cols-3">
            <div class="space-y-6 lg:col-span-2">
                <Card>
                    <div class="flex flex-wrap items-center justify-between gap-2">
                        <h2 id="seller-title" class=H2_LARGE data-testid="seller-name">{name}</h2>
                        <SellerStatusBadge status/>
                    </div>
                    <p class="mt-1 text-sm text-slate-500">{t("sellers.owner")} ": " {owner}</p>
                    {reason.map(|r| view! {
                        <div class="mt-3 rounded-md bg-slate-50 p-3 text-sm">
                            <p class="font-medium text-slate-700">{t("sellers.last_reason")}</p>
                            <p class="mt-1 whitespace-pre-wrap">{r}</p>
                        </div>
                    })}
                    <ApplicationFacts app region=Signal::derive(move || translate(lang.get(), &region_key))/>
                </Card>
                <Section id="docs-title" title=t("sellers.doc.title")>
                    <DocumentTable docs/>
                </Section>
                <Members rows=seller.members.clone()/>
                <History rows=history me console=true/>
            </div>
            <div class="space-y-6">
                <Impact status impact=seller.impact.clone()/>
                <ActionsFor status id seen can_decide can_suspend d/>
            </div>
        </div>
    }
}

#[component]
fn Members(rows: Vec<MemberRow>) -> impl IntoView {
    view! {
        <Section id="members-title" title=t("sellers.members")>
            <ul class="mt-2 divide-y divide-slate-100 text-sm" data-testid="members">
                {rows.into_iter().map(|m| {
                    let role = if m.role == crate::domain::seller::MemberRole::Owner { "orgs.member.owner" } else { "orgs.member.staff" };
                    view! {
                        <li class="flex flex-wrap items-center justify-between gap-2 py-2">
                            <a href=format!("/console/users/{}", m.user_id) class="font-medium text-indigo-700 hover:underline">{m.display_name.clone()}</a>
                            <span class="text-slate-500">{m.email.clone()} " · " {t(role)}</span>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </Section>
    }
}

/// What a suspension hides and freezes, measured now (`sellers::impact`): live listings, the
/// seller's unsettled earnings and balance, open payout requests, paid orders still to fulfil.
#[component]
fn Impact(status: SellerStatus, impact: crate::sellers::impact::SuspensionImpact) -> impl IntoView {
    use crate::commission::pages::amount;
    let lang = use_lang();
    let hidden = impact.hidden_listings;
    let (title, line, money_line) = match status {
        SellerStatus::Suspended => ("sellers.impact.now_title", "sellers.impact.hidden_now", "freeze.console_now"),
        _ => ("sellers.impact.would_title", "sellers.impact.would_hide", "freeze.console_would"),
    };
    let figures = [
        ("freeze.pending", amount(impact.pending_minor, &impact.currency), "impact-pending"),
        ("freeze.available", amount(impact.available_minor, &impact.currency), "impact-available"),
        ("freeze.in_transit", amount(impact.in_transit_minor, &impact.currency), "impact-in-transit"),
    ];
    let (payouts, paid) = (impact.open_payouts, impact.paid_orders);
    view! {
        <div data-frozen=impact.frozen.to_string()><Section id="impact-title" title=t(title) testid="impact">
            <dl class="mt-3 space-y-3 text-sm">
                <div>
                    <dt class="text-slate-500">{t("sellers.impact.listings")}</dt>
                    <dd class="text-2xl font-semibold tabular-nums" data-testid="hidden-listings">{hidden}</dd>
                    <dd class="text-xs text-slate-500">{move || fill(&translate(lang.get(), line), &[("n", hidden.to_string())])}</dd>
                </div>
                <div data-testid="impact-money">
                    <dt class="text-slate-500">{t("sellers.impact.money")}</dt>
                    <dd class="text-xs text-slate-500">{t(money_line)}</dd>
                    <dd class="mt-2 grid grid-cols-2 gap-2">
                        {figures.into_iter().map(|(label, value, id)| view! {
                            <div>
                                <div class="text-xs text-slate-500">{t(label)}</div>
                                <div class="font-semibold tabular-nums" data-testid=id>{value}</div>
                            </div>
                        }).collect_view()}
                        <div>
                            <div class="text-xs text-slate-500">{t("freeze.open_payouts")}</div>
                            <div class="font-semibold tabular-nums" data-testid="impact-payouts">{payouts}</div>
                        </div>
                    </dd>
                </div>
                <div>
                    <dt class="text-slate-500">{t("freeze.paid_orders")}</dt>
                    <dd class="text-2xl font-semibold tabular-nums" data-testid="impact-paid-orders">{paid}</dd>
                    <dd class="text-xs text-slate-500">{t("freeze.paid_orders_hint")}</dd>
                </div>
            </dl>
        </Section></div>
    }
}

/// A decision without a password: `action` with an optional or required reason.
#[component]
fn DecisionForm(
    action: ServerAction<DecideSeller>,
    name: &'static str,
    id: i64,
    seen: i64,
    title: &'static str,
    effect: &'static str,
    submit: &'static str,
    #[prop(default = false)] reason_required: bool,
    #[prop(default = false)] danger: bool,
) -> impl IntoView {
    let result = move || action.value().get();
    let reason_error = field_error(result, "reason");
    let reason_id = format!("{name}-reason");
    view! {
        <Section id=title_id(name) title=t(title)>
            <p class="mt-1 text-sm text-slate-600">{t(effect)}</p>
            <ActionForm action attr:class="mt-3 space-y-3" attr:data-testid=format!("{name}-form")>
                <input type="hidden" name="id" value=id/>
                <input type="hidden" name="action" value=name/>
                <input type="hidden" name="seen" value=seen/>
                <div class="space-y-1">
                    <label for=reason_id.clone() class=LABEL>{t(if reason_required { "sellers.decide.reason" } else { "sellers.decide.note" })}</label>
                    <textarea id=reason_id name="reason" rows="3" maxlength="2000" required=reason_required class=INPUT
                        aria-invalid=move || reason_error.get().is_some().to_string()></textarea>
                    {move || reason_error.get().map(|e| view! { <p class=FIELD_ERROR data-testid="error-reason">{e}</p> })}
                </div>
                <FormAlert error=form_error(result)/>
                <SubmitButton label=submit pending=action.pending() danger/>
            </ActionForm>
        </Section>
    }
}

/// The heading id of a decision's card (`approve-title`...).
fn title_id(name: &str) -> &'static str {
    match name {
        "approve" => "approve-title",
        "return" => "return-title",
        "reject" => "reject-title",
        _ => "activate-title",
    }
}

#[component]
fn ActionsFor(
    status: SellerStatus,
    id: i64,
    seen: i64,
    can_decide: bool,
    can_suspend: bool,
    d: Decisions,
) -> impl IntoView {
    let none =
        |key: &'static str| view! { <Card><p class=MUTED data-testid="no-actions">{t(key)}</p></Card> }.into_any();
    match status {
        SellerStatus::Submitted if can_decide => view! {
            <DecisionForm action=d.approve name="approve" id seen title="sellers.decide.approve_title" effect="sellers.decide.approve_effect" submit="sellers.decide.approve"/>
            <DecisionForm action=d.ret name="return" id seen title="sellers.decide.return_title" effect="sellers.decide.return_effect" submit="sellers.decide.return" reason_required=true/>
            <DecisionForm action=d.reject name="reject" id seen title="sellers.decide.reject_title" effect="sellers.decide.reject_effect" submit="sellers.decide.reject" reason_required=true danger=true/>
        }.into_any(),
        SellerStatus::Approved if can_decide => view! {
            <DecisionForm action=d.activate name="activate" id seen title="sellers.decide.activate_title" effect="sellers.decide.activate_effect" submit="sellers.decide.activate"/>
        }.into_any(),
        SellerStatus::Active if can_suspend => {
            let result = move || d.suspend.value().get();
            view! {
                <Section id="suspend-title" title=t("sellers.decide.suspend_title") class=CARD_DANGER>
                    <p class="mt-1 text-sm text-slate-600">{t("sellers.decide.suspend_effect")}</p>
                    <ActionForm action=d.suspend attr:class="mt-3 space-y-3" attr:data-testid="suspend-form">
                        <input type="hidden" name="id" value=id/>
                        <input type="hidden" name="seen" value=seen/>
                        <ProtectedFields form="suspend" reason_error=field_error(result, "reason") password_error=field_error(result, "password") code_error=field_error(result, "code")/>
                        <FormAlert error=form_error(result)/>
                        <SubmitButton label="sellers.decide.suspend" pending=d.suspend.pending() danger=true/>
                    </ActionForm>
                </Section>
            }.into_any()
        }
        SellerStatus::Suspended if can_suspend => {
            let result = move || d.reinstate.value().get();
            view! {
                <Section id="reinstate-title" title=t("sellers.decide.reinstate_title")>
                    <p class="mt-1 text-sm text-slate-600">{t("sellers.decide.reinstate_effect")}</p>
                    <ActionForm action=d.reinstate attr:class="mt-3 space-y-3" attr:data-testid="reinstate-form">
                        <input type="hidden" name="id" value=id/>
                        <input type="hidden" name="seen" value=seen/>
                        <ProtectedFields form="reinstate" reason_error=field_error(result, "reason") password_error=field_error(result, "password") code_error=field_error(result, "code")/>
                        <FormAlert error=form_error(result)/>
                        <SubmitButton label="sellers.decide.reinstate" pending=d.reinstate.pending()/>
                    </ActionForm>
                </Section>
            }.into_any()
        }
        SellerStatus::Draft | SellerStatus::Returned => none("sellers.decide.waiting_applicant"),
        SellerStatus::Rejected => none("sellers.decide.final"),
        _ => none("sellers.decide.not_allowed"),
    }
}
