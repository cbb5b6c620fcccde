//! The ledger console: `/console/ledger` (the trial balance, balances by kind, the platform's
//! accounts, every account page by page, and a full verification) and `/console/ledger/postings`
//! (postings with their entries, filtered by kind, order number or account). The commission rules
//! page lives with the rules (`crate::commission::pages`).

use crate::commission::pages::amount;
use crate::components::list::empty_state;
use crate::components::query::urlencode;
use crate::components::states::error_text;
use crate::components::styles::{BUTTON_SECONDARY, CARD, H2_LARGE, LINK, TD};
use crate::components::{
    label_or_raw, query_param, DataTable, DetailResult, FilterBar, FilterFieldError, ForbiddenState, ListResult,
    SelectFilter, TextFilter, Time,
};
use crate::domain::permissions::LEDGER_VIEW;
use crate::error::AppError;
use crate::frame::console::shell::{use_operator, PageHeader};
use crate::i18n::{fill, t, translate, use_lang};
use crate::ledger::console_api::{ledger_overview, list_ledger_accounts, list_ledger_postings, VerifyLedger};
use crate::ledger::console_model::{AccountRow, LedgerSummary, PostingRow, KINDS, POSTING_KINDS};
use leptos::prelude::*;

/// A signed amount, right-aligned; debits positive, credits negative.
fn signed(minor: i64, currency: &str) -> String {
    if minor < 0 {
        format!("-{}", amount(-minor, currency))
    } else {
        amount(minor, currency)
    }
}

#[component]
pub fn LedgerPage() -> impl IntoView {
    if !use_operator().is_some_and(|v| v.can(LEDGER_VIEW)) {
        return view! { <PageHeader title="console.ledger" crumbs=vec![]/><ForbiddenState/> }.into_any();
    }
    let (kind, cursor) = (query_param("kind"), query_param("cursor"));
    let overview = Resource::new(|| (), |_| ledger_overview());
    let accounts = Resource::new(move || (kind(), cursor()), |(k, c)| list_ledger_accounts(k, c));
    let kinds = KINDS.into_iter().map(|k| (k, format!("ledger.kind.{k}"))).collect();
    view! {
        <PageHeader title="console.ledger" crumbs=vec![]>
            <a href="/console/ledger/postings" class=BUTTON_SECONDARY>{t("ledger.postings")}</a>
            <a href="/console/commission" class=BUTTON_SECONDARY>{t("console.commission")}</a>
        </PageHeader>
        <div class="space-y-6">
            <DetailResult resource=overview let:o>
                <Overview o/>
            </DetailResult>
            <Verify/>
            <section aria-labelledby="accounts-title" class="space-y-3">
                <h2 id="accounts-title" class=H2_LARGE>{t("ledger.accounts")}</h2>
                <FilterBar action="/console/ledger" label="ledger.filters" testid="account-filters">
                    <SelectFilter name="kind" label="ledger.kind" all="ledger.all_kinds" options=kinds/>
                    <a href="/console/ledger" class="rounded-md px-3 py-2 text-sm text-slate-600 hover:bg-slate-100">{t("action.clear")}</a>
                </FilterBar>
                <ListResult resource=accounts empty="ledger.no_accounts" empty_hint="ledger.no_accounts_hint" keep=&["kind"] let:rows>
                    <AccountsTable rows testid="accounts-table"/>
                </ListResult>
            </section>
        </div>
    }
    .into_any()
}

