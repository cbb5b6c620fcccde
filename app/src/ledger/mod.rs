//! The seller's balance (pending and available) and its history.

pub mod pages;
