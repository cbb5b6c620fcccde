//! Every listing grid of the storefront (home, category, search, seller page) is one call:
//! [`find`]. It applies the visibility rule, the filters, the sort and the keyset cursor; search text
//! goes through [`TextSearch`], which has two backends:
//!
//! - SQLite: FTS5 with the trigram tokenizer (`listing_search`, rowid = listing id). Each term of 3+
//!   characters is a quoted FTS5 phrase (so no user input is FTS5 syntax); trigram matching needs 3
//!   characters, so shorter terms (one or two letters, two-character Chinese words) fall back to a
//!   LIKE over the live title. Relevance is bm25 with the title weighted 10:1.
//! - PostgreSQL: `listing_search.document` (`simple` tsvector, title weight A, description B). Each
//!   term's words become prefix lexemes (`word:*`, letters and digits only, so nothing needs escaping)
//!   of one `to_tsquery`. The `simple` parser keeps a run of Chinese characters as one word, so a term
//!   with CJK characters falls back to ILIKE over the title and description. Relevance is `ts_rank`.
//!
//! The fallbacks are bounded: at most [`MAX_TERMS`] terms of at most 100 characters in all, and a
//! page is at most [`crate::domain::page::MAX_PAGE_SIZE`] rows.

/// Terms beyond this many are ignored (a search box, not a document).
pub const MAX_TERMS: usize = 8;

/// The search text's terms (split on whitespace, at most `MAX_TERMS`).
pub fn terms(text: &str) -> Vec<&str> {
    text.split_whitespace().take(MAX_TERMS).collect()
}

/// An FTS5 query of quoted phrases (implicit AND): user text never reaches FTS5 as syntax.
pub fn fts5_query(terms: &[&str]) -> String {
    terms.iter().map(|t| format!("\"{}\"", t.replace('"', "\"\""))).collect::<Vec<_>>().join(" ")
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF      // Hiragana, Katakana
        | 0x3400..=0x4DBF    // CJK extension A
        | 0x4E00..=0x9FFF    // CJK unified ideographs
        | 0xAC00..=0xD7AF    // Hangul syllables
        | 0xF900..=0xFAFF    // CJK compatibility ideographs
        | 0x20000..=0x2FA1F) // CJK extensions B-F, compatibility supplement
}

