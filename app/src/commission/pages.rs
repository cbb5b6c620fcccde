//! The commission rules page (`/console/commission`, `commission.manage`): the versions of every
//! scope with their status, a form to create a draft version, and the protected activation of a
//! draft (reason + password), which retires the scope's active version.

use super::api::{list_commission_rules, ActivateCommissionRule, CreateCommissionRule};
use super::model::{format_rate, RuleRow, STATUSES};
use crate::components::form::{field_error, form_error};
use crate::components::states::{error_text, urlencode, Time};
use crate::components::{
    EmptyState, ErrorState, ForbiddenState, FormAlert, LoadingState, Pager, ProtectedFields, SubmitButton, TextField,
};
use crate::domain::commission::Scope;
use crate::domain::money::{Currency, Money};
use crate::domain::permissions::COMMISSION_MANAGE;
use crate::frame::console::shell::{use_operator, PageHeader};
use crate::i18n::{t, use_lang};
use leptos::html;
use leptos::prelude::*;
use leptos_router::components::Form;

use crate::components::styles::CARD;
use crate::components::styles::INPUT;
use crate::components::styles::LABEL;
use crate::components::styles::TD_COMPACT as TD;
use crate::components::styles::TH_COMPACT as TH;
const SCOPES: [Scope; 3] = [Scope::Default, Scope::Category, Scope::Seller];

