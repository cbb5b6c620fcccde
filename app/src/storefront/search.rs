//! Every listing grid of the storefront (home, category, search, seller page) is one call:
//! [`find`]. It applies the visibility rule, the filters, the sort and the keyset cursor; search text
//! goes through [`text_match`], one code path for SQLite and PostgreSQL.
//!
//! Why not the databases' own full-text search (SQLite FTS5, PostgreSQL tsvector, used before): they
//! tokenize differently (FTS5's trigrams need 3 characters, so `手工` found nothing; PostgreSQL's
//! `simple` parser keeps a run of Chinese as one word, so Chinese fell back to a scanning ILIKE), they
//! rank differently (bm25 against ts_rank), and ranking read every match. Instead the app keeps its own
//! term index (`search_terms`, filled by `platform::search_index` in the same transaction as the
//! listing change, tokenized by `domain::search`), and a query is plain SQL over it:
//!
//! 1. The query's terms (`domain::search::query_terms`); none (only punctuation, emoji) matches nothing.
//! 2. Each term's postings are counted up to [`MAX_CANDIDATES`] + 1 (an index range, bounded); a term
//!    nobody has means no results at once. The rarest term drives.
//! 3. Relevance: the newest postings of the rarest term (at most [`SCAN_BUDGET`] read) that have every
//!    other term (a primary-key probe each), at most [`MAX_CANDIDATES`] of them, are the candidates;
//!    their score is the sum of the terms' weight bits (title over description, whole word over
//!    prefix); then visibility, filters, a CJK phrase's substring check and the keyset page over
//!    `(score, id)`. Past the cap, older matches are not ranked (that is the bound).
//! 4. Newest or price order: when the rarest term has at most [`MAX_CANDIDATES`] listings they are the
//!    rows, sorted (exact); otherwise matches are dense, so the grid walks the sort's index as without
//!    text and probes the terms for each row (exact too, and stops after a page).

pub use crate::domain::search::{query_terms, QueryTerms};

/// At most this many listings are ranked for one relevance query.
pub const MAX_CANDIDATES: i64 = 1_000;
/// At most this many (newest) postings of the driving term are read to find them. Small on purpose:
/// SQLite materializes and sorts them with their probes (a budget of 20,000 cost 24 ms for a Chinese
/// phrase in 12,500 listings, 2,000 costs a tenth); a rarer combination of common terms finds fewer
/// candidates, which is the price of the bound.
pub const SCAN_BUDGET: i64 = 2 * MAX_CANDIDATES;

#[cfg(feature = "ssr")]
pub use imp::*;

/// The SQL side (server only).
#[cfg(feature = "ssr")]
mod imp {
    use crate::domain::page::{Page, MAX_PAGE_SIZE};
    use crate::error::{AppError, Context};
    use crate::platform::sql::{contains_pattern, Sql};
    use crate::platform::state::AppState;
    use crate::storefront::model::{Cursor, Filters, ListingCard, Sort};
    use crate::storefront::visibility::{LIVE_STATUSES, VISIBLE_CONTEXT, VISIBLE_FROM};

