//! The rows a checkout creates: its orders with their lines, timeline rows and payment timers, and
//! the bought lines taken out of the cart. One statement per table for the whole checkout rather than
//! one per order and per line: on SQLite every statement holds the single writer a little longer
//! (and on PostgreSQL each is a round trip), so their number, not their size, sets the throughput.

use super::service::RawLine;
use crate::domain::money::Currency;
use crate::domain::order::{order_number, OrderStatus, PAY_WITHIN_MS};
use crate::domain::payment::Provider;
use crate::error::{AppError, Context};
use crate::orders::flow::JOB_CANCEL_UNPAID;
use crate::platform::db::Backend;
use crate::platform::jobs;
use crate::platform::sql::{Arg, Sql};
use sqlx::AnyConnection;

/// One order in the making.
pub(super) struct Draft<'a> {
    pub organisation_id: i64,
    pub lines: Vec<&'a RawLine>,
    pub commissions: Vec<(i64, i64)>,
}

impl Draft<'_> {
    pub fn items(&self) -> i64 {
        self.lines.iter().map(|l| l.line.line_total()).sum()
    }
}

/// What the checkout records, besides its lines.
pub(super) struct Request<'a> {
    pub buyer: i64,
    pub key: &'a str,
    pub hash: String,
    pub currency: Currency,
    pub total: i64,
    pub provider: Provider,
}

/// What every order of the checkout shares.
pub(super) struct Shared<'a> {
    pub backend: Backend,
    pub checkout_id: i64,
    pub shipping: i64,
    pub address_json: &'a str,
    pub now: i64,
}

