//! Payout accounts and payouts behind the server functions. Every mutation is one transaction that
//! first takes the seller's finance lock (`finance::seller_finance::lock`), so one seller's account
//! changes, payout requests, decisions and freezes are decided one at a time; then it re-reads what
//! it decides on, applies `domain::payout`, posts to the ledger, audits and notifies, and commits.
//!
//! Account numbers leave this module only masked, except through `reveal_account` (audited).

use super::model::{
    PayoutAccountView, PayoutAccountsView, PayoutAudit, PayoutDetail, PayoutPosting, PayoutRow, QueueCounters,
    QueueFilter, SellerPayoutsView,
};
use crate::domain::ledger::Posting;
use crate::domain::money::{Currency, Money};
use crate::domain::page::{page_size, parse_id_cursor, Page};
use crate::domain::payout::{
    self, check_request, risk_flags, Failure, NextAction, PayoutAccountInput, PayoutAction, PayoutMethod, PayoutStatus,
    RequestFacts, RiskFacts, RiskFlag, MAX_ACCOUNTS,
};
use crate::domain::reason::Reason;
use crate::domain::seller::{MemberRole, SellerStatus};
use crate::error::AppError;
use crate::finance::seller_finance;
use crate::platform::audit_log::{self, Actor, AuditEntry};
use crate::platform::caller::{new_token, Caller, Ctx, RequestMeta};
use crate::platform::idempotency;
use crate::platform::ledger::{self, PostingRefs};
use crate::platform::outbox::{self, OutboxEvent};
use crate::platform::seller_access::SellerCtx;
use crate::platform::sql::{after_id, contains, order_limit, Order, Sql};
use crate::platform::state::AppState;
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

/// How many of the seller's other payouts the detail page lists.
const HISTORY: i64 = 10;
/// How many audit entries the detail page lists.
const AUDIT_LINES: i64 = 50;
const WEEK_MS: i64 = 7 * 86_400_000;

fn corrupt(what: &str, value: &str) -> AppError {
    tracing::error!(what, value, "payout row with an unknown value");
    AppError::Internal
}

fn invalid((field, code): (&'static str, &'static str)) -> AppError {
    AppError::invalid(field, code)
}

/// The caller's password typed again (a payout account change is protected; the seller gives no
/// written reason, the change itself is the reason).
pub async fn confirm_password(ctx: &Ctx, password: &str) -> Result<(), AppError> {
    if !crate::domain::password::acceptable_attempt(password) {
        return Err(AppError::invalid("password", "password.required"));
    }
    let stored: String = sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
        .bind(ctx.caller.user_id)
        .fetch_one(ctx.state.db.read())
        .await?;
    if !crate::platform::passwords::verify(password.to_string(), stored).await {
        return Err(AppError::invalid("password", "password.wrong"));
    }
    Ok(())
}

