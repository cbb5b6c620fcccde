//! The pages of the audit log (console only).

pub mod console;
