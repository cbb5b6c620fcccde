use crate::i18n::Lang;
use serde::{Deserialize, Serialize};

/// One category, with its depth (0 for top level) so a flat list in tree order can be indented.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryNode {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub slug: String,
    pub name_en: String,
    pub name_zh: String,
    /// Enabled, and every ancestor enabled: its listings are browsable.
    pub browsable: bool,
    pub disabled: bool,
    pub position: i64,
    pub depth: usize,
}

impl CategoryNode {
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.name_en,
            Lang::Zh => &self.name_zh,
        }
    }
}

/// Orders `nodes` depth-first (parents before children, siblings by position then id) and fills in
/// `depth`. Nodes whose parent is missing are treated as top level.
pub fn tree_order(mut nodes: Vec<CategoryNode>) -> Vec<CategoryNode> {
    nodes.sort_by_key(|n| (n.position, n.id));
    let ids: std::collections::HashSet<i64> = nodes.iter().map(|n| n.id).collect();
    let mut out = Vec::with_capacity(nodes.len());
    fn walk(
        parent: Option<i64>,
        depth: usize,
        nodes: &[CategoryNode],
        ids: &std::collections::HashSet<i64>,
        out: &mut Vec<CategoryNode>,
    ) {
        for n in nodes.iter().filter(|n| match parent {
            None => n.parent_id.map(|p| !ids.contains(&p)).unwrap_or(true),
            Some(p) => n.parent_id == Some(p),
        }) {
            if depth > crate::domain::category::MAX_DEPTH {
                return;
            }
            out.push(CategoryNode { depth, ..n.clone() });
            walk(Some(n.id), depth + 1, nodes, ids, out);
        }
    }
    walk(None, 0, &nodes, &ids, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(id: i64, parent_id: Option<i64>, position: i64) -> CategoryNode {
        CategoryNode {
            id,
            parent_id,
            slug: format!("c{id}"),
            name_en: format!("C{id}"),
            name_zh: format!("类{id}"),
            browsable: true,
            disabled: false,
            position,
            depth: 0,
        }
    }

    #[test]
    fn children_follow_their_parent_in_position_order() {
        let order = tree_order(vec![node(3, Some(1), 1), node(2, None, 2), node(1, None, 1), node(4, Some(1), 0)]);
        let got: Vec<(i64, usize)> = order.iter().map(|n| (n.id, n.depth)).collect();
        assert_eq!(got, vec![(1, 0), (4, 1), (3, 1), (2, 0)]);
    }
}
