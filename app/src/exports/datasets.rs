//! Where each dataset's rows come from (server only): its tables, the column bounded by the period,
//! its keyset, and its CSV columns in order. Each column is read as text, a whole number or a time
//! (milliseconds, written as UTC `YYYY-MM-DDTHH:MM:SS`); money stays in minor units, named `_minor`.

use crate::domain::export::Dataset;

/// How a column's value is read from the row and written into its cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Int,
    Time,
}

/// One CSV column: its header and the SQL expression it reads.
pub struct Column {
    pub header: &'static str,
    pub expr: &'static str,
    pub kind: Kind,
}

const fn text(header: &'static str, expr: &'static str) -> Column {
    Column { header, expr, kind: Kind::Text }
}
const fn int(header: &'static str, expr: &'static str) -> Column {
    Column { header, expr, kind: Kind::Int }
}
const fn time(header: &'static str, expr: &'static str) -> Column {
    Column { header, expr, kind: Kind::Time }
}

/// A dataset's source. Rows are read in `(key.0, key.1)` order, ascending; a dataset of single rows
/// names its id twice. `keys` reads the lowest and the newest `key.0` when the export starts: rows
/// written during a long export (a higher id) are left out, so the file holds what was counted.
pub struct Source {
    /// The tables. A dataset of two tables read in `key` order names the first `CROSS JOIN` the
    /// second and gives the join's condition in `link`: SQLite then walks the first table by its
    /// key and the second by its index, in order, instead of sorting the period on every page.
    pub from: &'static str,
    /// The condition joining `from`'s tables that is kept in the WHERE clause (`1 = 1` if none).
    pub link: &'static str,
    pub time: &'static str,
    pub key: (&'static str, &'static str),
    pub keys: &'static str,
    pub status: Option<&'static str>,
    pub seller: Option<&'static str>,
    pub columns: &'static [Column],
}

const ORDERS: Source = Source {
    from: "orders o JOIN organisations g ON g.id = o.organisation_id JOIN users u ON u.id = o.buyer_id",
    link: "1 = 1",
    time: "o.created_at",
    key: ("o.id", "o.id"),
    keys: "SELECT COALESCE(MIN(id), 0), COALESCE(MAX(id), 0) FROM orders",
    status: Some("o.status"),
    seller: Some("o.organisation_id"),
    columns: &[
        int("id", "o.id"),
        text("number", "o.number"),
        time("created_at_utc", "o.created_at"),
        text("status", "o.status"),
        int("seller_id", "o.organisation_id"),
        text("seller_name", "g.name"),
        int("buyer_id", "o.buyer_id"),
        text("buyer_email", "u.email"),
        text("currency", "o.currency"),
        int("items_minor", "o.items_minor"),
        int("shipping_minor", "o.shipping_minor"),
        int("total_minor", "o.total_minor"),
        int("commission_minor", "o.commission_minor"),
        int("refunded_minor", "o.refunded_minor"),
        time("paid_at_utc", "o.paid_at"),
        time("shipped_at_utc", "o.shipped_at"),
        time("completed_at_utc", "o.completed_at"),
        time("cancelled_at_utc", "o.cancelled_at"),
        text("carrier", "o.carrier"),
        text("tracking_number", "o.tracking_number"),
        text("address", "o.address_json"),
    ],
};

const ORDER_LINES: Source = Source {
    from: "orders o CROSS JOIN order_lines l",
    link: "l.order_id = o.id",
    time: "o.created_at",
    key: ("o.id", "l.id"),
    keys: "SELECT COALESCE(MIN(id), 0), COALESCE(MAX(id), 0) FROM orders",
    status: Some("o.status"),
    seller: Some("o.organisation_id"),
    columns: &[
        int("line_id", "l.id"),
        int("order_id", "o.id"),
        text("order_number", "o.number"),
        time("order_created_at_utc", "o.created_at"),
        text("order_status", "o.status"),
        int("seller_id", "o.organisation_id"),
        int("listing_id", "l.listing_id"),
        int("variant_id", "l.variant_id"),
        text("title", "l.title"),
        text("variant", "l.variant_label"),
        text("sku", "l.sku"),
        text("currency", "o.currency"),
        int("unit_price_minor", "l.unit_price_minor"),
        int("quantity", "l.quantity"),
        int("line_total_minor", "l.line_total_minor"),
        int("commission_minor", "l.commission_minor"),
    ],
};

const LEDGER: Source = Source {
    from: "ledger_postings p CROSS JOIN ledger_entries e JOIN ledger_accounts a ON a.id = e.account_id",
    link: "e.posting_id = p.id",
    time: "p.at",
    key: ("p.id", "e.id"),
    keys: "SELECT COALESCE(MIN(id), 0), COALESCE(MAX(id), 0) FROM ledger_postings",
    status: None,
    seller: None,
    columns: &[
        int("posting_id", "p.id"),
        time("posted_at_utc", "p.at"),
        text("kind", "p.kind"),
        int("order_id", "p.order_id"),
        int("checkout_id", "p.checkout_id"),
        text("memo", "p.memo"),
        int("entry_id", "e.id"),
        text("account", "a.code"),
        text("account_kind", "a.kind"),
        text("currency", "e.currency"),
        int("amount_minor", "e.amount_minor"),
    ],
};

