//! A user's console page, "Orders": what they bought, newest first, each order linking to its
//! console page. Shown to operators who may read orders (`orders.view`).

use crate::components::{query_param, ListResult, NoneYet, Section};
use crate::domain::permissions::ORDERS_VIEW;
use crate::frame::console::shell::use_operator;
use crate::i18n::t;
use crate::orders::api::console_user_orders;
use crate::orders::pages::OrdersTable;
use leptos::prelude::*;

#[component]
pub fn UserOrders(user_id: i64) -> impl IntoView {
    if !use_operator().is_some_and(|v| v.can(ORDERS_VIEW)) {
        return view! { <Section id="user-orders-title" title=t("users.tab.orders")><NoneYet key="users.orders_hidden"/></Section> }
            .into_any();
    }
    let cursor = query_param("cursor");
    let orders = Resource::new(cursor, move |c| console_user_orders(user_id, c));
    view! {
        <ListResult resource=orders empty="users.no_orders" keep=&["tab"] let:rows>
            <OrdersTable rows href="/console/orders" caption="users.orders_caption"/>
        </ListResult>
    }
    .into_any()
}
