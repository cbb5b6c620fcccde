//! Trust & safety's queries and decisions. Each mutation is one transaction: the change, its audit
//! records and its notifications commit together or not at all.
//!
//! Lock order of a decision (PostgreSQL; SQLite's single writer serialises anyway): the target's
//! organisation row, then the listing row, then the case rows. Every decision takes the organisation
//! first, so two operators deciding cases about the same seller line up instead of deadlocking, and
//! the second one reads the state the first one left.

use super::model::{
    excerpt, AppealContext, AppealLine, QueueCursor, ReportCounters, ReportDetail, ReportFilter, ReportRow,
    TargetState, RELATED_SHOWN, REPORTS_PER_DAY,
};
use crate::domain::listing::{ListingAction, ListingStatus};
use crate::domain::page::{page_size, Page};
use crate::domain::reason::Reason;
use crate::domain::report::{ReportCategory, ReportDecisionError, ReportKind, ReportStatus, ReportTarget, Resolution};
use crate::domain::seller::SellerAction;
use crate::error::AppError;
use crate::platform::audit_log::{self, Actor, AuditEntry};
use crate::platform::caller::{Caller, RequestMeta};
use crate::platform::outbox::{self, OutboxEvent};
use crate::platform::search_index;
use crate::platform::state::AppState;
use serde_json::json;
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::{Any, AnyConnection, Row};

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// The columns of a queue row. `open_on_target` counts open buyer reports on the same target through
/// the `reports_target` index.
const ROW_SELECT: &str = "SELECT r.id, r.kind, r.target_type, r.target_id, r.target_organisation_id, r.category, \
     SUBSTR(r.body, 1, 400) AS body_start, r.status, r.resolution, r.created_at, \
     u.display_name AS reporter_name, u.email AS reporter_email, o.name AS org_name, l.title AS listing_title, \
     (SELECT COUNT(*) FROM reports x WHERE x.target_type = r.target_type AND x.target_id = r.target_id \
      AND x.kind = 'report' AND x.status = 'open') AS open_on_target \
     FROM reports r JOIN users u ON u.id = r.reporter_id \
     JOIN organisations o ON o.id = r.target_organisation_id \
     LEFT JOIN listings l ON r.target_type = 'listing' AND l.id = r.target_id";

enum Arg {
    Int(i64),
    Text(String),
}

/// SQL assembled from optional filters, numbering its `$n` placeholders as arguments are added.
struct Sql {
    text: String,
    args: Vec<Arg>,
}

impl Sql {
    fn new(text: &str) -> Sql {
        Sql { text: text.to_string(), args: vec![] }
    }

    fn arg(&mut self, arg: Arg) -> String {
        self.args.push(arg);
        format!("${}", self.args.len())
    }

    fn push(&mut self, sql: &str) {
        self.text.push_str(sql);
    }

    fn query(&self) -> sqlx::query::Query<'_, Any, AnyArguments<'_>> {
        self.args.iter().fold(sqlx::query(&self.text), |q, a| match a {
            Arg::Int(i) => q.bind(*i),
            Arg::Text(s) => q.bind(s.clone()),
        })
    }
}

#[track_caller]
fn corrupt(what: &str, value: &str) -> AppError {
    AppError::internal(format!("report row with an unknown value: what={what} value={value}"))
}

fn parse_col<T>(r: &AnyRow, col: &str, parse: impl Fn(&str) -> Option<T>) -> Result<T, AppError> {
    let s: String = r.try_get(col)?;
    parse(&s).ok_or_else(|| corrupt(col, &s))
}

fn row_from(r: &AnyRow) -> Result<ReportRow, AppError> {
    let target = parse_col(r, "target_type", ReportTarget::parse)?;
    let org_name: String = r.try_get("org_name")?;
    let listing_title: Option<String> = r.try_get("listing_title")?;
    let resolution: String = r.try_get("resolution")?;
    let body: String = r.try_get("body_start")?;
    Ok(ReportRow {
        id: r.try_get("id")?,
        kind: parse_col(r, "kind", ReportKind::parse)?,
        target,
        target_id: r.try_get("target_id")?,
        target_label: match target {
            ReportTarget::Listing => listing_title.unwrap_or_default(),
            ReportTarget::Seller => org_name.clone(),
        },
        organisation_id: r.try_get("target_organisation_id")?,
        organisation_name: org_name,
        category: parse_col(r, "category", ReportCategory::parse)?,
        excerpt: excerpt(&body),
        reporter_name: r.try_get("reporter_name")?,
        reporter_email: r.try_get("reporter_email")?,
        status: parse_col(r, "status", ReportStatus::parse)?,
        resolution: Resolution::parse(&resolution),
        created_at_ms: r.try_get("created_at")?,
        open_on_target: r.try_get("open_on_target")?,
    })
}

