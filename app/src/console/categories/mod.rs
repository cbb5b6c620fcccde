//! The category tree, managed by operations.

pub mod pages;
