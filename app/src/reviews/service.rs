//! The review queue's queries and decisions. A decision is one transaction: lock the version (and
//! its listing), re-read them, check the move with the domain state machines, write the change, the
//! audit record and the sellers' notifications together. A version someone else decided meanwhile
//! is refused with `reviews.already_decided` and nothing changes.

use super::model::{HistoryLine, QueueCounters, QueueFilter, QueueRow, ReviewDetail, SellerCard};
use crate::domain::category::{subtree, TreeNode};
use crate::domain::checks::{Finding, Risk};
use crate::domain::listing::{ListingAction, ListingContent, ListingStatus, VersionStatus};
use crate::domain::money::Currency;
use crate::domain::page::{page_size, Page};
use crate::domain::reason::Reason;
use crate::domain::review::{diff, QueueKey, ReviewKind, SlaState};
use crate::error::AppError;
use crate::platform::audit_log::{self, Actor, AuditEntry};
use crate::platform::caller::Ctx;
use crate::platform::outbox::{self, OutboxEvent};
use crate::platform::search_index;
use crate::platform::state::AppState;
use serde_json::json;
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::{Any, AnyConnection, Row};

/// Decisions shown in the seller's history on the detail page.
const HISTORY: i64 = 20;
const BLOCKED_WINDOW_MS: i64 = 30 * 24 * 3_600_000;
/// Risk as a sortable number (high first when descending); matches `Risk::rank`.
const RISK_RANK: &str = "(CASE v.risk WHEN 'high' THEN 2 WHEN 'medium' THEN 1 ELSE 0 END)";

enum Arg {
    Int(i64),
    Text(String),
}

#[derive(Default)]
struct Sql {
    text: String,
    args: Vec<Arg>,
}

impl Sql {
    fn arg(&mut self, arg: Arg) -> String {
        self.args.push(arg);
        format!("${}", self.args.len())
    }

    fn push(&mut self, sql: &str) {
        self.text.push_str(sql);
    }

    fn query(&self) -> sqlx::query::Query<'_, Any, AnyArguments<'_>> {
        self.args.iter().fold(sqlx::query(&self.text), |q, a| match a {
            Arg::Int(i) => q.bind(*i),
            Arg::Text(s) => q.bind(s.clone()),
        })
    }
}

fn risk_of(s: &str) -> Risk {
    Risk::parse(s).unwrap_or(Risk::Low)
}

#[track_caller]
fn corrupt(what: &str, value: &str) -> AppError {
    AppError::internal(format!("unreadable review data: what={what} value={value}"))
}

/// Subcategories of `id` included, so filtering by "Clothing" finds "Clothing / T-shirts".
async fn category_ids(state: &AppState, id: i64) -> Result<Vec<i64>, AppError> {
    let tree = crate::categories::service::tree(state, true).await?;
    let nodes: Vec<TreeNode> =
        tree.iter().map(|n| TreeNode { id: n.id, parent_id: n.parent_id, enabled: !n.disabled }).collect();
    Ok(subtree(&nodes, id))
}

