use super::model::{tree_order, CategoryNode};
use crate::error::{AppError, Context};
use crate::platform::state::AppState;

/// A `categories` row as stored (`browsable` is an INTEGER on both databases).
#[derive(sqlx::FromRow)]
pub(super) struct CategoryRecord {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub slug: String,
    pub name_en: String,
    pub name_zh: String,
    pub status: String,
    pub browsable: i64,
    pub position: i64,
}

/// Every category row (the tree is small: read whole).
pub(super) const SELECT_ALL: &str =
    "SELECT id, parent_id, slug, name_en, name_zh, status, browsable, position FROM categories ORDER BY id LIMIT 5000";

/// Every category in tree order; `all` includes disabled ones, otherwise only browsable ones. The tree
/// is read on every storefront page, so it comes from the process cache (`platform::cache`: a
/// category change bumps the catalog version in its own transaction, so the next read sees it).
pub async fn tree(state: &AppState, all: bool) -> Result<Vec<CategoryNode>, AppError> {
    let ordered = state.cache.get_or_load(&state.db, state.now_ms(), "categories.tree", || load_tree(state)).await?;
    Ok(if all { ordered } else { ordered.into_iter().filter(|n| n.browsable).collect() })
}

/// The tree is small (hundreds of rows at most): read whole, ordered in memory.
async fn load_tree(state: &AppState) -> Result<Vec<CategoryNode>, AppError> {
    let records: Vec<CategoryRecord> =
        sqlx::query_as(SELECT_ALL).fetch_all(state.db.read()).await.context("loading the category tree")?;
    let nodes = records
        .into_iter()
        .map(|r| CategoryNode {
            id: r.id,
            parent_id: r.parent_id,
            slug: r.slug,
            name_en: r.name_en,
            name_zh: r.name_zh,
            browsable: r.browsable == 1,
            disabled: r.status != "active",
            position: r.position,
            depth: 0,
        })
        .collect();
    Ok(tree_order(nodes))
}
