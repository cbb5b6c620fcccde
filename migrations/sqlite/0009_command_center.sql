-- The command center (issue 13): indexes only. Today's work reads each operator queue's open rows by
-- status (count, oldest item, SLA deadline); the KPI cards and trend charts read one period of orders,
-- ledger postings, refunds, disputes, sign-ups, seller activations and payouts by an indexed time
-- column, so a 30-day period over a million orders stays a range scan, never a whole table.

-- Today's work: each queue's oldest item and its deadline, walked from the open status.
CREATE INDEX listing_versions_submitted ON listing_versions (status, submitted_at);
CREATE INDEX reports_open_age ON reports (status, created_at);
CREATE INDEX payments_proof_age ON payments (status, proof_submitted_at);
CREATE INDEX refunds_respond_by ON refunds (status, respond_by, created_at);
CREATE INDEX disputes_sla ON disputes (status, sla_due_at, created_at);
CREATE INDEX payouts_requested_age ON payouts (status, requested_at);

-- KPIs: orders paid in a period (GMV, paid orders, active sellers), covering.
CREATE INDEX orders_paid_at ON orders (paid_at, total_minor, organisation_id);
-- Ledger postings of a period (commission revenue, refunds: the period's range is `reports_postings_at`
-- of 0010, which also serves the exports' keyset), then their entries by account, covering.
CREATE INDEX ledger_entries_posting_account ON ledger_entries (posting_id, account_id, amount_minor);
-- Sellers activated (their first activation) and payouts paid in a period. Disputes opened and
-- accounts created in a period use 0010's `reports_disputes_created` and `reports_users_created`.
CREATE INDEX seller_profiles_activated ON seller_profiles (activated_at);
CREATE INDEX payouts_closed ON payouts (status, closed_at, amount_minor);
