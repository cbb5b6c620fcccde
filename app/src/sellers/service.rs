//! Seller onboarding's reads and writes: the application, its documents and history, every state
//! transition (applicant and console alike), and the team. Each mutation is one transaction: the
//! change, a `seller_transitions` row where the state moves, the audit record and the in-app
//! notifications commit together or not at all.

use super::impact::{impact_in, SuspensionImpact};
use super::model::{Application, DocumentRow, MemberRow, MyApplication, Team, TransitionRow, MAX_DOCUMENTS, MAX_STAFF};
use crate::domain::account::Email;
use crate::domain::permissions::SELLERS_VIEW;
use crate::domain::reason::Reason;
use crate::domain::seller::{MemberRole, SellerAction, SellerApplication, SellerStatus};
use crate::domain::upload::Purpose;
use crate::error::AppError;
use crate::platform::audit_log::{self, Actor, AuditEntry};
use crate::platform::caller::{Caller, RequestMeta};
use crate::platform::outbox::{self, OutboxEvent};
use crate::platform::seller_access::membership_of;
use crate::platform::state::AppState;
use crate::platform::uploads::url_of;
use serde_json::{json, Value};
use sqlx::{AnyConnection, Row};

fn status_of(s: &str) -> Result<SellerStatus, AppError> {
    SellerStatus::parse(s).ok_or_else(|| AppError::internal(format!("seller with an unknown status: status={s}")))
}

/// The application of seller `organisation_id` with its live documents and full history.
pub async fn load_application(conn: &mut AnyConnection, organisation_id: i64) -> Result<Application, AppError> {
    let r = sqlx::query(
        "SELECT o.id, o.name, o.status, o.region, o.created_at, p.contact_name, p.contact_email, p.contact_phone, \
         p.business_type, p.description, p.submitted_at, p.decided_at, p.activated_at, p.suspended_at, p.last_reason \
         FROM organisations o JOIN seller_profiles p ON p.organisation_id = o.id \
         WHERE o.id = $1 AND o.kind = 'seller'",
    )
    .bind(organisation_id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    let status: String = r.try_get("status")?;
    Ok(Application {
        organisation_id,
        status: status_of(&status)?,
        name: r.try_get("name")?,
        contact_name: r.try_get("contact_name")?,
        contact_email: r.try_get("contact_email")?,
        contact_phone: r.try_get("contact_phone")?,
        business_type: r.try_get("business_type")?,
        region: r.try_get("region")?,
        description: r.try_get("description")?,
        created_at_ms: r.try_get("created_at")?,
        submitted_at_ms: r.try_get("submitted_at")?,
        decided_at_ms: r.try_get("decided_at")?,
        activated_at_ms: r.try_get("activated_at")?,
        suspended_at_ms: r.try_get("suspended_at")?,
        last_reason: r.try_get("last_reason")?,
        documents: documents(conn, organisation_id).await?,
        history: history(conn, organisation_id).await?,
    })
}

async fn documents(conn: &mut AnyConnection, organisation_id: i64) -> Result<Vec<DocumentRow>, AppError> {
    let rows = sqlx::query(
        "SELECT id, kind, file_name, content_type, size_bytes, uploaded_at FROM uploads \
         WHERE organisation_id = $1 AND purpose = $2 AND removed_at IS NULL ORDER BY id LIMIT 100",
    )
    .bind(organisation_id)
    .bind(Purpose::SellerDocument.as_str())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let id: i64 = r.try_get("id")?;
            Ok(DocumentRow {
                id,
                kind: r.try_get("kind")?,
                file_name: r.try_get("file_name")?,
                content_type: r.try_get("content_type")?,
                size_bytes: r.try_get("size_bytes")?,
                uploaded_at_ms: r.try_get("uploaded_at")?,
                url: url_of(Purpose::SellerDocument, id),
            })
        })
        .collect()
}

