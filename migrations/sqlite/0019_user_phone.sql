-- A user's phone number (issue 14): optional, in the international form (`+` and digits), one
-- account per number. Shown masked except to operators allowed to reveal it (audited).
ALTER TABLE users ADD COLUMN phone TEXT;
CREATE UNIQUE INDEX users_phone ON users (phone);
