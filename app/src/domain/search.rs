//! The storefront search tokenizer: how a listing's text becomes index terms and how a shopper's
//! query becomes the terms to look up. One tokenizer for both databases (the index is a plain table
//! that the app fills, see `platform::search_index`), so SQLite and PostgreSQL find the same listings.
//!
//! Text splits into runs:
//! - a **word**: letters and digits that are not CJK (English, other Latin scripts, numbers),
//!   lowercased, full-width ASCII folded to ASCII. A listing indexes every word and every prefix of
//!   it, so a query word of any length matches the words it starts ("mu" finds "mug").
//! - a **CJK run** (Han, kana, Hangul): Chinese has no spaces, so a listing indexes every character
//!   and every overlapping pair of characters. A 1-character query looks up the character, a
//!   2-character query the pair, a longer one a few of its pairs (candidates) and then must occur as
//!   a whole in the title or description (the service checks that on the candidates).
//!
//! Everything else (punctuation, symbols, emoji, SQL or FTS syntax) only separates runs.

use std::collections::BTreeMap;

/// Words are indexed and looked up by at most this many characters (a longer word matches by its
/// start; this bounds the terms one word adds).
pub const MAX_WORD_CHARS: usize = 24;
/// A query uses at most this many runs (words or CJK runs); the rest is ignored.
pub const MAX_QUERY_RUNS: usize = 8;
/// And at most this many index terms in all (each is one index lookup per candidate).
pub const MAX_QUERY_TERMS: usize = 8;
/// A CJK run longer than two characters is narrowed by at most this many of its pairs.
const PAIRS_PER_PHRASE: usize = 3;

/// What a term is in a listing, as bits of its weight. Ranking sums the weights of the query's terms,
/// so any whole-word title match outranks every lesser combination: title over description, a whole
/// word over a prefix.
pub const TITLE_WORD: i64 = 8;
pub const TITLE_PREFIX: i64 = 4;
pub const DESCRIPTION_WORD: i64 = 2;
pub const DESCRIPTION_PREFIX: i64 = 1;

/// Han (with extensions and compatibility forms), Hiragana, Katakana and Hangul syllables.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF          // Hiragana, Katakana
        | 0x3400..=0x4DBF        // CJK extension A
        | 0x4E00..=0x9FFF        // CJK unified ideographs
        | 0xAC00..=0xD7AF        // Hangul syllables
        | 0xF900..=0xFAFF        // CJK compatibility ideographs
        | 0x20000..=0x2FA1F) // CJK extensions B-F, compatibility supplement
}