/// Every transition, oldest first. A seller moves a handful of times in its life; the cap only
/// guards the page against a pathological history.
async fn history(conn: &mut AnyConnection, organisation_id: i64) -> Result<Vec<TransitionRow>, AppError> {
    let rows = sqlx::query(
        "SELECT t.id, t.from_status, t.to_status, t.action, t.actor_id, t.at, t.reason, u.display_name, u.email \
         FROM seller_transitions t JOIN users u ON u.id = t.actor_id \
         WHERE t.organisation_id = $1 ORDER BY t.id LIMIT 500",
    )
    .bind(organisation_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let (from, to): (String, String) = (r.try_get("from_status")?, r.try_get("to_status")?);
            Ok(TransitionRow {
                id: r.try_get("id")?,
                from_status: status_of(&from)?,
                to_status: status_of(&to)?,
                action: r.try_get("action")?,
                actor_id: r.try_get("actor_id")?,
                actor_name: r.try_get("display_name")?,
                actor_email: r.try_get("email")?,
                at_ms: r.try_get("at")?,
                reason: r.try_get("reason")?,
            })
        })
        .collect()
}

/// The caller's application, if they own a seller; that they are staff, if they are.
pub async fn my_application(state: &AppState, user_id: i64) -> Result<MyApplication, AppError> {
    let Some(m) = membership_of(state, user_id).await? else { return Ok(MyApplication::None) };
    match m.role {
        MemberRole::Owner => {
            let mut conn = state.db.read().acquire().await?;
            Ok(MyApplication::Owner(Box::new(load_application(&mut conn, m.organisation_id).await?)))
        }
        MemberRole::Staff => Ok(MyApplication::Staff { organisation_name: m.organisation_name, status: m.status }),
    }
}

/// The seller organisation (id, status, role) `user_id` belongs to, read inside `conn`'s transaction.
async fn membership_in(
    conn: &mut AnyConnection,
    user_id: i64,
) -> Result<Option<(i64, SellerStatus, MemberRole)>, AppError> {
    let row = sqlx::query(
        "SELECT o.id, o.status, m.role FROM organisation_members m JOIN organisations o ON o.id = m.organisation_id \
         WHERE m.user_id = $1 AND o.kind = 'seller' ORDER BY o.id LIMIT 1",
    )
    .bind(user_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(r) = row else { return Ok(None) };
    let (status, role): (String, String) = (r.try_get("status")?, r.try_get("role")?);
    Ok(Some((
        r.try_get("id")?,
        status_of(&status)?,
        MemberRole::parse(&role).ok_or_else(|| AppError::internal(format!("unknown member role {role}")))?,
    )))
}

/// Locks the user's row (PostgreSQL) so that joining or creating a seller for that user is decided
/// by one transaction at a time: a user belongs to at most one seller.
async fn lock_user(conn: &mut AnyConnection, user_id: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE users SET updated_at = updated_at WHERE id = $1").bind(user_id).execute(&mut *conn).await?;
    Ok(())
}

/// Locks the seller's row (PostgreSQL; SQLite has one writer) before reading its state, so two
/// decisions on one seller are taken one after the other, the second seeing the first.
async fn lock_seller(conn: &mut AnyConnection, organisation_id: i64) -> Result<(), AppError> {
    let n = sqlx::query("UPDATE organisations SET status = status WHERE id = $1 AND kind = 'seller'")
        .bind(organisation_id)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    if n == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
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
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    lock_user(&mut tx, caller.user_id).await?;
    let id = match membership_in(&mut tx, caller.user_id).await? {
        Some((_, _, MemberRole::Staff)) => return Err(AppError::conflict("sellers.already_member")),
        Some((_, status, MemberRole::Owner)) if !status.is_editable() => {
            return Err(AppError::conflict("sellers.not_editable"))
        }
        Some((id, status, MemberRole::Owner)) => {
            let before = load_application(&mut tx, id).await?;
            sqlx::query(
                "UPDATE organisations SET name = $1, region = $2, updated_at = $3 WHERE id = $4 AND status = $5",
            )
            .bind(&app.name)
            .bind(&app.region)
            .bind(now)
            .bind(id)
            .bind(status.as_str())
            .execute(&mut *tx)
            .await?;
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
            .execute(&mut *tx)
            .await?;
            let before = json!({
                "name": before.name, "contact_name": before.contact_name, "contact_email": before.contact_email,
                "contact_phone": before.contact_phone, "business_type": before.business_type,
                "region": before.region, "description": before.description,
            });
            audit(&mut tx, caller, meta, now, "sellers.edit", id, before, application_json(app), "").await?;
            id
        }
        None => {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO organisations (name, kind, status, region, owner_user_id, created_at, updated_at) \
                 VALUES ($1, 'seller', 'draft', $2, $3, $4, $4) RETURNING id",
            )
            .bind(&app.name)
            .bind(&app.region)
            .bind(caller.user_id)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO organisation_members (organisation_id, user_id, role, added_at) VALUES ($1, $2, 'owner', $3)",
            )
            .bind(id)
            .bind(caller.user_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
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
            .execute(&mut *tx)
            .await?;
            insert_transition(&mut tx, id, SellerStatus::Draft, SellerStatus::Draft, "apply", caller.user_id, now, "")
                .await?;
            audit(&mut tx, caller, meta, now, "sellers.apply", id, Value::Null, application_json(app), "").await?;
            id
        }
    };
    tx.commit().await?;
    Ok(id)
}

