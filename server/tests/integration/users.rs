//! The users & organisations directory: search, filters and paging; ban, unban, signing a user out
//! everywhere and role assignment as protected actions, each audited and (where the user should
//! know) notified.

use crate::helpers::{client, Persona, TestApp, PASSWORD};
use agora_app::domain::permissions::OperatorRole;
use agora_app::platform::audit_log::{verify_chain, ChainStatus};
use reqwest::StatusCode;
use serde_json::{json, Value};
use sqlx::Row;

const REASON: &str = "repeated spam listings";

fn id_of(p: &Persona) -> String {
    p.user_id.unwrap().to_string()
}

async fn ban(app: &TestApp, by: &Persona, target: &Persona, password: &str) -> (StatusCode, Value) {
    let id = id_of(target);
    let form =
        [("id", id.as_str()), ("category", "other"), ("duration", "30d"), ("reason", REASON), ("password", password)];
    app.call(by, "ban_user", &form).await
}

async fn unban(app: &TestApp, by: &Persona, target: &Persona) -> (StatusCode, Value) {
    app.call(by, "unban_user", &[("id", &id_of(target)), ("reason", "appeal accepted"), ("password", PASSWORD)]).await
}

async fn set_roles(app: &TestApp, by: &Persona, target: &Persona, roles: &[&str]) -> (StatusCode, Value) {
    let id = id_of(target);
    let mut form = vec![("id", id.as_str()), ("reason", "new responsibilities"), ("password", PASSWORD)];
    form.extend(roles.iter().map(|r| ("roles[]", *r)));
    app.call(by, "set_user_roles", &form).await
}

async fn status_of(app: &TestApp, who: &Persona) -> String {
    sqlx::query_scalar("SELECT status FROM users WHERE id = $1")
        .bind(who.user_id.unwrap())
        .fetch_one(app.state.db.read())
        .await
        .unwrap()
}

async fn audit_rows(app: &TestApp, action: &str) -> Vec<sqlx::any::AnyRow> {
    sqlx::query(
        "SELECT actor_id, target_id, before_json, after_json, reason FROM audit_log WHERE action = $1 ORDER BY id",
    )
    .bind(action)
    .fetch_all(app.state.db.read())
    .await
    .unwrap()
}

fn json_of(row: &sqlx::any::AnyRow, column: &str) -> Value {
    serde_json::from_str(&row.try_get::<String, _>(column).unwrap()).unwrap()
}

/// A fresh client signed in with the password, as a person would.
async fn sign_in(app: &TestApp, email: &str) -> (StatusCode, Persona) {
    let who = Persona { client: client(), user_id: None, email: email.to_string() };
    let (status, _) = app.call(&who, "sign_in", &[("email", email), ("password", PASSWORD)]).await;
    (status, who)
}

async fn notifications_of(app: &TestApp, who: &Persona) -> Vec<Value> {
    let (status, body) = app.call(who, "list_notifications", &[]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["rows"].as_array().unwrap().clone()
}

fn assert_field_error(status: StatusCode, body: &Value, field: &str, code: &str) {
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["Invalid"]["field"], field, "{body}");
    assert_eq!(body["Invalid"]["code"], code, "{body}");
}

