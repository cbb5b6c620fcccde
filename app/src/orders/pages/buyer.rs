//! The buyer's order pages: `/orders` (their orders, filtered by status) and `/orders/:number` (the
//! order with its timeline, payment and shipment, and the confirm/cancel actions).

use super::body::number_param;
use super::body::{status_options, OrderBody, OrdersTable};
use crate::components::form::form_error;
use crate::components::styles::{H1, LINK};
use crate::components::{
    query_param, signed_out_error, DetailResult, DoneNotice, FilterBar, FormAlert, ListResult, Section, SelectFilter,
    SubmitButton,
};
use crate::disputes::components::{LinkFor, OrderDisputeLink};
use crate::error::AppError;
use crate::i18n::{t, title};
use crate::orders::api::{get_my_order, list_my_orders, CancelOrder, ConfirmOrder};
use crate::refunds::pages::OrderRefunds;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn BuyerOrdersPage() -> impl IntoView {
    let (status, cursor) = (query_param("status"), query_param("cursor"));
    let orders = Resource::new(move || (status(), cursor()), |(s, c)| list_my_orders(s, c));
    view! {
        <Title text=title("orders.my_title")/>
        <div class="mx-auto max-w-6xl space-y-4">
            <h1 class=H1>{t("orders.my_title")}</h1>
            <FilterBar action="/orders" label="orders.filters" testid="order-filters">
                <SelectFilter name="status" label="orders.filter.status" all="orders.filter.all" options=status_options()/>
            </FilterBar>
            <ListResult resource=orders empty="orders.empty" empty_hint="orders.empty_hint" keep=&["status"]
                on_error=|e: AppError| signed_out_error("/orders".into(), e) let:rows>
                <OrdersTable rows href="/orders" caption="orders.caption"/>
            </ListResult>
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
            <nav aria-label="breadcrumb" class="text-sm"><a href="/orders" class=LINK>{t("orders.back_to_list")}</a></nav>
            <DoneNotice notice/>
            <DetailResult resource=order not_found="orders.not_found"
                on_error=move |e: AppError| signed_out_error(format!("/orders/{}", number()), e) let:d>
                {
                    let actions = (d.can_confirm() || d.can_cancel()).then(|| (d.number.clone(), d.can_confirm()));
                    view! {
                        <OrderBody d>
                            {actions.map(|(n, confirming)| view! { <BuyerActions number=n confirming confirm cancel/> })}
                            <OrderRefunds number=number() viewer_side="buyer"/>
                            <OrderDisputeLink number=number() link_for=LinkFor::Buyer/>
                        </OrderBody>
                    }
                }
            </DetailResult>
        </div>
    }
}

/// Confirm receipt (a shipped order) or cancel (an unpaid one).
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
            <ActionCard id="confirm-title" title="orders.confirm" hint="orders.confirm_hint">
                <ActionForm action=confirm attr:class="mt-3 space-y-3" attr:data-testid="confirm-form">
                    <input type="hidden" name="number" value=number/>
                    <FormAlert error/>
                    <SubmitButton label="orders.confirm" pending=confirm.pending()/>
                </ActionForm>
            </ActionCard>
        }
        .into_any()
    } else {
        let error = form_error(move || cancel.value().get());
        view! {
            <ActionCard id="cancel-title" title="orders.cancel" hint="orders.cancel_hint">
                <ActionForm action=cancel attr:class="mt-3 space-y-3" attr:data-testid="cancel-form">
                    <input type="hidden" name="number" value=number/>
                    <FormAlert error/>
                    <SubmitButton label="orders.cancel" pending=cancel.pending() danger=true/>
                </ActionForm>
            </ActionCard>
        }
        .into_any()
    }
}

/// A section with a heading and a one-line hint above its form.
#[component]
pub(super) fn ActionCard(
    id: &'static str,
    title: &'static str,
    hint: &'static str,
    children: Children,
) -> impl IntoView {
    view! {
        <Section id title=t(title)>
            <p class="mt-1 text-sm text-slate-600">{t(hint)}</p>
            {children()}
        </Section>
    }
}
