//! One refund's page for the seller, the console or the buyer: the row, the order's lines, the
//! evidence, the ledger effect (posted, or previewed while open) and, for the console, its history.

use super::model::{
    EffectEntry, EvidenceLink, HistoryItem, LedgerEffect, RefundDetail, RefundLine, RefundRow, RefundViewer,
    MAX_HISTORY,
};
use super::queries::refunded_of;
use super::queue::{RefundRecord, Scope, ROW_SELECT};
use crate::domain::ledger::Account;
use crate::domain::refund::{RefundPlan, RefundStatus};
use crate::error::{AppError, Context};
use crate::finance::settlement;
use crate::orders::flow;
use crate::platform::state::AppState;
use crate::platform::uploads;
use sqlx::AnyConnection;

/// A refund with what only its page needs.
#[derive(sqlx::FromRow)]
struct DetailRecord {
    #[sqlx(flatten)]
    row: RefundRecord,
    order_id: i64,
    details: String,
    evidence_upload_id: Option<i64>,
    commission_reversed_minor: i64,
    posting_id: Option<i64>,
    buyer_id: i64,
    buyer_email: String,
}

async fn detail_record(conn: &mut AnyConnection, id: i64) -> Result<DetailRecord, AppError> {
    let sql = ROW_SELECT.replace(
        "SELECT r.id,",
        "SELECT r.order_id, r.details, r.evidence_upload_id, r.commission_reversed_minor, r.posting_id, \
         r.buyer_id, u.email AS buyer_email, r.id,",
    );
    sqlx::query_as(&format!("{sql} r.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
        .context("reading the refund")?
        .ok_or(AppError::NotFound)
}

/// Who sees the page, and whether they may answer now; `NotFound` for anyone else.
fn viewer_of(scope: Scope, row: &RefundRow, buyer_id: i64) -> Result<(RefundViewer, bool), AppError> {
    match scope {
        Scope::Seller { organisation_id, may_answer } if organisation_id == row.organisation_id => {
            Ok((RefundViewer::Seller, may_answer && row.status == RefundStatus::Requested.as_str()))
        }
        Scope::Console => Ok((RefundViewer::Console, false)),
        Scope::Buyer(user) if user == buyer_id => Ok((RefundViewer::Buyer, false)),
        _ => Err(AppError::NotFound),
    }
}

async fn evidence_of(state: &AppState, upload: Option<i64>) -> Result<Option<EvidenceLink>, AppError> {
    let Some(upload) = upload else { return Ok(None) };
    Ok(uploads::find(state, upload).await.context("reading the refund's evidence")?.map(|u| EvidenceLink {
        id: u.id,
        url: uploads::url_of(u.purpose, u.id),
        file_name: u.file_name,
        content_type: u.content_type,
    }))
}

/// One refund for the seller (its own organisation's) or the console.
pub async fn detail(state: &AppState, id: i64, scope: Scope) -> Result<RefundDetail, AppError> {
    let now = state.now_ms();
    let mut conn = state.db.read().acquire().await.context("opening a read connection")?;
    let d = detail_record(&mut conn, id).await?;
    let row = d.row.row(now, true)?;
    let (viewer, can_answer) = viewer_of(scope, &row, d.buyer_id)?;
    let order = flow::read_order(&mut conn, d.order_id).await.context("reading the refund's order")?;
    let lines: Vec<RefundLine> = sqlx::query_as(
        "SELECT title, variant_label, quantity, line_total_minor, commission_minor FROM order_lines \
         WHERE order_id = $1 ORDER BY id LIMIT 200",
    )
    .bind(d.order_id)
    .fetch_all(&mut *conn)
    .await
    .context("reading the order's lines")?;
    let evidence = evidence_of(state, d.evidence_upload_id).await?;
    let effect =
        effect(&mut conn, &row, d.order_id, order.organisation_id, d.posting_id, d.commission_reversed_minor).await?;
    let console = viewer == RefundViewer::Console;
    let history = if console { history(&mut conn, id).await? } else { vec![] };
    Ok(RefundDetail {
        order_id: d.order_id,
        order_status: order.status.as_str().to_string(),
        order_total_minor: order.total_minor,
        order_refunded_minor: refunded_of(&mut conn, d.order_id).await?,
        details: d.details,
        evidence,
        commission_reversed_minor: d.commission_reversed_minor,
        lines,
        effect,
        buyer_email: console.then_some(d.buyer_email),
        history,
        viewer,
        can_answer,
        row,
    })
}

fn source_of(account: Option<&Account>) -> &'static str {
    match account {
        Some(Account::SellerPending(_)) => "pending",
        Some(Account::SellerAvailable(_)) => "available",
        _ => "clearing",
    }
}

/// The ledger effect: the posting made for a settled refund, the preview for an open one, nothing
/// for a refusal, withdrawal or escalation (a dispute decides the money then).
async fn effect(
    conn: &mut AnyConnection,
    row: &RefundRow,
    order_id: i64,
    seller: i64,
    posting_id: Option<i64>,
    commission_reversed: i64,
) -> Result<LedgerEffect, AppError> {
    if let Some(pid) = posting_id {
        return posted_effect(conn, row, seller, pid, commission_reversed).await;
    }
    if row.status != RefundStatus::Requested.as_str() {
        return Ok(no_effect(row, "refunds.effect.nothing_moved"));
    }
    match settlement::preview(conn, order_id, row.amount_minor).await {
        Ok(plan) => Ok(planned_effect(&plan, seller)),
        Err(AppError::Invalid { code, .. } | AppError::Conflict { code }) => Ok(no_effect(row, &code)),
        Err(e) => Err(e),
    }
}

/// Nothing moves (yet), and why (`code`, a message key).
fn no_effect(row: &RefundRow, code: &str) -> LedgerEffect {
    LedgerEffect {
        source: String::new(),
        refund_minor: row.amount_minor,
        seller_gives_minor: 0,
        commission_returned_minor: 0,
        seller_earns_minor: None,
        entries: vec![],
        posted: false,
        posting_id: None,
        unavailable: Some(code.to_string()),
    }
}

/// The entries of the refund's posting `pid`, and where the seller's share came from.
async fn posted_effect(
    conn: &mut AnyConnection,
    row: &RefundRow,
    seller: i64,
    pid: i64,
    commission_reversed: i64,
) -> Result<LedgerEffect, AppError> {
    let entries: Vec<EffectEntry> = sqlx::query_as(
        "SELECT a.code AS account, e.amount_minor FROM ledger_entries e \
         JOIN ledger_accounts a ON a.id = e.account_id WHERE e.posting_id = $1 ORDER BY e.id",
    )
    .bind(pid)
    .fetch_all(&mut *conn)
    .await
    .context("reading the refund's posting")?;
    let pending = Account::SellerPending(seller).code();
    let available = Account::SellerAvailable(seller).code();
    let from_seller = entries.iter().find(|e| e.account == pending || e.account == available);
    let source = match from_seller {
        Some(e) if e.account == pending => "pending",
        Some(_) => "available",
        None => "clearing",
    };
    Ok(LedgerEffect {
        source: source.to_string(),
        refund_minor: row.amount_minor,
        seller_gives_minor: from_seller.map(|e| e.amount_minor).unwrap_or(0),
        commission_returned_minor: if from_seller.is_some() { commission_reversed } else { 0 },
        seller_earns_minor: None,
        posted: true,
        posting_id: Some(pid),
        unavailable: None,
        entries,
    })
}

/// What accepting the open request would post now.
fn planned_effect(plan: &RefundPlan, seller: i64) -> LedgerEffect {
    let seller_earns = plan.remainder.as_ref().map(|rest| {
        -rest
            .entries
            .iter()
            .filter(|e| e.account == Account::SellerPending(seller))
            .map(|e| e.amount_minor)
            .sum::<i64>()
    });
    LedgerEffect {
        source: source_of(plan.seller_account.as_ref()).to_string(),
        refund_minor: plan.amount_minor,
        seller_gives_minor: plan.seller_share_minor,
        commission_returned_minor: if plan.seller_account.is_some() { plan.commission_reversed_minor } else { 0 },
        seller_earns_minor: seller_earns,
        entries: plan
            .refund
            .entries
            .iter()
            .map(|e| EffectEntry { account: e.account.code(), amount_minor: e.amount_minor })
            .collect(),
        posted: false,
        posting_id: None,
        unavailable: None,
    }
}

/// The refund's audit entries, oldest first (console only).
async fn history(conn: &mut AnyConnection, id: i64) -> Result<Vec<HistoryItem>, AppError> {
    sqlx::query_as(
        "SELECT a.at AS at_ms, a.action, a.actor_roles, a.reason, u.email AS actor FROM audit_log a \
         LEFT JOIN users u ON u.id = a.actor_id \
         WHERE a.target_type = 'refund' AND a.target_id = $1 ORDER BY a.id LIMIT $2",
    )
    .bind(id.to_string())
    .bind(MAX_HISTORY)
    .fetch_all(&mut *conn)
    .await
    .context("reading the refund's history")
}
