//! Roles as data: super admins make custom roles from the catalog and change any role's grants but
//! super_admin's; each change is protected and audited and counts from the holders' next request;
//! built-in roles cannot be deleted, a held custom role neither; bad grants change nothing.

use crate::helpers::{ok, Persona, TestApp, PASSWORD};
use agora_app::domain::permissions::OperatorRole;
use agora_app::platform::audit_log::{verify_chain, ChainStatus};
use reqwest::StatusCode;
use serde_json::Value;
use sqlx::Row;

const REASON: &str = "the catalog team needs its own role";

async fn create(app: &TestApp, by: &Persona, name: &str, grants: &[&str]) -> (StatusCode, Value) {
    let mut form =
        vec![("name", name), ("description", "Keeps the catalog tidy"), ("reason", REASON), ("password", PASSWORD)];
    form.extend(grants.iter().map(|g| ("grants[]", *g)));
    app.call(by, "create_role", &form).await
}

async fn set_grants(app: &TestApp, by: &Persona, id: i64, grants: &[&str]) -> (StatusCode, Value) {
    let id = id.to_string();
    let mut form = vec![("id", id.as_str()), ("reason", REASON), ("password", PASSWORD)];
    form.extend(grants.iter().map(|g| ("grants[]", *g)));
    app.call(by, "set_role_grants", &form).await
}

async fn delete(app: &TestApp, by: &Persona, id: i64) -> (StatusCode, Value) {
    app.call(by, "delete_role", &[("id", &id.to_string()), ("reason", REASON), ("password", PASSWORD)]).await
}

/// Gives `user` exactly `roles` (none: takes every role away), as a super admin does on the user page.
async fn give_roles(app: &TestApp, by: &Persona, user: &Persona, roles: &[&str]) -> (StatusCode, Value) {
    let id = user.user_id.unwrap().to_string();
    let mut form = vec![("id", id.as_str()), ("reason", REASON), ("password", PASSWORD)];
    form.extend(roles.iter().map(|r| ("roles[]", *r)));
    app.call(by, "set_user_roles", &form).await
}

async fn role_id(app: &TestApp, name: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM roles WHERE name = $1").bind(name).fetch_one(app.state.db.read()).await.unwrap()
}

fn code_of(body: &Value) -> String {
    body["Conflict"]["code"].as_str().unwrap_or_default().to_string()
}

fn field_of(body: &Value) -> Option<(String, String)> {
    crate::helpers::field_error(body)
}

