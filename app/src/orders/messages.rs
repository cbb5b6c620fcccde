// One message per line, as in every catalog.
#[rustfmt::skip]
pub const MESSAGES: crate::i18n::Catalog = &[
    ("orders.not_paid", "This order has not been paid yet, so it cannot be shipped.", "该订单尚未付款，不能发货。"),
];
