//! Checkout: the selected cart lines become one order per seller and one payment, in one
//! transaction. Every line is validated again inside it (visible and buyable, price as seen, stock);
//! stock is reserved by a conditional decrement, so two buyers racing for the last unit cannot both
//! win. An idempotency key makes a retry or a double click return the first checkout.

use super::model::{CheckoutResult, CheckoutView};
use super::service::{self, read_lines, Owner, RawLine};
use crate::commission::resolve::{active_rules, resolve_or_refuse};
use crate::domain::cart::Warning;
use crate::domain::commission::order_commission;
use crate::domain::order::{order_number, OrderStatus, PAY_WITHIN_MS};
use crate::domain::payment::{payment_reference, Provider};
use crate::error::AppError;
use crate::orders::flow::{record_event, JOB_CANCEL_UNPAID};
use crate::platform::audit_log::{self, Actor, AuditEntry};
use crate::platform::caller::{Caller, RequestMeta};
use crate::platform::jobs;
use crate::platform::state::AppState;
use rand::RngCore;
use serde_json::json;
use sha2::{Digest, Sha256};
use sqlx::{AnyConnection, Row};

/// The providers a buyer may choose here: configured, and allowed in this environment.
pub fn providers(state: &AppState) -> Vec<Provider> {
    state.settings.payment_providers.iter().copied().filter(|p| p.allowed(state.settings.production)).collect()
}

pub fn parse_provider(state: &AppState, input: &str) -> Result<Provider, AppError> {
    Provider::parse(input.trim())
        .filter(|p| providers(state).contains(p))
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
    let mut conn = state.db.read().acquire().await?;
    let addresses = service::addresses(&mut conn, caller.user_id).await?;
    Ok(CheckoutView { cart, addresses, providers: providers(state), idempotency_key: new_idempotency_key() })
}

/// What identifies a checkout request besides its key: where, how, and which lines at which price.
fn request_hash(address_id: i64, provider: Provider, lines: &[(i64, i64, i64)]) -> String {
    let mut lines = lines.to_vec();
    lines.sort_unstable();
    let text = lines.iter().map(|(v, q, p)| format!("{v}:{q}:{p}")).collect::<Vec<_>>().join(",");
    hex::encode(Sha256::digest(format!("{address_id}|{}|{text}", provider.as_str()).as_bytes()))
}

fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}

/// The first result of a checkout already made with this key, if any. The replay is the same request
/// when its address, method and selected lines hash the same; a pure retry after success finds no
/// selected lines (the first checkout removed them), and then the first checkout's own lines stand in.
async fn replay(
    conn: &mut AnyConnection,
    buyer: i64,
    key: &str,
    address_id: i64,
    provider: Provider,
) -> Result<Option<CheckoutResult>, AppError> {
    let Some(row) =
        sqlx::query("SELECT id, request_hash, total_minor FROM checkouts WHERE buyer_id = $1 AND idempotency_key = $2")
            .bind(buyer)
            .bind(key)
            .fetch_optional(&mut *conn)
            .await?
    else {
        return Ok(None);
    };
    let (checkout_id, stored, total_minor): (i64, String, i64) =
        (row.try_get("id")?, row.try_get("request_hash")?, row.try_get("total_minor")?);
    let current: Vec<(i64, i64, i64)> = read_lines(conn, &Owner::User(buyer).key(), true)
        .await?
        .iter()
        .map(|l| (l.line.variant_id, l.line.quantity, l.line.price_seen_minor))
        .collect();
    let lines = if current.is_empty() {
        let rows = sqlx::query(
            "SELECT ol.variant_id, ol.quantity, ol.unit_price_minor FROM order_lines ol JOIN orders o ON o.id = ol.order_id \
             WHERE o.checkout_id = $1",
        )
        .bind(checkout_id)
        .fetch_all(&mut *conn)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("variant_id")?, r.try_get("quantity")?, r.try_get("unit_price_minor")?)))
            .collect::<Result<Vec<_>, sqlx::Error>>()?
    } else {
        current
    };
    if request_hash(address_id, provider, &lines) != stored {
        return Err(AppError::conflict("checkout.key_reused"));
    }
    let order_numbers: Vec<String> = sqlx::query_scalar("SELECT number FROM orders WHERE checkout_id = $1 ORDER BY id")
        .bind(checkout_id)
        .fetch_all(&mut *conn)
        .await?;
    let payment_id: i64 = sqlx::query_scalar("SELECT id FROM payments WHERE checkout_id = $1 ORDER BY id LIMIT 1")
        .bind(checkout_id)
        .fetch_one(&mut *conn)
        .await?;
    Ok(Some(CheckoutResult { checkout_id, order_numbers, total_minor, payment_id }))
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