fn assert_conflict(status: StatusCode, body: &Value, code: &str) {
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["Conflict"]["code"], code, "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ban_needs_a_reason_and_the_operators_password_and_changes_nothing_without_them() {
    let app = TestApp::spawn().await;
    let admin = app.persona("admin", &[OperatorRole::Admin]).await;
    let target = app.persona("target", &[]).await;

    let (status, body) = app
        .call(
            &admin,
            "ban_user",
            &[
                ("id", &id_of(&target)),
                ("category", "other"),
                ("duration", "7d"),
                ("reason", " "),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_field_error(status, &body, "reason", "reason.too_short");
    let (status, body) = ban(&app, &admin, &target, "not my password").await;
    assert_field_error(status, &body, "password", "password.wrong");
    let (status, body) = ban(&app, &admin, &target, "").await;
    assert_field_error(status, &body, "password", "password.required");

    assert_eq!(status_of(&app, &target).await, "active");
    assert!(audit_rows(&app, "users.ban").await.is_empty());
    let (_, me) = app.call(&target, "whoami", &[]).await;
    assert_eq!(me["user_id"], json!(target.user_id.unwrap()), "the target is still signed in");
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ban_ends_every_session_of_the_user_at_once_and_is_audited() {
    let app = TestApp::spawn().await;
    let admin = app.persona("admin", &[OperatorRole::Admin]).await;
    let target = app.persona("target", &[OperatorRole::Support]).await;
    let (status, second_device) = sign_in(&app, &target.email).await;
    assert_eq!(status, StatusCode::OK);

    let (status, body) = ban(&app, &admin, &target, PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    for session in [&target, &second_device] {
        let (status, me) = app.call(session, "whoami", &[]).await;
        assert_eq!((status, me), (StatusCode::OK, Value::Null));
        let (status, _) = app.call(session, "list_users", &[]).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let sessions: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE user_id = $1")
        .bind(target.user_id.unwrap())
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    assert_eq!(sessions, 0);

    let row = sqlx::query("SELECT status, banned_at, ban_reason FROM users WHERE id = $1")
        .bind(target.user_id.unwrap())
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    assert_eq!(row.try_get::<String, _>("status").unwrap(), "banned");
    assert!(row.try_get::<Option<i64>, _>("banned_at").unwrap().is_some());
    assert_eq!(row.try_get::<Option<String>, _>("ban_reason").unwrap().as_deref(), Some(REASON));

    let audit = audit_rows(&app, "users.ban").await;
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].try_get::<Option<i64>, _>("actor_id").unwrap(), admin.user_id);
    assert_eq!(audit[0].try_get::<String, _>("target_id").unwrap(), id_of(&target));
    assert_eq!(audit[0].try_get::<String, _>("reason").unwrap(), REASON);
    assert_eq!(json_of(&audit[0], "before_json")["status"], "active");
    assert_eq!(json_of(&audit[0], "after_json")["status"], "banned");
    assert_eq!(json_of(&audit[0], "after_json")["sessions_ended"], 2);
    assert!(matches!(verify_chain(&app.state.db).await.unwrap(), ChainStatus::Intact { .. }));

    let (status, body) = ban(&app, &admin, &target, PASSWORD).await;
    assert_conflict(status, &body, "users.already_banned");
    assert_eq!(audit_rows(&app, "users.ban").await.len(), 1, "a refused ban writes nothing");
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_banned_user_cannot_sign_in_until_unbanned_and_is_then_notified() {
    let app = TestApp::spawn().await;
    let admin = app.persona("admin", &[OperatorRole::Admin]).await;
    let target = app.persona("target", &[]).await;
    let (status, body) = unban(&app, &admin, &target).await;
    assert_conflict(status, &body, "users.not_banned");

    assert_eq!(ban(&app, &admin, &target, PASSWORD).await.0, StatusCode::OK);
    let r = app.sign_in_as(None, &target.email, PASSWORD).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "a banned user signs in with the right password: {}", r.text);
    assert_eq!(r.body["SignInBlocked"]["code"], "auth.banned_until", "told why and until when: {}", r.text);

    let (status, body) = unban(&app, &admin, &target).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(status_of(&app, &target).await, "active");
    let audit = audit_rows(&app, "users.unban").await;
    assert_eq!(audit.len(), 1);
    assert_eq!(json_of(&audit[0], "before_json")["status"], "banned");
    assert_eq!(json_of(&audit[0], "before_json")["ban_reason"], REASON);
    assert_eq!(json_of(&audit[0], "after_json")["status"], "active");
    assert_eq!(audit[0].try_get::<String, _>("reason").unwrap(), "appeal accepted");

    let (status, back) = sign_in(&app, &target.email).await;
    assert_eq!(status, StatusCode::OK);
    app.drain_outbox().await;
    let notes = notifications_of(&app, &back).await;
    let kinds: Vec<&str> = notes.iter().map(|n| n["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["users.unbanned", "users.banned"], "newest first");
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operators_cannot_ban_themselves() {
    let app = TestApp::spawn().await;
    let root = app.persona("root", &[OperatorRole::SuperAdmin]).await;
    let _other_root = app.persona("root2", &[OperatorRole::SuperAdmin]).await;
    let (status, body) = ban(&app, &root, &root, PASSWORD).await;
    assert_conflict(status, &body, "users.cannot_ban_self");
    assert_eq!(status_of(&app, &root).await, "active");
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_last_active_super_admin_can_be_neither_banned_nor_demoted() {
    let app = TestApp::spawn().await;
    let root = app.persona("root", &[OperatorRole::SuperAdmin]).await;
    let admin = app.persona("admin", &[OperatorRole::Admin]).await;

    let (status, body) = ban(&app, &admin, &root, PASSWORD).await;
    assert_conflict(status, &body, "users.last_super_admin");
    let (status, body) = set_roles(&app, &root, &root, &["admin"]).await;
    assert_conflict(status, &body, "users.last_super_admin");
    assert_eq!(status_of(&app, &root).await, "active");
    assert!(audit_rows(&app, "roles.assign").await.is_empty());

    // With a second super admin, one may step down; a lesser role still may not ban a super admin.
    let root2 = app.persona("root2", &[OperatorRole::SuperAdmin]).await;
    let (status, _) = ban(&app, &admin, &root2, PASSWORD).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = set_roles(&app, &root, &root, &["admin"]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = set_roles(&app, &root2, &root2, &[]).await;
    assert_conflict(status, &body, "users.last_super_admin");
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn assigning_roles_changes_access_at_once_is_audited_and_notifies_the_user() {
    let app = TestApp::spawn().await;
    let root = app.persona("root", &[OperatorRole::SuperAdmin]).await;
    let reviewer = app.persona("reviewer", &[OperatorRole::Reviewer]).await;
    assert_eq!(app.call(&reviewer, "list_users", &[]).await.0, StatusCode::FORBIDDEN);

    let (status, body) = set_roles(&app, &root, &reviewer, &["support", "reviewer"]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(app.call(&reviewer, "list_users", &[]).await.0, StatusCode::OK);
    let (status, body) = app.call(&reviewer, "get_user", &[("id", &id_of(&root))]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["recent_audit"], Value::Null, "support may not read the audit log");

    let audit = audit_rows(&app, "roles.assign").await;
    assert_eq!(audit.len(), 1);
    assert_eq!(json_of(&audit[0], "before_json"), json!({"roles": ["reviewer"]}));
    assert_eq!(json_of(&audit[0], "after_json"), json!({"roles": ["reviewer", "support"]}));
    assert_eq!(audit[0].try_get::<String, _>("reason").unwrap(), "new responsibilities");

    let (status, body) = set_roles(&app, &root, &reviewer, &["reviewer", "support"]).await;
    assert_conflict(status, &body, "users.roles_unchanged");
    let (status, body) = set_roles(&app, &root, &reviewer, &["support", "root"]).await;
    assert_field_error(status, &body, "roles", "users.roles_unknown");

    // No box ticked: the field is absent, which means no roles at all.
    let (status, body) = set_roles(&app, &root, &reviewer, &[]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(app.call(&reviewer, "command_center_work", &[]).await.0, StatusCode::FORBIDDEN);

    app.drain_outbox().await;
    let notes = notifications_of(&app, &reviewer).await;
    let roles: Vec<&Value> = notes.iter().map(|n| &n["params"]).collect();
    assert_eq!(roles, vec![&json!([["roles", "none"]]), &json!([["roles", "reviewer, support"]])]);
    assert!(notes.iter().all(|n| n["kind"] == "roles.changed"));
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn role_changes_need_the_password_and_only_super_admins_may_make_them() {
    let app = TestApp::spawn().await;
    let root = app.persona("root", &[OperatorRole::SuperAdmin]).await;
    let admin = app.persona("admin", &[OperatorRole::Admin]).await;
    let target = app.persona("target", &[]).await;
    let id = id_of(&target);
    let (status, body) = app
        .call(
            &root,
            "set_user_roles",
            &[("id", &id), ("roles[]", "finance"), ("reason", REASON), ("password", "wrong")],
        )
        .await;
    assert_field_error(status, &body, "password", "password.wrong");
    assert_eq!(set_roles(&app, &admin, &target, &["finance"]).await.0, StatusCode::FORBIDDEN);
    let roles: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM user_roles WHERE user_id = $1")
        .bind(target.user_id.unwrap())
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    assert_eq!(roles, 0);
    let (status, _) =
        app.call(&root, "set_user_roles", &[("id", "999999999"), ("reason", REASON), ("password", PASSWORD)]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    app.finish().await;
}

async fn search(app: &TestApp, who: &Persona, form: &[(&str, &str)]) -> (StatusCode, Vec<String>) {
    let (status, body) = app.call(who, "list_users", form).await;
    let names = body["rows"]
        .as_array()
        .map(|rows| rows.iter().map(|r| r["display_name"].as_str().unwrap().to_string()).collect())
        .unwrap_or_default();
    (status, names)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_matches_sql_and_wildcards_literally() {
    let app = TestApp::spawn().await;
    let support = app.persona("support", &[OperatorRole::Support]).await;
    for label in ["pct%name", "under_score", "quote' OR 1=1 --", "Plain Person", "小明 🛒"] {
        app.persona(label, &[]).await;
    }
    for (q, expected) in [
        ("%", vec!["pct%name"]),
        ("_", vec!["under_score"]),
        ("' OR 1=1 --", vec!["quote' OR 1=1 --"]),
        ("\\", vec![]),
        ("plain person", vec!["Plain Person"]),
        ("🛒", vec!["小明 🛒"]),
        ("小明", vec!["小明 🛒"]),
        ("nobody-has-this", vec![]),
    ] {
        let (status, names) = search(&app, &support, &[("q", q)]).await;
        assert_eq!(status, StatusCode::OK, "{q}");
        assert_eq!(names, expected, "search {q:?}");
    }
    // The email is searched as well.
    let (_, names) = search(&app, &support, &[("q", "support-")]).await;
    assert_eq!(names, vec!["support"]);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_or_unreadable_searches_get_a_clear_error_not_a_500() {
    let app = TestApp::spawn().await;
    let support = app.persona("support", &[OperatorRole::Support]).await;
    let huge = "x".repeat(10_000);
    let (status, body) = app.call(&support, "list_users", &[("q", huge.as_str())]).await;
    assert_field_error(status, &body, "q", "users.search_too_long");
    let (status, body) = app.call(&support, "list_users", &[("q", "a\0b")]).await;
    assert_field_error(status, &body, "q", "users.search_invalid");
    let (status, body) = app.call(&support, "list_users", &[("status", "gone")]).await;
    assert_field_error(status, &body, "status", "users.bad_filter");
    let (status, body) = app.call(&support, "list_users", &[("role", "<root>")]).await;
    assert_field_error(status, &body, "role", "users.bad_filter");
    let (status, body) = app.call(&support, "list_organisations", &[("q", huge.as_str())]).await;
    assert_field_error(status, &body, "q", "users.search_too_long");
    let (status, _) = app.call(&support, "list_users", &[("cursor", "'; DROP TABLE users; --")]).await;
    assert_eq!(status, StatusCode::OK, "a garbage cursor reads as the first page");
    app.finish().await;
}

/// Inserts `n` users directly; every third is banned.
async fn insert_users(app: &TestApp, n: usize) {
    let now = app.state.now_ms();
    let mut tx = app.state.db.begin().await.unwrap();
    for i in 0..n {
        let status = if i % 3 == 0 { "banned" } else { "active" };
        sqlx::query(
            "INSERT INTO users (email, display_name, password_hash, status, locale, created_at, updated_at) \
             VALUES ($1, $2, 'x', $3, 'en', $4, $4)",
        )
        .bind(format!("bulk{i}@example.com"))
        .bind(format!("Bulk {i}"))
        .bind(status)
        .bind(now)
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
}

/// Follows `next` to the end; returns every row's id.
async fn all_pages(app: &TestApp, who: &Persona, filters: &[(&str, &str)]) -> Vec<i64> {
    let mut ids = vec![];
    let mut cursor: Option<String> = None;
    for _ in 0..100 {
        let mut form: Vec<(&str, &str)> = filters.to_vec();
        if let Some(c) = &cursor {
            form.push(("cursor", c));
        }
        let (status, body) = app.call(who, "list_users", &form).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let rows = body["rows"].as_array().unwrap();
        assert!(rows.len() <= 100);
        ids.extend(rows.iter().map(|r| r["id"].as_i64().unwrap()));
        match body["next"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => return ids,
        }
    }
    panic!("paging did not end");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keyset_pagination_returns_every_row_exactly_once_newest_first() {
    let app = TestApp::spawn().await;
    let support = app.persona("support", &[OperatorRole::Support]).await;
    insert_users(&app, 70).await;

    let ids = all_pages(&app, &support, &[]).await;
    assert_eq!(ids.len(), 71);
    let mut sorted = ids.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    sorted.dedup();
    assert_eq!(ids, sorted, "ids are unique and descending");

    let banned = all_pages(&app, &support, &[("status", "banned")]).await;
    assert_eq!(banned.len(), 24);
    let bulk = all_pages(&app, &support, &[("q", "bulk"), ("status", "active")]).await;
    assert_eq!(bulk.len(), 46);

    // A sign-up range pages by (sign-up time, id): every row once, even when all share one time.
    let today = agora_app::domain::period::format_date(app.state.now_ms(), 0);
    assert_eq!(all_pages(&app, &support, &[("from", &today), ("to", &today)]).await, ids);
    assert_eq!(all_pages(&app, &support, &[("status", "banned"), ("from", &today)]).await, banned);
    let tagged: Vec<i64> = ids.iter().copied().filter(|id| id % 2 == 0).collect();
    let mut tx = app.state.db.begin().await.unwrap();
    for id in &tagged {
        sqlx::query("INSERT INTO user_tags (user_id, tag) VALUES ($1, 'even')")
            .bind(id)
            .execute(&mut *tx)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    assert_eq!(all_pages(&app, &support, &[("tag", "even"), ("from", &today)]).await, tagged);
    assert_eq!(all_pages(&app, &support, &[("tag", "even")]).await, tagged);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_role_filter_separates_operators_from_everyone_else() {
    let app = TestApp::spawn().await;
    let support = app.persona("support", &[OperatorRole::Support]).await;
    app.persona("money", &[OperatorRole::Finance, OperatorRole::Analyst]).await;
    app.persona("shopper", &[]).await;
    let names = |role: &'static str| {
        let (app, support) = (&app, &support);
        async move { search(app, support, &[("role", role)]).await.1 }
    };
    assert_eq!(names("any").await, vec!["money", "support"]);
    assert_eq!(names("none").await, vec!["shopper"]);
    assert_eq!(names("finance").await, vec!["money"]);
    assert_eq!(names("tech").await, Vec::<String>::new());
    let (_, body) = app.call(&support, "list_users", &[("role", "finance")]).await;
    assert_eq!(body["rows"][0]["roles"], json!(["finance", "analyst"]));
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_user_detail_shows_roles_sessions_memberships_and_recent_audit() {
    let app = TestApp::spawn().await;
    let admin = app.persona("admin", &[OperatorRole::Admin]).await;
    let seller = app.persona("seller", &[]).await;
    app.organisation_owned_by(&seller, "Tea House").await;

    let (status, body) = app.call(&admin, "get_user", &[("id", &id_of(&seller))]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["email"], seller.email.as_str());
    assert_eq!(body["status"], "Active");
    assert_eq!(body["active_sessions"], 1);
    assert_eq!(body["memberships"][0]["name"], "Tea House");
    assert_eq!(body["memberships"][0]["role"], "owner");
    assert_eq!(body["recent_audit"], json!([]));

    assert_eq!(ban(&app, &admin, &seller, PASSWORD).await.0, StatusCode::OK);
    let (_, body) = app.call(&admin, "get_user", &[("id", &id_of(&seller))]).await;
    assert_eq!(body["status"], "Banned");
    assert_eq!(body["ban_reason"], REASON);
    assert_eq!(body["active_sessions"], 0);
    assert_eq!(body["recent_audit"][0]["action"], "users.ban");
    assert_eq!(body["recent_audit"][0]["actor"], admin.email.as_str());

    assert_eq!(app.call(&admin, "get_user", &[("id", "999999999")]).await.0, StatusCode::NOT_FOUND);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_organisations_directory_is_empty_until_organisations_exist() {
    let app = TestApp::spawn().await;
    let finance = app.persona("finance", &[OperatorRole::Finance]).await;
    let (status, body) = app.call(&finance, "list_organisations", &[]).await;
    assert_eq!((status, body), (StatusCode::OK, json!({"rows": [], "next": null})));

    let owner = app.persona("owner", &[]).await;
    let now = app.state.now_ms();
    for (name, status) in [("Tea 100% House", "active"), ("Dormant Ltd", "suspended")] {
        sqlx::query(
            "INSERT INTO organisations (name, kind, status, region, owner_user_id, created_at, updated_at) \
             VALUES ($1, 'seller', $2, 'CN', $3, $4, $4)",
        )
        .bind(name)
        .bind(status)
        .bind(owner.user_id.unwrap())
        .bind(now)
        .execute(app.state.db.read())
        .await
        .unwrap();
    }
    let names = |body: &Value| -> Vec<String> {
        body["rows"].as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap().to_string()).collect()
    };
    let (_, body) = app.call(&finance, "list_organisations", &[]).await;
    assert_eq!(names(&body), vec!["Dormant Ltd", "Tea 100% House"]);
    assert_eq!(body["rows"][0]["owner_email"], owner.email.as_str());
    let (_, body) = app.call(&finance, "list_organisations", &[("status", "active")]).await;
    assert_eq!(names(&body), vec!["Tea 100% House"]);
    let (_, body) = app.call(&finance, "list_organisations", &[("q", "0%")]).await;
    assert_eq!(names(&body), vec!["Tea 100% House"]);
    let (status, body) = app.call(&finance, "list_organisations", &[("status", "deleted")]).await;
    assert_field_error(status, &body, "status", "users.bad_filter");
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_a_user_out_everywhere_ends_each_session_tells_them_and_is_not_a_ban() {
    let app = TestApp::spawn().await;
    let admin = app.persona("admin", &[OperatorRole::Admin]).await;
    let target = app.persona("target", &[]).await;
    let (_, second_device) = sign_in(&app, &target.email).await;
    let end = |password: &'static str| {
        let id = id_of(&target);
        let (app, admin) = (&app, &admin);
        async move {
            let form = [("id", id.as_str()), ("reason", "reported a lost phone"), ("password", password)];
            app.call(admin, "end_user_sessions", &form).await
        }
    };

    // A wrong password changes nothing.
    let (status, _) = end("not the password").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, me) = app.call(&second_device, "whoami", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_ne!(me, Value::Null);

    let (status, body) = end(PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    for session in [&target, &second_device] {
        let (status, me) = app.call(session, "whoami", &[]).await;
        assert_eq!((status, me), (StatusCode::OK, Value::Null));
    }
    let audit = audit_rows(&app, "users.end_sessions").await;
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].try_get::<String, _>("reason").unwrap(), "reported a lost phone");
    assert_eq!(json_of(&audit[0], "before_json")["sessions"], 2);
    let told: Vec<(String, String)> =
        sqlx::query_as("SELECT event_type, channel FROM outbox WHERE recipient_user_id = $1 ORDER BY id")
            .bind(target.user_id.unwrap())
            .fetch_all(app.state.db.read())
            .await
            .unwrap();
    let sessions_ended = |channel: &str| ("users.sessions_ended".to_string(), channel.to_string());
    assert!(told.contains(&sessions_ended("in_app")) && told.contains(&sessions_ended("email")), "{told:?}");

    // Not a ban: the user signs in again. With no session left, a second sign-out is refused unrecorded.
    let (status, _) = sign_in(&app, &target.email).await;
    assert_eq!(status, StatusCode::OK);
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(target.user_id.unwrap())
        .execute(app.state.db.read())
        .await
        .unwrap();
    let (status, body) = end(PASSWORD).await;
    assert_conflict(status, &body, "users.no_sessions");
    assert_eq!(audit_rows(&app, "users.end_sessions").await.len(), 1);
    app.finish().await;
}

async fn ban_many(app: &TestApp, by: &Persona, ids: &[String], extra: &[(&str, &str)]) -> (StatusCode, Value) {
    let mut form: Vec<(&str, &str)> = ids.iter().map(|id| ("ids[]", id.as_str())).collect();
    form.extend([("category", "fraud"), ("duration", "7d"), ("reason", REASON)]);
    form.extend(extra.iter().copied());
    app.call(by, "ban_users", &form).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_ban_bans_everyone_named_or_nobody_and_says_who_stopped_it() {
    let app = TestApp::spawn().await;
    let admin = app.persona("admin", &[OperatorRole::Admin]).await;
    let (a, b, c) = (app.persona("a", &[]).await, app.persona("b", &[]).await, app.persona("c", &[]).await);
    let with_password = [("password", PASSWORD)];

    // A batch with someone who cannot be banned (the operator) bans nobody and names them.
    let (status, body) = ban_many(&app, &admin, &[id_of(&a), id_of(&admin)], &with_password).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["Refused"]["code"], "users.cannot_ban_self", "{body}");
    assert_eq!(body["Refused"]["email"], admin.email.as_str());
    assert_eq!(status_of(&app, &a).await, "active", "rolled back");
    assert!(audit_rows(&app, "users.ban").await.is_empty());

    // Bad input changes nothing either: no user, too many, a wrong password.
    let (status, body) = ban_many(&app, &admin, &[], &with_password).await;
    assert_field_error(status, &body, "ids", "users.batch_ban.none_selected");
    let many: Vec<String> = (1..=51).map(|n| n.to_string()).collect();
    let (status, body) = ban_many(&app, &admin, &many, &with_password).await;
    assert_field_error(status, &body, "ids", "users.batch_ban.too_many");
    let (status, body) = ban_many(&app, &admin, &[id_of(&a)], &[("password", "not the password")]).await;
    assert_field_error(status, &body, "password", "password.wrong");

    // Everyone named (a duplicate counts once): banned, signed out, one audit entry each.
    let (status, body) = ban_many(&app, &admin, &[id_of(&a), id_of(&b), id_of(&a)], &with_password).await;
    assert_eq!((status, body.clone()), (StatusCode::OK, json!({"Banned": 2})), "{body}");
    for who in [&a, &b] {
        assert_eq!(status_of(&app, who).await, "banned");
        assert_eq!(app.call(who, "whoami", &[]).await.1, Value::Null, "signed out");
    }
    assert_eq!(status_of(&app, &c).await, "active");
    let rows = audit_rows(&app, "users.ban").await;
    assert_eq!(rows.len(), 2);
    assert_eq!(json_of(&rows[0], "after_json")["category"], "fraud");

    // Already banned: named.
    let (_, body) = ban_many(&app, &admin, &[id_of(&c), id_of(&b)], &with_password).await;
    assert_eq!(
        (body["Refused"]["code"].as_str(), body["Refused"]["email"].as_str()),
        (Some("users.already_banned"), Some(b.email.as_str()))
    );
    assert_eq!(status_of(&app, &c).await, "active");
    app.finish().await;
}
