//! One case: what was reported and by whom, the target as it is now, the other cases on the same
//! target, and the decisions that fit (each with a reason; suspending the seller also asks for the
//! operator's password). After a decision the page reloads the case, so it shows the outcome.

use super::console::{case_state, TargetCell};
use crate::components::form::{field_error, form_error};
use crate::components::styles::{CARD, CARD_DANGER, FIELD_ERROR, H2_LARGE, INPUT, LABEL};
use crate::components::{
    notify_and_reload, Card, DetailResult, DoneNotice, Field, Fields, ForbiddenState, FormAlert, NoneYet,
    ProtectedFields, Section, StatusBadge, SubmitButton, Time,
};
use crate::domain::permissions::{REPORTS_DECIDE, REPORTS_VIEW, SELLERS_SUSPEND, SELLERS_VIEW};
use crate::domain::reason::REASON_MAX_CHARS;
use crate::domain::report::{ReportKind, ReportStatus, ReportTarget, Resolution};
use crate::error::AppError;
use crate::frame::console::shell::{use_operator, PageHeader};
use crate::i18n::{t, use_lang};
use crate::trust::api::{get_report, DecideReport, SuspendReportedSeller};
use crate::trust::model::{category_key, kind_key, label_or_raw, outcome_key, ReportDetail, ReportRow};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ReportDetailPage() -> impl IntoView {
    let crumbs = vec![("reports.title", "/console/reports")];
    let Some(operator) = use_operator().filter(|v| v.can(REPORTS_VIEW)) else {
        return view! { <PageHeader title="reports.detail" crumbs/><ForbiddenState/> }.into_any();
    };
    let can_decide = operator.can(REPORTS_DECIDE);
    let can_suspend = can_decide && operator.can(SELLERS_SUSPEND);
    let can_view_sellers = operator.can(SELLERS_VIEW);
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id")).and_then(|s| s.parse::<i64>().ok()).filter(|id| *id > 0);
    let dismiss = ServerAction::<DecideReport>::new();
    let take_down = ServerAction::<DecideReport>::new();
    let uphold = ServerAction::<DecideReport>::new();
    let suspend = ServerAction::<SuspendReportedSeller>::new();
    let refresh = RwSignal::new(0u32);
    let notice = RwSignal::new(None::<&'static str>);
    for action in [dismiss, take_down, uphold] {
        notify_and_reload(move || action.value().get(), refresh, notice, "reports.decide.done");
    }
    notify_and_reload(move || suspend.value().get(), refresh, notice, "reports.decide.done");
    let detail = Resource::new(
        move || (id(), refresh.get()),
        |(id, _)| async move {
            match id {
                Some(id) => get_report(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    let actions = Actions { dismiss, take_down, uphold, suspend };
    view! {
        <PageHeader title="reports.detail" crumbs/>
        <div class="mb-4"><DoneNotice notice/></div>
        <DetailResult resource=detail not_found="reports.not_found" let:d>
            <div class="grid gap-6 lg:grid-cols-3">
                <div class="space-y-6 lg:col-span-2">
                    <Facts d=d.clone() can_view_sellers/>
                    <Related rows=d.related.clone()/>
                </div>
                <div class="space-y-6">
                    <Decisions row=d.row.clone() can_decide can_suspend actions/>
                </div>
            </div>
        </DetailResult>
    }
    .into_any()
}

#[derive(Clone, Copy)]
struct Actions {
    dismiss: ServerAction<DecideReport>,
    take_down: ServerAction<DecideReport>,
    uphold: ServerAction<DecideReport>,
    suspend: ServerAction<SuspendReportedSeller>,
}

#[component]
fn Facts(d: ReportDetail, can_view_sellers: bool) -> impl IntoView {
    let lang = use_lang();
    let row = d.row.clone();
    let (kind, id, category, target) = (row.kind, row.id, row.category, row.target);
    let (state, tone) = case_state(&row);
    let (reporter_name, reporter_email, created) =
        (row.reporter_name.clone(), row.reporter_email.clone(), row.created_at_ms);
    let target_state = d.target_state.clone().map(|s| {
        let (status, org_status) = (s.status.clone(), s.organisation_status.clone());
        let status_prefix = match target {
            ReportTarget::Listing => "reports.listing_status.",
            ReportTarget::Seller => "reports.seller_status.",
        };
        view! {
            <Field label="reports.target_now">
                <span data-testid="target-status">{move || label_or_raw(lang.get(), status_prefix, &status)}</span>
            </Field>
            {(target == ReportTarget::Listing).then(|| view! {
                <Field label="reports.seller_status">{move || label_or_raw(lang.get(), "reports.seller_status.", &org_status)}</Field>
            })}
            {(!s.status_reason.is_empty()).then(|| view! {
                <Field label="reports.target_reason"><span class="whitespace-pre-wrap">{s.status_reason.clone()}</span></Field>
            })}
        }
    });
    let decided = d.row.resolution.map(|r| {
        let key = outcome_key(d.row.kind, r);
        view! {
            <Field label="reports.decided"><span data-testid="case-outcome">{t(key)}</span></Field>
            {d.decided_at_ms.map(|ms| view! { <Field label="reports.decided_at"><Time ms/></Field> })}
            {d.decided_by.clone().map(|by| view! { <Field label="reports.decided_by">{by}</Field> })}
            <Field label="reports.decision_reason"><span class="whitespace-pre-wrap">{d.decision_reason.clone()}</span></Field>
        }
    });
    view! {
        <Card>
            <div class="flex flex-wrap items-center justify-between gap-2">
                <h2 id="case-title" class=H2_LARGE>{t(kind_key(kind))}" #"{id}</h2>
                <StatusBadge tone label=t(state) testid="case-status"/>
            </div>
            <Fields>
                <Field label="reports.col.target"><TargetCell row=row.clone() can_view_sellers/></Field>
                <Field label="reports.col.category">{t(category_key(category))}</Field>
                <Field label="reports.col.reporter">{reporter_name}" · "{reporter_email}</Field>
                <Field label="reports.col.age"><Time ms=created/></Field>
                <Field label="reports.body"><p class="whitespace-pre-wrap" data-testid="case-body">{d.body.clone()}</p></Field>
                {d.appeal_of.map(|id| view! {
                    <Field label="reports.appeal_of">
                        <a href=format!("/console/reports/{id}") class="text-indigo-700 hover:underline">"#"{id}</a>
                    </Field>
                })}
                {target_state}
                {decided}
            </Fields>
        </Card>
    }
}

#[component]
fn Related(rows: Vec<ReportRow>) -> impl IntoView {
    view! {
        <Section id="related-title" title=t("reports.related")>
            {if rows.is_empty() {
                view! { <NoneYet key="reports.no_related"/> }.into_any()
            } else {
                view! {
                    <ul class="mt-2 divide-y divide-slate-100 text-sm" data-testid="related-cases">
                        {rows.into_iter().map(|r| {
                            let (state, tone) = case_state(&r);
                            view! {
                            <li class="flex flex-wrap items-center justify-between gap-2 py-2">
                                <a href=format!("/console/reports/{}", r.id) class="min-w-0 flex-1 truncate text-indigo-700 hover:underline">
                                    {t(kind_key(r.kind))}" #"{r.id}" · "{r.excerpt.clone()}
                                </a>
                                <span class="text-xs text-slate-500"><Time ms=r.created_at_ms/></span>
                                <StatusBadge tone label=t(state) testid="case-status"/>
                            </li>
                        }}).collect_view()}
                    </ul>
                }.into_any()
            }}
        </Section>
    }
}

/// The decisions that fit this case, or why there are none.
#[component]
fn Decisions(row: ReportRow, can_decide: bool, can_suspend: bool, actions: Actions) -> impl IntoView {
    if row.status != ReportStatus::Open {
        return view! { <Card><p class="text-sm text-slate-600" data-testid="case-closed">{t("reports.decide.closed")}</p></Card> }
            .into_any();
    }
    if !can_decide {
        return view! { <Card><p class="text-sm text-slate-600">{t("reports.decide.readonly")}</p></Card> }.into_any();
    }
    let id = row.id;
    match row.kind {
        ReportKind::Appeal => view! {
            <ReasonForm id resolution=Resolution::Reinstated form="uphold" title="reports.decide.uphold" hint="reports.decide.uphold_hint" action=actions.uphold danger=false/>
            <ReasonForm id resolution=Resolution::Dismissed form="deny" title="reports.decide.deny" hint="reports.decide.deny_hint" action=actions.dismiss danger=false/>
        }
        .into_any(),
        ReportKind::Report => view! {
            <ReasonForm id resolution=Resolution::Dismissed form="dismiss" title="reports.decide.dismiss" hint="reports.decide.dismiss_hint" action=actions.dismiss danger=false/>
            {(row.target == ReportTarget::Listing).then(|| view! {
                <ReasonForm id resolution=Resolution::ListingTakenDown form="take-down" title="reports.decide.take_down" hint="reports.decide.take_down_hint" action=actions.take_down danger=true/>
            })}
            {can_suspend.then(|| view! { <SuspendForm id action=actions.suspend/> })}
        }
        .into_any(),
    }
}

#[component]
fn ReasonForm(
    id: i64,
    resolution: Resolution,
    form: &'static str,
    title: &'static str,
    hint: &'static str,
    action: ServerAction<DecideReport>,
    danger: bool,
) -> impl IntoView {
    let result = move || action.value().get();
    let reason_error = field_error(result, "reason");
    let reason_id = format!("{form}-reason");
    let err_id = format!("{reason_id}-error");
    let err_id2 = err_id.clone();
    view! {
        <Section id=title_id(form) title=t(title) class=if danger { CARD_DANGER } else { CARD }>
            <p class="mt-1 text-sm text-slate-600">{t(hint)}</p>
            <ActionForm action=action attr:class="mt-4 space-y-4" attr:data-testid=format!("{form}-form")>
                <input type="hidden" name="id" value=id/>
                <input type="hidden" name="resolution" value=resolution.as_str()/>
                <div class="space-y-1">
                    <label for=reason_id.clone() class=LABEL>{t("reports.decide.reason")}</label>
                    <textarea id=reason_id name="reason" rows="3" required=true maxlength=REASON_MAX_CHARS class=INPUT
                        aria-invalid=move || reason_error.get().is_some().to_string()
                        aria-describedby=move || reason_error.get().map(|_| err_id.clone()).unwrap_or_default()></textarea>
                    {move || reason_error.get().map(|e| view! {
                        <p id=err_id2.clone() class=FIELD_ERROR data-testid="error-reason">{e}</p>
                    })}
                </div>
                <FormAlert error=form_error(result)/>
                <SubmitButton label=title pending=action.pending() danger/>
            </ActionForm>
        </Section>
    }
}

/// The heading id of a decision's card (`dismiss-title`...).
fn title_id(form: &str) -> &'static str {
    match form {
        "uphold" => "uphold-title",
        "deny" => "deny-title",
        "dismiss" => "dismiss-title",
        _ => "take-down-title",
    }
}

#[component]
fn SuspendForm(id: i64, action: ServerAction<SuspendReportedSeller>) -> impl IntoView {
    let result = move || action.value().get();
    view! {
        <Section id="suspend-title" title=t("reports.decide.suspend") class=CARD_DANGER>
            <p class="mt-1 text-sm text-slate-600">{t("reports.decide.suspend_hint")}</p>
            <ActionForm action=action attr:class="mt-4 space-y-4" attr:data-testid="suspend-form">
                <input type="hidden" name="id" value=id/>
                <ProtectedFields form="suspend" reason_error=field_error(result, "reason") password_error=field_error(result, "password") code_error=field_error(result, "code")/>
                <FormAlert error=form_error(result)/>
                <SubmitButton label="reports.decide.suspend" pending=action.pending() danger=true/>
            </ActionForm>
        </Section>
    }
}
