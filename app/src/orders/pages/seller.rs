//! The seller's order pages: `/seller/orders` (overdue first, filtered by status) and
//! `/seller/orders/:number` (the order and the ship form).

use super::body::number_param;
use super::body::{status_options, OrderBody, OrdersTable};
use super::buyer::ActionCard;
use crate::components::form::{field_error, form_error};
use crate::components::styles::{H1, LINK};
use crate::components::{
    query_param, seller_error, DetailResult, DoneNotice, FilterBar, FormAlert, ListResult, SelectField, SelectFilter,
    SubmitButton, TextField,
};
use crate::disputes::components::{LinkFor, OrderDisputeLink};
use crate::domain::order::CARRIERS;
use crate::error::AppError;
use crate::i18n::{t, title};
use crate::orders::api::{get_seller_order, list_seller_orders, ShipOrder};
use crate::refunds::pages::OrderRefunds;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn SellerOrdersPage() -> impl IntoView {
    let (status, cursor) = (query_param("status"), query_param("cursor"));
    let orders = Resource::new(move || (status(), cursor()), |(s, c)| list_seller_orders(s, c));
    view! {
        <Title text=title("orders.seller_title")/>
        <div class="mx-auto max-w-6xl space-y-4">
            <nav aria-label="breadcrumb" class="text-sm"><a href="/seller" class=LINK>{t("orders.back_to_seller")}</a></nav>
            <h1 class=H1>{t("orders.seller_title")}</h1>
            <FilterBar action="/seller/orders" label="orders.filters" testid="order-filters">
                <SelectFilter name="status" label="orders.filter.status" all="orders.filter.all" options=status_options()/>
            </FilterBar>
            <ListResult resource=orders empty="orders.seller_empty" empty_hint="orders.seller_empty_hint" keep=&["status"]
                on_error=|e: AppError| seller_error("/seller/orders".into(), e) let:rows>
                <OrdersTable rows href="/seller/orders" caption="orders.seller_caption"/>
            </ListResult>
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
            <nav aria-label="breadcrumb" class="text-sm"><a href="/seller/orders" class=LINK>{t("orders.back_to_list")}</a></nav>
            <DoneNotice notice/>
            <DetailResult resource=order not_found="orders.not_found"
                on_error=move |e: AppError| seller_error(format!("/seller/orders/{}", number()), e) let:d>
                {
                    let form = d.can_ship().then(|| d.number.clone());
                    view! {
                        <OrderBody d>
                            {form.map(|n| view! { <ShipForm number=n ship/> })}
                            <OrderRefunds number=number() viewer_side="seller"/>
                            <OrderDisputeLink number=number() link_for=LinkFor::Seller/>
                        </OrderBody>
                    }
                }
            </DetailResult>
        </div>
    }
}

/// Carrier and tracking number; the carrier's name only for "other".
#[component]
fn ShipForm(number: String, ship: ServerAction<ShipOrder>) -> impl IntoView {
    let result = move || ship.value().get();
    let carrier = RwSignal::new(CARRIERS[0].to_string());
    let carriers = CARRIERS.into_iter().map(|c| (c, format!("orders.carrier.{c}"))).collect();
    view! {
        <ActionCard id="ship-title" title="orders.ship" hint="orders.ship_hint">
            <ActionForm action=ship attr:class="mt-3 space-y-3" attr:data-testid="ship-form">
                <input type="hidden" name="number" value=number/>
                // The select's change bubbles here: "other" shows the carrier's name field.
                <div on:change=move |ev| carrier.set(event_target_value(&ev))>
                    <SelectField label="orders.ship.carrier" name="carrier" options=carriers error=field_error(result, "carrier")/>
                </div>
                <div class:hidden=move || carrier.get() != "other">
                    <TextField label="orders.ship.carrier_name" name="carrier_name" maxlength=40 required=false
                        error=field_error(result, "carrier_name")/>
                </div>
                <TextField label="orders.ship.tracking" name="tracking_number" maxlength=40 autocomplete="off"
                    error=field_error(result, "tracking_number")/>
                <FormAlert error=form_error(result)/>
                <SubmitButton label="orders.ship.submit" pending=ship.pending()/>
            </ActionForm>
        </ActionCard>
    }
}
