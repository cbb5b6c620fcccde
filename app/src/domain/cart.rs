//! The cart's rules: quantities, and what a buyer must be warned about before checking out.

use serde::{Deserialize, Serialize};

pub const MAX_QUANTITY: i64 = 999;
pub const MAX_CART_LINES: usize = 100;

/// A quantity typed or sent by a buyer: 1 to 999, and not above `stock` when known.
pub fn parse_quantity(input: &str, stock: Option<i64>) -> Result<i64, &'static str> {
    let s = input.trim();
    if s.starts_with('-') {
        return Err("cart.quantity_positive");
    }
    let q: i64 = s.parse().map_err(|_| "cart.quantity_whole")?;
    if q <= 0 {
        return Err("cart.quantity_positive");
    }
    if q > MAX_QUANTITY {
        return Err("cart.quantity_too_large");
    }
    if let Some(stock) = stock {
        if q > stock {
            return Err("cart.beyond_stock");
        }
    }
    Ok(q)
}

/// What is true now about a cart line, read from the catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineNow {
    pub quantity: i64,
    pub price_seen_minor: i64,
    pub price_now_minor: i64,
    pub stock: i64,
    /// The listing is live and its seller active (the storefront visibility rule) and the SKU
    /// still sold.
    pub buyable: bool,
    pub seller_suspended: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Warning {
    PriceChanged,
    StockShort,
    OutOfStock,
    Unavailable,
    SellerSuspended,
}

impl Warning {
    pub fn code(self) -> &'static str {
        match self {
            Warning::PriceChanged => "cart.warn.price_changed",
            Warning::StockShort => "cart.warn.stock_short",
            Warning::OutOfStock => "cart.warn.out_of_stock",
            Warning::Unavailable => "cart.warn.unavailable",
            Warning::SellerSuspended => "cart.warn.seller_suspended",
        }
    }

    /// Whether the line may still be checked out (a price change only needs the buyer to see it).
    pub fn blocks_checkout(self) -> bool {
        self != Warning::PriceChanged
    }
}

pub fn warnings(line: &LineNow) -> Vec<Warning> {
    if line.seller_suspended {
        return vec![Warning::SellerSuspended];
    }
    if !line.buyable {
        return vec![Warning::Unavailable];
    }
    let mut out = vec![];
    if line.price_now_minor != line.price_seen_minor {
        out.push(Warning::PriceChanged);
    }
    if line.stock == 0 {
        out.push(Warning::OutOfStock);
    } else if line.quantity > line.stock {
        out.push(Warning::StockShort);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_are_whole_positive_and_bounded() {
        assert_eq!(parse_quantity("2", Some(5)), Ok(2));
        assert_eq!(parse_quantity("0", None), Err("cart.quantity_positive"));
        assert_eq!(parse_quantity("-1", None), Err("cart.quantity_positive"));
        assert_eq!(parse_quantity("1.5", None), Err("cart.quantity_whole"));
        assert_eq!(parse_quantity("1000", None), Err("cart.quantity_too_large"));
        assert_eq!(parse_quantity("6", Some(5)), Err("cart.beyond_stock"));
    }

    fn line() -> LineNow {
        LineNow {
            quantity: 2,
            price_seen_minor: 1000,
            price_now_minor: 1000,
            stock: 5,
            buyable: true,
            seller_suspended: false,
        }
    }

    #[test]
    fn a_good_line_has_no_warnings() {
        assert!(warnings(&line()).is_empty());
    }

    #[test]
    fn the_cart_warns_about_what_changed() {
        assert_eq!(warnings(&LineNow { price_now_minor: 1200, ..line() }), vec![Warning::PriceChanged]);
        assert_eq!(warnings(&LineNow { stock: 1, ..line() }), vec![Warning::StockShort]);
        assert_eq!(warnings(&LineNow { stock: 0, ..line() }), vec![Warning::OutOfStock]);
        assert_eq!(warnings(&LineNow { buyable: false, ..line() }), vec![Warning::Unavailable]);
        assert_eq!(
            warnings(&LineNow { seller_suspended: true, buyable: false, ..line() }),
            vec![Warning::SellerSuspended]
        );
        assert!(!Warning::PriceChanged.blocks_checkout());
        assert!(Warning::StockShort.blocks_checkout());
    }
}
