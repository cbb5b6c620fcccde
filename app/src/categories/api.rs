//! Reading the category tree: public (the storefront and the seller form need it).

use super::model::CategoryNode;
use crate::error::AppError;
use leptos::prelude::*;

/// Every category in tree order. `all` includes disabled ones (for the seller form, which shows
/// them greyed out); otherwise only browsable categories.
#[server(prefix = "/api", endpoint = "category_tree")]
pub async fn category_tree(#[server(default)] all: bool) -> Result<Vec<CategoryNode>, AppError> {
    let state = crate::platform::state::app_state()?;
    super::service::tree(&state, all).await
}
