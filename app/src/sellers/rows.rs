//! Reading a seller's application, documents, history and team: the rows as stored (`sqlx::FromRow`
//! records of plain columns) and their model. Shared by the applicant's, the team's and the console's
//! services; it depends on none of them.

use super::model::{Application, DocumentRow, MemberRow, TransitionRow};
use crate::domain::seller::{MemberRole, SellerStatus};
use crate::domain::upload::Purpose;
use crate::error::{AppError, Context};
use crate::platform::uploads::url_of;
use sqlx::AnyConnection;

#[track_caller]
pub(super) fn status_of(s: &str) -> Result<SellerStatus, AppError> {
    SellerStatus::parse(s).ok_or_else(|| AppError::internal(format!("seller with an unknown status: status={s}")))
}

#[track_caller]
pub(super) fn role_of(role: &str) -> Result<MemberRole, AppError> {
    MemberRole::parse(role).ok_or_else(|| AppError::internal(format!("unknown member role {role}")))
}

#[derive(sqlx::FromRow)]
struct ApplicationRecord {
    name: String,
    status: String,
    region: String,
    created_at: i64,
    contact_name: String,
    contact_email: String,
    contact_phone: String,
    business_type: String,
    description: String,
    submitted_at: Option<i64>,
    decided_at: Option<i64>,
    activated_at: Option<i64>,
    suspended_at: Option<i64>,
    last_reason: String,
}

/// The application of seller `organisation_id` with its live documents and full history.
pub async fn load_application(conn: &mut AnyConnection, organisation_id: i64) -> Result<Application, AppError> {
    let r: ApplicationRecord = sqlx::query_as(
        "SELECT o.name, o.status, o.region, o.created_at, p.contact_name, p.contact_email, p.contact_phone, \
         p.business_type, p.description, p.submitted_at, p.decided_at, p.activated_at, p.suspended_at, p.last_reason \
         FROM organisations o JOIN seller_profiles p ON p.organisation_id = o.id \
         WHERE o.id = $1 AND o.kind = 'seller'",
    )
    .bind(organisation_id)
    .fetch_optional(&mut *conn)
    .await
    .context("loading the seller application")?
    .ok_or(AppError::NotFound)?;
    Ok(Application {
        organisation_id,
        status: status_of(&r.status)?,
        name: r.name,
        contact_name: r.contact_name,
        contact_email: r.contact_email,
        contact_phone: r.contact_phone,
        business_type: r.business_type,
        region: r.region,
        description: r.description,
        created_at_ms: r.created_at,
        submitted_at_ms: r.submitted_at,
        decided_at_ms: r.decided_at,
        activated_at_ms: r.activated_at,
        suspended_at_ms: r.suspended_at,
        last_reason: r.last_reason,
        documents: documents(conn, organisation_id).await?,
        history: history(conn, organisation_id).await?,
    })
}

#[derive(sqlx::FromRow)]
struct DocumentRecord {
    id: i64,
    kind: String,
    file_name: String,
    content_type: String,
    size_bytes: i64,
    uploaded_at: i64,
}