#[allow(clippy::too_many_arguments)]
async fn insert_transition(
    conn: &mut AnyConnection,
    organisation_id: i64,
    from: SellerStatus,
    to: SellerStatus,
    action: &str,
    actor_id: i64,
    now: i64,
    reason: &str,
) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO seller_transitions (organisation_id, from_status, to_status, action, actor_id, at, reason) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(organisation_id)
    .bind(from.as_str())
    .bind(to.as_str())
    .bind(action)
    .bind(actor_id)
    .bind(now)
    .bind(reason)
    .fetch_one(&mut *conn)
    .await?)
}

#[allow(clippy::too_many_arguments)]
async fn audit(
    conn: &mut AnyConnection,
    caller: &Caller,
    meta: &RequestMeta,
    now: i64,
    action: &str,
    organisation_id: i64,
    before: Value,
    after: Value,
    reason: &str,
) -> Result<(), AppError> {
    audit_log::record(
        conn,
        &Actor::of(caller),
        meta,
        now,
        AuditEntry {
            action,
            target_type: "seller",
            target_id: organisation_id.to_string(),
            before,
            after,
            reason,
            result: "ok",
        },
    )
    .await?;
    Ok(())
}

/// The reason a decision carries: required (5 to 2,000 characters) for those that say no or send
/// back, optional for the others (a blank one is stored as empty).
pub fn decision_reason(action: SellerAction, input: &str) -> Result<String, AppError> {
    if !action.needs_reason() && input.trim().is_empty() {
        return Ok(String::new());
    }
    Reason::parse(input).map(|r| r.as_str().to_string()).map_err(|e| AppError::invalid("reason", e.code()))
}

/// The in-app event each decision sends (`notify.<event>` is its message).
fn event_of(action: SellerAction) -> Option<&'static str> {
    match action {
        SellerAction::Submit => None,
        SellerAction::Return => Some("sellers.returned"),
        SellerAction::Approve => Some("sellers.approved"),
        SellerAction::Reject => Some("sellers.rejected"),
        SellerAction::Activate => Some("sellers.activated"),
        SellerAction::Suspend => Some("sellers.suspended"),
        SellerAction::Reinstate => Some("sellers.reinstated"),
    }
}

/// Moves seller `organisation_id` by `action` through the state machine, in one transaction:
/// the status, the profile's timestamps and last reason, a `seller_transitions` row, the audit
/// record (`sellers.<action>`) and the notifications. `seen` is the newest transition id the
/// deciding page showed: if the seller moved since, the decision is refused (Conflict), as is any
/// transition the state machine refuses. Submitting needs a business licence among the documents.
pub async fn transition(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    organisation_id: i64,
    action: SellerAction,
    reason: &str,
    seen: Option<i64>,
) -> Result<SellerStatus, AppError> {
    let mut tx = state.db.begin().await?;
    let to = transition_in(&mut tx, state.now_ms(), caller, meta, organisation_id, action, reason, seen).await?;
    tx.commit().await?;
    Ok(to)
}

