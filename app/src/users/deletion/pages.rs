//! The screens of account deletion: "Delete my account" on the account page, the decision on a user's
//! console page, and the console's queue of requests.

use super::api::{
    list_account_deletions, my_account_deletion, ApproveAccountDeletion, RejectAccountDeletion, RequestAccountDeletion,
    RestoreAccountDeletion, WithdrawAccountDeletion,
};
use super::model::{Blocker, DeletionRow, DeletionStatus, RequestOutcome};
use crate::components::form::{field_error, form_error};
use crate::components::styles::{CARD_DANGER, H2, MUTED, ROW_LINK, TD};
use crate::components::{
    notify_and_reload, query_param, shown_by_filters, DataTable, DetailResult, FilterBar, ForbiddenState, FormAlert,
    ListResult, ProtectedIdForm, Section, SelectFilter, StatusBadge, SubmitButton, TextArea, TextField, Time, Tone,
};
use crate::domain::account_deletion::REASON_MAX_CHARS;
use crate::domain::permissions::USERS_VIEW;
use crate::frame::console::shell::{use_operator, PageHeader};
use crate::i18n::{t, translate, use_lang};
use leptos::prelude::*;

fn tone(status: DeletionStatus) -> Tone {
    match status {
        DeletionStatus::Requested => Tone::Warning,
        DeletionStatus::Approved => Tone::Danger,
        DeletionStatus::Restored => Tone::Success,
        DeletionStatus::Withdrawn | DeletionStatus::Rejected | DeletionStatus::Purged => Tone::Neutral,
    }
}

/// The account page's "Delete my account": the request form, or the request waiting for a decision
/// (which the owner may withdraw). A refused request lists every reason.
#[component]
pub fn DeletionSection() -> impl IntoView {
    let ask = ServerAction::<RequestAccountDeletion>::new();
    let withdraw = ServerAction::<WithdrawAccountDeletion>::new();
    let latest = Resource::new(move || (ask.version().get(), withdraw.version().get()), |_| my_account_deletion());
    view! {
        <section class=CARD_DANGER aria-labelledby="deletion-title" data-testid="account-deletion">
            <h2 id="deletion-title" class=H2>{t("deletion.title")}</h2>
            <DetailResult resource=latest let:latest>
                {match latest {
                    Some(d) if d.status == DeletionStatus::Requested => view! { <Waiting row=d withdraw/> }.into_any(),
                    other => view! { <AskForm last=other ask/> }.into_any(),
                }}
            </DetailResult>
        </section>
    }
}

#[component]
fn Waiting(row: DeletionRow, withdraw: ServerAction<WithdrawAccountDeletion>) -> impl IntoView {
    view! {
        <p class="mt-2 text-sm" role="status" data-testid="deletion-waiting">
            {t("deletion.waiting")}" "<Time ms=row.requested_at_ms/>
        </p>
        <FormAlert error=form_error(move || withdraw.value().get())/>
        <ActionForm action=withdraw attr:class="mt-4">
            <SubmitButton label="deletion.withdraw" pending=withdraw.pending()/>
        </ActionForm>
    }
}

#[component]
fn AskForm(last: Option<DeletionRow>, ask: ServerAction<RequestAccountDeletion>) -> impl IntoView {
    let result = move || ask.value().get();
    let blockers = move || match result() {
        Some(Ok(RequestOutcome::Refused(b))) => Some(b),
        _ => None,
    };
    let rejected = last.filter(|d| d.status == DeletionStatus::Rejected).map(|d| {
        view! {
            <p class="mt-2 text-sm text-slate-700" data-testid="deletion-rejected">
                {t("deletion.last_rejected")}" "<span class="whitespace-pre-wrap">{d.decision_reason}</span>
            </p>
        }
    });
    view! {
        <p class=format!("mt-1 {MUTED}")>{t("deletion.intro")}</p>
        {rejected}
        {move || blockers().map(|b| view! { <Blockers blockers=b/> })}
        <ActionForm action=ask attr:class="mt-4 space-y-4" attr:data-testid="deletion-form">
            <TextArea label="deletion.reason" name="reason" maxlength=REASON_MAX_CHARS required=false
                hint="deletion.reason_hint" error=field_error(result, "reason")/>
            <TextField label="deletion.password" name="password" kind="password" autocomplete="current-password"
                maxlength=128 id="deletion-password".to_string() error=field_error(result, "password")/>
            <FormAlert error=form_error(result)/>
            <SubmitButton label="deletion.submit" pending=ask.pending() danger=true/>
        </ActionForm>
    }
}

/// Why the request was refused: one line per open matter, with how many.
#[component]
fn Blockers(blockers: Vec<Blocker>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div role="alert" class="mt-3 rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800" data-testid="deletion-blockers">
            <p class="font-medium">{t("deletion.refused")}</p>
            <ul class="mt-1 list-disc pl-5">
                {blockers.into_iter().map(|b| view! {
                    <li data-testid="deletion-blocker">{move || translate(lang.get(), b.code()).replace("{count}", &b.count().to_string())}</li>
                }).collect_view()}
            </ul>
        </div>
    }
}