async fn documents(conn: &mut AnyConnection, organisation_id: i64) -> Result<Vec<DocumentRow>, AppError> {
    let records: Vec<DocumentRecord> = sqlx::query_as(
        "SELECT id, kind, file_name, content_type, size_bytes, uploaded_at FROM uploads \
         WHERE organisation_id = $1 AND purpose = $2 AND removed_at IS NULL ORDER BY id LIMIT 100",
    )
    .bind(organisation_id)
    .bind(Purpose::SellerDocument.as_str())
    .fetch_all(&mut *conn)
    .await
    .context("loading the seller's documents")?;
    Ok(records
        .into_iter()
        .map(|r| DocumentRow {
            id: r.id,
            kind: r.kind,
            file_name: r.file_name,
            content_type: r.content_type,
            size_bytes: r.size_bytes,
            uploaded_at_ms: r.uploaded_at,
            url: url_of(Purpose::SellerDocument, r.id),
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct TransitionRecord {
    id: i64,
    from_status: String,
    to_status: String,
    action: String,
    actor_id: i64,
    at: i64,
    reason: String,
    display_name: String,
    email: String,
}

/// Every transition, oldest first. A seller moves a handful of times in its life; the cap only
/// guards the page against a pathological history.
async fn history(conn: &mut AnyConnection, organisation_id: i64) -> Result<Vec<TransitionRow>, AppError> {
    let records: Vec<TransitionRecord> = sqlx::query_as(
        "SELECT t.id, t.from_status, t.to_status, t.action, t.actor_id, t.at, t.reason, u.display_name, u.email \
         FROM seller_transitions t JOIN users u ON u.id = t.actor_id \
         WHERE t.organisation_id = $1 ORDER BY t.id LIMIT 500",
    )
    .bind(organisation_id)
    .fetch_all(&mut *conn)
    .await
    .context("loading the seller's history")?;
    records
        .into_iter()
        .map(|r| {
            Ok(TransitionRow {
                id: r.id,
                from_status: status_of(&r.from_status)?,
                to_status: status_of(&r.to_status)?,
                action: r.action,
                actor_id: r.actor_id,
                actor_name: r.display_name,
                actor_email: r.email,
                at_ms: r.at,
                reason: r.reason,
            })
        })
        .collect()
}

#[derive(sqlx::FromRow)]
struct MemberRecord {
    user_id: i64,
    role: String,
    added_at: i64,
    email: String,
    display_name: String,
}

/// The seller's team, the owner first.
pub async fn members(conn: &mut AnyConnection, organisation_id: i64) -> Result<Vec<MemberRow>, AppError> {
    let records: Vec<MemberRecord> = sqlx::query_as(
        "SELECT m.user_id, m.role, m.added_at, u.email, u.display_name FROM organisation_members m \
         JOIN users u ON u.id = m.user_id WHERE m.organisation_id = $1 \
         ORDER BY CASE WHEN m.role = 'owner' THEN 0 ELSE 1 END, m.added_at, m.user_id LIMIT 200",
    )
    .bind(organisation_id)
    .fetch_all(&mut *conn)
    .await
    .context("loading the seller's team")?;
    records
        .into_iter()
        .map(|r| {
            Ok(MemberRow {
                user_id: r.user_id,
                email: r.email,
                display_name: r.display_name,
                role: role_of(&r.role)?,
                added_at_ms: r.added_at,
            })
        })
        .collect()
}

/// The seller organisation (id, status, role) `user_id` belongs to, read inside `conn`'s transaction.
pub(super) async fn membership_in(
    conn: &mut AnyConnection,
    user_id: i64,
) -> Result<Option<(i64, SellerStatus, MemberRole)>, AppError> {
    let row: Option<(i64, String, String)> = sqlx::query_as(
        "SELECT o.id, o.status, m.role FROM organisation_members m JOIN organisations o ON o.id = m.organisation_id \
         WHERE m.user_id = $1 AND o.kind = 'seller' ORDER BY o.id LIMIT 1",
    )
    .bind(user_id)
    .fetch_optional(&mut *conn)
    .await
    .context("reading the user's seller membership")?;
    let Some((id, status, role)) = row else { return Ok(None) };
    Ok(Some((id, status_of(&status)?, role_of(&role)?)))
}

/// The seller's status after locking its row (`RowLock::Organisation`); NotFound for any
/// organisation that is not a seller.
pub(super) async fn seller_status(conn: &mut AnyConnection, organisation_id: i64) -> Result<SellerStatus, AppError> {
    let status: String = sqlx::query_scalar("SELECT status FROM organisations WHERE id = $1 AND kind = 'seller'")
        .bind(organisation_id)
        .fetch_optional(&mut *conn)
        .await
        .context("reading the seller's status")?
        .ok_or(AppError::NotFound)?;
    status_of(&status)
}

pub(super) async fn seller_name(conn: &mut AnyConnection, organisation_id: i64) -> Result<String, AppError> {
    sqlx::query_scalar("SELECT name FROM organisations WHERE id = $1")
        .bind(organisation_id)
        .fetch_one(&mut *conn)
        .await
        .context("reading the seller's name")
}
