//! Order pages by audience: `buyer` (`/orders`, `/orders/:number`), `seller` (`/seller/orders`...),
//! `console` (`/console/orders`...); `body` is what they share (the badge, the table, the order body).
mod body;
mod buyer;
pub mod console;
mod seller;

pub use body::{OrderBody, OrderStatusBadge, OrdersTable};
pub use buyer::{BuyerOrderPage, BuyerOrdersPage};
pub use seller::{SellerOrderPage, SellerOrdersPage};

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The `:number` of an order page.
fn number_param() -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || params.with(|p| p.get("number")).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use crate::components::label_or_raw;
    use crate::i18n::Lang;

    #[test]
    fn unknown_values_read_as_themselves() {
        assert_eq!(label_or_raw(Lang::En, "orders.status.", "paid"), "Paid, to ship");
        assert_eq!(label_or_raw(Lang::En, "orders.status.", "lost_at_sea"), "lost_at_sea");
    }
}
