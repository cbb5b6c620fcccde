-- Account deletion (issue 14): a user asks, an operator decides. An approved account is deactivated at
-- once (users.status = 'deleted', every session ended) and can be restored until purge_at (30 days);
-- then the purge job removes or anonymizes its personal data (users.purged_at), while orders, the
-- ledger and the audit trail keep their rows, which refer to the user by id only.
-- Status: requested -> withdrawn | rejected | approved -> restored | purged.
CREATE TABLE account_deletions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users (id),
    status TEXT NOT NULL,
    reason TEXT NOT NULL,
    requested_at BIGINT NOT NULL,
    decided_by BIGINT REFERENCES users (id),
    decided_at BIGINT,
    decision_reason TEXT NOT NULL DEFAULT '',
    purge_at BIGINT,
    closed_at BIGINT
);
-- The console queue (newest first per status) and "my request" on the account page.
CREATE INDEX account_deletions_queue ON account_deletions (status, id);
CREATE INDEX account_deletions_user ON account_deletions (user_id, id);
INSERT INTO sqlite_sequence (name, seq) VALUES ('account_deletions', 39000000000);

ALTER TABLE users ADD COLUMN purged_at BIGINT;
