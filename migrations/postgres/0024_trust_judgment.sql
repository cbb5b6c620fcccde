-- The product page's trust judgment (issue 15, seed 001) reads a seller's disputes by decision time
-- and a listing's earlier live versions by the time they were superseded.
CREATE INDEX disputes_seller_decided ON disputes (organisation_id, decided_at);
CREATE INDEX listing_versions_history ON listing_versions (listing_id, status, updated_at);
