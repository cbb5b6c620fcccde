//! The cart, the address book and checkout.

pub mod pages;
