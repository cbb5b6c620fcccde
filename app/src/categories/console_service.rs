//! Changing the category tree. The tree is small (hundreds of rows), so each change reads it whole
//! inside its transaction, checks the move with the domain rules, and rewrites `browsable` for every
//! row whose value changed. Changes are serialised on the audit chain's head row, which every audited
//! writer locks anyway, so two operators moving categories at once cannot build a cycle.

use super::service::{CategoryRecord, SELECT_ALL};
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::category::{browsable, chain, check_move, subtree_height, CategoryName, TreeNode};
use crate::error::{AppError, Context};
use crate::platform::caller::Ctx;
use crate::platform::change::{Audit, Change};
use serde_json::json;
use sqlx::AnyConnection;

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

/// Takes the audit head first on purpose (like console/users' `serialise_with_audited_writers`): it
/// is the one row every audited writer locks, so tree changes line up without a lock of their own.
async fn lock_tree(conn: &mut AnyConnection) -> Result<(), AppError> {
    sqlx::query("UPDATE audit_head SET seq = seq WHERE id = 1")
        .execute(&mut *conn)
        .await
        .context("locking the tree")?;
    Ok(())
}

async fn load(conn: &mut AnyConnection) -> Result<Vec<Stored>, AppError> {
    let records: Vec<CategoryRecord> =
        sqlx::query_as(SELECT_ALL).fetch_all(&mut *conn).await.context("loading the category tree")?;
    Ok(records
        .into_iter()
        .map(|r| Stored {
            node: TreeNode { id: r.id, parent_id: r.parent_id, enabled: r.status == ACTIVE },
            slug: r.slug,
            name_en: r.name_en,
            name_zh: r.name_zh,
            browsable: r.browsable == 1,
        })
        .collect())
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
                .await
                .context("writing the category tree")?;
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
        .await
        .context("writing the category tree")?;
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
        Some(p) => sqlx::query_scalar("SELECT MAX(position) FROM categories WHERE parent_id = $1")
            .bind(p)
            .fetch_one(&mut *conn)
            .await
            .context("writing the category tree")?,
        None => sqlx::query_scalar("SELECT MAX(position) FROM categories WHERE parent_id IS NULL")
            .fetch_one(&mut *conn)
            .await
            .context("writing the category tree")?,
    };
    Ok(max.map(|m| m + 1).unwrap_or(0))
}

fn audit(action: AuditAction, id: i64, before: serde_json::Value, after: serde_json::Value) -> Audit<'static> {
    Audit::new(action, AuditTarget::Category(id)).before(before).after(after)
}

pub async fn create(ctx: &Ctx, name: &CategoryName, parent: Option<i64>) -> Result<i64, AppError> {
    let mut c = Change::by(ctx).await?;
    let now = c.now_ms();
    lock_tree(c.conn()).await?;
    let tree = load(c.conn()).await?;
    check_parent(&tree, 0, parent, 1)?;
    if slug_taken(c.conn(), &name.slug, 0).await? {
        return Err(AppError::invalid("slug", "categories.slug_taken"));
    }
    let position = next_position(c.conn(), parent).await?;
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
    .fetch_one(c.conn())
    .await
    .context("writing the category tree")?;
    let after = json!({"slug": name.slug, "name_en": name.en, "name_zh": name.zh, "parent_id": parent,
                       "browsable": parent_browsable});
    c.audit(audit(AuditAction::CategoriesCreate, id, json!({}), after)).await?;
    c.commit().await?;
    Ok(id)
}

pub async fn rename(ctx: &Ctx, id: i64, name: &CategoryName) -> Result<(), AppError> {
    let mut c = Change::by(ctx).await?;
    let now = c.now_ms();
    lock_tree(c.conn()).await?;
    let tree = load(c.conn()).await?;
    let old = find(&tree, id)?.clone();
    if (old.name_en.as_str(), old.name_zh.as_str(), old.slug.as_str()) == (&name.en, &name.zh, &name.slug) {
        return Err(AppError::conflict("categories.unchanged"));
    }
    if slug_taken(c.conn(), &name.slug, id).await? {
        return Err(AppError::invalid("slug", "categories.slug_taken"));
    }
    sqlx::query("UPDATE categories SET name_en = $1, name_zh = $2, slug = $3, updated_at = $4 WHERE id = $5")
        .bind(&name.en)
        .bind(&name.zh)
        .bind(&name.slug)
        .bind(now)
        .bind(id)
        .execute(c.conn())
        .await
        .context("writing the category tree")?;
    let before = json!({"slug": old.slug, "name_en": old.name_en, "name_zh": old.name_zh});
    let after = json!({"slug": name.slug, "name_en": name.en, "name_zh": name.zh});
    c.audit(audit(AuditAction::CategoriesRename, id, before, after)).await?;
    c.commit().await?;
    Ok(())
}

pub async fn move_to(ctx: &Ctx, id: i64, parent: Option<i64>) -> Result<(), AppError> {
    let mut c = Change::by(ctx).await?;
    let now = c.now_ms();
    lock_tree(c.conn()).await?;
    let tree = load(c.conn()).await?;
    let old = find(&tree, id)?.clone();
    if old.node.parent_id == parent {
        return Err(AppError::conflict("categories.unchanged"));
    }
    check_parent(&tree, id, parent, subtree_height(&nodes(&tree), id))?;
    let position = next_position(c.conn(), parent).await?;
    sqlx::query("UPDATE categories SET parent_id = $1, position = $2, updated_at = $3 WHERE id = $4")
        .bind(parent)
        .bind(position)
        .bind(now)
        .bind(id)
        .execute(c.conn())
        .await
        .context("writing the category tree")?;
    let changed = sync_browsable(c.conn(), now).await?;
    c.audit(audit(
        AuditAction::CategoriesMove,
        id,
        json!({"parent_id": old.node.parent_id}),
        json!({"parent_id": parent, "browsable_changed": changed}),
    ))
    .await?;
    c.commit().await?;
    Ok(())
}

pub async fn set_enabled(ctx: &Ctx, id: i64, enabled: bool) -> Result<(), AppError> {
    let mut c = Change::by(ctx).await?;
    let now = c.now_ms();
    lock_tree(c.conn()).await?;
    let tree = load(c.conn()).await?;
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
        .execute(c.conn())
        .await
        .context("writing the category tree")?;
    let changed = sync_browsable(c.conn(), now).await?;
    let status = |e: bool| if e { ACTIVE } else { DISABLED };
    c.audit(audit(
        if enabled { AuditAction::CategoriesEnable } else { AuditAction::CategoriesDisable },
        id,
        json!({"status": status(old.node.enabled)}),
        json!({"status": status(enabled), "browsable_changed": changed}),
    ))
    .await?;
    c.commit().await?;
    Ok(())
}
