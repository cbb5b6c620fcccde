//! The commission console's queries and actions. Each action is one `Change`: the update and its
//! audit record commit together. Both take the audit chain's head lock first
//! (`Change::by_caller_serialised`): "one active version per scope" and "version numbers
//! never repeat" span many rows that no row lock covers, so on PostgreSQL two finance operators
//! acting on one scope must line up behind the head; SQLite's single writer serialises them anyway.

use super::model::{NewRule, RuleRow};
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::commission::Scope;
use crate::domain::page::{page_size, parse_id_cursor, Page};
use crate::domain::reason::Reason;
use crate::error::{AppError, Context};
use crate::platform::caller::{Caller, RequestMeta};
use crate::platform::change::{Audit, Change};
use crate::platform::sql::{after_id, order_limit, Order, Sql};
use crate::platform::state::AppState;
use serde_json::json;
use sqlx::AnyConnection;

const SELECT: &str =
    "SELECT r.id, r.scope, r.scope_id, r.version, r.rate_bps, r.fixed_minor, r.floor_minor, r.cap_minor, \
     r.currency, r.status, r.note, r.created_at, r.activated_at, r.retired_at, u.email AS created_by, \
     COALESCE(c.name_en, o.name, '') AS target_name FROM commission_rules r \
     JOIN users u ON u.id = r.created_by \
     LEFT JOIN categories c ON r.scope = 'category' AND c.id = r.scope_id \
     LEFT JOIN organisations o ON r.scope = 'seller' AND o.id = r.scope_id";

/// A `commission_rules` row as listed; the scope is parsed by `row`.
#[derive(sqlx::FromRow)]
struct RuleRecord {
    id: i64,
    scope: String,
    scope_id: Option<i64>,
    target_name: String,
    version: i64,
    rate_bps: i64,
    fixed_minor: i64,
    floor_minor: i64,
    cap_minor: Option<i64>,
    currency: String,
    status: String,
    note: String,
    created_by: String,
    created_at: i64,
    activated_at: Option<i64>,
    retired_at: Option<i64>,
}

impl RuleRecord {
    fn row(self) -> Result<RuleRow, AppError> {
        let scope = Scope::parse(&self.scope)
            .ok_or_else(|| AppError::internal(format!("unknown commission scope {}", self.scope)))?;
        Ok(RuleRow {
            id: self.id,
            scope,
            scope_id: self.scope_id,
            target_name: self.target_name,
            version: self.version,
            rate_bps: self.rate_bps,
            fixed_minor: self.fixed_minor,
            floor_minor: self.floor_minor,
            cap_minor: self.cap_minor,
            currency: self.currency,
            status: self.status,
            note: self.note,
            created_by: self.created_by,
            created_at_ms: self.created_at,
            activated_at_ms: self.activated_at,
            retired_at_ms: self.retired_at,
        })
    }
}

/// Newest first after `cursor`, optionally one scope and one status.
pub async fn list_rules(
    state: &AppState,
    scope: Option<Scope>,
    status: Option<&str>,
    cursor: Option<&str>,
) -> Result<Page<RuleRow>, AppError> {
    let size = page_size(None);
    let mut sql = Sql::new(state.db.backend, SELECT);
    sql.push(" WHERE 1 = 1");
    after_id(&mut sql, "r.id", Order::Desc, parse_id_cursor(cursor));
    if let Some(scope) = scope {
        sql.and_eq("r.scope", scope.as_str());
    }
    if let Some(status) = status.filter(|s| !s.is_empty()) {
        sql.and_eq("r.status", status);
    }
    order_limit(&mut sql, "r.id DESC", size);
    let records: Vec<RuleRecord> =
        sql.query_as().fetch_all(state.db.read()).await.context("listing commission rules")?;
    let rows = records.into_iter().map(RuleRecord::row).collect::<Result<Vec<_>, _>>()?;
    Ok(Page::from_overfetch(rows, size, |r| r.id.to_string()))
}

