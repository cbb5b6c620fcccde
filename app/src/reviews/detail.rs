//! One version under review: its content and evidence, the diff against the live copy, the seller and
//! the seller's recent decisions.

use super::model::{HistoryLine, ReviewDetail, SellerCard};
use super::rows::{corrupt, listing_status, risk_of, VersionRecord, VERSION_COLUMNS};
use crate::domain::checks::Finding;
use crate::domain::listing::ListingContent;
use crate::domain::review::diff;
use crate::error::{AppError, Context};
use crate::platform::state::AppState;

/// Decisions shown in the seller's history on the detail page.
const HISTORY: i64 = 20;

#[derive(sqlx::FromRow)]
struct DetailRecord {
    #[sqlx(flatten)]
    version: VersionRecord,
    decided_by_email: Option<String>,
    listing_status: String,
    live_version_id: Option<i64>,
    org_id: i64,
    org_name: String,
    org_status: String,
}

#[derive(sqlx::FromRow)]
struct HistoryRecord {
    at: i64,
    action: String,
    reason: String,
    after_json: String,
    listing_id: i64,
    title: String,
    email: Option<String>,
}

impl HistoryRecord {
    fn line(self) -> HistoryLine {
        let after: serde_json::Value = serde_json::from_str(&self.after_json).unwrap_or_default();
        HistoryLine {
            version_id: after.get("version_id").and_then(|v| v.as_i64()),
            listing_id: self.listing_id,
            title: self.title,
            status: match self.action.as_str() {
                "listings.approve" => "approved",
                "listings.reject" => "rejected",
                _ => "blocked",
            }
            .to_string(),
            decided_at_ms: self.at,
            decided_by: self.email,
            reason: self.reason,
        }
    }
}

/// The seller's recent decisions, from the audit log, which keeps every decision (a rejected version
/// that was fixed and resubmitted is the same version row, decided again later).
async fn history(state: &AppState, org_id: i64) -> Result<Vec<HistoryLine>, AppError> {
    let records: Vec<HistoryRecord> = sqlx::query_as(
        "SELECT a.at, a.action, a.reason, a.after_json, l.id AS listing_id, l.title, u.email \
         FROM listings l JOIN audit_log a ON a.target_type = 'listing' AND a.target_id = CAST(l.id AS TEXT) \
         LEFT JOIN users u ON u.id = a.actor_id \
         WHERE l.organisation_id = $1 AND a.action IN ('listings.approve', 'listings.reject', 'listings.block') \
         ORDER BY a.id DESC LIMIT $2",
    )
    .bind(org_id)
    .bind(HISTORY)
    .fetch_all(state.db.read())
    .await
    .context("loading the seller's review history")?;
    Ok(records.into_iter().map(HistoryRecord::line).collect())
}

/// The live copy `live_id`'s content, to diff against (none for a first review).
async fn live_content(state: &AppState, live_id: Option<i64>) -> Result<Option<ListingContent>, AppError> {
    let Some(live_id) = live_id else { return Ok(None) };
    let live: Option<VersionRecord> =
        sqlx::query_as(&format!("SELECT {VERSION_COLUMNS} FROM listing_versions v WHERE v.id = $1"))
            .bind(live_id)
            .fetch_optional(state.db.read())
            .await
            .context("loading the live version")?;
    live.map(|l| l.content()).transpose()
}

pub async fn get_review(state: &AppState, version_id: i64) -> Result<ReviewDetail, AppError> {
    let r: DetailRecord = sqlx::query_as(&format!(
        "SELECT {VERSION_COLUMNS}, u.email AS decided_by_email, l.status AS listing_status, l.live_version_id, \
         o.id AS org_id, o.name AS org_name, o.status AS org_status \
         FROM listing_versions v JOIN listings l ON l.id = v.listing_id \
         JOIN organisations o ON o.id = l.organisation_id LEFT JOIN users u ON u.id = v.decided_by WHERE v.id = $1"
    ))
    .bind(version_id)
    .fetch_optional(state.db.read())
    .await
    .context("loading the version under review")?
    .ok_or(AppError::NotFound)?;
    let v = &r.version;
    let content = v.content()?;
    let findings: Vec<Finding> =
        serde_json::from_str(&v.checks_json).map_err(|_| corrupt("checks_json", &v.checks_json))?;
    let tree = crate::categories::service::tree(state, true).await?;
    let category_name = |id: i64| {
        tree.iter()
            .find(|n| n.id == id)
            .map(|n| format!("{} / {}", n.name_en, n.name_zh))
            .unwrap_or_else(|| format!("#{id}"))
    };
    let live = live_content(state, r.live_version_id.filter(|id| *id != version_id)).await?;
    let changes = live.map(|live| diff(&live, &content, &category_name)).unwrap_or_default();
    let history = history(state, r.org_id).await?;
    Ok(ReviewDetail {
        version_id,
        listing_id: v.listing_id,
        number: v.number,
        status: v.version_status()?,
        listing_status: listing_status(&r.listing_status)?,
        category_name: content.category_id.map(category_name),
        content,
        risk: risk_of(&v.risk),
        findings,
        submitted_at_ms: v.submitted_at,
        sla_due_at_ms: v.sla_due_at,
        now_ms: state.now_ms(),
        decided_at_ms: v.decided_at,
        decided_by: r.decided_by_email,
        decision_reason: v.decision_reason.clone(),
        seller: SellerCard { id: r.org_id, name: r.org_name, status: r.org_status },
        re_review: r.live_version_id.is_some(),
        changes,
        history,
    })
}
