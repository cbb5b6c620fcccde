-- Sellers, catalog, review and trust & safety. A seller is an organisation of kind 'seller' whose
-- `organisations.status` is its application state (draft, submitted, returned, rejected, approved,
-- active, suspended); the application's fields live in seller_profiles.

CREATE TABLE seller_profiles (
    organisation_id BIGINT PRIMARY KEY REFERENCES organisations (id),
    contact_name TEXT NOT NULL,
    contact_email TEXT NOT NULL,
    contact_phone TEXT NOT NULL,
    business_type TEXT NOT NULL,
    description TEXT NOT NULL,
    submitted_at BIGINT,
    decided_at BIGINT,
    activated_at BIGINT,
    suspended_at BIGINT,
    last_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX seller_profiles_submitted ON seller_profiles (submitted_at, organisation_id);

-- Every state change of a seller: who, when, why. Never updated.
CREATE TABLE seller_transitions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    from_status TEXT NOT NULL,
    to_status TEXT NOT NULL,
    action TEXT NOT NULL,
    actor_id BIGINT NOT NULL REFERENCES users (id),
    at BIGINT NOT NULL,
    reason TEXT NOT NULL
);
CREATE INDEX seller_transitions_org ON seller_transitions (organisation_id, id);

-- Uploaded files (seller documents, listing images). The bytes live under the uploads directory at
-- storage_key; this row says what they are and who may read them (purpose + organisation).
CREATE TABLE uploads (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id BIGINT REFERENCES organisations (id),
    purpose TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT '',
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    width BIGINT,
    height BIGINT,
    sha256 TEXT NOT NULL,
    storage_key TEXT NOT NULL,
    uploaded_by BIGINT NOT NULL REFERENCES users (id),
    uploaded_at BIGINT NOT NULL,
    removed_at BIGINT
);
CREATE INDEX uploads_org ON uploads (organisation_id, purpose, id);

-- The category tree. `browsable` is 1 when the category and all its ancestors are enabled; it is
-- kept in step on every disable/enable/move, so browse queries need no recursion.
CREATE TABLE categories (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    parent_id BIGINT REFERENCES categories (id),
    slug TEXT NOT NULL UNIQUE,
    name_en TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    status TEXT NOT NULL,
    browsable BIGINT NOT NULL,
    position BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX categories_parent ON categories (parent_id, position);

-- A listing and its live (approved) copy, which is what the storefront shows. Edits live in
-- listing_versions until approved; `pending_version_id` points at the version being edited or reviewed.
CREATE TABLE listings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    status TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    category_id BIGINT REFERENCES categories (id),
    price_minor BIGINT NOT NULL,
    compare_at_minor BIGINT,
    currency TEXT NOT NULL,
    weight_grams BIGINT NOT NULL,
    options_json TEXT NOT NULL,
    images_json TEXT NOT NULL,
    stock_total BIGINT NOT NULL,
    featured BIGINT NOT NULL DEFAULT 0,
    live_version_id BIGINT,
    pending_version_id BIGINT,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    published_at BIGINT,
    status_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX listings_org ON listings (organisation_id, id);
CREATE INDEX listings_browse ON listings (status, published_at, id);
CREATE INDEX listings_category ON listings (category_id, status, published_at, id);
CREATE INDEX listings_price ON listings (status, price_minor, id);

-- Every submitted or edited copy of a listing, with its review outcome and automated-check evidence.
CREATE TABLE listing_versions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    listing_id BIGINT NOT NULL REFERENCES listings (id),
    number BIGINT NOT NULL,
    status TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    category_id BIGINT REFERENCES categories (id),
    price_minor BIGINT NOT NULL,
    compare_at_minor BIGINT,
    currency TEXT NOT NULL,
    weight_grams BIGINT NOT NULL,
    options_json TEXT NOT NULL,
    variants_json TEXT NOT NULL,
    images_json TEXT NOT NULL,
    risk TEXT NOT NULL DEFAULT 'low',
    checks_json TEXT NOT NULL DEFAULT '[]',
    warning_count BIGINT NOT NULL DEFAULT 0,
    blocking_count BIGINT NOT NULL DEFAULT 0,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    submitted_at BIGINT,
    sla_due_at BIGINT,
    decided_at BIGINT,
    decided_by BIGINT REFERENCES users (id),
    decision_reason TEXT NOT NULL DEFAULT '',
    UNIQUE (listing_id, number)
);
-- The review queue walks (status, sla_due_at); the counters read only this index (covering).
CREATE INDEX listing_versions_queue ON listing_versions (status, sla_due_at, risk, warning_count, blocking_count);
CREATE INDEX listing_versions_risk ON listing_versions (status, risk, id);

-- The live variants (one SKU each), written when a version is approved; orders point at these rows.
CREATE TABLE listing_variants (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    listing_id BIGINT NOT NULL REFERENCES listings (id),
    sku TEXT NOT NULL,
    options_json TEXT NOT NULL,
    price_minor BIGINT NOT NULL,
    compare_at_minor BIGINT,
    stock BIGINT NOT NULL,
    position BIGINT NOT NULL,
    status TEXT NOT NULL,
    UNIQUE (listing_id, sku)
);

-- Trust & safety: buyer reports against a listing or a seller, and sellers' appeals of a takedown.
-- One report per reporter and target (the unique key), one open appeal per listing.
CREATE TABLE reports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    reporter_id BIGINT NOT NULL REFERENCES users (id),
    target_type TEXT NOT NULL,
    target_id BIGINT NOT NULL,
    target_organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    category TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL,
    resolution TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    decided_at BIGINT,
    decided_by BIGINT REFERENCES users (id),
    decision_reason TEXT NOT NULL DEFAULT '',
    appeal_of BIGINT REFERENCES reports (id),
    UNIQUE (kind, reporter_id, target_type, target_id)
);
CREATE INDEX reports_queue ON reports (status, id);
CREATE INDEX reports_target ON reports (target_type, target_id, id);

-- Storefront search: the live title and description of active listings (rowid = listing id). The
-- trigram tokenizer matches any substring of 3+ characters, which also serves Chinese text.
CREATE VIRTUAL TABLE listing_search USING fts5 (title, description, tokenize = 'trigram');

INSERT INTO sqlite_sequence (name, seq) VALUES ('seller_transitions', 4000000000);
INSERT INTO sqlite_sequence (name, seq) VALUES ('uploads', 5000000000);
INSERT INTO sqlite_sequence (name, seq) VALUES ('categories', 6000000);
INSERT INTO sqlite_sequence (name, seq) VALUES ('listings', 7000000000);
INSERT INTO sqlite_sequence (name, seq) VALUES ('listing_versions', 8000000000);
INSERT INTO sqlite_sequence (name, seq) VALUES ('listing_variants', 9000000000);
INSERT INTO sqlite_sequence (name, seq) VALUES ('reports', 11000000000);
