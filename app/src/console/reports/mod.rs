//! The trust & safety queue: buyers' reports and sellers' appeals.

pub mod pages;
