//! What buyer, seller and console order pages share: the status badge, the orders table and the
//! order body (header, lines and totals, deadlines, timeline, payment, shipment, address, postings).

use crate::components::styles::{
    BUTTON_PRIMARY, DANGER_BANNER, MUTED, ROW_LINK, TD, TD_LINE, TD_LINE_NUM, TH_LINE, TH_LINE_NUM,
};
use crate::components::{
    label_or_raw, BadgeGroup, DataTable, Field, Fields, RecordHeader, Section, StatusBadge, Time, Tone,
};
use crate::domain::money::{Currency, Money};
use crate::domain::order::OrderStatus;
use crate::i18n::{fill, t, translate, use_lang};
use crate::orders::model::{carrier_label, OrderDetail, OrderEvent, OrderRow, PostingLine, Viewer};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// What an order's state means to the reader (the kit draws the badge).
fn tone(status: &str) -> Tone {
    match OrderStatus::parse(status) {
        Some(OrderStatus::PendingPayment) => Tone::Warning,
        Some(OrderStatus::Paid) => Tone::Info,
        Some(OrderStatus::Shipped) => Tone::Progress,
        Some(OrderStatus::Completed) => Tone::Success,
        Some(OrderStatus::InDispute) => Tone::Danger,
        _ => Tone::Neutral,
    }
}

#[component]
pub fn OrderStatusBadge(status: String, #[prop(optional)] overdue: bool) -> impl IntoView {
    let lang = use_lang();
    let s = status.clone();
    view! {
        <BadgeGroup>
            <StatusBadge tone=tone(&status) testid="order-status" status=status.clone()
                label=move || label_or_raw(lang.get(), "orders.status.", &s)/>
            {overdue.then(|| view! { <StatusBadge tone=Tone::Urgent label=t("orders.overdue") testid="overdue-badge"/> })}
        </BadgeGroup>
    }
}

