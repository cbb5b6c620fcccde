//! The console's reads of sellers: the queue, the counters, one seller. Decisions go through
//! `sellers::service::transition`, shared with the applicant's submission.

use super::console_model::{cursor_of, parse_cursor, SellerCounts, SellerDetail, SellerFilter, SellerRow};
use crate::domain::page::{page_size, Page};
use crate::domain::seller::SellerStatus;
use crate::error::{AppError, Context};
use crate::platform::sql::{after_pair, order_limit, Order, Sql};
use crate::platform::state::AppState;
use crate::sellers::impact::impact_in;
use crate::sellers::service::{load_application, members};

/// The sort key: when the seller applied (submitted), or was created for a draft never submitted.
const KEY: &str = "COALESCE(p.submitted_at, o.created_at)";

/// Oldest waiting first: an application queue is worked in the order people applied, so the
/// applicant who has waited longest is decided first and none starves behind newer ones.
pub async fn list_sellers(
    state: &AppState,
    filter: &SellerFilter,
    cursor: Option<&str>,
) -> Result<Page<SellerRow>, AppError> {
    let size = page_size(None);
    let mut sql = Sql::new(
        state.db.backend,
        "SELECT o.id, o.name, o.status, o.region, o.created_at, p.business_type, p.submitted_at, \
         u.email AS owner_email, (SELECT COUNT(*) FROM uploads d WHERE d.organisation_id = o.id \
         AND d.purpose = 'seller_document' AND d.removed_at IS NULL) AS documents \
         FROM organisations o JOIN seller_profiles p ON p.organisation_id = o.id \
         JOIN users u ON u.id = o.owner_user_id WHERE o.kind = 'seller'",
    );
    if let Some(status) = filter.status {
        sql.and_eq("o.status", status.as_str());
    }
    if let Some(region) = filter.region {
        sql.and_eq("o.region", region.to_string());
    }
    if let Some(from) = filter.from_ms {
        let p = sql.arg(from);
        sql.push(&format!(" AND p.submitted_at >= {p}"));
    }
    if let Some(until) = filter.until_ms {
        let p = sql.arg(until);
        sql.push(&format!(" AND p.submitted_at < {p}"));
    }
    after_pair(&mut sql, KEY, "o.id", Order::Asc, parse_cursor(cursor));
    order_limit(&mut sql, &format!("{KEY}, o.id"), size);
    let records: Vec<SellerRecord> = sql.query_as().fetch_all(state.db.read()).await.context("listing sellers")?;
    let rows = records.into_iter().map(SellerRecord::row).collect::<Result<Vec<_>, _>>()?;
    Ok(Page::from_overfetch(rows, size, cursor_of))
}

/// A queue row as `list_sellers` selects it.
#[derive(sqlx::FromRow)]
struct SellerRecord {
    id: i64,
    name: String,
    status: String,
    region: String,
    created_at: i64,
    business_type: String,
    submitted_at: Option<i64>,
    owner_email: String,
    documents: i64,
}

impl SellerRecord {
    fn row(self) -> Result<SellerRow, AppError> {
        Ok(SellerRow {
            id: self.id,
            name: self.name,
            status: SellerStatus::parse(&self.status)
                .ok_or_else(|| AppError::internal(format!("unknown seller status {}", self.status)))?,
            region: self.region,
            business_type: self.business_type,
            owner_email: self.owner_email,
            created_at_ms: self.created_at,
            submitted_at_ms: self.submitted_at,
            documents: self.documents,
        })
    }
}

pub async fn seller_counts(state: &AppState) -> Result<SellerCounts, AppError> {
    let rows: Vec<(String, i64)> =
        sqlx::query_as("SELECT status, COUNT(*) AS n FROM organisations WHERE kind = 'seller' GROUP BY status")
            .fetch_all(state.db.read())
            .await
            .context("counting sellers")?;
    let mut counts: Vec<(SellerStatus, i64)> = SellerStatus::ALL.into_iter().map(|s| (s, 0)).collect();
    for (status, n) in rows {
        if let Some(slot) = counts.iter_mut().find(|(s, _)| s.as_str() == status) {
            slot.1 = n;
        }
    }
    Ok(SellerCounts(counts))
}

pub async fn get_seller(state: &AppState, id: i64) -> Result<SellerDetail, AppError> {
    let mut conn = state.db.read().acquire().await.context("opening a connection")?;
    let application = load_application(&mut conn, id).await?;
    let owner_email: String = sqlx::query_scalar(
        "SELECT u.email FROM organisations o JOIN users u ON u.id = o.owner_user_id WHERE o.id = $1",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await
    .context("reading the owner's email")?;
    Ok(SellerDetail {
        application,
        owner_email,
        members: members(&mut conn, id).await?,
        impact: impact_in(&mut conn, id, state.settings().currency.code()).await?,
    })
}
