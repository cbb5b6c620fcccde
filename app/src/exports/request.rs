//! Asking for an export (server only): the checks, in the order a refusal must leave nothing behind
//! (dataset, its view permission, period, filters, then the protection of personal data), then one
//! `Change` that fixes what the file holds, records the export and audits it with its filters and
//! row count, and, for a large export, schedules the background job.

use super::job::JOB_BUILD;
use super::model::ExportSpec;
use super::rows;
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::export::{Dataset, Delivery, ExportStatus, Filters};
use crate::error::{AppError, Context};
use crate::platform::caller::{Caller, Ctx, RequestMeta};
use crate::platform::change::{Audit, Change};
use crate::platform::guard::confirm_protected;
use crate::platform::jobs;
use crate::platform::period::parse_period;
use crate::platform::state::AppState;
use serde::Deserialize;
use serde_json::json;

/// The export form's fields, as posted (every one optional: a missing field is an empty one).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RawRequest {
    #[serde(default)]
    pub dataset: String,
    pub period: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub status: Option<String>,
    pub seller: Option<String>,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub password: String,
    /// The second factor's code, when the requester has one.
    pub code: Option<String>,
}

/// An export on record: what it holds and how it is delivered.
#[derive(Debug, Clone)]
pub struct Started {
    pub id: i64,
    pub spec: ExportSpec,
    pub rows: i64,
    pub delivery: Delivery,
}

/// The period a form without one exports.
pub const DEFAULT_PERIOD: &str = "30d";

/// Checks the request and reads its dataset, period and filters; nothing is written.
pub fn parse(state: &AppState, caller: &Caller, raw: &RawRequest) -> Result<ExportSpec, AppError> {
    let dataset =
        Dataset::parse(raw.dataset.trim()).ok_or_else(|| AppError::invalid("dataset", "exports.unknown_dataset"))?;
    if !caller.can(dataset.permission()) {
        return Err(AppError::Forbidden);
    }
    let period = parse_period(state, raw.period.as_deref(), raw.from.as_deref(), raw.to.as_deref(), DEFAULT_PERIOD)?;
    let filters = Filters::parse(dataset, raw.status.as_deref(), raw.seller.as_deref())
        .map_err(|(field, key)| AppError::invalid(field, key))?;
    let (from, to) = period.dates();
    Ok(ExportSpec {
        dataset,
        period: period.preset.as_str().to_string(),
        from,
        to,
        from_ms: period.from_ms,
        until_ms: period.until_ms,
        status: filters.status,
        seller: filters.seller,
        first: 0,
        head: 0,
        slices: vec![],
    })
}

/// Records the export (after the protection of personal data) and returns what to deliver.
pub async fn start(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    raw: &RawRequest,
) -> Result<Started, AppError> {
    let mut spec = parse(state, caller, raw)?;
    let ctx = Ctx { state: state.clone(), caller: caller.clone(), meta: meta.clone() };
    let reason = match spec.dataset.personal() {
        true => Some(confirm_protected(&ctx, &raw.reason, &raw.password, raw.code.as_deref()).await?),
        false => None,
    };
    let mut c = Change::by_caller(state, caller, meta).await?;
    let now = c.now_ms();
    let (origin, head) = rows::key_range(c.conn(), &spec).await?;
    spec.head = head;
    let extent = rows::count(c.conn(), &state.db, &spec, origin).await?;
    let count = extent.rows;
    if let Some((first, last)) = extent.keys {
        (spec.first, spec.head) = (first, last);
        spec.slices = extent.histogram.slices(first, last, rows::PAGE_ROWS);
    }
    let delivery = Delivery::for_rows(count, state.settings().export_stream_max_rows);
    let (status, done, completed) = match delivery {
        Delivery::Stream => (ExportStatus::Streamed, count, Some(now)),
        Delivery::Background => (ExportStatus::Queued, 0, None),
    };
    let filters_json = serde_json::to_string(&spec).map_err(|e| AppError::internal(format!("export spec: {e}")))?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO data_exports (requested_by, dataset, filters_json, personal, status, rows_total, rows_done, \
         created_at, updated_at, completed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9) RETURNING id",
    )
    .bind(caller.user_id)
    .bind(spec.dataset.as_str())
    .bind(&filters_json)
    .bind(i64::from(spec.dataset.personal()))
    .bind(status.as_str())
    .bind(count)
    .bind(done)
    .bind(now)
    .bind(completed)
    .fetch_one(c.conn())
    .await
    .context("recording an export")?;
    if delivery == Delivery::Background {
        jobs::schedule(c.conn(), now, JOB_BUILD, id, now).await.context("scheduling an export")?;
    }
    let after = json!({
        "dataset": spec.dataset.as_str(),
        "filters": {
            "period": spec.period, "from": spec.from, "to": spec.to,
            "status": spec.status, "seller": spec.seller,
        },
        "rows": count,
        "personal": spec.dataset.personal(),
        "delivery": match delivery { Delivery::Stream => "stream", Delivery::Background => "background" },
    });
    let reason_text = reason.as_ref().map(|r| r.as_str()).unwrap_or("");
    c.audit(
        Audit::new(AuditAction::ExportsCreate, AuditTarget::Export(id))
            .before(json!({}))
            .after(after)
            .reason(reason_text),
    )
    .await?;
    c.commit().await?;
    Ok(Started { id, spec, rows: count, delivery })
}
