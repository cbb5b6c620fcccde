//! The commission rules page (`/console/commission`, `commission.manage`): the versions of every
//! scope with their status, a form to create a draft version, and the protected activation of a
//! draft (reason + password), which retires the scope's active version.

use super::api::{list_commission_rules, ActivateCommissionRule, CreateCommissionRule};
use super::model::{format_rate, RuleRow, STATUSES};
use crate::components::form::{field_error, form_error, reset_on_success};
use crate::components::styles::{CARD, H2_LARGE, NOTICE, TD_COMPACT};
use crate::components::{
    query_param, DataTable, FilterBar, FilterFieldError, ForbiddenState, FormAlert, ListResult, ProtectedFields,
    SelectField, SelectFilter, StatusBadge, SubmitButton, TextField, Time, Tone,
};
use crate::domain::commission::Scope;
use crate::domain::money::{Currency, Money};
use crate::domain::permissions::COMMISSION_MANAGE;
use crate::error::AppError;
use crate::frame::console::shell::{use_operator, PageHeader};
use crate::i18n::t;
use leptos::html;
use leptos::prelude::*;

const SCOPES: [Scope; 3] = [Scope::Default, Scope::Category, Scope::Seller];

fn scope_key(scope: Scope) -> &'static str {
    match scope {
        Scope::Default => "commission.scope.default",
        Scope::Category => "commission.scope.category",
        Scope::Seller => "commission.scope.seller",
    }
}

fn status_key(status: &str) -> &'static str {
    match status {
        "draft" => "commission.status.draft",
        "active" => "commission.status.active",
        _ => "commission.status.retired",
    }
}

/// What a rule version's state means to the reader (the kit draws the badge).
fn tone(status: &str) -> Tone {
    match status {
        "active" => Tone::Success,
        "draft" => Tone::Warning,
        _ => Tone::Neutral,
    }
}

/// The scopes as choices: (value, message key).
fn scope_options() -> Vec<(&'static str, String)> {
    SCOPES.into_iter().map(|s| (s.as_str(), scope_key(s).to_string())).collect()
}

/// An amount of the rule's currency, e.g. `$0.30`.
pub fn amount(minor: i64, currency: &str) -> String {
    Money::new(minor, Currency::parse(currency).unwrap_or(Currency::Usd)).display()
}

