//! `Change`: the one unit of work every mutation runs in. It owns the transaction, the clock reading,
//! who acts and why, and it is the only way to the audit log, the ledger and the outbox, so that a
//! change, its audit entry, its postings and its notifications commit together or not at all.
//!
//! ```ignore
//! let mut c = Change::by(ctx).await?;                 // privileged: refuses to commit unaudited
//! let fin = c.lock(RowLock::SellerFinance(org)).await?; // row locks in RowLock order only
//! ... c.conn() for the statements ...
//! c.post(&key, &posting, PostingRefs::default(), "memo").await?;
//! c.audit(Audit::new(AuditAction::PayoutsApprove, AuditTarget::Payout(id)).after(json!({..}))).await?;
//! c.notify_seller_members(org, "payouts.approved", payload).await?;
//! c.commit().await?;
//! ```
//!
//! Dropping a `Change` without `commit` rolls everything back (an early `?` return does exactly that).

use super::audit_log::{self, Actor, AuditEntry};
use super::caller::{Caller, Ctx, RequestMeta};
use super::db::Tx;
use super::ledger::{self, PostingRefs};
use super::outbox::OutboxEvent;
pub use super::sql::RowLock;
use super::sql::{lock_row, lock_row_returning, lock_rows_returning};
use super::state::AppState;
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::ledger::Posting;
use crate::error::AppError;
use serde_json::Value;
use sqlx::AnyConnection;

/// A refusal that is a bug in the calling code, not the user's doing: logged here with what went
/// wrong (with the request id), the user sees the internal error and its reference.
#[track_caller]
fn internal(what: &str) -> AppError {
    AppError::internal(format!("change refused: {what}"))
}

/// One audit entry of a change. `Audit::new(action, target)` then `.before(..)`, `.after(..)`,
/// `.reason(..)`; `result` is "ok" unless set.
#[derive(Debug, Clone)]
pub struct Audit<'a> {
    pub action: AuditAction,
    pub target: AuditTarget,
    pub before: Value,
    pub after: Value,
    pub reason: &'a str,
    pub result: &'a str,
}

impl<'a> Audit<'a> {
    pub fn new(action: AuditAction, target: AuditTarget) -> Audit<'a> {
        Audit { action, target, before: Value::Null, after: Value::Null, reason: "", result: "ok" }
    }

    pub fn before(mut self, before: Value) -> Self {
        self.before = before;
        self
    }

    pub fn after(mut self, after: Value) -> Self {
        self.after = after;
        self
    }

    pub fn reason(mut self, reason: &'a str) -> Self {
        self.reason = reason;
        self
    }

    pub fn result(mut self, result: &'a str) -> Self {
        self.result = result;
        self
    }
}

/// Whether the change must leave an audit entry.
#[derive(Debug, Clone)]
enum Kind {
    /// An operator's, a seller's or a worker's decision: no commit without an audit entry.
    Privileged,
    /// Buyer-side bookkeeping (carts, throttles, sessions) that the audit log does not record; `why`
    /// says so in the code and in the debug log.
    Unaudited { why: &'static str },
}

/// The unit of work. See the module documentation.
pub struct Change {
    state: AppState,
    tx: Tx,
    now: i64,
    actor: Actor,
    meta: RequestMeta,
    kind: Kind,
    audited: usize,
    /// The highest lock taken so far; a lower one afterwards is a lock-order bug.
    last_lock: Option<RowLock>,
    /// Ledger balances were locked by `post`: every row lock must come before.
    posted: bool,
    /// The audit head was locked first (`serialise_with_audited_writers`): no row lock may follow.
    head_first: bool,
}

impl Change {
    async fn start(state: &AppState, actor: Actor, meta: RequestMeta, kind: Kind) -> Result<Change, AppError> {
        let tx = state.db.begin().await?;
        Ok(Change {
            state: state.clone(),
            tx,
            now: state.now_ms(),
            actor,
            meta,
            kind,
            audited: 0,
            last_lock: None,
            posted: false,
            head_first: false,
        })
    }

    /// A privileged change by `actor` (commit refuses without an audit entry). A person's change is
    /// refused while maintenance mode is in force, unless they are on its allow list
    /// (`platform::maintenance`); the platform's own (`system`) changes go on.
    pub async fn begin(state: &AppState, actor: Actor, meta: RequestMeta) -> Result<Change, AppError> {
        if actor.id.is_some() {
            super::maintenance::check_writes(state, actor.id).await?;
        }
        Change::start(state, actor, meta, Kind::Privileged).await
    }

