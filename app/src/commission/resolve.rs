//! Reading the active commission rules; `domain::commission::resolve` picks the one for a line and
//! checkout freezes it on the order line.

use crate::domain::commission::{resolve, ActiveRule, Rule, Scope};
use crate::error::{AppError, Context};
use sqlx::AnyConnection;

/// An active `commission_rules` row as stored; the scope is parsed by `rule`.
#[derive(sqlx::FromRow)]
struct ActiveRecord {
    id: i64,
    scope: String,
    scope_id: Option<i64>,
    rate_bps: i64,
    fixed_minor: i64,
    floor_minor: i64,
    cap_minor: Option<i64>,
}

impl ActiveRecord {
    fn rule(self) -> Result<ActiveRule, AppError> {
        let scope = Scope::parse(&self.scope)
            .ok_or_else(|| AppError::internal(format!("unknown commission scope {}", self.scope)))?;
        Ok(ActiveRule {
            id: self.id,
            scope,
            scope_id: self.scope_id,
            rule: Rule {
                rate_bps: self.rate_bps,
                fixed_minor: self.fixed_minor,
                floor_minor: self.floor_minor,
                cap_minor: self.cap_minor,
            },
        })
    }
}

/// Every active rule in `currency` (a handful: one per scope target).
pub async fn active_rules(conn: &mut AnyConnection, currency: &str) -> Result<Vec<ActiveRule>, AppError> {
    let records: Vec<ActiveRecord> = sqlx::query_as(
        "SELECT id, scope, scope_id, rate_bps, fixed_minor, floor_minor, cap_minor FROM commission_rules \
         WHERE status = 'active' AND currency = $1 ORDER BY id",
    )
    .bind(currency)
    .fetch_all(&mut *conn)
    .await
    .context("loading the active commission rules")?;
    records.into_iter().map(ActiveRecord::rule).collect()
}

/// The rule for a line sold by `organisation_id` in `category_id`. Without an active default rule
/// the platform is not ready to sell: checkout is refused (launch readiness reports it).
pub fn resolve_or_refuse(
    rules: &[ActiveRule],
    organisation_id: i64,
    category_id: Option<i64>,
) -> Result<ActiveRule, AppError> {
    resolve(rules, organisation_id, category_id).ok_or_else(|| AppError::conflict("checkout.no_commission_rule"))
}