#[component]
fn Overview(o: LedgerSummary) -> impl IntoView {
    let balanced = o.balanced();
    let currency = o.trial.first().map(|t| t.currency.clone()).unwrap_or_else(|| "USD".into());
    let lang = use_lang();
    let (box_class, title_key) = if balanced {
        ("border-green-300 bg-green-50 text-green-900", "ledger.trial_ok")
    } else {
        ("border-red-400 bg-red-50 text-red-900", "ledger.trial_broken")
    };
    view! {
        <section aria-labelledby="trial-title" data-testid="trial-balance" data-balanced=balanced.to_string()
            role=if balanced { "status" } else { "alert" }
            class=format!("rounded-xl border-2 p-6 {box_class}")>
            <h2 id="trial-title" class="text-sm font-semibold uppercase tracking-wide">{t("ledger.trial_balance")}</h2>
            <div class="mt-2 flex flex-wrap items-baseline gap-x-8 gap-y-2">
                {o.trial.iter().map(|line| view! {
                    <p class="text-3xl font-bold tabular-nums" data-testid="trial-total" data-currency=line.currency.clone()>
                        {signed(line.total_minor, &line.currency)}" "<span class="text-base font-medium">{line.currency.clone()}</span>
                    </p>
                }).collect_view()}
            </div>
            <p class="mt-2 text-sm">{t(title_key)}</p>
        </section>
        <div class="grid gap-4 md:grid-cols-3">
            {KINDS.into_iter().map(|k| {
                let totals: Vec<_> = o.kinds.iter().filter(|t| t.kind == k).cloned().collect();
                view! {
                    <section class=CARD data-testid=format!("kind-{k}")>
                        <h2 class="text-sm font-medium text-slate-500">{move || label_or_raw(lang.get(), "ledger.kind.", k)}</h2>
                        {if totals.is_empty() {
                            view! { <p class="mt-1 text-2xl font-semibold tabular-nums">{signed(0, &currency)}</p> }.into_any()
                        } else {
                            totals.into_iter().map(|tot| {
                                let n = tot.accounts;
                                view! {
                                    <p class="mt-1 text-2xl font-semibold tabular-nums">{signed(tot.total_minor, &tot.currency)}</p>
                                    <p class="text-xs text-slate-500">{move || fill(&translate(lang.get(), "ledger.accounts_count"), &[("n", n.to_string())])}</p>
                                }
                            }).collect_view().into_any()
                        }}
                        <p class="mt-2 text-xs text-slate-500">{t(match k { "asset" => "ledger.kind_hint.asset", "liability" => "ledger.kind_hint.liability", _ => "ledger.kind_hint.revenue" })}</p>
                    </section>
                }
            }).collect_view()}
        </div>
        <section aria-labelledby="platform-title" class="space-y-3">
            <h2 id="platform-title" class=H2_LARGE>{t("ledger.platform_accounts")}</h2>
            {if o.platform.is_empty() {
                empty_state("ledger.no_accounts", Some("ledger.no_accounts_hint"))
            } else {
                view! { <AccountsTable rows=o.platform.clone() testid="platform-accounts"/> }.into_any()
            }}
        </section>
    }
}

#[component]
fn AccountsTable(rows: Vec<AccountRow>, testid: &'static str) -> impl IntoView {
    let lang = use_lang();
    let columns = vec!["ledger.col.account", "ledger.kind", "ledger.col.seller", "ledger.col.balance"];
    view! {
        <DataTable caption="ledger.accounts" columns testid>
            {rows.into_iter().map(|a| {
                let kind = a.kind.clone();
                view! {
                    <tr data-testid="account-row" data-code=a.code.clone()>
                        <td class=TD>
                            <a class=format!("font-mono {LINK}") href=format!("/console/ledger/postings?account={}", urlencode(&a.code))>{a.code.clone()}</a>
                            <span class="ml-2 text-xs text-slate-500">{a.currency.clone()}</span>
                        </td>
                        <td class=TD>{move || label_or_raw(lang.get(), "ledger.kind.", &kind)}</td>
                        <td class=TD>{a.organisation_name.clone().unwrap_or_default()}</td>
                        <td class=format!("{TD} text-right tabular-nums") data-testid="account-balance">{signed(a.balance_minor, &a.currency)}</td>
                    </tr>
                }
            }).collect_view()}
        </DataTable>
    }
}

