//! Buyer and seller order pages: `/orders` and `/orders/:number` (the buyer's list, and the detail
//! with its timeline, payment and shipment, and the confirm/cancel actions), `/seller/orders` and
//! `/seller/orders/:number` (overdue first; the ship form). The order body is shared with the console.
pub mod console;

use super::api::{
    get_my_order, get_seller_order, list_my_orders, list_seller_orders, CancelOrder, ConfirmOrder, ShipOrder,
};
use super::model::{carrier_label, OrderDetail, OrderEvent, OrderRow, PostingLine, Viewer};
use crate::components::form::{field_error, form_error};
use crate::components::states::{urlencode, Time};
use crate::components::{EmptyState, ErrorState, FormAlert, LoadingState, Pager, SubmitButton};
use crate::domain::money::Money;
use crate::domain::order::{OrderStatus, CARRIERS};
use crate::error::AppError;
use crate::i18n::{fill, t, title, translate, use_lang};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Form, Redirect};
use leptos_router::hooks::use_params_map;

pub use crate::components::styles::CARD_COMPACT as CARD;
use crate::components::styles::H2;
pub use crate::components::styles::INPUT;
pub use crate::components::styles::LABEL;
pub use crate::components::styles::TD;
pub use crate::components::styles::TH;

pub use crate::components::format::label_or_raw;
pub use crate::components::query::query_param;
pub use crate::components::query::query_string;

fn number_param() -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || params.with(|p| p.get("number")).unwrap_or_default()
}

fn status_colour(status: &str) -> &'static str {
    match OrderStatus::parse(status) {
        Some(OrderStatus::PendingPayment) => "bg-amber-50 text-amber-800 ring-amber-600/20",
        Some(OrderStatus::Paid) => "bg-sky-50 text-sky-700 ring-sky-600/20",
        Some(OrderStatus::Shipped) => "bg-indigo-50 text-indigo-700 ring-indigo-600/20",
        Some(OrderStatus::Completed) => "bg-green-50 text-green-700 ring-green-600/20",
        Some(OrderStatus::InDispute) => "bg-red-50 text-red-700 ring-red-600/20",
        _ => "bg-slate-100 text-slate-700 ring-slate-500/20",
    }
}

#[component]
pub fn OrderStatusBadge(status: String, #[prop(optional)] overdue: bool) -> impl IntoView {
    let lang = use_lang();
    let colour = status_colour(&status);
    let s = status.clone();
    view! {
        <span class="inline-flex flex-wrap items-center gap-1">
            <span data-testid="order-status" data-status=status.clone()
                class=format!("inline-flex whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset {colour}")>
                {move || label_or_raw(lang.get(), "orders.status.", &s)}
            </span>
            {overdue.then(|| view! {
                <span data-testid="overdue-badge" class="inline-flex whitespace-nowrap rounded-full bg-red-600 px-2 py-0.5 text-xs font-semibold text-white">
                    {t("orders.overdue")}
                </span>
            })}
        </span>
    }
}

/// The status filter of the buyer's and the seller's lists (a GET form, bookmarkable).
#[component]
fn StatusFilter(
    action: &'static str,
    status: impl Fn() -> Option<String> + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <Form method="GET" action=action attr:aria-label=t("orders.filters") attr:data-testid="order-filters"
            attr:class="flex flex-wrap items-end gap-3">
            <div class="space-y-1">
                <label for="filter-status" class=LABEL>{t("orders.filter.status")}</label>
                <select id="filter-status" name="status" class=INPUT>
                    <option value="">{t("orders.filter.all")}</option>
                    {OrderStatus::ALL.into_iter().map(|s| {
                        let selected = move || status().as_deref() == Some(s.as_str());
                        view! { <option value=s.as_str() selected=selected>{move || label_or_raw(lang.get(), "orders.status.", s.as_str())}</option> }
                    }).collect_view()}
                </select>
            </div>
            <button type="submit" class="rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-700">{t("action.filter")}</button>
        </Form>
    }
}

