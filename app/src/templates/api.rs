//! Server functions of the template editor, all behind `templates.manage`. Saving is audited
//! (`templates.save`); a template that fails validation is refused with the problem next to its field.

use super::model::{MissingTemplate, Preview, TemplateDetail, TemplateListRow};
use crate::domain::page::Page;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::service;
#[cfg(feature = "ssr")]
use crate::domain::permissions::TEMPLATES_MANAGE;
#[cfg(feature = "ssr")]
use crate::domain::template::EmailTemplate;
#[cfg(feature = "ssr")]
use crate::platform::guard::require;

#[server(prefix = "/api", endpoint = "list_templates")]
pub async fn list_templates(event: Option<String>, cursor: Option<String>) -> Result<Page<TemplateListRow>, AppError> {
    let ctx = require(TEMPLATES_MANAGE).await?;
    service::list(&ctx.state, event.as_deref(), cursor.as_deref()).await
}

/// What no template exists for yet (the coverage view; launch readiness reads the same).
#[server(prefix = "/api", endpoint = "missing_templates")]
pub async fn missing_templates() -> Result<Vec<MissingTemplate>, AppError> {
    let ctx = require(TEMPLATES_MANAGE).await?;
    service::missing(&ctx.state).await
}

#[server(prefix = "/api", endpoint = "get_template")]
pub async fn get_template(id: i64) -> Result<TemplateDetail, AppError> {
    let ctx = require(TEMPLATES_MANAGE).await?;
    service::detail(&ctx.state, id).await
}

#[server(prefix = "/api", endpoint = "preview_template")]
pub async fn preview_template(
    id: i64,
    subject: String,
    body_text: String,
    body_html: String,
) -> Result<Preview, AppError> {
    let ctx = require(TEMPLATES_MANAGE).await?;
    service::preview(&ctx.state, id, &EmailTemplate { subject, text: body_text, html: body_html }).await
}

/// Saves a new version; returns its number.
#[server(prefix = "/api", endpoint = "save_template")]
pub async fn save_template(
    id: i64,
    subject: String,
    body_text: String,
    body_html: String,
    #[server(default)] enabled: Option<String>,
) -> Result<i64, AppError> {
    let ctx = require(TEMPLATES_MANAGE).await?;
    let t = EmailTemplate { subject, text: body_text, html: body_html };
    service::save(&ctx, id, &t, enabled.is_some()).await
}

#[server(prefix = "/api", endpoint = "restore_template")]
pub async fn restore_template(id: i64, version: i64) -> Result<i64, AppError> {
    let ctx = require(TEMPLATES_MANAGE).await?;
    service::restore(&ctx, id, version).await
}

/// Mails the current version, with sample values, to the caller's own address.
#[server(prefix = "/api", endpoint = "send_template_test")]
pub async fn send_template_test(id: i64) -> Result<(), AppError> {
    let ctx = require(TEMPLATES_MANAGE).await?;
    service::send_test(&ctx, id).await
}
