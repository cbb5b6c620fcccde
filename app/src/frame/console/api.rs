//! Console-wide server functions: the environment badge. The command center's are in
//! `crate::command_center`.

use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::domain::permissions::CONSOLE_VIEW;
#[cfg(feature = "ssr")]
use crate::platform::guard::require;

/// Whether this is production, for the top bar's environment badge. Separate from the command
/// center's server functions so that every console page does not pay for its counts.
#[server(prefix = "/api", endpoint = "console_environment")]
pub async fn console_environment() -> Result<bool, AppError> {
    let ctx = require(CONSOLE_VIEW).await?;
    Ok(ctx.state.settings().production)
}
