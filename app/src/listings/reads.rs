//! What the seller center reads: one listing with its versions, the listings table, the home summary.
//! Every listing is reached through the caller's organisation, so another seller's is not found.

use super::model::{raw_of, ListingRow, MyListing, SellerSummary, VersionView, MAX_VERSIONS_SHOWN};
use super::versions::{currency_of, internal, listing_status, version_status, ContentRecord};
use crate::domain::checks::Finding;
use crate::domain::listing::ListingStatus;
use crate::domain::page::{page_size, parse_id_cursor, Page};
use crate::error::{AppError, Context};
use crate::platform::seller_access::SellerCtx;
use crate::platform::sql::{after_id, order_limit, Order, Sql};
use crate::platform::state::AppState;

#[derive(sqlx::FromRow)]
struct VersionRecord {
    id: i64,
    number: i64,
    status: String,
    #[sqlx(flatten)]
    content: ContentRecord,
    risk: String,
    checks_json: String,
    warning_count: i64,
    blocking_count: i64,
    created_at: i64,
    updated_at: i64,
    submitted_at: Option<i64>,
    sla_due_at: Option<i64>,
    decided_at: Option<i64>,
    decision_reason: String,
}

impl VersionRecord {
    fn view(self) -> Result<VersionView, AppError> {
        let findings: Vec<Finding> = serde_json::from_str(&self.checks_json).map_err(internal("checks"))?;
        Ok(VersionView {
            id: self.id,
            number: self.number,
            status: version_status(&self.status)?,
            raw: raw_of(&self.content.content()?),
            risk: self.risk,
            findings,
            warning_count: self.warning_count,
            blocking_count: self.blocking_count,
            created_at_ms: self.created_at,
            updated_at_ms: self.updated_at,
            submitted_at_ms: self.submitted_at,
            sla_due_at_ms: self.sla_due_at,
            decided_at_ms: self.decided_at,
            decision_reason: self.decision_reason,
        })
    }
}

#[derive(sqlx::FromRow)]
struct MyListingRecord {
    status: String,
    status_reason: String,
    title: String,
    price_minor: i64,
    currency: String,
    stock_total: i64,
    live_version_id: Option<i64>,
    pending_version_id: Option<i64>,
    published_at: Option<i64>,
    updated_at: i64,
}

/// The caller's listing `id` with its versions; another organisation's listing is not found.
pub async fn get_my_listing(state: &AppState, org: i64, id: i64) -> Result<MyListing, AppError> {
    let db = state.db.read();
    let r: MyListingRecord = sqlx::query_as(
        "SELECT status, status_reason, title, price_minor, currency, stock_total, live_version_id, \
         pending_version_id, published_at, updated_at FROM listings WHERE id = $1 AND organisation_id = $2",
    )
    .bind(id)
    .bind(org)
    .fetch_optional(db)
    .await
    .context("loading the listing")?
    .ok_or(AppError::NotFound)?;
    let records: Vec<VersionRecord> = sqlx::query_as(
        "SELECT id, number, status, title, description, category_id, currency, weight_grams, options_json, \
         variants_json, images_json, risk, checks_json, warning_count, blocking_count, created_at, updated_at, \
         submitted_at, sla_due_at, decided_at, decision_reason FROM listing_versions WHERE listing_id = $1 \
         ORDER BY number DESC LIMIT $2",
    )
    .bind(id)
    .bind(MAX_VERSIONS_SHOWN)
    .fetch_all(db)
    .await
    .context("loading the listing's versions")?;
    let versions = records.into_iter().map(VersionRecord::view).collect::<Result<Vec<_>, _>>()?;
    Ok(MyListing {
        id,
        status: listing_status(&r.status)?,
        status_reason: r.status_reason,
        title: r.title,
        price_minor: r.price_minor,
        currency: currency_of(&r.currency)?,
        stock_total: r.stock_total,
        live_version_id: r.live_version_id,
        pending_version_id: r.pending_version_id,
        published_at_ms: r.published_at,
        updated_at_ms: r.updated_at,
        versions,
    })
}

#[derive(sqlx::FromRow)]
struct ListingRecord {
    id: i64,
    title: String,
    status: String,
    live_version_id: Option<i64>,
    price_minor: i64,
    currency: String,
    stock_total: i64,
    updated_at: i64,
    pending_status: Option<String>,
}

impl ListingRecord {
    fn row(self) -> Result<ListingRow, AppError> {
        Ok(ListingRow {
            id: self.id,
            title: self.title,
            status: listing_status(&self.status)?,
            pending: self.pending_status.as_deref().map(version_status).transpose()?,
            has_live: self.live_version_id.is_some(),
            price_minor: self.price_minor,
            currency: currency_of(&self.currency)?,
            stock_total: self.stock_total,
            updated_at_ms: self.updated_at,
        })
    }
}

/// The caller's listings newest first, optionally of one status, after `cursor` (a listing id).
pub async fn list_my_listings(
    state: &AppState,
    org: i64,
    status: Option<ListingStatus>,
    cursor: Option<&str>,
) -> Result<Page<ListingRow>, AppError> {
    let size = page_size(None);
    let mut sql = Sql::new(
        state.db.backend,
        "SELECT l.id, l.title, l.status, l.live_version_id, l.price_minor, l.currency, l.stock_total, l.updated_at, \
         v.status AS pending_status FROM listings l LEFT JOIN listing_versions v ON v.id = l.pending_version_id \
         WHERE 1 = 1",
    );
    sql.and_eq("l.organisation_id", org);
    after_id(&mut sql, "l.id", Order::Desc, parse_id_cursor(cursor));
    if let Some(s) = status {
        sql.and_eq("l.status", s.as_str());
    }
    order_limit(&mut sql, "l.id DESC", size);
    let records: Vec<ListingRecord> =
        sql.query_as().fetch_all(state.db.read()).await.context("listing the seller's listings")?;
    let rows = records.into_iter().map(ListingRecord::row).collect::<Result<Vec<_>, _>>()?;
    Ok(Page::from_overfetch(rows, size, |l| l.id.to_string()))
}

/// The seller's home summary.
pub async fn seller_home(sctx: &SellerCtx) -> Result<SellerSummary, AppError> {
    let m = &sctx.membership;
    let (listings, live_listings, payout_accounts): (i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM listings WHERE organisation_id = $1) AS listings, \
         (SELECT COUNT(*) FROM listings WHERE organisation_id = $1 AND live_version_id IS NOT NULL) AS live, \
         (SELECT COUNT(*) FROM payout_accounts WHERE organisation_id = $1 AND status = 'active') AS accounts",
    )
    .bind(m.organisation_id)
    .fetch_one(sctx.ctx.state.db.read())
    .await
    .context("counting the seller's listings")?;
    Ok(SellerSummary {
        organisation_id: m.organisation_id,
        organisation_name: m.organisation_name.clone(),
        status: m.status.as_str().to_string(),
        role: m.role.as_str().to_string(),
        listings,
        live_listings,
        has_payout_account: payout_accounts > 0,
    })
}