use crate::components::query::query_param;

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
    let lang = use_lang();
    view! {
        <PageHeader title="console.commission" crumbs=vec![("console.ledger", "/console/ledger")]/>
        <p class="mb-4 max-w-3xl text-sm text-slate-600">{t("commission.intro")}</p>
        {move || notice.get().map(|key| view! {
            <div role="status" data-testid="notice" class="mb-4 rounded-md border border-green-200 bg-green-50 px-3 py-2 text-sm text-green-800">{t(key)}</div>
        })}
        <div class="grid gap-6 2xl:grid-cols-[2fr_1fr]">
            <div class="min-w-0 space-y-4">
                <Form method="GET" action="/console/commission" attr:aria-label=t("commission.filters") attr:data-testid="commission-filters"
                    attr:class="grid gap-3 rounded-xl border border-slate-200 bg-white p-4 sm:grid-cols-[1fr_1fr_auto] sm:items-end">
                    <div class="space-y-1">
                        <label for="filter-scope" class=LABEL>{t("commission.scope")}</label>
                        <select id="filter-scope" name="scope" class=INPUT>
                            <option value="">{t("commission.all_scopes")}</option>
                            {SCOPES.into_iter().map(|s| view! {
                                <option value=s.as_str() selected=move || scope().as_deref() == Some(s.as_str())>{t(scope_key(s))}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="space-y-1">
                        <label for="filter-status" class=LABEL>{t("commission.status")}</label>
                        <select id="filter-status" name="status" class=INPUT>
                            <option value="">{t("commission.all_statuses")}</option>
                            {STATUSES.into_iter().map(|s| view! {
                                <option value=s selected=move || status().as_deref() == Some(s)>{t(status_key(s))}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="flex gap-2">
                        <button type="submit" class="rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-700">{t("action.filter")}</button>
                        <a href="/console/commission" class="rounded-md px-3 py-2 text-sm text-slate-600 hover:bg-slate-100">{t("action.clear")}</a>
                    </div>
                </Form>
                <Transition fallback=LoadingState>
                    {move || rules.get().map(|r| match r {
                        Err(e) if e.field().is_some() => view! {
                            <p class="text-sm text-red-600" role="alert">{error_text(lang.get(), &e)}</p>
                        }.into_any(),
                        Err(e) => view! { <ErrorState error=e/> }.into_any(),
                        Ok(page) if page.rows.is_empty() => view! {
                            <EmptyState title=Signal::derive(t("commission.empty")) hint=Signal::derive(t("commission.empty_hint"))/>
                        }.into_any(),
                        Ok(page) => {
                            let base = [("scope", scope()), ("status", status())]
                                .into_iter()
                                .filter_map(|(k, v)| v.map(|v| format!("{k}={}", urlencode(&v))))
                                .collect::<Vec<_>>()
                                .join("&");
                            view! {
                                <RulesTable rows=page.rows activate=activate/>
                                <Pager next=page.next base_query=base is_first=cursor().is_none()/>
                            }.into_any()
                        }
                    })}
                </Transition>
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
    Effect::new(move |_| {
        if let (Some(Ok(_)), Some(form)) = (create.value().get(), form.get_untracked()) {
            form.reset();
        }
    });
    let scope_error = field_error(result, "scope");
    let target_error = field_error(result, "scope_id");
    view! {
        <section class=CARD aria-labelledby="new-rule-title">
            <h2 id="new-rule-title" class="text-lg font-semibold">{t("commission.new")}</h2>
            <p class="mt-1 text-sm text-slate-600">{t("commission.new_hint")}</p>
            <ActionForm action=create node_ref=form attr:class="mt-4 space-y-4" attr:data-testid="new-rule-form">
                <div class="space-y-1">
                    <label for="field-scope" class=LABEL>{t("commission.scope")}</label>
                    <select id="field-scope" name="scope" class=INPUT aria-invalid=move || scope_error.get().is_some().to_string()>
                        {SCOPES.into_iter().map(|s| view! { <option value=s.as_str()>{t(scope_key(s))}</option> }).collect_view()}
                    </select>
                    {move || scope_error.get().map(|e| view! { <p class="text-sm text-red-600" data-testid="error-scope">{e}</p> })}
                </div>
                <div class="space-y-1">
                    <label for="field-scope_id" class=LABEL>{t("commission.target")}</label>
                    <input id="field-scope_id" name="scope_id" type="text" inputmode="numeric" maxlength="20" class=INPUT
                        aria-describedby="field-scope_id-hint"
                        aria-invalid=move || target_error.get().is_some().to_string()/>
                    <p id="field-scope_id-hint" class="text-xs text-slate-500">{t("commission.target_hint")}</p>
                    {move || target_error.get().map(|e| view! { <p class="text-sm text-red-600" data-testid="error-scope_id">{e}</p> })}
                </div>
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
    view! {
        <div class="overflow-x-auto rounded-xl border border-slate-200 bg-white">
            <table class="min-w-full divide-y divide-slate-200 text-sm" data-testid="rules-table">
                <caption class="sr-only">{t("commission.caption")}</caption>
                <thead class="bg-slate-50">
                    <tr>
                        <th scope="col" class=TH>{t("commission.col.scope")}</th>
                        <th scope="col" class=TH>{t("commission.col.version")}</th>
                        <th scope="col" class=TH>{t("commission.col.rate")}</th>
                        <th scope="col" class=TH>{t("commission.col.fees")}</th>
                        <th scope="col" class=TH>{t("commission.col.status")}</th>
                        <th scope="col" class=TH>{t("commission.col.dates")}</th>
                        <th scope="col" class=TH><span class="sr-only">{t("commission.col.actions")}</span></th>
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-100">
                    {rows.into_iter().map(|r| view! { <RuleLine r=r open=open activate=activate/> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn RuleLine(r: RuleRow, open: RwSignal<Option<i64>>, activate: ServerAction<ActivateCommissionRule>) -> impl IntoView {
    let id = r.id;
    let colour = match r.status.as_str() {
        "active" => "bg-green-50 text-green-700 ring-green-600/20",
        "draft" => "bg-amber-50 text-amber-800 ring-amber-600/20",
        _ => "bg-slate-100 text-slate-600 ring-slate-500/20",
    };
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
            <td class=TD>
                <div class="font-medium">{t(scope_key(r.scope))}</div>
                {target.map(|t| view! { <div class="text-xs text-slate-500">{t}</div> })}
                {(!r.note.is_empty()).then(|| view! { <div class="mt-1 text-xs text-slate-500">{r.note.clone()}</div> })}
            </td>
            <td class=format!("{TD} tabular-nums")>"v"{r.version}</td>
            <td class=format!("{TD} tabular-nums") data-testid="rule-rate">{format_rate(r.rate_bps)}" %"</td>
            <td class=format!("{TD} text-xs text-slate-600")>
                <div>{t("commission.fixed")}": "{amount(r.fixed_minor, &r.currency)}</div>
                <div>{t("commission.floor")}": "{amount(r.floor_minor, &r.currency)}</div>
                <div>{t("commission.cap")}": "{match cap { Some(c) => c.into_any(), None => t("commission.no_cap").into_any() }}</div>
            </td>
            <td class=TD>
                <span data-testid="rule-status" class=format!("inline-flex rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset {colour}")>{t(status_key(&r.status))}</span>
            </td>
            <td class=format!("{TD} whitespace-nowrap text-xs text-slate-500")>
                <div>{t("commission.created_by")}" "{r.created_by.clone()}</div>
                <div><Time ms=r.created_at_ms/></div>
                {r.activated_at_ms.map(|ms| view! { <div>{t("commission.activated_at")}" "<Time ms=ms/></div> })}
                {r.retired_at_ms.map(|ms| view! { <div>{t("commission.retired_at")}" "<Time ms=ms/></div> })}
            </td>
            <td class=format!("{TD} text-right")>
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
                        <ProtectedFields form="activate" reason_error=field_error(result, "reason") password_error=field_error(result, "password")/>
                        <FormAlert error=form_error(result)/>
                        <SubmitButton label="commission.activate_submit" pending=activate.pending()/>
                    </ActionForm>
                </td>
            </tr>
        })}
    }
}

/// Translates a value the catalog may not know (a posting kind added later) to itself.
pub use crate::components::format::label_or_raw;
