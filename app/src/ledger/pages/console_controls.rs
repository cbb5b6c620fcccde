//! `/console/ledger/controls` (seed 000's finance tasks: unposted items, releasable pending
//! balances, total available and in transit, negative balances, the trial balance and the ledger's
//! invariants) and `/console/ledger/reconciliation` (per seller: earnings, commissions, refunds,
//! payouts and balances from the entries, with a check column that must add up).

use crate::commission::pages::amount;
use crate::components::query::urlencode;
use crate::components::styles::{
    BUTTON_SECONDARY, CARD, H2_LARGE, LINK, ROW_LINK, TD_COMPACT, TD_COMPACT_NUM, TH_COMPACT, TH_COMPACT_NUM,
};
use crate::components::{
    label_or_raw, query_param, DataTable, DetailResult, FilterBar, FilterFieldError, ForbiddenState, ListResult,
    TextFilter, Time,
};
use crate::domain::permissions::LEDGER_VIEW;
use crate::error::AppError;
use crate::frame::console::shell::{use_operator, PageHeader};
use crate::i18n::{fill, t, translate, use_lang};
use crate::ledger::controls_api::{ledger_controls, seller_reconciliation};
use crate::ledger::controls_model::{ControlsReport, NegativeBalance, ReconRow, Releasable, UnpostedCheck};
use leptos::prelude::*;

/// A signed amount: `-$1.00` below zero.
fn signed(minor: i64, currency: &str) -> String {
    if minor < 0 {
        format!("-{}", amount(-minor, currency))
    } else {
        amount(minor, currency)
    }
}

#[component]
pub fn LedgerControlsPage() -> impl IntoView {
    if !use_operator().is_some_and(|v| v.can(LEDGER_VIEW)) {
        return view! { <PageHeader title="console.ledger_controls" crumbs=vec![("console.ledger", "/console/ledger")]/><ForbiddenState/> }
            .into_any();
    }
    let refresh = RwSignal::new(0u32);
    let controls = Resource::new(move || refresh.get(), |_| ledger_controls());
    view! {
        <PageHeader title="console.ledger_controls" crumbs=vec![("console.ledger", "/console/ledger")]>
            <a href="/console/ledger/reconciliation" class=BUTTON_SECONDARY>{t("controls.reconciliation")}</a>
            <button type="button" class=BUTTON_SECONDARY on:click=move |_| refresh.update(|n| *n += 1)>{t("controls.recheck")}</button>
        </PageHeader>
        <DetailResult resource=controls let:c>
            <Controls c/>
        </DetailResult>
    }
    .into_any()
}

#[component]
fn Controls(c: ControlsReport) -> impl IntoView {
    let currency = c.currency.clone();
    view! {
        <div class="space-y-6">
            <Trial c=c.clone()/>
            <Totals c=c.clone()/>
            <Unposted c=c.clone()/>
            <ReleasableSection groups=c.releasable.clone() currency=currency.clone()/>
            <Negatives count=c.negative_count total_minor=c.negative_total_minor rows=c.negatives currency/>
        </div>
    }
}

