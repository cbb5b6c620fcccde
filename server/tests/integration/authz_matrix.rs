//! Every server function against every kind of caller. The table below is the authorization design;
//! the test fails when a server function is registered without a row, so a new endpoint cannot ship
//! unreviewed.

use crate::helpers::{ok, Persona, TestApp, CROWD, PASSWORD};
use agora_app::domain::permissions::{self, OperatorRole, Permission, PermissionSet};
use agora_app::domain::seller::{MemberRole, SellerRight};
use reqwest::StatusCode;

#[derive(Clone, Copy, Debug)]
pub enum Access {
    /// Anyone, signed in or not.
    Public,
    /// Any signed-in user.
    SignedIn,
    /// Signed in with a role that grants the permission.
    Needs(Permission),
    /// A member of a seller organisation holding the right: the matrix's `seller` persona owns one
    /// (every right), its `staff` persona works there (what `MemberRole::Staff` is granted); any
    /// other signed-in caller is refused with 403. Which organisation's data is reachable is tested
    /// per feature (a seller never touches another seller's listing).
    Seller(SellerRight),
}

/// One row of the matrix.
pub type Row = (&'static str, Access, &'static [(&'static str, &'static str)]);

/// `(endpoint, access, a well-formed request body)`. The body must parse, so that a refusal can only
/// come from authorization.
pub const MATRIX: &[Row] = &[
    ("whoami", Access::Public, &[]),
    ("sign_up", Access::Public, &[("email", "new@example.com"), ("display_name", "New"), ("password", "x")]),
    ("sign_in", Access::Public, &[("email", "nobody@example.com"), ("password", "wrong password")]),
    ("sign_out", Access::Public, &[]),
    ("set_language", Access::Public, &[("lang", "zh")]),
    ("bootstrap_status", Access::Public, &[]),
    (
        "bootstrap_super_admin",
        Access::Public,
        &[("token", "t"), ("email", "b@example.com"), ("display_name", "B"), ("password", "x")],
    ),
    // Sign-in with a provider: the browser's own navigation (GET; the matrix's POST is refused with
    // 405, neither 401 nor 403); the link confirmation's credential is its token, then a password.
    ("provider_start", Access::Public, &[("provider", "oidc")]),
    ("provider_callback", Access::Public, &[("state", "x"), ("code", "y")]),
    ("sign_in_providers", Access::Public, &[]),
    ("check_identity_link", Access::Public, &[("token", "forged")]),
    ("confirm_identity_link", Access::Public, &[("token", "forged"), ("password", "wrong password")]),
    ("my_identities", Access::SignedIn, &[]),
    ("unlink_identity", Access::SignedIn, &[("id", "1")]),
    ("change_password", Access::SignedIn, &[("current_password", "wrong"), ("new_password", "short")]),
    ("my_sessions", Access::SignedIn, &[]),
    ("end_my_session", Access::SignedIn, &[("handle", "not-a-session")]),
    ("end_my_other_sessions", Access::SignedIn, &[]),
    // The account mails: the link or code is the credential of the public ones.
    ("my_email_status", Access::SignedIn, &[]),
    ("resend_verification", Access::SignedIn, &[]),
    ("verify_email", Access::Public, &[("token", "forged")]),
    ("forgot_password", Access::Public, &[("email", "nobody@example.com")]),
    ("check_reset_link", Access::Public, &[("token", "forged")]),
    ("unlock_account", Access::Public, &[("token", "forged")]),
    ("reset_password", Access::Public, &[("token", "forged"), ("new_password", "short")]),
    ("request_email_change", Access::SignedIn, &[("new_email", "new@example.com"), ("password", "wrong")]),
    ("confirm_email_change", Access::Public, &[("token", "forged")]),
    ("request_sign_in_code", Access::Public, &[("email", "nobody@example.com")]),
    ("sign_in_with_code", Access::Public, &[("email", "nobody@example.com"), ("code", "000000")]),
    // The second factor: about oneself only; the sign-in step's credential is its challenge cookie.
    ("second_factor_status", Access::SignedIn, &[]),
    ("start_second_factor", Access::SignedIn, &[]),
    ("confirm_second_factor", Access::SignedIn, &[("code", "000000")]),
    ("renew_recovery_codes", Access::SignedIn, &[("password", "wrong"), ("code", "000000")]),
    ("disable_second_factor", Access::SignedIn, &[("password", "wrong"), ("code", "000000")]),
    ("sign_in_second_factor", Access::Public, &[("code", "000000")]),
    ("unread_notifications", Access::SignedIn, &[]),
    ("list_notifications", Access::SignedIn, &[]),
    ("mark_notifications_read", Access::SignedIn, &[]),
    ("notification_preferences", Access::SignedIn, &[]),
    ("save_notification_preferences", Access::SignedIn, &[("on[]", "orders:email")]),
    // The unsubscribe link works without signing in: its token is signed (a forged one is a 400).
    ("unsubscribe_preview", Access::Public, &[("token", "1.orders.00")]),
    ("unsubscribe", Access::Public, &[("token", "1.orders.00")]),
    // The command center (issue 13): today's work lists only the queues the caller may open; the KPI
    // cards and trends need analytics.
    ("command_center_work", Access::Needs(permissions::CONSOLE_VIEW), &[]),
    ("command_center_kpis", Access::Needs(permissions::ANALYTICS_VIEW), &[("period", "7d")]),
    ("command_center_trends", Access::Needs(permissions::ANALYTICS_VIEW), &[("days", "30")]),
    ("console_environment", Access::Needs(permissions::CONSOLE_VIEW), &[]),
    (
        "list_audit",
        Access::Needs(permissions::AUDIT_VIEW),
        &[("action", "users."), ("from", "2024-01-01"), ("to", "2099-12-31")],
    ),
    ("get_audit_entry", Access::Needs(permissions::AUDIT_VIEW), &[("id", "1")]),
    ("verify_audit_chain", Access::Needs(permissions::AUDIT_VERIFY), &[]),
    // Reports and exports (issue 13): the export itself and a file's download are form posts
    // (server/src/http/exports.rs, tested in exports.rs).
    ("revenue_figures", Access::Needs(permissions::ANALYTICS_VIEW), &[("period", "7d")]),
    ("seller_performance_report", Access::Needs(permissions::ANALYTICS_VIEW), &[("period", "7d"), ("seller", "tea")]),
    ("operations_sla_report", Access::Needs(permissions::ANALYTICS_VIEW), &[("period", "30d")]),
    ("export_datasets", Access::Needs(permissions::EXPORTS_EXPORT), &[]),
    ("my_exports", Access::Needs(permissions::EXPORTS_EXPORT), &[]),
    // The users & organisations directory. Protected actions carry a wrong password: an allowed caller
    // gets 400 from the confirmation, and nobody is banned or re-roled by this test.
    (
        "list_users",
        Access::Needs(permissions::USERS_VIEW),
        &[
            ("q", "ann"),
            ("status", "active"),
            ("role", "any"),
            ("kind", "buyer"),
            ("tag", "vip"),
            ("from", "2026-01-01"),
        ],
    ),
    ("get_user", Access::Needs(permissions::USERS_VIEW), &[("id", "1")]),
    ("recent_refusals", Access::Needs(permissions::AUDIT_VIEW), &[]),
    (
        "ban_user",
        Access::Needs(permissions::USERS_BAN),
        &[
            ("id", "1"),
            ("category", "fraud"),
            ("duration", "7d"),
            ("reason", "authorization matrix"),
            ("password", "wrong password"),
        ],
    ),
    (
        "unban_user",
        Access::Needs(permissions::USERS_BAN),
        &[("id", "1"), ("reason", "authorization matrix"), ("password", "wrong password")],
    ),
    (
        "end_user_sessions",
        Access::Needs(permissions::USERS_BAN),
        &[("id", "1"), ("reason", "authorization matrix"), ("password", "wrong password")],
    ),
    (
        "create_user",
        Access::Needs(permissions::USERS_MANAGE),
        &[
            ("email", "invited@agora.test"),
            ("display_name", "Invited"),
            ("lang", "en"),
            ("reason", "authorization matrix"),
            ("password", "wrong password"),
        ],
    ),
    (
        "edit_user_profile",
        Access::Needs(permissions::USERS_MANAGE),
        &[
            ("id", "1"),
            ("display_name", "Matrix"),
            ("lang", "en"),
            ("reason", "authorization matrix"),
            ("password", "wrong password"),
        ],
    ),
    (
        "edit_user_record",
        Access::Needs(permissions::USERS_MANAGE),
        &[
            ("id", "1"),
            ("tags", "vip"),
            ("note", ""),
            ("reason", "authorization matrix"),
            ("password", "wrong password"),
        ],
    ),
    (
        "reset_user_password",
        Access::Needs(permissions::USERS_MANAGE),
        &[("id", "1"), ("reason", "authorization matrix"), ("password", "wrong password")],
    ),
    (
        "edit_user_contact",
        Access::Needs(permissions::USERS_MANAGE),
        &[("id", "1"), ("phone", ""), ("reason", "authorization matrix"), ("password", "wrong password")],
    ),
    ("reveal_user_phone", Access::Needs(permissions::USERS_REVEAL), &[("id", "1"), ("reason", "authorization matrix")]),
    (
        "remove_user_second_factor",
        Access::Needs(permissions::USERS_MANAGE),
        &[("id", "1"), ("reason", "authorization matrix"), ("password", "wrong password")],
    ),
    (
        "ban_users",
        Access::Needs(permissions::USERS_BAN),
        &[
            ("ids[]", "1"),
            ("category", "fraud"),
            ("duration", "7d"),
            ("reason", "authorization matrix"),
            ("password", "wrong password"),
        ],
    ),
    ("console_user_orders", Access::Needs(permissions::ORDERS_VIEW), &[("user_id", "1")]),
    ("my_account_deletion", Access::SignedIn, &[]),
    ("request_account_deletion", Access::SignedIn, &[("reason", ""), ("password", "wrong password")]),
    ("withdraw_account_deletion", Access::SignedIn, &[]),
    ("list_account_deletions", Access::Needs(permissions::USERS_VIEW), &[("status", "requested")]),
    (
        "approve_account_deletion",
        Access::Needs(permissions::USERS_MANAGE),
        &[("id", "1"), ("reason", "authorization matrix"), ("password", "wrong password")],
    ),
    (
        "reject_account_deletion",
        Access::Needs(permissions::USERS_MANAGE),
        &[("id", "1"), ("reason", "authorization matrix"), ("password", "wrong password")],
    ),
    (
        "restore_account_deletion",
        Access::Needs(permissions::USERS_MANAGE),
        &[("id", "1"), ("reason", "authorization matrix"), ("password", "wrong password")],
    ),
    (
        "set_user_roles",
        Access::Needs(permissions::ROLES_ASSIGN),
        &[("id", "1"), ("roles[]", "support"), ("reason", "authorization matrix"), ("password", "wrong password")],
    ),
    ("list_organisations", Access::Needs(permissions::ORGANISATIONS_VIEW), &[("q", "tea"), ("status", "active")]),
    // Roles as data: the editor is roles.manage (a super admin's); its changes are protected (a wrong
    // password: 400 when allowed, nothing changed). The names list feeds the directory's filter.
    ("list_roles", Access::Needs(permissions::ROLES_MANAGE), &[]),
    ("get_role", Access::Needs(permissions::ROLES_MANAGE), &[("id", "1")]),
    ("role_names", Access::Needs(permissions::USERS_VIEW), &[]),
    (
        "create_role",
        Access::Needs(permissions::ROLES_MANAGE),
        &[
            ("name", "matrix_role"),
            ("grants[]", "listings.view"),
            ("reason", "authorization matrix"),
            ("password", "wrong password"),
        ],
    ),
    (
        "set_role_grants",
        Access::Needs(permissions::ROLES_MANAGE),
        &[
            ("id", "1"),
            ("grants[]", "listings.view"),
            ("reason", "authorization matrix"),
            ("password", "wrong password"),
        ],
    ),
    (
        "delete_role",
        Access::Needs(permissions::ROLES_MANAGE),
        &[("id", "1"), ("reason", "authorization matrix"), ("password", "wrong password")],
    ),
    // The settings centre (issue 15): settings.view reads it; every change is settings.manage and
    // protected (a wrong password: 400 when allowed, nothing changed).
    ("settings_centre", Access::Needs(permissions::SETTINGS_VIEW), &[]),
    ("setting_versions", Access::Needs(permissions::SETTINGS_VIEW), &[]),
    (
        "change_setting",
        Access::Needs(permissions::SETTINGS_MANAGE),
        &[
            ("key", "review_sla_hours"),
            ("value", "30"),
            ("reason", "authorization matrix"),
            ("password", "wrong password"),
        ],
    ),
    (
        "rollback_settings",
        Access::Needs(permissions::SETTINGS_MANAGE),
        &[("id", "1"), ("reason", "authorization matrix"), ("password", "wrong password")],
    ),
    (
        "set_flag",
        Access::Needs(permissions::SETTINGS_MANAGE),
        &[
            ("name", "sandbox_card"),
            ("on", "on"),
            ("percent", "50"),
            ("reason", "authorization matrix"),
            ("password", "wrong password"),
        ],
    ),
    (
        "set_maintenance",
        Access::Needs(permissions::SETTINGS_MANAGE),
        &[("maintenance_mode", "read_only"), ("reason", "authorization matrix"), ("password", "wrong password")],
    ),
    // Alerts and incidents (issue 15): alerts.view reads; alerts.manage changes (an unknown id:
    // 404 when allowed, nothing changed).
    ("alert_rules", Access::Needs(permissions::ALERTS_VIEW), &[]),
    (
        "create_alert_rule",
        Access::Needs(permissions::ALERTS_MANAGE),
        &[
            ("name", "Matrix"),
            ("metric", "failed_sign_ins"),
            ("threshold", "x"),
            ("window_minutes", "60"),
            ("severity", "info"),
        ],
    ),
    ("set_alert_rule_enabled", Access::Needs(permissions::ALERTS_MANAGE), &[("id", "1"), ("enabled", "false")]),
    (
        "silence_alert_rule",
        Access::Needs(permissions::ALERTS_MANAGE),
        &[("id", "1"), ("minutes", "30"), ("reason", "authorization matrix")],
    ),
    ("end_alert_silence", Access::Needs(permissions::ALERTS_MANAGE), &[("id", "1")]),
    ("incidents", Access::Needs(permissions::ALERTS_VIEW), &[]),
    ("incident", Access::Needs(permissions::ALERTS_VIEW), &[("id", "1")]),
    ("unresolved_incidents", Access::Needs(permissions::ALERTS_VIEW), &[]),
    ("acknowledge_incident", Access::Needs(permissions::ALERTS_MANAGE), &[("id", "1")]),
    ("add_incident_note", Access::Needs(permissions::ALERTS_MANAGE), &[("id", "1"), ("note", "matrix")]),
    ("resolve_incident", Access::Needs(permissions::ALERTS_MANAGE), &[("id", "1"), ("note", "matrix")]),
    // The risk desk (issue 15): risk.view reads; risk.manage acts (an unknown id: 404 when allowed).
    ("risk_signals", Access::Needs(permissions::RISK_VIEW), &[]),
    ("risk_signal", Access::Needs(permissions::RISK_VIEW), &[("id", "1")]),
    ("take_risk_signal", Access::Needs(permissions::RISK_MANAGE), &[("id", "1")]),
    ("acknowledge_risk_signal", Access::Needs(permissions::RISK_MANAGE), &[("id", "1")]),
    ("note_risk_signal", Access::Needs(permissions::RISK_MANAGE), &[("id", "1"), ("note", "matrix")]),
    ("resolve_risk_signal", Access::Needs(permissions::RISK_MANAGE), &[("id", "1"), ("note", "matrix")]),
    ("category_tree", Access::Public, &[("all", "true")]),
    // Seller onboarding: applying (any signed-in user), the seller's own application and team (its
    // members; the matrix seller's organisation is active, so its submit/remove get 409), and the
    // console's seller pages. Protected actions carry a wrong password.
    ("my_seller_application", Access::SignedIn, &[]),
    (
        "save_seller_application",
        Access::SignedIn,
        &[
            ("name", "Matrix Tea"),
            ("contact_name", "Li Wei"),
            ("contact_email", "li@example.com"),
            ("contact_phone", "+86 138 0000 0000"),
            ("business_type", "company"),
            ("region", "CN"),
            ("description", "Tea."),
        ],
    ),
    ("submit_seller_application", Access::Seller(SellerRight::EditApplication), &[]),
    ("remove_seller_document", Access::Seller(SellerRight::EditApplication), &[("id", "1")]),
    ("my_seller_team", Access::Seller(SellerRight::ViewTeam), &[]),
    ("invite_seller_staff", Access::Seller(SellerRight::ManageTeam), &[("email", "nobody@example.com")]),
    ("remove_seller_staff", Access::Seller(SellerRight::ManageTeam), &[("user_id", "1")]),
    (
        "list_sellers",
        Access::Needs(permissions::SELLERS_VIEW),
        &[("status", "submitted"), ("region", "CN"), ("from", "2024-01-01"), ("to", "2099-12-31")],
    ),
    ("count_sellers", Access::Needs(permissions::SELLERS_VIEW), &[]),
    ("get_seller", Access::Needs(permissions::SELLERS_VIEW), &[("id", "1")]),
    (
        "decide_seller",
        Access::Needs(permissions::SELLERS_DECIDE),
        &[("id", "1"), ("action", "return"), ("reason", "authorization matrix")],
    ),
    (
        "suspend_seller",
        Access::Needs(permissions::SELLERS_SUSPEND),
        &[("id", "1"), ("reason", "authorization matrix"), ("password", "wrong password")],
    ),
    (
        "reinstate_seller",
        Access::Needs(permissions::SELLERS_SUSPEND),
        &[("id", "1"), ("reason", "authorization matrix"), ("password", "wrong password")],
    ),
    // Categories console (issue 3).
    (
        "create_category",
        Access::Needs(permissions::CATEGORIES_MANAGE),
        &[("name_en", "Matrix"), ("name_zh", "矩阵"), ("slug", ""), ("parent_id", "")],
    ),
    (
        "rename_category",
        Access::Needs(permissions::CATEGORIES_MANAGE),
        &[("id", "1"), ("name_en", "Matrix"), ("name_zh", "矩阵"), ("slug", "")],
    ),
    ("move_category", Access::Needs(permissions::CATEGORIES_MANAGE), &[("id", "1"), ("parent_id", "")]),
    ("disable_category", Access::Needs(permissions::CATEGORIES_MANAGE), &[("id", "1")]),
    ("enable_category", Access::Needs(permissions::CATEGORIES_MANAGE), &[("id", "1")]),
    // Review queue (issue 3). Decisions target a version that does not exist (404 when allowed); the
    // block carries a wrong password.
    (
        "list_review_queue",
        Access::Needs(permissions::LISTINGS_VIEW),
        &[("risk", "high"), ("sla", "overdue"), ("kind", "new"), ("seller", "1"), ("category", "")],
    ),
    ("review_counters", Access::Needs(permissions::LISTINGS_VIEW), &[]),
    ("get_review", Access::Needs(permissions::LISTINGS_VIEW), &[("version_id", "1")]),
    ("approve_listing_version", Access::Needs(permissions::LISTINGS_REVIEW), &[("version_id", "1")]),
    (
        "reject_listing_version",
        Access::Needs(permissions::LISTINGS_REVIEW),
        &[("version_id", "1"), ("reason", "authorization matrix")],
    ),
    (
        "block_listing_version",
        Access::Needs(permissions::LISTINGS_BLOCK),
        &[("version_id", "1"), ("reason", "authorization matrix"), ("password", "wrong password")],
    ),
    // The storefront: public reads.
    ("storefront_home", Access::Public, &[]),
    (
        "storefront_category",
        Access::Public,
        &[("slug", "kitchen"), ("min", "1"), ("max", "20"), ("in_stock", "1"), ("sort", "price_asc")],
    ),
    (
        "storefront_search",
        Access::Public,
        &[("q", "mug"), ("min", "1"), ("max", "20"), ("in_stock", "1"), ("sort", "relevance")],
    ),
    ("storefront_listing", Access::Public, &[("id", "1")]),
    ("storefront_seller", Access::Public, &[("id", "1")]),
    // Trust & safety. Ids that do not exist answer 404 to an allowed caller; the suspension carries a
    // wrong password, so nothing is suspended by this test.
    (
        "report_target",
        Access::SignedIn,
        &[("target", "listing"), ("target_id", "1"), ("category", "fraud"), ("body", "authorization matrix report")],
    ),
    ("appeal_status", Access::Seller(SellerRight::AppealTakedown), &[("listing_id", "1")]),
    (
        "appeal_takedown",
        Access::Seller(SellerRight::AppealTakedown),
        &[("listing_id", "1"), ("body", "authorization matrix appeal")],
    ),
    (
        "list_reports",
        Access::Needs(permissions::REPORTS_VIEW),
        &[("kind", "report"), ("target", "listing"), ("category", "fraud"), ("status", "open")],
    ),
    ("report_queue_counters", Access::Needs(permissions::REPORTS_VIEW), &[]),
    // Curation (issue 13): the home page's featured listings and sections, and the listing directory.
    ("curation_overview", Access::Needs(permissions::CURATION_MANAGE), &[]),
    ("feature_listing", Access::Needs(permissions::CURATION_MANAGE), &[("listing_id", "1")]),
    ("unfeature_listing", Access::Needs(permissions::CURATION_MANAGE), &[("listing_id", "1")]),
    ("move_featured", Access::Needs(permissions::CURATION_MANAGE), &[("listing_id", "1"), ("direction", "up")]),
    ("save_home_section", Access::Needs(permissions::CURATION_MANAGE), &[("key", "featured"), ("visible", "1")]),
    ("move_home_section", Access::Needs(permissions::CURATION_MANAGE), &[("key", "newest"), ("direction", "down")]),
    ("list_listing_directory", Access::Needs(permissions::LISTINGS_VIEW), &[("status", "active")]),
    ("directory_listing", Access::Needs(permissions::LISTINGS_VIEW), &[("id", "1")]),
    (
        "directory_take_down",
        Access::Needs(permissions::LISTINGS_MANAGE),
        &[("id", "1"), ("reason", "authorization matrix")],
    ),
    (
        "directory_recategorize",
        Access::Needs(permissions::LISTINGS_MANAGE),
        &[("id", "1"), ("category_id", "1"), ("reason", "authorization matrix")],
    ),
    ("get_report", Access::Needs(permissions::REPORTS_VIEW), &[("id", "1")]),
    (
        "decide_report",
        Access::Needs(permissions::REPORTS_DECIDE),
        &[("id", "1"), ("resolution", "dismissed"), ("reason", "authorization matrix")],
    ),
    (
        "suspend_reported_seller",
        Access::Needs(permissions::REPORTS_DECIDE),
        &[("id", "1"), ("reason", "authorization matrix"), ("password", "wrong password")],
    ),
    // The seller center: the matrix's seller owns an active seller with no listings, so a listing id
    // that does not exist answers 404 (allowed but not found) and a valid new listing is created.
    (
        "save_listing",
        Access::Seller(SellerRight::EditListings),
        &[(
            "listing_json",
            r#"{"title":"Matrix tea","description":"","category_id":null,"price":"1","compare_at":"","stock":"1","weight_grams":"1","options":[],"variants":[],"images":[]}"#,
        )],
    ),
    ("submit_listing", Access::Seller(SellerRight::EditListings), &[("id", "1")]),
    ("get_my_listing", Access::Seller(SellerRight::ViewListings), &[("id", "1")]),
    ("list_my_listings", Access::Seller(SellerRight::ViewListings), &[("status", "draft")]),
    ("set_listing_availability", Access::Seller(SellerRight::EditListings), &[("id", "1"), ("active", "false")]),
    ("seller_home", Access::Seller(SellerRight::ViewListings), &[]),
    // Orders: buyers act on their own (someone else's is 404), sellers on their organisation's, the
    // console reads all. Numbers that do not exist answer 404 to those allowed.
    ("list_my_orders", Access::SignedIn, &[("status", "paid")]),
    ("get_my_order", Access::SignedIn, &[("number", "AG-20250101-00000001")]),
    ("confirm_order", Access::SignedIn, &[("number", "AG-20250101-00000001")]),
    ("cancel_order", Access::SignedIn, &[("number", "AG-20250101-00000001")]),
    ("list_seller_orders", Access::Seller(SellerRight::ViewOrders), &[("status", "paid")]),
    ("get_seller_order", Access::Seller(SellerRight::ViewOrders), &[("number", "AG-20250101-00000001")]),
    (
        "ship_order",
        Access::Seller(SellerRight::Ship),
        &[("number", "AG-20250101-00000001"), ("carrier", "sf"), ("tracking_number", "SF123456789")],
    ),
    (
        "console_list_orders",
        Access::Needs(permissions::ORDERS_VIEW),
        &[
            ("status", "paid"),
            ("buyer", "ann"),
            ("from", "2024-01-01"),
            ("to", "2099-12-31"),
            ("min", "1"),
            ("max", "100"),
        ],
    ),
    ("console_get_order", Access::Needs(permissions::ORDERS_VIEW), &[("number", "AG-20250101-00000001")]),
    // Payments (issue 4). The buyer's checkout id does not exist (404 when allowed); the bank account
    // carries a wrong password, so nothing is configured by this test.
    ("my_payment", Access::SignedIn, &[("checkout_id", "1")]),
    ("pay_with_sandbox", Access::SignedIn, &[("checkout_id", "1"), ("card_number", "4242 4242 4242 4242")]),
    ("list_payments", Access::Needs(permissions::PAYMENTS_VIEW), &[("status", "proof_submitted")]),
    ("get_payment", Access::Needs(permissions::PAYMENTS_VIEW), &[("id", "1")]),
    ("approve_payment", Access::Needs(permissions::PAYMENTS_APPROVE), &[("id", "1")]),
    (
        "reject_payment",
        Access::Needs(permissions::PAYMENTS_APPROVE),
        &[("id", "1"), ("reason", "authorization matrix")],
    ),
    ("payment_settings", Access::Needs(permissions::PAYMENT_SETTINGS_MANAGE), &[]),
    (
        "save_bank_account",
        Access::Needs(permissions::PAYMENT_SETTINGS_MANAGE),
        &[
            ("holder", "Agora Ltd"),
            ("bank_name", "Bank of Tests"),
            ("account_number", "6222 0000 1234 5678"),
            ("reason", "authorization matrix"),
            ("password", "wrong password"),
        ],
    ),
    // Ledger and commission rules (issue 4): finance reads the ledger and manages rules; sellers read
    // their own balance. The new rule's floor exceeds its cap (400 when allowed, nothing created);
    // activation carries a wrong password.
    ("ledger_overview", Access::Needs(permissions::LEDGER_VIEW), &[]),
    ("list_ledger_accounts", Access::Needs(permissions::LEDGER_VIEW), &[("kind", "liability")]),
    (
        "list_ledger_postings",
        Access::Needs(permissions::LEDGER_VIEW),
        &[("kind", "order_completed"), ("order", "AG-20250101-00000001"), ("account", "seller:1:pending")],
    ),
    ("verify_ledger", Access::Needs(permissions::LEDGER_VIEW), &[]),
    (
        "list_commission_rules",
        Access::Needs(permissions::COMMISSION_MANAGE),
        &[("scope", "default"), ("status", "active")],
    ),
    (
        "create_commission_rule",
        Access::Needs(permissions::COMMISSION_MANAGE),
        &[("scope", "default"), ("rate", "5"), ("fixed", "0"), ("floor", "10"), ("cap", "1"), ("note", "matrix")],
    ),
    (
        "activate_commission_rule",
        Access::Needs(permissions::COMMISSION_MANAGE),
        &[("id", "1"), ("reason", "authorization matrix"), ("password", "wrong password")],
    ),
    ("seller_balance", Access::Seller(SellerRight::ViewFinance), &[]),
    ("seller_ledger_history", Access::Seller(SellerRight::ViewFinance), &[]),
    // Ledger controls and reconciliation (issue 5): finance reads; the seller center's freeze banner.
    ("ledger_controls", Access::Needs(permissions::LEDGER_VIEW), &[]),
    ("seller_reconciliation", Access::Needs(permissions::LEDGER_VIEW), &[("q", "kiln")]),
    ("my_seller_freeze", Access::Seller(SellerRight::ViewFinance), &[]),
    // Payout accounts and payouts (issue 5): the seller's members read (masked), the owner changes
    // accounts (password again: a wrong one changes nothing) and requests payouts (the matrix seller
    // has no money: 400); finance reads the queue and decides (protected: wrong password), reveals.
    ("my_payout_accounts", Access::Seller(SellerRight::ViewFinance), &[]),
    (
        "add_payout_account",
        Access::Seller(SellerRight::ManagePayouts),
        &[("method", "paypal"), ("holder", "Li Wei"), ("account", "li@example.com"), ("password", "wrong password")],
    ),
    (
        "change_payout_account",
        Access::Seller(SellerRight::ManagePayouts),
        &[
            ("id", "1"),
            ("method", "paypal"),
            ("holder", "Li Wei"),
            ("account", "li@example.com"),
            ("password", "wrong password"),
        ],
    ),
    (
        "remove_payout_account",
        Access::Seller(SellerRight::ManagePayouts),
        &[("id", "1"), ("password", "wrong password")],
    ),
    ("seller_payouts", Access::Seller(SellerRight::ViewFinance), &[]),
    ("list_my_payouts", Access::Seller(SellerRight::ViewFinance), &[]),
    (
        "request_payout",
        Access::Seller(SellerRight::ManagePayouts),
        &[("idempotency_key", "matrix-payout-key-1"), ("amount", "10.00"), ("payout_account_id", "1")],
    ),
    ("payout_counters", Access::Needs(permissions::PAYOUTS_VIEW), &[]),
    (
        "list_payouts",
        Access::Needs(permissions::PAYOUTS_VIEW),
        &[("status", "requested"), ("seller", "tea"), ("flagged", "true"), ("frozen", "")],
    ),
    ("get_payout", Access::Needs(permissions::PAYOUTS_VIEW), &[("id", "1")]),
    (
        "reveal_payout_account",
        Access::Needs(permissions::PAYOUT_ACCOUNTS_REVEAL),
        &[("id", "1"), ("reason", "authorization matrix")],
    ),
    (
        "approve_payout",
        Access::Needs(permissions::PAYOUTS_APPROVE),
        &[("id", "1"), ("reason", "authorization matrix"), ("password", "wrong password")],
    ),
    (
        "mark_payout_paid",
        Access::Needs(permissions::PAYOUTS_APPROVE),
        &[
            ("id", "1"),
            ("external_reference", "TRX-0001"),
            ("reason", "authorization matrix"),
            ("password", "wrong password"),
        ],
    ),
    (
        "mark_payout_failed",
        Access::Needs(permissions::PAYOUTS_APPROVE),
        &[
            ("id", "1"),
            ("reason", "authorization matrix"),
            ("retry_condition", "after the account is fixed"),
            ("next_action", "seller_updates_account"),
            ("password", "wrong password"),
        ],
    ),
    (
        "reject_payout",
        Access::Needs(permissions::PAYOUTS_APPROVE),
        &[("id", "1"), ("reason", "authorization matrix"), ("password", "wrong password")],
    ),
    // Cart, address book and checkout (issue 4). The cart is public (a guest's lives behind a cookie);
    // a cart line that is not the caller's answers 404; a variant that does not exist answers 400.
    ("get_cart", Access::Public, &[]),
    ("cart_count", Access::Public, &[]),
    ("add_to_cart", Access::Public, &[("variant_id", "1"), ("quantity", "1")]),
    ("set_cart_quantity", Access::Public, &[("item_id", "1"), ("quantity", "2")]),
    ("remove_cart_item", Access::Public, &[("item_id", "1")]),
    ("select_cart_items", Access::Public, &[("item_id", "1"), ("selected", "true")]),
    ("accept_cart_price", Access::Public, &[("item_id", "1")]),
    ("list_addresses", Access::SignedIn, &[]),
    (
        "save_address",
        Access::SignedIn,
        &[
            ("recipient", "Li Wei"),
            ("phone", "+86 138 0000 0000"),
            ("line1", "88 Jianguo Road"),
            ("city", "Beijing"),
            ("country", "CN"),
        ],
    ),
    ("set_default_address", Access::SignedIn, &[("id", "1")]),
    ("remove_address", Access::SignedIn, &[("id", "1")]),
    ("checkout_preview", Access::SignedIn, &[]),
    (
        "checkout",
        Access::SignedIn,
        &[("idempotency_key", "authz-matrix-key"), ("address_id", "1"), ("payment_method", "bank_transfer")],
    ),
    // Disputes: the buyer opens one on their order, both sides read and write (anyone else gets 404);
    // the console reads with refunds.view, finance writes and decides (protected: a wrong password).
    ("open_dispute_form", Access::SignedIn, &[("order_number", "AG-20250101-00000001")]),
    (
        "open_dispute",
        Access::SignedIn,
        &[
            ("idempotency_key", "matrix-dispute-key-1"),
            ("order_number", "AG-20250101-00000001"),
            ("claim", "1.00"),
            ("reason_code", "damaged"),
            ("details", "authorization matrix details"),
        ],
    ),
    ("order_dispute_link", Access::SignedIn, &[("order_number", "AG-20250101-00000001")]),
    ("dispute_view", Access::SignedIn, &[("id", "1")]),
    ("add_dispute_message", Access::SignedIn, &[("id", "1"), ("body", "authorization matrix")]),
    (
        "console_list_disputes",
        Access::Needs(permissions::REFUNDS_VIEW),
        &[("status", "open"), ("seller", "tea"), ("past_sla", "1"), ("opened_by", "buyer")],
    ),
    ("console_dispute_counters", Access::Needs(permissions::REFUNDS_VIEW), &[]),
    ("console_get_dispute", Access::Needs(permissions::REFUNDS_VIEW), &[("id", "1")]),
    ("dispute_decision_preview", Access::Needs(permissions::REFUNDS_VIEW), &[("id", "1"), ("amount", "1.00")]),
    ("add_operator_dispute_message", Access::Needs(permissions::DISPUTES_DECIDE), &[("id", "1"), ("body", "matrix")]),
    (
        "decide_dispute",
        Access::Needs(permissions::DISPUTES_DECIDE),
        &[
            ("id", "1"),
            ("decision", "refund_full"),
            ("amount", ""),
            ("reason", "authorization matrix"),
            ("password", "wrong password"),
            ("idempotency_key", "matrix-decision-key-1"),
        ],
    ),
    // Refunds (issue 5): buyers on their own orders (someone else's is 404), sellers on their own
    // organisation's refunds, the console read-only with refunds.view.
    ("get_refund_form", Access::SignedIn, &[("number", "AG-20250101-00000001")]),
    (
        "request_refund",
        Access::SignedIn,
        &[
            ("idempotency_key", "authz-matrix-key"),
            ("order_number", "AG-20250101-00000001"),
            ("amount", "1.00"),
            ("reason_code", "damaged"),
            ("details", "authorization matrix"),
        ],
    ),
    ("withdraw_refund", Access::SignedIn, &[("id", "1")]),
    ("escalate_refund", Access::SignedIn, &[("id", "1")]),
    ("my_order_refunds", Access::SignedIn, &[("number", "AG-20250101-00000001")]),
    ("seller_order_refunds", Access::Seller(SellerRight::ViewOrders), &[("number", "AG-20250101-00000001")]),
    ("list_seller_refunds", Access::Seller(SellerRight::ViewOrders), &[("status", "requested")]),
    ("get_seller_refund", Access::Seller(SellerRight::ViewOrders), &[("id", "1")]),
    ("accept_refund", Access::Seller(SellerRight::AnswerRefunds), &[("id", "1")]),
    ("refuse_refund", Access::Seller(SellerRight::AnswerRefunds), &[("id", "1"), ("reason", "authorization matrix")]),
    ("console_refund_counters", Access::Needs(permissions::REFUNDS_VIEW), &[]),
    (
        "console_list_refunds",
        Access::Needs(permissions::REFUNDS_VIEW),
        &[("status", "requested"), ("seller", "tea"), ("overdue", "1")],
    ),
    ("console_get_refund", Access::Needs(permissions::REFUNDS_VIEW), &[("id", "1")]),
    // The delivery desk (issue 12): replays and clearing a suppression are protected (a wrong
    // password changes nothing).
    ("delivery_desk_counters", Access::Needs(permissions::DELIVERY_VIEW), &[]),
    (
        "list_deliveries",
        Access::Needs(permissions::DELIVERY_VIEW),
        &[("channel", "email"), ("status", "exhausted"), ("event", "orders."), ("recipient", "ann")],
    ),
    ("get_delivery", Access::Needs(permissions::DELIVERY_VIEW), &[("id", "1")]),
    (
        "replay_delivery",
        Access::Needs(permissions::DELIVERY_MANAGE),
        &[("id", "1"), ("reason", "authorization matrix"), ("password", "wrong password")],
    ),
    (
        "replay_deliveries",
        Access::Needs(permissions::DELIVERY_MANAGE),
        &[("status", "failed"), ("reason", "authorization matrix"), ("password", "wrong password")],
    ),
    ("list_suppressions", Access::Needs(permissions::DELIVERY_VIEW), &[]),
    // The template editor (issue 12).
    ("list_templates", Access::Needs(permissions::TEMPLATES_MANAGE), &[("event", "orders.")]),
    ("missing_templates", Access::Needs(permissions::TEMPLATES_MANAGE), &[]),
    ("get_template", Access::Needs(permissions::TEMPLATES_MANAGE), &[("id", "1")]),
    (
        "preview_template",
        Access::Needs(permissions::TEMPLATES_MANAGE),
        &[("id", "1"), ("subject", "s"), ("body_text", "t"), ("body_html", "<p>h</p>")],
    ),
    // Template 1 does not exist in the matrix's database (ids start far higher): nothing is saved.
    (
        "save_template",
        Access::Needs(permissions::TEMPLATES_MANAGE),
        &[("id", "1"), ("subject", "s"), ("body_text", "t"), ("body_html", "<p>h</p>")],
    ),
    ("restore_template", Access::Needs(permissions::TEMPLATES_MANAGE), &[("id", "1"), ("version", "1")]),
    ("send_template_test", Access::Needs(permissions::TEMPLATES_MANAGE), &[("id", "1")]),
    (
        "clear_suppression",
        Access::Needs(permissions::DELIVERY_MANAGE),
        &[("address", "gone@example.com"), ("reason", "authorization matrix"), ("password", "wrong password")],
    ),
    // Webhooks: a seller organisation's owner manages its endpoints, `webhooks.manage` the
    // platform's. Ids that do not exist answer 404 to an allowed caller; the endpoint added here
    // receives nothing (no event is published by this test).
    ("my_webhook_endpoints", Access::Seller(SellerRight::ManageWebhooks), &[]),
    ("create_webhook_endpoint", Access::Seller(SellerRight::ManageWebhooks), &[("url", "https://example.com/hooks")]),
    (
        "update_webhook_endpoint",
        Access::Seller(SellerRight::ManageWebhooks),
        &[("id", "1"), ("url", "https://example.com/hooks")],
    ),
    ("set_webhook_endpoint_enabled", Access::Seller(SellerRight::ManageWebhooks), &[("id", "1"), ("enabled", "false")]),
    ("delete_webhook_endpoint", Access::Seller(SellerRight::ManageWebhooks), &[("id", "1")]),
    ("rotate_webhook_secret", Access::Seller(SellerRight::ManageWebhooks), &[("id", "1")]),
    ("send_webhook_test", Access::Seller(SellerRight::ManageWebhooks), &[("id", "1")]),
    ("webhook_attempts", Access::Seller(SellerRight::ManageWebhooks), &[("id", "1")]),
    ("replay_webhook_message", Access::Seller(SellerRight::ManageWebhooks), &[("id", "1"), ("outbox_id", "1")]),
    (
        "replay_webhook_failed_since",
        Access::Seller(SellerRight::ManageWebhooks),
        &[("id", "1"), ("since", "2026-01-01T00:00")],
    ),
    ("console_webhook_endpoints", Access::Needs(permissions::WEBHOOKS_MANAGE), &[]),
    (
        "console_create_webhook_endpoint",
        Access::Needs(permissions::WEBHOOKS_MANAGE),
        &[("url", "https://example.com/hooks")],
    ),
    (
        "console_update_webhook_endpoint",
        Access::Needs(permissions::WEBHOOKS_MANAGE),
        &[("id", "1"), ("url", "https://example.com/hooks")],
    ),
    (
        "console_set_webhook_endpoint_enabled",
        Access::Needs(permissions::WEBHOOKS_MANAGE),
        &[("id", "1"), ("enabled", "false")],
    ),
    ("console_delete_webhook_endpoint", Access::Needs(permissions::WEBHOOKS_MANAGE), &[("id", "1")]),
    ("console_rotate_webhook_secret", Access::Needs(permissions::WEBHOOKS_MANAGE), &[("id", "1")]),
    ("console_send_webhook_test", Access::Needs(permissions::WEBHOOKS_MANAGE), &[("id", "1")]),
    ("console_webhook_attempts", Access::Needs(permissions::WEBHOOKS_MANAGE), &[("id", "1")]),
    ("console_replay_webhook_message", Access::Needs(permissions::WEBHOOKS_MANAGE), &[("id", "1"), ("outbox_id", "1")]),
    (
        "console_replay_webhook_failed_since",
        Access::Needs(permissions::WEBHOOKS_MANAGE),
        &[("id", "1"), ("since", "2026-01-01T00:00")],
    ),
    // Launch readiness (issue 13): operators with readiness.view read it; deferring and ending a
    // deferral are protected (a wrong password: 400 when allowed, nothing deferred).
    ("get_readiness", Access::Needs(permissions::READINESS_VIEW), &[]),
    (
        "defer_readiness_check",
        Access::Needs(permissions::READINESS_MANAGE),
        &[
            ("check", "identity.signup_policy"),
            ("owner", "nobody@agora.test"),
            ("expires", "2100-01-01"),
            ("reason", "authorization matrix"),
            ("password", "wrong password"),
        ],
    ),
    (
        "end_readiness_deferral",
        Access::Needs(permissions::READINESS_MANAGE),
        &[("check", "identity.signup_policy"), ("reason", "authorization matrix"), ("password", "wrong password")],
    ),
];

