-- Sign-in with a provider (issue 14): OpenID Connect. A started sign-in is a flow, found by the hash
-- of its `state` and used once (the PKCE verifier and the nonce stay here, never in the browser); an
-- identity is a provider's subject tied to an account; an identity whose verified email matches an
-- existing account waits as a link request until that account's password confirms it.
CREATE TABLE oidc_flows (
    state_hash TEXT PRIMARY KEY,
    provider TEXT NOT NULL,
    verifier TEXT NOT NULL,
    nonce TEXT NOT NULL,
    -- Set when a signed-in user links an identity from their account page.
    link_user_id BIGINT REFERENCES users (id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX oidc_flows_expiry ON oidc_flows (expires_at);

CREATE TABLE user_identities (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users (id),
    provider TEXT NOT NULL,
    subject TEXT NOT NULL,
    email TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    last_used_at BIGINT NOT NULL,
    UNIQUE (provider, subject)
);
CREATE INDEX user_identities_user ON user_identities (user_id, id);
INSERT INTO sqlite_sequence (name, seq) VALUES ('user_identities', 41000000000);

CREATE TABLE identity_link_requests (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    provider TEXT NOT NULL,
    subject TEXT NOT NULL,
    email TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
