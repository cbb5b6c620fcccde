//! Roles and the permission catalog. A permission is a resource and an action; every server function
//! and console page names the one it needs, and anything not granted here is denied.

use serde::{Deserialize, Serialize};

/// The platform team's roles (DESIGN.md). An operator may hold several.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum OperatorRole {
    SuperAdmin,
    Admin,
    Reviewer,
    Finance,
    Support,
    Analyst,
    Tech,
}

impl OperatorRole {
    pub const ALL: [OperatorRole; 7] = [
        OperatorRole::SuperAdmin,
        OperatorRole::Admin,
        OperatorRole::Reviewer,
        OperatorRole::Finance,
        OperatorRole::Support,
        OperatorRole::Analyst,
        OperatorRole::Tech,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OperatorRole::SuperAdmin => "super_admin",
            OperatorRole::Admin => "admin",
            OperatorRole::Reviewer => "reviewer",
            OperatorRole::Finance => "finance",
            OperatorRole::Support => "support",
            OperatorRole::Analyst => "analyst",
            OperatorRole::Tech => "tech",
        }
    }

    pub fn parse(s: &str) -> Option<OperatorRole> {
        OperatorRole::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Resource {
    Console,
    Users,
    Roles,
    Organisations,
    Audit,
    Sellers,
    Listings,
    Categories,
    Reports,
    Orders,
    Payments,
    Ledger,
    Commission,
    PaymentSettings,
    Refunds,
    Disputes,
    Payouts,
    PayoutAccounts,
    Delivery,
    Templates,
    Webhooks,
    /// Launch readiness (issue 13).
    Readiness,
    /// KPIs, trend charts and reports (issue 13).
    Analytics,
    /// CSV exports of orders, ledger, payouts... (issue 13).
    Exports,
    /// The home page's featured listings and section order (issue 13).
    Curation,
    /// The runtime settings centre and maintenance mode (issue 15).
    Settings,
    /// Alert rules, their silences and the incidents they open (issue 15).
    Alerts,
    /// The risk desk's signals (issue 15).
    Risk,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Action {
    View,
    Ban,
    Assign,
    Export,
    Verify,
    Decide,
    Suspend,
    Review,
    Block,
    Manage,
    Approve,
    Reveal,
}

/// `resource.action`, e.g. `users.ban`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Permission {
    pub resource: Resource,
    pub action: Action,
}

const fn perm(resource: Resource, action: Action) -> Permission {
    Permission { resource, action }
}

pub const CONSOLE_VIEW: Permission = perm(Resource::Console, Action::View);
/// The delivery desk: every outgoing message (in-app, email, webhook), its attempts, the suppression list.
pub const DELIVERY_VIEW: Permission = perm(Resource::Delivery, Action::View);
/// Send failed messages again, clear a suppressed address.
pub const DELIVERY_MANAGE: Permission = perm(Resource::Delivery, Action::Manage);
/// Edit the message templates (every save a new version, audited).
pub const TEMPLATES_MANAGE: Permission = perm(Resource::Templates, Action::Manage);
pub const USERS_VIEW: Permission = perm(Resource::Users, Action::View);
pub const USERS_BAN: Permission = perm(Resource::Users, Action::Ban);
/// Create accounts (by invitation) and reset their passwords.
pub const USERS_MANAGE: Permission = perm(Resource::Users, Action::Manage);
/// Seeing a user's full phone number (audited; everyone else with `users.view` sees it masked).
pub const USERS_REVEAL: Permission = perm(Resource::Users, Action::Reveal);
pub const ROLES_ASSIGN: Permission = perm(Resource::Roles, Action::Assign);
/// Create custom roles, change any role's grants, delete a custom role (`/console/roles`).
pub const ROLES_MANAGE: Permission = perm(Resource::Roles, Action::Manage);
pub const ORGANISATIONS_VIEW: Permission = perm(Resource::Organisations, Action::View);
pub const AUDIT_VIEW: Permission = perm(Resource::Audit, Action::View);
pub const AUDIT_EXPORT: Permission = perm(Resource::Audit, Action::Export);
pub const AUDIT_VERIFY: Permission = perm(Resource::Audit, Action::Verify);
/// The seller applications queue and seller pages.
pub const SELLERS_VIEW: Permission = perm(Resource::Sellers, Action::View);
/// Return, approve, reject and activate an application.
pub const SELLERS_DECIDE: Permission = perm(Resource::Sellers, Action::Decide);
/// Suspend and reinstate an active seller (protected).
pub const SELLERS_SUSPEND: Permission = perm(Resource::Sellers, Action::Suspend);
/// The listing review queue: read it, approve and reject.
pub const LISTINGS_VIEW: Permission = perm(Resource::Listings, Action::View);
pub const LISTINGS_REVIEW: Permission = perm(Resource::Listings, Action::Review);
/// Block a listing for good (protected).
pub const LISTINGS_BLOCK: Permission = perm(Resource::Listings, Action::Block);
pub const CATEGORIES_MANAGE: Permission = perm(Resource::Categories, Action::Manage);
/// The trust & safety queue of reports and appeals, and deciding them.
pub const REPORTS_VIEW: Permission = perm(Resource::Reports, Action::View);
pub const REPORTS_DECIDE: Permission = perm(Resource::Reports, Action::Decide);
/// Orders of every buyer and seller in the console.
pub const ORDERS_VIEW: Permission = perm(Resource::Orders, Action::View);
/// The payments queue; approving or rejecting a bank transfer.
pub const PAYMENTS_VIEW: Permission = perm(Resource::Payments, Action::View);
pub const PAYMENTS_APPROVE: Permission = perm(Resource::Payments, Action::Approve);
/// Ledger accounts, postings and the trial balance.
pub const LEDGER_VIEW: Permission = perm(Resource::Ledger, Action::View);
/// Creating and activating commission rule versions (protected).
pub const COMMISSION_MANAGE: Permission = perm(Resource::Commission, Action::Manage);
/// The platform's bank account buyers pay into (protected: a configuration change).
pub const PAYMENT_SETTINGS_MANAGE: Permission = perm(Resource::PaymentSettings, Action::Manage);

/// The refund and dispute queues (read).
pub const REFUNDS_VIEW: Permission = perm(Resource::Refunds, Action::View);
/// Deciding a dispute: refund the buyer in full or in part, or side with the seller (protected).
pub const DISPUTES_DECIDE: Permission = perm(Resource::Disputes, Action::Decide);
/// The payout queue and sellers' payout requests (read).
pub const PAYOUTS_VIEW: Permission = perm(Resource::Payouts, Action::View);
/// Approving, paying, failing and rejecting payouts: finance only.
pub const PAYOUTS_APPROVE: Permission = perm(Resource::Payouts, Action::Approve);
/// Seeing a payout account's full number (audited).
pub const PAYOUT_ACCOUNTS_REVEAL: Permission = perm(Resource::PayoutAccounts, Action::Reveal);
/// The platform's webhook endpoints in the console: add, change, rotate, test, replay (admin, tech).
pub const WEBHOOKS_MANAGE: Permission = perm(Resource::Webhooks, Action::Manage);
/// Launch readiness: the checks and their evidence (read).
pub const READINESS_VIEW: Permission = perm(Resource::Readiness, Action::View);
/// Deferring a readiness check, or ending a deferral (protected: reason + password, owner, expiry).
pub const READINESS_MANAGE: Permission = perm(Resource::Readiness, Action::Manage);
/// The command center's KPI cards and charts, and the reports (revenue, sellers, SLA).
pub const ANALYTICS_VIEW: Permission = perm(Resource::Analytics, Action::View);
/// Exporting data as CSV. Each dataset also needs its own view permission (orders.view for orders...),
/// and a dataset holding personal data also needs reason + password.
pub const EXPORTS_EXPORT: Permission = perm(Resource::Exports, Action::Export);
/// Featuring listings on the home page and ordering its sections, with schedules.
pub const CURATION_MANAGE: Permission = perm(Resource::Curation, Action::Manage);
/// The console's listing directory: take a live listing down (appealable) or correct its category.
pub const LISTINGS_MANAGE: Permission = perm(Resource::Listings, Action::Manage);
/// The settings centre: every runtime setting, where its value comes from, its versions (read).
pub const SETTINGS_VIEW: Permission = perm(Resource::Settings, Action::View);
/// Changing a runtime setting, rolling a version back, maintenance mode (protected, audited).
pub const SETTINGS_MANAGE: Permission = perm(Resource::Settings, Action::Manage);

/// Alert rules and incidents (read): admin, tech.
pub const ALERTS_VIEW: Permission = perm(Resource::Alerts, Action::View);
/// Creating, switching and silencing alert rules; acknowledging, noting and resolving incidents (tech).
pub const ALERTS_MANAGE: Permission = perm(Resource::Alerts, Action::Manage);

/// The risk desk's signals and their evidence (read): admin, reviewer, finance.
pub const RISK_VIEW: Permission = perm(Resource::Risk, Action::View);
/// Taking, acknowledging, noting and resolving risk signals: admin, reviewer, finance.
pub const RISK_MANAGE: Permission = perm(Resource::Risk, Action::Manage);

/// Every permission, for the catalog page and the authorization matrix test.
pub const ALL_PERMISSIONS: [Permission; 47] = [
    CONSOLE_VIEW,
    USERS_VIEW,
    USERS_BAN,
    USERS_MANAGE,
    USERS_REVEAL,
    ROLES_ASSIGN,
    ROLES_MANAGE,
    ORGANISATIONS_VIEW,
    AUDIT_VIEW,
    AUDIT_EXPORT,
    AUDIT_VERIFY,
    SELLERS_VIEW,
    SELLERS_DECIDE,
    SELLERS_SUSPEND,
    LISTINGS_VIEW,
    LISTINGS_REVIEW,
    LISTINGS_BLOCK,
    CATEGORIES_MANAGE,
    REPORTS_VIEW,
    REPORTS_DECIDE,
    ORDERS_VIEW,
    PAYMENTS_VIEW,
    PAYMENTS_APPROVE,
    LEDGER_VIEW,
    COMMISSION_MANAGE,
    PAYMENT_SETTINGS_MANAGE,
    REFUNDS_VIEW,
    DISPUTES_DECIDE,
    PAYOUTS_VIEW,
    PAYOUTS_APPROVE,
    PAYOUT_ACCOUNTS_REVEAL,
    DELIVERY_VIEW,
    DELIVERY_MANAGE,
    TEMPLATES_MANAGE,
    WEBHOOKS_MANAGE,
    READINESS_VIEW,
    READINESS_MANAGE,
    ANALYTICS_VIEW,
    EXPORTS_EXPORT,
    CURATION_MANAGE,
    LISTINGS_MANAGE,
    SETTINGS_VIEW,
    SETTINGS_MANAGE,
    ALERTS_VIEW,
    ALERTS_MANAGE,
    RISK_VIEW,
    RISK_MANAGE,
];

/// Permissions only `super_admin` holds: who decides the roles could otherwise grant themselves
/// everything, so no other role, built-in or custom, may be given them.
pub const RESERVED_TO_SUPER_ADMIN: [Permission; 2] = [ROLES_ASSIGN, ROLES_MANAGE];

/// Permissions that reveal personal data, move money, change the platform's configuration or take
/// someone's access away: the role editor marks them, so a grant of one is a deliberate act.
pub const SENSITIVE: [Permission; 15] = [
    USERS_BAN,
    USERS_MANAGE,
    USERS_REVEAL,
    ROLES_ASSIGN,
    ROLES_MANAGE,
    AUDIT_EXPORT,
    SELLERS_SUSPEND,
    PAYMENTS_APPROVE,
    COMMISSION_MANAGE,
    PAYMENT_SETTINGS_MANAGE,
    DISPUTES_DECIDE,
    PAYOUTS_APPROVE,
    PAYOUT_ACCOUNTS_REVEAL,
    EXPORTS_EXPORT,
    SETTINGS_MANAGE,
];

impl Permission {
    pub fn is_sensitive(self) -> bool {
        SENSITIVE.contains(&self)
    }

    /// Its place in `ALL_PERMISSIONS`: its bit in a `PermissionSet`.
    fn index(self) -> usize {
        ALL_PERMISSIONS.iter().position(|p| *p == self).expect("every permission is in the catalog")
    }

    /// The resource part of the name (`users` of `users.ban`), for grouping the catalog.
    pub fn resource_name(self) -> &'static str {
        self.parts().0
    }

    pub fn name(self) -> String {
        let (resource, action) = self.parts();
        format!("{resource}.{action}")
    }

    fn parts(self) -> (&'static str, &'static str) {
        let resource = match self.resource {
            Resource::Console => "console",
            Resource::Users => "users",
            Resource::Roles => "roles",
            Resource::Organisations => "organisations",
            Resource::Audit => "audit",
            Resource::Sellers => "sellers",
            Resource::Listings => "listings",
            Resource::Categories => "categories",
            Resource::Reports => "reports",
            Resource::Orders => "orders",
            Resource::Payments => "payments",
            Resource::Ledger => "ledger",
            Resource::Commission => "commission",
            Resource::PaymentSettings => "payment_settings",
            Resource::Refunds => "refunds",
            Resource::Disputes => "disputes",
            Resource::Payouts => "payouts",
            Resource::PayoutAccounts => "payout_accounts",
            Resource::Delivery => "delivery",
            Resource::Templates => "templates",
            Resource::Webhooks => "webhooks",
            Resource::Readiness => "readiness",
            Resource::Analytics => "analytics",
            Resource::Exports => "exports",
            Resource::Curation => "curation",
            Resource::Settings => "settings",
            Resource::Alerts => "alerts",
            Resource::Risk => "risk",
        };
        let action = match self.action {
            Action::View => "view",
            Action::Ban => "ban",
            Action::Assign => "assign",
            Action::Export => "export",
            Action::Verify => "verify",
            Action::Decide => "decide",
            Action::Suspend => "suspend",
            Action::Review => "review",
            Action::Block => "block",
            Action::Manage => "manage",
            Action::Approve => "approve",
            Action::Reveal => "reveal",
        };
        (resource, action)
    }
}

