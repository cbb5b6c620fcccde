//! Reading the active commission rules; `domain::commission::resolve` picks the one for a line and
//! checkout freezes it on the order line.

use crate::domain::commission::{resolve, ActiveRule, Rule, Scope};
use crate::error::AppError;
use sqlx::{AnyConnection, Row};

/// Every active rule in `currency` (a handful: one per scope target).
pub async fn active_rules(conn: &mut AnyConnection, currency: &str) -> Result<Vec<ActiveRule>, AppError> {
    let rows = sqlx::query(
        "SELECT id, scope, scope_id, rate_bps, fixed_minor, floor_minor, cap_minor FROM commission_rules \
         WHERE status = 'active' AND currency = $1 ORDER BY id",
    )
    .bind(currency)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let scope: String = r.try_get("scope")?;
            Ok(ActiveRule {
                id: r.try_get("id")?,
                scope: Scope::parse(&scope)
                    .ok_or_else(|| AppError::internal(format!("unknown commission scope {scope}")))?,
                scope_id: r.try_get("scope_id")?,
                rule: Rule {
                    rate_bps: r.try_get("rate_bps")?,
                    fixed_minor: r.try_get("fixed_minor")?,
                    floor_minor: r.try_get("floor_minor")?,
                    cap_minor: r.try_get("cap_minor")?,
                },
            })
        })
        .collect()
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