/// Re-derives every balance from the entries, on demand (it reads the whole ledger).
#[component]
fn Verify() -> impl IntoView {
    let verify = ServerAction::<VerifyLedger>::new();
    let lang = use_lang();
    view! {
        <section class=CARD aria-labelledby="verify-title">
            <div class="flex flex-wrap items-center justify-between gap-3">
                <div>
                    <h2 id="verify-title" class=H2_LARGE>{t("ledger.verify")}</h2>
                    <p class="text-sm text-slate-600">{t("ledger.verify_hint")}</p>
                </div>
                <ActionForm action=verify attr:data-testid="verify-form">
                    <button type="submit" disabled=move || verify.pending().get() class=BUTTON_SECONDARY>
                        {move || translate(lang.get(), if verify.pending().get() { "action.working" } else { "ledger.verify_run" })}
                    </button>
                </ActionForm>
            </div>
            {move || verify.value().get().map(|r| match r {
                Err(e) => view! { <p role="alert" class="mt-3 text-sm text-red-700">{error_text(lang.get(), &e)}</p> }.into_any(),
                Ok(report) if report.problems.is_empty() => view! {
                    <p role="status" data-testid="verify-result" data-ok="true" class="mt-3 text-sm font-medium text-green-700">
                        {t("ledger.verify_ok")}" · "<Time ms=report.checked_at_ms/>
                    </p>
                }.into_any(),
                Ok(report) => view! {
                    <div role="alert" data-testid="verify-result" data-ok="false" class="mt-3 text-sm text-red-800">
                        <p class="font-medium">{t("ledger.verify_problems")}</p>
                        <ul class="mt-1 list-disc pl-5 font-mono text-xs">
                            {report.problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
                        </ul>
                    </div>
                }.into_any(),
            })}
        </section>
    }
}

#[component]
pub fn PostingsPage() -> impl IntoView {
    if !use_operator().is_some_and(|v| v.can(LEDGER_VIEW)) {
        return view! { <PageHeader title="ledger.postings" crumbs=vec![("console.ledger", "/console/ledger")]/><ForbiddenState/> }
            .into_any();
    }
    let (kind, order, account, cursor) =
        (query_param("kind"), query_param("order"), query_param("account"), query_param("cursor"));
    let postings =
        Resource::new(move || (kind(), order(), account(), cursor()), |(k, o, a, c)| list_ledger_postings(k, o, a, c));
    let kinds = POSTING_KINDS.into_iter().map(|k| (k, format!("ledger.posting.{k}"))).collect();
    let filtered = move || kind().is_some() || order().is_some() || account().is_some();
    view! {
        <PageHeader title="ledger.postings" crumbs=vec![("console.ledger", "/console/ledger")]/>
        <div class="space-y-4">
            <FilterBar action="/console/ledger/postings" label="ledger.filters" testid="posting-filters">
                <SelectFilter name="kind" label="ledger.posting_kind" all="ledger.all_posting_kinds" options=kinds/>
                <TextFilter name="order" label="ledger.order" kind="search" maxlength=40/>
                <TextFilter name="account" label="ledger.col.account" kind="search" maxlength=60/>
                <a href="/console/ledger/postings" class="rounded-md px-3 py-2 text-sm text-slate-600 hover:bg-slate-100">{t("action.clear")}</a>
                <FilterFieldError list=postings/>
            </FilterBar>
            // A filtered list that is empty says so; an empty ledger explains when postings appear.
            {move || if filtered() {
                view! {
                    <ListResult resource=postings empty="ledger.no_postings_match" keep=&["kind", "order", "account"]
                        on_error=|e: AppError| e.field().is_some().then(|| ().into_any()) let:rows>
                        <Postings rows/>
                    </ListResult>
                }.into_any()
            } else {
                view! {
                    <ListResult resource=postings empty="ledger.no_postings" empty_hint="ledger.no_postings_hint"
                        on_error=|e: AppError| e.field().is_some().then(|| ().into_any()) let:rows>
                        <Postings rows/>
                    </ListResult>
                }.into_any()
            }}
        </div>
    }
    .into_any()
}

#[component]
fn Postings(rows: Vec<PostingRow>) -> impl IntoView {
    view! { <ul class="space-y-3" data-testid="postings">{rows.into_iter().map(|p| view! { <PostingCard p/> }).collect_view()}</ul> }
}

#[component]
fn PostingCard(p: PostingRow) -> impl IntoView {
    let lang = use_lang();
    let kind = p.kind.clone();
    let sum: i64 = p.entries.iter().map(|e| e.amount_minor).sum();
    view! {
        <li class="rounded-xl border border-slate-200 bg-white p-4" data-testid="posting" data-kind=p.kind.clone()>
            <div class="flex flex-wrap items-baseline justify-between gap-2">
                <div>
                    <span class="font-semibold">{move || label_or_raw(lang.get(), "ledger.posting.", &kind)}</span>
                    <span class="ml-2 font-mono text-xs text-slate-500">"#"{p.id}" · "{p.idempotency_key.clone()}</span>
                </div>
                <div class="text-xs text-slate-500"><Time ms=p.at_ms/></div>
            </div>
            {p.order_number.clone().map(|n| view! {
                <p class="mt-1 text-sm">{t("ledger.order")}": "
                    <a class=LINK href=format!("/console/orders/{}", urlencode(&n))>{n.clone()}</a>
                </p>
            })}
            {(!p.memo.is_empty()).then(|| view! { <p class="mt-1 text-sm text-slate-600">{p.memo.clone()}</p> })}
            <table class="mt-3 min-w-full text-sm">
                <caption class="sr-only">{t("ledger.entries")}</caption>
                <thead>
                    <tr class="text-xs text-slate-500">
                        <th scope="col" class="py-1 text-left font-medium">{t("ledger.col.account")}</th>
                        <th scope="col" class="py-1 text-right font-medium">{t("ledger.col.debit")}</th>
                        <th scope="col" class="py-1 text-right font-medium">{t("ledger.col.credit")}</th>
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-100">
                    {p.entries.into_iter().map(|e| view! {
                        <tr data-testid="entry" data-account=e.account_code.clone() data-amount=e.amount_minor.to_string()>
                            <td class="py-1 font-mono text-xs">{e.account_code.clone()}</td>
                            <td class="py-1 text-right tabular-nums">{(e.amount_minor > 0).then(|| amount(e.amount_minor, &e.currency))}</td>
                            <td class="py-1 text-right tabular-nums">{(e.amount_minor < 0).then(|| amount(-e.amount_minor, &e.currency))}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            {(sum != 0).then(|| view! { <p role="alert" class="mt-2 text-sm font-semibold text-red-700">{t("ledger.posting_unbalanced")}</p> })}
        </li>
    }
}
