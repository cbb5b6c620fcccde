//! The pages of categories (console only; buyers browse them in the storefront).

pub mod console;