/// A user's console page: their latest request and the decision the operator may take on it
/// (approve or reject a waiting one; restore an approved one before its purge).
#[component]
pub fn DeletionDecision(
    row: DeletionRow,
    refresh: RwSignal<u32>,
    notice: RwSignal<Option<&'static str>>,
) -> impl IntoView {
    let approve = ServerAction::<ApproveAccountDeletion>::new();
    let reject = ServerAction::<RejectAccountDeletion>::new();
    let restore = ServerAction::<RestoreAccountDeletion>::new();
    notify_and_reload(move || approve.value().get(), refresh, notice, "deletion.approve.done");
    notify_and_reload(move || reject.value().get(), refresh, notice, "deletion.reject.done");
    notify_and_reload(move || restore.value().get(), refresh, notice, "deletion.restore.done");
    let decision = match row.status {
        DeletionStatus::Requested => view! {
            <p class="mt-3 text-sm text-slate-600">{t("deletion.approve.effect")}</p>
            <ProtectedIdForm action=approve id=row.id form="deletion-approve" submit="deletion.approve.submit" danger=true/>
            <p class="mt-6 text-sm text-slate-600">{t("deletion.reject.effect")}</p>
            <ProtectedIdForm action=reject id=row.id form="deletion-reject" submit="deletion.reject.submit"/>
        }
        .into_any(),
        DeletionStatus::Approved => view! {
            <p class="mt-3 text-sm text-slate-600">{t("deletion.restore.effect")}</p>
            <ProtectedIdForm action=restore id=row.id form="deletion-restore" submit="deletion.restore.submit"/>
        }
        .into_any(),
        _ => ().into_any(),
    };
    view! {
        <Section id="deletion-decision-title" title=t("deletion.console_title")>
            <dl class="mt-2 space-y-1 text-sm" data-testid="deletion-request">
                <div><dt class="inline text-slate-500">{t("deletion.col.status")}": "</dt>
                    <dd class="inline"><StatusBadge tone=tone(row.status) label=t(row.status.label_key()) testid="deletion-status"/></dd></div>
                <div><dt class="inline text-slate-500">{t("deletion.col.requested")}": "</dt><dd class="inline"><Time ms=row.requested_at_ms/></dd></div>
                <div><dt class="inline text-slate-500">{t("deletion.col.reason")}": "</dt>
                    <dd class="inline whitespace-pre-wrap">{if row.reason.is_empty() { "—".to_string() } else { row.reason.clone() }}</dd></div>
                {row.purge_at_ms.map(|ms| view! {
                    <div><dt class="inline text-slate-500">{t("deletion.col.purge_at")}": "</dt><dd class="inline" data-testid="deletion-purge-at"><Time ms/></dd></div>
                })}
                {(!row.decision_reason.is_empty()).then(|| view! {
                    <div><dt class="inline text-slate-500">{t("deletion.col.decision")}": "</dt><dd class="inline whitespace-pre-wrap">{row.decision_reason.clone()}</dd></div>
                })}
            </dl>
            {decision}
        </Section>
    }
}

/// The console's queue of deletion requests, one status at a time (waiting ones first).
#[component]
pub fn DeletionsPage() -> impl IntoView {
    if !use_operator().is_some_and(|v| v.can(USERS_VIEW)) {
        return view! { <PageHeader title="console.deletions" crumbs=vec![]/><ForbiddenState/> }.into_any();
    }
    let (status, cursor) = (query_param("status"), query_param("cursor"));
    let rows = Resource::new(move || (status(), cursor()), |(s, c)| list_account_deletions(s, c));
    let statuses = DeletionStatus::ALL
        .into_iter()
        .filter(|s| *s != DeletionStatus::Requested)
        .map(|s| (s.as_str(), s.label_key().to_string()))
        .collect();
    view! {
        <PageHeader title="console.deletions" crumbs=vec![]/>
        <p class=format!("mb-4 {MUTED}")>{t("deletion.queue_intro")}</p>
        <div class="mb-4">
            <FilterBar action="/console/deletions" label="deletion.filters" testid="deletion-filters">
                <SelectFilter name="status" label="deletion.col.status" all="deletion.status.requested" options=statuses/>
            </FilterBar>
        </div>
        <ListResult resource=rows empty="deletion.empty" empty_hint="deletion.empty_hint" keep=&["status"]
            on_error=shown_by_filters let:rows>
            <DeletionsTable rows/>
        </ListResult>
    }
    .into_any()
}

#[component]
fn DeletionsTable(rows: Vec<DeletionRow>) -> impl IntoView {
    let columns = vec![
        "deletion.col.user",
        "deletion.col.status",
        "deletion.col.requested",
        "deletion.col.reason",
        "deletion.col.purge_at",
    ];
    view! {
        <DataTable caption="deletion.caption" columns testid="deletions-table">
            {rows.into_iter().map(|d| view! {
                <tr class="hover:bg-slate-50" data-testid="deletion-row">
                    <td class=TD><a href=format!("/console/users/{}", d.user_id) class=ROW_LINK>{d.email}</a></td>
                    <td class=TD><StatusBadge tone=tone(d.status) label=t(d.status.label_key()) testid="deletion-status"/></td>
                    <td class=format!("{TD} whitespace-nowrap text-slate-500")><Time ms=d.requested_at_ms/></td>
                    <td class=format!("{TD} whitespace-pre-wrap")>{d.reason}</td>
                    <td class=format!("{TD} whitespace-nowrap text-slate-500")>
                        {match d.purge_at_ms { Some(ms) => view! { <Time ms/> }.into_any(), None => "—".into_any() }}
                    </td>
                </tr>
            }).collect_view()}
        </DataTable>
    }
}
