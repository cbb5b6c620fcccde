//! Integration tests through the real router, over real HTTP on loopback, on a fresh database per
//! test: SQLite by default, PostgreSQL with `AGORA_TEST_DB=postgres AGORA_TEST_PG_URL=...`.

mod helpers;

mod alerts;
mod analytics_reports;
mod audit;
mod authz_matrix;
mod exports;

// The platform spine.
mod account_deletion;
mod account_mail;
mod accounts;
mod delivery_desk;
mod http;
mod mail;
mod notifications;
mod outbox;
mod rate_limits;
mod schema;
mod sessions;
mod static_files;
mod templates;
mod throttling;
mod trust_judgment;
mod uploads;

// The console.
mod categories;
mod identity;
mod invitations;
mod reviews;
mod risk;
mod roles;
mod second_factor;
mod sign_in_providers;
mod user_contact;
mod user_directory;
mod users;

// Seller onboarding.
mod sellers;

// The seller center.
mod seller_center;
mod seller_rights;

// Trust & safety.
mod reports;

// Curation and catalog control (the command center).
mod curation;

// The storefront.
mod render_steadiness;
mod search;
mod settings;
mod storefront;
mod storefront_pages;

// Orders and their timers.
mod orders;

// Payments: bank transfer with proof, the sandbox card, finance's queue.
mod payments;

// Cart, address book and checkout.
mod cart;
mod checkout;

// Ledger and commission rules.
mod commission;
mod ledger;

// Finance desk: the suspension freeze, ledger controls and reconciliation.
mod finance_controls;

// Payout accounts and payouts (issue 5).
mod payouts;

// Disputes (issue 5).
mod disputes;

// Refunds (issue 5).
mod refunds;

// The platform kit: the unit of work (`Change`), idempotency, the query builder.
mod command_center;
mod platform_kit;
mod webhooks;

// Launch readiness (issue 13).
mod readiness;
