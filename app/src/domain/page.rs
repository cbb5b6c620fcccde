//! Keyset pagination: a page is "the next N rows after this cursor", never an offset, so page 1,000
//! costs what page 1 costs and rows inserted meanwhile neither repeat nor vanish.

use serde::{Deserialize, Serialize};

pub const DEFAULT_PAGE_SIZE: u32 = 25;
pub const MAX_PAGE_SIZE: u32 = 100;

/// A page size clamped to 1..=MAX_PAGE_SIZE; absent or zero means the default.
pub fn page_size(requested: Option<u32>) -> u32 {
    match requested {
        None | Some(0) => DEFAULT_PAGE_SIZE,
        Some(n) => n.min(MAX_PAGE_SIZE),
    }
}

/// One page of rows and the cursor of the next page (`None` on the last page).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    pub rows: Vec<T>,
    pub next: Option<String>,
}

impl<T> Page<T> {
    /// Builds a page from `size + 1` fetched rows: the extra row only proves there is a next page.
    pub fn from_overfetch(mut rows: Vec<T>, size: u32, cursor_of: impl Fn(&T) -> String) -> Page<T> {
        let has_more = rows.len() > size as usize;
        rows.truncate(size as usize);
        let next = if has_more { rows.last().map(cursor_of) } else { None };
        Page { rows, next }
    }
}

/// Cursors over a descending id are the id in decimal; anything else is treated as "first page"
/// rather than an error, since a stale bookmark should still show something.
pub fn parse_id_cursor(cursor: Option<&str>) -> Option<i64> {
    cursor.and_then(|c| c.trim().parse::<i64>().ok()).filter(|id| *id > 0)
}

/// The cursor of a `(key, id)` keyset order: `key:id` of the last row shown.
pub fn pair_cursor(key: i64, id: i64) -> String {
    format!("{key}:{id}")
}

/// Parses `pair_cursor`; anything else (or an id not above zero) means the first page.
pub fn parse_pair_cursor(cursor: Option<&str>) -> Option<(i64, i64)> {
    let (key, id) = cursor?.trim().split_once(':')?;
    Some((key.parse().ok()?, id.parse().ok().filter(|id: &i64| *id > 0)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_size_is_clamped() {
        assert_eq!(page_size(None), DEFAULT_PAGE_SIZE);
        assert_eq!(page_size(Some(0)), DEFAULT_PAGE_SIZE);
        assert_eq!(page_size(Some(10_000)), MAX_PAGE_SIZE);
        assert_eq!(page_size(Some(7)), 7);
    }

    #[test]
    fn an_overfetched_row_yields_a_next_cursor() {
        let page = Page::from_overfetch(vec![9, 8, 7], 2, |n| n.to_string());
        assert_eq!(page.rows, vec![9, 8]);
        assert_eq!(page.next.as_deref(), Some("8"));
        let last = Page::from_overfetch(vec![9, 8], 2, |n| n.to_string());
        assert_eq!(last.next, None);
    }

    #[test]
    fn a_garbage_cursor_means_the_first_page() {
        assert_eq!(parse_id_cursor(Some("'; drop table users;--")), None);
        assert_eq!(parse_id_cursor(Some("-5")), None);
        assert_eq!(parse_id_cursor(Some("42")), Some(42));
    }

    #[test]
    fn pair_cursors_round_trip() {
        assert_eq!(parse_pair_cursor(Some(&pair_cursor(-5, 42))), Some((-5, 42)));
        assert_eq!(parse_pair_cursor(Some("1:0")), None);
        assert_eq!(parse_pair_cursor(Some("1.2")), None);
        assert_eq!(parse_pair_cursor(None), None);
    }
}
