//! The seller applications queue: counters per state (each a link to that state), filters by state,
//! region and submitted day range (a GET form, so a filtered view can be bookmarked), and keyset
//! pages, oldest waiting first. One seller's page is in `detail.rs`.

use crate::components::states::{error_text, Time};
use crate::components::{EmptyState, ErrorState, ForbiddenState, LoadingState, Pager};
use crate::domain::page::Page;
use crate::domain::permissions::SELLERS_VIEW;
use crate::domain::seller::{SellerStatus, REGIONS};
use crate::error::AppError;
use crate::frame::console::shell::{use_operator, PageHeader};
use crate::i18n::{t, translate, use_lang};
use crate::sellers::console_api::{count_sellers, list_sellers};
use crate::sellers::console_model::SellerRow;
use crate::sellers::model::{business_type_key, status_key};
use crate::sellers::pages::SellerStatusBadge;
use leptos::prelude::*;
use leptos_router::components::Form;

use crate::components::styles::INPUT;
use crate::components::styles::LABEL;
use crate::components::styles::TD;
use crate::components::styles::TH;

/// The queue opens on the applications waiting for a decision.
const DEFAULT_STATUS: &str = "submitted";

use crate::components::query::query_param;
use crate::components::query::query_string;

fn filter_error(list: Resource<Result<Page<SellerRow>, AppError>>, field: &'static str) -> impl IntoView {
    let lang = use_lang();
    let error = move || match list.get() {
        Some(Err(e)) if e.field() == Some(field) => Some(error_text(lang.get(), &e)),
        _ => None,
    };
    view! {
        <Transition fallback=|| ()>
            {move || error().map(|e| view! {
                <p id=format!("filter-{field}-error") class="text-sm text-red-600" data-testid=format!("error-{field}")>{e}</p>
            })}
        </Transition>
    }
}

#[component]
pub fn SellersPage() -> impl IntoView {
    if !use_operator().is_some_and(|v| v.can(SELLERS_VIEW)) {
        return view! { <PageHeader title="console.sellers" crumbs=vec![]/><ForbiddenState/> }.into_any();
    }
    let lang = use_lang();
    let (status_q, region, from, to, cursor) =
        (query_param("status"), query_param("region"), query_param("from"), query_param("to"), query_param("cursor"));
    let status = move || status_q().unwrap_or_else(|| DEFAULT_STATUS.to_string());
    let sellers = Resource::new(
        move || (status(), region(), from(), to(), cursor()),
        |(s, r, f, t, c)| list_sellers(Some(s), r, f, t, c),
    );
    let counts = Resource::new(|| (), |_| count_sellers());
    view! {
        <PageHeader title="console.sellers" crumbs=vec![]/>
        <Transition fallback=|| ()>
            {move || counts.get().map(|r| match r {
                Err(e) => view! { <ErrorState error=e/> }.into_any(),
                Ok(counts) => view! {
                    <nav aria-label=t("sellers.q.counters") class="mb-4">
                        <ul class="grid grid-cols-2 gap-2 sm:grid-cols-4 lg:grid-cols-8" data-testid="seller-counters">
                            <li>
                                <a href="?status=all" aria-current=move || (status() == "all").then_some("page")
                                    class="block rounded-lg border border-slate-200 bg-white p-3 hover:border-indigo-300 aria-[current=page]:border-indigo-500 aria-[current=page]:ring-1 aria-[current=page]:ring-indigo-500">
                                    <span class="block text-xs text-slate-500">{t("sellers.q.all")}</span>
                                    <span class="block text-xl font-semibold tabular-nums">{counts.0.iter().map(|(_, n)| n).sum::<i64>()}</span>
                                </a>
                            </li>
                            {counts.0.into_iter().map(|(s, n)| view! {
                                <li>
                                    <a href=format!("?status={}", s.as_str()) data-testid=format!("count-{}", s.as_str())
                                        aria-current=move || (status() == s.as_str()).then_some("page")
                                        class="block rounded-lg border border-slate-200 bg-white p-3 hover:border-indigo-300 aria-[current=page]:border-indigo-500 aria-[current=page]:ring-1 aria-[current=page]:ring-indigo-500">
                                        <span class="block text-xs text-slate-500">{t(status_key(s))}</span>
                                        <span class="block text-xl font-semibold tabular-nums" data-testid="count">{n}</span>
                                    </a>
                                </li>
                            }).collect_view()}
                        </ul>
                    </nav>
                }.into_any(),
            })}
        </Transition>
        <Form method="GET" action="/console/sellers" attr:aria-label=t("sellers.q.filters") attr:data-testid="seller-filters"
            attr:class="mb-4 grid gap-3 rounded-xl border border-slate-200 bg-white p-4 sm:grid-cols-2 lg:grid-cols-[1fr_1fr_1fr_1fr_auto] lg:items-end">
            <div class="space-y-1">
                <label for="filter-status" class=LABEL>{t("sellers.q.status")}</label>
                <select id="filter-status" name="status" class=INPUT aria-describedby="filter-status-error">
                    <option value="all" selected=move || status() == "all">{t("sellers.q.all")}</option>
                    {SellerStatus::ALL.into_iter().map(|s| view! {
                        <option value=s.as_str() selected=move || status() == s.as_str()>{t(status_key(s))}</option>
                    }).collect_view()}
                </select>
                {filter_error(sellers, "status")}
            </div>
            <div class="space-y-1">
                <label for="filter-region" class=LABEL>{t("sellers.field.region")}</label>
                <select id="filter-region" name="region" class=INPUT aria-describedby="filter-region-error">
                    <option value="">{t("sellers.q.all_regions")}</option>
                    {REGIONS.into_iter().map(|r| view! {
                        <option value=r selected=move || region().as_deref() == Some(r)>{move || translate(lang.get(), &format!("sellers.region.{r}"))}</option>
                    }).collect_view()}
                </select>
                {filter_error(sellers, "region")}
            </div>
            <div class="space-y-1">
                <label for="filter-from" class=LABEL>{t("sellers.q.from")}</label>
                <input id="filter-from" name="from" type="date" value=from class=INPUT aria-describedby="filter-from-error"/>
                {filter_error(sellers, "from")}
            </div>
            <div class="space-y-1">
                <label for="filter-to" class=LABEL>{t("sellers.q.to")}</label>
                <input id="filter-to" name="to" type="date" value=to class=INPUT aria-describedby="filter-to-error"/>
                {filter_error(sellers, "to")}
            </div>
            <div class="flex gap-2">
                <button type="submit" class="rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-700">{t("action.filter")}</button>
                <a href="/console/sellers" class="rounded-md px-3 py-2 text-sm text-slate-600 hover:bg-slate-100">{t("action.clear")}</a>
            </div>
        </Form>
        <p class="mb-2 text-xs text-slate-500">{t("sellers.q.order")}</p>
        <Transition fallback=LoadingState>
            {move || sellers.get().map(|r| match r {
                Err(e) if e.field().is_some() => ().into_any(),
                Err(e) => view! { <ErrorState error=e/> }.into_any(),
                Ok(page) if page.rows.is_empty() => view! {
                    <EmptyState title=Signal::derive(t("sellers.q.empty")) hint=Signal::derive(t("sellers.q.empty_hint"))/>
                }.into_any(),
                Ok(page) => {
                    let base = query_string(&[("status", Some(status())), ("region", region()), ("from", from()), ("to", to())]);
                    view! {
                        <SellersTable rows=page.rows/>
                        <Pager next=page.next base_query=base is_first=cursor().is_none()/>
                    }.into_any()
                }
            })}
        </Transition>
    }
    .into_any()
}