/// Orders as a table; `href` makes each number a link; the console also shows the buyer.
#[component]
pub fn OrdersTable(
    rows: Vec<OrderRow>,
    href: &'static str,
    caption: &'static str,
    #[prop(optional)] console: bool,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="overflow-x-auto rounded-xl border border-slate-200 bg-white">
            <table class="min-w-full divide-y divide-slate-200 text-sm" data-testid="orders-table">
                <caption class="sr-only">{t(caption)}</caption>
                <thead class="bg-slate-50">
                    <tr>
                        <th scope="col" class=TH>{t("orders.col.number")}</th>
                        <th scope="col" class=TH>{t("orders.col.items")}</th>
                        <th scope="col" class=TH>{t("orders.col.seller")}</th>
                        {console.then(|| view! { <th scope="col" class=TH>{t("orders.col.buyer")}</th> })}
                        <th scope="col" class=TH>{t("orders.col.status")}</th>
                        <th scope="col" class=format!("{TH} text-right")>{t("orders.col.total")}</th>
                        <th scope="col" class=TH>{t("orders.col.placed")}</th>
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-100">
                    {rows.into_iter().map(|o| {
                        let total = o.total();
                        let items = o.items;
                        view! {
                            <tr class="hover:bg-slate-50" data-testid="order-row" data-number=o.number.clone()>
                                <td class=format!("{TD} whitespace-nowrap")>
                                    <a href=format!("{href}/{}", o.number) class="font-mono font-medium text-indigo-700 hover:underline">{o.number.clone()}</a>
                                </td>
                                <td class=TD>
                                    <span class="line-clamp-1">{o.first_title.clone()}</span>
                                    <span class="text-xs text-slate-500">{move || fill(&translate(lang.get(), "orders.items_count"), &[("n", items.to_string())])}</span>
                                </td>
                                <td class=TD>{o.seller_name.clone()}</td>
                                {console.then(|| view! { <td class=TD>{o.buyer_email.clone().unwrap_or_default()}</td> })}
                                <td class=TD><OrderStatusBadge status=o.status.clone() overdue=o.overdue/></td>
                                <td class=format!("{TD} whitespace-nowrap text-right tabular-nums")>{total}</td>
                                <td class=format!("{TD} whitespace-nowrap text-slate-500")><Time ms=o.created_at_ms/></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn Fact(label: &'static str, children: Children) -> impl IntoView {
    view! {
        <div class="flex justify-between gap-4 py-1.5">
            <dt class="text-sm text-slate-500">{t(label)}</dt>
            <dd class="text-right text-sm">{children()}</dd>
        </div>
    }
}

/// Everything about an order but its actions: header, lines and totals, deadlines, timeline,
/// payment, shipment, address, and (console with the ledger) its postings. `children` go on top of
/// the side column (the actions of the page).
#[component]
pub fn OrderBody(d: OrderDetail, #[prop(optional)] children: Option<Children>) -> impl IntoView {
    let d2 = d.clone();
    view! {
        <header class="flex flex-wrap items-start justify-between gap-4">
            <div>
                <h1 class="font-mono text-2xl font-semibold tracking-tight" data-testid="order-number">{d.number.clone()}</h1>
                <p class="mt-1 text-sm text-slate-500">
                    {t("orders.placed")}" " <Time ms=d.created_at_ms/>" · "{t("orders.seller")}" "
                    <span class="font-medium text-slate-700">{d.seller_name.clone()}</span>
                    {d.buyer_name.clone().map(|n| view! { " · "{t("orders.buyer")}" "<span class="font-medium text-slate-700">{n}</span> })}
                    {d.buyer_email.clone().map(|e| view! { " ("<span>{e}</span>")" })}
                </p>
            </div>
            <div class="text-right">
                <OrderStatusBadge status=d.status.clone() overdue=d.overdue/>
                <p class="mt-1 text-xl font-semibold tabular-nums" data-testid="order-total">{d.money(d.total_minor)}</p>
            </div>
        </header>
        {(d.overdue && d.viewer == Viewer::Seller).then(|| view! {
            <p role="alert" class="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">{t("orders.overdue_hint")}</p>
        })}
        <div class="grid gap-6 lg:grid-cols-3">
            <div class="space-y-6 lg:col-span-2">
                <Lines d=d.clone()/>
                <Timeline events=d.events.clone() console={d.viewer == Viewer::Console}/>
                {d.postings.clone().map(|p| view! { <Postings rows=p currency=d.currency/> })}
            </div>
            <div class="space-y-6">
                {children.map(|c| c())}
                <Deadlines d=d.clone()/>
                <Payment d=d2.clone()/>
                <Shipment d=d2.clone()/>
                <section class=CARD aria-labelledby="address-title">
                    <h2 id="address-title" class=H2>{t("orders.address")}</h2>
                    <address class="mt-2 text-sm not-italic text-slate-700" data-testid="order-address">
                        <p class="font-medium">{d.address.recipient.clone()}" · "{d.address.phone.clone()}</p>
                        <p>{d.address.line1.clone()}</p>
                        {(!d.address.line2.is_empty()).then(|| view! { <p>{d.address.line2.clone()}</p> })}
                        <p>{d.address.city.clone()}" "{d.address.region.clone()}" "{d.address.postal_code.clone()}</p>
                        <p>{d.address.country.clone()}</p>
                    </address>
                </section>
            </div>
        </div>
    }
}

#[component]
fn Lines(d: OrderDetail) -> impl IntoView {
    let private = d.commission_minor.is_some();
    let money = move |minor: i64| Money::new(minor, d.currency).display();
    view! {
        <section class=CARD aria-labelledby="lines-title">
            <h2 id="lines-title" class=H2>{t("orders.lines")}</h2>
            <div class="mt-3 overflow-x-auto">
                <table class="min-w-full text-sm" data-testid="order-lines">
                    <thead>
                        <tr class="border-b border-slate-200">
                            <th scope="col" class="py-2 pr-3 text-left font-medium text-slate-500">{t("orders.line.item")}</th>
                            <th scope="col" class="px-3 py-2 text-right font-medium text-slate-500">{t("orders.line.unit")}</th>
                            <th scope="col" class="px-3 py-2 text-right font-medium text-slate-500">{t("orders.line.qty")}</th>
                            <th scope="col" class="py-2 pl-3 text-right font-medium text-slate-500">{t("orders.line.total")}</th>
                            {private.then(|| view! { <th scope="col" class="py-2 pl-3 text-right font-medium text-slate-500">{t("orders.line.commission")}</th> })}
                        </tr>
                    </thead>
                    <tbody class="divide-y divide-slate-100">
                        {d.lines.iter().map(|l| view! {
                            <tr data-testid="order-line">
                                <td class="py-2 pr-3">
                                    <a href=format!("/p/{}", l.listing_id) class="font-medium text-slate-900 hover:underline">{l.title.clone()}</a>
                                    {(!l.variant_label.is_empty()).then(|| view! { <span class="block text-xs text-slate-500">{l.variant_label.clone()}</span> })}
                                    {private.then(|| view! { <span class="block font-mono text-xs text-slate-400">{l.sku.clone()}</span> })}
                                </td>
                                <td class="px-3 py-2 text-right tabular-nums">{money(l.unit_price_minor)}</td>
                                <td class="px-3 py-2 text-right tabular-nums">{l.quantity}</td>
                                <td class="py-2 pl-3 text-right tabular-nums">{money(l.line_total_minor)}</td>
                                {l.commission_minor.map(|c| view! { <td class="py-2 pl-3 text-right tabular-nums text-slate-500">{money(c)}</td> })}
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <dl class="mt-3 border-t border-slate-200 pt-2">
                <Fact label="orders.items_total"><span class="tabular-nums">{money(d.items_minor)}</span></Fact>
                <Fact label="orders.shipping"><span class="tabular-nums">{money(d.shipping_minor)}</span></Fact>
                <Fact label="orders.total"><span class="font-semibold tabular-nums">{money(d.total_minor)}</span></Fact>
                {d.commission_minor.map(|c| view! {
                    <Fact label="orders.commission"><span class="tabular-nums" data-testid="order-commission">{money(c)}</span></Fact>
                    <Fact label="orders.seller_net"><span class="tabular-nums">{money(d.total_minor - c)}</span></Fact>
                })}
            </dl>
        </section>
    }
}

#[component]
fn Deadlines(d: OrderDetail) -> impl IntoView {
    let status = d.status();
    let rows: Vec<(&'static str, i64)> = match status {
        Some(OrderStatus::PendingPayment) => vec![("orders.pay_by", d.pay_by_ms)],
        Some(OrderStatus::Paid) => d.ship_by_ms.map(|s| vec![("orders.ship_by", s)]).unwrap_or_default(),
        Some(OrderStatus::Shipped) => d.complete_by_ms.map(|s| vec![("orders.complete_by", s)]).unwrap_or_default(),
        _ => vec![],
    };
    (!rows.is_empty()).then(|| {
        view! {
            <section class=CARD aria-labelledby="deadlines-title">
                <h2 id="deadlines-title" class=H2>{t("orders.deadlines")}</h2>
                <dl class="mt-2" data-testid="order-deadlines">
                    {rows.into_iter().map(|(label, ms)| view! { <Fact label><Time ms/></Fact> }).collect_view()}
                </dl>
            </section>
        }
    })
}

#[component]
fn Payment(d: OrderDetail) -> impl IntoView {
    let lang = use_lang();
    let pay_link = (d.viewer == Viewer::Buyer && d.status() == Some(OrderStatus::PendingPayment))
        .then(|| format!("/checkout/{}/pay", d.checkout_id));
    view! {
        <section class=CARD aria-labelledby="payment-title" data-testid="order-payment">
            <h2 id="payment-title" class=H2>{t("orders.payment")}</h2>
            {match d.payment.clone() {
                None => view! { <p class="mt-2 text-sm text-slate-500">{t("orders.payment.none")}</p> }.into_any(),
                Some(p) => {
                    let (provider, status) = (p.provider.clone(), p.status.clone());
                    let amount = Money::new(p.amount_minor, d.currency).display();
                    view! {
                        <dl class="mt-2">
                            <Fact label="orders.payment.provider">{move || label_or_raw(lang.get(), "orders.payment.provider.", &provider)}</Fact>
                            <Fact label="orders.payment.status">
                                <span data-testid="payment-status" data-status=p.status.clone()>{move || label_or_raw(lang.get(), "orders.payment.status.", &status)}</span>
                            </Fact>
                            <Fact label="orders.payment.reference"><span class="font-mono">{p.reference.clone()}</span></Fact>
                            <Fact label="orders.payment.amount"><span class="tabular-nums">{amount}</span></Fact>
                            {(!p.decision_reason.is_empty()).then(|| view! {
                                <Fact label="orders.payment.reason"><span class="whitespace-pre-wrap">{p.decision_reason.clone()}</span></Fact>
                            })}
                        </dl>
                    }.into_any()
                }
            }}
            {pay_link.map(|href| view! {
                <a href=href data-testid="pay-now" class="mt-3 inline-flex rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-700">{t("orders.payment.pay_now")}</a>
            })}
        </section>
    }
}

#[component]
fn Shipment(d: OrderDetail) -> impl IntoView {
    let lang = use_lang();
    let (key, name) = carrier_label(&d.carrier);
    view! {
        <section class=CARD aria-labelledby="shipment-title" data-testid="order-shipment">
            <h2 id="shipment-title" class=H2>{t("orders.shipment")}</h2>
            {if d.carrier.is_empty() {
                view! { <p class="mt-2 text-sm text-slate-500">{t("orders.shipment.none")}</p> }.into_any()
            } else {
                view! {
                    <dl class="mt-2">
                        <Fact label="orders.shipment.carrier">
                            <span data-testid="shipment-carrier">{move || key.as_deref().map(|k| translate(lang.get(), k)).or_else(|| name.clone()).unwrap_or_default()}</span>
                        </Fact>
                        <Fact label="orders.shipment.tracking"><span class="font-mono" data-testid="shipment-tracking">{d.tracking_number.clone()}</span></Fact>
                        {d.shipped_at_ms.map(|ms| view! { <Fact label="orders.event.ship"><Time ms/></Fact> })}
                    </dl>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn Timeline(events: Vec<OrderEvent>, console: bool) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class=CARD aria-labelledby="timeline-title">
            <h2 id="timeline-title" class=H2>{t("orders.timeline")}</h2>
            {if events.is_empty() {
                view! { <p class="mt-2 text-sm text-slate-500">{t("orders.timeline.empty")}</p> }.into_any()
            } else {
                view! {
                    <ol class="mt-3 space-y-3 border-l-2 border-slate-200 pl-4" data-testid="order-timeline">
                        {events.into_iter().map(|e| {
                            let action = e.action.clone();
                            let role = e.actor_role.clone();
                            let note = e.note.clone();
                            let note_text = move || if note.starts_with("orders.note.") { translate(lang.get(), &note) } else { note.clone() };
                            view! {
                                <li class="relative" data-testid="timeline-event" data-action=e.action.clone()>
                                    <span aria-hidden="true" class="absolute -left-[1.4rem] top-1 h-3 w-3 rounded-full border-2 border-white bg-indigo-500"></span>
                                    <p class="text-sm font-medium text-slate-900">{move || label_or_raw(lang.get(), "orders.event.", &action)}</p>
                                    <p class="text-xs text-slate-500">
                                        <Time ms=e.at_ms/>" · "{move || label_or_raw(lang.get(), "orders.actor.", &role)}
                                        {(console).then(|| e.actor.clone()).flatten().map(|a| view! { " ("{a}")" })}
                                    </p>
                                    {(!e.note.is_empty()).then(|| view! { <p class="mt-0.5 text-sm text-slate-600">{note_text}</p> })}
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn Postings(rows: Vec<PostingLine>, currency: crate::domain::money::Currency) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class=CARD aria-labelledby="postings-title" data-testid="order-postings">
            <h2 id="postings-title" class=H2>{t("orders.ledger")}</h2>
            {if rows.is_empty() {
                view! { <p class="mt-2 text-sm text-slate-500">{t("orders.ledger.empty")}</p> }.into_any()
            } else {
                rows.into_iter().map(|p| {
                    let kind = p.kind.clone();
                    view! {
                        <div class="mt-4" data-testid="posting" data-kind=p.kind.clone()>
                            <p class="text-sm font-medium">
                                {move || label_or_raw(lang.get(), "ledger.posting.", &kind)}
                                <span class="ml-2 font-mono text-xs text-slate-400">{p.key.clone()}</span>
                            </p>
                            <p class="text-xs text-slate-500"><Time ms=p.at_ms/>" · "{p.memo.clone()}</p>
                            <table class="mt-1 min-w-full text-sm">
                                <thead class="sr-only">
                                    <tr><th scope="col">{t("orders.ledger.account")}</th><th scope="col">{t("orders.ledger.amount")}</th></tr>
                                </thead>
                                <tbody>
                                    {p.entries.into_iter().map(|e| view! {
                                        <tr>
                                            <td class="py-0.5 font-mono text-xs text-slate-600">{e.account}</td>
                                            <td class=format!("py-0.5 text-right tabular-nums {}", if e.amount_minor < 0 { "text-slate-500" } else { "" })>
                                                {Money::new(e.amount_minor.abs(), currency).display()}{if e.amount_minor < 0 { " Cr" } else { " Dr" }}
                                            </td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }
                }).collect_view().into_any()
            }}
        </section>
    }
}

/// A notice after an action succeeded.
#[component]
fn Done(notice: RwSignal<Option<&'static str>>) -> impl IntoView {
    move || {
        notice.get().map(|key| {
            view! { <p role="status" data-testid="action-done" class="rounded-md border border-green-200 bg-green-50 px-3 py-2 text-sm text-green-800">{t(key)}</p> }
        })
    }
}

fn sign_in_redirect(next: String) -> AnyView {
    view! { <Redirect path=format!("/signin?next={}", urlencode(&next))/> }.into_any()
}

// ---------------------------------------------------------------------------------------------
// Buyer

#[component]
pub fn BuyerOrdersPage() -> impl IntoView {
    let (status, cursor) = (query_param("status"), query_param("cursor"));
    let orders = Resource::new(move || (status(), cursor()), |(s, c)| list_my_orders(s, c));
    view! {
        <Title text=title("orders.my_title")/>
        <div class="mx-auto max-w-6xl space-y-4">
            <div class="flex flex-wrap items-end justify-between gap-4">
                <h1 class="text-2xl font-semibold tracking-tight">{t("orders.my_title")}</h1>
                <StatusFilter action="/orders" status/>
            </div>
            <Transition fallback=LoadingState>
                {move || orders.get().map(|r| match r {
                    Err(AppError::Unauthenticated) => sign_in_redirect("/orders".into()),
                    Err(e) => view! { <ErrorState error=e/> }.into_any(),
                    Ok(page) if page.rows.is_empty() => view! {
                        <EmptyState title=Signal::derive(t("orders.empty")) hint=Signal::derive(t("orders.empty_hint"))/>
                    }.into_any(),
                    Ok(page) => view! {
                        <OrdersTable rows=page.rows href="/orders" caption="orders.caption"/>
                        <Pager next=page.next base_query=query_string(&[("status", status())]) is_first=cursor().is_none()/>
                    }.into_any(),
                })}
            </Transition>
        </div>
    }
}

#[component]
pub fn BuyerOrderPage() -> impl IntoView {
    let number = number_param();
    let confirm = ServerAction::<ConfirmOrder>::new();
    let cancel = ServerAction::<CancelOrder>::new();
    let refresh = RwSignal::new(0u32);
    let notice = RwSignal::new(None::<&'static str>);
    for (value, done) in [(confirm.value(), "orders.confirm.done"), (cancel.value(), "orders.cancel.done")] {
        Effect::new(move |_| {
            if let Some(Ok(())) = value.get() {
                notice.set(Some(done));
                refresh.update(|n| *n += 1);
            }
        });
    }
    let order = Resource::new(move || (number(), refresh.get()), |(n, _)| get_my_order(n));
    view! {
        <Title text=title("orders.order_title")/>
        <div class="mx-auto max-w-6xl space-y-6">
            <nav aria-label="breadcrumb" class="text-sm"><a href="/orders" class="text-indigo-700 hover:underline">{t("orders.back_to_list")}</a></nav>
            <Done notice/>
            <Transition fallback=LoadingState>
                {move || order.get().map(|r| match r {
                    Err(AppError::Unauthenticated) => sign_in_redirect(format!("/orders/{}", number())),
                    Err(AppError::NotFound) => view! { <EmptyState title=Signal::derive(t("orders.not_found"))/> }.into_any(),
                    Err(e) => view! { <ErrorState error=e/> }.into_any(),
                    Ok(d) => {
                        let actions = (d.can_confirm() || d.can_cancel()).then(|| (d.number.clone(), d.can_confirm()));
                        view! {
                            <OrderBody d>
                                {actions.map(|(n, confirming)| view! { <BuyerActions number=n confirming confirm cancel/> })}
                                <crate::refunds::pages::OrderRefunds number=number() viewer_side="buyer"/>
                                <crate::disputes::components::OrderDisputeLink number=number() link_for=crate::disputes::components::LinkFor::Buyer/>
                            </OrderBody>
                        }.into_any()
                    }
                })}
            </Transition>
        </div>
    }
}

#[component]
fn BuyerActions(
    number: String,
    confirming: bool,
    confirm: ServerAction<ConfirmOrder>,
    cancel: ServerAction<CancelOrder>,
) -> impl IntoView {
    if confirming {
        let error = form_error(move || confirm.value().get());
        view! {
            <section class=CARD aria-labelledby="confirm-title">
                <h2 id="confirm-title" class=H2>{t("orders.confirm")}</h2>
                <p class="mt-1 text-sm text-slate-600">{t("orders.confirm_hint")}</p>
                <ActionForm action=confirm attr:class="mt-3 space-y-3" attr:data-testid="confirm-form">
                    <input type="hidden" name="number" value=number/>
                    <FormAlert error/>
                    <SubmitButton label="orders.confirm" pending=confirm.pending()/>
                </ActionForm>
            </section>
        }
        .into_any()
    } else {
        let error = form_error(move || cancel.value().get());
        view! {
            <section class=CARD aria-labelledby="cancel-title">
                <h2 id="cancel-title" class=H2>{t("orders.cancel")}</h2>
                <p class="mt-1 text-sm text-slate-600">{t("orders.cancel_hint")}</p>
                <ActionForm action=cancel attr:class="mt-3 space-y-3" attr:data-testid="cancel-form">
                    <input type="hidden" name="number" value=number/>
                    <FormAlert error/>
                    <SubmitButton label="orders.cancel" pending=cancel.pending() danger=true/>
                </ActionForm>
            </section>
        }
        .into_any()
    }
}

// ---------------------------------------------------------------------------------------------
// Seller

/// A signed-in user who is not a member of a seller.
#[component]
fn NotSeller() -> impl IntoView {
    view! {
        <section class=CARD data-testid="not-seller">
            <h2 class="text-lg font-semibold">{t("seller_center.not_seller_title")}</h2>
            <p class="mt-1 text-sm text-slate-600">{t("seller_center.not_seller_body")}</p>
        </section>
    }
}

#[component]
pub fn SellerOrdersPage() -> impl IntoView {
    let (status, cursor) = (query_param("status"), query_param("cursor"));
    let orders = Resource::new(move || (status(), cursor()), |(s, c)| list_seller_orders(s, c));
    view! {
        <Title text=title("orders.seller_title")/>
        <div class="mx-auto max-w-6xl space-y-4">
            <nav aria-label="breadcrumb" class="text-sm"><a href="/seller" class="text-indigo-700 hover:underline">{t("orders.back_to_seller")}</a></nav>
            <div class="flex flex-wrap items-end justify-between gap-4">
                <h1 class="text-2xl font-semibold tracking-tight">{t("orders.seller_title")}</h1>
                <StatusFilter action="/seller/orders" status/>
            </div>
            <Transition fallback=LoadingState>
                {move || orders.get().map(|r| match r {
                    Err(AppError::Unauthenticated) => sign_in_redirect("/seller/orders".into()),
                    Err(AppError::Forbidden) => view! { <NotSeller/> }.into_any(),
                    Err(e) => view! { <ErrorState error=e/> }.into_any(),
                    Ok(page) if page.rows.is_empty() => view! {
                        <EmptyState title=Signal::derive(t("orders.seller_empty")) hint=Signal::derive(t("orders.seller_empty_hint"))/>
                    }.into_any(),
                    Ok(page) => view! {
                        <OrdersTable rows=page.rows href="/seller/orders" caption="orders.seller_caption"/>
                        <Pager next=page.next base_query=query_string(&[("status", status())]) is_first=cursor().is_none()/>
                    }.into_any(),
                })}
            </Transition>
        </div>
    }
}

#[component]
pub fn SellerOrderPage() -> impl IntoView {
    let number = number_param();
    let ship = ServerAction::<ShipOrder>::new();
    let refresh = RwSignal::new(0u32);
    let notice = RwSignal::new(None::<&'static str>);
    Effect::new(move |_| {
        if let Some(Ok(())) = ship.value().get() {
            notice.set(Some("orders.ship.done"));
            refresh.update(|n| *n += 1);
        }
    });
    let order = Resource::new(move || (number(), refresh.get()), |(n, _)| get_seller_order(n));
    view! {
        <Title text=title("orders.order_title")/>
        <div class="mx-auto max-w-6xl space-y-6">
            <nav aria-label="breadcrumb" class="text-sm"><a href="/seller/orders" class="text-indigo-700 hover:underline">{t("orders.back_to_list")}</a></nav>
            <Done notice/>
            <Transition fallback=LoadingState>
                {move || order.get().map(|r| match r {
                    Err(AppError::Unauthenticated) => sign_in_redirect(format!("/seller/orders/{}", number())),
                    Err(AppError::Forbidden) => view! { <NotSeller/> }.into_any(),
                    Err(AppError::NotFound) => view! { <EmptyState title=Signal::derive(t("orders.not_found"))/> }.into_any(),
                    Err(e) => view! { <ErrorState error=e/> }.into_any(),
                    Ok(d) => {
                        let form = d.can_ship().then(|| d.number.clone());
                        view! {
                            <OrderBody d>
                                {form.map(|n| view! { <ShipForm number=n ship/> })}
                                <crate::refunds::pages::OrderRefunds number=number() viewer_side="seller"/>
                                <crate::disputes::components::OrderDisputeLink number=number() link_for=crate::disputes::components::LinkFor::Seller/>
                            </OrderBody>
                        }.into_any()
                    }
                })}
            </Transition>
        </div>
    }
}

#[component]
fn ShipForm(number: String, ship: ServerAction<ShipOrder>) -> impl IntoView {
    let lang = use_lang();
    let result = move || ship.value().get();
    let (carrier_err, name_err, tracking_err) =
        (field_error(result, "carrier"), field_error(result, "carrier_name"), field_error(result, "tracking_number"));
    let error = form_error(result);
    let carrier = RwSignal::new("sf".to_string());
    view! {
        <section class=CARD aria-labelledby="ship-title">
            <h2 id="ship-title" class=H2>{t("orders.ship")}</h2>
            <p class="mt-1 text-sm text-slate-600">{t("orders.ship_hint")}</p>
            <ActionForm action=ship attr:class="mt-3 space-y-3" attr:data-testid="ship-form">
                <input type="hidden" name="number" value=number/>
                <div class="space-y-1">
                    <label for="field-carrier" class=LABEL>{t("orders.ship.carrier")}</label>
                    <select id="field-carrier" name="carrier" class=INPUT
                        aria-invalid=move || carrier_err.get().is_some().to_string()
                        on:change=move |ev| carrier.set(event_target_value(&ev))>
                        {CARRIERS.into_iter().map(|c| view! {
                            <option value=c selected=move || carrier.get() == c>{move || translate(lang.get(), &format!("orders.carrier.{c}"))}</option>
                        }).collect_view()}
                    </select>
                    {move || carrier_err.get().map(|e| view! { <p class="text-sm text-red-600" data-testid="error-carrier">{e}</p> })}
                </div>
                <div class="space-y-1" class:hidden=move || carrier.get() != "other">
                    <label for="field-carrier_name" class=LABEL>{t("orders.ship.carrier_name")}</label>
                    <input id="field-carrier_name" name="carrier_name" type="text" maxlength="40" class=INPUT
                        aria-invalid=move || name_err.get().is_some().to_string()/>
                    {move || name_err.get().map(|e| view! { <p class="text-sm text-red-600" data-testid="error-carrier_name">{e}</p> })}
                </div>
                <div class="space-y-1">
                    <label for="field-tracking_number" class=LABEL>{t("orders.ship.tracking")}</label>
                    <input id="field-tracking_number" name="tracking_number" type="text" maxlength="40" required=true class=INPUT
                        autocomplete="off" aria-invalid=move || tracking_err.get().is_some().to_string()
                        aria-describedby="field-tracking_number-error"/>
                    {move || tracking_err.get().map(|e| view! { <p id="field-tracking_number-error" class="text-sm text-red-600" data-testid="error-tracking_number">{e}</p> })}
                </div>
                <FormAlert error/>
                <SubmitButton label="orders.ship.submit" pending=ship.pending()/>
            </ActionForm>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::label_or_raw;
    use crate::i18n::Lang;

    #[test]
    fn unknown_values_read_as_themselves() {
        assert_eq!(label_or_raw(Lang::En, "orders.status.", "paid"), "Paid, to ship");
        assert_eq!(label_or_raw(Lang::En, "orders.status.", "lost_at_sea"), "lost_at_sea");
    }
}
