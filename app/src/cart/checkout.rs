//! Checkout: the selected cart lines become one order per seller and one payment, in one
//! transaction. What is bought (the key's first use, the address, the lines with their sellers,
//! prices and stock, the commission rules) is read and checked before the transaction, on a read
//! connection: on SQLite every statement inside it holds the single writer, and a checkout's reads
//! were a third of them. The transaction's writes then re-check what could have changed meanwhile
//! in their own conditions, as PostgreSQL's did already: the cart lines are taken out only as read
//! (or the checkout is refused), stock is reserved by a conditional decrement at the price seen
//! (two buyers racing for the last unit cannot both win), and the key is unique. An idempotency key
//! makes a retry or a double click return the first checkout.

use super::model::{CheckoutResult, CheckoutView};
use super::placing::{create_orders, remove_from_cart, Draft, Request, Shared};
use super::service::{self, read_lines, Owner, RawLine};
use crate::commission::resolve::{active_rules, resolve_or_refuse};
use crate::domain::address::Address;
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::cart::Warning;
use crate::domain::commission::order_commission;
use crate::domain::money::Currency;
use crate::domain::payment::{payment_reference, Provider};
use crate::error::{AppError, Context};
use crate::platform::caller::{Caller, RequestMeta};
use crate::platform::change::{Audit, Change};
use crate::platform::db::Backend;
use crate::platform::idempotency::{self, fingerprint, IdempotencyOutcome, Scope};
use crate::platform::sql::Sql;
use crate::platform::state::AppState;
use rand::RngCore;
use serde_json::json;
use sqlx::AnyConnection;

/// The providers `caller` may choose here: configured, allowed in this environment, and the sandbox
/// card only while its feature flag is on for them.
pub async fn providers(state: &AppState, caller: &Caller) -> Result<Vec<Provider>, AppError> {
    let settings = state.settings();
    let mut out: Vec<Provider> =
        settings.payment_providers.iter().copied().filter(|p| p.allowed(settings.production)).collect();
    if out.contains(&Provider::Sandbox)
        && !crate::settings::flags::on_for(state, Some(caller.user_id), &caller.roles, "sandbox_card").await?
    {
        out.retain(|p| *p != Provider::Sandbox);
    }
    Ok(out)
}

pub async fn parse_provider(state: &AppState, caller: &Caller, input: &str) -> Result<Provider, AppError> {
    let offered = providers(state, caller).await?;
    Provider::parse(input.trim())
        .filter(|p| offered.contains(p))
        .ok_or_else(|| AppError::invalid("payment_method", "checkout.payment_method"))
}

/// A new idempotency key for one rendering of the checkout page.
pub fn new_idempotency_key() -> String {
    let mut bytes = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut bytes);
    format!("co-{}", hex::encode(bytes))
}

pub async fn preview(state: &AppState, caller: &Caller) -> Result<CheckoutView, AppError> {
    let owner = Owner::User(caller.user_id);
    let mut cart = service::cart(state, Some(&owner)).await?;
    // Only what will be bought: the selected lines, per seller.
    for g in &mut cart.groups {
        g.lines.retain(|l| l.selected);
    }
    cart.groups.retain(|g| !g.lines.is_empty());
    let mut conn = state.db.read().acquire().await.context("opening a read connection")?;
    let addresses = service::addresses(&mut conn, caller.user_id).await?;
    let providers = providers(state, caller).await?;
    Ok(CheckoutView { cart, addresses, providers, idempotency_key: new_idempotency_key() })
}

/// What identifies a checkout request besides its key: where, how, and which lines at which price
/// (`variant:quantity:price`, sorted). The same fingerprint as stored before the idempotency module.
fn request_hash(address_id: i64, provider: Provider, lines: &[(i64, i64, i64)]) -> String {
    let mut lines = lines.to_vec();
    lines.sort_unstable();
    let text = lines.iter().map(|(v, q, p)| format!("{v}:{q}:{p}")).collect::<Vec<_>>().join(",");
    fingerprint(&[&address_id.to_string(), provider.as_str(), &text])
}

fn line_keys(lines: &[RawLine]) -> Vec<(i64, i64, i64)> {
    lines.iter().map(|l| (l.line.variant_id, l.line.quantity, l.line.price_seen_minor)).collect()
}

fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}

