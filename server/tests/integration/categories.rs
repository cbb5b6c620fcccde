//! The category tree in the console: create, rename, move and disable/enable, with `browsable` kept
//! right for whole subtrees, every change audited, and bad input refused by field.

use crate::helpers::{Persona, TestApp};
use agora_app::domain::permissions::OperatorRole;
use reqwest::StatusCode;
use serde_json::Value;

async fn create(
    app: &TestApp,
    who: &Persona,
    en: &str,
    zh: &str,
    slug: &str,
    parent: Option<i64>,
) -> (StatusCode, Value) {
    let parent = parent.map(|p| p.to_string()).unwrap_or_default();
    app.call(who, "create_category", &[("name_en", en), ("name_zh", zh), ("slug", slug), ("parent_id", &parent)]).await
}

async fn created(app: &TestApp, who: &Persona, en: &str, parent: Option<i64>) -> i64 {
    let (status, body) = create(app, who, en, "类目", "", parent).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body.as_i64().unwrap()
}

/// `(id, browsable, disabled, parent)` of every category as the public tree reads it.
async fn tree(app: &TestApp) -> Vec<(i64, bool, bool, Option<i64>)> {
    let (status, body) = app.call(&app.anonymous(), "category_tree", &[("all", "true")]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body.as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["id"].as_i64().unwrap(),
                n["browsable"].as_bool().unwrap(),
                n["disabled"].as_bool().unwrap(),
                n["parent_id"].as_i64(),
            )
        })
        .collect()
}

fn node(t: &[(i64, bool, bool, Option<i64>)], id: i64) -> (bool, bool, Option<i64>) {
    let n = t.iter().find(|n| n.0 == id).unwrap();
    (n.1, n.2, n.3)
}

fn assert_invalid(status: StatusCode, body: &Value, field: &str, code: &str) {
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["Invalid"]["field"], field, "{body}");
    assert_eq!(body["Invalid"]["code"], code, "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn disabling_a_category_hides_its_subtree_and_enabling_brings_it_back() {
    let app = TestApp::spawn().await;
    let admin = app.persona("admin", &[OperatorRole::Admin]).await;
    let food = created(&app, &admin, "Food", None).await;
    let tea = created(&app, &admin, "Tea", Some(food)).await;
    let green = created(&app, &admin, "Green tea", Some(tea)).await;
    let home = created(&app, &admin, "Home", None).await;
    assert!(tree(&app).await.iter().all(|n| n.1 && !n.2));

    let (status, body) = app.call(&admin, "disable_category", &[("id", &tea.to_string())]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let t = tree(&app).await;
    assert_eq!(node(&t, tea), (false, true, Some(food)));
    assert_eq!(node(&t, green), (false, false, Some(tea)));
    assert_eq!(node(&t, food), (true, false, None));
    // The public (browse) tree leaves them out.
    let (_, browse) = app.call(&app.anonymous(), "category_tree", &[]).await;
    let ids: Vec<i64> = browse.as_array().unwrap().iter().map(|n| n["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, vec![food, home]);
    let (status, body) = app.call(&admin, "disable_category", &[("id", &tea.to_string())]).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");

    // A category created under a hidden one is hidden too.
    let oolong = created(&app, &admin, "Oolong", Some(tea)).await;
    assert!(!node(&tree(&app).await, oolong).0);

    // Moving green tea out of the disabled branch makes it browsable again.
    let (status, body) =
        app.call(&admin, "move_category", &[("id", &green.to_string()), ("parent_id", &home.to_string())]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(node(&tree(&app).await, green), (true, false, Some(home)));

    let (status, body) = app.call(&admin, "enable_category", &[("id", &tea.to_string())]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(tree(&app).await.iter().all(|n| n.1 && !n.2));

    let actions: Vec<String> =
        sqlx::query_scalar("SELECT action FROM audit_log WHERE target_type = 'category' ORDER BY id")
            .fetch_all(app.state.db.read())
            .await
            .unwrap();
    assert_eq!(
        actions,
        vec![
            "categories.create",
            "categories.create",
            "categories.create",
            "categories.create",
            "categories.disable",
            "categories.create",
            "categories.move",
            "categories.enable"
        ]
    );
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_names_slugs_and_moves_are_refused_by_field_and_change_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.persona("admin", &[OperatorRole::Admin]).await;
    let (status, body) = create(&app, &admin, "Tea & Coffee", "茶与咖啡", "", None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let drinks = body.as_i64().unwrap();
    let slug: String = sqlx::query_scalar("SELECT slug FROM categories WHERE id = $1")
        .bind(drinks)
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    assert_eq!(slug, "tea-coffee");

    let (s, b) = create(&app, &admin, "Tea", "茶", "tea-coffee", None).await;
    assert_invalid(s, &b, "slug", "categories.slug_taken");
    let (s, b) = create(&app, &admin, "", "茶", "", None).await;
    assert_invalid(s, &b, "name_en", "field.required");
    let (s, b) = create(&app, &admin, "Tea", "茶", "Bad Slug", None).await;
    assert_invalid(s, &b, "slug", "categories.bad_slug");
    let (s, b) = create(&app, &admin, "Tea", "茶", "", Some(999_999)).await;
    assert_invalid(s, &b, "parent_id", "categories.no_parent");
    let (s, b) = create(&app, &admin, "<script>alert(1)</script> Tea", "茶", "script-tea", None).await;
    assert_eq!(s, StatusCode::OK, "markup is text, rendered inert: {b}");

    // Three levels at most; never under itself.
    let tea = created(&app, &admin, "Tea", Some(drinks)).await;
    let green = created(&app, &admin, "Green", Some(tea)).await;
    let (s, b) = create(&app, &admin, "Too deep", "太深", "", Some(green)).await;
    assert_invalid(s, &b, "parent_id", "categories.too_deep");
    let (s, b) =
        app.call(&admin, "move_category", &[("id", &drinks.to_string()), ("parent_id", &green.to_string())]).await;
    assert_invalid(s, &b, "parent_id", "categories.under_itself");
    let other = created(&app, &admin, "Other", None).await;
    let (s, b) =
        app.call(&admin, "move_category", &[("id", &tea.to_string()), ("parent_id", &other.to_string())]).await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let child = created(&app, &admin, "Child", Some(other)).await;
    let (s, b) =
        app.call(&admin, "move_category", &[("id", &other.to_string()), ("parent_id", &child.to_string())]).await;
    assert_invalid(s, &b, "parent_id", "categories.under_itself");
    let lone = created(&app, &admin, "Lone", None).await;
    let (s, b) =
        app.call(&admin, "move_category", &[("id", &tea.to_string()), ("parent_id", &child.to_string())]).await;
    assert_invalid(s, &b, "parent_id", "categories.too_deep");
    let (s, b) =
        app.call(&admin, "move_category", &[("id", &lone.to_string()), ("parent_id", &child.to_string())]).await;
    assert_eq!(s, StatusCode::OK, "{b}");

    // Rename.
    let (s, b) = app
        .call(
            &admin,
            "rename_category",
            &[("id", &tea.to_string()), ("name_en", "Teas"), ("name_zh", "茶叶"), ("slug", "teas")],
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let (s, b) = app
        .call(
            &admin,
            "rename_category",
            &[("id", &green.to_string()), ("name_en", "Teas"), ("name_zh", "茶叶"), ("slug", "teas")],
        )
        .await;
    assert_invalid(s, &b, "slug", "categories.slug_taken");
    let audit_before = app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'categories.rename'").await;
    assert_eq!(audit_before, 1);
    let (s, _) = app.call(&admin, "disable_category", &[("id", "987654")]).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    app.finish().await;
}
