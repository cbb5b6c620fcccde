-- Fast storefront pages (issue 11): indexes for the home page and category grids, and the catalog
-- version that lets every server process drop its cached pages when the catalog changes.

-- The home page's featured section: featured listings newest first, one walk per live status. Partial,
-- so it holds only the few featured rows (the query says `l.featured = 1`, which both databases match
-- against the predicate).
CREATE INDEX listings_featured ON listings (status, published_at, id) WHERE featured = 1;
-- A category page sorted by price (newest is listings_category).
CREATE INDEX listings_category_price ON listings (category_id, status, price_minor, id);

-- Versions of what the storefront caches in process memory (platform/cache.rs). The triggers below
-- bump `catalog` in the same transaction as any change a visitor would see on a cached page (a listing
-- going live or away, its title, price, images, category or featured flag, a category, a seller's
-- status or name), whatever code path makes it, so every server process sees the change on its next
-- request. Stock counts are left out on purpose (checkout changes them all the time and would make
-- this one row a hot spot): they are bounded by the cache's TTL, except a listing running out of stock
-- or coming back, which counts.
CREATE TABLE cache_versions (
    name TEXT PRIMARY KEY,
    version BIGINT NOT NULL
);
INSERT INTO cache_versions (name, version) VALUES ('catalog', 1);

CREATE TRIGGER catalog_version_listing_insert AFTER INSERT ON listings
WHEN NEW.status IN ('active', 'sold_out')
BEGIN
    UPDATE cache_versions SET version = version + 1 WHERE name = 'catalog';
END;

CREATE TRIGGER catalog_version_listing_delete AFTER DELETE ON listings
WHEN OLD.status IN ('active', 'sold_out')
BEGIN
    UPDATE cache_versions SET version = version + 1 WHERE name = 'catalog';
END;

CREATE TRIGGER catalog_version_listing_update AFTER UPDATE ON listings
WHEN (OLD.status IN ('active', 'sold_out') OR NEW.status IN ('active', 'sold_out'))
  AND (OLD.status IS NOT NEW.status OR OLD.title IS NOT NEW.title OR OLD.price_minor IS NOT NEW.price_minor
    OR OLD.compare_at_minor IS NOT NEW.compare_at_minor OR OLD.currency IS NOT NEW.currency
    OR OLD.images_json IS NOT NEW.images_json OR OLD.category_id IS NOT NEW.category_id
    OR OLD.featured IS NOT NEW.featured OR OLD.published_at IS NOT NEW.published_at
    OR OLD.organisation_id IS NOT NEW.organisation_id OR (OLD.stock_total > 0) IS NOT (NEW.stock_total > 0))
BEGIN
    UPDATE cache_versions SET version = version + 1 WHERE name = 'catalog';
END;

CREATE TRIGGER catalog_version_category_insert AFTER INSERT ON categories
BEGIN
    UPDATE cache_versions SET version = version + 1 WHERE name = 'catalog';
END;

CREATE TRIGGER catalog_version_category_update AFTER UPDATE ON categories
BEGIN
    UPDATE cache_versions SET version = version + 1 WHERE name = 'catalog';
END;

CREATE TRIGGER catalog_version_category_delete AFTER DELETE ON categories
BEGIN
    UPDATE cache_versions SET version = version + 1 WHERE name = 'catalog';
END;

CREATE TRIGGER catalog_version_organisation_update AFTER UPDATE ON organisations
WHEN OLD.status IS NOT NEW.status OR OLD.name IS NOT NEW.name OR OLD.kind IS NOT NEW.kind
BEGIN
    UPDATE cache_versions SET version = version + 1 WHERE name = 'catalog';
END;
