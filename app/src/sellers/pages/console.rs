//! The seller applications queue: counters per state (each a link to that state), filters by state,
//! region and submitted day range (a GET form, so a filtered view can be bookmarked), and keyset
//! pages, oldest waiting first. One seller's page is in `console_detail.rs`.

use crate::components::styles::{HINT, INPUT, LABEL, ROW_LINK, TD};
use crate::components::{
    list_filter_error, query_param, shown_by_filters, Counter, Counters, DataTable, DetailResult, FilterBar,
    ForbiddenState, ListResult, SelectFilter, TextFilter, Time,
};
use crate::domain::permissions::SELLERS_VIEW;
use crate::domain::seller::{SellerStatus, REGIONS};
use crate::frame::console::shell::{use_operator, PageHeader};
use crate::i18n::{t, translate, use_lang};
use crate::sellers::console_api::{count_sellers, list_sellers};
use crate::sellers::console_model::{SellerCounts, SellerRow};
use crate::sellers::model::{business_type_key, status_key};
use crate::sellers::pages::SellerStatusBadge;
use leptos::prelude::*;

/// The queue opens on the applications waiting for a decision.
const DEFAULT_STATUS: &str = "submitted";

#[component]
pub fn SellersPage() -> impl IntoView {
    if !use_operator().is_some_and(|v| v.can(SELLERS_VIEW)) {
        return view! { <PageHeader title="console.sellers" crumbs=vec![]/><ForbiddenState/> }.into_any();
    }
    let (status_q, region, from, to, cursor) =
        (query_param("status"), query_param("region"), query_param("from"), query_param("to"), query_param("cursor"));
    let status = move || status_q().unwrap_or_else(|| DEFAULT_STATUS.to_string());
    let sellers = Resource::new(
        move || (status(), region(), from(), to(), cursor()),
        |(s, r, f, t, c)| list_sellers(Some(s), r, f, t, c),
    );
    let counts = Resource::new(|| (), |_| count_sellers());
    let regions = REGIONS.into_iter().map(|r| (r, format!("sellers.region.{r}"))).collect();
    view! {
        <PageHeader title="console.sellers" crumbs=vec![]/>
        <div class="mb-4">
            <DetailResult resource=counts let:counts>
                <StateCounters counts/>
            </DetailResult>
        </div>
        <div class="mb-4">
            <FilterBar action="/console/sellers" label="sellers.q.filters" testid="seller-filters" error=list_filter_error(sellers)>
                <StatusSelect status/>
                <SelectFilter name="region" label="sellers.field.region" all="sellers.q.all_regions" options=regions/>
                <TextFilter name="from" label="sellers.q.from" kind="date"/>
                <TextFilter name="to" label="sellers.q.to" kind="date"/>
                <a href="/console/sellers" class="rounded-md px-3 py-2 text-sm text-slate-600 hover:bg-slate-100">{t("action.clear")}</a>
            </FilterBar>
        </div>
        <p class=format!("mb-2 {HINT}")>{t("sellers.q.order")}</p>
        <ListResult resource=sellers empty="sellers.q.empty" empty_hint="sellers.q.empty_hint"
            keep=&["status", "region", "from", "to"] on_error=shown_by_filters let:rows>
            <SellersTable rows/>
        </ListResult>
    }
    .into_any()
}

/// How many sellers are in each state, each a link to the list of that state.
#[component]
fn StateCounters(counts: SellerCounts) -> impl IntoView {
    let all: i64 = counts.0.iter().map(|(_, n)| n).sum();
    view! {
        <Counters columns=4 testid="seller-counters" label="sellers.q.counters">
            <Counter label="sellers.q.all" value=all.to_string() testid="count-all" href="?status=all"/>
            {counts.0.into_iter().map(|(s, n)| view! {
                <Counter label=status_key(s) value=n.to_string() testid=format!("count-{}", s.as_str())
                    href=format!("?status={}", s.as_str())/>
            }).collect_view()}
        </Counters>
    }
}

/// The state filter: unlike the others it has a default (the applications waiting), so "all
/// states" is a value of its own rather than the empty choice.
#[component]
fn StatusSelect(status: impl Fn() -> String + Copy + Send + Sync + 'static) -> impl IntoView {
    view! {
        <div class="space-y-1">
            <label for="filter-status" class=LABEL>{t("sellers.q.status")}</label>
            <select id="filter-status" name="status" class=INPUT>
                <option value="all" selected=move || status() == "all">{t("sellers.q.all")}</option>
                {SellerStatus::ALL.into_iter().map(|s| view! {
                    <option value=s.as_str() selected=move || status() == s.as_str()>{t(status_key(s))}</option>
                }).collect_view()}
            </select>
        </div>
    }
}

#[component]
fn SellersTable(rows: Vec<SellerRow>) -> impl IntoView {
    let lang = use_lang();
    let columns = vec![
        "sellers.field.name",
        "sellers.q.col.status",
        "sellers.field.region",
        "sellers.field.business_type",
        "sellers.q.col.owner",
        "sellers.q.col.documents",
        "sellers.submitted_at",
    ];
    view! {
        <DataTable caption="sellers.q.caption" columns testid="sellers-table">
            {rows.into_iter().map(|s| {
                let region = s.region.clone();
                let submitted = match s.submitted_at_ms {
                    Some(ms) => view! { <Time ms/> }.into_any(),
                    None => view! { <span>{t("sellers.q.not_submitted")}</span> }.into_any(),
                };
                view! {
                    <tr class="hover:bg-slate-50" data-testid="seller-row">
                        <td class=TD><a href=format!("/console/sellers/{}", s.id) class=ROW_LINK>{s.name.clone()}</a></td>
                        <td class=TD><SellerStatusBadge status=s.status/></td>
                        <td class=TD>{move || translate(lang.get(), &format!("sellers.region.{region}"))}</td>
                        <td class=TD>{t(business_type_key(&s.business_type))}</td>
                        <td class=TD>{s.owner_email.clone()}</td>
                        <td class=format!("{TD} tabular-nums")>{s.documents}</td>
                        <td class=format!("{TD} whitespace-nowrap text-slate-500")>{submitted}</td>
                    </tr>
                }
            }).collect_view()}
        </DataTable>
    }
}
