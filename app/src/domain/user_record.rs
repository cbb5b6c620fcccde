//! What operators keep about a user beyond the account itself: tags ("vip", "wholesale", "风控关注")
//! that the directory filters by, and one internal note. Parsed at the edge; a problem names its field.

use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// Tags per user: enough to sort people into groups, few enough to read in a table cell.
pub const MAX_TAGS: usize = 10;
pub const TAG_MAX_CHARS: usize = 24;
/// The internal note: a few paragraphs, not a case file (the audit trail keeps every version).
pub const NOTE_MAX_CHARS: usize = 2000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagsError {
    TooMany,
    TooLong,
    /// Spaces, punctuation other than `-` and `_`, control characters.
    Invalid,
}

impl TagsError {
    pub fn code(self) -> &'static str {
        match self {
            TagsError::TooMany => "users.tags.too_many",
            TagsError::TooLong => "users.tags.too_long",
            TagsError::Invalid => "users.tags.invalid",
        }
    }
}

/// One tag: lower-cased; letters of any script, digits, `-` and `_`.
pub fn parse_tag(input: &str) -> Result<String, TagsError> {
    let tag = input.trim().to_lowercase();
    if tag.chars().count() > TAG_MAX_CHARS {
        return Err(TagsError::TooLong);
    }
    if tag.is_empty() || !tag.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_') {
        return Err(TagsError::Invalid);
    }
    Ok(tag)
}

/// A user's tags from the form's one field, separated by commas (ASCII or full-width): sorted, without
/// duplicates; an empty field clears them.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Tags(Vec<String>);

impl Tags {
    pub fn parse(input: &str) -> Result<Tags, TagsError> {
        let mut tags = BTreeSet::new();
        for part in input.split([',', '，']).map(str::trim).filter(|p| !p.is_empty()) {
            tags.insert(parse_tag(part)?);
        }
        if tags.len() > MAX_TAGS {
            return Err(TagsError::TooMany);
        }
        Ok(Tags(tags.into_iter().collect()))
    }

    pub fn as_slice(&self) -> &[String] {
        &self.0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteError {
    TooLong,
    /// Control characters other than line breaks and tabs.
    Invalid,
}

impl NoteError {
    pub fn code(self) -> &'static str {
        match self {
            NoteError::TooLong => "users.note.too_long",
            NoteError::Invalid => "users.note.invalid",
        }
    }
}

/// The internal note, trimmed; empty clears it.
pub fn parse_note(input: &str) -> Result<String, NoteError> {
    let note = input.trim();
    if note.chars().count() > NOTE_MAX_CHARS {
        return Err(NoteError::TooLong);
    }
    if note.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
        return Err(NoteError::Invalid);
    }
    Ok(note.replace("\r\n", "\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_lower_cased_sorted_and_unique_across_both_commas() {
        let tags = Tags::parse(" VIP, wholesale，风控关注 , vip,, ").unwrap();
        assert_eq!(tags.as_slice(), ["vip", "wholesale", "风控关注"]);
        assert_eq!(Tags::parse("  ").unwrap(), Tags::default());
    }

    #[test]
    fn a_bad_tag_refuses_the_whole_field() {
        assert_eq!(Tags::parse("vip, big spender"), Err(TagsError::Invalid));
        assert_eq!(Tags::parse("vip;drop"), Err(TagsError::Invalid));
        assert_eq!(Tags::parse(&"x".repeat(TAG_MAX_CHARS + 1)), Err(TagsError::TooLong));
        assert!(Tags::parse(&"x".repeat(TAG_MAX_CHARS)).is_ok());
        let eleven: Vec<String> = (0..=MAX_TAGS).map(|i| format!("t{i}")).collect();
        assert_eq!(Tags::parse(&eleven.join(",")), Err(TagsError::TooMany));
        assert!(Tags::parse(&eleven[..MAX_TAGS].join(",")).is_ok());
    }

    #[test]
    fn one_tag_for_the_filter() {
        assert_eq!(parse_tag(" Wholesale "), Ok("wholesale".into()));
        assert_eq!(parse_tag("a b"), Err(TagsError::Invalid));
        assert_eq!(parse_tag(""), Err(TagsError::Invalid));
    }

    #[test]
    fn notes_keep_line_breaks_and_refuse_other_control_characters() {
        assert_eq!(parse_note("  line one\r\nline two\t. "), Ok("line one\nline two\t.".into()));
        assert_eq!(parse_note("bell\u{7}"), Err(NoteError::Invalid));
        assert_eq!(parse_note(&"x".repeat(NOTE_MAX_CHARS + 1)), Err(NoteError::TooLong));
        assert_eq!(parse_note(""), Ok(String::new()));
    }
}
