//! The page's calls, by side: the seller center's server functions or the console's. One page
//! serves both; which endpoints it manages is decided by the server from who calls.

use super::super::api::*;
use super::super::model::{AttemptView, EndpointsView, SecretOnce};
use crate::domain::page::Page;
use crate::error::AppError;

/// Whose endpoints the page manages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The seller organisation's (its owner, `/seller/webhooks`).
    Seller,
    /// The platform's (`webhooks.manage`, `/console/webhooks`).
    Console,
}

/// What the endpoint form sends.
#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    pub url: String,
    pub description: String,
    pub event_types: Vec<String>,
}

pub async fn list(side: Side) -> Result<EndpointsView, AppError> {
    match side {
        Side::Seller => my_webhook_endpoints().await,
        Side::Console => console_webhook_endpoints().await,
    }
}

pub async fn create(side: Side, f: Form) -> Result<SecretOnce, AppError> {
    match side {
        Side::Seller => create_webhook_endpoint(f.url, f.description, f.event_types).await,
        Side::Console => console_create_webhook_endpoint(f.url, f.description, f.event_types).await,
    }
}

pub async fn update(side: Side, id: i64, f: Form) -> Result<(), AppError> {
    match side {
        Side::Seller => update_webhook_endpoint(id, f.url, f.description, f.event_types).await,
        Side::Console => console_update_webhook_endpoint(id, f.url, f.description, f.event_types).await,
    }
}

pub async fn set_enabled(side: Side, id: i64, enabled: bool) -> Result<(), AppError> {
    match side {
        Side::Seller => set_webhook_endpoint_enabled(id, enabled).await,
        Side::Console => console_set_webhook_endpoint_enabled(id, enabled).await,
    }
}

pub async fn delete(side: Side, id: i64) -> Result<(), AppError> {
    match side {
        Side::Seller => delete_webhook_endpoint(id).await,
        Side::Console => console_delete_webhook_endpoint(id).await,
    }
}

pub async fn rotate(side: Side, id: i64) -> Result<SecretOnce, AppError> {
    match side {
        Side::Seller => rotate_webhook_secret(id).await,
        Side::Console => console_rotate_webhook_secret(id).await,
    }
}

pub async fn send_test(side: Side, id: i64) -> Result<i64, AppError> {
    match side {
        Side::Seller => send_webhook_test(id).await,
        Side::Console => console_send_webhook_test(id).await,
    }
}

pub async fn attempts(side: Side, id: i64, cursor: Option<String>) -> Result<Page<AttemptView>, AppError> {
    match side {
        Side::Seller => webhook_attempts(id, cursor).await,
        Side::Console => console_webhook_attempts(id, cursor).await,
    }
}

pub async fn replay(side: Side, id: i64, outbox_id: i64) -> Result<(), AppError> {
    match side {
        Side::Seller => replay_webhook_message(id, outbox_id).await,
        Side::Console => console_replay_webhook_message(id, outbox_id).await,
    }
}

pub async fn replay_since(side: Side, id: i64, since: String) -> Result<u64, AppError> {
    match side {
        Side::Seller => replay_webhook_failed_since(id, since).await,
        Side::Console => console_replay_webhook_failed_since(id, since).await,
    }
}
