//! Console orders: `/console/orders` (every order, filtered by status, seller, buyer, date and
//! amount, keyset-paged; a GET form so a filtered view can be bookmarked) and
//! `/console/orders/:number` (the order with its payment, history and, for ledger readers, postings).

use crate::components::states::error_text;
use crate::components::{EmptyState, ErrorState, ForbiddenState, LoadingState, Pager};
use crate::domain::order::OrderStatus;
use crate::domain::page::Page;
use crate::domain::permissions::ORDERS_VIEW;
use crate::error::AppError;
use crate::frame::console::shell::{use_operator, PageHeader};
use crate::i18n::{t, use_lang};
use crate::orders::api::{console_get_order, console_list_orders};
use crate::orders::model::OrderRow;
use crate::orders::pages::{label_or_raw, query_param, query_string, OrderBody, OrdersTable, INPUT, LABEL};
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_params_map;

/// The error a list answered with when it belongs next to `field` of the filter form.
fn filter_error(list: Resource<Result<Page<OrderRow>, AppError>>, field: &'static str) -> impl IntoView {
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
pub fn OrdersPage() -> impl IntoView {
    if !use_operator().is_some_and(|v| v.can(ORDERS_VIEW)) {
        return view! { <PageHeader title="console.orders" crumbs=vec![]/><ForbiddenState/> }.into_any();
    }
    let lang = use_lang();
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
    let text_field = move |name: &'static str, label: &'static str, kind: &'static str, value: Option<String>| {
        view! {
            <div class="space-y-1">
                <label for=format!("filter-{name}") class=LABEL>{t(label)}</label>
                <input id=format!("filter-{name}") name=name type=kind maxlength="100" value=value class=INPUT
                    aria-describedby=format!("filter-{name}-error")/>
                {filter_error(orders, name)}
            </div>
        }
    };
    view! {
        <PageHeader title="console.orders" crumbs=vec![]/>
        <Form method="GET" action="/console/orders" attr:aria-label=t("orders.filters") attr:data-testid="order-filters"
            attr:class="mb-4 grid gap-3 rounded-xl border border-slate-200 bg-white p-4 sm:grid-cols-2 lg:grid-cols-4 lg:items-start">
            <div class="space-y-1">
                <label for="filter-status" class=LABEL>{t("orders.filter.status")}</label>
                <select id="filter-status" name="status" class=INPUT aria-describedby="filter-status-error">
                    <option value="">{t("orders.filter.all")}</option>
                    {OrderStatus::ALL.into_iter().map(|s| view! {
                        <option value=s.as_str() selected=move || status().as_deref() == Some(s.as_str())>
                            {move || label_or_raw(lang.get(), "orders.status.", s.as_str())}
                        </option>
                    }).collect_view()}
                </select>
                {filter_error(orders, "status")}
            </div>
            {text_field("seller", "orders.filter.seller", "search", seller())}
            {text_field("buyer", "orders.filter.buyer", "search", buyer())}
            <label class="flex items-center gap-2 text-sm text-slate-700 lg:pt-8">
                <input type="checkbox" name="overdue" value="1" checked=overdue().is_some() class="h-4 w-4 rounded border-slate-300"/>
                {t("orders.filter.overdue")}
            </label>
            {text_field("from", "orders.filter.from", "date", from())}
            {text_field("to", "orders.filter.to", "date", to())}
            {text_field("min", "orders.filter.min", "text", min())}
            {text_field("max", "orders.filter.max", "text", max())}
            <div class="flex gap-2 lg:col-span-4">
                <button type="submit" class="rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-700">{t("action.filter")}</button>
                <a href="/console/orders" class="rounded-md px-3 py-2 text-sm text-slate-600 hover:bg-slate-100">{t("action.clear")}</a>
            </div>
        </Form>
        <Transition fallback=LoadingState>
            {move || orders.get().map(|r| match r {
                Err(e) if e.field().is_some() => ().into_any(),
                Err(e) => view! { <ErrorState error=e/> }.into_any(),
                Ok(page) if page.rows.is_empty() => view! {
                    <EmptyState title=Signal::derive(t("orders.console_empty")) hint=Signal::derive(t("orders.console_empty_hint"))/>
                }.into_any(),
                Ok(page) => {
                    let base = query_string(&[
                        ("status", status()), ("seller", seller()), ("buyer", buyer()), ("from", from()), ("to", to()),
                        ("min", min()), ("max", max()), ("overdue", overdue()),
                    ]);
                    view! {
                        <OrdersTable rows=page.rows href="/console/orders" caption="orders.caption" console=true/>
                        <Pager next=page.next base_query=base is_first=cursor().is_none()/>
                    }.into_any()
                }
            })}
        </Transition>
    }
    .into_any()
}

#[component]
pub fn OrderDetailPage() -> impl IntoView {
    let crumbs = vec![("console.orders", "/console/orders")];
    if !use_operator().is_some_and(|v| v.can(ORDERS_VIEW)) {
        return view! { <PageHeader title="orders.order_title" crumbs/><ForbiddenState/> }.into_any();
    }
    let params = use_params_map();
    let number = move || params.with(|p| p.get("number")).unwrap_or_default();
    let order = Resource::new(number, console_get_order);
    view! {
        <PageHeader title="orders.order_title" crumbs/>
        <div class="space-y-6">
            <Transition fallback=LoadingState>
                {move || order.get().map(|r| match r {
                    Err(AppError::NotFound) => view! { <EmptyState title=Signal::derive(t("orders.not_found"))/> }.into_any(),
                    Err(e) => view! { <ErrorState error=e/> }.into_any(),
                    Ok(d) => view! {
                        <OrderBody d>
                            <crate::disputes::components::OrderDisputeLink number=number() link_for=crate::disputes::components::LinkFor::Console/>
                        </OrderBody>
                    }.into_any(),
                })}
            </Transition>
        </div>
    }
    .into_any()
}
