-- A listing's stock total follows its variants by trigger, in the statement that changes a variant's
-- stock or status (or adds or removes one): every writer keeps it right without a statement of its
-- own (a checkout saved one round trip per listing inside its write transaction). The rule is the
-- one `orders::flow::refresh_stock_totals` applied: the stock of every variant not removed.
CREATE TRIGGER listing_stock_total_on_variant_update AFTER UPDATE OF stock, status ON listing_variants
BEGIN
  UPDATE listings SET stock_total = (SELECT COALESCE(SUM(v.stock), 0) FROM listing_variants v
    WHERE v.listing_id = NEW.listing_id AND v.status <> 'removed') WHERE id = NEW.listing_id;
END;

CREATE TRIGGER listing_stock_total_on_variant_insert AFTER INSERT ON listing_variants
BEGIN
  UPDATE listings SET stock_total = (SELECT COALESCE(SUM(v.stock), 0) FROM listing_variants v
    WHERE v.listing_id = NEW.listing_id AND v.status <> 'removed') WHERE id = NEW.listing_id;
END;

CREATE TRIGGER listing_stock_total_on_variant_delete AFTER DELETE ON listing_variants
BEGIN
  UPDATE listings SET stock_total = (SELECT COALESCE(SUM(v.stock), 0) FROM listing_variants v
    WHERE v.listing_id = OLD.listing_id AND v.status <> 'removed') WHERE id = OLD.listing_id;
END;