/// The lines a replay is compared with: the cart's selected lines, or, after a successful first
/// checkout removed them, that checkout's own lines.
async fn replayed_lines(
    conn: &mut AnyConnection,
    buyer: i64,
    checkout_id: i64,
) -> Result<Vec<(i64, i64, i64)>, AppError> {
    let current = line_keys(&read_lines(conn, &Owner::User(buyer).key(), true).await?);
    if !current.is_empty() {
        return Ok(current);
    }
    sqlx::query_as(
        "SELECT ol.variant_id, ol.quantity, ol.unit_price_minor FROM order_lines ol JOIN orders o ON o.id = ol.order_id \
         WHERE o.checkout_id = $1",
    )
    .bind(checkout_id)
    .fetch_all(&mut *conn)
    .await
    .context("reading the first checkout's lines")
}

/// The first checkout's answer.
async fn first_result(conn: &mut AnyConnection, checkout_id: i64) -> Result<CheckoutResult, AppError> {
    let total_minor: i64 = sqlx::query_scalar("SELECT total_minor FROM checkouts WHERE id = $1")
        .bind(checkout_id)
        .fetch_one(&mut *conn)
        .await
        .context("reading the first checkout")?;
    let order_numbers: Vec<String> = sqlx::query_scalar("SELECT number FROM orders WHERE checkout_id = $1 ORDER BY id")
        .bind(checkout_id)
        .fetch_all(&mut *conn)
        .await
        .context("reading the first checkout's orders")?;
    let payment_id: i64 = sqlx::query_scalar("SELECT id FROM payments WHERE checkout_id = $1 ORDER BY id LIMIT 1")
        .bind(checkout_id)
        .fetch_one(&mut *conn)
        .await
        .context("reading the first checkout's payment")?;
    Ok(CheckoutResult { checkout_id, order_numbers, total_minor, payment_id })
}

/// The first result of a checkout already made with this key, if any (`domain::idempotency`: the
/// same address, method and lines answer the first checkout; anything else under the key is
/// `idempotency.key_reused`).
async fn replay(
    conn: &mut AnyConnection,
    buyer: i64,
    key: &str,
    address_id: i64,
    provider: Provider,
) -> Result<Option<CheckoutResult>, AppError> {
    let scope = Scope { table: "checkouts", column: "buyer_id", id: buyer };
    let Some((checkout_id, stored)) = idempotency::load(conn, scope, key).await.context("looking up the key")? else {
        return Ok(None);
    };
    let fp = request_hash(address_id, provider, &replayed_lines(conn, buyer, checkout_id).await?);
    match IdempotencyOutcome::decide(Some((checkout_id, stored.as_deref())), &fp).replay() {
        Ok(Some(first)) => first_result(conn, first).await.map(Some),
        Ok(None) => Ok(None),
        Err(code) => Err(AppError::conflict(code)),
    }
}

/// Why a line cannot be bought now, as the checkout's refusal.
fn refusal(line: &RawLine) -> Option<AppError> {
    let w = line.line.warnings.first()?;
    Some(AppError::conflict(match w {
        Warning::SellerSuspended => "checkout.seller_suspended",
        Warning::Unavailable => "checkout.unavailable",
        Warning::PriceChanged => "checkout.price_changed",
        Warning::StockShort | Warning::OutOfStock => "checkout.stock_short",
    }))
}

/// One order per seller, sellers in cart order; each line with its frozen commission rule.
async fn drafts<'a>(
    conn: &mut AnyConnection,
    currency: Currency,
    lines: &'a [RawLine],
) -> Result<Vec<Draft<'a>>, AppError> {
    let rules = active_rules(conn, currency.code()).await?;
    let mut drafts: Vec<Draft> = vec![];
    for l in lines {
        match drafts.iter_mut().find(|d| d.organisation_id == l.organisation_id) {
            Some(d) => d.lines.push(l),
            None => drafts.push(Draft { organisation_id: l.organisation_id, lines: vec![l], commissions: vec![] }),
        }
    }
    for d in &mut drafts {
        let mut input = vec![];
        for l in &d.lines {
            let rule = resolve_or_refuse(&rules, d.organisation_id, l.category_id)?;
            input.push((rule.id, rule.rule, l.line.line_total()));
        }
        d.commissions = input.iter().map(|(id, _, _)| *id).zip(order_commission(&input)).collect();
    }
    Ok(drafts)
}

