//! Payout requests by the seller owner: checked under the seller's finance lock, moved from available
//! to in transit in the ledger, with their risk flags; idempotent by the form's key.

use super::model::{PayoutRow, SellerPayoutsView};
use super::rows::{
    active_accounts, frozen_seller, has_open_request, hold_of, posting_error, rows, PayoutRecord, SELECT_ROW,
};
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::ledger::Posting;
use crate::domain::page::{page_size, parse_id_cursor, Page};
use crate::domain::payout::{check_request, risk_flags, RequestFacts, RiskFacts, RiskFlag};
use crate::domain::seller::MemberRole;
use crate::error::AppError;
use crate::finance::seller_finance::{self, SellerFinance};
use crate::platform::caller::new_token;
use crate::platform::change::{Audit, Change, RowLock};
use crate::platform::idempotency::{self, fingerprint, Scope};
use crate::platform::ledger::PostingRefs;
use crate::platform::seller_access::SellerCtx;
use crate::platform::sql::{after_id, order_limit, Order, Sql};
use crate::platform::state::AppState;
use serde_json::json;
use sqlx::Row;

pub async fn seller_payouts(sctx: &SellerCtx) -> Result<SellerPayoutsView, AppError> {
    let state = &sctx.ctx.state;
    let org = sctx.membership.organisation_id;
    let currency = state.settings().currency;
    let mut conn = state.db.read().acquire().await?;
    let b = seller_finance::balances(&mut conn, org, currency.code()).await?;
    let fin = seller_finance::read(&mut conn, org).await?;
    Ok(SellerPayoutsView {
        organisation_name: sctx.membership.organisation_name.clone(),
        is_owner: sctx.membership.role == MemberRole::Owner,
        currency,
        pending_minor: b.pending_minor,
        available_minor: b.available_minor,
        in_transit_minor: b.in_transit_minor,
        minimum_minor: state.settings().payout_min_minor,
        frozen: frozen_seller(&fin, sctx.membership.status),
        hold_until_ms: hold_of(fin.payouts_hold_until, state.now_ms()),
        open_request: has_open_request(&mut conn, org).await?,
        accounts: active_accounts(&mut conn, org).await?,
        idempotency_key: new_token()[..32].to_string(),
    })
}

/// The seller's requests, newest first.
pub async fn list_seller_payouts(
    state: &AppState,
    org: i64,
    cursor: Option<&str>,
) -> Result<Page<PayoutRow>, AppError> {
    let size = page_size(None);
    let mut sql = Sql::new(state.db.backend, SELECT_ROW);
    sql.push(" WHERE 1 = 1").and_eq("p.organisation_id", org);
    after_id(&mut sql, "p.id", Order::Desc, Some(parse_id_cursor(cursor).unwrap_or(i64::MAX)));
    order_limit(&mut sql, "p.id DESC", size);
    let records: Vec<PayoutRecord> = sql.query_as().fetch_all(state.db.read()).await?;
    Ok(Page::from_overfetch(rows(records, state.now_ms())?, size, |r| r.id.to_string()))
}

/// What the domain decides a request on, read under the finance lock: the facts for `check_request`
/// and the risk flags of an accepted one.
async fn request_facts(
    sctx: &SellerCtx,
    c: &mut Change,
    fin: &SellerFinance,
    amount: i64,
    account_id: i64,
) -> Result<(RequestFacts, Vec<RiskFlag>), AppError> {
    let (org, now, settings) = (sctx.membership.organisation_id, c.now_ms(), c.state().settings().clone());
    let account = sqlx::query(
        "SELECT id, created_at FROM payout_accounts WHERE id = $1 AND organisation_id = $2 AND status = 'active'",
    )
    .bind(account_id)
    .bind(org)
    .fetch_optional(c.conn())
    .await?;
    let account_changed_at: i64 = match &account {
        Some(r) => r.try_get("created_at")?,
        None => 0,
    };
    let balances = seller_finance::balances(c.conn(), org, settings.currency.code()).await?;
    let facts = RequestFacts {
        available_minor: balances.available_minor,
        minimum_minor: settings.payout_min_minor,
        open_request: has_open_request(c.conn(), org).await?,
        frozen: frozen_seller(fin, sctx.membership.status),
        hold_until: fin.payouts_hold_until,
        now,
        account_active: account.is_some(),
    };
    let last_dispute_at: Option<i64> =
        sqlx::query_scalar("SELECT MAX(created_at) FROM disputes WHERE organisation_id = $1")
            .bind(org)
            .fetch_one(c.conn())
            .await?;
    let flags = risk_flags(&RiskFacts {
        amount_minor: amount,
        threshold_minor: settings.payout_review_threshold_minor,
        account_changed_at,
        last_dispute_at,
        ever_negative: fin.last_negative_at.is_some(),
        now,
    });
    Ok((facts, flags))
}

