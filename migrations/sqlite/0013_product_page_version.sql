-- The page cache (server/src/http/page_cache.rs) keeps product pages whole under the catalog version,
-- so the version now also follows what only a product page shows: a listing's description and
-- options, its variants (price, options, order, status, and stock reaching or leaving zero; other
-- stock counts are left to the cache's TTL, as on the grids, or every checkout would bump it), and
-- the seller's region on its card.

DROP TRIGGER IF EXISTS catalog_version_listing_update;
CREATE TRIGGER catalog_version_listing_update AFTER UPDATE ON listings
WHEN (OLD.status IN ('active', 'sold_out') OR NEW.status IN ('active', 'sold_out'))
  AND (OLD.status IS NOT NEW.status OR OLD.title IS NOT NEW.title OR OLD.price_minor IS NOT NEW.price_minor
    OR OLD.compare_at_minor IS NOT NEW.compare_at_minor OR OLD.currency IS NOT NEW.currency
    OR OLD.images_json IS NOT NEW.images_json OR OLD.category_id IS NOT NEW.category_id
    OR OLD.featured IS NOT NEW.featured OR OLD.published_at IS NOT NEW.published_at
    OR OLD.organisation_id IS NOT NEW.organisation_id OR (OLD.stock_total > 0) IS NOT (NEW.stock_total > 0)
    OR OLD.description IS NOT NEW.description OR OLD.options_json IS NOT NEW.options_json)
BEGIN
    UPDATE cache_versions SET version = version + 1 WHERE name = 'catalog';
END;

CREATE TRIGGER catalog_version_variant_insert AFTER INSERT ON listing_variants
BEGIN
    UPDATE cache_versions SET version = version + 1 WHERE name = 'catalog';
END;

CREATE TRIGGER catalog_version_variant_delete AFTER DELETE ON listing_variants
BEGIN
    UPDATE cache_versions SET version = version + 1 WHERE name = 'catalog';
END;

CREATE TRIGGER catalog_version_variant_update AFTER UPDATE ON listing_variants
WHEN OLD.sku IS NOT NEW.sku OR OLD.options_json IS NOT NEW.options_json OR OLD.price_minor IS NOT NEW.price_minor
  OR OLD.compare_at_minor IS NOT NEW.compare_at_minor OR OLD.position IS NOT NEW.position
  OR OLD.status IS NOT NEW.status OR (OLD.stock > 0) IS NOT (NEW.stock > 0)
BEGIN
    UPDATE cache_versions SET version = version + 1 WHERE name = 'catalog';
END;

DROP TRIGGER IF EXISTS catalog_version_organisation_update;
CREATE TRIGGER catalog_version_organisation_update AFTER UPDATE ON organisations
WHEN OLD.status IS NOT NEW.status OR OLD.name IS NOT NEW.name OR OLD.kind IS NOT NEW.kind
  OR OLD.region IS NOT NEW.region
BEGIN
    UPDATE cache_versions SET version = version + 1 WHERE name = 'catalog';
END;