pub async fn checkout(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    key: &str,
    address_id: i64,
    provider: Provider,
) -> Result<CheckoutResult, AppError> {
    match attempt(state, caller, meta, key, address_id, provider).await {
        // A concurrent request with the same key committed first (PostgreSQL): answer as a replay.
        Err(Attempt::KeyTaken) => {
            let mut conn = state.db.read().acquire().await.context("opening a read connection")?;
            replay(&mut conn, caller.user_id, key, address_id, provider)
                .await?
                .ok_or_else(|| AppError::internal("checkout key taken but its checkout is missing"))
        }
        // A double click whose first request committed after this one read the cart finds the cart
        // emptied or changed: the first checkout is its answer.
        Err(Attempt::Failed(e)) if matches!(e, AppError::Conflict { .. }) => {
            let mut conn = state.db.read().acquire().await.context("opening a read connection")?;
            Ok(replay(&mut conn, caller.user_id, key, address_id, provider).await?.ok_or(e)?)
        }
        Err(Attempt::Failed(e)) => Err(e),
        Ok(r) => Ok(r),
    }
}

enum Attempt {
    KeyTaken,
    Failed(AppError),
}

impl From<AppError> for Attempt {
    fn from(e: AppError) -> Self {
        Attempt::Failed(e)
    }
}

/// The key first: a concurrent duplicate waits here on the unique index (PostgreSQL) and then finds
/// it taken.
async fn insert_checkout(conn: &mut AnyConnection, r: &Request<'_>, now: i64) -> Result<i64, Attempt> {
    let inserted = sqlx::query_scalar(
        "INSERT INTO checkouts (buyer_id, idempotency_key, request_hash, currency, total_minor, payment_method, status, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 'pending_payment', $7) RETURNING id",
    )
    .bind(r.buyer)
    .bind(r.key)
    .bind(&r.hash)
    .bind(r.currency.code())
    .bind(r.total)
    .bind(r.provider.as_str())
    .bind(now)
    .fetch_one(&mut *conn)
    .await;
    if inserted.as_ref().is_err_and(is_unique_violation) {
        return Err(Attempt::KeyTaken);
    }
    Ok(inserted.context("recording the checkout")?)
}

/// Reserves stock by conditional decrements that repeat the checks already made: whatever changed
/// since they were read (stock, price, status) refuses the checkout. Each variant's update also
/// updates its listing, whose stock total follows by trigger (migration 0015).
///
/// On PostgreSQL, one statement per variant, in (listing, variant) order, so concurrent checkouts
/// lock rows in one order: a single UPDATE over several rows locks them in whatever order its plan
/// visits them, which could deadlock two checkouts. SQLite has no row locks (the writer is the
/// lock), so there one statement takes every line: each statement holds the single writer.
async fn reserve_stock(conn: &mut AnyConnection, backend: Backend, lines: &[RawLine]) -> Result<(), AppError> {
    let mut reserve: Vec<(i64, i64, i64, i64)> = lines
        .iter()
        .map(|l| (l.line.listing_id, l.line.variant_id, l.line.quantity, l.line.price_seen_minor))
        .collect();
    reserve.sort_unstable();
    let batches: Vec<&[(i64, i64, i64, i64)]> = match backend {
        Backend::Sqlite => vec![&reserve[..]],
        Backend::Postgres => reserve.chunks(1).collect(),
    };
    for batch in batches {
        let sql = decrement_stock(backend, batch);
        let reserved = sql.query().execute(&mut *conn).await.context("reserving stock")?;
        if reserved.rows_affected() != batch.len() as u64 {
            return Err(AppError::conflict(why_not_reserved(conn, batch).await?));
        }
    }
    Ok(())
}

/// `stock - quantity` for each `(listing, variant, quantity, price seen)`, only where the variant
/// is active, still at that price and has that much.
fn decrement_stock(backend: Backend, batch: &[(i64, i64, i64, i64)]) -> Sql {
    let mut sql = Sql::new(backend, "UPDATE listing_variants SET stock = stock - CASE id");
    let mut each = String::new();
    for (i, (_, variant, quantity, price)) in batch.iter().enumerate() {
        let (v, q, p) = (sql.arg(*variant), sql.arg(*quantity), sql.arg(*price));
        sql.push(&format!(" WHEN {v} THEN {q}"));
        let or = if i == 0 { "" } else { " OR " };
        each.push_str(&format!("{or}(id = {v} AND stock >= {q} AND price_minor = {p})"));
    }
    sql.push(&format!(" END WHERE status = 'active' AND ({each})"));
    sql
}

