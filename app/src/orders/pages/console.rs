//! Console orders: `/console/orders` (every order, filtered by status, seller, buyer, date and
//! amount, keyset-paged; a GET form so a filtered view can be bookmarked) and
//! `/console/orders/:number` (the order with its payment, history and, for ledger readers, postings).

use super::body::number_param;
use super::body::{status_options, OrderBody, OrdersTable};
use crate::components::{
    query_param, CheckFilter, DetailResult, FilterBar, FilterFieldError, ForbiddenState, ListResult, SelectFilter,
    TextFilter,
};
use crate::disputes::components::{LinkFor, OrderDisputeLink};
use crate::domain::permissions::ORDERS_VIEW;
use crate::error::AppError;
use crate::frame::console::shell::{use_operator, PageHeader};
use crate::i18n::t;
use crate::orders::api::{console_get_order, console_list_orders};
use leptos::prelude::*;

#[component]
pub fn OrdersPage() -> impl IntoView {
    if !use_operator().is_some_and(|v| v.can(ORDERS_VIEW)) {
        return view! { <PageHeader title="console.orders" crumbs=vec![]/><ForbiddenState/> }.into_any();
    }
    let (status, seller, buyer, from, to, min, max, overdue, cursor) = (
        query_param("status"),
        query_param("seller"),
        query_param("buyer"),
        query_param("from"),
        query_param("to"),
        query_param("min"),
        query_param("max"),
        query_param("overdue"),
        query_param("cursor"),
    );
    let orders = Resource::new(
        move || (status(), seller(), buyer(), from(), to(), min(), max(), overdue(), cursor()),
        |(s, se, b, f, to, mi, ma, o, c)| console_list_orders(s, se, b, f, to, mi, ma, o, c),
    );
    view! {
        <PageHeader title="console.orders" crumbs=vec![]/>
        <div class="space-y-4">
            <FilterBar action="/console/orders" label="orders.filters" testid="order-filters">
                <SelectFilter name="status" label="orders.filter.status" all="orders.filter.all" options=status_options()/>
                <TextFilter name="seller" label="orders.filter.seller" kind="search"/>
                <TextFilter name="buyer" label="orders.filter.buyer" kind="search"/>
                <CheckFilter name="overdue" label="orders.filter.overdue"/>
                <TextFilter name="from" label="orders.filter.from" kind="date"/>
                <TextFilter name="to" label="orders.filter.to" kind="date"/>
                <TextFilter name="min" label="orders.filter.min"/>
                <TextFilter name="max" label="orders.filter.max"/>
                <a href="/console/orders" class="rounded-md px-3 py-2 text-sm text-slate-600 hover:bg-slate-100">{t("action.clear")}</a>
                <FilterFieldError list=orders/>
            </FilterBar>
            // A refused filter is shown by the filter bar, next to the fields.
            <ListResult resource=orders empty="orders.console_empty" empty_hint="orders.console_empty_hint"
                keep=&["status", "seller", "buyer", "from", "to", "min", "max", "overdue"]
                on_error=|e: AppError| e.field().is_some().then(|| ().into_any()) let:rows>
                <OrdersTable rows href="/console/orders" caption="orders.caption" console=true/>
            </ListResult>
        </div>
    }
    .into_any()
}

#[component]
pub fn OrderDetailPage() -> impl IntoView {
    let crumbs = vec![("console.orders", "/console/orders")];
    if !use_operator().is_some_and(|v| v.can(ORDERS_VIEW)) {
        return view! { <PageHeader title="orders.order_title" crumbs/><ForbiddenState/> }.into_any();
    }
    let number = number_param();
    let order = Resource::new(number, console_get_order);
    view! {
        <PageHeader title="orders.order_title" crumbs/>
        <div class="space-y-6">
            <DetailResult resource=order not_found="orders.not_found" let:d>
                <OrderBody d>
                    <OrderDisputeLink number=number() link_for=LinkFor::Console/>
                </OrderBody>
            </DetailResult>
        </div>
    }
    .into_any()
}
