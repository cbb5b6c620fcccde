-- Roles as data (issue 14). The permission catalog stays in code; a role is a name and its grants
-- from the catalog. Built-in roles are seeded at start-up with their default grants
-- (permissions::grants); super admins change them and create custom roles (/console/roles).
-- user_roles.role and role_grants.role hold the role's name, so a signed-in request reads its
-- permissions with one join.
CREATE TABLE roles (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    built_in BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
INSERT INTO sqlite_sequence (name, seq) VALUES ('roles', 40000000000);

CREATE TABLE role_grants (
    role TEXT NOT NULL,
    permission TEXT NOT NULL,
    PRIMARY KEY (role, permission)
);

-- The default grants the start-up seeding has offered each built-in role: a default added in a later
-- release is granted once, and one a super admin removed stays removed.
CREATE TABLE role_defaults_offered (
    role TEXT NOT NULL,
    permission TEXT NOT NULL,
    PRIMARY KEY (role, permission)
);
