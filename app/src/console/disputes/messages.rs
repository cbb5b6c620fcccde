// One message per line, as in every catalog: easier to scan and to diff than rustfmt's layout.
#[rustfmt::skip]
pub const MESSAGES: crate::i18n::Catalog = &[
    ("console_disputes.title", "Disputes", "纠纷"),
];
