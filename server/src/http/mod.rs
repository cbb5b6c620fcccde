//! Middleware and plain HTTP endpoints around the leptos app.

pub mod assets;
pub mod audit_export;
pub mod cache_control;
pub mod deadline;
pub mod dev_clock;
pub mod errors;
pub mod exports;
pub mod health;
pub mod maintenance;
pub mod metrics;
pub mod origin;
pub mod page_cache;
pub mod rate_limit;
pub mod request_id;
pub mod security_headers;
pub mod uploads;
pub mod viewer;
