//! Audit log.

pub mod pages;
