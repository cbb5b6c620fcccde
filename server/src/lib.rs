//! The Agora server: configuration, the HTTP router with its middleware, the CLI's commands and the
//! background workers. `main.rs` only parses the command line.

pub mod cli;
pub mod config;
pub mod http;
pub mod readiness_cli;
pub mod startup;
pub mod telemetry;
