//! The category tree: names, slugs, and the rules for moving a category (never under itself, at most
//! three levels deep).

use super::seller::FieldError;

pub const MAX_DEPTH: usize = 3;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryName {
    pub en: String,
    pub zh: String,
    pub slug: String,
}

fn name(field: &'static str, input: &str) -> Result<String, FieldError> {
    let s = input.trim();
    let n = s.chars().count();
    if n == 0 {
        return Err((field, "field.required"));
    }
    if n > 60 {
        return Err((field, "field.too_long"));
    }
    if s.chars().any(char::is_control) {
        return Err((field, "field.control_chars"));
    }
    Ok(s.to_string())
}

/// `Tea & Coffee` -> `tea-coffee`. Lowercase ASCII letters, digits and single dashes.
pub fn slugify(input: &str) -> String {
    let mut out = String::new();
    for c in input.trim().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

impl CategoryName {
    /// English and Chinese names; the slug is typed or derived from the English name.
    pub fn parse(en: &str, zh: &str, slug: &str) -> Result<CategoryName, FieldError> {
        let en = name("name_en", en)?;
        let zh = name("name_zh", zh)?;
        let slug = if slug.trim().is_empty() { slugify(&en) } else { slug.trim().to_string() };
        if slug.is_empty() || slug.len() > 60 {
            return Err(("slug", "categories.bad_slug"));
        }
        let valid = slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !slug.starts_with('-')
            && !slug.ends_with('-')
            && !slug.contains("--");
        if !valid {
            return Err(("slug", "categories.bad_slug"));
        }
        Ok(CategoryName { en, zh, slug })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoveError {
    UnderItself,
    TooDeep,
}

impl MoveError {
    pub fn code(self) -> &'static str {
        match self {
            MoveError::UnderItself => "categories.under_itself",
            MoveError::TooDeep => "categories.too_deep",
        }
    }
}

/// Checks moving `category` (whose subtree is `subtree_height` levels tall, 1 for a leaf) under
/// `new_parent`, whose ancestors (nearest first, itself included) are `parent_chain`.
pub fn check_move(category: i64, parent_chain: &[i64], subtree_height: usize) -> Result<(), MoveError> {
    if parent_chain.contains(&category) {
        return Err(MoveError::UnderItself);
    }
    if parent_chain.len() + subtree_height > MAX_DEPTH {
        return Err(MoveError::TooDeep);
    }
    Ok(())
}

/// One category as the tree rules see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TreeNode {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub enabled: bool,
}

/// The ancestors of `id` (nearest first, `id` itself included), stopping at a cycle or a missing
/// parent. For `None` (the top level) the chain is empty.
pub fn chain(nodes: &[TreeNode], id: Option<i64>) -> Vec<i64> {
    let mut out = vec![];
    let mut cur = id;
    while let Some(c) = cur {
        if out.contains(&c) {
            break;
        }
        out.push(c);
        cur = nodes.iter().find(|n| n.id == c).and_then(|n| n.parent_id);
    }
    out
}

/// How many levels the subtree rooted at `id` spans (1 for a leaf).
pub fn subtree_height(nodes: &[TreeNode], id: i64) -> usize {
    fn height(nodes: &[TreeNode], id: i64, depth: usize) -> usize {
        if depth > MAX_DEPTH + 1 {
            return depth;
        }
        1 + nodes.iter().filter(|n| n.parent_id == Some(id)).map(|n| height(nodes, n.id, depth + 1)).max().unwrap_or(0)
    }
    height(nodes, id, 0)
}

/// The ids of `id` and everything below it.
pub fn subtree(nodes: &[TreeNode], id: i64) -> Vec<i64> {
    let mut out = vec![id];
    let mut i = 0;
    while i < out.len() {
        let parent = out[i];
        for n in nodes.iter().filter(|n| n.parent_id == Some(parent)) {
            if !out.contains(&n.id) {
                out.push(n.id);
            }
        }
        i += 1;
    }
    out
}

/// Whether each category's listings are browsable: it and every ancestor enabled.
pub fn browsable(nodes: &[TreeNode]) -> std::collections::HashMap<i64, bool> {
    nodes
        .iter()
        .map(|n| {
            let all_enabled =
                chain(nodes, Some(n.id)).iter().all(|id| nodes.iter().find(|x| x.id == *id).is_some_and(|x| x.enabled));
            (n.id, all_enabled)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_come_from_the_english_name() {
        assert_eq!(slugify("Tea & Coffee"), "tea-coffee");
        assert_eq!(slugify("  Home -- Garden!! "), "home-garden");
        assert_eq!(CategoryName::parse("Tea", "茶", "").unwrap().slug, "tea");
        assert_eq!(CategoryName::parse("Tea", "茶", "green-tea").unwrap().slug, "green-tea");
    }

    #[test]
    fn bad_names_and_slugs_are_refused() {
        assert_eq!(CategoryName::parse("", "茶", ""), Err(("name_en", "field.required")));
        assert_eq!(CategoryName::parse("Tea", "", ""), Err(("name_zh", "field.required")));
        assert_eq!(CategoryName::parse("茶", "茶", ""), Err(("slug", "categories.bad_slug")));
        assert_eq!(CategoryName::parse("Tea", "茶", "Bad Slug"), Err(("slug", "categories.bad_slug")));
        assert_eq!(CategoryName::parse("Tea", "茶", "a--b"), Err(("slug", "categories.bad_slug")));
    }

    #[test]
    fn a_category_never_moves_under_itself_or_too_deep() {
        assert_eq!(check_move(5, &[7, 5, 1], 1), Err(MoveError::UnderItself));
        assert_eq!(check_move(5, &[5], 1), Err(MoveError::UnderItself));
        assert_eq!(check_move(5, &[7, 1], 2), Err(MoveError::TooDeep));
        assert_eq!(check_move(5, &[7, 1], 1), Ok(()));
        assert_eq!(check_move(5, &[], 3), Ok(()));
        assert_eq!(check_move(5, &[], 4), Err(MoveError::TooDeep));
    }

    fn tree() -> Vec<TreeNode> {
        let n = |id, parent_id, enabled| TreeNode { id, parent_id, enabled };
        vec![n(1, None, true), n(2, Some(1), false), n(3, Some(2), true), n(4, Some(1), true), n(5, None, true)]
    }

    #[test]
    fn a_disabled_category_hides_its_whole_subtree() {
        let b = browsable(&tree());
        assert_eq!((b[&1], b[&2], b[&3], b[&4], b[&5]), (true, false, false, true, true));
    }

    #[test]
    fn chains_heights_and_subtrees_follow_the_parents() {
        let t = tree();
        assert_eq!(chain(&t, Some(3)), vec![3, 2, 1]);
        assert!(chain(&t, None).is_empty());
        assert_eq!(subtree_height(&t, 1), 3);
        assert_eq!(subtree_height(&t, 3), 1);
        assert_eq!(subtree(&t, 1), vec![1, 2, 4, 3]);
        // moving 1 under 3 would put it under itself
        assert_eq!(check_move(1, &chain(&t, Some(3)), subtree_height(&t, 1)), Err(MoveError::UnderItself));
        assert_eq!(check_move(4, &chain(&t, Some(5)), subtree_height(&t, 4)), Ok(()));
    }
}
