-- The finance desk (issue 5): refunds, disputes, payout accounts, payouts, and each seller's finance
-- state (freeze, cooling-off, negative balance history). Money moves only through ledger postings;
-- these tables record the requests and decisions that caused them.

-- Refund progress on the order itself: what has been refunded so far and the commission reversed
-- with it (cumulative, so the reversal of several partial refunds sums exactly to the commission),
-- and the status a dispute interrupted (where a dispute decided for the seller returns the order).
ALTER TABLE orders ADD COLUMN refunded_minor BIGINT NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN refund_commission_minor BIGINT NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN status_before_dispute TEXT;

-- A buyer's refund request. The seller answers by `respond_by` or it escalates to a dispute.
CREATE TABLE refunds (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id BIGINT NOT NULL REFERENCES orders (id),
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    buyer_id BIGINT NOT NULL REFERENCES users (id),
    currency TEXT NOT NULL,
    amount_minor BIGINT NOT NULL,
    reason_code TEXT NOT NULL,
    details TEXT NOT NULL,
    evidence_upload_id BIGINT REFERENCES uploads (id),
    status TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    respond_by BIGINT NOT NULL,
    seller_response TEXT NOT NULL DEFAULT '',
    responded_by BIGINT REFERENCES users (id),
    responded_at BIGINT,
    dispute_id BIGINT,
    commission_reversed_minor BIGINT NOT NULL DEFAULT 0,
    posting_id BIGINT REFERENCES ledger_postings (id),
    settled_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (buyer_id, idempotency_key)
);
CREATE INDEX refunds_queue ON refunds (status, id);
CREATE INDEX refunds_order ON refunds (order_id, id);
CREATE INDEX refunds_seller ON refunds (organisation_id, status, id);

-- A dispute: opened by the buyer, by a refused refund, or by a refund the seller never answered.
-- An operator decides it: refund in full, in part, or for the seller.
CREATE TABLE disputes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id BIGINT NOT NULL REFERENCES orders (id),
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    buyer_id BIGINT NOT NULL REFERENCES users (id),
    refund_id BIGINT REFERENCES refunds (id),
    opened_by TEXT NOT NULL,
    currency TEXT NOT NULL,
    claim_minor BIGINT NOT NULL,
    reason_code TEXT NOT NULL,
    details TEXT NOT NULL,
    status TEXT NOT NULL,
    sla_due_at BIGINT NOT NULL,
    decision TEXT,
    decision_amount_minor BIGINT,
    decision_reason TEXT NOT NULL DEFAULT '',
    decided_by BIGINT REFERENCES users (id),
    decided_at BIGINT,
    posting_id BIGINT REFERENCES ledger_postings (id),
    -- The buyer's idempotency key when the buyer opened it (none when a refund escalated), and the
    -- operator's key for the decision: a retry returns the first result, another request is refused.
    idempotency_key TEXT,
    request_hash TEXT,
    decision_key TEXT,
    decision_hash TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (buyer_id, idempotency_key)
);
CREATE INDEX disputes_queue ON disputes (status, id);
CREATE INDEX disputes_order ON disputes (order_id, id);
CREATE INDEX disputes_seller ON disputes (organisation_id, created_at);

-- Messages and evidence of both sides (and operators), append-only.
CREATE TABLE dispute_messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    dispute_id BIGINT NOT NULL REFERENCES disputes (id),
    author_id BIGINT NOT NULL REFERENCES users (id),
    side TEXT NOT NULL,
    body TEXT NOT NULL,
    evidence_upload_id BIGINT REFERENCES uploads (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX dispute_messages_dispute ON dispute_messages (dispute_id, id);

-- Where a seller's payouts go. The full account number is shown only on finance's detail view
-- (revealing is audited); everywhere else `account_masked`. A change is a new row: the old one is
-- marked replaced, so a payout keeps pointing at the account it was paid to.
CREATE TABLE payout_accounts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    method TEXT NOT NULL,
    holder TEXT NOT NULL,
    account_number TEXT NOT NULL,
    account_masked TEXT NOT NULL,
    bank_name TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    replaces_id BIGINT,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    retired_at BIGINT
);
CREATE INDEX payout_accounts_seller ON payout_accounts (organisation_id, status, id);

-- A payout request: requested -> approved -> paid, or rejected / failed (money back to available).
CREATE TABLE payouts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    payout_account_id BIGINT NOT NULL REFERENCES payout_accounts (id),
    currency TEXT NOT NULL,
    amount_minor BIGINT NOT NULL,
    status TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    risk_flags TEXT NOT NULL DEFAULT '',
    frozen BIGINT NOT NULL DEFAULT 0,
    external_reference TEXT NOT NULL DEFAULT '',
    failure_reason TEXT NOT NULL DEFAULT '',
    retry_condition TEXT NOT NULL DEFAULT '',
    next_action TEXT NOT NULL DEFAULT '',
    decision_reason TEXT NOT NULL DEFAULT '',
    requested_by BIGINT NOT NULL REFERENCES users (id),
    requested_at BIGINT NOT NULL,
    approved_by BIGINT REFERENCES users (id),
    approved_at BIGINT,
    closed_by BIGINT REFERENCES users (id),
    closed_at BIGINT,
    updated_at BIGINT NOT NULL,
    UNIQUE (organisation_id, idempotency_key)
);
CREATE INDEX payouts_queue ON payouts (status, id);
CREATE INDEX payouts_seller ON payouts (organisation_id, id);

-- One row per seller with money state that is not a balance: the suspension freeze, the payout
-- cooling-off after an account change, and when its available balance last went negative. Payout
-- requests lock this row, so one seller's requests are decided one at a time.
CREATE TABLE seller_finance (
    organisation_id BIGINT PRIMARY KEY REFERENCES organisations (id),
    frozen BIGINT NOT NULL DEFAULT 0,
    frozen_at BIGINT,
    payouts_hold_until BIGINT NOT NULL DEFAULT 0,
    negative_since BIGINT,
    last_negative_at BIGINT,
    updated_at BIGINT NOT NULL
);

INSERT INTO sqlite_sequence (name, seq) VALUES ('refunds', 24000000000);
INSERT INTO sqlite_sequence (name, seq) VALUES ('disputes', 25000000000);
INSERT INTO sqlite_sequence (name, seq) VALUES ('dispute_messages', 26000000000);
INSERT INTO sqlite_sequence (name, seq) VALUES ('payout_accounts', 27000000000);
INSERT INTO sqlite_sequence (name, seq) VALUES ('payouts', 28000000000);