/// The permissions a caller holds, read from the stored grants of their roles on every request: one
/// bit per catalog entry, so it is cheap to carry to the browser (the console's navigation) and to test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PermissionSet(u64);

const _: () = assert!(ALL_PERMISSIONS.len() <= 64, "PermissionSet holds 64 permissions: widen it");

impl PermissionSet {
    pub fn contains(self, p: Permission) -> bool {
        self.0 & (1 << p.index()) != 0
    }

    pub fn insert(&mut self, p: Permission) {
        self.0 |= 1 << p.index();
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn iter(self) -> impl Iterator<Item = Permission> {
        ALL_PERMISSIONS.into_iter().filter(move |p| self.contains(*p))
    }

    /// The built-in defaults of `roles` (a fresh installation's grants).
    pub fn defaults_of(roles: &[OperatorRole]) -> PermissionSet {
        roles.iter().flat_map(|r| grants(*r).iter().copied()).collect()
    }
}

impl Extend<Permission> for PermissionSet {
    fn extend<I: IntoIterator<Item = Permission>>(&mut self, iter: I) {
        for p in iter {
            self.insert(p);
        }
    }
}

impl FromIterator<Permission> for PermissionSet {
    fn from_iter<I: IntoIterator<Item = Permission>>(iter: I) -> Self {
        let mut set = PermissionSet::default();
        set.extend(iter);
        set
    }
}

/// The built-in roles' default grants: what a fresh installation stores for each (`role_grants`,
/// seeded at start-up; a super admin changes them from there, and the stored grants are what counts).
/// The catalog: what each role grants. Exporting the audit log is personal data leaving the system,
/// so only super admins may; analysts read everything and change nothing; reviewers (trust & safety)
/// decide listings, sellers' applications and reports; the category tree is operations' (admin);
/// money leaves the platform (payouts, dispute refunds, revealing payout accounts) only by finance.
pub fn grants(role: OperatorRole) -> &'static [Permission] {
    use OperatorRole::*;
    match role {
        SuperAdmin => &ALL_PERMISSIONS,
        Admin => &[
            CONSOLE_VIEW,
            USERS_VIEW,
            USERS_BAN,
            USERS_MANAGE,
            USERS_REVEAL,
            ORGANISATIONS_VIEW,
            AUDIT_VIEW,
            AUDIT_VERIFY,
            SELLERS_VIEW,
            SELLERS_DECIDE,
            SELLERS_SUSPEND,
            LISTINGS_VIEW,
            LISTINGS_REVIEW,
            LISTINGS_BLOCK,
            CATEGORIES_MANAGE,
            REPORTS_VIEW,
            REPORTS_DECIDE,
            ORDERS_VIEW,
            PAYMENTS_VIEW,
            LEDGER_VIEW,
            REFUNDS_VIEW,
            PAYOUTS_VIEW,
            DELIVERY_VIEW,
            DELIVERY_MANAGE,
            TEMPLATES_MANAGE,
            WEBHOOKS_MANAGE,
            READINESS_VIEW,
            READINESS_MANAGE,
            ANALYTICS_VIEW,
            EXPORTS_EXPORT,
            CURATION_MANAGE,
            LISTINGS_MANAGE,
            SETTINGS_VIEW,
            ALERTS_VIEW,
            RISK_VIEW,
            RISK_MANAGE,
        ],
        Reviewer => &[
            CONSOLE_VIEW,
            SELLERS_VIEW,
            SELLERS_DECIDE,
            SELLERS_SUSPEND,
            LISTINGS_VIEW,
            LISTINGS_REVIEW,
            LISTINGS_BLOCK,
            REPORTS_VIEW,
            REPORTS_DECIDE,
            LISTINGS_MANAGE,
            RISK_VIEW,
            RISK_MANAGE,
        ],
        Finance => &[
            CONSOLE_VIEW,
            ORGANISATIONS_VIEW,
            SELLERS_VIEW,
            ORDERS_VIEW,
            PAYMENTS_VIEW,
            PAYMENTS_APPROVE,
            LEDGER_VIEW,
            COMMISSION_MANAGE,
            PAYMENT_SETTINGS_MANAGE,
            REFUNDS_VIEW,
            DISPUTES_DECIDE,
            PAYOUTS_VIEW,
            PAYOUTS_APPROVE,
            PAYOUT_ACCOUNTS_REVEAL,
            ANALYTICS_VIEW,
            EXPORTS_EXPORT,
            RISK_VIEW,
            RISK_MANAGE,
        ],
        Support => &[
            CONSOLE_VIEW,
            USERS_VIEW,
            USERS_REVEAL,
            ORGANISATIONS_VIEW,
            SELLERS_VIEW,
            LISTINGS_VIEW,
            REPORTS_VIEW,
            ORDERS_VIEW,
            PAYMENTS_VIEW,
            REFUNDS_VIEW,
            DELIVERY_VIEW,
        ],
        Analyst => &[
            CONSOLE_VIEW,
            USERS_VIEW,
            ORGANISATIONS_VIEW,
            AUDIT_VIEW,
            AUDIT_VERIFY,
            SELLERS_VIEW,
            LISTINGS_VIEW,
            REPORTS_VIEW,
            ORDERS_VIEW,
            PAYMENTS_VIEW,
            LEDGER_VIEW,
            REFUNDS_VIEW,
            PAYOUTS_VIEW,
            DELIVERY_VIEW,
            READINESS_VIEW,
            ANALYTICS_VIEW,
        ],
        // Tech keeps the pipes running: the delivery desk and the platform's webhooks are theirs as
        // much as operations'.
        // Launch readiness is theirs too: most of its checks are about configuration and the pipes;
        // and so is the settings centre (issue 15): the runtime configuration and maintenance mode.
        Tech => &[
            CONSOLE_VIEW,
            AUDIT_VIEW,
            AUDIT_VERIFY,
            DELIVERY_VIEW,
            DELIVERY_MANAGE,
            WEBHOOKS_MANAGE,
            READINESS_VIEW,
            READINESS_MANAGE,
            SETTINGS_VIEW,
            SETTINGS_MANAGE,
            ALERTS_VIEW,
            ALERTS_MANAGE,
        ],
    }
}

