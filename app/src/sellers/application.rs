//! The applicant's side of onboarding: reading one's application, saving it as a draft (creating the
//! seller on the first save), removing a document, and who may read a document.

use super::decisions::insert_transition;
use super::model::MyApplication;
use super::rows::{load_application, membership_in, seller_status};
use crate::auth::verification::require_verified;
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::permissions::SELLERS_VIEW;
use crate::domain::seller::{MemberRole, SellerApplication, SellerStatus};
use crate::domain::upload::Purpose;
use crate::error::{AppError, Context};
use crate::platform::caller::{Caller, RequestMeta};
use crate::platform::change::{Audit, Change, RowLock};
use crate::platform::seller_access::membership_of;
use crate::platform::state::AppState;
use serde_json::{json, Value};

/// The caller's application, if they own a seller; that they are staff, if they are.
pub async fn my_application(state: &AppState, user_id: i64) -> Result<MyApplication, AppError> {
    let Some(m) = membership_of(state, user_id).await? else { return Ok(MyApplication::None) };
    match m.role {
        MemberRole::Owner => {
            let mut conn = state.db.read().acquire().await.context("opening a connection")?;
            Ok(MyApplication::Owner(Box::new(load_application(&mut conn, m.organisation_id).await?)))
        }
        MemberRole::Staff => Ok(MyApplication::Staff { organisation_name: m.organisation_name, status: m.status }),
    }
}

fn application_json(app: &SellerApplication) -> Value {
    json!({
        "name": app.name, "contact_name": app.contact_name, "contact_email": app.contact_email,
        "contact_phone": app.contact_phone, "business_type": app.business_type, "region": app.region,
        "description": app.description,
    })
}

/// Saves the caller's application as a draft: creates the seller (status draft, the caller its
/// owner) on the first save, updates it while it is editable (draft or returned). Someone who
/// already belongs to a seller, or whose application is under review or decided, is refused.
pub async fn save_application(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    app: &SellerApplication,
) -> Result<i64, AppError> {
    let mut c = Change::by_caller(state, caller, meta).await?;
    // A user belongs to at most one seller: joining or creating one is decided under the user's lock.
    c.lock(RowLock::User(caller.user_id)).await?;
    // Selling needs a proven address (buying does not): the platform must be able to reach a seller.
    require_verified(&mut c, caller.user_id).await?;
    let id = match membership_in(c.conn(), caller.user_id).await? {
        Some((_, _, MemberRole::Staff)) => return Err(AppError::conflict("sellers.already_member")),
        Some((_, status, MemberRole::Owner)) if !status.is_editable() => {
            return Err(AppError::conflict("sellers.not_editable"))
        }
        Some((id, status, MemberRole::Owner)) => update_application(&mut c, id, status, app).await?,
        None => create_application(&mut c, caller.user_id, app).await?,
    };
    c.commit().await?;
    Ok(id)
}

async fn update_application(
    c: &mut Change,
    id: i64,
    status: SellerStatus,
    app: &SellerApplication,
) -> Result<i64, AppError> {
    let now = c.now_ms();
    let before = load_application(c.conn(), id).await?;
    sqlx::query("UPDATE organisations SET name = $1, region = $2, updated_at = $3 WHERE id = $4 AND status = $5")
        .bind(&app.name)
        .bind(&app.region)
        .bind(now)
        .bind(id)
        .bind(status.as_str())
        .execute(c.conn())
        .await
        .context("updating the seller")?;
    sqlx::query(
        "UPDATE seller_profiles SET contact_name = $1, contact_email = $2, contact_phone = $3, \
         business_type = $4, description = $5 WHERE organisation_id = $6",
    )
    .bind(&app.contact_name)
    .bind(&app.contact_email)
    .bind(&app.contact_phone)
    .bind(&app.business_type)
    .bind(&app.description)
    .bind(id)
    .execute(c.conn())
    .await
    .context("updating the seller profile")?;
    let before = json!({
        "name": before.name, "contact_name": before.contact_name, "contact_email": before.contact_email,
        "contact_phone": before.contact_phone, "business_type": before.business_type,
        "region": before.region, "description": before.description,
    });
    c.audit(Audit::new(AuditAction::SellersEdit, AuditTarget::Seller(id)).before(before).after(application_json(app)))
        .await?;
    Ok(id)
}

