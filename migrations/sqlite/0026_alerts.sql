-- Alerts and incidents (issue 15). A rule watches one metric over a window; the evaluation job
-- (alerts.evaluate, every minute while an enabled rule exists) opens an incident when it fires, or
-- counts the firing on the rule's unresolved incident. Operators acknowledge, add notes, resolve;
-- every step is a line of the incident's timeline. A silence keeps a rule quiet until it ends.
CREATE TABLE alert_rules (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    metric TEXT NOT NULL,
    threshold BIGINT NOT NULL,
    window_minutes BIGINT NOT NULL,
    severity TEXT NOT NULL,
    notify_operators BIGINT NOT NULL,
    notify_webhook BIGINT NOT NULL,
    -- Comma-separated, lower-case.
    notify_emails TEXT NOT NULL,
    enabled BIGINT NOT NULL,
    silenced_until BIGINT,
    silence_reason TEXT NOT NULL DEFAULT '',
    last_value BIGINT,
    last_evaluated_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
INSERT INTO sqlite_sequence (name, seq) VALUES ('alert_rules', 43000000000);

CREATE TABLE incidents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    rule_id BIGINT NOT NULL,
    state TEXT NOT NULL,
    severity TEXT NOT NULL,
    -- The rule's name, metric and threshold when it opened (a rule changed later keeps its history).
    title TEXT NOT NULL,
    metric TEXT NOT NULL,
    threshold BIGINT NOT NULL,
    opened_value BIGINT NOT NULL,
    last_value BIGINT NOT NULL,
    fire_count BIGINT NOT NULL,
    opened_at BIGINT NOT NULL,
    last_fired_at BIGINT NOT NULL,
    acknowledged_at BIGINT,
    resolved_at BIGINT
);
INSERT INTO sqlite_sequence (name, seq) VALUES ('incidents', 44000000000);
CREATE INDEX incidents_state ON incidents (state, id);
CREATE INDEX incidents_rule ON incidents (rule_id, state);

-- The timeline: opened, acknowledged, note, resolved, silenced, silence_ended.
CREATE TABLE incident_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    incident_id BIGINT NOT NULL,
    at BIGINT NOT NULL,
    kind TEXT NOT NULL,
    actor TEXT NOT NULL,
    note TEXT NOT NULL
);
CREATE INDEX incident_events_incident ON incident_events (incident_id, id);

-- Failed sign-ins as they happen (the sign-in throttle keeps counters, not a log): the alert on
-- failed sign-ins per hour and the risk desk read it. Pruned after a week by the evaluation job.
CREATE TABLE sign_in_failures (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at BIGINT NOT NULL,
    ip TEXT NOT NULL,
    -- The account tried, when the address is one.
    user_id BIGINT
);
CREATE INDEX sign_in_failures_at ON sign_in_failures (at);
CREATE INDEX sign_in_failures_user ON sign_in_failures (user_id, at);
CREATE INDEX audit_log_refused_at ON audit_log (at) WHERE result = 'refused';
