-- Reports and exports (issue 13, part E).

-- One row per export a console operator asked for. Small exports stream at once (`streamed`); larger
-- ones run as a background job: `queued` -> `running` (rows_done of rows_total written) -> `ready`
-- (the file under the uploads dir, downloadable until expires_at) -> `expired` (file deleted), or
-- `failed`. `filters_json` is what was asked, exactly as recorded in the audit log.
CREATE TABLE data_exports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    requested_by BIGINT NOT NULL REFERENCES users (id),
    dataset TEXT NOT NULL,
    filters_json TEXT NOT NULL,
    personal BIGINT NOT NULL,
    status TEXT NOT NULL,
    rows_total BIGINT NOT NULL,
    rows_done BIGINT NOT NULL DEFAULT 0,
    file_name TEXT NOT NULL DEFAULT '',
    file_bytes BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    completed_at BIGINT,
    expires_at BIGINT
);
-- "My exports", newest first.
CREATE INDEX data_exports_requester ON data_exports (requested_by, id);

-- Every report and export is bounded by a period on one time column: these make that range a seek.
CREATE INDEX reports_orders_created ON orders (created_at, id);
-- (kind too: the KPI cards and trends read the refund postings of a period from the index alone.)
CREATE INDEX reports_postings_at ON ledger_postings (at, kind, id);
CREATE INDEX reports_refunds_created ON refunds (created_at, id);
CREATE INDEX reports_disputes_created ON disputes (created_at, id);
CREATE INDEX reports_disputes_decided ON disputes (decided_at);
CREATE INDEX reports_payouts_requested ON payouts (requested_at, id);
CREATE INDEX reports_payouts_closed ON payouts (closed_at);
CREATE INDEX reports_users_created ON users (created_at, id);
CREATE INDEX reports_organisations_created ON organisations (created_at, id);
CREATE INDEX reports_versions_decided ON listing_versions (decided_at);
