-- The risk desk (issue 15). The scan (every five minutes) raises a signal when a rule over recent
-- activity passes its threshold (domain::risk): about a user, a seller (organisation), a listing or
-- a payout, with its evidence and severity. One unresolved signal per rule and subject (a new finding
-- updates it); operators take it (owner), acknowledge, note and resolve it, each step a timeline line.
CREATE TABLE risk_signals (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    rule TEXT NOT NULL,
    scope TEXT NOT NULL,
    subject_id BIGINT NOT NULL,
    -- What the subject was called when the signal was raised (an email, a shop, a listing title).
    subject_label TEXT NOT NULL,
    dedupe_key TEXT NOT NULL,
    severity TEXT NOT NULL,
    state TEXT NOT NULL,
    owner_id BIGINT,
    -- [[fact, value], ...] as the last finding saw it.
    evidence_json TEXT NOT NULL,
    first_seen_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    seen_count BIGINT NOT NULL,
    acknowledged_at BIGINT,
    resolved_at BIGINT
);
INSERT INTO sqlite_sequence (name, seq) VALUES ('risk_signals', 45000000000);
CREATE UNIQUE INDEX risk_signals_unresolved ON risk_signals (dedupe_key) WHERE state <> 'resolved';
CREATE INDEX risk_signals_resolved ON risk_signals (dedupe_key, resolved_at);
CREATE INDEX risk_signals_state ON risk_signals (state, id);

CREATE TABLE risk_signal_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    signal_id BIGINT NOT NULL,
    at BIGINT NOT NULL,
    kind TEXT NOT NULL,
    actor TEXT NOT NULL,
    note TEXT NOT NULL
);
CREATE INDEX risk_signal_events_signal ON risk_signal_events (signal_id, id);

-- Accounts signed in from one IP within a day.
CREATE INDEX sessions_created ON sessions (created_at);
CREATE INDEX payments_created ON payments (created_at);
-- Live listings changed lately (the price spike rule).
CREATE INDEX listings_changed ON listings (status, updated_at);