pub async fn list_queue(
    state: &AppState,
    filter: &QueueFilter,
    cursor: Option<&str>,
) -> Result<Page<QueueRow>, AppError> {
    let size = page_size(None);
    let now = state.now_ms();
    let sla_ms = state.settings.review_sla_ms;
    let mut sql = Sql::default();
    sql.push(&format!(
        "SELECT v.id, v.listing_id, v.title, v.submitted_at, v.sla_due_at, v.risk, v.warning_count, v.blocking_count, \
         l.organisation_id, l.live_version_id, o.name AS seller_name, {RISK_RANK} AS risk_rank \
         FROM listing_versions v JOIN listings l ON l.id = v.listing_id \
         JOIN organisations o ON o.id = l.organisation_id WHERE v.status = 'pending_review'"
    ));
    if let Some(risk) = filter.risk {
        let p = sql.arg(Arg::Text(risk.as_str().into()));
        sql.push(&format!(" AND v.risk = {p}"));
    }
    if let Some(s) = filter.sla {
        let (from, to) = s.due_range(now, sla_ms);
        if let Some(from) = from {
            let p = sql.arg(Arg::Int(from));
            sql.push(&format!(" AND v.sla_due_at >= {p}"));
        }
        if let Some(to) = to {
            let p = sql.arg(Arg::Int(to));
            sql.push(&format!(" AND v.sla_due_at < {p}"));
        }
    }
    if let Some(seller) = filter.seller {
        let p = sql.arg(Arg::Int(seller));
        sql.push(&format!(" AND l.organisation_id = {p}"));
    }
    if let Some(category) = filter.category {
        let ids = category_ids(state, category).await?;
        let ps: Vec<String> = ids.iter().map(|id| sql.arg(Arg::Int(*id))).collect();
        sql.push(&format!(" AND v.category_id IN ({})", ps.join(", ")));
    }
    match filter.kind {
        None => {}
        Some(ReviewKind::New) => sql.push(" AND l.live_version_id IS NULL"),
        Some(ReviewKind::ReReview) => sql.push(" AND l.live_version_id IS NOT NULL"),
    }
    if let Some(key) = QueueKey::parse_cursor(cursor) {
        // The leading `>=` lets both databases walk the (status, sla_due_at) index from the cursor.
        let d = sql.arg(Arg::Int(key.due_at_ms));
        let r = sql.arg(Arg::Int(key.risk.rank()));
        let id = sql.arg(Arg::Int(key.version_id));
        sql.push(&format!(
            " AND v.sla_due_at >= {d} AND (v.sla_due_at > {d} OR {RISK_RANK} < {r} OR ({RISK_RANK} = {r} AND v.id > {id}))"
        ));
    }
    let limit = sql.arg(Arg::Int(size as i64 + 1));
    sql.push(&format!(" ORDER BY v.sla_due_at, {RISK_RANK} DESC, v.id LIMIT {limit}"));
    let rows = sql.query().fetch_all(state.db.read()).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let due: i64 = r.try_get::<Option<i64>, _>("sla_due_at")?.unwrap_or(now);
        out.push(QueueRow {
            version_id: r.try_get("id")?,
            listing_id: r.try_get("listing_id")?,
            title: r.try_get("title")?,
            seller_id: r.try_get("organisation_id")?,
            seller_name: r.try_get("seller_name")?,
            submitted_at_ms: r.try_get::<Option<i64>, _>("submitted_at")?.unwrap_or(0),
            sla_due_at_ms: due,
            now_ms: now,
            sla_state: SlaState::of(due, now, sla_ms),
            risk: risk_of(&r.try_get::<String, _>("risk")?),
            warning_count: r.try_get("warning_count")?,
            blocking_count: r.try_get("blocking_count")?,
            re_review: r.try_get::<Option<i64>, _>("live_version_id")?.is_some(),
        });
    }
    Ok(Page::from_overfetch(out, size, |row| {
        QueueKey { due_at_ms: row.sla_due_at_ms, risk: row.risk, version_id: row.version_id }.cursor()
    }))
}

pub async fn counters(state: &AppState) -> Result<QueueCounters, AppError> {
    let now = state.now_ms();
    let pressure_until = now + state.settings.review_sla_ms / crate::domain::review::PRESSURE_DIVISOR;
    let db = state.db.read();
    let row = sqlx::query(
        "SELECT COUNT(*) AS to_review, \
         SUM(CASE WHEN sla_due_at <= $1 THEN 1 ELSE 0 END) AS pressure, \
         SUM(CASE WHEN sla_due_at < $2 THEN 1 ELSE 0 END) AS overdue, \
         SUM(CASE WHEN risk = 'high' THEN 1 ELSE 0 END) AS high_risk, \
         SUM(CASE WHEN warning_count > 0 THEN 1 ELSE 0 END) AS warnings, \
         SUM(CASE WHEN blocking_count = 0 THEN 1 ELSE 0 END) AS decidable \
         FROM listing_versions WHERE status = 'pending_review'",
    )
    .bind(pressure_until)
    .bind(now)
    .fetch_one(db)
    .await?;
    let n = |c: &str| -> Result<i64, AppError> { Ok(row.try_get::<Option<i64>, _>(c)?.unwrap_or(0)) };
    let blocked: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM listing_versions WHERE status = 'blocked' AND decided_at >= $1")
            .bind(now - BLOCKED_WINDOW_MS)
            .fetch_one(db)
            .await?;
    Ok(QueueCounters {
        to_review: n("to_review")?,
        sla_pressure: n("pressure")?,
        overdue: n("overdue")?,
        blocked,
        high_risk: n("high_risk")?,
        warnings: n("warnings")?,
        decidable: n("decidable")?,
    })
}

const VERSION_COLUMNS: &str = "v.id, v.listing_id, v.number, v.status, v.title, v.description, v.category_id, \
     v.currency, v.weight_grams, v.options_json, v.variants_json, v.images_json, v.risk, v.checks_json, \
     v.submitted_at, v.sla_due_at, v.decided_at, v.decision_reason";

