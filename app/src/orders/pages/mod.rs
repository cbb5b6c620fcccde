//! Order pages by audience: `buyer` (`/orders`, `/orders/:number`), `seller` (`/seller/orders`...),
//! `console` (`/console/orders`...); `body` is what they share (the badge, the table, the order body).
mod body;
mod buyer;
pub mod console;
mod seller;

pub use body::{OrderBody, OrderStatusBadge, OrdersTable};
pub use buyer::{BuyerOrderPage, BuyerOrdersPage};
pub use seller::{SellerOrderPage, SellerOrdersPage};

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
