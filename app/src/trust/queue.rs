//! Reading the reports queue: the rows as stored (`ReportRecord`, plain columns) and their model,
//! the two-phase keyset list, the counters and one case's detail. Read-only.

use super::model::{
    excerpt, QueueCursor, ReportCounters, ReportDetail, ReportFilter, ReportRow, TargetState, RELATED_SHOWN,
};
use crate::domain::page::{page_size, Page};
use crate::domain::report::{ReportCategory, ReportKind, ReportStatus, ReportTarget, Resolution};
use crate::error::{AppError, Context};
use crate::platform::sql::Sql;
use crate::platform::state::AppState;

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

#[track_caller]
pub(super) fn corrupt(what: &str, value: &str) -> AppError {
    AppError::internal(format!("report row with an unknown value: what={what} value={value}"))
}

#[track_caller]
pub(super) fn parsed<T>(what: &str, value: &str, parse: impl Fn(&str) -> Option<T>) -> Result<T, AppError> {
    parse(value).ok_or_else(|| corrupt(what, value))
}

/// A queue row as selected by `ROW_SELECT`.
#[derive(sqlx::FromRow)]
struct ReportRecord {
    id: i64,
    kind: String,
    target_type: String,
    target_id: i64,
    target_organisation_id: i64,
    category: String,
    body_start: String,
    status: String,
    resolution: String,
    created_at: i64,
    reporter_name: String,
    reporter_email: String,
    org_name: String,
    listing_title: Option<String>,
    open_on_target: i64,
}

impl ReportRecord {
    fn row(self) -> Result<ReportRow, AppError> {
        let target = parsed("target_type", &self.target_type, ReportTarget::parse)?;
        Ok(ReportRow {
            id: self.id,
            kind: parsed("kind", &self.kind, ReportKind::parse)?,
            target,
            target_id: self.target_id,
            target_label: match target {
                ReportTarget::Listing => self.listing_title.unwrap_or_default(),
                ReportTarget::Seller => self.org_name.clone(),
            },
            organisation_id: self.target_organisation_id,
            organisation_name: self.org_name,
            category: parsed("category", &self.category, ReportCategory::parse)?,
            excerpt: excerpt(&self.body_start),
            reporter_name: self.reporter_name,
            reporter_email: self.reporter_email,
            status: parsed("status", &self.status, ReportStatus::parse)?,
            resolution: Resolution::parse(&self.resolution),
            created_at_ms: self.created_at,
            open_on_target: self.open_on_target,
        })
    }
}

async fn fetch_rows(state: &AppState, sql: &Sql) -> Result<Vec<ReportRow>, AppError> {
    let records: Vec<ReportRecord> = sql.query_as().fetch_all(state.db.read()).await.context("listing reports")?;
    records.into_iter().map(ReportRecord::row).collect()
}

fn push_filters(sql: &mut Sql, filter: &ReportFilter) {
    if let Some(kind) = filter.kind {
        sql.and_eq("r.kind", kind.as_str());
    }
    if let Some(target) = filter.target {
        sql.and_eq("r.target_type", target.as_str());
    }
    if let Some(id) = filter.target_id {
        sql.and_eq("r.target_id", id);
    }
    if let Some(category) = filter.category {
        sql.and_eq("r.category", category.as_str());
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
    let mut sql = Sql::new(state.db.backend, ROW_SELECT);
    let p = sql.arg(status.as_str());
    sql.push(&format!(" WHERE r.status = {p}"));
    let (cmp, order) = match status {
        ReportStatus::Open => (">", "ASC"),
        ReportStatus::Resolved => ("<", "DESC"),
    };
    let p = sql.arg(from);
    sql.push(&format!(" AND r.id {cmp} {p}"));
    push_filters(&mut sql, filter);
    let p = sql.arg(limit);
    sql.push(&format!(" ORDER BY r.id {order} LIMIT {p}"));
    fetch_rows(state, &sql).await
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
    sqlx::query_as(
        "SELECT \
         (SELECT COUNT(*) FROM reports WHERE status = 'open' AND kind = 'report') AS open_reports, \
         (SELECT COUNT(*) FROM reports WHERE status = 'open' AND kind = 'appeal') AS open_appeals, \
         (SELECT COUNT(*) FROM (SELECT target_type, target_id FROM reports WHERE status = 'open' \
          AND kind = 'report' GROUP BY target_type, target_id) t) AS reported_targets, \
         (SELECT COUNT(*) FROM (SELECT target_type, target_id FROM reports WHERE status = 'open' \
          AND kind = 'report' GROUP BY target_type, target_id HAVING COUNT(*) > 1) t2) AS repeated_targets",
    )
    .fetch_one(state.db.read())
    .await
    .context("counting reports")
}

/// The columns of a case beyond its queue row.
#[derive(sqlx::FromRow)]
struct CaseExtra {
    body: String,
    decided_at: Option<i64>,
    decision_reason: String,
    appeal_of: Option<i64>,
    decided_by: Option<String>,
}

async fn target_state(state: &AppState, row: &ReportRow) -> Result<Option<TargetState>, AppError> {
    let db = state.db.read();
    match row.target {
        ReportTarget::Listing => sqlx::query_as(
            "SELECT l.status, l.status_reason, o.status AS organisation_status FROM listings l \
             JOIN organisations o ON o.id = l.organisation_id WHERE l.id = $1",
        )
        .bind(row.target_id)
        .fetch_optional(db)
        .await
        .context("loading the reported listing"),
        ReportTarget::Seller => {
            let status: Option<String> = sqlx::query_scalar("SELECT status FROM organisations WHERE id = $1")
                .bind(row.target_id)
                .fetch_optional(db)
                .await
                .context("loading the reported seller")?;
            Ok(status.map(|s| TargetState { status: s.clone(), status_reason: String::new(), organisation_status: s }))
        }
    }
}

pub async fn get_report(state: &AppState, id: i64) -> Result<ReportDetail, AppError> {
    let mut sql = Sql::new(state.db.backend, ROW_SELECT);
    let p = sql.arg(id);
    sql.push(&format!(" WHERE r.id = {p}"));
    let row = fetch_rows(state, &sql).await?.into_iter().next().ok_or(AppError::NotFound)?;
    let extra: CaseExtra = sqlx::query_as(
        "SELECT r.body, r.decided_at, r.decision_reason, r.appeal_of, d.email AS decided_by FROM reports r \
         LEFT JOIN users d ON d.id = r.decided_by WHERE r.id = $1",
    )
    .bind(id)
    .fetch_one(state.db.read())
    .await
    .context("loading the report")?;
    let target_state = target_state(state, &row).await?;
    let mut sql = Sql::new(state.db.backend, ROW_SELECT);
    let (t, tid, me, n) = (sql.arg(row.target.as_str()), sql.arg(row.target_id), sql.arg(id), sql.arg(RELATED_SHOWN));
    sql.push(&format!(
        " WHERE r.target_type = {t} AND r.target_id = {tid} AND r.id <> {me} ORDER BY r.id DESC LIMIT {n}"
    ));
    let related = fetch_rows(state, &sql).await?;
    Ok(ReportDetail {
        row,
        body: extra.body,
        decided_at_ms: extra.decided_at,
        decided_by: extra.decided_by,
        decision_reason: extra.decision_reason,
        appeal_of: extra.appeal_of,
        target_state,
        related,
    })
}