/// Why a reservation failed: a changed price says so; anything else is short stock.
async fn why_not_reserved(conn: &mut AnyConnection, batch: &[(i64, i64, i64, i64)]) -> Result<&'static str, AppError> {
    for (_, variant, _, price) in batch {
        let now_price: Option<i64> = sqlx::query_scalar("SELECT price_minor FROM listing_variants WHERE id = $1")
            .bind(variant)
            .fetch_optional(&mut *conn)
            .await
            .context("reading the variant's price")?;
        if now_price != Some(*price) {
            return Ok("checkout.price_changed");
        }
    }
    Ok("checkout.stock_short")
}

async fn insert_payment(
    conn: &mut AnyConnection,
    checkout_id: i64,
    r: &Request<'_>,
    now: i64,
) -> Result<i64, AppError> {
    let mut random = [0u8; 10];
    rand::thread_rng().fill_bytes(&mut random);
    sqlx::query_scalar(
        "INSERT INTO payments (checkout_id, provider, status, currency, amount_minor, reference, created_at, updated_at) \
         VALUES ($1, $2, 'pending', $3, $4, $5, $6, $6) RETURNING id",
    )
    .bind(checkout_id)
    .bind(r.provider.as_str())
    .bind(r.currency.code())
    .bind(r.total)
    .bind(payment_reference(&random))
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .context("creating the payment")
}

/// The buyer's address and selected lines, checked: known address, something selected, every line
/// buyable as seen.
async fn what_is_bought(
    conn: &mut AnyConnection,
    buyer: i64,
    address_id: i64,
) -> Result<(Address, Vec<RawLine>), AppError> {
    let address = service::own_address(conn, buyer, address_id)
        .await
        .map_err(|_| AppError::invalid("address_id", "checkout.address_unknown"))?;
    let lines = read_lines(conn, &Owner::User(buyer).key(), true).await?;
    if lines.is_empty() {
        return Err(AppError::conflict("checkout.nothing_selected"));
    }
    if let Some(e) = lines.iter().find_map(refusal) {
        return Err(e);
    }
    Ok((address.address, lines))
}

async fn attempt(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    key: &str,
    address_id: i64,
    provider: Provider,
) -> Result<CheckoutResult, Attempt> {
    let buyer = caller.user_id;
    let currency = state.settings().currency;
    // Read and checked before the write transaction (see the module documentation).
    let mut read = state.db.read().acquire().await.context("opening a read connection")?;
    if let Some(first) = replay(&mut read, buyer, key, address_id, provider).await? {
        return Ok(first);
    }
    let (address, lines) = what_is_bought(&mut read, buyer, address_id).await?;
    let drafts = drafts(&mut read, currency, &lines).await?;
    drop(read);
    let shipping = state.settings().shipping_fee_minor;
    let total: i64 = drafts.iter().map(|d| d.items() + shipping).sum();
    let hash = request_hash(address_id, provider, &line_keys(&lines));
    let request = Request { buyer, key, hash, currency, total, provider };
    let address_json =
        serde_json::to_string(&address).map_err(|e| AppError::internal(format!("serialising the address: {e}")))?;

    let mut c = Change::by_caller(state, caller, meta).await?;
    let now = c.now_ms();
    let checkout_id = insert_checkout(c.conn(), &request, now).await?;
    let backend = state.db.backend;
    let shared = Shared { backend, checkout_id, shipping, address_json: &address_json, now };
    let order_numbers = create_orders(c.conn(), &request, &drafts, &shared).await?;
    let payment_id = insert_payment(c.conn(), checkout_id, &request, now).await?;
    remove_from_cart(c.conn(), backend, buyer, &lines).await?;
    // The rows other checkouts also write come last, so that on PostgreSQL their locks (the stock
    // rows here, the audit head below) are held only for the few statements before the commit.
    reserve_stock(c.conn(), backend, &lines).await?;
    let after = json!({"orders": order_numbers, "total_minor": total, "currency": currency.code(),
                       "payment_method": provider.as_str(), "payment_id": payment_id});
    c.audit(Audit::new(AuditAction::CheckoutCreate, AuditTarget::Checkout(checkout_id)).before(json!({})).after(after))
        .await?;
    c.commit().await?;
    Ok(CheckoutResult { checkout_id, order_numbers, total_minor: total, payment_id })
}
