-- The second factor (issue 14): an authenticator app's key (TOTP, RFC 6238) and ten one-time
-- recovery codes per user.

-- One row per user who started enrolling. `enabled_at` is set once the user typed a first right code
-- (until then the key was only shown, never proven); `last_used_step` is the time step of the last
-- accepted code, so no code works twice.
CREATE TABLE user_second_factors (
    user_id BIGINT PRIMARY KEY REFERENCES users (id),
    secret TEXT NOT NULL,
    enabled_at BIGINT,
    last_used_step BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);

-- Only each code's HMAC (keyed with the platform's signing key and the user id) is kept; a used code
-- keeps its row with `used_at`, so the page can say how many are left.
CREATE TABLE user_recovery_codes (
    user_id BIGINT NOT NULL REFERENCES users (id),
    code_hash TEXT NOT NULL,
    used_at BIGINT,
    PRIMARY KEY (user_id, code_hash)
);
