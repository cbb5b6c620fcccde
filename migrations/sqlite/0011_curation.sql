-- Curation and catalog control (issue 13): the listings operators feature on the home page, the
-- home page's sections (order, shown or hidden, each with an optional schedule), and the indexes of
-- the console's listing directory.

-- A featured listing: shown in the home page's featured section, in `position` order, while now is
-- in [starts_at, ends_at) (either end open when NULL). `listings.featured` stays the materialised
-- "featured now" flag the storefront reads (the partial index `listings_featured`): the curation
-- service sets it when a feature is saved, and a durable job (`curation.boundary`) at each schedule
-- boundary flips it, so the storefront's reads stay indexed and its cache is invalidated by the
-- catalog version's trigger on the flag.
CREATE TABLE curation_features (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    listing_id BIGINT NOT NULL UNIQUE REFERENCES listings (id),
    position BIGINT NOT NULL,
    starts_at BIGINT,
    ends_at BIGINT,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX curation_features_order ON curation_features (position, id);
INSERT INTO sqlite_sequence (name, seq) VALUES ('curation_features', 38000000000);

-- The home page's sections (keys: `domain::curation::SECTIONS`), in `position` order; a section is
-- shown when `visible` and now is in [starts_at, ends_at).
CREATE TABLE home_sections (
    key TEXT PRIMARY KEY,
    position BIGINT NOT NULL,
    visible BIGINT NOT NULL,
    starts_at BIGINT,
    ends_at BIGINT,
    updated_at BIGINT NOT NULL
);
INSERT INTO home_sections (key, position, visible, starts_at, ends_at, updated_at) VALUES
    ('categories', 1, 1, NULL, NULL, 0),
    ('featured', 2, 1, NULL, NULL, 0),
    ('newest', 3, 1, NULL, NULL, 0);

-- The home page is cached per process (platform/cache.rs): any change to its curation bumps the
-- catalog version in the same transaction, so every server process rebuilds it on its next request.
CREATE TRIGGER catalog_version_curation_insert AFTER INSERT ON curation_features
BEGIN
    UPDATE cache_versions SET version = version + 1 WHERE name = 'catalog';
END;
CREATE TRIGGER catalog_version_curation_update AFTER UPDATE ON curation_features
BEGIN
    UPDATE cache_versions SET version = version + 1 WHERE name = 'catalog';
END;
CREATE TRIGGER catalog_version_curation_delete AFTER DELETE ON curation_features
BEGIN
    UPDATE cache_versions SET version = version + 1 WHERE name = 'catalog';
END;
CREATE TRIGGER catalog_version_home_sections AFTER UPDATE ON home_sections
BEGIN
    UPDATE cache_versions SET version = version + 1 WHERE name = 'catalog';
END;

-- The console's listing directory walks listings newest first, (created_at, id) descending, alone or
-- within one seller, one category or one status.
CREATE INDEX listings_directory ON listings (created_at, id);
CREATE INDEX listings_directory_org ON listings (organisation_id, created_at, id);
CREATE INDEX listings_directory_category ON listings (category_id, created_at, id);
CREATE INDEX listings_directory_status ON listings (status, created_at, id);
