//! Structured logs through tracing: human-readable text, or one JSON object per line for collectors.

use tracing_subscriber::{fmt, EnvFilter};

pub fn init(filter: &str, format: &str) {
    let filter = EnvFilter::try_new(filter).unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = fmt().with_env_filter(filter).with_target(true);
    // A second init (tests start several servers in one process) is harmless: the first one wins.
    let _ = if format == "json" { builder.json().try_init() } else { builder.try_init() };
}