/// The currency of the seller's ledger accounts (the platform's one currency; a seller without any
/// account yet has nothing to freeze, and its zero amounts are shown in the platform's default).
async fn seller_currency(tx: &mut AnyConnection, organisation_id: i64) -> Result<String, AppError> {
    let code: Option<String> = sqlx::query_scalar(
        "SELECT currency FROM ledger_accounts WHERE organisation_id = $1 OR organisation_id IS NULL \
         ORDER BY CASE WHEN organisation_id IS NULL THEN 1 ELSE 0 END LIMIT 1",
    )
    .bind(organisation_id)
    .fetch_optional(&mut *tx)
    .await?;
    Ok(code.unwrap_or_else(|| crate::domain::money::Currency::Usd.code().to_string()))
}

/// `transition` inside the caller's transaction, for decisions that move a seller as part of a
/// larger change (trust & safety suspending a reported seller).
#[allow(clippy::too_many_arguments)]
pub async fn transition_in(
    tx: &mut AnyConnection,
    now: i64,
    caller: &Caller,
    meta: &RequestMeta,
    organisation_id: i64,
    action: SellerAction,
    reason: &str,
    seen: Option<i64>,
) -> Result<SellerStatus, AppError> {
    lock_seller(&mut *tx, organisation_id).await?;
    let row = sqlx::query("SELECT name, status, owner_user_id FROM organisations WHERE id = $1")
        .bind(organisation_id)
        .fetch_one(&mut *tx)
        .await?;
    let (name, status, owner): (String, String, i64) =
        (row.try_get("name")?, row.try_get("status")?, row.try_get("owner_user_id")?);
    let from = status_of(&status)?;
    if let Some(seen) = seen {
        let last: Option<i64> = sqlx::query_scalar("SELECT MAX(id) FROM seller_transitions WHERE organisation_id = $1")
            .bind(organisation_id)
            .fetch_one(&mut *tx)
            .await?;
        if last.unwrap_or(0) != seen {
            return Err(AppError::conflict("sellers.changed_meanwhile"));
        }
    }
    let to = from.apply(action).map_err(|e| AppError::conflict(e.code()))?;
    if action == SellerAction::Submit {
        let (total, licences): (i64, i64) = {
            let r = sqlx::query(
                "SELECT COUNT(*) AS total, COALESCE(SUM(CASE WHEN kind = 'business_licence' THEN 1 ELSE 0 END), 0) \
                 AS licences FROM uploads WHERE organisation_id = $1 AND purpose = $2 AND removed_at IS NULL",
            )
            .bind(organisation_id)
            .bind(Purpose::SellerDocument.as_str())
            .fetch_one(&mut *tx)
            .await?;
            (r.try_get("total")?, r.try_get("licences")?)
        };
        if total == 0 {
            return Err(AppError::invalid("documents", "sellers.need_documents"));
        }
        if licences == 0 {
            return Err(AppError::invalid("documents", "sellers.need_licence"));
        }
        if total > MAX_DOCUMENTS {
            return Err(AppError::invalid("documents", "sellers.too_many_documents"));
        }
    }
    let impact: Option<SuspensionImpact> = match action {
        SellerAction::Suspend | SellerAction::Reinstate => {
            let currency = seller_currency(&mut *tx, organisation_id).await?;
            Some(impact_in(&mut *tx, organisation_id, &currency).await?)
        }
        _ => None,
    };
    let moved = sqlx::query("UPDATE organisations SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4")
        .bind(to.as_str())
        .bind(now)
        .bind(organisation_id)
        .bind(from.as_str())
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if moved != 1 {
        return Err(AppError::conflict("sellers.changed_meanwhile"));
    }
    let profile = match action {
        SellerAction::Submit => {
            sqlx::query("UPDATE seller_profiles SET submitted_at = $1 WHERE organisation_id = $2").bind(now)
        }
        SellerAction::Return | SellerAction::Approve | SellerAction::Reject => {
            sqlx::query("UPDATE seller_profiles SET decided_at = $1, last_reason = $2 WHERE organisation_id = $3")
                .bind(now)
                .bind(reason)
        }
        SellerAction::Activate => {
            sqlx::query("UPDATE seller_profiles SET activated_at = $1 WHERE organisation_id = $2").bind(now)
        }
        SellerAction::Suspend => {
            sqlx::query("UPDATE seller_profiles SET suspended_at = $1, last_reason = $2 WHERE organisation_id = $3")
                .bind(now)
                .bind(reason)
        }
        SellerAction::Reinstate => {
            sqlx::query("UPDATE seller_profiles SET suspended_at = NULL, last_reason = $1 WHERE organisation_id = $2")
                .bind(reason)
        }
    };
    profile.bind(organisation_id).execute(&mut *tx).await?;
    let transition_id =
        insert_transition(&mut *tx, organisation_id, from, to, action.as_str(), caller.user_id, now, reason).await?;
    let mut after = json!({"status": to.as_str(), "transition_id": transition_id});
    if let Some(impact) = impact {
        // The suspension freezes the seller's unsettled earnings and open payout requests; the
        // reinstatement lifts the freeze. The record says what was frozen or released.
        let frozen = action == SellerAction::Suspend;
        let payouts = crate::finance::seller_finance::set_frozen(&mut *tx, organisation_id, frozen, now).await?;
        after["impact"] =
            serde_json::to_value(&impact).map_err(|e| AppError::internal(format!("serialising the impact: {e}")))?;
        after[if frozen { "frozen" } else { "unfrozen" }] = json!({
            "currency": impact.currency,
            "pending_minor": impact.pending_minor,
            "available_minor": impact.available_minor,
            "in_transit_minor": impact.in_transit_minor,
            "payout_requests": payouts,
        });
    }
    audit(
        &mut *tx,
        caller,
        meta,
        now,
        &format!("sellers.{}", action.as_str()),
        organisation_id,
        json!({"status": from.as_str()}),
        after,
        reason,
    )
    .await?;
    if let Some(event) = event_of(action) {
        // Suspension and reinstatement change every member's work; the other decisions are the
        // applicant's (the owner's) business.
        let recipients: Vec<i64> = if matches!(action, SellerAction::Suspend | SellerAction::Reinstate) {
            sqlx::query_scalar("SELECT user_id FROM organisation_members WHERE organisation_id = $1 ORDER BY user_id")
                .bind(organisation_id)
                .fetch_all(&mut *tx)
                .await?
        } else {
            vec![owner]
        };
        let payload = json!({"seller": name, "reason": reason});
        for user_id in recipients {
            outbox::enqueue(&mut *tx, now, &OutboxEvent::notify(user_id, event, payload.clone())).await?;
        }
    }
    Ok(to)
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
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    lock_seller(&mut tx, organisation_id).await?;
    let status: String = sqlx::query_scalar("SELECT status FROM organisations WHERE id = $1")
        .bind(organisation_id)
        .fetch_one(&mut *tx)
        .await?;
    if !status_of(&status)?.is_editable() {
        return Err(AppError::conflict("sellers.not_editable"));
    }
    let row = sqlx::query(
        "SELECT kind, file_name FROM uploads WHERE id = $1 AND organisation_id = $2 AND purpose = $3 \
         AND removed_at IS NULL",
    )
    .bind(upload_id)
    .bind(organisation_id)
    .bind(Purpose::SellerDocument.as_str())
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let (kind, file_name): (String, String) = (row.try_get("kind")?, row.try_get("file_name")?);
    sqlx::query("UPDATE uploads SET removed_at = $1 WHERE id = $2").bind(now).bind(upload_id).execute(&mut *tx).await?;
    audit(
        &mut tx,
        caller,
        meta,
        now,
        "sellers.document_remove",
        organisation_id,
        json!({"document": upload_id, "kind": kind, "file_name": file_name}),
        json!({"document": upload_id, "removed_at": now}),
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(())
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
            .await?;
    Ok(member.is_some())
}

pub async fn members(conn: &mut AnyConnection, organisation_id: i64) -> Result<Vec<MemberRow>, AppError> {
    let rows = sqlx::query(
        "SELECT m.user_id, m.role, m.added_at, u.email, u.display_name FROM organisation_members m \
         JOIN users u ON u.id = m.user_id WHERE m.organisation_id = $1 \
         ORDER BY CASE WHEN m.role = 'owner' THEN 0 ELSE 1 END, m.added_at, m.user_id LIMIT 200",
    )
    .bind(organisation_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let role: String = r.try_get("role")?;
            Ok(MemberRow {
                user_id: r.try_get("user_id")?,
                email: r.try_get("email")?,
                display_name: r.try_get("display_name")?,
                role: MemberRole::parse(&role)
                    .ok_or_else(|| AppError::internal(format!("unknown member role {role}")))?,
                added_at_ms: r.try_get("added_at")?,
            })
        })
        .collect()
}

