//! The pages of reviews, by audience.

pub mod console;
mod console_detail;
