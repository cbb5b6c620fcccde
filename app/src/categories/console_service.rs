//! Changing the category tree. The tree is small (hundreds of rows), so each change reads it whole
//! inside its transaction, checks the move with the domain rules, and rewrites `browsable` for every
//! row whose value changed. Changes are serialised on the audit chain's head row, which every audited
//! writer locks anyway, so two operators moving categories at once cannot build a cycle.

use crate::domain::category::{browsable, chain, check_move, subtree_height, CategoryName, TreeNode};
use crate::error::AppError;
use crate::platform::audit_log::{self, Actor, AuditEntry};
use crate::platform::caller::Ctx;
use serde_json::json;
use sqlx::{AnyConnection, Row};

const ACTIVE: &str = "active";
const DISABLED: &str = "disabled";

#[derive(Debug, Clone)]
struct Stored {
    node: TreeNode,
    slug: String,
    name_en: String,
    name_zh: String,
    browsable: bool,
}

async fn lock_tree(conn: &mut AnyConnection) -> Result<(), AppError> {
    sqlx::query("UPDATE audit_head SET seq = seq WHERE id = 1").execute(&mut *conn).await?;
    Ok(())
}

async fn load(conn: &mut AnyConnection) -> Result<Vec<Stored>, AppError> {
    let rows = sqlx::query(
        "SELECT id, parent_id, slug, name_en, name_zh, status, browsable FROM categories ORDER BY id LIMIT 5000",
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let status: String = r.try_get("status")?;
            Ok(Stored {
                node: TreeNode { id: r.try_get("id")?, parent_id: r.try_get("parent_id")?, enabled: status == ACTIVE },
                slug: r.try_get("slug")?,
                name_en: r.try_get("name_en")?,
                name_zh: r.try_get("name_zh")?,
                browsable: r.try_get::<i64, _>("browsable")? == 1,
            })
        })
        .collect()
}

fn nodes(tree: &[Stored]) -> Vec<TreeNode> {
    tree.iter().map(|s| s.node).collect()
}

fn find(tree: &[Stored], id: i64) -> Result<&Stored, AppError> {
    tree.iter().find(|s| s.node.id == id).ok_or(AppError::NotFound)
}

/// Writes `browsable` wherever the tree (as now stored) says it should differ. Returns the ids changed.
async fn sync_browsable(conn: &mut AnyConnection, now: i64) -> Result<Vec<i64>, AppError> {
    let tree = load(conn).await?;
    let want = browsable(&nodes(&tree));
    let mut changed = vec![];
    for s in &tree {
        let b = want.get(&s.node.id).copied().unwrap_or(false);
        if b != s.browsable {
            sqlx::query("UPDATE categories SET browsable = $1, updated_at = $2 WHERE id = $3")
                .bind(i64::from(b))
                .bind(now)
                .bind(s.node.id)
                .execute(&mut *conn)
                .await?;
            changed.push(s.node.id);
        }
    }
    Ok(changed)
}

async fn slug_taken(conn: &mut AnyConnection, slug: &str, except: i64) -> Result<bool, AppError> {
    let found: Option<i64> = sqlx::query_scalar("SELECT id FROM categories WHERE slug = $1 AND id <> $2")
        .bind(slug)
        .bind(except)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(found.is_some())
}

/// The parent's chain, after checking it exists and that `id` (0 for a new category) with a subtree
/// `height` levels tall fits under it.
fn check_parent(tree: &[Stored], id: i64, parent: Option<i64>, height: usize) -> Result<(), AppError> {
    if let Some(p) = parent {
        if !tree.iter().any(|s| s.node.id == p) {
            return Err(AppError::invalid("parent_id", "categories.no_parent"));
        }
    }
    check_move(id, &chain(&nodes(tree), parent), height).map_err(|e| AppError::invalid("parent_id", e.code()))
}

async fn next_position(conn: &mut AnyConnection, parent: Option<i64>) -> Result<i64, AppError> {
    let max: Option<i64> = match parent {
        Some(p) => {
            sqlx::query_scalar("SELECT MAX(position) FROM categories WHERE parent_id = $1")
                .bind(p)
                .fetch_one(&mut *conn)
                .await?
        }
        None => {
            sqlx::query_scalar("SELECT MAX(position) FROM categories WHERE parent_id IS NULL")
                .fetch_one(&mut *conn)
                .await?
        }
    };
    Ok(max.map(|m| m + 1).unwrap_or(0))
}

fn audit<'a>(action: &'a str, id: i64, before: serde_json::Value, after: serde_json::Value) -> AuditEntry<'a> {
    AuditEntry { action, target_type: "category", target_id: id.to_string(), before, after, reason: "", result: "ok" }
}

