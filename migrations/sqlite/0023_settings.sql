-- The settings centre (issue 15). Leptos.toml and AGORA_* give each runtime setting its start-up
-- value; a value changed in the console is stored here and wins (unless the setting is pinned by
-- the configuration). Every change is a numbered version: its values before and after, who, why;
-- a rollback is a new version restoring the values before. A server process reloads its settings
-- when the highest version id moves (it polls it), so a change reaches every process.
CREATE TABLE runtime_settings (
    key TEXT PRIMARY KEY,
    -- The canonical value; a secret's is sealed (settings::cipher), never plain text.
    value TEXT NOT NULL,
    change_id BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE setting_changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    actor_id BIGINT,
    reason TEXT NOT NULL,
    -- The version this one undid, when it is a rollback.
    rollback_of BIGINT,
    created_at BIGINT NOT NULL
);
INSERT INTO sqlite_sequence (name, seq) VALUES ('setting_changes', 42000000000);

-- One row per key a version changed. NULL: the configured value (no stored override).
CREATE TABLE setting_change_values (
    change_id BIGINT NOT NULL,
    key TEXT NOT NULL,
    value_before TEXT,
    value_after TEXT,
    PRIMARY KEY (change_id, key)
);
