-- Delivery (issue 12): email and webhooks beside the in-app channel. The outbox stays the one road out:
-- every channel's messages are outbox rows, claimed by the worker with a lease; this migration adds
-- what the new channels need (an address, an endpoint), the log of every attempt, the editable
-- templates, each user's preferences, the suppression list, account tokens (address verification,
-- password reset, address change, sign-in codes), the secret that signs links, and webhook endpoints.

-- When the account's address was proven (a link from the verification mail). Accounts created before
-- this migration keep their rights: they count as verified from their creation.
ALTER TABLE users ADD COLUMN email_verified_at BIGINT;
UPDATE users SET email_verified_at = created_at;

-- Outbox rows of the new channels. `status` is pending (retrying when attempts > 0), delivered,
-- failed (a permanent refusal: SMTP 5xx, HTTP 410, no address), exhausted (the retry schedule ran
-- out) or skipped (nothing to send: the recipient turned the category off, or the address is
-- suppressed).
ALTER TABLE outbox ADD COLUMN recipient_address TEXT;
ALTER TABLE outbox ADD COLUMN endpoint_id BIGINT;
ALTER TABLE outbox ADD COLUMN updated_at BIGINT;
-- The delivery desk: by channel and state, by state alone (newest first), and the 24-hour counters.
CREATE INDEX outbox_channel_status ON outbox (channel, status, id);
CREATE INDEX outbox_status_id ON outbox (status, id);
CREATE INDEX outbox_status_updated ON outbox (status, updated_at);
CREATE INDEX outbox_endpoint ON outbox (endpoint_id, id);

-- One row per delivery attempt of any channel: what the delivery desk and the endpoint's attempts
-- log show.
CREATE TABLE delivery_attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    outbox_id BIGINT NOT NULL,
    endpoint_id BIGINT,
    attempt BIGINT NOT NULL,
    at BIGINT NOT NULL,
    latency_ms BIGINT NOT NULL,
    -- The HTTP status or SMTP reply code; NULL when nothing answered (timeout, refused connection).
    status_code BIGINT,
    -- delivered | retry | failed | exhausted | skipped
    outcome TEXT NOT NULL,
    error TEXT,
    -- The first 1 KB of the answer.
    response_excerpt TEXT
);
CREATE INDEX delivery_attempts_outbox ON delivery_attempts (outbox_id, id);
CREATE INDEX delivery_attempts_endpoint ON delivery_attempts (endpoint_id, id);

-- Message templates: one row per event, channel and locale; each save is a new version.
CREATE TABLE message_templates (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    event_type TEXT NOT NULL,
    channel TEXT NOT NULL,
    locale TEXT NOT NULL,
    enabled BIGINT NOT NULL,
    current_version BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (event_type, channel, locale)
);
CREATE TABLE message_template_versions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    template_id BIGINT NOT NULL REFERENCES message_templates (id),
    version BIGINT NOT NULL,
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    body_html TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    -- NULL: seeded from the built-in default.
    created_by BIGINT REFERENCES users (id),
    UNIQUE (template_id, version)
);

-- What each user receives, per category and channel. No row means the default: on.
CREATE TABLE notification_preferences (
    user_id BIGINT NOT NULL REFERENCES users (id),
    category TEXT NOT NULL,
    channel TEXT NOT NULL,
    enabled BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, category, channel)
);

-- Addresses a mail server refused permanently (SMTP 5xx): nothing is sent to them until an operator
-- clears the row.
CREATE TABLE email_suppressions (
    address TEXT PRIMARY KEY,
    smtp_code BIGINT,
    reason TEXT NOT NULL,
    outbox_id BIGINT,
    created_at BIGINT NOT NULL
);

-- Single-use account tokens. Only a hash is stored (HMAC-SHA256 with the signing key); the raw token
-- travels in the mail alone.
CREATE TABLE account_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users (id),
    -- verify_email | reset_password | change_email | sign_in_code
    purpose TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    -- change_email: the address that becomes the account's once confirmed.
    new_email TEXT,
    attempts BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX account_tokens_hash ON account_tokens (token_hash);
CREATE INDEX account_tokens_user ON account_tokens (user_id, purpose, id);

-- Secrets the platform makes itself on first use (the key that signs links and hashes tokens), so
-- several servers on one database share them and a fresh install needs no configuration.
CREATE TABLE platform_secrets (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- Webhook endpoints (Standard Webhooks). organisation_id NULL: a platform endpoint managed in the
-- console; otherwise a seller organisation's, managed by its owner in the seller center.
CREATE TABLE webhook_endpoints (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id BIGINT REFERENCES organisations (id),
    url TEXT NOT NULL,
    description TEXT NOT NULL,
    -- Comma-separated event types; empty means every event of the owner's scope.
    event_types TEXT NOT NULL,
    -- active | disabled
    status TEXT NOT NULL,
    disabled_reason TEXT,
    -- whsec_ + base64 of 32 random bytes. After a rotation the previous secret keeps signing beside
    -- the new one until previous_secret_until.
    secret TEXT NOT NULL,
    previous_secret TEXT,
    previous_secret_until BIGINT,
    -- The first failed delivery of the current run of failures; NULL after a success.
    failing_since BIGINT,
    created_at BIGINT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id),
    updated_at BIGINT NOT NULL
);
CREATE INDEX webhook_endpoints_owner ON webhook_endpoints (organisation_id, status, id);

INSERT INTO sqlite_sequence (name, seq) VALUES ('delivery_attempts', 29000000000);
INSERT INTO sqlite_sequence (name, seq) VALUES ('message_templates', 30000000000);
INSERT INTO sqlite_sequence (name, seq) VALUES ('message_template_versions', 31000000000);
INSERT INTO sqlite_sequence (name, seq) VALUES ('account_tokens', 32000000000);
INSERT INTO sqlite_sequence (name, seq) VALUES ('webhook_endpoints', 33000000000);
