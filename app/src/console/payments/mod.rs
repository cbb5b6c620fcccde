//! The finance payments queue and the platform's bank account settings.

pub mod pages;
