-- Cart, checkout, orders, payments, durable jobs, the double-entry ledger and commission rules.
-- Money is integer minor units with its currency; ledger rows are append-only (never updated).

-- A cart line. owner_key is 'u:<user id>' for a signed-in buyer, 'g:<sha256 of the guest token>' for a
-- guest; a guest cart merges into the user's at sign-in. price_seen_minor is the price when last
-- shown, so the cart can warn when it changed.
CREATE TABLE cart_items (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    owner_key TEXT NOT NULL,
    variant_id BIGINT NOT NULL REFERENCES listing_variants (id),
    quantity BIGINT NOT NULL,
    selected BIGINT NOT NULL DEFAULT 1,
    price_seen_minor BIGINT NOT NULL,
    added_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (owner_key, variant_id)
);

CREATE TABLE addresses (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users (id),
    recipient TEXT NOT NULL,
    phone TEXT NOT NULL,
    line1 TEXT NOT NULL,
    line2 TEXT NOT NULL,
    city TEXT NOT NULL,
    region TEXT NOT NULL,
    postal_code TEXT NOT NULL,
    country TEXT NOT NULL,
    is_default BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    removed_at BIGINT
);
CREATE INDEX addresses_user ON addresses (user_id, id);

-- One checkout = one payment for one or more orders (one per seller). The idempotency key makes a
-- retried or double-clicked checkout return the first result; request_hash refuses the same key
-- with a different cart.
CREATE TABLE checkouts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    buyer_id BIGINT NOT NULL REFERENCES users (id),
    idempotency_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    currency TEXT NOT NULL,
    total_minor BIGINT NOT NULL,
    payment_method TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (buyer_id, idempotency_key)
);

CREATE TABLE orders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    number TEXT NOT NULL UNIQUE,
    checkout_id BIGINT NOT NULL REFERENCES checkouts (id),
    buyer_id BIGINT NOT NULL REFERENCES users (id),
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    status TEXT NOT NULL,
    currency TEXT NOT NULL,
    items_minor BIGINT NOT NULL,
    shipping_minor BIGINT NOT NULL,
    total_minor BIGINT NOT NULL,
    commission_minor BIGINT NOT NULL,
    address_json TEXT NOT NULL,
    overdue BIGINT NOT NULL DEFAULT 0,
    carrier TEXT NOT NULL DEFAULT '',
    tracking_number TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    pay_by BIGINT NOT NULL,
    paid_at BIGINT,
    ship_by BIGINT,
    shipped_at BIGINT,
    complete_by BIGINT,
    completed_at BIGINT,
    cancelled_at BIGINT
);
CREATE INDEX orders_buyer ON orders (buyer_id, id);
CREATE INDEX orders_seller ON orders (organisation_id, status, id);
CREATE INDEX orders_status ON orders (status, id);
CREATE INDEX orders_checkout ON orders (checkout_id);

-- What was bought, frozen at checkout: title, variant, unit price, and the commission rule used.
CREATE TABLE order_lines (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id BIGINT NOT NULL REFERENCES orders (id),
    listing_id BIGINT NOT NULL REFERENCES listings (id),
    variant_id BIGINT NOT NULL REFERENCES listing_variants (id),
    title TEXT NOT NULL,
    variant_label TEXT NOT NULL,
    sku TEXT NOT NULL,
    unit_price_minor BIGINT NOT NULL,
    quantity BIGINT NOT NULL,
    line_total_minor BIGINT NOT NULL,
    commission_rule_id BIGINT NOT NULL,
    commission_minor BIGINT NOT NULL
);
CREATE INDEX order_lines_order ON order_lines (order_id, id);

-- The order's timeline: every status change (and flags such as overdue), who and when.
CREATE TABLE order_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id BIGINT NOT NULL REFERENCES orders (id),
    from_status TEXT NOT NULL,
    to_status TEXT NOT NULL,
    action TEXT NOT NULL,
    actor_id BIGINT REFERENCES users (id),
    at BIGINT NOT NULL,
    note TEXT NOT NULL
);
CREATE INDEX order_events_order ON order_events (order_id, id);

-- A payment for a checkout through a provider (bank_transfer, sandbox).
CREATE TABLE payments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    checkout_id BIGINT NOT NULL REFERENCES checkouts (id),
    provider TEXT NOT NULL,
    status TEXT NOT NULL,
    currency TEXT NOT NULL,
    amount_minor BIGINT NOT NULL,
    reference TEXT NOT NULL UNIQUE,
    proof_upload_id BIGINT REFERENCES uploads (id),
    proof_submitted_at BIGINT,
    decided_by BIGINT REFERENCES users (id),
    decided_at BIGINT,
    decision_reason TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX payments_checkout ON payments (checkout_id);
