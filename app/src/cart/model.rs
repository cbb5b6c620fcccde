//! What the cart, address book and checkout pages show, shared by server and browser.

use crate::domain::address::Address;
use crate::domain::cart::Warning;
use crate::domain::money::Currency;
use crate::domain::payment::Provider;
use serde::{Deserialize, Serialize};

/// One line of a cart, with what is true about it now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartLine {
    /// The cart item's id (what quantity, selection and removal name).
    pub id: i64,
    pub variant_id: i64,
    pub listing_id: i64,
    pub title: String,
    /// The variant's option values, e.g. `Blue / M`; empty for a listing without options.
    pub variant_label: String,
    pub sku: String,
    pub image: Option<i64>,
    pub quantity: i64,
    pub selected: bool,
    /// The live price now.
    pub price_minor: i64,
    /// The price the buyer last saw (differs from `price_minor` after a price change).
    pub price_seen_minor: i64,
    pub stock: i64,
    pub warnings: Vec<Warning>,
}

impl CartLine {
    pub fn line_total(&self) -> i64 {
        self.price_minor.saturating_mul(self.quantity)
    }

    /// Whether the line may be checked out as it is (a price change needs accepting first).
    pub fn ready(&self) -> bool {
        self.warnings.is_empty()
    }
}

/// The lines of one seller.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SellerGroup {
    pub organisation_id: i64,
    pub seller_name: String,
    pub lines: Vec<CartLine>,
}

impl SellerGroup {
    /// The selected lines' total.
    pub fn selected_total(&self) -> i64 {
        self.lines.iter().filter(|l| l.selected).map(CartLine::line_total).sum()
    }

    pub fn has_selected(&self) -> bool {
        self.lines.iter().any(|l| l.selected)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartView {
    pub currency: Currency,
    /// Grouped by seller, in the order the first line of each was added.
    pub groups: Vec<SellerGroup>,
    /// The flat shipping fee per order (one order per seller).
    pub shipping_fee_minor: i64,
}

impl CartView {
    pub fn lines(&self) -> impl Iterator<Item = &CartLine> {
        self.groups.iter().flat_map(|g| g.lines.iter())
    }

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    pub fn selected_items_total(&self) -> i64 {
        self.groups.iter().map(SellerGroup::selected_total).sum()
    }

    /// One shipping fee per seller with a selected line.
    pub fn selected_shipping_total(&self) -> i64 {
        self.groups.iter().filter(|g| g.has_selected()).count() as i64 * self.shipping_fee_minor
    }

    pub fn selected_count(&self) -> i64 {
        self.lines().filter(|l| l.selected).map(|l| l.quantity).sum()
    }

    /// Something is selected and every selected line is ready.
    pub fn can_check_out(&self) -> bool {
        self.lines().any(|l| l.selected) && self.lines().filter(|l| l.selected).all(CartLine::ready)
    }
}

/// An address of the signed-in buyer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedAddress {
    pub id: i64,
    pub address: Address,
    pub is_default: bool,
}

impl SavedAddress {
    /// One line for lists: `Li Wei, 88 Jianguo Road, Beijing, CN`.
    pub fn summary(&self) -> String {
        let a = &self.address;
        [
            a.recipient.as_str(),
            a.line1.as_str(),
            a.line2.as_str(),
            a.city.as_str(),
            a.region.as_str(),
            a.postal_code.as_str(),
            a.country.as_str(),
        ]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
    }
}

/// What the checkout page shows: the selected lines per seller (each becomes an order), where to
/// ship, how to pay, and the idempotency key this rendering of the page submits with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckoutView {
    pub cart: CartView,
    pub addresses: Vec<SavedAddress>,
    pub providers: Vec<Provider>,
    pub idempotency_key: String,
}

impl CheckoutView {
    pub fn total(&self) -> i64 {
        self.cart.selected_items_total() + self.cart.selected_shipping_total()
    }
}

/// The contract's checkout answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckoutResult {
    pub checkout_id: i64,
    pub order_numbers: Vec<String>,
    pub total_minor: i64,
    pub payment_id: i64,
}

/// The message key of a payment provider's name.
pub fn provider_key(p: Provider) -> &'static str {
    match p {
        Provider::BankTransfer => "cart.provider.bank_transfer",
        Provider::Sandbox => "cart.provider.sandbox",
    }
}

pub fn provider_hint_key(p: Provider) -> &'static str {
    match p {
        Provider::BankTransfer => "cart.provider.bank_transfer_hint",
        Provider::Sandbox => "cart.provider.sandbox_hint",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(id: i64, qty: i64, price: i64, selected: bool, warnings: Vec<Warning>) -> CartLine {
        CartLine {
            id,
            variant_id: id,
            listing_id: id,
            title: "T".into(),
            variant_label: String::new(),
            sku: "S".into(),
            image: None,
            quantity: qty,
            selected,
            price_minor: price,
            price_seen_minor: price,
            stock: 10,
            warnings,
        }
    }

    #[test]
    fn totals_count_selected_lines_and_one_shipping_fee_per_seller() {
        let cart = CartView {
            currency: Currency::Usd,
            shipping_fee_minor: 500,
            groups: vec![
                SellerGroup {
                    organisation_id: 1,
                    seller_name: "A".into(),
                    lines: vec![line(1, 2, 1000, true, vec![]), line(2, 1, 300, false, vec![])],
                },
                SellerGroup { organisation_id: 2, seller_name: "B".into(), lines: vec![line(3, 1, 700, true, vec![])] },
                SellerGroup {
                    organisation_id: 3,
                    seller_name: "C".into(),
                    lines: vec![line(4, 1, 900, false, vec![])],
                },
            ],
        };
        assert_eq!(cart.selected_items_total(), 2700);
        assert_eq!(cart.selected_shipping_total(), 1000);
        assert_eq!(cart.selected_count(), 3);
        assert!(cart.can_check_out());
    }

    #[test]
    fn a_selected_line_with_a_warning_stops_checkout() {
        let cart = CartView {
            currency: Currency::Usd,
            shipping_fee_minor: 0,
            groups: vec![SellerGroup {
                organisation_id: 1,
                seller_name: "A".into(),
                lines: vec![line(1, 1, 100, true, vec![Warning::PriceChanged])],
            }],
        };
        assert!(!cart.can_check_out());
        let empty = CartView { groups: vec![], ..cart };
        assert!(!empty.can_check_out());
    }
}
