-- Storefront search: one token index that the application fills, the same on SQLite and PostgreSQL
-- (it replaces the FTS5 table here and the tsvector there, which matched differently: FTS5's trigrams
-- need 3 characters, PostgreSQL's parser keeps a run of Chinese as one word).
-- search_documents: the text each live listing is indexed with (so its terms can be removed).
-- search_terms: every term of it (app/src/domain/search.rs) with its weight bits; the primary key is
-- the posting list of a term in listing order, and (term, listing_id) is what a query probes.
DROP TABLE listing_search;

CREATE TABLE search_documents (
    listing_id INTEGER PRIMARY KEY REFERENCES listings (id),
    title TEXT NOT NULL,
    description TEXT NOT NULL
);

CREATE TABLE search_terms (
    term TEXT NOT NULL,
    listing_id BIGINT NOT NULL,
    weight BIGINT NOT NULL,
    PRIMARY KEY (term, listing_id)
) WITHOUT ROWID;

-- The live listings' text; their terms are built by the server when it starts (or by
-- `agora-server search reindex`), since the tokenizer is Rust.
INSERT INTO search_documents (listing_id, title, description)
SELECT id, title, description FROM listings WHERE status IN ('active', 'sold_out');