fn push_filters(sql: &mut Sql, filter: &ReportFilter) {
    if let Some(kind) = filter.kind {
        let p = sql.arg(Arg::Text(kind.as_str().into()));
        sql.push(&format!(" AND r.kind = {p}"));
    }
    if let Some(target) = filter.target {
        let p = sql.arg(Arg::Text(target.as_str().into()));
        sql.push(&format!(" AND r.target_type = {p}"));
    }
    if let Some(id) = filter.target_id {
        let p = sql.arg(Arg::Int(id));
        sql.push(&format!(" AND r.target_id = {p}"));
    }
    if let Some(category) = filter.category {
        let p = sql.arg(Arg::Text(category.as_str().into()));
        sql.push(&format!(" AND r.category = {p}"));
    }
}

/// Up to `limit` rows of one phase of the queue: open cases oldest first after `after`, or decided
/// ones newest first before `before`.
async fn queue_phase(
    state: &AppState,
    filter: &ReportFilter,
    status: ReportStatus,
    from: i64,
    limit: i64,
) -> Result<Vec<ReportRow>, AppError> {
    let mut sql = Sql::new(ROW_SELECT);
    let p = sql.arg(Arg::Text(status.as_str().into()));
    sql.push(&format!(" WHERE r.status = {p}"));
    let (cmp, order) = match status {
        ReportStatus::Open => (">", "ASC"),
        ReportStatus::Resolved => ("<", "DESC"),
    };
    let p = sql.arg(Arg::Int(from));
    sql.push(&format!(" AND r.id {cmp} {p}"));
    push_filters(&mut sql, filter);
    let p = sql.arg(Arg::Int(limit));
    sql.push(&format!(" ORDER BY r.id {order} LIMIT {p}"));
    sql.query().fetch_all(state.db.read()).await?.iter().map(row_from).collect()
}

/// The queue: open cases first (oldest first), then decided ones (newest first), keyset-paged across
/// both phases.
pub async fn list_reports(
    state: &AppState,
    filter: &ReportFilter,
    cursor: Option<&str>,
) -> Result<Page<ReportRow>, AppError> {
    let size = page_size(None);
    let want = size as i64 + 1;
    let cursor = QueueCursor::parse(cursor);
    let mut rows = vec![];
    let open_allowed = filter.status != Some(ReportStatus::Resolved);
    let done_allowed = filter.status != Some(ReportStatus::Open);
    let mut done_from = i64::MAX;
    match cursor {
        QueueCursor::Start | QueueCursor::AfterOpen(_) if open_allowed => {
            let from = if let QueueCursor::AfterOpen(id) = cursor { id } else { 0 };
            rows = queue_phase(state, filter, ReportStatus::Open, from, want).await?;
        }
        QueueCursor::AfterDone(id) => done_from = id,
        _ => {}
    }
    if done_allowed && (rows.len() as i64) < want {
        let more = queue_phase(state, filter, ReportStatus::Resolved, done_from, want - rows.len() as i64).await?;
        rows.extend(more);
    }
    Ok(Page::from_overfetch(rows, size, QueueCursor::of))
}

pub async fn counters(state: &AppState) -> Result<ReportCounters, AppError> {
    let r = sqlx::query(
        "SELECT \
         (SELECT COUNT(*) FROM reports WHERE status = 'open' AND kind = 'report') AS open_reports, \
         (SELECT COUNT(*) FROM reports WHERE status = 'open' AND kind = 'appeal') AS open_appeals, \
         (SELECT COUNT(*) FROM (SELECT target_type, target_id FROM reports WHERE status = 'open' \
          AND kind = 'report' GROUP BY target_type, target_id) t) AS reported_targets, \
         (SELECT COUNT(*) FROM (SELECT target_type, target_id FROM reports WHERE status = 'open' \
          AND kind = 'report' GROUP BY target_type, target_id HAVING COUNT(*) > 1) t2) AS repeated_targets",
    )
    .fetch_one(state.db.read())
    .await?;
    Ok(ReportCounters {
        open_reports: r.try_get("open_reports")?,
        open_appeals: r.try_get("open_appeals")?,
        reported_targets: r.try_get("reported_targets")?,
        repeated_targets: r.try_get("repeated_targets")?,
    })
}

