//! `/seller/balance`: the seller's pending and available balances and the movements on them.

use crate::commission::pages::amount;
use crate::components::query::urlencode;
use crate::components::styles::{CARD, H1, H2_LARGE, LINK, TD};
use crate::components::{label_or_raw, query_param, sign_in_redirect, DataTable, DetailResult, ListResult, Time};
use crate::error::AppError;
use crate::i18n::{fill, t, title, translate, use_lang};
use crate::ledger::api::{seller_balance, seller_ledger_history};
use crate::ledger::model::{BalanceSummary, SellerEntry};
use leptos::prelude::*;
use leptos_meta::Title;

/// Signed out: sign in and come back; not a seller: how to become one (the history says nothing).
fn balance_error(e: AppError) -> Option<AnyView> {
    match e {
        AppError::Unauthenticated => Some(sign_in_redirect("/seller/balance".into())),
        AppError::Forbidden => Some(
            view! {
                <section class=CARD data-testid="not-seller">
                    <h2 class=H2_LARGE>{t("balance.not_seller")}</h2>
                    <a href="/sell" class=format!("mt-3 inline-block {LINK}")>{t("balance.apply")}</a>
                </section>
            }
            .into_any(),
        ),
        _ => None,
    }
}

#[component]
pub fn SellerBalancePage() -> impl IntoView {
    let cursor = query_param("cursor");
    let balance = Resource::new(|| (), |_| seller_balance());
    let history = Resource::new(cursor, seller_ledger_history);
    view! {
        <Title text=title("balance.title")/>
        <div class="mx-auto max-w-6xl space-y-6">
            <nav aria-label=t("balance.breadcrumb") class="text-sm text-slate-500">
                <a href="/seller" class="hover:underline">{t("balance.seller_center")}</a>" / "<span>{t("balance.heading")}</span>
            </nav>
            <h1 class=H1>{t("balance.heading")}</h1>
            <DetailResult resource=balance on_error=balance_error let:b>
                <Cards b/>
            </DetailResult>
            <section aria-labelledby="history-title" class="space-y-3">
                <h2 id="history-title" class=H2_LARGE>{t("balance.history")}</h2>
                <ListResult resource=history empty="balance.empty" empty_hint="balance.empty_hint"
                    on_error=|e: AppError| matches!(e, AppError::Unauthenticated | AppError::Forbidden).then(|| ().into_any()) let:rows>
                    <History rows/>
                </ListResult>
            </section>
        </div>
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
    let columns =
        vec!["balance.col.when", "balance.col.what", "balance.col.order", "balance.col.account", "balance.col.amount"];
    view! {
        <DataTable caption="balance.history" columns testid="balance-history">
            {rows.into_iter().map(|e| {
                let (kind, account) = (e.kind.clone(), e.account.clone());
                let (class, shown) = if e.amount_minor >= 0 {
                    (format!("{TD} text-right tabular-nums font-medium text-green-700"), format!("+{}", amount(e.amount_minor, &e.currency)))
                } else {
                    (format!("{TD} text-right tabular-nums font-medium text-slate-700"), format!("-{}", amount(-e.amount_minor, &e.currency)))
                };
                view! {
                    <tr data-testid="balance-entry" data-kind=e.kind.clone() data-account=e.account.clone()>
                        <td class=format!("{TD} whitespace-nowrap text-slate-500")><Time ms=e.at_ms/></td>
                        <td class=TD>{move || label_or_raw(lang.get(), "ledger.posting.", &kind)}</td>
                        <td class=TD>{e.order_number.clone().map(|n| view! {
                            <a class=LINK href=format!("/seller/orders/{}", urlencode(&n))>{n.clone()}</a>
                        })}</td>
                        <td class=TD>{move || label_or_raw(lang.get(), "balance.account.", &account)}</td>
                        <td class=class>{shown}</td>
                    </tr>
                }
            }).collect_view()}
        </DataTable>
    }
}