fn lookup(endpoint: &str) -> Option<&'static Row> {
    MATRIX.iter().find(|(e, _, _)| *e == endpoint)
}

#[test]
fn every_server_function_has_a_row() {
    let registered: Vec<String> =
        server_fn::axum::server_fn_paths().map(|(path, _)| path.trim_start_matches("/api/").to_string()).collect();
    assert!(!registered.is_empty(), "no server functions registered");
    let missing: Vec<&String> = registered.iter().filter(|p| lookup(p).is_none()).collect();
    assert!(missing.is_empty(), "server functions without an authorization row: {missing:?}");
    let stale: Vec<&str> = MATRIX.iter().map(|(e, _, _)| *e).filter(|e| !registered.iter().any(|r| r == e)).collect();
    assert!(stale.is_empty(), "rows for server functions that do not exist: {stale:?}");
}

/// The callers: anonymous, a buyer, a seller (owner of an organisation), a staff member of that
/// organisation, each built-in operator role alone (expected: its default grants, which a fresh
/// installation stores) and a holder of the custom role (`create_catalog_assistant` first).
async fn personas(app: &TestApp) -> Vec<(String, Option<PermissionSet>, Persona)> {
    let mut out = vec![("anonymous".to_string(), None, app.anonymous())];
    out.push(("buyer".to_string(), Some(PermissionSet::default()), app.persona("buyer", &[]).await));
    let seller = app.persona("seller", &[]).await;
    let org = app.organisation_owned_by(&seller, "Seller Co").await;
    out.push(("seller".to_string(), Some(PermissionSet::default()), seller));
    out.push(("staff".to_string(), Some(PermissionSet::default()), app.seller_staff(org, "staff").await));
    for role in OperatorRole::ALL {
        let grants = PermissionSet::defaults_of(&[role]);
        out.push((role.as_str().to_string(), Some(grants), app.persona(role.as_str(), &[role]).await));
    }
    let assistant = app.persona_holding(CATALOG_ASSISTANT, &[CATALOG_ASSISTANT]).await;
    out.push((CATALOG_ASSISTANT.to_string(), Some(catalog_assistant_grants()), assistant));
    out
}