/// A version's content as stored by the seller center: the validated listing in JSON columns.
fn content_of(r: &AnyRow) -> Result<ListingContent, AppError> {
    let json = |c: &str| -> Result<String, AppError> { Ok(r.try_get::<String, _>(c)?) };
    let currency: String = r.try_get("currency")?;
    let options = json("options_json")?;
    let variants = json("variants_json")?;
    let images = json("images_json")?;
    Ok(ListingContent {
        title: r.try_get("title")?,
        description: r.try_get("description")?,
        category_id: r.try_get("category_id")?,
        currency: Currency::parse(&currency).ok_or_else(|| corrupt("currency", &currency))?,
        weight_grams: r.try_get("weight_grams")?,
        options: serde_json::from_str(&options).map_err(|_| corrupt("options_json", &options))?,
        variants: serde_json::from_str(&variants).map_err(|_| corrupt("variants_json", &variants))?,
        images: serde_json::from_str(&images).map_err(|_| corrupt("images_json", &images))?,
    })
}

fn version_status(r: &AnyRow) -> Result<VersionStatus, AppError> {
    let s: String = r.try_get("status")?;
    VersionStatus::parse(&s).ok_or_else(|| corrupt("version status", &s))
}

fn listing_status(s: &str) -> Result<ListingStatus, AppError> {
    ListingStatus::parse(s).ok_or_else(|| corrupt("listing status", s))
}

pub async fn get_review(state: &AppState, version_id: i64) -> Result<ReviewDetail, AppError> {
    let db = state.db.read();
    let v = sqlx::query(&format!(
        "SELECT {VERSION_COLUMNS}, u.email AS decided_by_email, l.status AS listing_status, l.live_version_id, \
         o.id AS org_id, o.name AS org_name, o.status AS org_status \
         FROM listing_versions v JOIN listings l ON l.id = v.listing_id \
         JOIN organisations o ON o.id = l.organisation_id LEFT JOIN users u ON u.id = v.decided_by WHERE v.id = $1"
    ))
    .bind(version_id)
    .fetch_optional(db)
    .await?
    .ok_or(AppError::NotFound)?;
    let content = content_of(&v)?;
    let checks: String = v.try_get("checks_json")?;
    let findings: Vec<Finding> = serde_json::from_str(&checks).map_err(|_| corrupt("checks_json", &checks))?;
    let tree = crate::categories::service::tree(state, true).await?;
    let category_name = |id: i64| {
        tree.iter()
            .find(|n| n.id == id)
            .map(|n| format!("{} / {}", n.name_en, n.name_zh))
            .unwrap_or_else(|| format!("#{id}"))
    };
    let live_version_id: Option<i64> = v.try_get("live_version_id")?;
    let mut changes = vec![];
    if let Some(live_id) = live_version_id.filter(|id| *id != version_id) {
        let live = sqlx::query(&format!("SELECT {VERSION_COLUMNS} FROM listing_versions v WHERE v.id = $1"))
            .bind(live_id)
            .fetch_optional(db)
            .await?;
        if let Some(live) = live {
            changes = diff(&content_of(&live)?, &content, &category_name);
        }
    }
    let org_id: i64 = v.try_get("org_id")?;
    // From the audit log, which keeps every decision (a rejected version that was fixed and
    // resubmitted is the same version row, decided again later).
    let history = sqlx::query(
        "SELECT a.at, a.action, a.reason, a.after_json, l.id AS listing_id, l.title, u.email \
         FROM listings l JOIN audit_log a ON a.target_type = 'listing' AND a.target_id = CAST(l.id AS TEXT) \
         LEFT JOIN users u ON u.id = a.actor_id \
         WHERE l.organisation_id = $1 AND a.action IN ('listings.approve', 'listings.reject', 'listings.block') \
         ORDER BY a.id DESC LIMIT $2",
    )
    .bind(org_id)
    .bind(HISTORY)
    .fetch_all(db)
    .await?
    .iter()
    .map(|r| {
        let action: String = r.try_get("action")?;
        let after: String = r.try_get("after_json")?;
        let after: serde_json::Value = serde_json::from_str(&after).unwrap_or_default();
        Ok(HistoryLine {
            version_id: after.get("version_id").and_then(|v| v.as_i64()),
            listing_id: r.try_get("listing_id")?,
            title: r.try_get("title")?,
            status: match action.as_str() {
                "listings.approve" => "approved",
                "listings.reject" => "rejected",
                _ => "blocked",
            }
            .to_string(),
            decided_at_ms: r.try_get("at")?,
            decided_by: r.try_get("email")?,
            reason: r.try_get("reason")?,
        })
    })
    .collect::<Result<Vec<_>, AppError>>()?;
    let risk: String = v.try_get("risk")?;
    Ok(ReviewDetail {
        version_id,
        listing_id: v.try_get("listing_id")?,
        number: v.try_get("number")?,
        status: version_status(&v)?,
        listing_status: listing_status(&v.try_get::<String, _>("listing_status")?)?,
        category_name: content.category_id.map(category_name),
        content,
        risk: risk_of(&risk),
        findings,
        submitted_at_ms: v.try_get("submitted_at")?,
        sla_due_at_ms: v.try_get("sla_due_at")?,
        now_ms: state.now_ms(),
        decided_at_ms: v.try_get("decided_at")?,
        decided_by: v.try_get("decided_by_email")?,
        decision_reason: v.try_get("decision_reason")?,
        seller: SellerCard { id: org_id, name: v.try_get("org_name")?, status: v.try_get("org_status")? },
        re_review: live_version_id.is_some(),
        changes,
        history,
    })
}

