//! The pages of users, by audience.

pub mod console;
mod console_detail;
