//! Users and organisations directory.

pub mod pages;
