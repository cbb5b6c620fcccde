//! The console's directory of every listing: filters (seller, category, status, price, created) and
//! keyset pages newest first, `(created_at, id)` descending. Each filter that narrows the walk has
//! its index (migration 0011: `listings_directory`, `_org`, `_category`, `_status`); the cursor is a
//! row value, which both databases turn into a seek on those indexes.

use super::model::{DirectoryDetail, DirectoryFilter, DirectoryRow, ListingAuditLine, SellerFilter};
use crate::domain::listing::ListingStatus;
use crate::domain::money::Currency;
use crate::domain::page::{page_size, pair_cursor, parse_pair_cursor, Page};
use crate::error::{AppError, Context};
use crate::platform::sql::{contains, order_limit, Sql};
use crate::platform::state::AppState;

/// How many audit lines a listing's page shows.
const AUDIT_SHOWN: i64 = 50;

const SELECT_ROW: &str = "SELECT l.id, l.title, l.organisation_id, o.name AS seller_name, l.category_id, \
     c.name_en AS category_en, c.name_zh AS category_zh, l.status, l.price_minor, l.currency, l.created_at, \
     l.featured, l.status_reason FROM listings l JOIN organisations o ON o.id = l.organisation_id \
     LEFT JOIN categories c ON c.id = l.category_id";

#[derive(sqlx::FromRow)]
struct RowRecord {
    id: i64,
    title: String,
    organisation_id: i64,
    seller_name: String,
    category_id: Option<i64>,
    category_en: Option<String>,
    category_zh: Option<String>,
    status: String,
    price_minor: i64,
    currency: String,
    created_at: i64,
    featured: i64,
    status_reason: String,
}

impl RowRecord {
    fn row(self) -> Result<(DirectoryRow, String), AppError> {
        let status = ListingStatus::parse(&self.status).ok_or_else(|| corrupt("listing status", &self.status))?;
        let currency = Currency::parse(&self.currency).ok_or_else(|| corrupt("currency", &self.currency))?;
        let row = DirectoryRow {
            id: self.id,
            title: self.title,
            organisation_id: self.organisation_id,
            seller_name: self.seller_name,
            category_id: self.category_id,
            category_en: self.category_en,
            category_zh: self.category_zh,
            status,
            price_minor: self.price_minor,
            currency,
            created_at_ms: self.created_at,
            // "Featured now" means on the home page: the flag, and a listing buyers can see (a listing
            // taken down keeps its feature until unfeatured, but is not shown).
            featured: self.featured != 0 && crate::storefront::visibility::LIVE_STATUSES.contains(&status.as_str()),
        };
        Ok((row, self.status_reason))
    }
}

fn corrupt(what: &str, value: &str) -> AppError {
    AppError::internal(format!("listing row with an unknown value: what={what} value={value}"))
}

/// A page of listings matching `filter`, newest first.
pub async fn list(
    state: &AppState,
    filter: &DirectoryFilter,
    cursor: Option<&str>,
) -> Result<Page<DirectoryRow>, AppError> {
    let mut sql = Sql::new(state.db.backend, SELECT_ROW);
    sql.push(" WHERE 1 = 1");
    match &filter.seller {
        Some(SellerFilter::Id(id)) => {
            sql.and_eq("l.organisation_id", *id);
        }
        // The sellers whose name matches first (organisations are few next to listings), then their
        // listings through `listings_directory_org`.
        Some(SellerFilter::Name(name)) => {
            sql.push(" AND l.organisation_id IN (SELECT s.id FROM organisations s WHERE s.kind = 'seller'");
            contains(&mut sql, "s.name", name);
            sql.push(")");
        }
        None => {}
    }
    if let Some(id) = filter.category_id {
        sql.and_eq("l.category_id", id);
    }
    if let Some(status) = filter.status {
        sql.and_eq("l.status", status.as_str());
    }
    for (column, cmp, value) in [
        ("l.price_minor", ">=", filter.min_minor),
        ("l.price_minor", "<=", filter.max_minor),
        ("l.created_at", ">=", filter.created_from),
        ("l.created_at", "<", filter.created_until),
    ] {
        if let Some(v) = value {
            let p = sql.arg(v);
            sql.push(&format!(" AND {column} {cmp} {p}"));
        }
    }
    if let Some((at, id)) = parse_pair_cursor(cursor) {
        let (k, i) = (sql.arg(at), sql.arg(id));
        sql.push(&format!(" AND (l.created_at, l.id) < ({k}, {i})"));
    }
    let size = page_size(None);
    order_limit(&mut sql, "l.created_at DESC, l.id DESC", size);
    let records: Vec<RowRecord> =
        sql.query_as().fetch_all(state.db.read()).await.context("listing the listing directory")?;
    let rows = records.into_iter().map(|r| r.row().map(|(row, _)| row)).collect::<Result<Vec<_>, _>>()?;
    Ok(Page::from_overfetch(rows, size, |r| pair_cursor(r.created_at_ms, r.id)))
}

/// One listing with its block reason and what happened to it (the audit log, newest first).
pub async fn detail(state: &AppState, id: i64) -> Result<DirectoryDetail, AppError> {
    let record: RowRecord = sqlx::query_as(&format!("{SELECT_ROW} WHERE l.id = $1"))
        .bind(id)
        .fetch_optional(state.db.read())
        .await
        .context("loading the listing")?
        .ok_or(AppError::NotFound)?;
    let (row, status_reason) = record.row()?;
    let audit: Vec<ListingAuditLine> = sqlx::query_as(
        "SELECT a.at AS at_ms, a.action, u.email AS actor, a.reason FROM audit_log a \
         LEFT JOIN users u ON u.id = a.actor_id WHERE a.target_type = 'listing' AND a.target_id = $1 \
         ORDER BY a.id DESC LIMIT $2",
    )
    .bind(id.to_string())
    .bind(AUDIT_SHOWN)
    .fetch_all(state.db.read())
    .await
    .context("loading the listing's history")?;
    let can_take_down = matches!(row.status, ListingStatus::Active | ListingStatus::SoldOut);
    Ok(DirectoryDetail { row, status_reason, can_take_down, audit })
}
