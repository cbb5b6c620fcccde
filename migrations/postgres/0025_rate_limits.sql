-- Rate limits (issue 15, `domain::rate_limit`): how many requests a bucket (a class of request and an
-- IP address or an account, e.g. `write:user:42`) made in the minute starting at window_start (Unix ms).
-- Every server process counts here (one upsert per limited request), so together they enforce one
-- limit. Windows older than the previous one no longer count and are deleted as the minutes pass.
CREATE TABLE rate_counters (
    bucket TEXT NOT NULL,
    window_start BIGINT NOT NULL,
    hits BIGINT NOT NULL,
    PRIMARY KEY (bucket, window_start)
);

-- The pruning deletes by window across every bucket.
CREATE INDEX rate_counters_window ON rate_counters (window_start);
