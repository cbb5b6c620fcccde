//! The trust & safety queue: buyers' reports and sellers' appeals (server functions and rules in
//! `crate::trust`).

pub mod detail;
pub mod pages;
