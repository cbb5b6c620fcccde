-- A listing's stock total follows its variants by trigger, in the statement that changes a variant's
-- stock or status (or adds or removes one): every writer keeps it right without a statement of its
-- own (a checkout saved one round trip per listing inside its write transaction). The rule is the
-- one `orders::flow::refresh_stock_totals` applied: the stock of every variant not removed. The
-- listing's row is locked right after its variant's, so writers that take variants in (listing,
-- variant) order take listings in the same order (checkout and release do).
CREATE FUNCTION listing_stock_total_follows_variants() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  listing BIGINT := CASE WHEN TG_OP = 'DELETE' THEN OLD.listing_id ELSE NEW.listing_id END;
BEGIN
  UPDATE listings SET stock_total = (SELECT COALESCE(SUM(v.stock), 0) FROM listing_variants v
    WHERE v.listing_id = listing AND v.status <> 'removed') WHERE id = listing;
  RETURN NULL;
END;
$$;

CREATE TRIGGER listing_stock_total_on_variant_update AFTER UPDATE OF stock, status ON listing_variants
FOR EACH ROW EXECUTE FUNCTION listing_stock_total_follows_variants();

CREATE TRIGGER listing_stock_total_on_variant_insert AFTER INSERT ON listing_variants
FOR EACH ROW EXECUTE FUNCTION listing_stock_total_follows_variants();

CREATE TRIGGER listing_stock_total_on_variant_delete AFTER DELETE ON listing_variants
FOR EACH ROW EXECUTE FUNCTION listing_stock_total_follows_variants();