/// The version and its listing, locked for the rest of the transaction (PostgreSQL row locks; SQLite
/// has one writer at a time anyway), read after the lock.
struct Locked {
    listing_id: i64,
    status: VersionStatus,
    content: ListingContent,
    listing_status: ListingStatus,
    organisation_id: i64,
    live_version_id: Option<i64>,
}

async fn lock(conn: &mut AnyConnection, version_id: i64) -> Result<Locked, AppError> {
    let touched = sqlx::query("UPDATE listing_versions SET status = status WHERE id = $1")
        .bind(version_id)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    if touched == 0 {
        return Err(AppError::NotFound);
    }
    let v = sqlx::query(&format!("SELECT {VERSION_COLUMNS} FROM listing_versions v WHERE v.id = $1"))
        .bind(version_id)
        .fetch_one(&mut *conn)
        .await?;
    let listing_id: i64 = v.try_get("listing_id")?;
    sqlx::query("UPDATE listings SET status = status WHERE id = $1").bind(listing_id).execute(&mut *conn).await?;
    let l = sqlx::query("SELECT status, organisation_id, live_version_id FROM listings WHERE id = $1")
        .bind(listing_id)
        .fetch_one(&mut *conn)
        .await?;
    Ok(Locked {
        listing_id,
        status: version_status(&v)?,
        content: content_of(&v)?,
        listing_status: listing_status(&l.try_get::<String, _>("status")?)?,
        organisation_id: l.try_get("organisation_id")?,
        live_version_id: l.try_get("live_version_id")?,
    })
}

fn already_decided<E>(_: E) -> AppError {
    AppError::conflict("reviews.already_decided")
}

fn refused(e: crate::domain::listing::ListingTransitionError) -> AppError {
    AppError::conflict(e.code())
}

/// Marks the version decided; a concurrent decision (status no longer pending) is a conflict.
async fn decide_version(
    conn: &mut AnyConnection,
    ctx: &Ctx,
    now: i64,
    version_id: i64,
    to: VersionStatus,
    reason: &str,
) -> Result<(), AppError> {
    let n = sqlx::query(
        "UPDATE listing_versions SET status = $1, decided_at = $2, decided_by = $3, decision_reason = $4, updated_at = $2 \
         WHERE id = $5 AND status = 'pending_review'",
    )
    .bind(to.as_str())
    .bind(now)
    .bind(ctx.caller.user_id)
    .bind(reason)
    .bind(version_id)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if n != 1 {
        return Err(AppError::conflict("reviews.already_decided"));
    }
    Ok(())
}

async fn notify_members(
    conn: &mut AnyConnection,
    now: i64,
    organisation_id: i64,
    event: &str,
    payload: serde_json::Value,
) -> Result<(), AppError> {
    let members: Vec<i64> =
        sqlx::query_scalar("SELECT user_id FROM organisation_members WHERE organisation_id = $1 ORDER BY user_id")
            .bind(organisation_id)
            .fetch_all(&mut *conn)
            .await?;
    for user_id in members {
        outbox::enqueue(&mut *conn, now, &OutboxEvent::notify(user_id, event, payload.clone())).await?;
    }
    Ok(())
}

