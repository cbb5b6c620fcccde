//! Server functions of webhooks. The seller center's (`*_webhook*`): the owner of the caller's seller
//! organisation (`SellerRight::ManageWebhooks`) manages its endpoints. The console's
//! (`console_*webhook*`): `webhooks.manage` manages the platform's endpoints. Each authorizes first,
//! fixes the scope from who called, then makes one service call.

use super::model::{AttemptView, EndpointsView, SecretOnce};
use crate::domain::page::Page;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::endpoints as service;
#[cfg(feature = "ssr")]
use crate::domain::permissions::WEBHOOKS_MANAGE;
#[cfg(feature = "ssr")]
use crate::domain::seller::SellerRight;
#[cfg(feature = "ssr")]
use crate::domain::webhook::Scope;
#[cfg(feature = "ssr")]
use crate::platform::caller::Ctx;
#[cfg(feature = "ssr")]
use crate::platform::guard::require;
#[cfg(feature = "ssr")]
use crate::platform::seller_access::require_seller;

/// The seller owner's context and the scope of their organisation's endpoints.
#[cfg(feature = "ssr")]
async fn seller_owner() -> Result<(Ctx, Scope), AppError> {
    let seller = require_seller(SellerRight::ManageWebhooks).await?;
    Ok((seller.ctx, Scope::Seller(seller.membership.organisation_id)))
}

/// The operator's context and the platform scope.
#[cfg(feature = "ssr")]
async fn operator() -> Result<(Ctx, Scope), AppError> {
    Ok((require(WEBHOOKS_MANAGE).await?, Scope::Platform))
}

/// `since` of the replay form (`YYYY-MM-DDTHH:MM`, UTC, from a datetime-local field) in Unix ms.
#[cfg(feature = "ssr")]
fn parse_since(since: &str) -> Result<i64, AppError> {
    crate::domain::webhook::parse_utc_minute(since).ok_or_else(|| AppError::invalid("since", "webhooks.since_invalid"))
}

#[server(prefix = "/api", endpoint = "my_webhook_endpoints")]
pub async fn my_webhook_endpoints() -> Result<EndpointsView, AppError> {
    let (ctx, scope) = seller_owner().await?;
    service::list(&ctx.state, scope).await
}

#[server(prefix = "/api", endpoint = "create_webhook_endpoint")]
pub async fn create_webhook_endpoint(
    url: String,
    #[server(default)] description: String,
    #[server(default)] event_types: Vec<String>,
) -> Result<SecretOnce, AppError> {
    let (ctx, scope) = seller_owner().await?;
    let input = service::parse_input(&ctx.state, scope, &url, &description, &event_types)?;
    service::check_host(&ctx.state, &input).await?;
    service::create(&ctx, scope, &input).await
}

#[server(prefix = "/api", endpoint = "update_webhook_endpoint")]
pub async fn update_webhook_endpoint(
    id: i64,
    url: String,
    #[server(default)] description: String,
    #[server(default)] event_types: Vec<String>,
) -> Result<(), AppError> {
    let (ctx, scope) = seller_owner().await?;
    let input = service::parse_input(&ctx.state, scope, &url, &description, &event_types)?;
    service::check_host(&ctx.state, &input).await?;
    service::update(&ctx, scope, id, &input).await
}

#[server(prefix = "/api", endpoint = "set_webhook_endpoint_enabled")]
pub async fn set_webhook_endpoint_enabled(id: i64, enabled: bool) -> Result<(), AppError> {
    let (ctx, scope) = seller_owner().await?;
    service::set_enabled(&ctx, scope, id, enabled).await
}

#[server(prefix = "/api", endpoint = "delete_webhook_endpoint")]
pub async fn delete_webhook_endpoint(id: i64) -> Result<(), AppError> {
    let (ctx, scope) = seller_owner().await?;
    service::delete(&ctx, scope, id).await
}

#[server(prefix = "/api", endpoint = "rotate_webhook_secret")]
pub async fn rotate_webhook_secret(id: i64) -> Result<SecretOnce, AppError> {
    let (ctx, scope) = seller_owner().await?;
    service::rotate(&ctx, scope, id).await
}

#[server(prefix = "/api", endpoint = "send_webhook_test")]
pub async fn send_webhook_test(id: i64) -> Result<i64, AppError> {
    let (ctx, scope) = seller_owner().await?;
    service::send_test(&ctx, scope, id).await
}

