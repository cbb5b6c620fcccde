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

CREATE FUNCTION bump_catalog_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE cache_versions SET version = version + 1 WHERE name = 'catalog';
    RETURN NULL;
END
$$;

-- Inserts and deletes bump once per statement: a bulk insert (seeding) costs one bump, not one per row.
CREATE TRIGGER catalog_version_listing_insert AFTER INSERT ON listings
FOR EACH STATEMENT EXECUTE FUNCTION bump_catalog_version();

CREATE TRIGGER catalog_version_listing_delete AFTER DELETE ON listings
FOR EACH STATEMENT EXECUTE FUNCTION bump_catalog_version();

CREATE TRIGGER catalog_version_listing_update AFTER UPDATE ON listings
FOR EACH ROW
WHEN ((OLD.status IN ('active', 'sold_out') OR NEW.status IN ('active', 'sold_out'))
  AND (OLD.status IS DISTINCT FROM NEW.status OR OLD.title IS DISTINCT FROM NEW.title
    OR OLD.price_minor IS DISTINCT FROM NEW.price_minor OR OLD.compare_at_minor IS DISTINCT FROM NEW.compare_at_minor
    OR OLD.currency IS DISTINCT FROM NEW.currency OR OLD.images_json IS DISTINCT FROM NEW.images_json
    OR OLD.category_id IS DISTINCT FROM NEW.category_id OR OLD.featured IS DISTINCT FROM NEW.featured
    OR OLD.published_at IS DISTINCT FROM NEW.published_at OR OLD.organisation_id IS DISTINCT FROM NEW.organisation_id
    OR (OLD.stock_total > 0) IS DISTINCT FROM (NEW.stock_total > 0)))
EXECUTE FUNCTION bump_catalog_version();

CREATE TRIGGER catalog_version_category_change AFTER INSERT OR UPDATE OR DELETE ON categories
FOR EACH STATEMENT EXECUTE FUNCTION bump_catalog_version();

CREATE TRIGGER catalog_version_organisation_update AFTER UPDATE ON organisations
FOR EACH ROW
WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.name IS DISTINCT FROM NEW.name OR OLD.kind IS DISTINCT FROM NEW.kind)
EXECUTE FUNCTION bump_catalog_version();