/// One order in the making.
struct Draft<'a> {
    organisation_id: i64,
    lines: Vec<&'a RawLine>,
    commissions: Vec<(i64, i64)>,
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
            let mut conn = state.db.read().acquire().await?;
            replay(&mut conn, caller.user_id, key, address_id, provider)
                .await?
                .ok_or_else(|| AppError::internal("checkout key taken but its checkout is missing"))
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

impl From<sqlx::Error> for Attempt {
    fn from(e: sqlx::Error) -> Self {
        Attempt::Failed(e.into())
    }
}

async fn attempt(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    key: &str,
    address_id: i64,
    provider: Provider,
) -> Result<CheckoutResult, Attempt> {
    let now = state.now_ms();
    let buyer = caller.user_id;
    let currency = state.settings.currency;
    let mut tx = state.db.begin().await?;
    // One checkout of a buyer at a time (PostgreSQL; SQLite has one writer): a double click waits
    // here for the first request to commit, then finds its checkout below instead of an emptied cart.
    sqlx::query("UPDATE users SET updated_at = updated_at WHERE id = $1").bind(buyer).execute(&mut *tx).await?;
    if let Some(first) = replay(&mut tx, buyer, key, address_id, provider).await? {
        return Ok(first);
    }
    let address = service::own_address(&mut tx, buyer, address_id)
        .await
        .map_err(|_| AppError::invalid("address_id", "checkout.address_unknown"))?;
    let lines = read_lines(&mut tx, &Owner::User(buyer).key(), true).await?;
    if lines.is_empty() {
        return Err(AppError::conflict("checkout.nothing_selected").into());
    }
    if let Some(e) = lines.iter().find_map(refusal) {
        return Err(e.into());
    }
    let hash = request_hash(
        address_id,
        provider,
        &lines.iter().map(|l| (l.line.variant_id, l.line.quantity, l.line.price_seen_minor)).collect::<Vec<_>>(),
    );

    // One order per seller, sellers in cart order; each line with its frozen commission rule.
    let rules = active_rules(&mut tx, currency.code()).await?;
    let mut drafts: Vec<Draft> = vec![];
    for l in &lines {
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
    let shipping = state.settings.shipping_fee_minor;
    let total: i64 = drafts.iter().map(|d| d.lines.iter().map(|l| l.line.line_total()).sum::<i64>() + shipping).sum();

    // The key first: a concurrent duplicate waits here on the unique index (PostgreSQL).
    let checkout_id: i64 = match sqlx::query_scalar(
        "INSERT INTO checkouts (buyer_id, idempotency_key, request_hash, currency, total_minor, payment_method, status, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 'pending_payment', $7) RETURNING id",
    )
    .bind(buyer)
    .bind(key)
    .bind(&hash)
    .bind(currency.code())
    .bind(total)
    .bind(provider.as_str())
    .bind(now)
    .fetch_one(&mut *tx)
    .await
    {
        Ok(id) => id,
        Err(e) if is_unique_violation(&e) => return Err(Attempt::KeyTaken),
        Err(e) => return Err(e.into()),
    };

    // Reserve stock, variants in id order so concurrent checkouts lock rows in one order. The
    // conditions repeat the checks above: whatever changed since they were read refuses the checkout.
    let mut reserve: Vec<(i64, i64, i64, i64)> = lines
        .iter()
        .map(|l| (l.line.variant_id, l.line.quantity, l.line.price_seen_minor, l.line.listing_id))
        .collect();
    reserve.sort_unstable();
    for (variant_id, quantity, price, _) in &reserve {
        let n = sqlx::query(
            "UPDATE listing_variants SET stock = stock - $1 WHERE id = $2 AND stock >= $1 AND price_minor = $3 AND status = 'active'",
        )
        .bind(quantity)
        .bind(variant_id)
        .bind(price)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n != 1 {
            let now_price: Option<i64> = sqlx::query_scalar("SELECT price_minor FROM listing_variants WHERE id = $1")
                .bind(variant_id)
                .fetch_optional(&mut *tx)
                .await?;
            let code = if now_price != Some(*price) { "checkout.price_changed" } else { "checkout.stock_short" };
            return Err(AppError::conflict(code).into());
        }
    }
    let mut listings: Vec<i64> = reserve.iter().map(|r| r.3).collect();
    listings.sort_unstable();
    listings.dedup();
    for listing_id in listings {
        sqlx::query(
            "UPDATE listings SET stock_total = (SELECT COALESCE(SUM(v.stock), 0) FROM listing_variants v \
             WHERE v.listing_id = $1 AND v.status <> 'removed') WHERE id = $1",
        )
        .bind(listing_id)
        .execute(&mut *tx)
        .await?;
    }

    let address_json = serde_json::to_string(&address.address)
        .map_err(|e| AppError::internal(format!("serialising the address: {e}")))?;
    let pay_by = now + PAY_WITHIN_MS;
    let mut order_numbers = vec![];
    let mut order_ids = vec![];
    for d in &drafts {
        let items: i64 = d.lines.iter().map(|l| l.line.line_total()).sum();
        let commission: i64 = d.commissions.iter().map(|c| c.1).sum();
        let order_id: i64 = sqlx::query_scalar(
            "INSERT INTO orders (number, checkout_id, buyer_id, organisation_id, status, currency, items_minor, shipping_minor, \
             total_minor, commission_minor, address_json, created_at, updated_at, pay_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13) RETURNING id",
        )
        .bind(format!("pending-{checkout_id}-{}", d.organisation_id))
        .bind(checkout_id)
        .bind(buyer)
        .bind(d.organisation_id)
        .bind(OrderStatus::PendingPayment.as_str())
        .bind(currency.code())
        .bind(items)
        .bind(shipping)
        .bind(items + shipping)
        .bind(commission)
        .bind(&address_json)
        .bind(now)
        .bind(pay_by)
        .fetch_one(&mut *tx)
        .await?;
        let number = order_number(order_id, now);
        sqlx::query("UPDATE orders SET number = $1 WHERE id = $2")
            .bind(&number)
            .bind(order_id)
            .execute(&mut *tx)
            .await?;
        for (l, (rule_id, line_commission)) in d.lines.iter().zip(&d.commissions) {
            sqlx::query(
                "INSERT INTO order_lines (order_id, listing_id, variant_id, title, variant_label, sku, unit_price_minor, \
                 quantity, line_total_minor, commission_rule_id, commission_minor) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            )
            .bind(order_id)
            .bind(l.line.listing_id)
            .bind(l.line.variant_id)
            .bind(&l.line.title)
            .bind(&l.line.variant_label)
            .bind(&l.line.sku)
            .bind(l.line.price_minor)
            .bind(l.line.quantity)
            .bind(l.line.line_total())
            .bind(rule_id)
            .bind(line_commission)
            .execute(&mut *tx)
            .await?;
        }
        record_event(&mut tx, order_id, "", OrderStatus::PendingPayment.as_str(), "created", Some(buyer), now, "")
            .await?;
        jobs::schedule(&mut tx, now, JOB_CANCEL_UNPAID, order_id, pay_by).await?;
        order_numbers.push(number);
        order_ids.push(order_id);
    }

    let mut random = [0u8; 10];
    rand::thread_rng().fill_bytes(&mut random);
    let payment_id: i64 = sqlx::query_scalar(
        "INSERT INTO payments (checkout_id, provider, status, currency, amount_minor, reference, created_at, updated_at) \
         VALUES ($1, $2, 'pending', $3, $4, $5, $6, $6) RETURNING id",
    )
    .bind(checkout_id)
    .bind(provider.as_str())
    .bind(currency.code())
    .bind(total)
    .bind(payment_reference(&random))
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;

    for l in &lines {
        sqlx::query("DELETE FROM cart_items WHERE id = $1").bind(l.line.id).execute(&mut *tx).await?;
    }
    audit_log::record(
        &mut tx,
        &Actor::of(caller),
        meta,
        now,
        AuditEntry {
            action: "checkout.create",
            target_type: "checkout",
            target_id: checkout_id.to_string(),
            before: json!({}),
            after: json!({"orders": order_numbers, "total_minor": total, "currency": currency.code(),
                          "payment_method": provider.as_str(), "payment_id": payment_id}),
            reason: "",
            result: "ok",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(CheckoutResult { checkout_id, order_numbers, total_minor: total, payment_id })
}