/// The matrix's custom role: what a catalog assistant needs and nothing else.
const CATALOG_ASSISTANT: &str = "catalog_assistant";

fn catalog_assistant_grants() -> PermissionSet {
    [
        permissions::CONSOLE_VIEW,
        permissions::LISTINGS_VIEW,
        permissions::LISTINGS_REVIEW,
        permissions::CATEGORIES_MANAGE,
    ]
    .into_iter()
    .collect()
}

/// Makes the custom role through the role editor, as a super admin would.
async fn create_catalog_assistant(app: &TestApp) {
    let admin = app.persona("roles-admin", &[OperatorRole::SuperAdmin]).await;
    ok(
        app,
        &admin,
        "create_role",
        &[
            ("name", CATALOG_ASSISTANT),
            ("grants[]", "listings.view"),
            ("grants[]", "listings.review"),
            ("grants[]", "categories.manage"),
            ("reason", "the authorization matrix's custom role"),
            ("password", PASSWORD),
        ],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_caller_gets_exactly_what_the_matrix_grants() {
    // Every role calling every function from one address: a crowd, for the rate limits.
    let app = TestApp::spawn_with(&CROWD).await;
    create_catalog_assistant(&app).await;
    let mut failures = vec![];
    for (endpoint, access, body) in MATRIX {
        // Fresh callers per endpoint: an earlier call (sign out, a ban) must not change a later one.
        for (who, roles, persona) in personas(&app).await {
            let (status, _) = app.call(&persona, endpoint, body).await;
            let expected_denial = match (access, &roles) {
                (Access::Public, _) => None,
                (_, None) => Some(StatusCode::UNAUTHORIZED),
                (Access::SignedIn, Some(_)) => None,
                (Access::Seller(_), Some(_)) if who == "seller" => None,
                (Access::Seller(right), Some(_)) if who == "staff" && MemberRole::Staff.may(*right) => None,
                (Access::Seller(_), Some(_)) => Some(StatusCode::FORBIDDEN),
                (Access::Needs(p), Some(granted)) if granted.contains(*p) => None,
                (Access::Needs(_), Some(_)) => Some(StatusCode::FORBIDDEN),
            };
            let ok = match expected_denial {
                Some(denied) => status == denied,
                None => status != StatusCode::UNAUTHORIZED && status != StatusCode::FORBIDDEN,
            };
            if !ok {
                failures.push(format!(
                    "{endpoint} as {who}: got {status}, expected {}",
                    match expected_denial {
                        Some(s) => s.to_string(),
                        None => "allowed".into(),
                    }
                ));
            }
        }
    }
    assert!(failures.is_empty(), "authorization mismatches:\n{}", failures.join("\n"));
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cross_origin_post_to_every_server_function_is_refused() {
    let app = TestApp::spawn().await;
    let admin = app.persona("admin", &[OperatorRole::SuperAdmin]).await;
    for (endpoint, _, body) in MATRIX {
        let res = admin
            .client
            .post(app.url(&format!("/api/{endpoint}")))
            .header("Origin", "https://evil.example")
            .form(body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{endpoint} accepted a cross-origin POST");
        let res = admin
            .client
            .post(app.url(&format!("/api/{endpoint}")))
            .header("Sec-Fetch-Site", "cross-site")
            .form(body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{endpoint} accepted a cross-site POST");
    }
    app.finish().await;
}

/// Every console page and its place in the navigation against every operator role and the custom one:
/// a page opens (not 403) exactly for the callers whose stored grants include its permission, and the
/// sidebar links exactly those pages.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_console_page_follows_the_stored_grants() {
    let app = TestApp::spawn().await;
    create_catalog_assistant(&app).await;
    let mut failures = vec![];
    for (who, granted, persona) in personas(&app).await {
        let Some(granted) = granted.filter(|g| g.contains(permissions::CONSOLE_VIEW)) else { continue };
        let home = page(&app, &persona, "/console").await;
        for section in agora_app::registry::console_sections() {
            let allowed = granted.contains(section.permission);
            let linked = home.1.contains(&format!("href=\"{}\"", section.path));
            if linked != allowed {
                failures.push(format!(
                    "{who}: the sidebar {} {}",
                    if linked { "links" } else { "lacks" },
                    section.path
                ));
            }
            let (status, _) = page(&app, &persona, section.path).await;
            if (status == StatusCode::FORBIDDEN) == allowed || !(status.is_success() || status == StatusCode::FORBIDDEN)
            {
                failures.push(format!("{who}: {} answered {status}", section.path));
            }
        }
    }
    assert!(failures.is_empty(), "console pages not following the grants:\n{}", failures.join("\n"));
    app.finish().await;
}

async fn page(app: &TestApp, who: &Persona, path: &str) -> (StatusCode, String) {
    let res = who.client.get(app.url(path)).timeout(std::time::Duration::from_secs(30)).send().await.unwrap();
    let status = res.status();
    (status, res.text().await.unwrap())
}
