//! Payout accounts: the seller owner adds, changes and removes them (each change starts a
//! cooling-off during which payouts wait), finance reveals a full number (audited with a reason).
//! Every mutation is one `Change` that first takes the seller's finance lock, so one seller's account
//! changes, payout requests and decisions are decided one at a time.

use super::model::{PayoutAccountView, PayoutAccountsView};
use super::rows::{active_accounts, hold_of, own_account};
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::payout::{self, PayoutAccountInput, MAX_ACCOUNTS};
use crate::domain::reason::Reason;
use crate::domain::seller::MemberRole;
use crate::error::AppError;
use crate::finance::seller_finance;
use crate::platform::caller::Ctx;
use crate::platform::change::{Audit, Change, RowLock};
use crate::platform::outbox::OutboxEvent;
use crate::platform::seller_access::SellerCtx;
use serde_json::json;
use sqlx::Row;

/// The caller's password typed again (a payout account change is protected; the seller gives no
/// written reason, the change itself is the reason). A wrong one is a refusal on record.
pub async fn confirm_password(ctx: &Ctx, password: &str) -> Result<(), AppError> {
    crate::platform::guard::confirm_password(ctx, password).await
}

/// Only the organisation's owner manages payout accounts and requests payouts.
pub fn owner_only(sctx: &SellerCtx) -> Result<(), AppError> {
    if sctx.membership.role == MemberRole::Owner {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Parses a payout account form (`domain::payout::parse_account`) into an `AppError` by field.
pub fn parse_account(
    method: &str,
    holder: &str,
    account: &str,
    bank_name: &str,
    notes: &str,
) -> Result<PayoutAccountInput, AppError> {
    payout::parse_account(method, holder, account, bank_name, notes).map_err(|(f, code)| AppError::invalid(f, code))
}

pub async fn my_accounts(sctx: &SellerCtx) -> Result<PayoutAccountsView, AppError> {
    let state = &sctx.ctx.state;
    let org = sctx.membership.organisation_id;
    let mut conn = state.db.read().acquire().await?;
    let accounts = active_accounts(&mut conn, org).await?;
    let finance = seller_finance::read(&mut conn, org).await?;
    Ok(PayoutAccountsView {
        is_owner: sctx.membership.role == MemberRole::Owner,
        accounts,
        hold_until_ms: hold_of(finance.payouts_hold_until, state.now_ms()),
        cooling_off_hours: state.settings().payout_cooling_off_ms / 3_600_000,
        max_accounts: MAX_ACCOUNTS,
    })
}

/// The account fields that may appear in audit records and notifications: never the full number.
fn audit_view(a: &PayoutAccountInput) -> serde_json::Value {
    json!({
        "method": a.method.as_str(),
        "holder": a.holder,
        "account_masked": a.account_masked,
        "bank_name": a.bank_name,
        "notes": a.notes,
    })
}

fn stored_audit_view(a: &PayoutAccountView) -> serde_json::Value {
    json!({
        "id": a.id,
        "method": a.method.as_str(),
        "holder": a.holder,
        "account_masked": a.account_masked,
        "bank_name": a.bank_name,
        "notes": a.notes,
    })
}

async fn insert_account(
    c: &mut Change,
    org: i64,
    a: &PayoutAccountInput,
    replaces: Option<i64>,
    by: i64,
) -> Result<i64, AppError> {
    let now = c.now_ms();
    Ok(sqlx::query_scalar(
        "INSERT INTO payout_accounts (organisation_id, method, holder, account_number, account_masked, bank_name, notes, \
         status, replaces_id, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'active', $8, $9, $10) RETURNING id",
    )
    .bind(org)
    .bind(a.method.as_str())
    .bind(&a.holder)
    .bind(&a.account_number)
    .bind(&a.account_masked)
    .bind(&a.bank_name)
    .bind(&a.notes)
    .bind(replaces)
    .bind(by)
    .bind(now)
    .fetch_one(c.conn())
    .await?)
}

async fn owner_of(c: &mut Change, org: i64) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar("SELECT owner_user_id FROM organisations WHERE id = $1")
        .bind(org)
        .fetch_one(c.conn())
        .await?)
}

/// The cooling-off and the owner's notification every account change ends with. Returns the end of
/// the cooling-off.
async fn after_account_change(c: &mut Change, org: i64, masked: &str) -> Result<i64, AppError> {
    let now = c.now_ms();
    let cooling_off = c.state().settings().payout_cooling_off_ms;
    let until = now + cooling_off;
    seller_finance::hold_payouts_until(c.conn(), org, until, now).await?;
    let owner = owner_of(c, org).await?;
    let payload = json!({"account": masked, "hours": cooling_off / 3_600_000, "until_ms": until});
    c.notify(OutboxEvent::notify(owner, "payout_accounts.changed", payload)).await?;
    Ok(until)
}