/// The scope's target exists: a category, or a seller organisation.
async fn check_target(conn: &mut AnyConnection, scope: Scope, scope_id: Option<i64>) -> Result<(), AppError> {
    let found: Option<i64> = match (scope, scope_id) {
        (Scope::Default, _) => return Ok(()),
        (Scope::Category, Some(id)) => sqlx::query_scalar("SELECT id FROM categories WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await
            .context("checking the category")?,
        (Scope::Seller, Some(id)) => {
            sqlx::query_scalar("SELECT id FROM organisations WHERE id = $1 AND kind = 'seller'")
                .bind(id)
                .fetch_optional(&mut *conn)
                .await
                .context("checking the seller")?
        }
        (_, None) => None,
    };
    found.map(|_| ()).ok_or_else(|| AppError::invalid("scope_id", "commission.target_unknown"))
}

/// Matches the rules of one scope target: `scope_id` is NULL for the default scope.
const SAME_SCOPE: &str = "scope = $1 AND currency = $2 AND ((scope_id IS NULL AND $3 = 0) OR scope_id = $3)";

fn rule_json(new: &NewRule) -> serde_json::Value {
    json!({
        "scope": new.scope.as_str(),
        "scope_id": new.scope_id,
        "rate_bps": new.rule.rate_bps,
        "fixed_minor": new.rule.fixed_minor,
        "floor_minor": new.rule.floor_minor,
        "cap_minor": new.rule.cap_minor,
    })
}

/// Creates a draft version, numbered after the scope target's latest.
pub async fn create_rule(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    new: &NewRule,
    note: &str,
) -> Result<i64, AppError> {
    let currency = state.settings().currency.code();
    let mut c = Change::by_caller_serialised(state, caller, meta).await?;
    let now = c.now_ms();
    check_target(c.conn(), new.scope, new.scope_id).await?;
    let version: i64 = sqlx::query_scalar(&format!(
        "SELECT CAST(COALESCE(MAX(version), 0) + 1 AS BIGINT) FROM commission_rules WHERE {SAME_SCOPE}"
    ))
    .bind(new.scope.as_str())
    .bind(currency)
    .bind(new.scope_id.unwrap_or(0))
    .fetch_one(c.conn())
    .await
    .context("numbering the commission version")?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO commission_rules (scope, scope_id, version, rate_bps, fixed_minor, floor_minor, cap_minor, \
         currency, status, note, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'draft', $9, $10, $11) RETURNING id",
    )
    .bind(new.scope.as_str())
    .bind(new.scope_id)
    .bind(version)
    .bind(new.rule.rate_bps)
    .bind(new.rule.fixed_minor)
    .bind(new.rule.floor_minor)
    .bind(new.rule.cap_minor)
    .bind(currency)
    .bind(note)
    .bind(caller.user_id)
    .bind(now)
    .fetch_one(c.conn())
    .await
    .context("creating the commission version")?;
    let mut after = rule_json(new);
    after["version"] = json!(version);
    after["status"] = json!("draft");
    c.audit(Audit::new(AuditAction::CommissionCreate, AuditTarget::CommissionRule(id)).after(after).reason(note))
        .await?;
    c.commit().await?;
    Ok(id)
}

/// Retires the scope target's active versions; returns their ids (for the audit entry).
async fn retire_active(
    conn: &mut AnyConnection,
    now: i64,
    scope: &str,
    scope_id: Option<i64>,
    currency: &str,
) -> Result<Vec<i64>, AppError> {
    let previous: Vec<i64> =
        sqlx::query_scalar(&format!("SELECT id FROM commission_rules WHERE {SAME_SCOPE} AND status = 'active'"))
            .bind(scope)
            .bind(currency)
            .bind(scope_id.unwrap_or(0))
            .fetch_all(&mut *conn)
            .await
            .context("loading the active commission version")?;
    sqlx::query(&format!(
        "UPDATE commission_rules SET status = 'retired', retired_at = $4 WHERE {SAME_SCOPE} AND status = 'active'"
    ))
    .bind(scope)
    .bind(currency)
    .bind(scope_id.unwrap_or(0))
    .bind(now)
    .execute(&mut *conn)
    .await
    .context("retiring the active commission version")?;
    Ok(previous)
}

/// Activates draft `id` and retires the scope target's active version, in one transaction.
/// Activating anything but a draft is a conflict (a second operator sees "already active").
pub async fn activate_rule(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    id: i64,
    reason: &Reason,
) -> Result<(), AppError> {
    let mut c = Change::by_caller_serialised(state, caller, meta).await?;
    let now = c.now_ms();
    let (scope, scope_id, currency, status, version): (String, Option<i64>, String, String, i64) =
        sqlx::query_as("SELECT scope, scope_id, currency, status, version FROM commission_rules WHERE id = $1")
            .bind(id)
            .fetch_optional(c.conn())
            .await
            .context("loading the commission version")?
            .ok_or(AppError::NotFound)?;
    match status.as_str() {
        "draft" => {}
        "active" => return Err(AppError::conflict("commission.already_active")),
        _ => return Err(AppError::conflict("commission.retired")),
    }
    let previous = retire_active(c.conn(), now, &scope, scope_id, &currency).await?;
    let updated = sqlx::query(
        "UPDATE commission_rules SET status = 'active', activated_by = $1, activated_at = $2 \
         WHERE id = $3 AND status = 'draft'",
    )
    .bind(caller.user_id)
    .bind(now)
    .bind(id)
    .execute(c.conn())
    .await
    .context("activating the commission version")?
    .rows_affected();
    if updated != 1 {
        return Err(AppError::conflict("commission.already_active"));
    }
    c.audit(
        Audit::new(AuditAction::CommissionActivate, AuditTarget::CommissionRule(id))
            .before(json!({"status": "draft", "active_versions_retired": previous}))
            .after(json!({"status": "active", "scope": scope, "scope_id": scope_id, "version": version}))
            .reason(reason.as_str()),
    )
    .await?;
    c.commit().await
}
