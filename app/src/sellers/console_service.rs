//! The console's reads of sellers: the queue, the counters, one seller. Decisions go through
//! `sellers::service::transition`, shared with the applicant's submission.

use super::console_model::{cursor_of, parse_cursor, SellerCounts, SellerDetail, SellerFilter, SellerRow};
use crate::domain::page::{page_size, Page};
use crate::domain::seller::SellerStatus;
use crate::error::AppError;
use crate::platform::state::AppState;
use crate::sellers::impact::impact_in;
use crate::sellers::service::{load_application, members};
use sqlx::Row;

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
    let mut sql = String::from(
        "SELECT o.id, o.name, o.status, o.region, o.created_at, p.business_type, p.submitted_at, \
         u.email AS owner_email, (SELECT COUNT(*) FROM uploads d WHERE d.organisation_id = o.id \
         AND d.purpose = 'seller_document' AND d.removed_at IS NULL) AS documents \
         FROM organisations o JOIN seller_profiles p ON p.organisation_id = o.id \
         JOIN users u ON u.id = o.owner_user_id WHERE o.kind = 'seller'",
    );
    // Values in placeholder order: `$n` is binds[n - 1].
    let mut binds: Vec<Bind> = vec![];
    let mut arg = |b: Bind| {
        binds.push(b);
        format!("${}", binds.len())
    };
    if let Some(status) = filter.status {
        sql.push_str(&format!(" AND o.status = {}", arg(Bind::Text(status.as_str().to_string()))));
    }
    if let Some(region) = filter.region {
        sql.push_str(&format!(" AND o.region = {}", arg(Bind::Text(region.to_string()))));
    }
    if let Some(from) = filter.from_ms {
        sql.push_str(&format!(" AND p.submitted_at >= {}", arg(Bind::Int(from))));
    }
    if let Some(until) = filter.until_ms {
        sql.push_str(&format!(" AND p.submitted_at < {}", arg(Bind::Int(until))));
    }
    if let Some((key, id)) = parse_cursor(cursor) {
        let (pk, pi) = (arg(Bind::Int(key)), arg(Bind::Int(id)));
        sql.push_str(&format!(" AND ({KEY} > {pk} OR ({KEY} = {pk} AND o.id > {pi}))"));
    }
    let limit = arg(Bind::Int(size as i64 + 1));
    sql.push_str(&format!(" ORDER BY {KEY}, o.id LIMIT {limit}"));
    let query = binds.into_iter().fold(sqlx::query(&sql), |q, b| match b {
        Bind::Int(i) => q.bind(i),
        Bind::Text(s) => q.bind(s),
    });
    let rows = query.fetch_all(state.db.read()).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let status: String = r.try_get("status")?;
        out.push(SellerRow {
            id: r.try_get("id")?,
            name: r.try_get("name")?,
            status: SellerStatus::parse(&status)
                .ok_or_else(|| AppError::internal(format!("unknown seller status {status}")))?,
            region: r.try_get("region")?,
            business_type: r.try_get("business_type")?,
            owner_email: r.try_get("owner_email")?,
            created_at_ms: r.try_get("created_at")?,
            submitted_at_ms: r.try_get("submitted_at")?,
            documents: r.try_get("documents")?,
        });
    }
    Ok(Page::from_overfetch(out, size, cursor_of))
}

enum Bind {
    Int(i64),
    Text(String),
}

pub async fn seller_counts(state: &AppState) -> Result<SellerCounts, AppError> {
    let rows = sqlx::query("SELECT status, COUNT(*) AS n FROM organisations WHERE kind = 'seller' GROUP BY status")
        .fetch_all(state.db.read())
        .await?;
    let mut counts: Vec<(SellerStatus, i64)> = SellerStatus::ALL.into_iter().map(|s| (s, 0)).collect();
    for r in &rows {
        let status: String = r.try_get("status")?;
        if let Some(slot) = counts.iter_mut().find(|(s, _)| s.as_str() == status) {
            slot.1 = r.try_get("n")?;
        }
    }
    Ok(SellerCounts(counts))
}

pub async fn get_seller(state: &AppState, id: i64) -> Result<SellerDetail, AppError> {
    let mut conn = state.db.read().acquire().await?;
    let application = load_application(&mut conn, id).await?;
    let owner_email: String = sqlx::query_scalar(
        "SELECT u.email FROM organisations o JOIN users u ON u.id = o.owner_user_id WHERE o.id = $1",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    Ok(SellerDetail {
        application,
        owner_email,
        members: members(&mut conn, id).await?,
        impact: impact_in(&mut conn, id, state.settings.currency.code()).await?,
    })
}
