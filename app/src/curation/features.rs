//! Featured listings: feature one (only a live, approved listing of an active seller), change its
//! schedule, unfeature it, move it in the order. `listings.featured` is the materialised "featured
//! now" flag the storefront reads: `sync_flag` sets it from the curation row at each save and at
//! each schedule boundary (the `curation.boundary` timer), and the catalog version's trigger on that
//! flag invalidates every process's cached home page.

use super::model::{Curation, FeatureRow};
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::curation::{moved, Schedule, MAX_FEATURED};
use crate::error::{AppError, Context};
use crate::platform::caller::{Caller, RequestMeta};
use crate::platform::change::{Audit, Change, RowLock};
use crate::platform::jobs;
use crate::platform::state::AppState;
use crate::storefront::visibility::{VISIBLE_FROM, VISIBLE_WHERE};
use serde_json::json;
use sqlx::AnyConnection;

/// The timer at a feature's schedule boundary (target: the listing id).
pub const JOB_BOUNDARY: &str = "curation.boundary";

#[derive(sqlx::FromRow)]
struct FeatureRecord {
    listing_id: i64,
    title: String,
    seller_name: String,
    listing_status: String,
    position: i64,
    starts_at: Option<i64>,
    ends_at: Option<i64>,
    featured: i64,
}

/// The curation page: every featured listing in order, and the home page's sections.
pub async fn curation(state: &AppState) -> Result<Curation, AppError> {
    let records: Vec<FeatureRecord> = sqlx::query_as(
        "SELECT f.listing_id, l.title, o.name AS seller_name, l.status AS listing_status, f.position, f.starts_at, \
         f.ends_at, l.featured FROM curation_features f JOIN listings l ON l.id = f.listing_id \
         JOIN organisations o ON o.id = l.organisation_id ORDER BY f.position, f.id LIMIT $1",
    )
    .bind(MAX_FEATURED)
    .fetch_all(state.db.read())
    .await
    .context("listing the featured listings")?;
    let now = state.now_ms();
    let features = records
        .into_iter()
        .map(|r| {
            let schedule = Schedule { starts_at: r.starts_at, ends_at: r.ends_at };
            FeatureRow {
                listing_id: r.listing_id,
                title: r.title,
                seller_name: r.seller_name,
                featured_now: r.featured != 0 && schedule.contains(now),
                listing_status: r.listing_status,
                position: r.position,
                starts_at_ms: r.starts_at,
                ends_at_ms: r.ends_at,
            }
        })
        .collect();
    let sections = super::sections::list(state).await?;
    Ok(Curation { features, sections, utc_offset_minutes: state.settings().utc_offset_minutes })
}

/// Sets `listings.featured` to what the listing's curation row says at `now`; whether it changed.
pub(super) async fn sync_flag(conn: &mut AnyConnection, listing_id: i64, now: i64) -> Result<Option<bool>, AppError> {
    let row: Option<(Option<i64>, Option<i64>)> =
        sqlx::query_as("SELECT starts_at, ends_at FROM curation_features WHERE listing_id = $1")
            .bind(listing_id)
            .fetch_optional(&mut *conn)
            .await
            .context("reading the listing's feature")?;
    let wanted = row.is_some_and(|(s, e)| Schedule { starts_at: s, ends_at: e }.contains(now));
    let n = sqlx::query("UPDATE listings SET featured = $1 WHERE id = $2 AND featured <> $1")
        .bind(i64::from(wanted))
        .bind(listing_id)
        .execute(&mut *conn)
        .await
        .context("setting the featured flag")?
        .rows_affected();
    Ok((n == 1).then_some(wanted))
}

/// Whether buyers can see the listing now (the storefront's visibility rule: live, approved, its
/// seller active, its category browsable).
async fn is_visible(conn: &mut AnyConnection, listing_id: i64) -> Result<bool, AppError> {
    let n: i64 =
        sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {VISIBLE_FROM} WHERE l.id = $1 AND {VISIBLE_WHERE}"))
            .bind(listing_id)
            .fetch_one(&mut *conn)
            .await
            .context("checking the listing is live")?;
    Ok(n > 0)
}

fn schedule_json(s: Schedule) -> serde_json::Value {
    json!({"starts_at": s.starts_at, "ends_at": s.ends_at})
}

