-- Identity and access, first part: bans with a category and an end, the account lock after repeated
-- failures, the devices a user has signed in from, and the audit log's refused attempts.

-- A ban says why in one of four categories (the free text stays in ban_reason) and when it ends
-- (NULL: permanent). The end is also a durable timer (`users.ban_expiry`) that lifts it.
ALTER TABLE users ADD COLUMN ban_category TEXT;
ALTER TABLE users ADD COLUMN ban_ends_at BIGINT;

-- The account lock: 10 failures within 15 minutes lock an account for 15 minutes (the owner gets an
-- unlock link). `window_started_at`/`window_failures` count the failures of the current 15 minutes;
-- `failures`/`last_failure_at` keep driving the doubling wait as before.
ALTER TABLE sign_in_throttle ADD COLUMN window_started_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sign_in_throttle ADD COLUMN window_failures BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sign_in_throttle ADD COLUMN locked_until BIGINT NOT NULL DEFAULT 0;

-- Browsers a user has signed in from (the SHA-256 of a long-lived random cookie): a sign-in from one
-- not listed here mails the owner.
CREATE TABLE known_devices (
    user_id BIGINT NOT NULL REFERENCES users (id),
    device_hash TEXT NOT NULL,
    first_seen_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, device_hash)
);

-- The users directory lists the latest refused attempts: a partial index keeps that read small however
-- long the log grows.
CREATE INDEX audit_log_refused ON audit_log (id) WHERE result = 'refused';