async fn create_application(c: &mut Change, owner: i64, app: &SellerApplication) -> Result<i64, AppError> {
    // New seller sign-ups can be paused (a feature flag); applications already made go on.
    let roles = crate::platform::caller::load_access(c.state(), owner).await?.0;
    crate::settings::flags::require(c.state(), Some(owner), &roles, "seller_signups", "sellers.signups_paused").await?;
    let now = c.now_ms();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO organisations (name, kind, status, region, owner_user_id, created_at, updated_at) \
         VALUES ($1, 'seller', 'draft', $2, $3, $4, $4) RETURNING id",
    )
    .bind(&app.name)
    .bind(&app.region)
    .bind(owner)
    .bind(now)
    .fetch_one(c.conn())
    .await
    .context("inserting the seller")?;
    sqlx::query(
        "INSERT INTO organisation_members (organisation_id, user_id, role, added_at) VALUES ($1, $2, 'owner', $3)",
    )
    .bind(id)
    .bind(owner)
    .bind(now)
    .execute(c.conn())
    .await
    .context("adding the owner to the team")?;
    sqlx::query(
        "INSERT INTO seller_profiles (organisation_id, contact_name, contact_email, contact_phone, \
         business_type, description) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(&app.contact_name)
    .bind(&app.contact_email)
    .bind(&app.contact_phone)
    .bind(&app.business_type)
    .bind(&app.description)
    .execute(c.conn())
    .await
    .context("inserting the seller profile")?;
    insert_transition(c, id, SellerStatus::Draft, SellerStatus::Draft, "apply", owner, "").await?;
    c.audit(Audit::new(AuditAction::SellersApply, AuditTarget::Seller(id)).after(application_json(app))).await?;
    Ok(id)
}

/// Removes a document from an application that is still editable (the file stays on disk for the
/// audit trail; the row is marked removed and no longer served or counted).
pub async fn remove_document(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    organisation_id: i64,
    upload_id: i64,
) -> Result<(), AppError> {
    let mut c = Change::by_caller(state, caller, meta).await?;
    let now = c.now_ms();
    c.lock(RowLock::Organisation(organisation_id)).await?;
    if !seller_status(c.conn(), organisation_id).await?.is_editable() {
        return Err(AppError::conflict("sellers.not_editable"));
    }
    let (kind, file_name): (String, String) = sqlx::query_as(
        "SELECT kind, file_name FROM uploads WHERE id = $1 AND organisation_id = $2 AND purpose = $3 \
         AND removed_at IS NULL",
    )
    .bind(upload_id)
    .bind(organisation_id)
    .bind(Purpose::SellerDocument.as_str())
    .fetch_optional(c.conn())
    .await
    .context("loading the document")?
    .ok_or(AppError::NotFound)?;
    sqlx::query("UPDATE uploads SET removed_at = $1 WHERE id = $2")
        .bind(now)
        .bind(upload_id)
        .execute(c.conn())
        .await
        .context("removing the document")?;
    c.audit(
        Audit::new(AuditAction::SellersDocumentRemove, AuditTarget::Seller(organisation_id))
            .before(json!({"document": upload_id, "kind": kind, "file_name": file_name}))
            .after(json!({"document": upload_id, "removed_at": now})),
    )
    .await?;
    c.commit().await
}

/// Who may read a seller document of `organisation_id`: that seller's members, and operators who
/// review sellers (`sellers.view`). Used by `GET /documents/{id}`.
pub async fn may_read_document(state: &AppState, caller: &Caller, organisation_id: i64) -> Result<bool, AppError> {
    if caller.can(SELLERS_VIEW) {
        return Ok(true);
    }
    let member: Option<i64> =
        sqlx::query_scalar("SELECT 1 FROM organisation_members WHERE organisation_id = $1 AND user_id = $2")
            .bind(organisation_id)
            .bind(caller.user_id)
            .fetch_optional(state.db.read())
            .await
            .context("checking the document reader's membership")?;
    Ok(member.is_some())
}
