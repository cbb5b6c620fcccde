//! The console's orders list and order detail.

pub mod pages;
