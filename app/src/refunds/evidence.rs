//! Evidence files for refunds and disputes: a PDF or photo about one order, uploaded by its buyer or
//! a member of its seller (`POST /uploads/evidence`), stored with `uploads.kind = order:<id>`, and
//! served (`GET /evidence/{id}`) only to the uploader, the order's buyer, its seller's members and
//! operators with `refunds.view`. A refund request or dispute message refers to an upload of the
//! caller's own for the same order (`check_attachable`).

use crate::domain::permissions::REFUNDS_VIEW;
use crate::domain::upload::Purpose;
use crate::error::AppError;
use crate::platform::caller::Caller;
use crate::platform::state::AppState;
use crate::platform::uploads::{self, StoredUpload, UploadRow};
use sqlx::{AnyConnection, Row};

/// Evidence files per order (both sides together), so an order's pages stay readable.
pub const MAX_EVIDENCE_PER_ORDER: i64 = 30;

/// `uploads.kind` of evidence about order `order_id`.
pub fn kind_of(order_id: i64) -> String {
    format!("order:{order_id}")
}

fn order_of_kind(kind: &str) -> Option<i64> {
    kind.strip_prefix("order:")?.parse().ok()
}

/// Whether `user_id` is a member (or the owner) of seller organisation `organisation_id`.
pub async fn is_member(conn: &mut AnyConnection, organisation_id: i64, user_id: i64) -> Result<bool, AppError> {
    let n: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM organisation_members WHERE organisation_id = $1 AND user_id = $2) \
         + (SELECT COUNT(*) FROM organisations WHERE id = $1 AND owner_user_id = $2)",
    )
    .bind(organisation_id)
    .bind(user_id)
    .fetch_one(&mut *conn)
    .await?;
    Ok(n > 0)
}

/// The order's buyer and seller, when `user_id` is one of its two sides. `None` otherwise (and for an
/// order that does not exist).
async fn side_of(conn: &mut AnyConnection, order_id: i64, user_id: i64) -> Result<Option<(i64, i64)>, AppError> {
    let Some(r) = sqlx::query("SELECT buyer_id, organisation_id FROM orders WHERE id = $1")
        .bind(order_id)
        .fetch_optional(&mut *conn)
        .await?
    else {
        return Ok(None);
    };
    let (buyer, org): (i64, i64) = (r.try_get("buyer_id")?, r.try_get("organisation_id")?);
    if buyer == user_id || is_member(conn, org, user_id).await? {
        Ok(Some((buyer, org)))
    } else {
        Ok(None)
    }
}

/// Stores an evidence file about order `order_id` for its buyer or a member of its seller; anyone
/// else gets `NotFound`, as if the order did not exist.
pub async fn attach(
    state: &AppState,
    caller: &Caller,
    order_id: i64,
    file_name: &str,
    bytes: Vec<u8>,
) -> Result<StoredUpload, AppError> {
    let kind = kind_of(order_id);
    {
        let mut conn = state.db.read().acquire().await?;
        side_of(&mut conn, order_id, caller.user_id).await?.ok_or(AppError::NotFound)?;
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM uploads WHERE purpose = $1 AND kind = $2")
            .bind(Purpose::Evidence.as_str())
            .bind(&kind)
            .fetch_one(&mut *conn)
            .await?;
        if n >= MAX_EVIDENCE_PER_ORDER {
            return Err(AppError::invalid("file", "upload.too_many"));
        }
    }
    uploads::store_for(state, Purpose::Evidence, None, caller.user_id, &kind, file_name, bytes).await
}

/// Whether `caller` may read evidence `row`.
pub async fn may_read(state: &AppState, caller: &Caller, row: &UploadRow) -> Result<bool, AppError> {
    if row.purpose != Purpose::Evidence {
        return Ok(false);
    }
    if row.uploaded_by == caller.user_id || caller.can(REFUNDS_VIEW) {
        return Ok(true);
    }
    let Some(order_id) = order_of_kind(&row.kind) else { return Ok(false) };
    let mut conn = state.db.read().acquire().await?;
    Ok(side_of(&mut conn, order_id, caller.user_id).await?.is_some())
}

/// Checks that upload `upload_id` is evidence `user_id` uploaded about order `order_id`: what a
/// refund request or a dispute message may refer to. Otherwise `Invalid(field, "refunds.bad_evidence")`.
pub async fn check_attachable(
    conn: &mut AnyConnection,
    field: &str,
    upload_id: i64,
    order_id: i64,
    user_id: i64,
) -> Result<(), AppError> {
    let ok: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM uploads WHERE id = $1 AND purpose = $2 AND kind = $3 AND uploaded_by = $4 \
         AND removed_at IS NULL",
    )
    .bind(upload_id)
    .bind(Purpose::Evidence.as_str())
    .bind(kind_of(order_id))
    .bind(user_id)
    .fetch_one(&mut *conn)
    .await?;
    if ok == 1 {
        Ok(())
    } else {
        Err(AppError::invalid(field, "refunds.bad_evidence"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kind_names_the_order() {
        assert_eq!(kind_of(42), "order:42");
        assert_eq!(order_of_kind("order:42"), Some(42));
        assert_eq!(order_of_kind("payment:42"), None);
        assert_eq!(order_of_kind("order:x"), None);
    }
}
