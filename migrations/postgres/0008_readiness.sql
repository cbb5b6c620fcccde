-- Launch readiness (issue 13). Checks are measured when the page is opened; only what an operator
-- decided (a deferral) and how far the audit chain has been verified are stored.

-- One deferral per check at most: the primary key is what makes two operators deferring the same
-- check at once end with one deferral (the second is refused). An expired row is replaced by the next
-- deferral; ending a deferral deletes it (the audit log keeps both).
CREATE TABLE readiness_deferrals (
    check_id TEXT PRIMARY KEY,
    owner_id BIGINT NOT NULL REFERENCES users (id),
    reason TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    deferred_by BIGINT NOT NULL REFERENCES users (id),
    deferred_at BIGINT NOT NULL
);

-- The audit chain's checkpoint: the last entry the readiness check verified (its id, seq and hash).
-- Each page view verifies only the entries after it (at most a bounded batch) and moves it forward,
-- so a view never rehashes the whole log; `agora-server audit verify` still rehashes everything.
CREATE TABLE readiness_audit_checkpoint (
    id BIGINT PRIMARY KEY,
    entry_id BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL,
    verified_at BIGINT NOT NULL
);
INSERT INTO readiness_audit_checkpoint (id, entry_id, seq, hash, verified_at)
VALUES (1, 0, 0, '0000000000000000000000000000000000000000000000000000000000000000', 0);

-- The trust thresholds count up to their target through these (listings_browse already serves
-- live listings; orders_status serves completed orders).
CREATE INDEX organisations_kind_status ON organisations (kind, status, id);
-- "Addresses suppressed this week" reads a range of this, not the whole list.
CREATE INDEX email_suppressions_created ON email_suppressions (created_at);
