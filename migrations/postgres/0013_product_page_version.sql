-- The page cache (server/src/http/page_cache.rs) keeps product pages whole under the catalog version,
-- so the version now also follows what only a product page shows: a listing's description and
-- options, its variants (price, options, order, status, and stock reaching or leaving zero; other
-- stock counts are left to the cache's TTL, as on the grids, or every checkout would bump it), and
-- the seller's region on its card.

DROP TRIGGER IF EXISTS catalog_version_listing_update ON listings;
CREATE TRIGGER catalog_version_listing_update AFTER UPDATE ON listings
FOR EACH ROW
WHEN ((OLD.status IN ('active', 'sold_out') OR NEW.status IN ('active', 'sold_out'))
  AND (OLD.status IS DISTINCT FROM NEW.status OR OLD.title IS DISTINCT FROM NEW.title
    OR OLD.price_minor IS DISTINCT FROM NEW.price_minor OR OLD.compare_at_minor IS DISTINCT FROM NEW.compare_at_minor
    OR OLD.currency IS DISTINCT FROM NEW.currency OR OLD.images_json IS DISTINCT FROM NEW.images_json
    OR OLD.category_id IS DISTINCT FROM NEW.category_id OR OLD.featured IS DISTINCT FROM NEW.featured
    OR OLD.published_at IS DISTINCT FROM NEW.published_at OR OLD.organisation_id IS DISTINCT FROM NEW.organisation_id
    OR (OLD.stock_total > 0) IS DISTINCT FROM (NEW.stock_total > 0)
    OR OLD.description IS DISTINCT FROM NEW.description OR OLD.options_json IS DISTINCT FROM NEW.options_json))
EXECUTE FUNCTION bump_catalog_version();

-- Inserts and deletes bump once per statement, as for listings.
CREATE TRIGGER catalog_version_variant_insert AFTER INSERT ON listing_variants
FOR EACH STATEMENT EXECUTE FUNCTION bump_catalog_version();

CREATE TRIGGER catalog_version_variant_delete AFTER DELETE ON listing_variants
FOR EACH STATEMENT EXECUTE FUNCTION bump_catalog_version();

CREATE TRIGGER catalog_version_variant_update AFTER UPDATE ON listing_variants
FOR EACH ROW
WHEN (OLD.sku IS DISTINCT FROM NEW.sku OR OLD.options_json IS DISTINCT FROM NEW.options_json
  OR OLD.price_minor IS DISTINCT FROM NEW.price_minor OR OLD.compare_at_minor IS DISTINCT FROM NEW.compare_at_minor
  OR OLD.position IS DISTINCT FROM NEW.position OR OLD.status IS DISTINCT FROM NEW.status
  OR (OLD.stock > 0) IS DISTINCT FROM (NEW.stock > 0))
EXECUTE FUNCTION bump_catalog_version();

DROP TRIGGER IF EXISTS catalog_version_organisation_update ON organisations;
CREATE TRIGGER catalog_version_organisation_update AFTER UPDATE ON organisations
FOR EACH ROW
WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.name IS DISTINCT FROM NEW.name OR OLD.kind IS DISTINCT FROM NEW.kind
  OR OLD.region IS DISTINCT FROM NEW.region)
EXECUTE FUNCTION bump_catalog_version();
