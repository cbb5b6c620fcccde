//! Console-wide server functions: the environment badge and the command center counts.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::domain::permissions::{
    AUDIT_VIEW, CONSOLE_VIEW, LISTINGS_VIEW, ORGANISATIONS_VIEW, REPORTS_VIEW, SELLERS_VIEW, USERS_VIEW,
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
    let scalar = |sql: &'static str| sqlx::query_scalar::<_, i64>(sql);
    let mut counts = vec![];
    if ctx.caller.can(USERS_VIEW) {
        let users = scalar("SELECT COUNT(*) FROM users").fetch_one(db).await?;
        let banned = scalar("SELECT COUNT(*) FROM users WHERE status = 'banned'").fetch_one(db).await?;
        let operators = scalar("SELECT COUNT(DISTINCT user_id) FROM user_roles").fetch_one(db).await?;
        counts.push(Count {
            label: "home.users_total".into(),
            value: users,
            href: "/console/users".into(),
            attention: false,
        });
        counts.push(Count {
            label: "home.users_banned".into(),
            value: banned,
            href: "/console/users?status=banned".into(),
            attention: false,
        });
        counts.push(Count {
            label: "home.operators".into(),
            value: operators,
            href: "/console/users?role=any".into(),
            attention: false,
        });
    }
    if ctx.caller.can(ORGANISATIONS_VIEW) {
        let orgs = scalar("SELECT COUNT(*) FROM organisations").fetch_one(db).await?;
        counts.push(Count {
            label: "home.organisations".into(),
            value: orgs,
            href: "/console/organisations".into(),
            attention: false,
        });
    }
    // The queues that wait on a decision come first in an operator's day.
    if ctx.caller.can(SELLERS_VIEW) {
        let waiting = scalar("SELECT COUNT(*) FROM organisations WHERE kind = 'seller' AND status = 'submitted'")
            .fetch_one(db)
            .await?;
        counts.push(Count {
            label: "home.sellers_waiting".into(),
            value: waiting,
            href: "/console/sellers?status=submitted".into(),
            attention: waiting > 0,
        });
    }
    if ctx.caller.can(LISTINGS_VIEW) {
        let pending =
            scalar("SELECT COUNT(*) FROM listing_versions WHERE status = 'pending_review'").fetch_one(db).await?;
        let overdue = sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM listing_versions WHERE status = 'pending_review' AND sla_due_at < $1",
        )
        .bind(now)
        .fetch_one(db)
        .await?;
        counts.push(Count {
            label: "home.reviews_pending".into(),
            value: pending,
            href: "/console/reviews".into(),
            attention: false,
        });
        counts.push(Count {
            label: "home.reviews_overdue".into(),
            value: overdue,
            href: "/console/reviews".into(),
            attention: overdue > 0,
        });
    }
    if ctx.caller.can(REPORTS_VIEW) {
        let open = scalar("SELECT COUNT(*) FROM reports WHERE status = 'open'").fetch_one(db).await?;
        counts.push(Count {
            label: "home.reports_open".into(),
            value: open,
            href: "/console/reports".into(),
            attention: open > 0,
        });
    }
    if ctx.caller.can(AUDIT_VIEW) {
        let pending = scalar("SELECT COUNT(*) FROM outbox WHERE status = 'pending'").fetch_one(db).await?;
        let failed = scalar("SELECT COUNT(*) FROM outbox WHERE status = 'failed'").fetch_one(db).await?;
        let recent = sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM audit_log WHERE at >= $1")
            .bind(now - 86_400_000)
            .fetch_one(db)
            .await?;
        counts.push(Count {
            label: "home.outbox_pending".into(),
            value: pending,
            href: "/console/audit".into(),
            attention: false,
        });
        counts.push(Count {
            label: "home.outbox_failed".into(),
            value: failed,
            href: "/console/audit".into(),
            attention: failed > 0,
        });
        counts.push(Count {
            label: "home.audit_24h".into(),
            value: recent,
            href: "/console/audit".into(),
            attention: false,
        });
    }
    Ok(Overview { counts })
}