/// The trial balance (zero when the books balance) and the ledger's invariants.
#[component]
fn Trial(c: ControlsReport) -> impl IntoView {
    let zero = c.trial_is_zero() && c.problems.is_empty();
    let (box_class, title_key) = if zero {
        ("rounded-xl border-2 p-6 border-green-300 bg-green-50 text-green-900", "controls.trial_ok")
    } else {
        ("rounded-xl border-2 p-6 border-red-400 bg-red-50 text-red-900", "controls.trial_broken")
    };
    let problems = c.problems.clone();
    view! {
        <section aria-labelledby="controls-trial-title" data-testid="controls-trial" data-zero=zero.to_string()
            role=if zero { "status" } else { "alert" } class=box_class>
            <h2 id="controls-trial-title" class="text-sm font-semibold uppercase tracking-wide">{t("ledger.trial_balance")}</h2>
            <div class="mt-2 flex flex-wrap items-baseline gap-x-8 gap-y-2">
                {c.trial.iter().map(|(cur, total)| view! {
                    <p class="text-3xl font-bold tabular-nums" data-testid="controls-trial-total" data-currency=cur.clone() data-minor=total.to_string()>
                        {signed(*total, cur)}" "<span class="text-base font-medium">{cur.clone()}</span>
                    </p>
                }).collect_view()}
            </div>
            <p class="mt-2 text-sm">{t(title_key)}</p>
            {(!problems.is_empty()).then(|| view! {
                <div class="mt-3">
                    <p class="text-sm font-semibold">{t("ledger.verify_problems")}</p>
                    <ul class="mt-1 list-disc pl-5 font-mono text-xs" data-testid="controls-problems">
                        {problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
                    </ul>
                </div>
            })}
            <p class="mt-2 text-xs opacity-80">{t("controls.checked_at")}" "<Time ms=c.checked_at_ms/></p>
        </section>
    }
}

/// What the sellers hold: available, in transit, pending.
#[component]
fn Totals(c: ControlsReport) -> impl IntoView {
    let totals = [
        ("controls.total_available", c.total_available_minor, "total-available", "controls.total_available_hint"),
        ("controls.total_in_transit", c.total_in_transit_minor, "total-in-transit", "controls.total_in_transit_hint"),
        ("controls.total_pending", c.total_pending_minor, "total-pending", "controls.total_pending_hint"),
    ];
    let currency = c.currency;
    view! {
        <div class="grid gap-4 md:grid-cols-3">
            {totals.into_iter().map(|(label, minor, id, hint)| view! {
                <section class=CARD data-testid=id data-minor=minor.to_string()>
                    <h2 class="text-sm font-medium text-slate-500">{t(label)}</h2>
                    <p class="mt-1 text-2xl font-semibold tabular-nums">{signed(minor, &currency)}</p>
                    <p class="mt-2 text-xs text-slate-500">{t(hint)}</p>
                </section>
            }).collect_view()}
        </div>
    }
}

/// Business events that should have a posting and have none.
#[component]
fn Unposted(c: ControlsReport) -> impl IntoView {
    let lang = use_lang();
    let total = c.unposted_total();
    let count_class =
        if total == 0 { "text-sm font-medium text-green-700" } else { "text-sm font-semibold text-red-700" };
    view! {
        <section class=CARD aria-labelledby="unposted-title" data-testid="unposted" data-count=total.to_string()>
            <div class="flex flex-wrap items-baseline justify-between gap-2">
                <h2 id="unposted-title" class=H2_LARGE>{t("controls.unposted")}</h2>
                <span class=count_class>{move || fill(&translate(lang.get(), "controls.unposted_n"), &[("n", total.to_string())])}</span>
            </div>
            <p class="mt-1 text-sm text-slate-600">{t("controls.unposted_hint")}</p>
            <ul class="mt-4 divide-y divide-slate-100">
                {c.unposted.into_iter().map(|u| view! { <UnpostedLine u/> }).collect_view()}
            </ul>
        </section>
    }
}

/// Pending balances that could be released now, grouped by why they are still pending.
#[component]
fn ReleasableSection(groups: Vec<Releasable>, currency: String) -> impl IntoView {
    let list = if groups.is_empty() {
        view! { <p class="mt-4 text-sm text-green-700" data-testid="releasable-none">{t("controls.releasable_none")}</p> }.into_any()
    } else {
        view! {
            <ul class="mt-4 space-y-4">
                {groups.into_iter().map(|r| view! { <ReleasableGroup r currency=currency.clone()/> }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <section class=CARD aria-labelledby="releasable-title" data-testid="releasable">
            <h2 id="releasable-title" class=H2_LARGE>{t("controls.releasable")}</h2>
            <p class="mt-1 text-sm text-slate-600">{t("controls.releasable_hint")}</p>
            {list}
        </section>
    }
}

/// Sellers whose available balance is below zero.
#[component]
fn Negatives(count: i64, total_minor: i64, rows: Vec<NegativeBalance>, currency: String) -> impl IntoView {
    let lang = use_lang();
    let total = signed(total_minor, &currency);
    let list = if rows.is_empty() {
        view! { <p class="mt-4 text-sm text-green-700">{t("controls.negatives_none")}</p> }.into_any()
    } else {
        view! {
            <p class="mt-2 text-sm font-medium text-red-700">{move || fill(&translate(lang.get(), "controls.negatives_n"), &[("n", count.to_string())])}</p>
            <div class="mt-2 overflow-x-auto">
                <table class="min-w-full divide-y divide-slate-200 text-sm">
                    <caption class="sr-only">{t("controls.negatives")}</caption>
                    <thead class="bg-slate-50">
                        <tr>
                            <th scope="col" class=TH_COMPACT>{t("ledger.col.seller")}</th>
                            <th scope="col" class=TH_COMPACT_NUM>{t("controls.col.available")}</th>
                            <th scope="col" class=TH_COMPACT>{t("controls.col.negative_since")}</th>
                        </tr>
                    </thead>
                    <tbody class="divide-y divide-slate-100">
                        {rows.into_iter().map(|b| view! {
                            <tr data-testid="negative-row">
                                <td class=TD_COMPACT><a class=LINK href=format!("/console/sellers/{}", b.organisation_id)>{b.name.clone()}</a></td>
                                <td class=format!("{TD_COMPACT_NUM} text-red-700")>{signed(b.available_minor, &currency)}</td>
                                <td class=TD_COMPACT>{b.negative_since.map(|ms| view! { <Time ms=ms/> })}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <section class=CARD aria-labelledby="negative-title" data-testid="negatives" data-count=count.to_string()>
            <div class="flex flex-wrap items-baseline justify-between gap-2">
                <h2 id="negative-title" class=H2_LARGE>{t("controls.negatives")}</h2>
                <span class="text-sm tabular-nums text-slate-600">{total}</span>
            </div>
            <p class="mt-1 text-sm text-slate-600">{t("controls.negatives_hint")}</p>
            {list}
        </section>
    }
}

#[component]
fn UnpostedLine(u: UnpostedCheck) -> impl IntoView {
    let label = format!("controls.unposted.{}", u.kind);
    let lang = use_lang();
    let ok = u.count == 0;
    let count = u.count;
    let more = count - u.items.len() as i64;
    view! {
        <li class="py-3" data-testid="unposted-check" data-kind=u.kind.clone() data-count=count.to_string()>
            <div class="flex items-baseline justify-between gap-3 text-sm">
                <span>{move || translate(lang.get(), &label)}</span>
                <span class=if ok { "font-semibold tabular-nums text-green-700" } else { "font-semibold tabular-nums text-red-700" }>{count}</span>
            </div>
            {(!ok).then(|| view! {
                <ul class="mt-2 flex flex-wrap gap-2 text-xs">
                    {u.items.into_iter().map(|i| view! {
                        <li>
                            <a href=i.href.clone() class="inline-flex gap-1 rounded-md bg-red-50 px-2 py-1 text-red-800 ring-1 ring-red-200 hover:underline">
                                <span class="font-mono">{i.label.clone()}</span>
                                <span class="tabular-nums">{amount(i.amount_minor, &i.currency)}</span>
                            </a>
                        </li>
                    }).collect_view()}
                    {(more > 0).then(|| view! {
                        <li class="px-2 py-1 text-slate-500">{move || fill(&translate(lang.get(), "controls.and_more"), &[("n", more.to_string())])}</li>
                    })}
                </ul>
            })}
        </li>
    }
}

#[component]
fn ReleasableGroup(r: Releasable, currency: String) -> impl IntoView {
    let lang = use_lang();
    let reason = format!("controls.reason.{}", r.reason);
    let n = r.orders;
    view! {
        <li class="rounded-lg border border-amber-200 bg-amber-50 p-4" data-testid="releasable-group" data-reason=r.reason.clone()
            data-orders=n.to_string() data-minor=r.amount_minor.to_string()>
            <div class="flex flex-wrap items-baseline justify-between gap-2">
                <span class="font-medium text-amber-900">{move || translate(lang.get(), &reason)}</span>
                <span class="text-sm tabular-nums text-amber-900">
                    {move || fill(&translate(lang.get(), "controls.orders_n"), &[("n", n.to_string())])}" · "
                    <span class="font-semibold">{amount(r.amount_minor, &currency)}</span>
                </span>
            </div>
            <ul class="mt-2 flex flex-wrap gap-2 text-xs">
                {r.examples.into_iter().map(|(number, seller, minor)| view! {
                    <li>
                        <a href=format!("/console/orders/{}", urlencode(&number)) class="inline-flex gap-1 rounded-md bg-white px-2 py-1 ring-1 ring-amber-200 hover:underline">
                            <span class="font-mono">{number.clone()}</span>
                            <span class="text-slate-600">{seller}</span>
                            <span class="tabular-nums">{amount(minor, &currency)}</span>
                        </a>
                    </li>
                }).collect_view()}
            </ul>
        </li>
    }
}

#[component]
pub fn ReconciliationPage() -> impl IntoView {
    let crumbs = vec![("console.ledger", "/console/ledger"), ("console.ledger_controls", "/console/ledger/controls")];
    if !use_operator().is_some_and(|v| v.can(LEDGER_VIEW)) {
        return view! { <PageHeader title="controls.reconciliation" crumbs=crumbs/><ForbiddenState/> }.into_any();
    }
    let (q, after) = (query_param("q"), query_param("cursor"));
    let rows = Resource::new(move || (after(), q()), |(a, q)| seller_reconciliation(a, q));
    // A refused search is shown by the filter bar.
    let field_error = |e: AppError| e.field().is_some().then(|| ().into_any());
    view! {
        <PageHeader title="controls.reconciliation" crumbs=crumbs/>
        <div class="space-y-4">
            <p class="max-w-3xl text-sm text-slate-600">{t("controls.recon_hint")}</p>
            <FilterBar action="/console/ledger/reconciliation" label="controls.reconciliation">
                <TextFilter name="q" label="controls.recon_search" kind="search" id="recon-q"/>
                <a href="/console/ledger/reconciliation" class="rounded-md px-3 py-2 text-sm text-slate-600 hover:bg-slate-100">{t("action.clear")}</a>
                <FilterFieldError list=rows/>
            </FilterBar>
            // A search that finds nothing says so; no sellers at all explains when they appear.
            {move || if q().is_some() {
                view! {
                    <ListResult resource=rows empty="controls.recon_no_match" keep=&["q"] on_error=field_error let:rows>
                        <ReconTable rows/>
                    </ListResult>
                }.into_any()
            } else {
                view! {
                    <ListResult resource=rows empty="controls.recon_empty" empty_hint="controls.recon_empty_hint" on_error=field_error let:rows>
                        <ReconTable rows/>
                    </ListResult>
                }.into_any()
            }}
        </div>
    }
    .into_any()
}

#[component]
fn ReconTable(rows: Vec<ReconRow>) -> impl IntoView {
    let columns = vec![
        "ledger.col.seller",
        "controls.col.earnings",
        "controls.col.commission",
        "controls.col.refunds",
        "controls.col.commission_reversed",
        "controls.col.payouts_paid",
        "controls.col.in_transit",
        "controls.col.balance",
        "controls.col.check",
    ];
    view! {
        <DataTable caption="controls.reconciliation" columns testid="reconciliation">
            {rows.into_iter().map(|r| view! { <ReconLine r/> }).collect_view()}
        </DataTable>
    }
}

#[component]
fn ReconLine(r: ReconRow) -> impl IntoView {
    let lang = use_lang();
    let ok = r.adds_up();
    let cur = r.currency.clone();
    let diff = r.balance_minor() - r.expected_minor();
    let figures = [
        (r.earnings_minor, "earnings"),
        (r.commission_minor, "commission"),
        (r.refunds_minor, "refunds"),
        (r.commission_reversed_minor, "commission-reversed"),
        (r.payouts_paid_minor, "payouts-paid"),
        (r.in_transit_minor, "in-transit"),
        (r.balance_minor(), "balance"),
    ];
    let pending = r.pending_minor;
    let available = r.available_minor;
    view! {
        <tr data-testid="recon-row" data-seller=r.organisation_id.to_string() data-adds-up=ok.to_string()
            class=if ok { "" } else { "bg-red-50" }>
            <td class=TD_COMPACT>
                <a class=ROW_LINK href=format!("/console/sellers/{}", r.organisation_id)>{r.name.clone()}</a>
                <div class="text-xs text-slate-500">{move || label_or_raw(lang.get(), "sellers.status.", &r.status)}</div>
            </td>
            {figures.into_iter().map(|(minor, id)| {
                let cur = cur.clone();
                let title = (id == "balance").then(|| {
                    let cur = cur.clone();
                    move || fill(&translate(lang.get(), "controls.balance_parts"), &[("pending", signed(pending, &cur)), ("available", signed(available, &cur))])
                });
                view! { <td class=TD_COMPACT_NUM data-testid=format!("recon-{id}") data-minor=minor.to_string() title=title>{signed(minor, &cur)}</td> }
            }).collect_view()}
            <td class=TD_COMPACT_NUM data-testid="recon-check">
                {if ok {
                    view! { <span class="font-semibold text-green-700">"✓ "{t("controls.adds_up")}</span> }.into_any()
                } else {
                    let cur = cur.clone();
                    view! {
                        <span role="alert" class="font-semibold text-red-700">
                            {move || fill(&translate(lang.get(), "controls.off_by"), &[("amount", signed(diff, &cur))])}
                        </span>
                    }.into_any()
                }}
            </td>
        </tr>
    }
}
