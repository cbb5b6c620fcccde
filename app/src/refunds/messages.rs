// One message per line, as in every catalog: easier to scan and to diff than rustfmt's layout.
#[rustfmt::skip]
pub const MESSAGES: crate::i18n::Catalog = &[
    ("refunds.nav", "Refunds", "退款"),
];