/// Full-width ASCII (typed with a Chinese input method: `ｍｕｇ`, `１２`) as ASCII.
fn fold_width(c: char) -> char {
    match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Run {
    /// Lowercased, at most `MAX_WORD_CHARS` characters; `whole` is false when it was cut.
    Word {
        text: String,
        whole: bool,
    },
    Cjk(Vec<char>),
}

fn runs(text: &str) -> Vec<Run> {
    let mut out = vec![];
    let mut word = String::new();
    let mut cjk: Vec<char> = vec![];
    let flush = |out: &mut Vec<Run>, word: &mut String, cjk: &mut Vec<char>| {
        if !word.is_empty() {
            let chars = word.chars().count();
            let text: String = word.chars().take(MAX_WORD_CHARS).collect();
            out.push(Run::Word { text, whole: chars <= MAX_WORD_CHARS });
            word.clear();
        }
        if !cjk.is_empty() {
            out.push(Run::Cjk(std::mem::take(cjk)));
        }
    };
    for c in text.chars().map(fold_width) {
        if is_cjk(c) {
            if !word.is_empty() {
                flush(&mut out, &mut word, &mut cjk);
            }
            cjk.push(c);
        } else if c.is_alphanumeric() {
            if !cjk.is_empty() {
                flush(&mut out, &mut word, &mut cjk);
            }
            word.extend(c.to_lowercase());
        } else {
            flush(&mut out, &mut word, &mut cjk);
        }
    }
    flush(&mut out, &mut word, &mut cjk);
    out
}

fn add_field(terms: &mut BTreeMap<String, i64>, text: &str, word_bit: i64, prefix_bit: i64) {
    let mut add = |term: String, bit: i64| *terms.entry(term).or_insert(0) |= bit;
    for run in runs(text) {
        match run {
            Run::Word { text, whole } => {
                let mut prefix = String::new();
                let n = text.chars().count();
                for (i, c) in text.chars().enumerate() {
                    prefix.push(c);
                    let last = i + 1 == n;
                    add(prefix.clone(), if last && whole { word_bit } else { prefix_bit });
                }
            }
            Run::Cjk(chars) => {
                for (i, c) in chars.iter().enumerate() {
                    add(c.to_string(), word_bit);
                    if let Some(next) = chars.get(i + 1) {
                        add([*c, *next].iter().collect(), word_bit);
                    }
                }
            }
        }
    }
}

/// The index terms of a listing with their weights (bits above), sorted by term, each once.
pub fn document_terms(title: &str, description: &str) -> Vec<(String, i64)> {
    let mut terms = BTreeMap::new();
    add_field(&mut terms, title, TITLE_WORD, TITLE_PREFIX);
    add_field(&mut terms, description, DESCRIPTION_WORD, DESCRIPTION_PREFIX);
    terms.into_iter().collect()
}

/// What a query looks up: every term must be indexed for the listing (AND), and every phrase (a CJK
/// run of 3+ characters) must occur as it is in the listing's title or description.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct QueryTerms {
    /// Distinct, in query order, at most `MAX_QUERY_TERMS`.
    pub terms: Vec<String>,
    pub phrases: Vec<String>,
}

impl QueryTerms {
    /// Nothing to look up (only punctuation, symbols or emoji): nothing matches.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }
}

/// The pairs that narrow a long CJK run: the first, the last and one from the middle.
fn phrase_pairs(chars: &[char]) -> Vec<String> {
    let last = chars.len() - 2;
    let mut starts = vec![0, last / 2, last];
    starts.dedup();
    starts.truncate(PAIRS_PER_PHRASE);
    starts.into_iter().map(|i| chars[i..i + 2].iter().collect()).collect()
}

