//! The pages of users, by audience.

pub mod console;
pub mod console_batch_ban;
pub mod console_contact;
pub mod console_create;
pub mod console_detail;
pub mod console_edit;
pub mod console_orders;
