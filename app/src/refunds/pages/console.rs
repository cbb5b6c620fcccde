//! The console's refund queue (`/console/refunds`: counters, filters, age / amount / SLA, oldest
//! first) and refund detail (`/console/refunds/:id`: order, both sides, evidence, the ledger effect or
//! the posting made, history from the audit log). Read-only: operators decide through disputes.

use crate::components::states::Time;
use crate::components::{EmptyState, ErrorState, LoadingState, Pager};
use crate::domain::money::Money;
use crate::error::AppError;
use crate::i18n::{t, title, translate, use_lang};
use crate::orders::pages::{label_or_raw, query_param, query_string, CARD, INPUT, LABEL};
use crate::refunds::api::{console_get_refund, console_list_refunds, console_refund_counters};
use crate::refunds::model::{HistoryItem, RefundCounters};
use crate::refunds::pages::{RefundBody, RefundsTable, H2};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_params_map;

#[component]
fn Counter(label: &'static str, value: String, testid: &'static str) -> impl IntoView {
    view! {
        <div class="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
            <dt class="text-xs font-medium uppercase tracking-wide text-slate-500">{t(label)}</dt>
            <dd class="mt-1 text-2xl font-semibold tabular-nums text-slate-900" data-testid=testid>{value}</dd>
        </div>
    }
}

#[component]
fn Counters(c: RefundCounters) -> impl IntoView {
    view! {
        <dl class="grid gap-4 sm:grid-cols-2 lg:grid-cols-4" aria-label="counters">
            <Counter label="console_refunds.counter.waiting" value=c.waiting.to_string() testid="counter-waiting"/>
            <Counter label="console_refunds.counter.overdue" value=c.overdue.to_string() testid="counter-overdue"/>
            <Counter label="console_refunds.counter.refunded_week" value=c.refunded_week.to_string() testid="counter-refunded-week"/>
            <Counter label="console_refunds.counter.amount_week" value=Money::new(c.refunded_week_minor, c.currency).display() testid="counter-amount-week"/>
        </dl>
    }
}

#[component]
pub fn RefundsPage() -> impl IntoView {
    let lang = use_lang();
    let (status, seller, overdue, cursor) =
        (query_param("status"), query_param("seller"), query_param("overdue"), query_param("cursor"));
    let counters = Resource::new(|| (), |_| console_refund_counters());
    let refunds = Resource::new(
        move || (status(), seller(), overdue(), cursor()),
        |(s, sel, o, c)| console_list_refunds(s, sel, o, c),
    );
    view! {
        <Title text=title("console_refunds.title")/>
        <div class="space-y-6">
            <div>
                <h1 class="text-2xl font-semibold tracking-tight">{t("console_refunds.title")}</h1>
                <p class="mt-1 text-sm text-slate-500">{t("console_refunds.read_only")}</p>
            </div>
            <Transition fallback=LoadingState>
                {move || counters.get().map(|r| match r {
                    Err(e) => view! { <ErrorState error=e/> }.into_any(),
                    Ok(c) => view! { <Counters c/> }.into_any(),
                })}
            </Transition>
            <Form action="/console/refunds" attr:class="flex flex-wrap items-end gap-3" attr:aria-label=move || translate(lang.get(), "console_refunds.filters")>
                <div>
                    <label for="filter-status" class=LABEL>{t("refunds.filter.status")}</label>
                    <select id="filter-status" name="status" class=INPUT>
                        <option value="">{t("refunds.filter.all")}</option>
                        {crate::domain::refund::RefundStatus::ALL.into_iter().map(|s| view! {
                            <option value=s.as_str() selected=move || status().as_deref() == Some(s.as_str())>
                                {move || translate(lang.get(), &format!("refunds.status.{}", s.as_str()))}
                            </option>
                        }).collect_view()}
                    </select>
                </div>
                <div>
                    <label for="filter-seller" class=LABEL>{t("console_refunds.filter.seller")}</label>
                    <input id="filter-seller" name="seller" type="text" maxlength="100" class=INPUT value=move || seller().unwrap_or_default()/>
                </div>
                <div class="flex items-center gap-2 pb-2">
                    <input id="filter-overdue" name="overdue" type="checkbox" value="1" checked=move || overdue().is_some()
                        class="h-4 w-4 rounded border-slate-300"/>
                    <label for="filter-overdue" class="text-sm text-slate-700">{t("console_refunds.filter.overdue")}</label>
                </div>
                <button type="submit" class="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-50">
                    {t("console_refunds.filter.apply")}
                </button>
            </Form>
            <Transition fallback=LoadingState>
                {move || refunds.get().map(|r| match r {
                    Err(e) => view! { <ErrorState error=e/> }.into_any(),
                    Ok(page) if page.rows.is_empty() => view! {
                        <EmptyState title=Signal::derive(t("console_refunds.empty")) hint=Signal::derive(t("console_refunds.empty_hint"))/>
                    }.into_any(),
                    Ok(page) => view! {
                        <RefundsTable rows=page.rows href="/console/refunds" caption="console_refunds.caption" console=true/>
                        <Pager next=page.next
                            base_query=query_string(&[("status", status()), ("seller", seller()), ("overdue", overdue())])
                            is_first=cursor().is_none()/>
                    }.into_any(),
                })}
            </Transition>
        </div>
    }
}

#[component]
pub fn RefundDetailPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id")).and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
    let refund = Resource::new(id, console_get_refund);
    view! {
        <Title text=title("console_refunds.detail_title")/>
        <div class="space-y-6">
            <nav aria-label="breadcrumb" class="text-sm"><a href="/console/refunds" class="text-indigo-700 hover:underline">{t("refunds.back_to_list")}</a></nav>
            <p class="text-sm text-slate-500">{t("console_refunds.read_only")}</p>
            <Transition fallback=LoadingState>
                {move || refund.get().map(|r| match r {
                    Err(AppError::NotFound) => view! { <EmptyState title=Signal::derive(t("refunds.not_found"))/> }.into_any(),
                    Err(e) => view! { <ErrorState error=e/> }.into_any(),
                    Ok(d) => {
                        let history = d.history.clone();
                        view! {
                            <RefundBody d/>
                            <History items=history/>
                        }.into_any()
                    }
                })}
            </Transition>
        </div>
    }
}

#[component]
fn History(items: Vec<HistoryItem>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class=CARD aria-labelledby="history-title" data-testid="refund-history">
            <h2 id="history-title" class=H2>{t("console_refunds.history")}</h2>
            {items.is_empty().then(|| view! { <p class="mt-2 text-sm text-slate-500">{t("console_refunds.history_empty")}</p> })}
            <ol class="mt-3 space-y-2 text-sm">
                {items.into_iter().map(|h| {
                    let action = h.action.clone();
                    view! {
                        <li class="flex flex-wrap gap-x-3 border-l-2 border-slate-200 pl-3">
                            <Time ms=h.at_ms/>
                            <span class="font-mono text-xs text-slate-700" data-testid="history-action">{move || label_or_raw(lang.get(), "audit.action.", &action)}</span>
                            <span class="text-slate-600">{h.actor.clone().unwrap_or_else(|| h.actor_roles.clone())}</span>
                            {(!h.reason.is_empty()).then(|| view! { <span class="w-full whitespace-pre-wrap text-slate-700">{h.reason.clone()}</span> })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}