CREATE INDEX payments_queue ON payments (status, id);

-- Durable timers: a row per future action (cancel an unpaid order, flag an overdue one, complete a
-- shipped one, release a seller's held earnings). A worker claims due rows with a lease, like the
-- outbox; a restart loses nothing, and tests move the injectable clock instead of sleeping.
CREATE TABLE jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    target_id BIGINT NOT NULL,
    due_at BIGINT NOT NULL,
    status TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    lease_owner TEXT,
    lease_until BIGINT,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    done_at BIGINT
);
CREATE INDEX jobs_due ON jobs (status, due_at);
CREATE INDEX jobs_target ON jobs (kind, target_id);

-- Ledger accounts, one per (code, currency). Codes: platform:bank, buyer:clearing,
-- platform:commission, seller:<org>:pending, seller:<org>:available.
CREATE TABLE ledger_accounts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL,
    currency TEXT NOT NULL,
    kind TEXT NOT NULL,
    organisation_id BIGINT REFERENCES organisations (id),
    balance_minor BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (code, currency)
);

-- A posting: entries that sum to zero per currency. Never updated; a correction is a new posting.
CREATE TABLE ledger_postings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    order_id BIGINT REFERENCES orders (id),
    checkout_id BIGINT REFERENCES checkouts (id),
    at BIGINT NOT NULL,
    memo TEXT NOT NULL
);
CREATE INDEX ledger_postings_order ON ledger_postings (order_id, id);

CREATE TABLE ledger_entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    posting_id BIGINT NOT NULL REFERENCES ledger_postings (id),
    account_id BIGINT NOT NULL REFERENCES ledger_accounts (id),
    currency TEXT NOT NULL,
    amount_minor BIGINT NOT NULL
);
CREATE INDEX ledger_entries_posting ON ledger_entries (posting_id);
CREATE INDEX ledger_entries_account ON ledger_entries (account_id, id);

-- Commission rules, versioned: a new version replaces the active one of the same scope when
-- activated; the version used is frozen on each order line.
CREATE TABLE commission_rules (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    scope TEXT NOT NULL,
    scope_id BIGINT,
    version BIGINT NOT NULL,
    rate_bps BIGINT NOT NULL,
    fixed_minor BIGINT NOT NULL,
    floor_minor BIGINT NOT NULL,
    cap_minor BIGINT,
    currency TEXT NOT NULL,
    status TEXT NOT NULL,
    note TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    activated_by BIGINT REFERENCES users (id),
    activated_at BIGINT,
    retired_at BIGINT
);
CREATE INDEX commission_rules_scope ON commission_rules (scope, scope_id, status);

-- Platform settings edited in the console (the bank account buyers pay into), one JSON value per key.
CREATE TABLE platform_settings (
    name TEXT PRIMARY KEY,
    value_json TEXT NOT NULL,
    updated_by BIGINT REFERENCES users (id),
    updated_at BIGINT NOT NULL
);

INSERT INTO sqlite_sequence (name, seq) VALUES ('cart_items', 12000000000);
INSERT INTO sqlite_sequence (name, seq) VALUES ('addresses', 13000000000);
INSERT INTO sqlite_sequence (name, seq) VALUES ('checkouts', 14000000000);
INSERT INTO sqlite_sequence (name, seq) VALUES ('orders', 15000000000);
INSERT INTO sqlite_sequence (name, seq) VALUES ('order_lines', 16000000000);
INSERT INTO sqlite_sequence (name, seq) VALUES ('order_events', 17000000000);
INSERT INTO sqlite_sequence (name, seq) VALUES ('payments', 18000000000);
INSERT INTO sqlite_sequence (name, seq) VALUES ('jobs', 19000000000);
INSERT INTO sqlite_sequence (name, seq) VALUES ('ledger_accounts', 20000000000);
INSERT INTO sqlite_sequence (name, seq) VALUES ('ledger_postings', 21000000000);
INSERT INTO sqlite_sequence (name, seq) VALUES ('ledger_entries', 22000000000);
INSERT INTO sqlite_sequence (name, seq) VALUES ('commission_rules', 23000000000);