#[component]
fn SellersTable(rows: Vec<SellerRow>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="overflow-x-auto rounded-xl border border-slate-200 bg-white">
            <table class="min-w-full divide-y divide-slate-200 text-sm" data-testid="sellers-table">
                <caption class="sr-only">{t("sellers.q.caption")}</caption>
                <thead class="bg-slate-50">
                    <tr>
                        <th scope="col" class=TH>{t("sellers.field.name")}</th>
                        <th scope="col" class=TH>{t("sellers.q.col.status")}</th>
                        <th scope="col" class=TH>{t("sellers.field.region")}</th>
                        <th scope="col" class=TH>{t("sellers.field.business_type")}</th>
                        <th scope="col" class=TH>{t("sellers.q.col.owner")}</th>
                        <th scope="col" class=TH>{t("sellers.q.col.documents")}</th>
                        <th scope="col" class=TH>{t("sellers.submitted_at")}</th>
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-100">
                    {rows.into_iter().map(|s| {
                        let region = s.region.clone();
                        view! {
                            <tr class="hover:bg-slate-50" data-testid="seller-row">
                                <td class=TD>
                                    <a href=format!("/console/sellers/{}", s.id) class="font-medium text-indigo-700 hover:underline">{s.name.clone()}</a>
                                </td>
                                <td class=TD><SellerStatusBadge status=s.status/></td>
                                <td class=TD>{move || translate(lang.get(), &format!("sellers.region.{region}"))}</td>
                                <td class=TD>{t(business_type_key(&s.business_type))}</td>
                                <td class=TD>{s.owner_email.clone()}</td>
                                <td class=format!("{TD} tabular-nums")>{s.documents}</td>
                                <td class=format!("{TD} whitespace-nowrap text-slate-500")>
                                    {match s.submitted_at_ms {
                                        Some(ms) => view! { <Time ms/> }.into_any(),
                                        None => view! { <span>{t("sellers.q.not_submitted")}</span> }.into_any(),
                                    }}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