    use super::*;
    use crate::storefront::browse::{grid_conditions, grid_page, CardRecord};

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
        /// Matches are dense: walk the sort's index one live status at a time, as without text.
        pub walk: bool,
    }

    /// How many listings have each term, each counted up to `MAX_CANDIDATES + 1` (bounded reads).
    async fn term_counts(state: &AppState, terms: &[String]) -> Result<Vec<i64>, AppError> {
        let mut sql = Sql::new(state.db.backend, "");
        let parts: Vec<String> = terms
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let p = sql.arg(t.as_str());
                let limit = sql.arg(MAX_CANDIDATES + 1);
                format!(
                    "SELECT CAST({i} AS BIGINT) AS i, COUNT(*) AS n \
                     FROM (SELECT listing_id FROM search_terms WHERE term = {p} LIMIT {limit}) c{i}"
                )
            })
            .collect();
        sql.push(&parts.join(" UNION ALL "));
        let rows: Vec<(i64, i64)> = sql.query_as().fetch_all(state.db.read()).await.context("counting search terms")?;
        let mut counts = vec![0; terms.len()];
        for (i, n) in rows {
            counts[i as usize] = n;
        }
        Ok(counts)
    }

    /// The conditions (and for relevance, the candidate source) for search text; `None` when nothing
    /// can match.
    pub async fn text_match(
        state: &AppState,
        text: &str,
        sort: Sort,
        sql: &mut Sql,
    ) -> Result<Option<TextMatch>, AppError> {
        let q = query_terms(text);
        if q.is_empty() {
            return Ok(None);
        }
        let counts = term_counts(state, &q.terms).await?;
        if counts.contains(&0) {
            return Ok(None);
        }
        // The rarest term drives; on a tie the longer (more specific) one, then the first.
        let rarest = (0..q.terms.len())
            .min_by_key(|&i| (counts[i], std::cmp::Reverse(q.terms[i].chars().count()), i))
            .unwrap_or(0);
        let mut conditions = vec![];
        for phrase in &q.phrases {
            // A CJK phrase: no case to fold, so LIKE means the same on both databases.
            let p = sql.arg(contains_pattern(phrase));
            conditions.push(format!("(l.title LIKE {p} ESCAPE '\\' OR l.description LIKE {p} ESCAPE '\\')"));
        }
        if sort == Sort::Relevance {
            let driver = sql.arg(q.terms[rarest].as_str());
            let budget = sql.arg(SCAN_BUDGET);
            let cap = sql.arg(MAX_CANDIDATES);
            let mut joins = String::new();
            let mut score = "r.weight".to_string();
            for (k, t) in q.terms.iter().enumerate().filter(|(i, _)| *i != rarest) {
                let p = sql.arg(t.as_str());
                joins.push_str(&format!(
                    " JOIN search_terms s{k} ON s{k}.term = {p} AND s{k}.listing_id = r.listing_id"
                ));
                score.push_str(&format!(" + s{k}.weight"));
            }
            // CROSS JOIN: SQLite keeps the candidates as the outer loop (PostgreSQL plans it as a join).
            let source = format!(
                "(SELECT r.listing_id AS id, CAST({score} AS BIGINT) AS score \
                 FROM (SELECT listing_id, weight FROM search_terms WHERE term = {driver} \
                 ORDER BY listing_id DESC LIMIT {budget}) r{joins} \
                 ORDER BY r.listing_id DESC LIMIT {cap}) m CROSS JOIN listings l"
            );
            conditions.push("l.id = m.id".into());
            return Ok(Some(TextMatch { source: Some(source), conditions, score: "m.score".into(), walk: false }));
        }
        let few = counts[rarest] <= MAX_CANDIDATES;
        for (i, t) in q.terms.iter().enumerate() {
            let p = sql.arg(t.as_str());
            if few && i == rarest {
                conditions.push(format!("l.id IN (SELECT listing_id FROM search_terms WHERE term = {p})"));
            } else {
                conditions
                    .push(format!("EXISTS (SELECT 1 FROM search_terms s WHERE s.term = {p} AND s.listing_id = l.id)"));
            }
        }
        Ok(Some(TextMatch { source: None, conditions, score: NO_SCORE.into(), walk: !few }))
    }

    /// One page of visible listings for `q`.
    ///
    /// Without search text the page is the merge of one ordered walk per live status (`UNION ALL`
    /// of `status = 'active'` and `status = 'sold_out'`): each follows an index in the sort's
    /// order (`listings_browse`, `listings_price`) and stops after a page, where `status IN (...)`
    /// would read and sort every visible listing (200 ms at 100,000 listings on SQLite, 1 ms this
    /// way). With text, [`text_match`] decides: a bounded candidate set or the rarest term's
    /// listings are one query, sorted; matches too many to sort walk per status like the above.
    pub async fn find(state: &AppState, q: &Query) -> Result<Page<ListingCard>, AppError> {
        // The arguments are numbered as the parts are built; the statement's text is pushed last.
        let mut sql = Sql::new(state.db.backend, "");
        let text = q.filters.text.as_deref().filter(|t| !t.trim().is_empty());
        let sort = q.sort.unwrap_or(if text.is_some() { Sort::Relevance } else { Sort::Newest });
        let matched = match text {
            Some(t) => match text_match(state, t, sort, &mut sql).await? {
                Some(m) => Some(m),
                None => return Ok(Page { rows: vec![], next: None }),
            },
            None => None,
        };
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
            let ids = sql.list(ids.iter().copied());
            wheres.push(format!("l.category_id IN ({ids})"));
        }
        if let Some(org) = q.organisation_id {
            let p = sql.arg(org);
            wheres.push(format!("l.organisation_id = {p}"));
        }
        let (cmp, dir) = if sort.descending() { ("<", "DESC") } else { (">", "ASC") };
        wheres.extend(grid_conditions(&mut sql, q.featured_only, &q.filters, q.cursor, &key, cmp));
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
        let text = if matched.as_ref().is_some_and(|m| !m.walk) {
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
        Ok(grid_page(records, size, state.settings().currency))
    }
}

#[cfg(test)]
mod tests {
    #[cfg(feature = "ssr")]
    #[test]
    fn like_patterns_escape_wildcards() {
        use crate::platform::sql::contains_pattern;
        assert_eq!(contains_pattern("50%_off\\"), "%50\\%\\_off\\\\%");
    }
}
