//! The listing review queue: counters, filters, automated-check evidence, decisions.

pub mod pages;
