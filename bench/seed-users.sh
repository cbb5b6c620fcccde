#!/usr/bin/env bash
# Seeds a users directory of N users (default 100,000) into an Agora database, by bulk SQL.
#
#   bench/seed-users.sh sqlite:///tmp/x/agora.db [N]
#   bench/seed-users.sh postgres://postgres@127.0.0.1:PORT/postgres [N]
#
# The database must be migrated and hold the bench super admin (bench-admin@example.test, created with
# `agora-server admin create`): every seeded row copies its real argon2id password_hash, so each seeded
# user can sign in with the bench password. Called by users-directory.sh; usable on its own.
#
# Rows (n = 1..N, inserted in order so ids ascend with n, newest = highest n):
#   email         user<n>@example.test
#   display_name  <first> <last>: 16 first names (only "Ann" contains "ann", so q=ann matches 1 in 16,
#                 spread evenly) x 8 last names
#   status        banned for n % 20 = 0 (5%; banned_at and ban_reason set), else active
#   roles         1% (n % 100 = 7) hold one operator role: support, reviewer, finance, analyst in turn
#   created_at    a fixed epoch plus one minute per n
#   tags          "wholesale" for n % 10 = 1 (10%), "vip" for n % 50 = 3 (2%), both spread evenly
# PostgreSQL is ANALYZEd afterwards (autovacuum would do it within a minute in production); SQLite is
# left as the application leaves it (the app never runs ANALYZE), so the planner has no statistics.
set -euo pipefail

url=${1:?usage: $0 DATABASE_URL [N]}
n=${2:-100000}
case $n in '' | *[!0-9]*) echo "N must be a number" >&2; exit 2 ;; esac
admin=bench-admin@example.test

case $url in
  sqlite:*)
    file=${url#sqlite:}
    file=${file#//}
    file=${file%%\?*}
    [ -f "$file" ] || { echo "no SQLite database at $file" >&2; exit 1; }
    sqlite3 -bail "$file" <<SQL
.timeout 10000
BEGIN;
WITH RECURSIVE
  seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < $n),
  first_names(i, name) AS (VALUES (0, 'Ann'), (1, 'Bob'), (2, 'Carla'), (3, 'Dmitri'), (4, 'Eve'), (5, 'Farid'),
    (6, 'Gita'), (7, 'Hugo'), (8, 'Ines'), (9, 'Jun'), (10, 'Kofi'), (11, 'Lena'), (12, 'Mateo'), (13, 'Nia'),
    (14, 'Omar'), (15, 'Priya')),
  last_names(i, name) AS (VALUES (0, 'Silva'), (1, 'Chen'), (2, 'Okafor'), (3, 'Novak'), (4, 'Haddad'),
    (5, 'Tanaka'), (6, 'Garcia'), (7, 'Ndiaye')),
  h(hash) AS (SELECT password_hash FROM users WHERE email = '$admin')
INSERT INTO users (email, display_name, password_hash, status, locale, created_at, updated_at, banned_at, ban_reason)
SELECT 'user' || n || '@example.test', f.name || ' ' || l.name, h.hash,
       CASE WHEN n % 20 = 0 THEN 'banned' ELSE 'active' END, 'en',
       1700000000000 + n * 60000, 1700000000000 + n * 60000,
       CASE WHEN n % 20 = 0 THEN 1700000000000 + n * 60000 + 1000 END,
       CASE WHEN n % 20 = 0 THEN 'bench seed: banned' END
FROM seq JOIN first_names f ON f.i = n % 16 JOIN last_names l ON l.i = (n / 16) % 8 CROSS JOIN h
ORDER BY n;
INSERT INTO user_roles (user_id, role, granted_at, granted_by)
SELECT u.id,
       CASE (CAST(substr(u.email, 5, instr(u.email, '@') - 5) AS INTEGER) / 100) % 4
         WHEN 0 THEN 'support' WHEN 1 THEN 'reviewer' WHEN 2 THEN 'finance' ELSE 'analyst' END,
       u.created_at, (SELECT id FROM users WHERE email = '$admin')
FROM users u
WHERE u.email GLOB 'user[0-9]*@example.test'
  AND CAST(substr(u.email, 5, instr(u.email, '@') - 5) AS INTEGER) % 100 = 7;
INSERT INTO user_tags (user_id, tag)
SELECT u.id, CASE WHEN s.n % 10 = 1 THEN 'wholesale' ELSE 'vip' END
FROM users u JOIN (SELECT id, CAST(substr(email, 5, instr(email, '@') - 5) AS INTEGER) AS n FROM users
                   WHERE email GLOB 'user[0-9]*@example.test') s ON s.id = u.id
WHERE s.n % 10 = 1 OR s.n % 50 = 3;
COMMIT;
SQL
    ;;
  postgres:* | postgresql:*)
    psql -X -q -v ON_ERROR_STOP=1 "$url" <<SQL
BEGIN;
INSERT INTO users (email, display_name, password_hash, status, locale, created_at, updated_at, banned_at, ban_reason)
SELECT 'user' || n || '@example.test',
       (ARRAY['Ann', 'Bob', 'Carla', 'Dmitri', 'Eve', 'Farid', 'Gita', 'Hugo', 'Ines', 'Jun', 'Kofi', 'Lena',
              'Mateo', 'Nia', 'Omar', 'Priya'])[n % 16 + 1]
         || ' ' || (ARRAY['Silva', 'Chen', 'Okafor', 'Novak', 'Haddad', 'Tanaka', 'Garcia', 'Ndiaye'])[(n / 16) % 8 + 1],
       h.hash,
       CASE WHEN n % 20 = 0 THEN 'banned' ELSE 'active' END, 'en',
       1700000000000 + n * 60000::bigint, 1700000000000 + n * 60000::bigint,
       CASE WHEN n % 20 = 0 THEN 1700000000000 + n * 60000::bigint + 1000 END,
       CASE WHEN n % 20 = 0 THEN 'bench seed: banned' END
FROM generate_series(1, $n) AS n
CROSS JOIN (SELECT password_hash AS hash FROM users WHERE email = '$admin') h
ORDER BY n;
INSERT INTO user_roles (user_id, role, granted_at, granted_by)
SELECT u.id,
       (ARRAY['support', 'reviewer', 'finance', 'analyst'])[(s.n / 100) % 4 + 1],
       u.created_at, (SELECT id FROM users WHERE email = '$admin')
FROM users u
CROSS JOIN LATERAL (SELECT substring(u.email FROM '^user([0-9]+)@example\.test$')::bigint AS n) s
WHERE s.n IS NOT NULL AND s.n % 100 = 7;
INSERT INTO user_tags (user_id, tag)
SELECT u.id, CASE WHEN s.n % 10 = 1 THEN 'wholesale' ELSE 'vip' END
FROM users u
CROSS JOIN LATERAL (SELECT substring(u.email FROM '^user([0-9]+)@example\.test$')::bigint AS n) s
WHERE s.n IS NOT NULL AND (s.n % 10 = 1 OR s.n % 50 = 3);
COMMIT;
ANALYZE;
SQL
    ;;
  *)
    echo "not a sqlite: or postgres: URL: $url" >&2
    exit 2
    ;;
esac
