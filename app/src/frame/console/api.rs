//! Console-wide server functions: the environment badge and the command center counts.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::domain::permissions::{
    AUDIT_VIEW, CONSOLE_VIEW, DELIVERY_VIEW, LISTINGS_VIEW, ORGANISATIONS_VIEW, REPORTS_VIEW, SELLERS_VIEW, USERS_VIEW,
};
#[cfg(feature = "ssr")]
use crate::platform::caller::require;

/// One number on the command center, shown only to those allowed to open what it counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Count {
    /// Message key of the label.
    pub label: String,
    pub value: i64,
    /// Where the number leads.
    pub href: String,
    /// Highlight when non-zero (something needs attention).
    pub attention: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Overview {
    pub counts: Vec<Count>,
}

/// Whether this is production, for the top bar's environment badge. Separate from the overview so
/// that every console page does not pay for the command center's counts.
#[server(prefix = "/api", endpoint = "console_environment")]
pub async fn console_environment() -> Result<bool, AppError> {
    let ctx = require(CONSOLE_VIEW).await?;
    Ok(ctx.state.settings.production)
}

#[server(prefix = "/api", endpoint = "console_overview")]
pub async fn console_overview() -> Result<Overview, AppError> {
    let ctx = require(CONSOLE_VIEW).await?;
    let db = ctx.state.db.read();
    let now = ctx.state.now_ms();
    let mut counts = vec![];
    if ctx.caller.can(USERS_VIEW) {
        counts.extend(overview::users(db).await?);
    }
    if ctx.caller.can(ORGANISATIONS_VIEW) {
        let orgs = overview::count(db, "SELECT COUNT(*) FROM organisations", None).await?;
        counts.push(Count::new("home.organisations", orgs, "/console/organisations", false));
    }
    // The queues that wait on a decision come first in an operator's day.
    if ctx.caller.can(SELLERS_VIEW) {
        let sql = "SELECT COUNT(*) FROM organisations WHERE kind = 'seller' AND status = 'submitted'";
        let waiting = overview::count(db, sql, None).await?;
        counts.push(Count::new("home.sellers_waiting", waiting, "/console/sellers?status=submitted", waiting > 0));
    }
    if ctx.caller.can(LISTINGS_VIEW) {
        counts.extend(overview::reviews(db, now).await?);
    }
    if ctx.caller.can(REPORTS_VIEW) {
        let open = overview::count(db, "SELECT COUNT(*) FROM reports WHERE status = 'open'", None).await?;
        counts.push(Count::new("home.reports_open", open, "/console/reports", open > 0));
    }
    if ctx.caller.can(DELIVERY_VIEW) {
        counts.extend(overview::delivery(&ctx.state).await?);
    }
    if ctx.caller.can(AUDIT_VIEW) {
        let sql = "SELECT COUNT(*) FROM audit_log WHERE at >= $1";
        let recent = overview::count(db, sql, Some(now - 86_400_000)).await?;
        counts.push(Count::new("home.audit_24h", recent, "/console/audit", false));
    }
    Ok(Overview { counts })
}

impl Count {
    pub fn new(label: &str, value: i64, href: &str, attention: bool) -> Count {
        Count { label: label.into(), value, href: href.into(), attention }
    }
}

/// The command center's numbers, a section at a time.
#[cfg(feature = "ssr")]
mod overview {
    use super::Count;
    use crate::error::{AppError, Context};
    use sqlx::AnyPool;

    /// One `COUNT(*)`, with at most one argument.
    pub async fn count(db: &AnyPool, sql: &'static str, arg: Option<i64>) -> Result<i64, AppError> {
        let q = sqlx::query_scalar::<_, i64>(sql);
        let q = match arg {
            Some(a) => q.bind(a),
            None => q,
        };
        q.fetch_one(db).await.context(sql)
    }

    pub async fn users(db: &AnyPool) -> Result<Vec<Count>, AppError> {
        let users = count(db, "SELECT COUNT(*) FROM users", None).await?;
        let banned = count(db, "SELECT COUNT(*) FROM users WHERE status = 'banned'", None).await?;
        let operators = count(db, "SELECT COUNT(DISTINCT user_id) FROM user_roles", None).await?;
        Ok(vec![
            Count::new("home.users_total", users, "/console/users", false),
            Count::new("home.users_banned", banned, "/console/users?status=banned", false),
            Count::new("home.operators", operators, "/console/users?role=any", false),
        ])
    }

    pub async fn reviews(db: &AnyPool, now: i64) -> Result<Vec<Count>, AppError> {
        let pending = count(db, "SELECT COUNT(*) FROM listing_versions WHERE status = 'pending_review'", None).await?;
        let overdue = count(
            db,
            "SELECT COUNT(*) FROM listing_versions WHERE status = 'pending_review' AND sla_due_at < $1",
            Some(now),
        )
        .await?;
        Ok(vec![
            Count::new("home.reviews_pending", pending, "/console/reviews", false),
            Count::new("home.reviews_overdue", overdue, "/console/reviews", overdue > 0),
        ])
    }

    /// The delivery desk's numbers: what waits, what keeps failing, what gave up in the last day.
    pub async fn delivery(state: &crate::platform::state::AppState) -> Result<Vec<Count>, AppError> {
        let c = crate::delivery::service::counters(state).await?;
        let gave_up = c.failed_24h + c.exhausted_24h;
        Ok(vec![
            Count::new("home.outbox_pending", c.pending, "/console/delivery?status=pending", false),
            Count::new("home.outbox_retrying", c.retrying, "/console/delivery?status=retrying", c.retrying > 0),
            Count::new("home.outbox_failed", gave_up, "/console/delivery?status=exhausted", gave_up > 0),
        ])
    }
}
