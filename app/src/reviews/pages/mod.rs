//! The pages of reviews, by audience.

pub mod console;
pub mod console_detail;
