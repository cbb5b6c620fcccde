//! The storefront: home, category pages, search, product page and seller page.

pub mod pages;