/// The new account, as audited: masked fields, its id and the cooling-off's end.
fn added(a: &PayoutAccountInput, id: i64, until: i64) -> serde_json::Value {
    let mut after = audit_view(a);
    after["id"] = json!(id);
    after["payouts_hold_until"] = json!(until);
    after
}

pub async fn add_account(sctx: &SellerCtx, a: &PayoutAccountInput) -> Result<i64, AppError> {
    let org = sctx.membership.organisation_id;
    let mut c = Change::by(&sctx.ctx).await?;
    c.lock(RowLock::SellerFinance(org)).await?;
    let active: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM payout_accounts WHERE organisation_id = $1 AND status = 'active'")
            .bind(org)
            .fetch_one(c.conn())
            .await?;
    if active >= MAX_ACCOUNTS {
        return Err(AppError::conflict("payouts.too_many_accounts"));
    }
    let id = insert_account(&mut c, org, a, None, sctx.ctx.caller.user_id).await?;
    let until = after_account_change(&mut c, org, &a.account_masked).await?;
    let audit = Audit::new(AuditAction::PayoutAccountsAdd, AuditTarget::Organisation(org)).after(added(a, id, until));
    c.audit(audit).await?;
    c.commit().await?;
    Ok(id)
}

/// The seller's active account `id`, under the finance lock the caller holds.
async fn active_own_account(c: &mut Change, org: i64, id: i64) -> Result<PayoutAccountView, AppError> {
    let old = own_account(c.conn(), org, id).await?;
    if old.status != "active" {
        return Err(AppError::conflict("payouts.account_not_active"));
    }
    Ok(old)
}

/// A change is a new account row; the old one is kept as `replaced`, so the payouts made to it still
/// point at what they were paid to.
pub async fn change_account(sctx: &SellerCtx, id: i64, a: &PayoutAccountInput) -> Result<i64, AppError> {
    let org = sctx.membership.organisation_id;
    let mut c = Change::by(&sctx.ctx).await?;
    c.lock(RowLock::SellerFinance(org)).await?;
    let old = active_own_account(&mut c, org, id).await?;
    let retired = sqlx::query(
        "UPDATE payout_accounts SET status = 'replaced', retired_at = $1 WHERE id = $2 AND status = 'active'",
    )
    .bind(c.now_ms())
    .bind(id)
    .execute(c.conn())
    .await?
    .rows_affected();
    if retired != 1 {
        return Err(AppError::conflict("payouts.account_not_active"));
    }
    let new_id = insert_account(&mut c, org, a, Some(id), sctx.ctx.caller.user_id).await?;
    let until = after_account_change(&mut c, org, &a.account_masked).await?;
    let audit = Audit::new(AuditAction::PayoutAccountsChange, AuditTarget::Organisation(org))
        .before(stored_audit_view(&old))
        .after(added(a, new_id, until));
    c.audit(audit).await?;
    c.commit().await?;
    Ok(new_id)
}

/// Removes an account no open payout is going to.
pub async fn remove_account(sctx: &SellerCtx, id: i64) -> Result<(), AppError> {
    let org = sctx.membership.organisation_id;
    let mut c = Change::by(&sctx.ctx).await?;
    c.lock(RowLock::SellerFinance(org)).await?;
    let old = active_own_account(&mut c, org, id).await?;
    let open: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM payouts WHERE payout_account_id = $1 AND status IN ('requested', 'approved')",
    )
    .bind(id)
    .fetch_one(c.conn())
    .await?;
    if open > 0 {
        return Err(AppError::conflict("payouts.account_in_use"));
    }
    sqlx::query("UPDATE payout_accounts SET status = 'removed', retired_at = $1 WHERE id = $2 AND status = 'active'")
        .bind(c.now_ms())
        .bind(id)
        .execute(c.conn())
        .await?;
    let owner = owner_of(&mut c, org).await?;
    c.notify(OutboxEvent::notify(owner, "payout_accounts.removed", json!({"account": old.account_masked}))).await?;
    let audit = Audit::new(AuditAction::PayoutAccountsRemove, AuditTarget::Organisation(org))
        .before(stored_audit_view(&old))
        .after(json!({"status": "removed"}));
    c.audit(audit).await?;
    c.commit().await
}

/// The full account number for finance, audited with the reason.
pub async fn reveal_account(ctx: &Ctx, id: i64, reason: &Reason) -> Result<String, AppError> {
    let mut c = Change::by(ctx).await?;
    let row = sqlx::query("SELECT organisation_id, account_number, account_masked FROM payout_accounts WHERE id = $1")
        .bind(id)
        .fetch_optional(c.conn())
        .await?
        .ok_or(AppError::NotFound)?;
    let number: String = row.try_get("account_number")?;
    let masked: String = row.try_get("account_masked")?;
    let org: i64 = row.try_get("organisation_id")?;
    let audit = Audit::new(AuditAction::PayoutAccountsReveal, AuditTarget::PayoutAccount(id))
        .after(json!({"organisation_id": org, "account_masked": masked}))
        .reason(reason.as_str());
    c.audit(audit).await?;
    c.commit().await?;
    Ok(number)
}
