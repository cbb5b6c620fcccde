//! Commission rules: which version applies to an order line (here), and their management in the
//! console (pages and server functions, next to this).

#[cfg(feature = "ssr")]
pub mod resolve;