/// Only the organisation's owner manages payout accounts and requests payouts.
pub fn owner_only(sctx: &SellerCtx) -> Result<(), AppError> {
    if sctx.membership.role == MemberRole::Owner {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

// ---------------------------------------------------------------------------------------------------
// Payout accounts.

const SELECT_ACCOUNT: &str = "SELECT id, organisation_id, method, holder, account_masked, bank_name, notes, status, \
     created_at FROM payout_accounts";

fn account_view(r: &AnyRow) -> Result<PayoutAccountView, AppError> {
    let method: String = r.try_get("method")?;
    Ok(PayoutAccountView {
        id: r.try_get("id")?,
        method: PayoutMethod::parse(&method).ok_or_else(|| corrupt("method", &method))?,
        holder: r.try_get("holder")?,
        account_masked: r.try_get("account_masked")?,
        bank_name: r.try_get("bank_name")?,
        notes: r.try_get("notes")?,
        status: r.try_get("status")?,
        created_at_ms: r.try_get("created_at")?,
    })
}

async fn active_accounts(conn: &mut AnyConnection, org: i64) -> Result<Vec<PayoutAccountView>, AppError> {
    let rows = sqlx::query(&format!("{SELECT_ACCOUNT} WHERE organisation_id = $1 AND status = 'active' ORDER BY id"))
        .bind(org)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(account_view).collect()
}

/// The seller's account `id`; another seller's account does not exist as far as the caller can tell.
async fn own_account(conn: &mut AnyConnection, org: i64, id: i64) -> Result<PayoutAccountView, AppError> {
    let row = sqlx::query(&format!("{SELECT_ACCOUNT} WHERE id = $1 AND organisation_id = $2"))
        .bind(id)
        .bind(org)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(AppError::NotFound)?;
    account_view(&row)
}

fn hold_of(hold_until: i64, now: i64) -> Option<i64> {
    (hold_until > now).then_some(hold_until)
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
        cooling_off_hours: state.settings.payout_cooling_off_ms / 3_600_000,
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
    tx: &mut AnyConnection,
    org: i64,
    a: &PayoutAccountInput,
    replaces: Option<i64>,
    by: i64,
    now: i64,
) -> Result<i64, AppError> {
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
    .fetch_one(&mut *tx)
    .await?)
}

/// The cooling-off and the owner's notification every account change ends with.
async fn after_account_change(
    tx: &mut AnyConnection,
    state: &AppState,
    org: i64,
    masked: &str,
    now: i64,
) -> Result<i64, AppError> {
    let until = now + state.settings.payout_cooling_off_ms;
    seller_finance::hold_payouts_until(tx, org, until, now).await?;
    let owner: i64 = sqlx::query_scalar("SELECT owner_user_id FROM organisations WHERE id = $1")
        .bind(org)
        .fetch_one(&mut *tx)
        .await?;
    let hours = state.settings.payout_cooling_off_ms / 3_600_000;
    let event = OutboxEvent::notify(
        owner,
        "payout_accounts.changed",
        json!({"account": masked, "hours": hours, "until_ms": until}),
    );
    outbox::enqueue(tx, now, &event).await?;
    Ok(until)
}

async fn record(
    tx: &mut AnyConnection,
    caller: &Caller,
    meta: &RequestMeta,
    now: i64,
    entry: AuditEntry<'_>,
) -> Result<(), AppError> {
    audit_log::record(tx, &Actor::of(caller), meta, now, entry).await?;
    Ok(())
}

pub async fn add_account(sctx: &SellerCtx, a: &PayoutAccountInput) -> Result<i64, AppError> {
    let (state, caller, meta) = (&sctx.ctx.state, &sctx.ctx.caller, &sctx.ctx.meta);
    let org = sctx.membership.organisation_id;
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    seller_finance::lock(&mut tx, org, now).await?;
    let active: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM payout_accounts WHERE organisation_id = $1 AND status = 'active'")
            .bind(org)
            .fetch_one(&mut *tx)
            .await?;
    if active >= MAX_ACCOUNTS {
        return Err(AppError::conflict("payouts.too_many_accounts"));
    }
    let id = insert_account(&mut tx, org, a, None, caller.user_id, now).await?;
    let until = after_account_change(&mut tx, state, org, &a.account_masked, now).await?;
    let mut after = audit_view(a);
    after["id"] = json!(id);
    after["payouts_hold_until"] = json!(until);
    record(
        &mut tx,
        caller,
        meta,
        now,
        AuditEntry {
            action: "payout_accounts.add",
            target_type: "organisation",
            target_id: org.to_string(),
            before: json!(null),
            after,
            reason: "",
            result: "ok",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// A change is a new account row; the old one is kept as `replaced`, so the payouts made to it still
/// point at what they were paid to.
pub async fn change_account(sctx: &SellerCtx, id: i64, a: &PayoutAccountInput) -> Result<i64, AppError> {
    let (state, caller, meta) = (&sctx.ctx.state, &sctx.ctx.caller, &sctx.ctx.meta);
    let org = sctx.membership.organisation_id;
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    seller_finance::lock(&mut tx, org, now).await?;
    let old = own_account(&mut tx, org, id).await?;
    if old.status != "active" {
        return Err(AppError::conflict("payouts.account_not_active"));
    }
    let retired = sqlx::query(
        "UPDATE payout_accounts SET status = 'replaced', retired_at = $1 WHERE id = $2 AND status = 'active'",
    )
    .bind(now)
    .bind(id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if retired != 1 {
        return Err(AppError::conflict("payouts.account_not_active"));
    }
    let new_id = insert_account(&mut tx, org, a, Some(id), caller.user_id, now).await?;
    let until = after_account_change(&mut tx, state, org, &a.account_masked, now).await?;
    let mut after = audit_view(a);
    after["id"] = json!(new_id);
    after["payouts_hold_until"] = json!(until);
    record(
        &mut tx,
        caller,
        meta,
        now,
        AuditEntry {
            action: "payout_accounts.change",
            target_type: "organisation",
            target_id: org.to_string(),
            before: stored_audit_view(&old),
            after,
            reason: "",
            result: "ok",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(new_id)
}

/// Removes an account no open payout is going to.
pub async fn remove_account(sctx: &SellerCtx, id: i64) -> Result<(), AppError> {
    let (state, caller, meta) = (&sctx.ctx.state, &sctx.ctx.caller, &sctx.ctx.meta);
    let org = sctx.membership.organisation_id;
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    seller_finance::lock(&mut tx, org, now).await?;
    let old = own_account(&mut tx, org, id).await?;
    if old.status != "active" {
        return Err(AppError::conflict("payouts.account_not_active"));
    }
    let open: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM payouts WHERE payout_account_id = $1 AND status IN ('requested', 'approved')",
    )
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    if open > 0 {
        return Err(AppError::conflict("payouts.account_in_use"));
    }
    sqlx::query("UPDATE payout_accounts SET status = 'removed', retired_at = $1 WHERE id = $2 AND status = 'active'")
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let owner: i64 = sqlx::query_scalar("SELECT owner_user_id FROM organisations WHERE id = $1")
        .bind(org)
        .fetch_one(&mut *tx)
        .await?;
    let event = OutboxEvent::notify(owner, "payout_accounts.removed", json!({"account": old.account_masked}));
    outbox::enqueue(&mut tx, now, &event).await?;
    record(
        &mut tx,
        caller,
        meta,
        now,
        AuditEntry {
            action: "payout_accounts.remove",
            target_type: "organisation",
            target_id: org.to_string(),
            before: stored_audit_view(&old),
            after: json!({"status": "removed"}),
            reason: "",
            result: "ok",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The full account number for finance, audited with the reason.
pub async fn reveal_account(ctx: &Ctx, id: i64, reason: &Reason) -> Result<String, AppError> {
    let now = ctx.state.now_ms();
    let mut tx = ctx.state.db.begin().await?;
    let row = sqlx::query(
        "SELECT organisation_id, account_number, account_masked, method FROM payout_accounts WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let number: String = row.try_get("account_number")?;
    let masked: String = row.try_get("account_masked")?;
    let org: i64 = row.try_get("organisation_id")?;
    record(
        &mut tx,
        &ctx.caller,
        &ctx.meta,
        now,
        AuditEntry {
            action: "payout_accounts.reveal",
            target_type: "payout_account",
            target_id: id.to_string(),
            before: json!(null),
            after: json!({"organisation_id": org, "account_masked": masked}),
            reason: reason.as_str(),
            result: "ok",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(number)
}

// ---------------------------------------------------------------------------------------------------
// Payout requests.

const SELECT_ROW: &str = "SELECT p.id, p.organisation_id, o.name, p.currency, p.amount_minor, p.status, \
     a.account_masked, a.method, p.risk_flags, p.frozen, p.external_reference, p.failure_reason, p.retry_condition, \
     p.next_action, p.decision_reason, p.requested_at, p.closed_at \
     FROM payouts p JOIN organisations o ON o.id = p.organisation_id JOIN payout_accounts a ON a.id = p.payout_account_id";

fn payout_row(r: &AnyRow, now: i64) -> Result<PayoutRow, AppError> {
    let requested_at: i64 = r.try_get("requested_at")?;
    let currency: String = r.try_get("currency")?;
    let status: String = r.try_get("status")?;
    let method: String = r.try_get("method")?;
    let next: String = r.try_get("next_action")?;
    let flags: String = r.try_get("risk_flags")?;
    Ok(PayoutRow {
        id: r.try_get("id")?,
        organisation_id: r.try_get("organisation_id")?,
        seller_name: r.try_get("name")?,
        currency: Currency::parse(&currency).ok_or_else(|| corrupt("currency", &currency))?,
        amount_minor: r.try_get("amount_minor")?,
        status: PayoutStatus::parse(&status).ok_or_else(|| corrupt("status", &status))?,
        account_masked: r.try_get("account_masked")?,
        method: PayoutMethod::parse(&method).ok_or_else(|| corrupt("method", &method))?,
        risk_flags: RiskFlag::split(&flags),
        frozen: r.try_get::<i64, _>("frozen")? != 0,
        external_reference: r.try_get("external_reference")?,
        failure_reason: r.try_get("failure_reason")?,
        retry_condition: r.try_get("retry_condition")?,
        next_action: NextAction::parse(&next),
        decision_reason: r.try_get("decision_reason")?,
        requested_at_ms: requested_at,
        age_ms: now - requested_at,
        closed_at_ms: r.try_get("closed_at")?,
    })
}

async fn has_open_request(conn: &mut AnyConnection, org: i64) -> Result<bool, AppError> {
    let open: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM payouts WHERE organisation_id = $1 AND status IN ('requested', 'approved')",
    )
    .bind(org)
    .fetch_one(&mut *conn)
    .await?;
    Ok(open > 0)
}

fn frozen_seller(fin: &seller_finance::SellerFinance, status: SellerStatus) -> bool {
    fin.frozen || status == SellerStatus::Suspended
}

pub async fn seller_payouts(sctx: &SellerCtx) -> Result<SellerPayoutsView, AppError> {
    let state = &sctx.ctx.state;
    let org = sctx.membership.organisation_id;
    let currency = state.settings.currency;
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
        minimum_minor: state.settings.payout_min_minor,
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
    let now = state.now_ms();
    let rows =
        sqlx::query(&format!("{SELECT_ROW} WHERE p.organisation_id = $1 AND p.id < $2 ORDER BY p.id DESC LIMIT $3"))
            .bind(org)
            .bind(parse_id_cursor(cursor).unwrap_or(i64::MAX))
            .bind(size as i64 + 1)
            .fetch_all(state.db.read())
            .await?;
    let rows = rows.iter().map(|r| payout_row(r, now)).collect::<Result<Vec<_>, _>>()?;
    Ok(Page::from_overfetch(rows, size, |r| r.id.to_string()))
}

fn request_hash(amount: i64, account_id: i64) -> String {
    idempotency::fingerprint(&["payout", &amount.to_string(), &account_id.to_string()])
}

fn posting_error(e: crate::domain::ledger::PostingError) -> AppError {
    tracing::error!(code = e.code(), "payout posting refused");
    AppError::Internal
}

/// A payout request of `amount` to the seller's account `account_id`: checked under the seller's
/// finance lock, moved from available to in transit in the ledger, with its risk flags. The same key
/// with the same request returns the first payout; with another request it is refused.
pub async fn request_payout(sctx: &SellerCtx, key: &str, amount: i64, account_id: i64) -> Result<i64, AppError> {
    let (state, caller, meta) = (&sctx.ctx.state, &sctx.ctx.caller, &sctx.ctx.meta);
    let org = sctx.membership.organisation_id;
    let currency = state.settings.currency;
    let now = state.now_ms();
    let hash = request_hash(amount, account_id);
    let mut tx = state.db.begin().await?;
    let fin = seller_finance::lock(&mut tx, org, now).await?;
    let scope = idempotency::Scope { table: "payouts", column: "organisation_id", id: org };
    if let Some(first) = idempotency::replay(&mut tx, scope, key, &hash).await? {
        return Ok(first);
    }
    let account = sqlx::query(
        "SELECT id, created_at FROM payout_accounts WHERE id = $1 AND organisation_id = $2 AND status = 'active'",
    )
    .bind(account_id)
    .bind(org)
    .fetch_optional(&mut *tx)
    .await?;
    let account_changed_at: i64 = match &account {
        Some(r) => r.try_get("created_at")?,
        None => 0,
    };
    let balances = seller_finance::balances(&mut tx, org, currency.code()).await?;
    let facts = RequestFacts {
        available_minor: balances.available_minor,
        minimum_minor: state.settings.payout_min_minor,
        open_request: has_open_request(&mut tx, org).await?,
        frozen: frozen_seller(&fin, sctx.membership.status),
        hold_until: fin.payouts_hold_until,
        now,
        account_active: account.is_some(),
    };
    check_request(amount, &facts).map_err(invalid)?;
    let last_dispute_at: Option<i64> =
        sqlx::query_scalar("SELECT MAX(created_at) FROM disputes WHERE organisation_id = $1")
            .bind(org)
            .fetch_one(&mut *tx)
            .await?;
    let flags = risk_flags(&RiskFacts {
        amount_minor: amount,
        threshold_minor: state.settings.payout_review_threshold_minor,
        account_changed_at,
        last_dispute_at,
        ever_negative: fin.last_negative_at.is_some(),
        now,
    });
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO payouts (organisation_id, payout_account_id, currency, amount_minor, status, idempotency_key, \
         request_hash, risk_flags, frozen, requested_by, requested_at, updated_at) \
         VALUES ($1, $2, $3, $4, 'requested', $5, $6, $7, 0, $8, $9, $9) RETURNING id",
    )
    .bind(org)
    .bind(account_id)
    .bind(currency.code())
    .bind(amount)
    .bind(key)
    .bind(&hash)
    .bind(RiskFlag::join(&flags))
    .bind(caller.user_id)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    let posting = Posting::payout_requested(currency, org, amount).map_err(posting_error)?;
    let posting_id = ledger::post(
        &mut tx,
        now,
        &format!("payout:{id}:requested"),
        &posting,
        PostingRefs::default(),
        &format!("payout {id} requested"),
    )
    .await?;
    record(
        &mut tx,
        caller,
        meta,
        now,
        AuditEntry {
            action: "payouts.request",
            target_type: "payout",
            target_id: id.to_string(),
            before: json!({"available_minor": balances.available_minor}),
            after: json!({
                "status": "requested",
                "organisation_id": org,
                "amount_minor": amount,
                "currency": currency.code(),
                "payout_account_id": account_id,
                "risk_flags": RiskFlag::join(&flags),
                "posting_id": posting_id,
            }),
            reason: "",
            result: "ok",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

// ---------------------------------------------------------------------------------------------------
// Finance: the queue, the detail and the decisions.

pub async fn counters(state: &AppState) -> Result<QueueCounters, AppError> {
    let db = state.db.read();
    let count =
        |sql: &'static str| async move { Ok::<i64, AppError>(sqlx::query_scalar::<_, i64>(sql).fetch_one(db).await?) };
    let failed_this_week: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM payouts WHERE status = 'failed' AND closed_at >= $1")
            .bind(state.now_ms() - WEEK_MS)
            .fetch_one(db)
            .await?;
    let in_transit: i64 = sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(amount_minor), 0) AS BIGINT) FROM payouts WHERE status IN ('requested', 'approved') \
         AND currency = $1",
    )
    .bind(state.settings.currency.code())
    .fetch_one(db)
    .await?;
    Ok(QueueCounters {
        to_review: count("SELECT COUNT(*) FROM payouts WHERE status = 'requested'").await?,
        approved: count("SELECT COUNT(*) FROM payouts WHERE status = 'approved'").await?,
        failed_this_week,
        in_transit_minor: in_transit,
        flagged: count("SELECT COUNT(*) FROM payouts WHERE status IN ('requested', 'approved') AND risk_flags <> ''")
            .await?,
        currency: Some(state.settings.currency),
    })
}

/// The queue, oldest first (the longest-waiting request is worked first).
pub async fn list_queue(
    state: &AppState,
    filter: &QueueFilter,
    cursor: Option<&str>,
) -> Result<Page<PayoutRow>, AppError> {
    let size = page_size(None);
    let now = state.now_ms();
    let mut sql = Sql::new(state.db.backend, SELECT_ROW);
    sql.push(" WHERE 1 = 1");
    after_id(&mut sql, "p.id", Order::Asc, Some(parse_id_cursor(cursor).unwrap_or(0)));
    if let Some(s) = filter.status {
        sql.and_eq("p.status", s.as_str());
    }
    if let Some(seller) = &filter.seller {
        contains(&mut sql, "o.name", seller);
    }
    if filter.flagged {
        sql.push(" AND p.risk_flags <> ''");
    }
    if filter.frozen {
        sql.push(" AND p.frozen = 1");
    }
    order_limit(&mut sql, "p.id ASC", size);
    let rows = sql.query().fetch_all(state.db.read()).await?;
    let rows = rows.iter().map(|r| payout_row(r, now)).collect::<Result<Vec<_>, _>>()?;
    Ok(Page::from_overfetch(rows, size, |r| r.id.to_string()))
}

async fn email_of(conn: &mut AnyConnection, user: Option<i64>) -> Result<Option<String>, AppError> {
    match user {
        Some(u) => {
            Ok(sqlx::query_scalar("SELECT email FROM users WHERE id = $1").bind(u).fetch_optional(&mut *conn).await?)
        }
        None => Ok(None),
    }
}

fn posting_keys(id: i64) -> [String; 3] {
    [format!("payout:{id}:requested"), format!("payout:{id}:paid"), format!("payout:{id}:returned")]
}

pub async fn get_payout(state: &AppState, id: i64) -> Result<PayoutDetail, AppError> {
    let now = state.now_ms();
    let mut conn = state.db.read().acquire().await?;
    let row = sqlx::query(&format!("{SELECT_ROW} WHERE p.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(AppError::NotFound)?;
    let payout = payout_row(&row, now)?;
    let org = payout.organisation_id;
    let facts = sqlx::query(
        "SELECT p.payout_account_id, p.requested_by, p.approved_by, p.approved_at, p.closed_by, o.status AS seller_status \
         FROM payouts p JOIN organisations o ON o.id = p.organisation_id WHERE p.id = $1",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    let account_id: i64 = facts.try_get("payout_account_id")?;
    let account = own_account(&mut conn, org, account_id).await?;
    let requested_by = email_of(&mut conn, Some(facts.try_get("requested_by")?)).await?.unwrap_or_default();
    let approved_by = email_of(&mut conn, facts.try_get("approved_by")?).await?;
    let closed_by = email_of(&mut conn, facts.try_get("closed_by")?).await?;
    let b = seller_finance::balances(&mut conn, org, payout.currency.code()).await?;
    let fin = seller_finance::read(&mut conn, org).await?;
    let history =
        sqlx::query(&format!("{SELECT_ROW} WHERE p.organisation_id = $1 AND p.id <> $2 ORDER BY p.id DESC LIMIT $3"))
            .bind(org)
            .bind(id)
            .bind(HISTORY)
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|r| payout_row(r, now))
            .collect::<Result<Vec<_>, _>>()?;
    let [k1, k2, k3] = posting_keys(id);
    let entry_rows = sqlx::query(
        "SELECT p.id, p.kind, p.at, a.code, e.amount_minor FROM ledger_postings p \
         JOIN ledger_entries e ON e.posting_id = p.id JOIN ledger_accounts a ON a.id = e.account_id \
         WHERE p.idempotency_key IN ($1, $2, $3) ORDER BY p.id, e.id",
    )
    .bind(k1)
    .bind(k2)
    .bind(k3)
    .fetch_all(&mut *conn)
    .await?;
    let mut postings: Vec<PayoutPosting> = vec![];
    for r in &entry_rows {
        let pid: i64 = r.try_get("id")?;
        let entry = (r.try_get::<String, _>("code")?, r.try_get::<i64, _>("amount_minor")?);
        match postings.last_mut() {
            Some(p) if p.id == pid => p.entries.push(entry),
            _ => postings.push(PayoutPosting {
                id: pid,
                kind: r.try_get("kind")?,
                at_ms: r.try_get("at")?,
                entries: vec![entry],
            }),
        }
    }
    let audit_rows = sqlx::query(
        "SELECT l.id, l.at, l.action, l.reason, u.email FROM audit_log l LEFT JOIN users u ON u.id = l.actor_id \
         WHERE (l.target_type = 'payout' AND l.target_id = $1) OR (l.target_type = 'payout_account' AND l.target_id = $2) \
         ORDER BY l.id DESC LIMIT $3",
    )
    .bind(id.to_string())
    .bind(account_id.to_string())
    .bind(AUDIT_LINES)
    .fetch_all(&mut *conn)
    .await?;
    let audit = audit_rows
        .iter()
        .map(|r| {
            Ok(PayoutAudit {
                id: r.try_get("id")?,
                at_ms: r.try_get("at")?,
                action: r.try_get("action")?,
                actor: r.try_get("email")?,
                reason: r.try_get("reason")?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(PayoutDetail {
        row: payout,
        account,
        seller_status: facts.try_get("seller_status")?,
        seller_frozen: fin.frozen,
        pending_minor: b.pending_minor,
        available_minor: b.available_minor,
        in_transit_minor: b.in_transit_minor,
        requested_by,
        approved_by,
        approved_at_ms: facts.try_get("approved_at")?,
        closed_by,
        history,
        postings,
        audit,
    })
}

/// A finance decision on a payout.
pub enum Decision {
    Approve,
    MarkPaid { reference: String },
    MarkFailed(Failure),
    Reject,
}

impl Decision {
    fn action(&self) -> PayoutAction {
        match self {
            Decision::Approve => PayoutAction::Approve,
            Decision::MarkPaid { .. } => PayoutAction::MarkPaid,
            Decision::MarkFailed(_) => PayoutAction::MarkFailed,
            Decision::Reject => PayoutAction::Reject,
        }
    }

    fn audit_action(&self) -> &'static str {
        match self {
            Decision::Approve => "payouts.approve",
            Decision::MarkPaid { .. } => "payouts.mark_paid",
            Decision::MarkFailed(_) => "payouts.mark_failed",
            Decision::Reject => "payouts.reject",
        }
    }
}

/// Members of the seller organisation (and its owner), who hear about every step.
async fn seller_members(tx: &mut AnyConnection, org: i64) -> Result<Vec<i64>, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT user_id FROM organisation_members WHERE organisation_id = $1 \
         UNION SELECT owner_user_id FROM organisations WHERE id = $1",
    )
    .bind(org)
    .fetch_all(&mut *tx)
    .await?)
}

/// Applies `decision` to payout `id`: under the seller's finance lock, then the payout's, its state is
/// read again and moved by the domain's state machine; a payout decided meanwhile is a conflict.
pub async fn decide(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    id: i64,
    decision: Decision,
    reason: &Reason,
) -> Result<(), AppError> {
    let now = state.now_ms();
    let org: i64 = sqlx::query_scalar("SELECT organisation_id FROM payouts WHERE id = $1")
        .bind(id)
        .fetch_optional(state.db.read())
        .await?
        .ok_or(AppError::NotFound)?;
    let mut tx = state.db.begin().await?;
    let fin = seller_finance::lock(&mut tx, org, now).await?;
    sqlx::query("UPDATE payouts SET status = status WHERE id = $1").bind(id).execute(&mut *tx).await?;
    let row = sqlx::query(&format!("{SELECT_ROW} WHERE p.id = $1")).bind(id).fetch_one(&mut *tx).await?;
    let p = payout_row(&row, now)?;
    let action = decision.action();
    let next = p.status.apply(action).map_err(AppError::conflict)?;
    if fin.frozen && matches!(action, PayoutAction::Approve | PayoutAction::MarkPaid) {
        return Err(AppError::conflict("payouts.frozen"));
    }
    let (reference, failure_reason, retry, next_action, decision_reason) = match &decision {
        Decision::MarkPaid { reference } => {
            (reference.clone(), String::new(), String::new(), String::new(), String::new())
        }
        Decision::MarkFailed(f) => (
            String::new(),
            f.reason.as_str().to_string(),
            f.retry_condition.clone(),
            f.next_action.as_str().to_string(),
            String::new(),
        ),
        Decision::Reject => (String::new(), String::new(), String::new(), String::new(), reason.as_str().to_string()),
        Decision::Approve => (String::new(), String::new(), String::new(), String::new(), String::new()),
    };
    let changed = if action == PayoutAction::Approve {
        sqlx::query(
            "UPDATE payouts SET status = $1, approved_by = $2, approved_at = $3, updated_at = $3 WHERE id = $4 AND status = $5",
        )
        .bind(next.as_str())
        .bind(caller.user_id)
        .bind(now)
        .bind(id)
        .bind(p.status.as_str())
        .execute(&mut *tx)
        .await?
        .rows_affected()
    } else {
        sqlx::query(
            "UPDATE payouts SET status = $1, closed_by = $2, closed_at = $3, updated_at = $3, external_reference = $4, \
             failure_reason = $5, retry_condition = $6, next_action = $7, decision_reason = $8 \
             WHERE id = $9 AND status = $10",
        )
        .bind(next.as_str())
        .bind(caller.user_id)
        .bind(now)
        .bind(&reference)
        .bind(&failure_reason)
        .bind(&retry)
        .bind(&next_action)
        .bind(&decision_reason)
        .bind(id)
        .bind(p.status.as_str())
        .execute(&mut *tx)
        .await?
        .rows_affected()
    };
    if changed != 1 {
        return Err(AppError::conflict("payouts.changed_meanwhile"));
    }
    let posting = match action {
        PayoutAction::Approve => None,
        PayoutAction::MarkPaid => Some((
            format!("payout:{id}:paid"),
            Posting::payout_paid(p.currency, org, p.amount_minor).map_err(posting_error)?,
        )),
        PayoutAction::MarkFailed | PayoutAction::Reject => Some((
            format!("payout:{id}:returned"),
            Posting::payout_returned(p.currency, org, p.amount_minor).map_err(posting_error)?,
        )),
    };
    let posting_id = match posting {
        Some((key, posting)) => Some(
            ledger::post(
                &mut tx,
                now,
                &key,
                &posting,
                PostingRefs::default(),
                &format!("payout {id} {}", next.as_str()),
            )
            .await?,
        ),
        None => None,
    };
    if next.returns_money() {
        seller_finance::clear_negative_if_recovered(&mut tx, org, p.currency.code(), now).await?;
    }
    record(
        &mut tx,
        caller,
        meta,
        now,
        AuditEntry {
            action: decision.audit_action(),
            target_type: "payout",
            target_id: id.to_string(),
            before: json!({"status": p.status.as_str(), "amount_minor": p.amount_minor, "organisation_id": org}),
            after: json!({
                "status": next.as_str(),
                "external_reference": reference,
                "retry_condition": retry,
                "next_action": next_action,
                "posting_id": posting_id,
            }),
            reason: reason.as_str(),
            result: "ok",
        },
    )
    .await?;
    let amount = Money::new(p.amount_minor, p.currency).display();
    let payload = json!({
        "id": id,
        "amount": amount,
        "reference": reference,
        "reason": if decision_reason.is_empty() { failure_reason.clone() } else { decision_reason.clone() },
    });
    let event_type = format!("payouts.{}", next.as_str());
    for user in seller_members(&mut tx, org).await? {
        outbox::enqueue(&mut tx, now, &OutboxEvent::notify(user, &event_type, payload.clone())).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Parses a payout account form (`domain::payout::parse_account`) into an `AppError` by field.
pub fn parse_account(
    method: &str,
    holder: &str,
    account: &str,
    bank_name: &str,
    notes: &str,
) -> Result<PayoutAccountInput, AppError> {
    payout::parse_account(method, holder, account, bank_name, notes).map_err(invalid)
}
