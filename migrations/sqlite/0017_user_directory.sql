-- The users directory, second part (issue 14): when a user last signed in and how often, and the tags
-- and internal note operators keep about them.

-- Written with the session a sign-in opens.
ALTER TABLE users ADD COLUMN last_sign_in_at BIGINT;
ALTER TABLE users ADD COLUMN sign_in_count BIGINT NOT NULL DEFAULT 0;

-- For the platform team only (never shown to the user); audited when it changes.
ALTER TABLE users ADD COLUMN internal_note TEXT NOT NULL DEFAULT '';

-- A user's tags (lower-case, a handful each). The directory filters by one tag, newest user first:
-- the index walks that tag's users by id, the order of the directory's keyset pages.
CREATE TABLE user_tags (
    user_id BIGINT NOT NULL REFERENCES users (id),
    tag TEXT NOT NULL,
    PRIMARY KEY (user_id, tag)
);
CREATE INDEX user_tags_tag_user ON user_tags (tag, user_id);

-- The directory's "type" filter asks, per user, whether they own an organisation.
CREATE INDEX organisations_owner ON organisations (owner_user_id);