async fn audit(app: &TestApp, action: &str) -> Vec<(String, String, String)> {
    sqlx::query("SELECT target_id, before_json, after_json FROM audit_log WHERE action = $1 ORDER BY id")
        .bind(action)
        .fetch_all(app.state.db.read())
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get("target_id"), r.get("before_json"), r.get("after_json")))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_custom_role_is_made_from_the_catalog_and_its_grants_count_from_the_next_request() {
    let app = TestApp::spawn().await;
    let admin = app.persona("admin", &[OperatorRole::SuperAdmin]).await;
    let id = ok(
        &app,
        &admin,
        "create_role",
        &[
            ("name", "Catalog_Assistant"),
            ("grants[]", "listings.view"),
            ("grants[]", "listings.review"),
            ("reason", REASON),
            ("password", PASSWORD),
        ],
    )
    .await;
    let id = id.as_i64().expect("the new role's id");
    assert_eq!(role_id(&app, "catalog_assistant").await, id);
    let created = audit(&app, "roles.create").await;
    assert_eq!(created.len(), 1);
    assert_eq!(created[0].0, id.to_string());
    assert!(
        created[0].2.contains("\"console.view\"") && created[0].2.contains("\"listings.review\""),
        "{}",
        created[0].2
    );

    // Given to a user, it lets them into what it grants and nowhere else.
    let assistant = app.persona("assistant", &[]).await;
    let (status, body) = give_roles(&app, &admin, &assistant, &["catalog_assistant"]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(app.call(&assistant, "review_counters", &[]).await.0, StatusCode::OK);
    assert_eq!(app.call(&assistant, "list_users", &[]).await.0, StatusCode::FORBIDDEN);
    let whoami = ok(&app, &assistant, "whoami", &[]).await;
    assert_eq!(whoami["roles"], serde_json::json!(["catalog_assistant"]));

    // A change counts from the holder's next request, and is audited with before and after.
    let (status, body) = set_grants(&app, &admin, id, &["users.view"]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(app.call(&assistant, "review_counters", &[]).await.0, StatusCode::FORBIDDEN);
    assert_eq!(app.call(&assistant, "list_users", &[]).await.0, StatusCode::OK);
    let changed = audit(&app, "roles.grants_change").await;
    assert_eq!(changed.len(), 1);
    assert!(changed[0].1.contains("listings.review") && !changed[0].2.contains("listings.review"));
    assert!(changed[0].2.contains("users.view"));
    // The same grants again: nothing to record.
    let (status, body) = set_grants(&app, &admin, id, &["users.view"]).await;
    assert_eq!((status, code_of(&body).as_str()), (StatusCode::CONFLICT, "roles.unchanged"), "{body}");

    // Held, it cannot be deleted; once nobody holds it, it can.
    let (status, body) = delete(&app, &admin, id).await;
    assert_eq!((status, code_of(&body).as_str()), (StatusCode::CONFLICT, "roles.in_use"), "{body}");
    let (status, _) = give_roles(&app, &admin, &assistant, &[]).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = delete(&app, &admin, id).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(app.count("SELECT COUNT(*) FROM roles WHERE name = 'catalog_assistant'").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM role_grants WHERE role = 'catalog_assistant'").await, 0);
    assert_eq!(audit(&app, "roles.delete").await.len(), 1);
    // A role that no longer exists cannot be given.
    let (status, body) = give_roles(&app, &admin, &assistant, &["catalog_assistant"]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(field_of(&body), Some(("roles".into(), "users.roles_unknown".into())));
    assert!(matches!(verify_chain(&app.state.db).await.unwrap(), ChainStatus::Intact { .. }));
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_roles_and_grants_are_refused_and_change_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.persona("admin", &[OperatorRole::SuperAdmin]).await;
    let roles_before = app.count("SELECT COUNT(*) FROM roles").await;
    let grants_before = app.count("SELECT COUNT(*) FROM role_grants").await;
    for (name, grants, field, code) in [
        ("helper", &["users.fly"][..], "grants", "roles.unknown_permission"),
        ("helper", &["roles.manage"][..], "grants", "roles.reserved_permission"),
        ("helper", &["roles.assign", "users.view"][..], "grants", "roles.reserved_permission"),
        ("helper", &[][..], "grants", "roles.empty"),
        ("admin", &["users.view"][..], "name", "roles.name_built_in"),
        ("<b>x</b>", &["users.view"][..], "name", "roles.name_invalid"),
        ("ab", &["users.view"][..], "name", "roles.name_length"),
    ] {
        let (status, body) = create(&app, &admin, name, grants).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{name} {grants:?}: {body}");
        assert_eq!(field_of(&body), Some((field.to_string(), code.to_string())), "{name} {grants:?}");
    }
    let (status, body) = create(&app, &admin, "helper", &["users.view"]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = create(&app, &admin, "helper", &["users.view"]).await;
    assert_eq!(field_of(&body), Some(("name".into(), "roles.name_taken".into())), "{status} {body}");
    // A wrong password is refused before anything is written.
    let (status, body) = app
        .call(
            &admin,
            "create_role",
            &[("name", "other"), ("grants[]", "users.view"), ("reason", REASON), ("password", "wrong")],
        )
        .await;
    assert_eq!(field_of(&body), Some(("password".into(), "password.wrong".into())), "{status} {body}");

    // super_admin always holds everything; built-in roles stay.
    let super_admin = role_id(&app, "super_admin").await;
    let (status, body) = set_grants(&app, &admin, super_admin, &["users.view"]).await;
    assert_eq!((status, code_of(&body).as_str()), (StatusCode::CONFLICT, "roles.super_admin_fixed"), "{body}");
    let support = role_id(&app, "support").await;
    let (status, body) = delete(&app, &admin, support).await;
    assert_eq!((status, code_of(&body).as_str()), (StatusCode::CONFLICT, "roles.built_in"), "{body}");
    let (status, body) = set_grants(&app, &admin, support, &[]).await;
    assert_eq!(field_of(&body), Some(("grants".into(), "roles.empty".into())), "{status} {body}");
    let (status, _) = set_grants(&app, &admin, 999, &["users.view"]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    assert_eq!(app.count("SELECT COUNT(*) FROM roles").await, roles_before + 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM role_grants").await, grants_before + 2);
    assert_eq!(audit(&app, "roles.grants_change").await.len(), 0);
    // Only super admins shape roles: an admin may not, even for a role they hold.
    let other_admin = app.persona("ops", &[OperatorRole::Admin]).await;
    assert_eq!(create(&app, &other_admin, "mine", &["users.view"]).await.0, StatusCode::FORBIDDEN);
    app.finish().await;
}

/// A built-in role's grants are data too: taking `users.view` from support closes the directory to
/// support at their next request, and the start-up seeding (a restart) does not give it back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_built_in_role_changed_stays_changed_after_a_restart() {
    let app = TestApp::spawn().await;
    let admin = app.persona("admin", &[OperatorRole::SuperAdmin]).await;
    let support = app.persona("support", &[OperatorRole::Support]).await;
    assert_eq!(app.call(&support, "list_users", &[]).await.0, StatusCode::OK);
    let id = role_id(&app, "support").await;
    let (status, body) = set_grants(&app, &admin, id, &["orders.view", "refunds.view"]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(app.call(&support, "list_users", &[]).await.0, StatusCode::FORBIDDEN);
    let added = agora_app::users::roles::seed::seed_built_in(&app.state.db, app.state.now_ms()).await.unwrap();
    assert_eq!(added, 0, "a restart re-granted what a super admin took away");
    assert_eq!(app.call(&support, "list_users", &[]).await.0, StatusCode::FORBIDDEN);
    // A default the seeding has not offered yet (a permission added in a later release) is granted once.
    app.state
        .db
        .execute_write(sqlx::query(
            "DELETE FROM role_defaults_offered WHERE role = 'support' AND permission = 'users.view'",
        ))
        .await
        .unwrap();
    let added = agora_app::users::roles::seed::seed_built_in(&app.state.db, app.state.now_ms()).await.unwrap();
    assert_eq!(added, 1);
    assert_eq!(app.call(&support, "list_users", &[]).await.0, StatusCode::OK);
    app.finish().await;
}