#[component]
pub fn CommissionPage() -> impl IntoView {
    if !use_operator().is_some_and(|v| v.can(COMMISSION_MANAGE)) {
        return view! { <PageHeader title="console.commission" crumbs=vec![]/><ForbiddenState/> }.into_any();
    }
    let (scope, status, cursor) = (query_param("scope"), query_param("status"), query_param("cursor"));
    let create = ServerAction::<CreateCommissionRule>::new();
    let activate = ServerAction::<ActivateCommissionRule>::new();
    let refresh = RwSignal::new(0u32);
    let notice = RwSignal::new(None::<&'static str>);
    Effect::new(move |_| match create.value().get() {
        Some(Ok(_)) => {
            notice.set(Some("commission.created"));
            refresh.update(|n| *n += 1);
        }
        Some(Err(_)) => notice.set(None),
        None => {}
    });
    Effect::new(move |_| match activate.value().get() {
        Some(Ok(())) => {
            notice.set(Some("commission.activated"));
            refresh.update(|n| *n += 1);
        }
        Some(Err(_)) => notice.set(None),
        None => {}
    });
    let rules = Resource::new(
        move || (scope(), status(), cursor(), refresh.get()),
        |(s, st, c, _)| list_commission_rules(s, st, c),
    );
    let statuses = STATUSES.into_iter().map(|s| (s, status_key(s).to_string())).collect();
    view! {
        <PageHeader title="console.commission" crumbs=vec![("console.ledger", "/console/ledger")]/>
        <p class="mb-4 max-w-3xl text-sm text-slate-600">{t("commission.intro")}</p>
        // Its own test id ("notice"), so not the kit's DoneNotice.
        {move || notice.get().map(|key| view! { <div role="status" data-testid="notice" class=format!("mb-4 {NOTICE}")>{t(key)}</div> })}
        <div class="grid gap-6 2xl:grid-cols-[2fr_1fr]">
            <div class="min-w-0 space-y-4">
                <FilterBar action="/console/commission" label="commission.filters" testid="commission-filters">
                    <SelectFilter name="scope" label="commission.scope" all="commission.all_scopes" options=scope_options()/>
                    <SelectFilter name="status" label="commission.status" all="commission.all_statuses" options=statuses/>
                    <a href="/console/commission" class="rounded-md px-3 py-2 text-sm text-slate-600 hover:bg-slate-100">{t("action.clear")}</a>
                    <FilterFieldError list=rules/>
                </FilterBar>
                // A refused filter is shown by the filter bar.
                <ListResult resource=rules empty="commission.empty" empty_hint="commission.empty_hint" keep=&["scope", "status"]
                    on_error=|e: AppError| e.field().is_some().then(|| ().into_any()) let:rows>
                    <RulesTable rows activate/>
                </ListResult>
            </div>
            <CreateForm create=create/>
        </div>
    }
    .into_any()
}

#[component]
fn CreateForm(create: ServerAction<CreateCommissionRule>) -> impl IntoView {
    let result = move || create.value().get();
    let form = NodeRef::<html::Form>::new();
    reset_on_success(form, result);
    view! {
        <section class=CARD aria-labelledby="new-rule-title">
            <h2 id="new-rule-title" class=H2_LARGE>{t("commission.new")}</h2>
            <p class="mt-1 text-sm text-slate-600">{t("commission.new_hint")}</p>
            <ActionForm action=create node_ref=form attr:class="mt-4 space-y-4" attr:data-testid="new-rule-form">
                <SelectField label="commission.scope" name="scope" options=scope_options() error=field_error(result, "scope")/>
                <TextField label="commission.target" name="scope_id" hint="commission.target_hint" maxlength=20 required=false
                    error=field_error(result, "scope_id")/>
                <TextField label="commission.rate" name="rate" hint="commission.rate_hint" maxlength=10 error=field_error(result, "rate")/>
                <div class="grid gap-3 sm:grid-cols-3">
                    <TextField label="commission.fixed" name="fixed" maxlength=16 required=false error=field_error(result, "fixed")/>
                    <TextField label="commission.floor" name="floor" maxlength=16 required=false error=field_error(result, "floor")/>
                    <TextField label="commission.cap" name="cap" maxlength=16 required=false error=field_error(result, "cap")/>
                </div>
                <p class="text-xs text-slate-500">{t("commission.amounts_hint")}</p>
                <TextField label="commission.note" name="note" maxlength=500 required=false error=field_error(result, "note")/>
                <FormAlert error=form_error(result)/>
                <SubmitButton label="commission.create" pending=create.pending()/>
            </ActionForm>
        </section>
    }
}

#[component]
fn RulesTable(rows: Vec<RuleRow>, activate: ServerAction<ActivateCommissionRule>) -> impl IntoView {
    let open = RwSignal::new(None::<i64>);
    Effect::new(move |_| {
        if let Some(Ok(())) = activate.value().get() {
            open.set(None);
        }
    });
    let columns = vec![
        "commission.col.scope",
        "commission.col.version",
        "commission.col.rate",
        "commission.col.fees",
        "commission.col.status",
        "commission.col.dates",
        "commission.col.actions",
    ];
    view! {
        <DataTable caption="commission.caption" columns testid="rules-table">
            {rows.into_iter().map(|r| view! { <RuleLine r open activate/> }).collect_view()}
        </DataTable>
    }
}

#[component]
fn RuleLine(r: RuleRow, open: RwSignal<Option<i64>>, activate: ServerAction<ActivateCommissionRule>) -> impl IntoView {
    let id = r.id;
    let target = match r.scope {
        Scope::Default => None,
        _ => Some(format!("#{} {}", r.scope_id.unwrap_or_default(), r.target_name)),
    };
    let cap = r.cap_minor.map(|c| amount(c, &r.currency));
    let is_draft = r.status == "draft";
    let result = move || activate.value().get();
    let form_id = format!("activate-{id}");
    view! {
        <tr data-testid="rule-row" data-status=r.status.clone() data-scope=r.scope.as_str()>
            <td class=TD_COMPACT>
                <div class="font-medium">{t(scope_key(r.scope))}</div>
                {target.map(|t| view! { <div class="text-xs text-slate-500">{t}</div> })}
                {(!r.note.is_empty()).then(|| view! { <div class="mt-1 text-xs text-slate-500">{r.note.clone()}</div> })}
            </td>
            <td class=format!("{TD_COMPACT} tabular-nums")>"v"{r.version}</td>
            <td class=format!("{TD_COMPACT} tabular-nums") data-testid="rule-rate">{format_rate(r.rate_bps)}" %"</td>
            <td class=format!("{TD_COMPACT} text-xs text-slate-600")>
                <div>{t("commission.fixed")}": "{amount(r.fixed_minor, &r.currency)}</div>
                <div>{t("commission.floor")}": "{amount(r.floor_minor, &r.currency)}</div>
                <div>{t("commission.cap")}": "{match cap { Some(c) => c.into_any(), None => t("commission.no_cap").into_any() }}</div>
            </td>
            <td class=TD_COMPACT>
                <StatusBadge tone=tone(&r.status) label=t(status_key(&r.status)) testid="rule-status" status=r.status.clone()/>
            </td>
            <td class=format!("{TD_COMPACT} whitespace-nowrap text-xs text-slate-500")>
                <div>{t("commission.created_by")}" "{r.created_by.clone()}</div>
                <div><Time ms=r.created_at_ms/></div>
                {r.activated_at_ms.map(|ms| view! { <div>{t("commission.activated_at")}" "<Time ms=ms/></div> })}
                {r.retired_at_ms.map(|ms| view! { <div>{t("commission.retired_at")}" "<Time ms=ms/></div> })}
            </td>
            <td class=format!("{TD_COMPACT} text-right")>
                {is_draft.then(|| view! {
                    <button type="button" class="rounded-md border border-indigo-300 px-3 py-1.5 text-sm font-medium text-indigo-700 hover:bg-indigo-50"
                        aria-expanded=move || (open.get() == Some(id)).to_string() aria-controls=form_id.clone()
                        on:click=move |_| open.update(|o| *o = if *o == Some(id) { None } else { Some(id) })>
                        {t("commission.activate")}
                    </button>
                })}
            </td>
        </tr>
        {move || (open.get() == Some(id)).then(|| view! {
            <tr>
                <td colspan="7" class="bg-slate-50 px-4 py-4">
                    <ActionForm action=activate attr:id=format!("activate-{id}") attr:class="max-w-xl space-y-3" attr:data-testid="activate-form">
                        <input type="hidden" name="id" value=id.to_string()/>
                        <p class="text-sm text-slate-700">{t("commission.activate_hint")}</p>
                        <ProtectedFields form="activate" reason_error=field_error(result, "reason") password_error=field_error(result, "password") code_error=field_error(result, "code")/>
                        <FormAlert error=form_error(result)/>
                        <SubmitButton label="commission.activate_submit" pending=activate.pending()/>
                    </ActionForm>
                </td>
            </tr>
        })}
    }
}