/// A term's words as PostgreSQL's `simple` parser would see them: runs of letters and digits.
pub fn words(term: &str) -> Vec<String> {
    term.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

/// Splits terms for PostgreSQL: a `to_tsquery` text of prefix lexemes (AND), and the CJK terms that
/// need ILIKE.
pub fn pg_query(terms: &[&str]) -> (Option<String>, Vec<String>) {
    let mut lexemes = vec![];
    let mut fallback = vec![];
    for term in terms {
        if term.chars().any(is_cjk) {
            fallback.push(term.to_string());
        } else {
            lexemes.extend(words(term).into_iter().map(|w| format!("{w}:*")));
        }
    }
    let tsquery = (!lexemes.is_empty()).then(|| lexemes.join(" & "));
    (tsquery, fallback)
}

#[cfg(feature = "ssr")]
pub use imp::*;

/// The SQL side (server only).
#[cfg(feature = "ssr")]
mod imp {
    use crate::domain::money::Currency;
    use crate::domain::page::{Page, MAX_PAGE_SIZE};
    use crate::error::{AppError, Context};
    use crate::platform::db::Backend;
    use crate::platform::sql::{contains_pattern, Sql};
    use crate::platform::state::AppState;
    use crate::storefront::model::{Cursor, Filters, ListingCard, Sort};
    use crate::storefront::visibility::{LIVE_STATUSES, VISIBLE_CONTEXT, VISIBLE_FROM};

    use super::*;

    /// The relevance of rows when there is nothing to rank by (a BIGINT on both databases).
    const NO_SCORE: &str = "CAST(0 AS BIGINT)";

    /// What a grid asks for.
    #[derive(Debug, Clone, Default)]
    pub struct Query {
        pub filters: Filters,
        /// Only these categories (a category and its descendants).
        pub category_ids: Option<Vec<i64>>,
        /// Only this seller's listings.
        pub organisation_id: Option<i64>,
        pub featured_only: bool,
        pub sort: Option<Sort>,
        pub cursor: Option<Cursor>,
        pub limit: u32,
    }

    /// How search text narrows the rows: the tables to read from, the conditions, and the relevance.
    pub struct TextMatch {
        /// Replaces `listings l` at the start of the FROM clause (must alias the listing as `l`).
        pub source: Option<String>,
        pub conditions: Vec<String>,
        /// Larger is a better match; `0` when there is nothing to rank by.
        pub score: String,
    }

    /// The one interface over the two full-text backends.
    pub trait TextSearch {
        fn text_match(&self, text: &str, sql: &mut Sql) -> TextMatch;
    }

    pub struct Fts5;
    pub struct PgFullText;

    pub fn backend_for(backend: Backend) -> &'static dyn TextSearch {
        match backend {
            Backend::Sqlite => &Fts5,
            Backend::Postgres => &PgFullText,
        }
    }

    impl TextSearch for Fts5 {
        fn text_match(&self, text: &str, sql: &mut Sql) -> TextMatch {
            let terms = terms(text);
            let (indexed, short): (Vec<&str>, Vec<&str>) = terms.iter().partition(|t| t.chars().count() >= 3);
            let mut conditions = vec![];
            for t in short {
                let p = sql.arg(contains_pattern(t));
                conditions.push(format!("l.title LIKE {p} ESCAPE '\\'"));
            }
            if indexed.is_empty() {
                return TextMatch { source: None, conditions, score: NO_SCORE.into() };
            }
            let p = sql.arg(fts5_query(&indexed));
            TextMatch {
                source: Some(format!(
                    "(SELECT rowid AS id, CAST(bm25(listing_search, 10.0, 1.0) * -1000000 AS INTEGER) AS score \
                     FROM listing_search WHERE listing_search MATCH {p}) m JOIN listings l ON l.id = m.id"
                )),
                conditions,
                score: "m.score".into(),
            }
        }
    }

    impl TextSearch for PgFullText {
        fn text_match(&self, text: &str, sql: &mut Sql) -> TextMatch {
            let (tsquery, fallback) = pg_query(&terms(text));
            let mut conditions = vec![];
            for t in fallback {
                let p = sql.arg(contains_pattern(&t));
                conditions.push(format!("(l.title ILIKE {p} ESCAPE '\\' OR l.description ILIKE {p} ESCAPE '\\')"));
            }
            let Some(tsquery) = tsquery else {
                if conditions.is_empty() {
                    // Only punctuation: nothing can match it.
                    conditions.push("1 = 0".into());
                }
                return TextMatch { source: None, conditions, score: NO_SCORE.into() };
            };
            let p = sql.arg(tsquery);
            conditions.push(format!("m.document @@ to_tsquery('simple', {p})"));
            TextMatch {
                source: Some("listing_search m JOIN listings l ON l.id = m.listing_id".into()),
                conditions,
                score: format!("CAST(ts_rank(m.document, to_tsquery('simple', {p})) * 1000000 AS BIGINT)"),
            }
        }
    }

    /// One page of visible listings for `q`.
    ///
    /// Without search text the page is the merge of one ordered walk per live status (`UNION ALL`
    /// of `status = 'active'` and `status = 'sold_out'`): each follows an index in the sort's
    /// order (`listings_browse`, `listings_price`) and stops after a page, where `status IN (...)`
    /// would read and sort every visible listing (200 ms at 100,000 listings on SQLite, 1 ms this
    /// way). With text, the full-text match is the smaller set: one query, sorted.
    pub async fn find(state: &AppState, q: &Query) -> Result<Page<ListingCard>, AppError> {
        // The arguments are numbered as the parts are built; the statement's text is pushed last.
        let mut sql = Sql::new(state.db.backend, "");
        let text = q.filters.text.as_deref().filter(|t| !t.trim().is_empty());
        let sort = q.sort.unwrap_or(if text.is_some() { Sort::Relevance } else { Sort::Newest });
        let matched = text.map(|t| backend_for(state.db.backend).text_match(t, &mut sql));
        let listings = matched.as_ref().and_then(|m| m.source.clone()).unwrap_or_else(|| "listings l".into());
        let mut wheres: Vec<String> = vec![VISIBLE_CONTEXT.to_string()];
        if let Some(m) = &matched {
            wheres.extend(m.conditions.iter().cloned());
        }
        let score = matched.as_ref().map(|m| m.score.clone()).unwrap_or_else(|| NO_SCORE.into());
        let key = match sort {
            Sort::Newest => "l.published_at".to_string(),
            Sort::PriceAsc | Sort::PriceDesc => "l.price_minor".to_string(),
            Sort::Relevance => score,
        };
        if let Some(ids) = &q.category_ids {
            if ids.is_empty() {
                return Ok(Page { rows: vec![], next: None });
            }
            let ps: Vec<String> = ids.iter().map(|id| sql.arg(*id)).collect();
            wheres.push(format!("l.category_id IN ({})", ps.join(", ")));
        }
        if let Some(org) = q.organisation_id {
            let p = sql.arg(org);
            wheres.push(format!("l.organisation_id = {p}"));
        }
        if q.featured_only {
            wheres.push("l.featured = 1".into());
        }
        if let Some(min) = q.filters.min_minor {
            let p = sql.arg(min);
            wheres.push(format!("l.price_minor >= {p}"));
        }
        if let Some(max) = q.filters.max_minor {
            let p = sql.arg(max);
            wheres.push(format!("l.price_minor <= {p}"));
        }
        if q.filters.in_stock {
            wheres.push("l.stock_total > 0".into());
        }
        let (cmp, dir) = if sort.descending() { ("<", "DESC") } else { (">", "ASC") };
        if let Some(c) = q.cursor {
            let k = sql.arg(c.key);
            let id = sql.arg(c.id);
            wheres.push(format!("({key} {cmp} {k} OR ({key} = {k} AND l.id {cmp} {id}))"));
        }
        let size = q.limit.clamp(1, MAX_PAGE_SIZE);
        let limit = sql.arg(size as i64 + 1);
        let from = VISIBLE_FROM.replacen("listings l", &listings, 1);
        let wheres = wheres.join(" AND ");
        let branch = |status: &str| {
            format!(
                "SELECT l.id, l.title, l.price_minor, l.compare_at_minor, l.currency, l.images_json, l.stock_total, \
                 o.name AS seller_name, {key} AS sort_key FROM {from} WHERE {status} AND {wheres} \
                 ORDER BY {key} {dir}, l.id {dir} LIMIT {limit}"
            )
        };
        let text = if matched.is_some() {
            let live: Vec<String> = LIVE_STATUSES.iter().map(|s| format!("'{s}'")).collect();
            branch(&format!("l.status IN ({})", live.join(", ")))
        } else {
            let parts: Vec<String> = LIVE_STATUSES
                .iter()
                .enumerate()
                .map(|(i, s)| format!("SELECT * FROM ({}) s{i}", branch(&format!("l.status = '{s}'"))))
                .collect();
            format!("{} ORDER BY sort_key {dir}, id {dir} LIMIT {limit}", parts.join(" UNION ALL "))
        };
        sql.push(&text);
        let records: Vec<CardRecord> =
            sql.query_as().fetch_all(state.db.read()).await.context("listing the storefront grid")?;
        let currency = state.settings.currency;
        let out: Vec<(ListingCard, i64)> = records
            .into_iter()
            .map(|r| {
                let key = r.sort_key;
                (r.card(currency), key)
            })
            .collect();
        let page = Page::from_overfetch(out, size, |(c, key)| Cursor { key: *key, id: c.id }.encode());
        Ok(Page { rows: page.rows.into_iter().map(|(c, _)| c).collect(), next: page.next })
    }

    /// A grid row as `find` selects it.
    #[derive(sqlx::FromRow)]
    struct CardRecord {
        id: i64,
        title: String,
        price_minor: i64,
        compare_at_minor: Option<i64>,
        currency: String,
        images_json: String,
        stock_total: i64,
        seller_name: String,
        sort_key: i64,
    }

    impl CardRecord {
        fn card(self, fallback: Currency) -> ListingCard {
            ListingCard {
                id: self.id,
                title: self.title,
                price_minor: self.price_minor,
                compare_at_minor: self.compare_at_minor,
                currency: Currency::parse(&self.currency).unwrap_or(fallback),
                image: serde_json::from_str::<Vec<i64>>(&self.images_json).ok().and_then(|v| v.first().copied()),
                stock_total: self.stock_total,
                seller_name: self.seller_name,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fts5_terms_are_quoted_phrases() {
        assert_eq!(fts5_query(&["red", "mug"]), r#""red" "mug""#);
        assert_eq!(fts5_query(&[r#"a"b OR c*"#]), r#""a""b OR c*""#);
        assert_eq!(fts5_query(&["NEAR(x", "^y"]), r#""NEAR(x" "^y""#);
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn like_patterns_escape_wildcards() {
        use crate::platform::sql::contains_pattern;
        assert_eq!(contains_pattern("50%_off\\"), "%50\\%\\_off\\\\%");
    }

    #[test]
    fn postgres_terms_become_prefix_lexemes_and_cjk_falls_back() {
        assert_eq!(pg_query(&["Red", "t-shirt"]), (Some("red:* & t:* & shirt:*".into()), vec![]));
        assert_eq!(pg_query(&["茶杯", "blue"]), (Some("blue:*".into()), vec!["茶杯".into()]));
        assert_eq!(pg_query(&["'&|!:*"]), (None, vec![]));
    }

    #[test]
    fn at_most_eight_terms_count() {
        assert_eq!(terms("a b c d e f g h i j").len(), MAX_TERMS);
    }
}