pub fn query_terms(text: &str) -> QueryTerms {
    let mut q = QueryTerms::default();
    let push = |q: &mut QueryTerms, term: String| {
        if !q.terms.contains(&term) && q.terms.len() < MAX_QUERY_TERMS {
            q.terms.push(term);
        }
    };
    for run in runs(text).into_iter().take(MAX_QUERY_RUNS) {
        match run {
            Run::Word { text, .. } => push(&mut q, text),
            Run::Cjk(chars) if chars.len() <= 2 => push(&mut q, chars.iter().collect()),
            Run::Cjk(chars) => {
                for pair in phrase_pairs(&chars) {
                    push(&mut q, pair);
                }
                let phrase: String = chars.iter().collect();
                if !q.phrases.contains(&phrase) {
                    q.phrases.push(phrase);
                }
            }
        }
    }
    q
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms_of(title: &str, description: &str) -> BTreeMap<String, i64> {
        document_terms(title, description).into_iter().collect()
    }

    #[test]
    fn words_index_every_prefix_lowercased_with_field_and_kind_bits() {
        let t = terms_of("Blue MUG", "a mug, blue-ish");
        assert_eq!(t["m"], TITLE_PREFIX | DESCRIPTION_PREFIX);
        assert_eq!(t["mu"], TITLE_PREFIX | DESCRIPTION_PREFIX);
        assert_eq!(t["mug"], TITLE_WORD | DESCRIPTION_WORD);
        assert_eq!(t["blue"], TITLE_WORD | DESCRIPTION_WORD);
        assert_eq!(t["ish"], DESCRIPTION_WORD);
        assert_eq!(t["a"], DESCRIPTION_WORD);
        assert!(!t.contains_key("ue"), "prefixes only, not inner substrings");
        assert!(!t.contains_key("mug,"));
    }

    #[test]
    fn cjk_indexes_every_character_and_every_pair_within_a_run() {
        let t = terms_of("手工陶瓷茶杯", "景德镇，青花");
        for term in ["手", "手工", "工陶", "陶瓷", "茶杯", "杯"] {
            assert_eq!(t[term], TITLE_WORD, "{term}");
        }
        assert_eq!(t["德镇"], DESCRIPTION_WORD);
        assert_eq!(t["青花"], DESCRIPTION_WORD);
        assert!(!t.contains_key("镇青"), "no pair across punctuation");
        assert!(!t.contains_key("手工陶"), "no triples");
    }

    #[test]
    fn mixed_text_splits_at_the_script_boundary() {
        let t = terms_of("陶瓷mug杯", "");
        assert!(t.contains_key("陶瓷") && t.contains_key("mug") && t.contains_key("杯"));
        assert!(!t.contains_key("瓷m") && !t.contains_key("mug杯"));
        assert_eq!(query_terms("陶瓷MUG").terms, vec!["陶瓷", "mug"]);
    }

    #[test]
    fn queries_look_up_characters_pairs_or_pairs_plus_the_phrase() {
        assert_eq!(query_terms("杯"), QueryTerms { terms: vec!["杯".into()], phrases: vec![] });
        assert_eq!(query_terms("手工"), QueryTerms { terms: vec!["手工".into()], phrases: vec![] });
        assert_eq!(
            query_terms("青花图案"),
            QueryTerms {
                terms: vec!["青花".into(), "花图".into(), "图案".into()], phrases: vec!["青花图案".into()]
            }
        );
        assert_eq!(query_terms("陶瓷茶").terms, vec!["陶瓷", "瓷茶"]);
        assert_eq!(query_terms("手工 mug").terms, vec!["手工", "mug"]);
    }

    #[test]
    fn words_are_lowercased_and_full_width_folded() {
        assert_eq!(query_terms("CERAMIC Mug").terms, vec!["ceramic", "mug"]);
        assert_eq!(query_terms("ｍｕｇ").terms, vec!["mug"]);
        assert_eq!(query_terms("Ünïcode ÉTÉ").terms, vec!["ünïcode", "été"]);
        assert_eq!(terms_of("ｍｕｇ", "")["mug"], TITLE_WORD);
    }

    #[test]
    fn syntax_punctuation_and_emoji_are_only_separators() {
        assert!(query_terms("!@#$%^&*()\"'`;:").is_empty());
        assert!(query_terms("🙂🎉 ✨").is_empty());
        assert_eq!(query_terms("mug\" OR \"tea").terms, vec!["mug", "or", "tea"]);
        assert_eq!(query_terms("NEAR(mug, 2) title:cup*").terms, vec!["near", "mug", "2", "title", "cup"]);
        assert_eq!(query_terms("'; DROP TABLE listings;--").terms, vec!["drop", "table", "listings"]);
        assert_eq!(query_terms("mug🙂cup").terms, vec!["mug", "cup"]);
    }

    #[test]
    fn queries_are_bounded_in_runs_terms_and_word_length() {
        let many = (0..50).map(|i| format!("w{i}")).collect::<Vec<_>>().join(" ");
        assert_eq!(query_terms(&many).terms.len(), MAX_QUERY_RUNS.min(MAX_QUERY_TERMS));
        let long_cjk = "手工陶瓷茶杯景德镇青花图案".repeat(10);
        let q = query_terms(&long_cjk);
        assert_eq!(q.terms.len(), 3);
        assert_eq!(q.phrases.len(), 1);
        let long_word = "x".repeat(1000);
        assert_eq!(query_terms(&long_word).terms, vec!["x".repeat(MAX_WORD_CHARS)]);
        // A long word is indexed by its first characters, so the cut query still finds it.
        let t = terms_of(&"y".repeat(40), "");
        assert_eq!(t[&"y".repeat(MAX_WORD_CHARS)], TITLE_PREFIX);
        assert_eq!(t.len(), MAX_WORD_CHARS);
    }

    #[test]
    fn repeated_query_terms_count_once() {
        assert_eq!(query_terms("mug MUG mug").terms, vec!["mug"]);
        assert_eq!(query_terms("茶杯 茶杯").terms, vec!["茶杯"]);
    }
}
