use super::model::{tree_order, CategoryNode};
use crate::error::AppError;
use crate::platform::state::AppState;
use sqlx::Row;

/// The tree is small (hundreds of rows at most): read whole, ordered in memory.
pub async fn tree(state: &AppState, all: bool) -> Result<Vec<CategoryNode>, AppError> {
    let rows = sqlx::query(
        "SELECT id, parent_id, slug, name_en, name_zh, status, browsable, position FROM categories ORDER BY id LIMIT 5000",
    )
    .fetch_all(state.db.read())
    .await?;
    let mut nodes = Vec::with_capacity(rows.len());
    for r in rows {
        let status: String = r.try_get("status")?;
        nodes.push(CategoryNode {
            id: r.try_get("id")?,
            parent_id: r.try_get("parent_id")?,
            slug: r.try_get("slug")?,
            name_en: r.try_get("name_en")?,
            name_zh: r.try_get("name_zh")?,
            browsable: r.try_get::<i64, _>("browsable")? == 1,
            disabled: status != "active",
            position: r.try_get("position")?,
            depth: 0,
        });
    }
    let ordered = tree_order(nodes);
    Ok(if all { ordered } else { ordered.into_iter().filter(|n| n.browsable).collect() })
}