pub async fn get_report(state: &AppState, id: i64) -> Result<ReportDetail, AppError> {
    let db = state.db.read();
    let r = sqlx::query(&format!("{ROW_SELECT} WHERE r.id = $1"))
        .bind(id)
        .fetch_optional(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let row = row_from(&r)?;
    let extra = sqlx::query(
        "SELECT r.body, r.decided_at, r.decision_reason, r.appeal_of, d.email AS decided_by FROM reports r \
         LEFT JOIN users d ON d.id = r.decided_by WHERE r.id = $1",
    )
    .bind(id)
    .fetch_one(db)
    .await?;
    let target_state = match row.target {
        ReportTarget::Listing => sqlx::query(
            "SELECT l.status, l.status_reason, o.status AS org_status FROM listings l \
             JOIN organisations o ON o.id = l.organisation_id WHERE l.id = $1",
        )
        .bind(row.target_id)
        .fetch_optional(db)
        .await?
        .map(|t| -> Result<TargetState, AppError> {
            Ok(TargetState {
                status: t.try_get("status")?,
                status_reason: t.try_get("status_reason")?,
                organisation_status: t.try_get("org_status")?,
            })
        })
        .transpose()?,
        ReportTarget::Seller => {
            let status: Option<String> = sqlx::query_scalar("SELECT status FROM organisations WHERE id = $1")
                .bind(row.target_id)
                .fetch_optional(db)
                .await?;
            status.map(|s| TargetState { status: s.clone(), status_reason: String::new(), organisation_status: s })
        }
    };
    let related = sqlx::query(&format!(
        "{ROW_SELECT} WHERE r.target_type = $1 AND r.target_id = $2 AND r.id <> $3 ORDER BY r.id DESC LIMIT $4"
    ))
    .bind(row.target.as_str())
    .bind(row.target_id)
    .bind(id)
    .bind(RELATED_SHOWN)
    .fetch_all(db)
    .await?
    .iter()
    .map(row_from)
    .collect::<Result<Vec<_>, _>>()?;
    Ok(ReportDetail {
        row,
        body: extra.try_get("body")?,
        decided_at_ms: extra.try_get("decided_at")?,
        decided_by: extra.try_get("decided_by")?,
        decision_reason: extra.try_get("decision_reason")?,
        appeal_of: extra.try_get("appeal_of")?,
        target_state,
        related,
    })
}

// ---------------------------------------------------------------------------------------------------
// Filing reports and appeals.

/// The organisation of a target buyers can see now (the storefront's visibility rule), if any.
async fn visible_target_org(state: &AppState, target: ReportTarget, id: i64) -> Result<Option<i64>, AppError> {
    let sql = match target {
        ReportTarget::Listing => {
            "SELECT l.organisation_id FROM listings l JOIN organisations o ON o.id = l.organisation_id \
             LEFT JOIN categories c ON c.id = l.category_id \
             WHERE l.id = $1 AND l.status IN ('active', 'sold_out') AND o.status = 'active' \
             AND (l.category_id IS NULL OR c.browsable = 1)"
        }
        ReportTarget::Seller => "SELECT id FROM organisations WHERE id = $1 AND kind = 'seller' AND status = 'active'",
    };
    Ok(sqlx::query_scalar(sql).bind(id).fetch_optional(state.db.read()).await?)
}

async fn belongs_to(state: &AppState, user_id: i64, org_id: i64) -> Result<bool, AppError> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM organisations o WHERE o.id = $1 AND (o.owner_user_id = $2 OR EXISTS \
         (SELECT 1 FROM organisation_members m WHERE m.organisation_id = o.id AND m.user_id = $2))",
    )
    .bind(org_id)
    .bind(user_id)
    .fetch_one(state.db.read())
    .await?;
    Ok(n > 0)
}