/// A checked payout request, ready to be stored.
struct NewPayout<'a> {
    org: i64,
    account_id: i64,
    amount: i64,
    key: &'a str,
    fingerprint: &'a str,
    flags: &'a [RiskFlag],
    by: i64,
}

async fn insert_payout(c: &mut Change, p: &NewPayout<'_>) -> Result<i64, AppError> {
    let (now, currency) = (c.now_ms(), c.state().settings().currency);
    Ok(sqlx::query_scalar(
        "INSERT INTO payouts (organisation_id, payout_account_id, currency, amount_minor, status, idempotency_key, \
         request_hash, risk_flags, frozen, requested_by, requested_at, updated_at) \
         VALUES ($1, $2, $3, $4, 'requested', $5, $6, $7, 0, $8, $9, $9) RETURNING id",
    )
    .bind(p.org)
    .bind(p.account_id)
    .bind(currency.code())
    .bind(p.amount)
    .bind(p.key)
    .bind(p.fingerprint)
    .bind(RiskFlag::join(p.flags))
    .bind(p.by)
    .bind(now)
    .fetch_one(c.conn())
    .await?)
}

/// A payout request of `amount` to the seller's account `account_id`: checked under the seller's
/// finance lock, moved from available to in transit in the ledger, with its risk flags. The same key
/// with the same request returns the first payout; with another request `idempotency.key_reused`.
pub async fn request_payout(sctx: &SellerCtx, key: &str, amount: i64, account_id: i64) -> Result<i64, AppError> {
    let org = sctx.membership.organisation_id;
    let fp = fingerprint(&["payout", &amount.to_string(), &account_id.to_string()]);
    let mut c = Change::by(&sctx.ctx).await?;
    c.lock(RowLock::SellerFinance(org)).await?;
    let fin = seller_finance::read(c.conn(), org).await?;
    let scope = Scope { table: "payouts", column: "organisation_id", id: org };
    if let Some(first) = idempotency::replay(c.conn(), scope, key, &fp).await? {
        return Ok(first);
    }
    // Money leaves only at the request of someone whose address is proven.
    crate::auth::verification::require_verified(&mut c, sctx.ctx.caller.user_id).await?;
    let (facts, flags) = request_facts(sctx, &mut c, &fin, amount, account_id).await?;
    check_request(amount, &facts).map_err(|(f, code)| AppError::invalid(f, code))?;
    let new = NewPayout { org, account_id, amount, key, fingerprint: &fp, flags: &flags, by: sctx.ctx.caller.user_id };
    let id = insert_payout(&mut c, &new).await?;
    let currency = c.state().settings().currency;
    let posting = Posting::payout_requested(currency, org, amount).map_err(posting_error)?;
    let memo = format!("payout {id} requested");
    let posting_id = c.post(&format!("payout:{id}:requested"), &posting, PostingRefs::default(), &memo).await?;
    let after = json!({
        "status": "requested",
        "organisation_id": org,
        "amount_minor": amount,
        "currency": currency.code(),
        "payout_account_id": account_id,
        "risk_flags": RiskFlag::join(&flags),
        "posting_id": posting_id,
    });
    let data = json!({"id": id, "organisation_id": org, "amount_minor": amount, "currency": currency.code()});
    crate::webhooks::publish(&mut c, crate::domain::webhook::Scope::Seller(org), "payouts.requested", data.clone())
        .await?;
    crate::webhooks::publish(&mut c, crate::domain::webhook::Scope::Platform, "payouts.requested", data).await?;
    let audit = Audit::new(AuditAction::PayoutsRequest, AuditTarget::Payout(id))
        .before(json!({"available_minor": facts.available_minor}))
        .after(after);
    c.audit(audit).await?;
    c.commit().await?;
    Ok(id)
}