/// Deny by default: allowed only when one of the roles grants it by default (the stored grants of a
/// caller are `PermissionSet`; this answers for a fresh installation).
pub fn allows(roles: &[OperatorRole], permission: Permission) -> bool {
    roles.iter().any(|r| grants(*r).contains(&permission))
}

/// Roles a caller may hand out: only super admins change roles at all, and they may grant any.
pub fn may_assign(assigner_roles: &[OperatorRole]) -> bool {
    allows(assigner_roles, ROLES_ASSIGN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nobody_without_a_role_may_do_anything() {
        for p in ALL_PERMISSIONS {
            assert!(!allows(&[], p), "{} allowed with no role", p.name());
        }
    }

    #[test]
    fn a_super_admin_may_do_everything() {
        for p in ALL_PERMISSIONS {
            assert!(allows(&[OperatorRole::SuperAdmin], p));
        }
    }

    #[test]
    fn a_reviewer_cannot_open_the_users_directory() {
        assert!(allows(&[OperatorRole::Reviewer], CONSOLE_VIEW));
        assert!(!allows(&[OperatorRole::Reviewer], USERS_VIEW));
    }

    #[test]
    fn an_analyst_reads_but_never_bans_or_exports() {
        let r = [OperatorRole::Analyst];
        assert!(allows(&r, USERS_VIEW) && allows(&r, AUDIT_VIEW));
        assert!(!allows(&r, USERS_BAN) && !allows(&r, AUDIT_EXPORT) && !allows(&r, ROLES_ASSIGN));
    }

    #[test]
    fn reviewers_decide_the_catalog_but_do_not_shape_it() {
        let r = [OperatorRole::Reviewer];
        assert!(allows(&r, LISTINGS_REVIEW) && allows(&r, LISTINGS_BLOCK) && allows(&r, REPORTS_DECIDE));
        assert!(!allows(&r, CATEGORIES_MANAGE) && !allows(&r, USERS_BAN));
        assert!(!allows(&[OperatorRole::Analyst], LISTINGS_REVIEW));
        assert!(!allows(&[OperatorRole::Support], SELLERS_SUSPEND));
    }

    #[test]
    fn finance_moves_money_and_others_only_look() {
        let f = [OperatorRole::Finance];
        assert!(allows(&f, PAYMENTS_APPROVE) && allows(&f, COMMISSION_MANAGE) && allows(&f, LEDGER_VIEW));
        for other in [OperatorRole::Admin, OperatorRole::Support, OperatorRole::Analyst, OperatorRole::Reviewer] {
            assert!(!allows(&[other], PAYMENTS_APPROVE) && !allows(&[other], COMMISSION_MANAGE), "{other:?}");
        }
    }

    #[test]
    fn roles_add_up() {
        assert!(allows(&[OperatorRole::Reviewer, OperatorRole::Support], USERS_VIEW));
    }

    #[test]
    fn only_super_admins_assign_roles() {
        assert!(may_assign(&[OperatorRole::SuperAdmin]));
        assert!(!may_assign(&[OperatorRole::Admin]));
    }

    #[test]
    fn role_names_round_trip() {
        for r in OperatorRole::ALL {
            assert_eq!(OperatorRole::parse(r.as_str()), Some(r));
        }
        assert_eq!(OperatorRole::parse("root"), None);
    }

    #[test]
    fn a_permission_set_holds_exactly_what_was_put_in() {
        let set: PermissionSet = [USERS_VIEW, LISTINGS_MANAGE].into_iter().collect();
        assert!(set.contains(USERS_VIEW) && set.contains(LISTINGS_MANAGE) && !set.contains(USERS_BAN));
        assert_eq!(set.iter().collect::<Vec<_>>(), vec![USERS_VIEW, LISTINGS_MANAGE]);
        assert!(PermissionSet::default().is_empty());
        let all = PermissionSet::defaults_of(&[OperatorRole::SuperAdmin]);
        assert_eq!(all.iter().count(), ALL_PERMISSIONS.len());
        let json = serde_json::to_string(&all).unwrap();
        assert_eq!(serde_json::from_str::<PermissionSet>(&json).unwrap(), all);
    }

    #[test]
    fn only_super_admins_hold_the_reserved_permissions_by_default() {
        for role in OperatorRole::ALL.into_iter().filter(|r| *r != OperatorRole::SuperAdmin) {
            for p in RESERVED_TO_SUPER_ADMIN {
                assert!(!allows(&[role], p), "{role:?} holds {}", p.name());
            }
        }
    }

    #[test]
    fn permission_names_are_resource_dot_action() {
        assert_eq!(USERS_BAN.name(), "users.ban");
        assert_eq!(AUDIT_EXPORT.name(), "audit.export");
    }
}