/// A buyer's report. Refused: a target buyers cannot see (404), one's own listing or seller, a
/// second report of the same target, more than `REPORTS_PER_DAY` in a day.
#[allow(clippy::too_many_arguments)]
pub async fn file_report(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    target: ReportTarget,
    target_id: i64,
    category: ReportCategory,
    body: &str,
) -> Result<i64, AppError> {
    let org_id = visible_target_org(state, target, target_id).await?.ok_or(AppError::NotFound)?;
    if belongs_to(state, caller.user_id, org_id).await? {
        return Err(AppError::conflict("reports.own_target"));
    }
    let now = state.now_ms();
    let recent: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM reports WHERE kind = 'report' AND reporter_id = $1 AND created_at > $2",
    )
    .bind(caller.user_id)
    .bind(now - DAY_MS)
    .fetch_one(state.db.read())
    .await?;
    if recent >= REPORTS_PER_DAY {
        return Err(AppError::conflict("reports.too_many"));
    }
    let mut tx = state.db.begin().await?;
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO reports (kind, reporter_id, target_type, target_id, target_organisation_id, category, body, \
         status, created_at) VALUES ('report', $1, $2, $3, $4, $5, $6, 'open', $7) \
         ON CONFLICT (kind, reporter_id, target_type, target_id) DO NOTHING RETURNING id",
    )
    .bind(caller.user_id)
    .bind(target.as_str())
    .bind(target_id)
    .bind(org_id)
    .bind(category.as_str())
    .bind(body)
    .bind(now)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(id) = id else { return Err(AppError::conflict("reports.already_reported")) };
    audit_log::record(
        &mut tx,
        &Actor::of(caller),
        meta,
        now,
        AuditEntry {
            action: "reports.file",
            target_type: "report",
            target_id: id.to_string(),
            before: json!(null),
            after: json!({"target": target.as_str(), "target_id": target_id, "category": category.as_str()}),
            reason: "",
            result: "ok",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The takedown behind a listing's current block: the newest decision that took the listing down
/// or put it back, when that decision is a takedown. Returns the report and its category.
async fn current_takedown(conn: &mut AnyConnection, listing_id: i64) -> Result<Option<(i64, String)>, AppError> {
    let row = sqlx::query(
        "SELECT id, resolution, category FROM reports WHERE target_type = 'listing' AND target_id = $1 \
         AND status = 'resolved' AND resolution IN ('listing_taken_down', 'reinstated') \
         ORDER BY decided_at DESC, id DESC LIMIT 1",
    )
    .bind(listing_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let resolution: String = row.try_get("resolution")?;
    if resolution != Resolution::ListingTakenDown.as_str() {
        return Ok(None);
    }
    Ok(Some((row.try_get("id")?, row.try_get("category")?)))
}

async fn listing_status(conn: &mut AnyConnection, listing_id: i64) -> Result<Option<ListingStatus>, AppError> {
    let s: Option<String> = sqlx::query_scalar("SELECT status FROM listings WHERE id = $1")
        .bind(listing_id)
        .fetch_optional(&mut *conn)
        .await?;
    match s {
        None => Ok(None),
        Some(s) => ListingStatus::parse(&s).map(Some).ok_or_else(|| corrupt("listing status", &s)),
    }
}

/// What the seller's appeal page shows: the listing, whether it is taken down, its appeals.
pub async fn appeal_context(state: &AppState, org_id: i64, listing_id: i64) -> Result<AppealContext, AppError> {
    let mut conn = state.db.read().acquire().await?;
    let row = sqlx::query("SELECT title, status, status_reason FROM listings WHERE id = $1 AND organisation_id = $2")
        .bind(listing_id)
        .bind(org_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(AppError::NotFound)?;
    let status: String = row.try_get("status")?;
    let taken_down =
        status == ListingStatus::Blocked.as_str() && current_takedown(&mut conn, listing_id).await?.is_some();
    let appeals = sqlx::query(
        "SELECT id, status, resolution, created_at, decision_reason FROM reports WHERE kind = 'appeal' \
         AND target_type = 'listing' AND target_id = $1 ORDER BY id DESC LIMIT $2",
    )
    .bind(listing_id)
    .bind(RELATED_SHOWN)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|a| {
        let resolution: String = a.try_get("resolution")?;
        Ok(AppealLine {
            id: a.try_get("id")?,
            status: parse_col(a, "status", ReportStatus::parse)?,
            resolution: Resolution::parse(&resolution),
            created_at_ms: a.try_get("created_at")?,
            decision_reason: a.try_get("decision_reason")?,
        })
    })
    .collect::<Result<Vec<_>, AppError>>()?;
    Ok(AppealContext {
        listing_id,
        title: row.try_get("title")?,
        status,
        status_reason: row.try_get("status_reason")?,
        taken_down,
        appeals,
    })
}

/// A seller member's appeal of a takedown of one of their organisation's listings (404 for any other
/// listing). One open appeal per listing; each member appeals a listing once.
pub async fn file_appeal(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    org_id: i64,
    listing_id: i64,
    body: &str,
) -> Result<i64, AppError> {
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    // Locks the listing: two members appealing at once line up, the second sees the first's appeal.
    let found = sqlx::query("UPDATE listings SET status = status WHERE id = $1 AND organisation_id = $2")
        .bind(listing_id)
        .bind(org_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if found == 0 {
        return Err(AppError::NotFound);
    }
    let status = listing_status(&mut tx, listing_id).await?.ok_or(AppError::NotFound)?;
    let takedown = match status {
        ListingStatus::Blocked => current_takedown(&mut tx, listing_id).await?,
        _ => None,
    };
    let Some((takedown_id, category)) = takedown else { return Err(AppError::conflict("reports.not_taken_down")) };
    let open: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM reports WHERE kind = 'appeal' AND target_type = 'listing' AND target_id = $1 \
         AND status = 'open'",
    )
    .bind(listing_id)
    .fetch_one(&mut *tx)
    .await?;
    if open > 0 {
        return Err(AppError::conflict("reports.appeal_open"));
    }
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO reports (kind, reporter_id, target_type, target_id, target_organisation_id, category, body, \
         status, created_at, appeal_of) VALUES ('appeal', $1, 'listing', $2, $3, $4, $5, 'open', $6, $7) \
         ON CONFLICT (kind, reporter_id, target_type, target_id) DO NOTHING RETURNING id",
    )
    .bind(caller.user_id)
    .bind(listing_id)
    .bind(org_id)
    .bind(&category)
    .bind(body)
    .bind(now)
    .bind(takedown_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(id) = id else { return Err(AppError::conflict("reports.already_appealed")) };
    audit_log::record(
        &mut tx,
        &Actor::of(caller),
        meta,
        now,
        AuditEntry {
            action: "reports.appeal",
            target_type: "report",
            target_id: id.to_string(),
            before: json!(null),
            after: json!({"listing_id": listing_id, "appeal_of": takedown_id}),
            reason: "",
            result: "ok",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

// ---------------------------------------------------------------------------------------------------
// Decisions.

/// A case as read inside the deciding transaction.
struct Case {
    id: i64,
    kind: ReportKind,
    target: ReportTarget,
    target_id: i64,
    org_id: i64,
    status: ReportStatus,
    reporter_id: i64,
}

async fn lock_case(conn: &mut AnyConnection, id: i64) -> Result<Case, AppError> {
    sqlx::query("UPDATE reports SET status = status WHERE id = $1").bind(id).execute(&mut *conn).await?;
    let r = sqlx::query(
        "SELECT id, kind, target_type, target_id, target_organisation_id, status, reporter_id FROM reports WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(Case {
        id,
        kind: parse_col(&r, "kind", ReportKind::parse)?,
        target: parse_col(&r, "target_type", ReportTarget::parse)?,
        target_id: r.try_get("target_id")?,
        org_id: r.try_get("target_organisation_id")?,
        status: parse_col(&r, "status", ReportStatus::parse)?,
        reporter_id: r.try_get("reporter_id")?,
    })
}

async fn members_of(conn: &mut AnyConnection, org_id: i64) -> Result<Vec<i64>, AppError> {
    Ok(sqlx::query_scalar("SELECT user_id FROM organisation_members WHERE organisation_id = $1 ORDER BY user_id")
        .bind(org_id)
        .fetch_all(&mut *conn)
        .await?)
}

/// Resolves the open buyer reports matching `scope` (besides the decided case) with the same
/// resolution; returns their ids and reporters.
#[allow(clippy::too_many_arguments)]
async fn resolve_others(
    conn: &mut AnyConnection,
    scope: &str,
    scope_id: i64,
    case_id: i64,
    resolution: Resolution,
    caller: &Caller,
    reason: &str,
    now: i64,
) -> Result<Vec<(i64, i64)>, AppError> {
    let select = format!(
        "SELECT id, reporter_id FROM reports WHERE kind = 'report' AND status = 'open' AND id <> $2 AND {scope} ORDER BY id"
    );
    let rows = sqlx::query(&select).bind(scope_id).bind(case_id).fetch_all(&mut *conn).await?;
    let mut out = vec![];
    for r in rows {
        let (id, reporter): (i64, i64) = (r.try_get("id")?, r.try_get("reporter_id")?);
        let n = sqlx::query(
            "UPDATE reports SET status = 'resolved', resolution = $1, decided_at = $2, decided_by = $3, \
             decision_reason = $4 WHERE id = $5 AND status = 'open'",
        )
        .bind(resolution.as_str())
        .bind(now)
        .bind(caller.user_id)
        .bind(reason)
        .bind(id)
        .execute(&mut *conn)
        .await?
        .rows_affected();
        if n == 1 {
            out.push((id, reporter));
        }
    }
    Ok(out)
}

/// The listing's live title and description.
async fn listing_copy(conn: &mut AnyConnection, listing_id: i64) -> Result<(String, String), AppError> {
    let r = sqlx::query("SELECT title, description FROM listings WHERE id = $1")
        .bind(listing_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((r.try_get("title")?, r.try_get("description")?))
}

fn decision_error(e: ReportDecisionError) -> AppError {
    AppError::conflict(e.code())
}

/// Decides an open case once: dismiss (deny, for an appeal), take the listing down, suspend the
/// seller (the caller confirmed the password first) or reinstate the listing (uphold an appeal).
pub async fn decide(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    id: i64,
    resolution: Resolution,
    reason: &Reason,
) -> Result<(), AppError> {
    // The organisation of a case never changes, so it can be read before locking.
    let org_id: i64 = sqlx::query_scalar("SELECT target_organisation_id FROM reports WHERE id = $1")
        .bind(id)
        .fetch_optional(state.db.read())
        .await?
        .ok_or(AppError::NotFound)?;
    let now = state.now_ms();
    let reason_text = reason.as_str();
    let mut tx = state.db.begin().await?;
    sqlx::query("UPDATE organisations SET status = status WHERE id = $1").bind(org_id).execute(&mut *tx).await?;
    if matches!(resolution, Resolution::ListingTakenDown | Resolution::Reinstated) {
        // The listing next, before the case rows (see the lock order above).
        let target_id: i64 =
            sqlx::query_scalar("SELECT target_id FROM reports WHERE id = $1").bind(id).fetch_one(&mut *tx).await?;
        sqlx::query("UPDATE listings SET status = status WHERE id = $1").bind(target_id).execute(&mut *tx).await?;
    }
    let case = lock_case(&mut tx, id).await?;
    case.status.decide(case.kind, case.target, resolution).map_err(decision_error)?;
    let actor = Actor::of(caller);
    let mut also_resolved: Vec<(i64, i64)> = vec![];
    // (recipient, event type, payload) to enqueue once the change is written.
    let mut notices: Vec<(i64, &'static str, serde_json::Value)> = vec![];
    let target_label: String = match case.target {
        ReportTarget::Listing => listing_copy(&mut tx, case.target_id).await?.0,
        ReportTarget::Seller => {
            sqlx::query_scalar("SELECT name FROM organisations WHERE id = $1")
                .bind(case.target_id)
                .fetch_one(&mut *tx)
                .await?
        }
    };
    match resolution {
        Resolution::Dismissed => {
            if case.kind == ReportKind::Appeal {
                for member in members_of(&mut tx, case.org_id).await? {
                    notices.push((
                        member,
                        "trust.appeal_denied",
                        json!({"title": target_label, "reason": reason_text}),
                    ));
                }
            }
        }
        Resolution::ListingTakenDown => {
            let from = listing_status(&mut tx, case.target_id).await?.ok_or(AppError::NotFound)?;
            let to = from.apply(ListingAction::TakeDown).map_err(|_| AppError::conflict("reports.cannot_take_down"))?;
            sqlx::query("UPDATE listings SET status = $1, status_reason = $2, updated_at = $3 WHERE id = $4")
                .bind(to.as_str())
                .bind(reason_text)
                .bind(now)
                .bind(case.target_id)
                .execute(&mut *tx)
                .await?;
            search_index::remove(&mut tx, state.db.backend, case.target_id).await?;
            audit_log::record(
                &mut tx,
                &actor,
                meta,
                now,
                AuditEntry {
                    action: "listings.take_down",
                    target_type: "listing",
                    target_id: case.target_id.to_string(),
                    before: json!({"status": from.as_str()}),
                    after: json!({"status": to.as_str(), "status_reason": reason_text, "report_id": case.id}),
                    reason: reason_text,
                    result: "ok",
                },
            )
            .await?;
            also_resolved = resolve_others(
                &mut tx,
                "target_type = 'listing' AND target_id = $1",
                case.target_id,
                case.id,
                resolution,
                caller,
                reason_text,
                now,
            )
            .await?;
            for member in members_of(&mut tx, case.org_id).await? {
                notices.push((
                    member,
                    "trust.listing_taken_down",
                    json!({"title": target_label, "reason": reason_text}),
                ));
            }
        }
        Resolution::SellerSuspended => {
            crate::sellers::service::transition_in(
                &mut tx,
                now,
                caller,
                meta,
                case.org_id,
                SellerAction::Suspend,
                reason_text,
                None,
            )
            .await
            .map_err(|e| match e {
                AppError::Conflict { .. } => AppError::conflict("reports.cannot_suspend"),
                other => other,
            })?;
            also_resolved = resolve_others(
                &mut tx,
                "target_organisation_id = $1",
                case.org_id,
                case.id,
                resolution,
                caller,
                reason_text,
                now,
            )
            .await?;
        }
        Resolution::Reinstated => {
            let from = listing_status(&mut tx, case.target_id).await?.ok_or(AppError::NotFound)?;
            if from != ListingStatus::Blocked || current_takedown(&mut tx, case.target_id).await?.is_none() {
                return Err(AppError::conflict("reports.not_taken_down"));
            }
            let to = from.apply(ListingAction::Reinstate).map_err(|_| AppError::conflict("reports.not_taken_down"))?;
            sqlx::query("UPDATE listings SET status = $1, status_reason = '', updated_at = $2 WHERE id = $3")
                .bind(to.as_str())
                .bind(now)
                .bind(case.target_id)
                .execute(&mut *tx)
                .await?;
            let (title, description) = listing_copy(&mut tx, case.target_id).await?;
            search_index::upsert(&mut tx, state.db.backend, case.target_id, &title, &description).await?;
            audit_log::record(
                &mut tx,
                &actor,
                meta,
                now,
                AuditEntry {
                    action: "listings.reinstate",
                    target_type: "listing",
                    target_id: case.target_id.to_string(),
                    before: json!({"status": from.as_str()}),
                    after: json!({"status": to.as_str(), "appeal_id": case.id}),
                    reason: reason_text,
                    result: "ok",
                },
            )
            .await?;
            for member in members_of(&mut tx, case.org_id).await? {
                notices.push((member, "trust.appeal_upheld", json!({"title": title})));
            }
        }
    }
    let n = sqlx::query(
        "UPDATE reports SET status = 'resolved', resolution = $1, decided_at = $2, decided_by = $3, \
         decision_reason = $4 WHERE id = $5 AND status = 'open'",
    )
    .bind(resolution.as_str())
    .bind(now)
    .bind(caller.user_id)
    .bind(reason_text)
    .bind(case.id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if n != 1 {
        return Err(AppError::conflict(ReportDecisionError::AlreadyDecided.code()));
    }
    let others: Vec<i64> = also_resolved.iter().map(|(id, _)| *id).collect();
    audit_log::record(
        &mut tx,
        &actor,
        meta,
        now,
        AuditEntry {
            action: "reports.decide",
            target_type: "report",
            target_id: case.id.to_string(),
            before: json!({"status": "open"}),
            after: json!({"status": "resolved", "resolution": resolution.as_str(), "also_resolved": others}),
            reason: reason_text,
            result: "ok",
        },
    )
    .await?;
    // The reporters of buyer reports learn the outcome (never who the seller is told it by).
    if case.kind == ReportKind::Report {
        let event = match resolution {
            Resolution::Dismissed => "trust.report_reviewed.dismissed",
            Resolution::ListingTakenDown => "trust.report_reviewed.listing_taken_down",
            Resolution::SellerSuspended => "trust.report_reviewed.seller_suspended",
            Resolution::Reinstated => "trust.report_reviewed.dismissed",
        };
        let mut reporters: Vec<i64> = also_resolved.iter().map(|(_, r)| *r).collect();
        reporters.push(case.reporter_id);
        reporters.sort_unstable();
        reporters.dedup();
        for reporter in reporters {
            notices.push((reporter, event, json!({"target": target_label})));
        }
    }
    for (user, event, payload) in notices {
        outbox::enqueue(&mut tx, now, &OutboxEvent::notify(user, event, payload)).await?;
    }
    tx.commit().await?;
    Ok(())
}