/// Features `listing_id` with `schedule` (or changes the schedule of a featured one). Refused: a
/// listing buyers cannot see, a schedule already over, more than `MAX_FEATURED` featured.
pub async fn feature(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    listing_id: i64,
    schedule: Schedule,
) -> Result<(), AppError> {
    // Serialised with every audited writer: the order and the count span every featured row.
    let mut c = Change::by_caller_serialised(state, caller, meta).await?;
    let now = c.now_ms();
    if schedule.is_over(now) {
        return Err(AppError::invalid("ends_at", "curation.ends_in_past"));
    }
    if !is_visible(c.conn(), listing_id).await? {
        return Err(AppError::invalid("listing_id", "curation.not_live"));
    }
    let before: Option<(Option<i64>, Option<i64>)> =
        sqlx::query_as("SELECT starts_at, ends_at FROM curation_features WHERE listing_id = $1")
            .bind(listing_id)
            .fetch_optional(c.conn())
            .await
            .context("reading the listing's feature")?;
    match before {
        Some(_) => {
            sqlx::query(
                "UPDATE curation_features SET starts_at = $1, ends_at = $2, updated_at = $3 WHERE listing_id = $4",
            )
            .bind(schedule.starts_at)
            .bind(schedule.ends_at)
            .bind(now)
            .bind(listing_id)
            .execute(c.conn())
            .await
            .context("rescheduling the feature")?;
        }
        None => {
            let (count, last): (i64, Option<i64>) =
                sqlx::query_as("SELECT COUNT(*), MAX(position) FROM curation_features")
                    .fetch_one(c.conn())
                    .await
                    .context("counting the featured listings")?;
            if count >= MAX_FEATURED {
                return Err(AppError::conflict("curation.too_many"));
            }
            sqlx::query(
                "INSERT INTO curation_features (listing_id, position, starts_at, ends_at, created_by, created_at, \
                 updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)",
            )
            .bind(listing_id)
            .bind(last.unwrap_or(0) + 1)
            .bind(schedule.starts_at)
            .bind(schedule.ends_at)
            .bind(caller.user_id)
            .bind(now)
            .execute(c.conn())
            .await
            .context("featuring the listing")?;
        }
    }
    sync_flag(c.conn(), listing_id, now).await?;
    jobs::cancel(c.conn(), now, JOB_BOUNDARY, listing_id).await.context("cancelling the old boundaries")?;
    for at in schedule.boundaries_after(now) {
        jobs::schedule(c.conn(), now, JOB_BOUNDARY, listing_id, at).await.context("scheduling a boundary")?;
    }
    let before = before.map(|(s, e)| schedule_json(Schedule { starts_at: s, ends_at: e }));
    c.audit(
        Audit::new(AuditAction::CurationFeature, AuditTarget::Listing(listing_id))
            .before(before.unwrap_or(serde_json::Value::Null))
            .after(schedule_json(schedule)),
    )
    .await?;
    c.commit().await
}

/// Takes `listing_id` off the featured list (and off the home page at once).
pub async fn unfeature(state: &AppState, caller: &Caller, meta: &RequestMeta, listing_id: i64) -> Result<(), AppError> {
    let mut c = Change::by_caller_serialised(state, caller, meta).await?;
    let now = c.now_ms();
    let n = sqlx::query("DELETE FROM curation_features WHERE listing_id = $1")
        .bind(listing_id)
        .execute(c.conn())
        .await
        .context("unfeaturing the listing")?
        .rows_affected();
    if n == 0 {
        return Err(AppError::NotFound);
    }
    sync_flag(c.conn(), listing_id, now).await?;
    jobs::cancel(c.conn(), now, JOB_BOUNDARY, listing_id).await.context("cancelling the boundaries")?;
    c.audit(Audit::new(AuditAction::CurationUnfeature, AuditTarget::Listing(listing_id))).await?;
    c.commit().await
}

/// Moves a featured listing one place up or down in the order.
pub async fn move_feature(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    listing_id: i64,
    up: bool,
) -> Result<(), AppError> {
    let mut c = Change::by_caller_serialised(state, caller, meta).await?;
    let order: Vec<i64> = sqlx::query_scalar("SELECT listing_id FROM curation_features ORDER BY position, id")
        .fetch_all(c.conn())
        .await
        .context("reading the featured order")?;
    if !order.contains(&listing_id) {
        return Err(AppError::NotFound);
    }
    let Some(next) = moved(&order, &listing_id, up) else { return Err(AppError::conflict("curation.cannot_move")) };
    for (i, id) in next.iter().enumerate() {
        sqlx::query("UPDATE curation_features SET position = $1 WHERE listing_id = $2 AND position <> $1")
            .bind(i as i64 + 1)
            .bind(id)
            .execute(c.conn())
            .await
            .context("renumbering the featured order")?;
    }
    let position = next.iter().position(|id| *id == listing_id).unwrap_or_default() as i64 + 1;
    c.audit(
        Audit::new(AuditAction::CurationFeature, AuditTarget::Listing(listing_id)).after(json!({"position": position})),
    )
    .await?;
    c.commit().await
}

/// The `curation.boundary` timer: flips the listing's flag if its schedule says so now (a repeat, or
/// a boundary of a schedule changed since, finds nothing to do).
pub async fn at_boundary(state: &AppState, listing_id: i64) -> Result<(), AppError> {
    let mut c = Change::system(state, "timers").await?;
    c.lock(RowLock::Listing(listing_id)).await?;
    let now = c.now_ms();
    let Some(featured_now) = sync_flag(c.conn(), listing_id, now).await? else { return Ok(()) };
    let action = if featured_now { AuditAction::CurationFeature } else { AuditAction::CurationUnfeature };
    c.audit(Audit::new(action, AuditTarget::Listing(listing_id)).after(json!({"featured_now": featured_now}))).await?;
    c.commit().await
}