const PAYOUTS: Source = Source {
    from: "payouts p JOIN organisations g ON g.id = p.organisation_id",
    link: "1 = 1",
    time: "p.requested_at",
    key: ("p.id", "p.id"),
    keys: "SELECT COALESCE(MIN(id), 0), COALESCE(MAX(id), 0) FROM payouts",
    status: Some("p.status"),
    seller: Some("p.organisation_id"),
    columns: &[
        int("id", "p.id"),
        time("requested_at_utc", "p.requested_at"),
        text("status", "p.status"),
        int("seller_id", "p.organisation_id"),
        text("seller_name", "g.name"),
        text("currency", "p.currency"),
        int("amount_minor", "p.amount_minor"),
        int("payout_account_id", "p.payout_account_id"),
        text("risk_flags", "p.risk_flags"),
        int("frozen", "p.frozen"),
        text("external_reference", "p.external_reference"),
        text("failure_reason", "p.failure_reason"),
        time("approved_at_utc", "p.approved_at"),
        time("closed_at_utc", "p.closed_at"),
    ],
};

const REFUNDS: Source = Source {
    from: "refunds r JOIN orders o ON o.id = r.order_id",
    link: "1 = 1",
    time: "r.created_at",
    key: ("r.id", "r.id"),
    keys: "SELECT COALESCE(MIN(id), 0), COALESCE(MAX(id), 0) FROM refunds",
    status: Some("r.status"),
    seller: Some("r.organisation_id"),
    columns: &[
        int("id", "r.id"),
        time("created_at_utc", "r.created_at"),
        text("status", "r.status"),
        int("order_id", "r.order_id"),
        text("order_number", "o.number"),
        int("seller_id", "r.organisation_id"),
        int("buyer_id", "r.buyer_id"),
        text("currency", "r.currency"),
        int("amount_minor", "r.amount_minor"),
        int("commission_reversed_minor", "r.commission_reversed_minor"),
        text("reason_code", "r.reason_code"),
        text("details", "r.details"),
        text("seller_response", "r.seller_response"),
        time("responded_at_utc", "r.responded_at"),
        time("settled_at_utc", "r.settled_at"),
        int("dispute_id", "r.dispute_id"),
    ],
};

const DISPUTES: Source = Source {
    from: "disputes d JOIN orders o ON o.id = d.order_id",
    link: "1 = 1",
    time: "d.created_at",
    key: ("d.id", "d.id"),
    keys: "SELECT COALESCE(MIN(id), 0), COALESCE(MAX(id), 0) FROM disputes",
    status: Some("d.status"),
    seller: Some("d.organisation_id"),
    columns: &[
        int("id", "d.id"),
        time("created_at_utc", "d.created_at"),
        text("status", "d.status"),
        int("order_id", "d.order_id"),
        text("order_number", "o.number"),
        int("seller_id", "d.organisation_id"),
        int("buyer_id", "d.buyer_id"),
        text("opened_by", "d.opened_by"),
        text("currency", "d.currency"),
        int("claim_minor", "d.claim_minor"),
        text("reason_code", "d.reason_code"),
        text("details", "d.details"),
        text("decision", "d.decision"),
        int("decision_amount_minor", "d.decision_amount_minor"),
        text("decision_reason", "d.decision_reason"),
        time("decided_at_utc", "d.decided_at"),
    ],
};

const SELLERS: Source = Source {
    from: "organisations g JOIN users u ON u.id = g.owner_user_id",
    link: "1 = 1",
    time: "g.created_at",
    key: ("g.id", "g.id"),
    keys: "SELECT COALESCE(MIN(id), 0), COALESCE(MAX(id), 0) FROM organisations",
    status: Some("g.status"),
    seller: None,
    columns: &[
        int("id", "g.id"),
        time("created_at_utc", "g.created_at"),
        text("name", "g.name"),
        text("kind", "g.kind"),
        text("status", "g.status"),
        text("region", "g.region"),
        int("owner_user_id", "g.owner_user_id"),
        text("owner_email", "u.email"),
    ],
};

const USERS: Source = Source {
    from: "users u",
    link: "1 = 1",
    time: "u.created_at",
    key: ("u.id", "u.id"),
    keys: "SELECT COALESCE(MIN(id), 0), COALESCE(MAX(id), 0) FROM users",
    status: Some("u.status"),
    seller: None,
    columns: &[
        int("id", "u.id"),
        time("created_at_utc", "u.created_at"),
        text("email", "u.email"),
        text("display_name", "u.display_name"),
        text("status", "u.status"),
        text("locale", "u.locale"),
        time("email_verified_at_utc", "u.email_verified_at"),
        time("banned_at_utc", "u.banned_at"),
    ],
};

pub fn source(dataset: Dataset) -> &'static Source {
    match dataset {
        Dataset::Orders => &ORDERS,
        Dataset::OrderLines => &ORDER_LINES,
        Dataset::LedgerEntries => &LEDGER,
        Dataset::Payouts => &PAYOUTS,
        Dataset::Refunds => &REFUNDS,
        Dataset::Disputes => &DISPUTES,
        Dataset::Sellers => &SELLERS,
        Dataset::Users => &USERS,
    }
}

/// The CSV header of a dataset.
pub fn header(dataset: Dataset) -> Vec<&'static str> {
    source(dataset).columns.iter().map(|c| c.header).collect()
}
