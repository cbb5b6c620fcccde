//! The ledger console: `/console/ledger` (the trial balance, balances by kind, the platform's
//! accounts, every account page by page, and a full verification) and `/console/ledger/postings`
//! (postings with their entries, filtered by kind, order number or account). The commission rules
//! page lives with the rules (`crate::commission::pages`).

use crate::commission::pages::{amount, label_or_raw};
use crate::components::states::{error_text, urlencode, Time};
use crate::components::{EmptyState, ErrorState, ForbiddenState, LoadingState, Pager};
use crate::domain::permissions::LEDGER_VIEW;
use crate::frame::console::shell::{use_operator, PageHeader};
use crate::i18n::{fill, t, translate, use_lang};
use crate::ledger::console_api::{ledger_overview, list_ledger_accounts, list_ledger_postings, VerifyLedger};
use crate::ledger::console_model::{AccountRow, LedgerSummary, PostingRow, KINDS, POSTING_KINDS};
use leptos::prelude::*;
use leptos_router::components::Form;

use crate::components::styles::CARD;
use crate::components::styles::INPUT;
use crate::components::styles::LABEL;
use crate::components::styles::TD;
use crate::components::styles::TH;

use crate::components::query::query_param;
use crate::components::query::query_string;

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
    let lang = use_lang();
    view! {
        <PageHeader title="console.ledger" crumbs=vec![]>
            <a href="/console/ledger/postings" class="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-700 hover:bg-slate-50">{t("ledger.postings")}</a>
            <a href="/console/commission" class="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-700 hover:bg-slate-50">{t("console.commission")}</a>
        </PageHeader>
        <div class="space-y-6">
            <Transition fallback=LoadingState>
                {move || overview.get().map(|r| match r {
                    Err(e) => view! { <ErrorState error=e/> }.into_any(),
                    Ok(o) => view! { <Overview o=o/> }.into_any(),
                })}
            </Transition>
            <Verify/>
            <section aria-labelledby="accounts-title" class="space-y-3">
                <h2 id="accounts-title" class="text-lg font-semibold">{t("ledger.accounts")}</h2>
                <Form method="GET" action="/console/ledger" attr:aria-label=t("ledger.filters") attr:data-testid="account-filters"
                    attr:class="flex flex-wrap items-end gap-3 rounded-xl border border-slate-200 bg-white p-4">
                    <div class="space-y-1">
                        <label for="filter-kind" class=LABEL>{t("ledger.kind")}</label>
                        <select id="filter-kind" name="kind" class=INPUT>
                            <option value="">{t("ledger.all_kinds")}</option>
                            {KINDS.into_iter().map(|k| view! {
                                <option value=k selected=move || kind().as_deref() == Some(k)>{move || label_or_raw(lang.get(), "ledger.kind.", k)}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <button type="submit" class="rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-700">{t("action.filter")}</button>
                    <a href="/console/ledger" class="rounded-md px-3 py-2 text-sm text-slate-600 hover:bg-slate-100">{t("action.clear")}</a>
                </Form>
                <Transition fallback=LoadingState>
                    {move || accounts.get().map(|r| match r {
                        Err(e) => view! { <ErrorState error=e/> }.into_any(),
                        Ok(page) if page.rows.is_empty() => view! {
                            <EmptyState title=Signal::derive(t("ledger.no_accounts")) hint=Signal::derive(t("ledger.no_accounts_hint"))/>
                        }.into_any(),
                        Ok(page) => view! {
                            <AccountsTable rows=page.rows testid="accounts-table"/>
                            <Pager next=page.next base_query=query_string(&[("kind", kind())]) is_first=cursor().is_none()/>
                        }.into_any(),
                    })}
                </Transition>
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
            <h2 id="platform-title" class="text-lg font-semibold">{t("ledger.platform_accounts")}</h2>
            {if o.platform.is_empty() {
                view! { <EmptyState title=Signal::derive(t("ledger.no_accounts")) hint=Signal::derive(t("ledger.no_accounts_hint"))/> }.into_any()
            } else {
                view! { <AccountsTable rows=o.platform.clone() testid="platform-accounts"/> }.into_any()
            }}
        </section>
    }
}

#[component]
fn AccountsTable(rows: Vec<AccountRow>, testid: &'static str) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="overflow-x-auto rounded-xl border border-slate-200 bg-white">
            <table class="min-w-full divide-y divide-slate-200 text-sm" data-testid=testid>
                <caption class="sr-only">{t("ledger.accounts")}</caption>
                <thead class="bg-slate-50">
                    <tr>
                        <th scope="col" class=TH>{t("ledger.col.account")}</th>
                        <th scope="col" class=TH>{t("ledger.kind")}</th>
                        <th scope="col" class=TH>{t("ledger.col.seller")}</th>
                        <th scope="col" class=format!("{TH} text-right")>{t("ledger.col.balance")}</th>
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-100">
                    {rows.into_iter().map(|a| {
                        let kind = a.kind.clone();
                        view! {
                            <tr data-testid="account-row" data-code=a.code.clone()>
                                <td class=TD>
                                    <a class="font-mono text-indigo-700 hover:underline" href=format!("/console/ledger/postings?account={}", urlencode(&a.code))>{a.code.clone()}</a>
                                    <span class="ml-2 text-xs text-slate-500">{a.currency.clone()}</span>
                                </td>
                                <td class=TD>{move || label_or_raw(lang.get(), "ledger.kind.", &kind)}</td>
                                <td class=TD>{a.organisation_name.clone().unwrap_or_default()}</td>
                                <td class=format!("{TD} text-right tabular-nums") data-testid="account-balance">{signed(a.balance_minor, &a.currency)}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
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
                    <h2 id="verify-title" class="font-semibold">{t("ledger.verify")}</h2>
                    <p class="text-sm text-slate-600">{t("ledger.verify_hint")}</p>
                </div>
                <ActionForm action=verify attr:data-testid="verify-form">
                    <button type="submit" disabled=move || verify.pending().get()
                        class="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-700 hover:bg-slate-50 disabled:opacity-60">
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
    let lang = use_lang();
    let filter_error = move |field: &'static str| {
        view! {
            <Transition fallback=|| ()>
                {move || match postings.get() {
                    Some(Err(e)) if e.field() == Some(field) => Some(view! {
                        <p class="text-sm text-red-600" data-testid=format!("error-{field}")>{error_text(lang.get(), &e)}</p>
                    }),
                    _ => None,
                }}
            </Transition>
        }
    };
    let filtered = move || kind().is_some() || order().is_some() || account().is_some();
    view! {
        <PageHeader title="ledger.postings" crumbs=vec![("console.ledger", "/console/ledger")]/>
        <Form method="GET" action="/console/ledger/postings" attr:aria-label=t("ledger.filters") attr:data-testid="posting-filters"
            attr:class="mb-4 grid gap-3 rounded-xl border border-slate-200 bg-white p-4 sm:grid-cols-[1fr_1fr_1fr_auto] sm:items-end">
            <div class="space-y-1">
                <label for="filter-kind" class=LABEL>{t("ledger.posting_kind")}</label>
                <select id="filter-kind" name="kind" class=INPUT>
                    <option value="">{t("ledger.all_posting_kinds")}</option>
                    {POSTING_KINDS.into_iter().map(|k| view! {
                        <option value=k selected=move || kind().as_deref() == Some(k)>{move || label_or_raw(lang.get(), "ledger.posting.", k)}</option>
                    }).collect_view()}
                </select>
                {filter_error("kind")}
            </div>
            <div class="space-y-1">
                <label for="filter-order" class=LABEL>{t("ledger.order")}</label>
                <input id="filter-order" name="order" type="search" maxlength="40" value=order class=INPUT placeholder="AG-20260101-00000001"/>
                {filter_error("order")}
            </div>
            <div class="space-y-1">
                <label for="filter-account" class=LABEL>{t("ledger.col.account")}</label>
                <input id="filter-account" name="account" type="search" maxlength="60" value=account class=INPUT placeholder="seller:1:pending"/>
                {filter_error("account")}
            </div>
            <div class="flex gap-2">
                <button type="submit" class="rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-700">{t("action.filter")}</button>
                <a href="/console/ledger/postings" class="rounded-md px-3 py-2 text-sm text-slate-600 hover:bg-slate-100">{t("action.clear")}</a>
            </div>
        </Form>
        <Transition fallback=LoadingState>
            {move || postings.get().map(|r| match r {
                Err(e) if e.field().is_some() => ().into_any(),
                Err(e) => view! { <ErrorState error=e/> }.into_any(),
                Ok(page) if page.rows.is_empty() && filtered() => view! {
                    <EmptyState title=Signal::derive(t("ledger.no_postings_match"))/>
                }.into_any(),
                Ok(page) if page.rows.is_empty() => view! {
                    <EmptyState title=Signal::derive(t("ledger.no_postings")) hint=Signal::derive(t("ledger.no_postings_hint"))/>
                }.into_any(),
                Ok(page) => view! {
                    <ul class="space-y-3" data-testid="postings">
                        {page.rows.into_iter().map(|p| view! { <PostingCard p=p/> }).collect_view()}
                    </ul>
                    <Pager next=page.next base_query=query_string(&[("kind", kind()), ("order", order()), ("account", account())]) is_first=cursor().is_none()/>
                }.into_any(),
            })}
        </Transition>
    }
    .into_any()
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
                    <a class="text-indigo-700 hover:underline" href=format!("/console/orders/{}", urlencode(&n))>{n.clone()}</a>
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