    /// `begin` without maintenance mode's gate, for what must work through it: the settings centre
    /// (whoever may change settings can always end maintenance, allow-listed or not) and the record of
    /// a refused attempt.
    pub async fn begin_through_maintenance(
        state: &AppState,
        actor: Actor,
        meta: RequestMeta,
    ) -> Result<Change, AppError> {
        Change::start(state, actor, meta, Kind::Privileged).await
    }

    /// A privileged change by the signed-in caller of a server function.
    pub async fn by(ctx: &Ctx) -> Result<Change, AppError> {
        Change::begin(&ctx.state, Actor::of(&ctx.caller), ctx.meta.clone()).await
    }

    /// A privileged change by `caller` when the pieces are at hand rather than a `Ctx`.
    pub async fn by_caller(state: &AppState, caller: &Caller, meta: &RequestMeta) -> Result<Change, AppError> {
        Change::begin(state, Actor::of(caller), meta.clone()).await
    }

    /// `by_caller`, then `serialise_with_audited_writers`: for a decision whose check spans many rows
    /// (the last super admin, one active commission version per scope).
    pub async fn by_caller_serialised(
        state: &AppState,
        caller: &Caller,
        meta: &RequestMeta,
    ) -> Result<Change, AppError> {
        let mut c = Change::by_caller(state, caller, meta).await?;
        c.serialise_with_audited_writers().await?;
        Ok(c)
    }

    /// A change made by a timer or worker (`what`: "timers", "outbox", ...), audited as
    /// `system:<what>`: still privileged, so it must audit what it decides.
    pub async fn system(state: &AppState, what: &str) -> Result<Change, AppError> {
        Change::begin(state, Actor::system(what), RequestMeta::default()).await
    }

    /// A change the audit log does not record (buyer-side carts, counters). `why` documents it.
    pub async fn unaudited(state: &AppState, why: &'static str) -> Result<Change, AppError> {
        Change::start(state, Actor::system(why), RequestMeta::default(), Kind::Unaudited { why }).await
    }

    /// The transaction, for the change's own statements.
    pub fn conn(&mut self) -> &mut AnyConnection {
        &mut self.tx
    }