pub async fn team(state: &AppState, m: &crate::platform::seller_access::Membership) -> Result<Team, AppError> {
    let mut conn = state.db.read().acquire().await?;
    Ok(Team {
        organisation_id: m.organisation_id,
        organisation_name: m.organisation_name.clone(),
        status: m.status,
        my_role: m.role,
        members: members(&mut conn, m.organisation_id).await?,
    })
}

/// Adds the account with `email` to the seller as staff and tells them in-app. The account must
/// exist and belong to no seller yet.
pub async fn invite_staff(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    organisation_id: i64,
    email: &str,
) -> Result<i64, AppError> {
    let email = Email::parse(email).map_err(|e| AppError::invalid("email", e.code()))?;
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    lock_seller(&mut tx, organisation_id).await?;
    let user_id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = $1 AND status = 'active'")
        .bind(email.as_str())
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| AppError::invalid("email", "sellers.unknown_account"))?;
    lock_user(&mut tx, user_id).await?;
    if let Some((org, _, _)) = membership_in(&mut tx, user_id).await? {
        let code = if org == organisation_id { "sellers.already_in_team" } else { "sellers.in_another_seller" };
        return Err(AppError::invalid("email", code));
    }
    let staff: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM organisation_members WHERE organisation_id = $1 AND role = 'staff'")
            .bind(organisation_id)
            .fetch_one(&mut *tx)
            .await?;
    if staff >= MAX_STAFF {
        return Err(AppError::conflict("sellers.team_full"));
    }
    sqlx::query(
        "INSERT INTO organisation_members (organisation_id, user_id, role, added_at) VALUES ($1, $2, 'staff', $3)",
    )
    .bind(organisation_id)
    .bind(user_id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let name: String = sqlx::query_scalar("SELECT name FROM organisations WHERE id = $1")
        .bind(organisation_id)
        .fetch_one(&mut *tx)
        .await?;
    audit(
        &mut tx,
        caller,
        meta,
        now,
        "sellers.staff_add",
        organisation_id,
        Value::Null,
        json!({"user_id": user_id, "email": email.as_str(), "role": "staff"}),
        "",
    )
    .await?;
    outbox::enqueue(&mut tx, now, &OutboxEvent::notify(user_id, "sellers.staff_added", json!({"seller": name})))
        .await?;
    tx.commit().await?;
    Ok(user_id)
}

