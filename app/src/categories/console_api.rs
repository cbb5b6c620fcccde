//! Server functions that change the category tree. All need `categories.manage`.

use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::console_service as service;
#[cfg(feature = "ssr")]
use crate::domain::category::CategoryName;
#[cfg(feature = "ssr")]
use crate::domain::permissions::CATEGORIES_MANAGE;
#[cfg(feature = "ssr")]
use crate::platform::guard::require;

/// A form's parent select: empty means the top level.
#[cfg(feature = "ssr")]
fn parent_of(input: &str) -> Result<Option<i64>, AppError> {
    let s = input.trim();
    if s.is_empty() {
        return Ok(None);
    }
    s.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .map(Some)
        .ok_or_else(|| AppError::invalid("parent_id", "categories.no_parent"))
}

#[cfg(feature = "ssr")]
fn name_of(en: &str, zh: &str, slug: &str) -> Result<CategoryName, AppError> {
    CategoryName::parse(en, zh, slug).map_err(|(field, code)| AppError::invalid(field, code))
}

/// Creates a category (enabled) at the end of its parent's children. Returns its id.
#[server(prefix = "/api", endpoint = "create_category")]
pub async fn create_category(
    name_en: String,
    name_zh: String,
    #[server(default)] slug: String,
    #[server(default)] parent_id: String,
) -> Result<i64, AppError> {
    let ctx = require(CATEGORIES_MANAGE).await?;
    let name = name_of(&name_en, &name_zh, &slug)?;
    let parent = parent_of(&parent_id)?;
    service::create(&ctx, &name, parent).await
}

#[server(prefix = "/api", endpoint = "rename_category")]
pub async fn rename_category(
    id: i64,
    name_en: String,
    name_zh: String,
    #[server(default)] slug: String,
) -> Result<(), AppError> {
    let ctx = require(CATEGORIES_MANAGE).await?;
    let name = name_of(&name_en, &name_zh, &slug)?;
    service::rename(&ctx, id, &name).await
}

/// Moves a category (with its subtree) under another parent, or to the top level.
#[server(prefix = "/api", endpoint = "move_category")]
pub async fn move_category(id: i64, #[server(default)] parent_id: String) -> Result<(), AppError> {
    let ctx = require(CATEGORIES_MANAGE).await?;
    let parent = parent_of(&parent_id)?;
    service::move_to(&ctx, id, parent).await
}

/// Disables a category: its listings, and those of every category below it, leave browse at once.
#[server(prefix = "/api", endpoint = "disable_category")]
pub async fn disable_category(id: i64) -> Result<(), AppError> {
    let ctx = require(CATEGORIES_MANAGE).await?;
    service::set_enabled(&ctx, id, false).await
}

#[server(prefix = "/api", endpoint = "enable_category")]
pub async fn enable_category(id: i64) -> Result<(), AppError> {
    let ctx = require(CATEGORIES_MANAGE).await?;
    service::set_enabled(&ctx, id, true).await
}