    /// The time of the whole change: every row it writes carries the same instant.
    pub fn now_ms(&self) -> i64 {
        self.now
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Who acts (for `created_by`-style columns use the caller's id you already hold).
    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// Locks `row`; `Ok(false)` when it does not exist. Locks must be taken in `RowLock` order and
    /// before any `post`; out of order is a bug, refused before it can deadlock in production (taking
    /// the last lock again is harmless and allowed). `lock_all` sorts a set of locks for you.
    pub async fn lock(&mut self, row: RowLock) -> Result<bool, AppError> {
        self.in_lock_order(row)?;
        lock_row(&mut self.tx, row, self.now).await
    }

    /// `lock`, reading `columns` of the row in the same statement (`None` when it does not exist).
    pub async fn lock_returning<T>(&mut self, row: RowLock, columns: &str) -> Result<Option<T>, AppError>
    where
        T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
    {
        self.in_lock_order(row)?;
        lock_row_returning(&mut self.tx, row, columns).await
    }

    /// `lock_returning` for several rows of one table in one statement (a payment approval locks
    /// every order of the checkout): taken in lock order whatever order they are given in; the rows
    /// that exist are returned, in no particular order.
    pub async fn lock_all_returning<T>(
        &mut self,
        rows: impl IntoIterator<Item = RowLock>,
        columns: &str,
    ) -> Result<Vec<T>, AppError>
    where
        T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
    {
        let mut rows: Vec<RowLock> = rows.into_iter().collect();
        rows.sort();
        rows.dedup();
        for row in &rows {
            self.in_lock_order(*row)?;
        }
        lock_rows_returning(&mut self.tx, &rows, columns).await
    }

    /// Refuses `row` out of lock order (see `lock`), else records it as the last lock taken.
    fn in_lock_order(&mut self, row: RowLock) -> Result<(), AppError> {
        let again = self.last_lock == Some(row);
        if self.head_first || (!again && (self.posted || self.last_lock.is_some_and(|last| row < last))) {
            let what = format!("lock {row:?} out of order (after {:?}, posted: {})", self.last_lock, self.posted);
            return Err(internal(&what));
        }
        self.last_lock = Some(row);
        Ok(())
    }

    /// Locks several rows in lock order whatever order they are given in (duplicates once). Returns
    /// whether every one of them exists.
    pub async fn lock_all(&mut self, rows: impl IntoIterator<Item = RowLock>) -> Result<bool, AppError> {
        let mut rows: Vec<RowLock> = rows.into_iter().collect();
        rows.sort();
        rows.dedup();
        let mut all = true;
        for row in rows {
            all &= self.lock(row).await?;
        }
        Ok(all)
    }

    /// Takes the audit head's lock now, before the change reads what its checks depend on: the one
    /// documented exception to the lock order (the head is otherwise locked last, by `audit`). Every
    /// audited writer takes that lock, so such a change runs alone among them: a check over many rows
    /// that no single row lock covers ("is this the last active super admin?", "one active commission
    /// version per scope") cannot be raced on PostgreSQL (SQLite's single writer serialises anyway).
    /// It must be the change's first lock, and no row lock may follow it (that would invert the order
    /// against every other change): both are refused as bugs.
    pub async fn serialise_with_audited_writers(&mut self) -> Result<(), AppError> {
        if self.last_lock.is_some() || self.posted {
            return Err(internal("audit head locked after a row lock or a posting"));
        }
        self.head_first = true;
        sqlx::query("UPDATE audit_head SET seq = seq WHERE id = 1").execute(&mut *self.tx).await?;
        Ok(())
    }

    /// Posts to the ledger under `key` (idempotent: the same key with the same entries returns the
    /// first posting id; with other entries `idempotency.key_reused`).
    pub async fn post(&mut self, key: &str, posting: &Posting, refs: PostingRefs, memo: &str) -> Result<i64, AppError> {
        self.posted = true;
        ledger::post(&mut self.tx, self.now, key, posting, refs, memo).await
    }

    /// Writes an audit entry now, in this transaction, as this change's actor.
    pub async fn audit(&mut self, a: Audit<'_>) -> Result<i64, AppError> {
        if let Kind::Unaudited { why } = self.kind {
            return Err(internal(&format!("audit {} in an unaudited change ({why})", a.action)));
        }
        let entry = AuditEntry {
            action: a.action.as_str(),
            target_type: a.target.target_type(),
            target_id: a.target.target_id(),
            before: a.before,
            after: a.after,
            reason: a.reason,
            result: a.result,
        };
        let id = audit_log::record(&mut self.tx, &self.actor, &self.meta, self.now, entry).await?;
        self.audited += 1;
        Ok(id)
    }

    /// Enqueues `event` in the outbox; it is delivered after commit (never when the change rolls back).
    /// An in-app event fans out to the channels its recipient receives its category on
    /// (`notifications::fanout`).
    pub async fn notify(&mut self, event: OutboxEvent) -> Result<(), AppError> {
        crate::notifications::fanout::enqueue(&mut self.tx, self.now, &event).await?;
        Ok(())
    }

    /// The same in-app notification to every member of seller organisation `org` (owner included),
    /// on each one's channels: one statement however many they are (`notifications::fanout`).
    pub async fn notify_seller_members(&mut self, org: i64, event_type: &str, payload: Value) -> Result<(), AppError> {
        use crate::notifications::fanout::{enqueue_to, Recipients};
        enqueue_to(&mut self.tx, self.now, Recipients::SellerMembers(org), event_type, &payload).await?;
        Ok(())
    }

    /// The in-app event `event_type` for several recipients, each with its own payload, on each
    /// one's channels, in one statement (`notifications::fanout::enqueue_each`).
    pub async fn notify_each(
        &mut self,
        event_type: &str,
        each: &[(crate::notifications::fanout::Recipients, Value)],
    ) -> Result<(), AppError> {
        crate::notifications::fanout::enqueue_each(&mut self.tx, self.now, event_type, each).await?;
        Ok(())
    }

    /// Commits. A privileged change without an audit entry is a bug: it is refused (and rolled back),
    /// so an unaudited privileged write can never reach the database.
    pub async fn commit(self) -> Result<(), AppError> {
        match &self.kind {
            Kind::Privileged if self.audited == 0 => {
                return Err(internal(&format!("privileged change by {} without an audit entry", self.actor.roles)));
            }
            Kind::Unaudited { why } => tracing::debug!(why, "unaudited change committed"),
            Kind::Privileged => {}
        }
        self.tx.commit().await?;
        Ok(())
    }
}
