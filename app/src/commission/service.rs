//! The commission console's queries and actions. Each action is one transaction: the change and its
//! audit record commit together. Both take the audit chain's head lock first, so on PostgreSQL two
//! finance operators activating versions of one scope line up (one active version per scope) and
//! version numbers never repeat; SQLite's single writer serialises them anyway.

use super::model::{NewRule, RuleRow};
use crate::domain::commission::Scope;
use crate::domain::page::{page_size, parse_id_cursor, Page};
use crate::domain::reason::Reason;
use crate::error::AppError;
use crate::platform::audit_log::{self, Actor, AuditEntry};
use crate::platform::caller::{Caller, RequestMeta};
use crate::platform::state::AppState;
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

const SELECT: &str =
    "SELECT r.id, r.scope, r.scope_id, r.version, r.rate_bps, r.fixed_minor, r.floor_minor, r.cap_minor, \
     r.currency, r.status, r.note, r.created_at, r.activated_at, r.retired_at, u.email AS created_by, \
     COALESCE(c.name_en, o.name, '') AS target_name FROM commission_rules r \
     JOIN users u ON u.id = r.created_by \
     LEFT JOIN categories c ON r.scope = 'category' AND c.id = r.scope_id \
     LEFT JOIN organisations o ON r.scope = 'seller' AND o.id = r.scope_id";

fn row_of(r: &AnyRow) -> Result<RuleRow, AppError> {
    let scope: String = r.try_get("scope")?;
    Ok(RuleRow {
        id: r.try_get("id")?,
        scope: Scope::parse(&scope).ok_or_else(|| AppError::internal(format!("unknown commission scope {scope}")))?,
        scope_id: r.try_get("scope_id")?,
        target_name: r.try_get("target_name")?,
        version: r.try_get("version")?,
        rate_bps: r.try_get("rate_bps")?,
        fixed_minor: r.try_get("fixed_minor")?,
        floor_minor: r.try_get("floor_minor")?,
        cap_minor: r.try_get("cap_minor")?,
        currency: r.try_get("currency")?,
        status: r.try_get("status")?,
        note: r.try_get("note")?,
        created_by: r.try_get("created_by")?,
        created_at_ms: r.try_get("created_at")?,
        activated_at_ms: r.try_get("activated_at")?,
        retired_at_ms: r.try_get("retired_at")?,
    })
}

/// Newest first after `cursor`, optionally one scope and one status.
pub async fn list_rules(
    state: &AppState,
    scope: Option<Scope>,
    status: Option<&str>,
    cursor: Option<&str>,
) -> Result<Page<RuleRow>, AppError> {
    let size = page_size(None);
    let sql = format!(
        "{SELECT} WHERE r.id < $1 AND ($2 = '' OR r.scope = $2) AND ($3 = '' OR r.status = $3) ORDER BY r.id DESC LIMIT $4"
    );
    let rows = sqlx::query(&sql)
        .bind(parse_id_cursor(cursor).unwrap_or(i64::MAX))
        .bind(scope.map(Scope::as_str).unwrap_or(""))
        .bind(status.unwrap_or(""))
        .bind(size as i64 + 1)
        .fetch_all(state.db.read())
        .await?;
    let rows = rows.iter().map(row_of).collect::<Result<Vec<_>, _>>()?;
    Ok(Page::from_overfetch(rows, size, |r| r.id.to_string()))
}

async fn serialise_with_audited_writers(conn: &mut AnyConnection) -> Result<(), AppError> {
    sqlx::query("UPDATE audit_head SET seq = seq WHERE id = 1").execute(&mut *conn).await?;
    Ok(())
}

/// The scope's target exists: a category, or a seller organisation.
async fn check_target(conn: &mut AnyConnection, scope: Scope, scope_id: Option<i64>) -> Result<(), AppError> {
    let found: Option<i64> = match (scope, scope_id) {
        (Scope::Default, _) => return Ok(()),
        (Scope::Category, Some(id)) => {
            sqlx::query_scalar("SELECT id FROM categories WHERE id = $1").bind(id).fetch_optional(&mut *conn).await?
        }
        (Scope::Seller, Some(id)) => {
            sqlx::query_scalar("SELECT id FROM organisations WHERE id = $1 AND kind = 'seller'")
                .bind(id)
                .fetch_optional(&mut *conn)
                .await?
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
    let now = state.now_ms();
    let currency = state.settings.currency.code();
    let mut tx = state.db.begin().await?;
    serialise_with_audited_writers(&mut tx).await?;
    check_target(&mut tx, new.scope, new.scope_id).await?;
    let version: i64 = sqlx::query_scalar(&format!(
        "SELECT CAST(COALESCE(MAX(version), 0) + 1 AS BIGINT) FROM commission_rules WHERE {SAME_SCOPE}"
    ))
    .bind(new.scope.as_str())
    .bind(currency)
    .bind(new.scope_id.unwrap_or(0))
    .fetch_one(&mut *tx)
    .await?;
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
    .fetch_one(&mut *tx)
    .await?;
    let mut after = rule_json(new);
    after["version"] = json!(version);
    after["status"] = json!("draft");
    audit_log::record(
        &mut tx,
        &Actor::of(caller),
        meta,
        now,
        AuditEntry {
            action: "commission.create",
            target_type: "commission_rule",
            target_id: id.to_string(),
            before: json!(null),
            after,
            reason: note,
            result: "ok",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
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
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    serialise_with_audited_writers(&mut tx).await?;
    let row = sqlx::query("SELECT scope, scope_id, currency, status, version FROM commission_rules WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?;
    let status: String = row.try_get("status")?;
    match status.as_str() {
        "draft" => {}
        "active" => return Err(AppError::conflict("commission.already_active")),
        _ => return Err(AppError::conflict("commission.retired")),
    }
    let (scope, scope_id, currency, version): (String, Option<i64>, String, i64) =
        (row.try_get("scope")?, row.try_get("scope_id")?, row.try_get("currency")?, row.try_get("version")?);
    let previous: Vec<i64> =
        sqlx::query_scalar(&format!("SELECT id FROM commission_rules WHERE {SAME_SCOPE} AND status = 'active'"))
            .bind(&scope)
            .bind(&currency)
            .bind(scope_id.unwrap_or(0))
            .fetch_all(&mut *tx)
            .await?;
    sqlx::query(&format!(
        "UPDATE commission_rules SET status = 'retired', retired_at = $4 WHERE {SAME_SCOPE} AND status = 'active'"
    ))
    .bind(&scope)
    .bind(&currency)
    .bind(scope_id.unwrap_or(0))
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let updated = sqlx::query(
        "UPDATE commission_rules SET status = 'active', activated_by = $1, activated_at = $2 \
         WHERE id = $3 AND status = 'draft'",
    )
    .bind(caller.user_id)
    .bind(now)
    .bind(id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if updated != 1 {
        return Err(AppError::conflict("commission.already_active"));
    }
    audit_log::record(
        &mut tx,
        &Actor::of(caller),
        meta,
        now,
        AuditEntry {
            action: "commission.activate",
            target_type: "commission_rule",
            target_id: id.to_string(),
            before: json!({"status": "draft", "active_versions_retired": previous}),
            after: json!({"status": "active", "scope": scope, "scope_id": scope_id, "version": version}),
            reason: reason.as_str(),
            result: "ok",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