#[server(prefix = "/api", endpoint = "webhook_attempts")]
pub async fn webhook_attempts(
    id: i64,
    #[server(default)] cursor: Option<String>,
) -> Result<Page<AttemptView>, AppError> {
    let (ctx, scope) = seller_owner().await?;
    service::attempts(&ctx.state, scope, id, cursor.as_deref()).await
}

#[server(prefix = "/api", endpoint = "replay_webhook_message")]
pub async fn replay_webhook_message(id: i64, outbox_id: i64) -> Result<(), AppError> {
    let (ctx, scope) = seller_owner().await?;
    service::replay(&ctx, scope, id, outbox_id).await
}

#[server(prefix = "/api", endpoint = "replay_webhook_failed_since")]
pub async fn replay_webhook_failed_since(id: i64, since: String) -> Result<u64, AppError> {
    let (ctx, scope) = seller_owner().await?;
    let since = parse_since(&since)?;
    service::replay_since(&ctx, scope, id, since).await
}

#[server(prefix = "/api", endpoint = "console_webhook_endpoints")]
pub async fn console_webhook_endpoints() -> Result<EndpointsView, AppError> {
    let (ctx, scope) = operator().await?;
    service::list(&ctx.state, scope).await
}

#[server(prefix = "/api", endpoint = "console_create_webhook_endpoint")]
pub async fn console_create_webhook_endpoint(
    url: String,
    #[server(default)] description: String,
    #[server(default)] event_types: Vec<String>,
) -> Result<SecretOnce, AppError> {
    let (ctx, scope) = operator().await?;
    let input = service::parse_input(&ctx.state, scope, &url, &description, &event_types)?;
    service::check_host(&ctx.state, &input).await?;
    service::create(&ctx, scope, &input).await
}

#[server(prefix = "/api", endpoint = "console_update_webhook_endpoint")]
pub async fn console_update_webhook_endpoint(
    id: i64,
    url: String,
    #[server(default)] description: String,
    #[server(default)] event_types: Vec<String>,
) -> Result<(), AppError> {
    let (ctx, scope) = operator().await?;
    let input = service::parse_input(&ctx.state, scope, &url, &description, &event_types)?;
    service::check_host(&ctx.state, &input).await?;
    service::update(&ctx, scope, id, &input).await
}

#[server(prefix = "/api", endpoint = "console_set_webhook_endpoint_enabled")]
pub async fn console_set_webhook_endpoint_enabled(id: i64, enabled: bool) -> Result<(), AppError> {
    let (ctx, scope) = operator().await?;
    service::set_enabled(&ctx, scope, id, enabled).await
}

#[server(prefix = "/api", endpoint = "console_delete_webhook_endpoint")]
pub async fn console_delete_webhook_endpoint(id: i64) -> Result<(), AppError> {
    let (ctx, scope) = operator().await?;
    service::delete(&ctx, scope, id).await
}

#[server(prefix = "/api", endpoint = "console_rotate_webhook_secret")]
pub async fn console_rotate_webhook_secret(id: i64) -> Result<SecretOnce, AppError> {
    let (ctx, scope) = operator().await?;
    service::rotate(&ctx, scope, id).await
}

#[server(prefix = "/api", endpoint = "console_send_webhook_test")]
pub async fn console_send_webhook_test(id: i64) -> Result<i64, AppError> {
    let (ctx, scope) = operator().await?;
    service::send_test(&ctx, scope, id).await
}

#[server(prefix = "/api", endpoint = "console_webhook_attempts")]
pub async fn console_webhook_attempts(
    id: i64,
    #[server(default)] cursor: Option<String>,
) -> Result<Page<AttemptView>, AppError> {
    let (ctx, scope) = operator().await?;
    service::attempts(&ctx.state, scope, id, cursor.as_deref()).await
}

#[server(prefix = "/api", endpoint = "console_replay_webhook_message")]
pub async fn console_replay_webhook_message(id: i64, outbox_id: i64) -> Result<(), AppError> {
    let (ctx, scope) = operator().await?;
    service::replay(&ctx, scope, id, outbox_id).await
}

#[server(prefix = "/api", endpoint = "console_replay_webhook_failed_since")]
pub async fn console_replay_webhook_failed_since(id: i64, since: String) -> Result<u64, AppError> {
    let (ctx, scope) = operator().await?;
    let since = parse_since(&since)?;
    service::replay_since(&ctx, scope, id, since).await
}