pub async fn create(ctx: &Ctx, name: &CategoryName, parent: Option<i64>) -> Result<i64, AppError> {
    let now = ctx.state.now_ms();
    let mut tx = ctx.state.db.begin().await?;
    lock_tree(&mut tx).await?;
    let tree = load(&mut tx).await?;
    check_parent(&tree, 0, parent, 1)?;
    if slug_taken(&mut tx, &name.slug, 0).await? {
        return Err(AppError::invalid("slug", "categories.slug_taken"));
    }
    let position = next_position(&mut tx, parent).await?;
    let parent_browsable = match parent {
        Some(p) => find(&tree, p)?.browsable,
        None => true,
    };
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO categories (parent_id, slug, name_en, name_zh, status, browsable, position, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
    )
    .bind(parent)
    .bind(&name.slug)
    .bind(&name.en)
    .bind(&name.zh)
    .bind(ACTIVE)
    .bind(i64::from(parent_browsable))
    .bind(position)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    let after = json!({"slug": name.slug, "name_en": name.en, "name_zh": name.zh, "parent_id": parent,
                       "browsable": parent_browsable});
    audit_log::record(
        &mut tx,
        &Actor::of(&ctx.caller),
        &ctx.meta,
        now,
        audit("categories.create", id, json!({}), after),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn rename(ctx: &Ctx, id: i64, name: &CategoryName) -> Result<(), AppError> {
    let now = ctx.state.now_ms();
    let mut tx = ctx.state.db.begin().await?;
    lock_tree(&mut tx).await?;
    let tree = load(&mut tx).await?;
    let old = find(&tree, id)?.clone();
    if (old.name_en.as_str(), old.name_zh.as_str(), old.slug.as_str()) == (&name.en, &name.zh, &name.slug) {
        return Err(AppError::conflict("categories.unchanged"));
    }
    if slug_taken(&mut tx, &name.slug, id).await? {
        return Err(AppError::invalid("slug", "categories.slug_taken"));
    }
    sqlx::query("UPDATE categories SET name_en = $1, name_zh = $2, slug = $3, updated_at = $4 WHERE id = $5")
        .bind(&name.en)
        .bind(&name.zh)
        .bind(&name.slug)
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let before = json!({"slug": old.slug, "name_en": old.name_en, "name_zh": old.name_zh});
    let after = json!({"slug": name.slug, "name_en": name.en, "name_zh": name.zh});
    audit_log::record(&mut tx, &Actor::of(&ctx.caller), &ctx.meta, now, audit("categories.rename", id, before, after))
        .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn move_to(ctx: &Ctx, id: i64, parent: Option<i64>) -> Result<(), AppError> {
    let now = ctx.state.now_ms();
    let mut tx = ctx.state.db.begin().await?;
    lock_tree(&mut tx).await?;
    let tree = load(&mut tx).await?;
    let old = find(&tree, id)?.clone();
    if old.node.parent_id == parent {
        return Err(AppError::conflict("categories.unchanged"));
    }
    check_parent(&tree, id, parent, subtree_height(&nodes(&tree), id))?;
    let position = next_position(&mut tx, parent).await?;
    sqlx::query("UPDATE categories SET parent_id = $1, position = $2, updated_at = $3 WHERE id = $4")
        .bind(parent)
        .bind(position)
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let changed = sync_browsable(&mut tx, now).await?;
    audit_log::record(
        &mut tx,
        &Actor::of(&ctx.caller),
        &ctx.meta,
        now,
        audit(
            "categories.move",
            id,
            json!({"parent_id": old.node.parent_id}),
            json!({"parent_id": parent, "browsable_changed": changed}),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn set_enabled(ctx: &Ctx, id: i64, enabled: bool) -> Result<(), AppError> {
    let now = ctx.state.now_ms();
    let mut tx = ctx.state.db.begin().await?;
    lock_tree(&mut tx).await?;
    let tree = load(&mut tx).await?;
    let old = find(&tree, id)?.clone();
    if old.node.enabled == enabled {
        return Err(AppError::conflict(if enabled {
            "categories.already_enabled"
        } else {
            "categories.already_disabled"
        }));
    }
    sqlx::query("UPDATE categories SET status = $1, updated_at = $2 WHERE id = $3")
        .bind(if enabled { ACTIVE } else { DISABLED })
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let changed = sync_browsable(&mut tx, now).await?;
    let status = |e: bool| if e { ACTIVE } else { DISABLED };
    audit_log::record(
        &mut tx,
        &Actor::of(&ctx.caller),
        &ctx.meta,
        now,
        audit(
            if enabled { "categories.enable" } else { "categories.disable" },
            id,
            json!({"status": status(old.node.enabled)}),
            json!({"status": status(enabled), "browsable_changed": changed}),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