/// Takes a staff member off the team (the owner cannot be removed) and tells them in-app.
pub async fn remove_staff(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    organisation_id: i64,
    user_id: i64,
) -> Result<(), AppError> {
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    lock_seller(&mut tx, organisation_id).await?;
    let role: Option<String> =
        sqlx::query_scalar("SELECT role FROM organisation_members WHERE organisation_id = $1 AND user_id = $2")
            .bind(organisation_id)
            .bind(user_id)
            .fetch_optional(&mut *tx)
            .await?;
    match role.as_deref().and_then(MemberRole::parse) {
        None => return Err(AppError::NotFound),
        Some(MemberRole::Owner) => return Err(AppError::conflict("sellers.cannot_remove_owner")),
        Some(MemberRole::Staff) => {}
    }
    sqlx::query("DELETE FROM organisation_members WHERE organisation_id = $1 AND user_id = $2")
        .bind(organisation_id)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    let name: String = sqlx::query_scalar("SELECT name FROM organisations WHERE id = $1")
        .bind(organisation_id)
        .fetch_one(&mut *tx)
        .await?;
    audit(
        &mut tx,
        caller,
        meta,
        now,
        "sellers.staff_remove",
        organisation_id,
        json!({"user_id": user_id, "role": "staff"}),
        Value::Null,
        "",
    )
    .await?;
    outbox::enqueue(&mut tx, now, &OutboxEvent::notify(user_id, "sellers.staff_removed", json!({"seller": name})))
        .await?;
    tx.commit().await?;
    Ok(())
}
