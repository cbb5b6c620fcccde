//! `/seller/balance`: the seller's pending and available balances and the movements on them.
pub mod console;
pub mod console_controls;

use super::api::{seller_balance, seller_ledger_history};
use super::model::{BalanceSummary, SellerEntry};
use crate::commission::pages::{amount, label_or_raw};
use crate::components::states::{urlencode, Time};
use crate::components::{EmptyState, ErrorState, LoadingState, Pager};
use crate::error::AppError;
use crate::i18n::{fill, t, title, translate, use_lang};
use crate::session::use_session;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

use crate::components::styles::CARD;
use crate::components::styles::TD;
use crate::components::styles::TH;

#[component]
pub fn SellerBalancePage() -> impl IntoView {
    let session = use_session();
    view! {
        <Title text=title("balance.title")/>
        <div class="mx-auto max-w-6xl space-y-6">
            {move || match session.viewer.get() {
                None => view! { <Redirect path="/signin?next=/seller/balance"/> }.into_any(),
                Some(_) => view! { <Balance/> }.into_any(),
            }}
        </div>
    }
}

#[component]
fn Balance() -> impl IntoView {
    let query = use_query_map();
    let cursor = move || query.with(|q| q.get("cursor")).filter(|c| !c.trim().is_empty());
    let balance = Resource::new(|| (), |_| seller_balance());
    let history = Resource::new(cursor, seller_ledger_history);
    view! {
        <nav aria-label=t("balance.breadcrumb") class="text-sm text-slate-500">
            <a href="/seller" class="hover:underline">{t("balance.seller_center")}</a>" / "<span>{t("balance.heading")}</span>
        </nav>
        <h1 class="text-2xl font-semibold tracking-tight">{t("balance.heading")}</h1>
        <Transition fallback=LoadingState>
            {move || balance.get().map(|r| match r {
                Err(AppError::Forbidden) => view! {
                    <section class=CARD data-testid="not-seller">
                        <h2 class="text-lg font-semibold">{t("balance.not_seller")}</h2>
                        <a href="/sell" class="mt-3 inline-block text-indigo-700 hover:underline">{t("balance.apply")}</a>
                    </section>
                }.into_any(),
                Err(e) => view! { <ErrorState error=e/> }.into_any(),
                Ok(b) => view! { <Cards b=b/> }.into_any(),
            })}
        </Transition>
        <section aria-labelledby="history-title" class="space-y-3">
            <h2 id="history-title" class="text-lg font-semibold">{t("balance.history")}</h2>
            <Transition fallback=LoadingState>
                {move || history.get().map(|r| match r {
                    Err(AppError::Forbidden) => ().into_any(),
                    Err(e) => view! { <ErrorState error=e/> }.into_any(),
                    Ok(page) if page.rows.is_empty() => view! {
                        <EmptyState title=Signal::derive(t("balance.empty")) hint=Signal::derive(t("balance.empty_hint"))/>
                    }.into_any(),
                    Ok(page) => view! {
                        <History rows=page.rows/>
                        <Pager next=page.next base_query=String::new() is_first=cursor().is_none()/>
                    }.into_any(),
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Cards(b: BalanceSummary) -> impl IntoView {
    let lang = use_lang();
    let days = b.hold_days;
    view! {
        <p class="text-slate-600" data-testid="seller-name">{b.organisation_name.clone()}</p>
        <div class="grid gap-4 md:grid-cols-2">
            <section class=CARD aria-labelledby="pending-title">
                <h2 id="pending-title" class="text-sm font-medium text-slate-500">{t("balance.pending")}</h2>
                <p class="mt-1 text-3xl font-semibold tabular-nums" data-testid="balance-pending" data-minor=b.pending_minor.to_string()>
                    {amount(b.pending_minor, &b.currency)}
                </p>
                <p class="mt-2 text-sm text-slate-600">{move || fill(&translate(lang.get(), "balance.pending_hint"), &[("days", days.to_string())])}</p>
            </section>
            <section class=CARD aria-labelledby="available-title">
                <h2 id="available-title" class="text-sm font-medium text-slate-500">{t("balance.available")}</h2>
                <p class="mt-1 text-3xl font-semibold tabular-nums text-green-700" data-testid="balance-available" data-minor=b.available_minor.to_string()>
                    {amount(b.available_minor, &b.currency)}
                </p>
                <p class="mt-2 text-sm text-slate-600">{t("balance.available_hint")}</p>
            </section>
        </div>
    }
}

#[component]
fn History(rows: Vec<SellerEntry>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="overflow-x-auto rounded-xl border border-slate-200 bg-white">
            <table class="min-w-full divide-y divide-slate-200 text-sm" data-testid="balance-history">
                <caption class="sr-only">{t("balance.history")}</caption>
                <thead class="bg-slate-50">
                    <tr>
                        <th scope="col" class=TH>{t("balance.col.when")}</th>
                        <th scope="col" class=TH>{t("balance.col.what")}</th>
                        <th scope="col" class=TH>{t("balance.col.order")}</th>
                        <th scope="col" class=TH>{t("balance.col.account")}</th>
                        <th scope="col" class=format!("{TH} text-right")>{t("balance.col.amount")}</th>
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-100">
                    {rows.into_iter().map(|e| {
                        let (kind, account) = (e.kind.clone(), e.account.clone());
                        let colour = if e.amount_minor >= 0 { "text-green-700" } else { "text-slate-700" };
                        let shown = if e.amount_minor >= 0 { format!("+{}", amount(e.amount_minor, &e.currency)) } else { format!("-{}", amount(-e.amount_minor, &e.currency)) };
                        view! {
                            <tr data-testid="balance-entry" data-kind=e.kind.clone() data-account=e.account.clone()>
                                <td class=format!("{TD} whitespace-nowrap text-slate-500")><Time ms=e.at_ms/></td>
                                <td class=TD>{move || label_or_raw(lang.get(), "ledger.posting.", &kind)}</td>
                                <td class=TD>{e.order_number.clone().map(|n| view! {
                                    <a class="text-indigo-700 hover:underline" href=format!("/seller/orders/{}", urlencode(&n))>{n.clone()}</a>
                                })}</td>
                                <td class=TD>{move || label_or_raw(lang.get(), "balance.account.", &account)}</td>
                                <td class=format!("{TD} text-right tabular-nums font-medium {colour}")>{shown}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