/// Writes one order per draft with its lines, its timeline row and its payment timer. Returns the
/// order numbers in id order (the order a replay reads them in).
pub(super) async fn create_orders(
    conn: &mut AnyConnection,
    r: &Request<'_>,
    drafts: &[Draft<'_>],
    s: &Shared<'_>,
) -> Result<Vec<String>, AppError> {
    let mut ids = insert_orders(conn, r, drafts, s).await?;
    ids.sort_unstable();
    insert_lines(conn, drafts, s, &ids).await?;
    let order_ids: Vec<i64> = ids.iter().map(|(id, _, _)| *id).collect();
    record_created(conn, s, r.buyer, &order_ids).await?;
    let timers: Vec<(i64, i64)> = order_ids.iter().map(|id| (*id, s.now + PAY_WITHIN_MS)).collect();
    jobs::schedule_many(conn, s.backend, s.now, JOB_CANCEL_UNPAID, &timers)
        .await
        .context("scheduling the payment deadlines")?;
    Ok(ids.into_iter().map(|(_, _, number)| number).collect())
}

/// The orders, numbered by their checkout and their place in it (`domain::order::order_number`);
/// returns `(order id, seller, number)`.
async fn insert_orders(
    conn: &mut AnyConnection,
    r: &Request<'_>,
    drafts: &[Draft<'_>],
    s: &Shared<'_>,
) -> Result<Vec<(i64, i64, String)>, AppError> {
    let mut sql = Sql::new(
        s.backend,
        "INSERT INTO orders (number, checkout_id, buyer_id, organisation_id, status, currency, items_minor, \
         shipping_minor, total_minor, commission_minor, address_json, created_at, updated_at, pay_by) VALUES ",
    );
    for (place, d) in drafts.iter().enumerate() {
        let (items, commission) = (d.items(), d.commissions.iter().map(|c| c.1).sum::<i64>());
        sql.values_row(vec![
            order_number(s.checkout_id, place + 1, s.now).into(),
            s.checkout_id.into(),
            r.buyer.into(),
            d.organisation_id.into(),
            OrderStatus::PendingPayment.as_str().into(),
            r.currency.code().into(),
            items.into(),
            s.shipping.into(),
            (items + s.shipping).into(),
            commission.into(),
            s.address_json.into(),
            s.now.into(),
            s.now.into(),
            (s.now + PAY_WITHIN_MS).into(),
        ]);
    }
    sql.push(" RETURNING id, organisation_id, number");
    let ids: Vec<(i64, i64, String)> = sql.query_as().fetch_all(&mut *conn).await.context("creating the orders")?;
    if ids.len() != drafts.len() {
        return Err(AppError::internal(format!("{} orders created for {} sellers", ids.len(), drafts.len())));
    }
    Ok(ids)
}

/// Every line of every order, frozen with its commission rule.
async fn insert_lines(
    conn: &mut AnyConnection,
    drafts: &[Draft<'_>],
    s: &Shared<'_>,
    ids: &[(i64, i64, String)],
) -> Result<(), AppError> {
    let mut sql = Sql::new(
        s.backend,
        "INSERT INTO order_lines (order_id, listing_id, variant_id, title, variant_label, sku, unit_price_minor, \
         quantity, line_total_minor, commission_rule_id, commission_minor) VALUES ",
    );
    for d in drafts {
        let order_id = ids
            .iter()
            .find(|(_, org, _)| *org == d.organisation_id)
            .map(|(id, _, _)| *id)
            .ok_or_else(|| AppError::internal("an order of the checkout is missing"))?;
        for (l, (rule_id, commission)) in d.lines.iter().zip(&d.commissions) {
            sql.values_row(line_row(order_id, l, *rule_id, *commission));
        }
    }
    sql.query().execute(&mut *conn).await.context("writing the orders' lines")?;
    Ok(())
}

fn line_row(order_id: i64, l: &RawLine, rule_id: i64, commission: i64) -> Vec<Arg> {
    let l = &l.line;
    vec![
        order_id.into(),
        l.listing_id.into(),
        l.variant_id.into(),
        l.title.as_str().into(),
        l.variant_label.as_str().into(),
        l.sku.as_str().into(),
        l.price_minor.into(),
        l.quantity.into(),
        l.line_total().into(),
        rule_id.into(),
        commission.into(),
    ]
}

/// Each order's first timeline row (`orders::flow::record_event` writes the later ones).
async fn record_created(conn: &mut AnyConnection, s: &Shared<'_>, buyer: i64, orders: &[i64]) -> Result<(), AppError> {
    let mut sql = Sql::new(
        s.backend,
        "INSERT INTO order_events (order_id, from_status, to_status, action, actor_id, at, note) VALUES ",
    );
    for id in orders {
        let to = OrderStatus::PendingPayment.as_str();
        sql.values_row(vec![
            (*id).into(),
            "".into(),
            to.into(),
            "created".into(),
            buyer.into(),
            s.now.into(),
            "".into(),
        ]);
    }
    sql.query().execute(&mut *conn).await.context("writing the orders' timelines")?;
    Ok(())
}

/// Takes the bought lines out of the buyer's cart, each only as it was read (quantity, price seen,
/// selected): a line changed or removed since refuses the checkout (`checkout.cart_changed`), since
/// the lines were read before the write transaction.
pub(super) async fn remove_from_cart(
    conn: &mut AnyConnection,
    backend: Backend,
    buyer: i64,
    lines: &[RawLine],
) -> Result<(), AppError> {
    let mut sql = Sql::new(backend, "DELETE FROM cart_items WHERE owner_key = ");
    let owner = sql.arg(super::service::Owner::User(buyer).key());
    sql.push(&owner).push(" AND selected = 1 AND (");
    for (i, l) in lines.iter().enumerate() {
        let (id, quantity, price) = (sql.arg(l.line.id), sql.arg(l.line.quantity), sql.arg(l.line.price_seen_minor));
        sql.push(if i == 0 { "" } else { " OR " });
        sql.push(&format!("(id = {id} AND quantity = {quantity} AND price_seen_minor = {price})"));
    }
    sql.push(")");
    let removed = sql.query().execute(&mut *conn).await.context("removing the bought lines from the cart")?;
    if removed.rows_affected() != lines.len() as u64 {
        return Err(AppError::conflict("checkout.cart_changed"));
    }
    Ok(())
}