async fn write_live_variants(
    conn: &mut AnyConnection,
    listing_id: i64,
    content: &ListingContent,
) -> Result<(), AppError> {
    for (i, v) in content.variants.iter().enumerate() {
        sqlx::query(
            "INSERT INTO listing_variants (listing_id, sku, options_json, price_minor, compare_at_minor, stock, position, status) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'active') ON CONFLICT (listing_id, sku) DO UPDATE SET \
             options_json = excluded.options_json, price_minor = excluded.price_minor, \
             compare_at_minor = excluded.compare_at_minor, stock = excluded.stock, position = excluded.position, status = 'active'",
        )
        .bind(listing_id)
        .bind(&v.sku)
        .bind(serde_json::to_string(&v.options).map_err(|e| corrupt("options", &e.to_string()))?)
        .bind(v.price_minor)
        .bind(v.compare_at_minor)
        .bind(v.stock)
        .bind(i as i64)
        .execute(&mut *conn)
        .await?;
    }
    let existing: Vec<String> =
        sqlx::query_scalar("SELECT sku FROM listing_variants WHERE listing_id = $1 AND status <> 'removed'")
            .bind(listing_id)
            .fetch_all(&mut *conn)
            .await?;
    for sku in existing.iter().filter(|s| !content.variants.iter().any(|v| &v.sku == *s)) {
        // Kept, not deleted: orders refer to the variant.
        sqlx::query("UPDATE listing_variants SET status = 'removed', stock = 0 WHERE listing_id = $1 AND sku = $2")
            .bind(listing_id)
            .bind(sku)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

pub async fn approve(ctx: &Ctx, version_id: i64) -> Result<(), AppError> {
    let state = &ctx.state;
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    let l = lock(&mut tx, version_id).await?;
    l.status.decide(VersionStatus::Approved).map_err(already_decided)?;
    let reviewed = match l.listing_status {
        ListingStatus::PendingReview => l.listing_status.apply(ListingAction::Approve).map_err(refused)?,
        // An edit of a live listing: the listing keeps its state, the copy changes.
        s @ (ListingStatus::Active | ListingStatus::SoldOut | ListingStatus::Inactive) => s,
        s => {
            return Err(refused(crate::domain::listing::ListingTransitionError {
                from: s,
                action: ListingAction::Approve,
            }))
        }
    };
    let stock = l.content.stock_total();
    let to = match reviewed {
        ListingStatus::Active if stock == 0 => reviewed.apply(ListingAction::SellOut).map_err(refused)?,
        ListingStatus::SoldOut if stock > 0 => reviewed.apply(ListingAction::Restock).map_err(refused)?,
        s => s,
    };
    decide_version(&mut tx, ctx, now, version_id, VersionStatus::Approved, "").await?;
    if let Some(prev) = l.live_version_id.filter(|p| *p != version_id) {
        sqlx::query("UPDATE listing_versions SET status = $1, updated_at = $2 WHERE id = $3 AND status = 'approved'")
            .bind(VersionStatus::Superseded.as_str())
            .bind(now)
            .bind(prev)
            .execute(&mut *tx)
            .await?;
    }
    let c = &l.content;
    sqlx::query(
        "UPDATE listings SET status = $1, title = $2, description = $3, category_id = $4, price_minor = $5, \
         compare_at_minor = $6, currency = $7, weight_grams = $8, options_json = $9, images_json = $10, \
         stock_total = $11, live_version_id = $12, pending_version_id = NULL, updated_at = $13, \
         published_at = COALESCE(published_at, $13), status_reason = '' WHERE id = $14",
    )
    .bind(to.as_str())
    .bind(&c.title)
    .bind(&c.description)
    .bind(c.category_id)
    .bind(c.price_minor())
    .bind(c.compare_at_minor())
    .bind(c.currency.code())
    .bind(c.weight_grams)
    .bind(serde_json::to_string(&c.options).map_err(|e| corrupt("options", &e.to_string()))?)
    .bind(serde_json::to_string(&c.images).map_err(|e| corrupt("images", &e.to_string()))?)
    .bind(stock)
    .bind(version_id)
    .bind(now)
    .bind(l.listing_id)
    .execute(&mut *tx)
    .await?;
    write_live_variants(&mut tx, l.listing_id, c).await?;
    if to.is_live() {
        search_index::upsert(&mut tx, state.db.backend, l.listing_id, &c.title, &c.description).await?;
    } else {
        search_index::remove(&mut tx, state.db.backend, l.listing_id).await?;
    }
    audit_log::record(
        &mut tx,
        &Actor::of(&ctx.caller),
        &ctx.meta,
        now,
        AuditEntry {
            action: "listings.approve",
            target_type: "listing",
            target_id: l.listing_id.to_string(),
            before: json!({"status": l.listing_status.as_str(), "live_version_id": l.live_version_id,
                           "version_id": version_id, "version_status": l.status.as_str()}),
            after: json!({"status": to.as_str(), "live_version_id": version_id, "version_id": version_id, "version_status": "approved",
                          "title": c.title, "price_minor": c.price_minor(), "stock_total": stock}),
            reason: "",
            result: "ok",
        },
    )
    .await?;
    notify_members(
        &mut tx,
        now,
        l.organisation_id,
        "listings.approved",
        json!({"title": c.title, "listing_id": l.listing_id, "version_id": version_id}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn reject(ctx: &Ctx, version_id: i64, reason: &Reason) -> Result<(), AppError> {
    let state = &ctx.state;
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    let l = lock(&mut tx, version_id).await?;
    l.status.decide(VersionStatus::Rejected).map_err(already_decided)?;
    // A listing never live goes back to the seller as rejected; an edit of a live one leaves the
    // live copy as it is.
    let to = match l.listing_status {
        ListingStatus::PendingReview => l.listing_status.apply(ListingAction::Reject).map_err(refused)?,
        s => s,
    };
    decide_version(&mut tx, ctx, now, version_id, VersionStatus::Rejected, reason.as_str()).await?;
    if to != l.listing_status {
        sqlx::query("UPDATE listings SET status = $1, status_reason = $2, updated_at = $3 WHERE id = $4")
            .bind(to.as_str())
            .bind(reason.as_str())
            .bind(now)
            .bind(l.listing_id)
            .execute(&mut *tx)
            .await?;
    }
    audit_log::record(
        &mut tx,
        &Actor::of(&ctx.caller),
        &ctx.meta,
        now,
        AuditEntry {
            action: "listings.reject",
            target_type: "listing",
            target_id: l.listing_id.to_string(),
            before: json!({"status": l.listing_status.as_str(), "version_id": version_id, "version_status": l.status.as_str()}),
            after: json!({"status": to.as_str(), "version_id": version_id, "version_status": "rejected"}),
            reason: reason.as_str(),
            result: "ok",
        },
    )
    .await?;
    notify_members(
        &mut tx,
        now,
        l.organisation_id,
        "listings.rejected",
        json!({"title": l.content.title, "reason": reason.as_str(), "listing_id": l.listing_id, "version_id": version_id}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn block(ctx: &Ctx, version_id: i64, reason: &Reason) -> Result<(), AppError> {
    let state = &ctx.state;
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    let l = lock(&mut tx, version_id).await?;
    l.status.decide(VersionStatus::Blocked).map_err(already_decided)?;
    let to = match l.listing_status {
        ListingStatus::PendingReview => l.listing_status.apply(ListingAction::Block).map_err(refused)?,
        // An edit of a live listing: blocking takes the live copy down too.
        s @ (ListingStatus::Active | ListingStatus::SoldOut | ListingStatus::Inactive) => {
            s.apply(ListingAction::TakeDown).map_err(refused)?
        }
        s => s,
    };
    decide_version(&mut tx, ctx, now, version_id, VersionStatus::Blocked, reason.as_str()).await?;
    sqlx::query("UPDATE listings SET status = $1, status_reason = $2, updated_at = $3 WHERE id = $4")
        .bind(to.as_str())
        .bind(reason.as_str())
        .bind(now)
        .bind(l.listing_id)
        .execute(&mut *tx)
        .await?;
    search_index::remove(&mut tx, state.db.backend, l.listing_id).await?;
    audit_log::record(
        &mut tx,
        &Actor::of(&ctx.caller),
        &ctx.meta,
        now,
        AuditEntry {
            action: "listings.block",
            target_type: "listing",
            target_id: l.listing_id.to_string(),
            before: json!({"status": l.listing_status.as_str(), "version_id": version_id, "version_status": l.status.as_str()}),
            after: json!({"status": to.as_str(), "version_id": version_id, "version_status": "blocked"}),
            reason: reason.as_str(),
            result: "ok",
        },
    )
    .await?;
    notify_members(
        &mut tx,
        now,
        l.organisation_id,
        "listings.blocked",
        json!({"title": l.content.title, "reason": reason.as_str(), "listing_id": l.listing_id, "version_id": version_id}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