/// The status filter's choices: (value, message key).
pub(super) fn status_options() -> Vec<(&'static str, String)> {
    OrderStatus::ALL.into_iter().map(|s| (s.as_str(), format!("orders.status.{}", s.as_str()))).collect()
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
    let mut columns = vec!["orders.col.number", "orders.col.items", "orders.col.seller"];
    columns.extend(console.then_some("orders.col.buyer"));
    columns.extend(["orders.col.status", "orders.col.total", "orders.col.placed"]);
    view! {
        <DataTable caption columns testid="orders-table">
            {rows.into_iter().map(|o| {
                let total = o.total();
                let items = o.items;
                view! {
                    <tr class="hover:bg-slate-50" data-testid="order-row" data-number=o.number.clone()>
                        <td class=format!("{TD} whitespace-nowrap")>
                            <a href=format!("{href}/{}", o.number) class=format!("{ROW_LINK} font-mono")>{o.number.clone()}</a>
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
        </DataTable>
    }
}

/// Everything about an order but its actions: header, lines and totals, deadlines, timeline,
/// payment, shipment, address, and (console with the ledger) its postings. `children` go on top of
/// the side column (the actions of the page).
#[component]
pub fn OrderBody(d: OrderDetail, #[prop(optional)] children: Option<Children>) -> impl IntoView {
    let overdue_hint = d.overdue && d.viewer == Viewer::Seller;
    view! {
        <Header d=d.clone()/>
        {overdue_hint.then(|| view! { <p role="alert" class=DANGER_BANNER>{t("orders.overdue_hint")}</p> })}
        <div class="grid gap-6 lg:grid-cols-3">
            <div class="space-y-6 lg:col-span-2">
                <Lines d=d.clone()/>
                <History events=d.events.clone() console={d.viewer == Viewer::Console}/>
                {d.postings.clone().map(|p| view! { <Postings rows=p currency=d.currency/> })}
            </div>
            <div class="space-y-6">
                {children.map(|c| c())}
                <Deadlines d=d.clone()/>
                <Payment d=d.clone()/>
                <Shipment d=d.clone()/>
                <Address d/>
            </div>
        </div>
    }
}

#[component]
fn Header(d: OrderDetail) -> impl IntoView {
    let (status, overdue, total) = (d.status.clone(), d.overdue, d.money(d.total_minor));
    let (seller, buyer, email) = (d.seller_name.clone(), d.buyer_name.clone(), d.buyer_email.clone());
    view! {
        <RecordHeader id=d.number.clone() testid="order-number"
            subtitle=move || view! {
                {t("orders.placed")}" " <Time ms=d.created_at_ms/>" · "{t("orders.seller")}" "
                <span class="font-medium text-slate-700">{seller}</span>
                {buyer.map(|n| view! { " · "{t("orders.buyer")}" "<span class="font-medium text-slate-700">{n}</span> })}
                {email.map(|e| view! { " ("<span>{e}</span>")" })}
            }
            badge=move || view! { <OrderStatusBadge status overdue/> }>
            <p class="mt-1 text-xl font-semibold tabular-nums" data-testid="order-total">{total}</p>
        </RecordHeader>
    }
}

#[component]
fn Address(d: OrderDetail) -> impl IntoView {
    let a = d.address;
    view! {
        <Section id="address-title" title=t("orders.address")>
            <address class="mt-2 text-sm not-italic text-slate-700" data-testid="order-address">
                <p class="font-medium">{a.recipient.clone()}" · "{a.phone.clone()}</p>
                <p>{a.line1.clone()}</p>
                {(!a.line2.is_empty()).then(|| view! { <p>{a.line2.clone()}</p> })}
                <p>{a.city.clone()}" "{a.region.clone()}" "{a.postal_code.clone()}</p>
                <p>{a.country.clone()}</p>
            </address>
        </Section>
    }
}

#[component]
fn Lines(d: OrderDetail) -> impl IntoView {
    let private = d.commission_minor.is_some();
    let money = move |minor: i64| Money::new(minor, d.currency).display();
    view! {
        <Section id="lines-title" title=t("orders.lines")>
            <div class="mt-3 overflow-x-auto">
                <table class="min-w-full text-sm" data-testid="order-lines">
                    <thead>
                        <tr class="border-b border-slate-200">
                            <th scope="col" class=TH_LINE>{t("orders.line.item")}</th>
                            <th scope="col" class=TH_LINE_NUM>{t("orders.line.unit")}</th>
                            <th scope="col" class=TH_LINE_NUM>{t("orders.line.qty")}</th>
                            <th scope="col" class=TH_LINE_NUM>{t("orders.line.total")}</th>
                            {private.then(|| view! { <th scope="col" class=TH_LINE_NUM>{t("orders.line.commission")}</th> })}
                        </tr>
                    </thead>
                    <tbody class="divide-y divide-slate-100">
                        {d.lines.iter().map(|l| view! {
                            <tr data-testid="order-line">
                                <td class=TD_LINE>
                                    <a href=format!("/p/{}", l.listing_id) class="font-medium text-slate-900 hover:underline">{l.title.clone()}</a>
                                    {(!l.variant_label.is_empty()).then(|| view! { <span class="block text-xs text-slate-500">{l.variant_label.clone()}</span> })}
                                    {private.then(|| view! { <span class="block font-mono text-xs text-slate-400">{l.sku.clone()}</span> })}
                                </td>
                                <td class=TD_LINE_NUM>{money(l.unit_price_minor)}</td>
                                <td class=TD_LINE_NUM>{l.quantity}</td>
                                <td class=TD_LINE_NUM>{money(l.line_total_minor)}</td>
                                {l.commission_minor.map(|c| view! { <td class=format!("{TD_LINE_NUM} text-slate-500")>{money(c)}</td> })}
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <Fields>
                <Field label="orders.items_total"><span class="tabular-nums">{money(d.items_minor)}</span></Field>
                <Field label="orders.shipping"><span class="tabular-nums">{money(d.shipping_minor)}</span></Field>
                <Field label="orders.total"><span class="font-semibold tabular-nums">{money(d.total_minor)}</span></Field>
                {d.commission_minor.map(|c| view! {
                    <Field label="orders.commission"><span class="tabular-nums" data-testid="order-commission">{money(c)}</span></Field>
                    <Field label="orders.seller_net"><span class="tabular-nums">{money(d.total_minor - c)}</span></Field>
                })}
            </Fields>
        </Section>
    }
}

#[component]
fn Deadlines(d: OrderDetail) -> impl IntoView {
    let rows: Vec<(&'static str, i64)> = match d.status() {
        Some(OrderStatus::PendingPayment) => vec![("orders.pay_by", d.pay_by_ms)],
        Some(OrderStatus::Paid) => d.ship_by_ms.map(|s| vec![("orders.ship_by", s)]).unwrap_or_default(),
        Some(OrderStatus::Shipped) => d.complete_by_ms.map(|s| vec![("orders.complete_by", s)]).unwrap_or_default(),
        _ => vec![],
    };
    (!rows.is_empty()).then(|| {
        view! {
            <Section id="deadlines-title" title=t("orders.deadlines") testid="order-deadlines">
                <Fields>
                    {rows.into_iter().map(|(label, ms)| view! { <Field label><Time ms/></Field> }).collect_view()}
                </Fields>
            </Section>
        }
    })
}

#[component]
fn Payment(d: OrderDetail) -> impl IntoView {
    let lang = use_lang();
    let pay_link = (d.viewer == Viewer::Buyer && d.status() == Some(OrderStatus::PendingPayment))
        .then(|| format!("/checkout/{}/pay", d.checkout_id));
    let facts = match d.payment.clone() {
        None => view! { <p class=format!("mt-2 {MUTED}")>{t("orders.payment.none")}</p> }.into_any(),
        Some(p) => {
            let (provider, status) = (p.provider.clone(), p.status.clone());
            let amount = Money::new(p.amount_minor, d.currency).display();
            view! {
                <Fields>
                    <Field label="orders.payment.provider">{move || label_or_raw(lang.get(), "orders.payment.provider.", &provider)}</Field>
                    <Field label="orders.payment.status">
                        <span data-testid="payment-status" data-status=p.status.clone()>{move || label_or_raw(lang.get(), "orders.payment.status.", &status)}</span>
                    </Field>
                    <Field label="orders.payment.reference"><span class="font-mono">{p.reference.clone()}</span></Field>
                    <Field label="orders.payment.amount"><span class="tabular-nums">{amount}</span></Field>
                    {(!p.decision_reason.is_empty()).then(|| view! {
                        <Field label="orders.payment.reason"><span class="whitespace-pre-wrap">{p.decision_reason.clone()}</span></Field>
                    })}
                </Fields>
            }.into_any()
        }
    };
    view! {
        <Section id="payment-title" title=t("orders.payment") testid="order-payment">
            {facts}
            {pay_link.map(|href| view! { <a href=href data-testid="pay-now" class=format!("mt-3 {BUTTON_PRIMARY}")>{t("orders.payment.pay_now")}</a> })}
        </Section>
    }
}

#[component]
fn Shipment(d: OrderDetail) -> impl IntoView {
    let lang = use_lang();
    let (key, name) = carrier_label(&d.carrier);
    let facts = if d.carrier.is_empty() {
        view! { <p class=format!("mt-2 {MUTED}")>{t("orders.shipment.none")}</p> }.into_any()
    } else {
        view! {
            <Fields>
                <Field label="orders.shipment.carrier">
                    <span data-testid="shipment-carrier">{move || key.as_deref().map(|k| translate(lang.get(), k)).or_else(|| name.clone()).unwrap_or_default()}</span>
                </Field>
                <Field label="orders.shipment.tracking"><span class="font-mono" data-testid="shipment-tracking">{d.tracking_number.clone()}</span></Field>
                {d.shipped_at_ms.map(|ms| view! { <Field label="orders.event.ship"><Time ms/></Field> })}
            </Fields>
        }.into_any()
    };
    view! { <Section id="shipment-title" title=t("orders.shipment") testid="order-shipment">{facts}</Section> }
}

/// The order's own timeline: its events are order steps taken by a role (buyer, seller, system,
/// operator), not audit entries, so it is not the kit's audit `Timeline`.
#[component]
fn History(events: Vec<OrderEvent>, console: bool) -> impl IntoView {
    let lang = use_lang();
    let list = if events.is_empty() {
        view! { <p class=format!("mt-2 {MUTED}")>{t("orders.timeline.empty")}</p> }.into_any()
    } else {
        view! {
            <ol class="mt-3 space-y-3 border-l-2 border-slate-200 pl-4" data-testid="order-timeline">
                {events.into_iter().map(|e| {
                    let (action, role, note) = (e.action.clone(), e.actor_role.clone(), e.note.clone());
                    let note_text = move || if note.starts_with("orders.note.") { translate(lang.get(), &note) } else { note.clone() };
                    view! {
                        <li class="relative" data-testid="timeline-event" data-action=e.action.clone()>
                            <span aria-hidden="true" class="absolute -left-[1.4rem] top-1 h-3 w-3 rounded-full border-2 border-white bg-indigo-500"></span>
                            <p class="text-sm font-medium text-slate-900">{move || label_or_raw(lang.get(), "orders.event.", &action)}</p>
                            <p class="text-xs text-slate-500">
                                <Time ms=e.at_ms/>" · "{move || label_or_raw(lang.get(), "orders.actor.", &role)}
                                {console.then(|| e.actor.clone()).flatten().map(|a| view! { " ("{a}")" })}
                            </p>
                            {(!e.note.is_empty()).then(|| view! { <p class="mt-0.5 text-sm text-slate-600">{note_text}</p> })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        }.into_any()
    };
    view! { <Section id="timeline-title" title=t("orders.timeline")>{list}</Section> }
}

#[component]
fn Postings(rows: Vec<PostingLine>, currency: Currency) -> impl IntoView {
    let lang = use_lang();
    let list = if rows.is_empty() {
        view! { <p class=format!("mt-2 {MUTED}")>{t("orders.ledger.empty")}</p> }.into_any()
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
                            {p.entries.into_iter().map(|e| {
                                let (class, side) = if e.amount_minor < 0 {
                                    ("py-0.5 text-right tabular-nums text-slate-500", " Cr")
                                } else {
                                    ("py-0.5 text-right tabular-nums", " Dr")
                                };
                                view! {
                                    <tr>
                                        <td class="py-0.5 font-mono text-xs text-slate-600">{e.account}</td>
                                        <td class=class>{Money::new(e.amount_minor.abs(), currency).display()}{side}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }
        }).collect_view().into_any()
    };
    view! { <Section id="postings-title" title=t("orders.ledger") testid="order-postings">{list}</Section> }
}

/// The `:number` of an order page.
pub(super) fn number_param() -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || params.with(|p| p.get("number")).unwrap_or_default()
}
