//! The audit chain. Each entry stores the hash of the one before it, so editing, deleting or reordering
//! any entry breaks every hash after it, and `audit verify` names the first broken one.

use super::seller::SellerAction;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The hash the first entry chains from.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What an audit entry records (DESIGN.md, "Audit log"). `before`/`after` are JSON documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditContent {
    pub seq: i64,
    pub at_ms: i64,
    pub actor_id: Option<i64>,
    pub actor_roles: String,
    pub action: String,
    pub target_type: String,
    pub target_id: String,
    pub before: String,
    pub after: String,
    pub reason: String,
    pub ip: String,
    pub user_agent: String,
    pub result: String,
}

impl AuditContent {
    /// Each field is length-prefixed so that no two different entries serialise to the same bytes
    /// (without it, moving a character from `reason` to `ip` would keep the hash).
    fn canonical_bytes(&self) -> Vec<u8> {
        let actor = self.actor_id.map(|a| a.to_string()).unwrap_or_default();
        let fields: [&str; 13] = [
            &self.seq.to_string(),
            &self.at_ms.to_string(),
            &actor,
            &self.actor_roles,
            &self.action,
            &self.target_type,
            &self.target_id,
            &self.before,
            &self.after,
            &self.reason,
            &self.ip,
            &self.user_agent,
            &self.result,
        ];
        let mut out = Vec::new();
        for f in fields {
            out.extend_from_slice(f.len().to_string().as_bytes());
            out.push(b':');
            out.extend_from_slice(f.as_bytes());
            out.push(b'\n');
        }
        out
    }

    pub fn chain_hash(&self, prev_hash: &str) -> String {
        let mut h = Sha256::new();
        h.update(prev_hash.as_bytes());
        h.update(b"\n");
        h.update(self.canonical_bytes());
        hex_lower(&h.finalize())
    }
}

fn hex_lower(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A stored entry as the verifier reads it back.
#[derive(Debug, Clone)]
pub struct StoredEntry {
    pub id: i64,
    pub content: AuditContent,
    pub prev_hash: String,
    pub hash: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChainBreak {
    /// The entry's own fields no longer produce its hash: it was edited.
    Altered { id: i64 },
    /// The entry does not point at the hash of the entry before it: something was deleted, inserted
    /// or reordered.
    Unlinked { id: i64 },
}

impl ChainBreak {
    pub fn id(&self) -> i64 {
        match self {
            ChainBreak::Altered { id } | ChainBreak::Unlinked { id } => *id,
        }
    }
}

/// Incremental verifier: feed entries in id order; the first break is returned and verification stops.
#[derive(Debug, Clone)]
pub struct ChainVerifier {
    expected_prev: String,
    expected_seq: i64,
    pub checked: u64,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        ChainVerifier { expected_prev: GENESIS_HASH.to_string(), expected_seq: 1, checked: 0 }
    }
}

impl ChainVerifier {
    /// Continues from an entry already verified (`hash` is its hash, `seq` its sequence number): how
    /// launch readiness verifies only the entries written since its checkpoint.
    pub fn resume(hash: &str, seq: i64) -> ChainVerifier {
        ChainVerifier { expected_prev: hash.to_string(), expected_seq: seq + 1, checked: 0 }
    }

    pub fn check(&mut self, e: &StoredEntry) -> Result<(), ChainBreak> {
        if e.prev_hash != self.expected_prev || e.content.seq != self.expected_seq {
            return Err(ChainBreak::Unlinked { id: e.id });
        }
        if e.content.chain_hash(&e.prev_hash) != e.hash {
            return Err(ChainBreak::Altered { id: e.id });
        }
        self.expected_prev = e.hash.clone();
        self.expected_seq += 1;
        self.checked += 1;
        Ok(())
    }

    /// The hash the next entry must chain from; after the last entry it must match the stored head.
    pub fn head(&self) -> &str {
        &self.expected_prev
    }
}

/// One changed field between the before and after documents, for the detail view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// Top-level fields that differ between two JSON objects; non-objects compare as a whole.
pub fn diff(before: &str, after: &str) -> Vec<FieldChange> {
    use serde_json::Value;
    let parse = |s: &str| serde_json::from_str::<Value>(s).unwrap_or(Value::Null);
    let (b, a) = (parse(before), parse(after));
    let show = |v: Option<&Value>| v.filter(|v| !v.is_null()).map(|v| v.to_string());
    match (&b, &a) {
        (Value::Object(bo), Value::Object(ao)) => {
            let mut keys: Vec<&String> = bo.keys().chain(ao.keys()).collect();
            keys.sort();
            keys.dedup();
            keys.into_iter()
                .filter(|k| bo.get(*k) != ao.get(*k))
                .map(|k| FieldChange { field: k.clone(), before: show(bo.get(k)), after: show(ao.get(k)) })
                .collect()
        }
        _ if b == a => vec![],
        _ => vec![FieldChange { field: String::new(), before: show(Some(&b)), after: show(Some(&a)) }],
    }
}

// ---------------------------------------------------------------------------------------------------
// What an entry is about: typed, so a typo cannot invent an action the audit log's filters and the
// detail pages do not know. The stored strings are the ones written before the enums existed; the
// audit UI filters by them (`users.` prefix, exact `payouts.approve`) and old entries keep their hash.

/// Every operation the audit log records, each with its stored `action` string (unchanged from before
/// the enum), declared once: the macro makes the enum, `all()` and `as_str()` from this one table.
macro_rules! audit_actions {
    ($($variant:ident => $stored:literal,)*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum AuditAction {
            $($variant,)*
            /// A move of the seller state machine: `sellers.<action>` (e.g. `sellers.suspend`).
            Seller(SellerAction),
        }

        impl AuditAction {
            /// Every action, for the audit UI's pickers and for tests.
            pub fn all() -> Vec<AuditAction> {
                let mut all = vec![$(AuditAction::$variant,)*];
                all.extend(SellerAction::ALL.into_iter().map(AuditAction::Seller));
                all
            }

            /// The stored `action` string.
            pub fn as_str(self) -> &'static str {
                use AuditAction::*;
                match self {
                    $($variant => $stored,)*
                    Seller(a) => match a {
                SellerAction::Submit => "sellers.submit",
                SellerAction::Return => "sellers.return",
                SellerAction::Approve => "sellers.approve",
                SellerAction::Reject => "sellers.reject",
                SellerAction::Activate => "sellers.activate",
                SellerAction::Suspend => "sellers.suspend",
                SellerAction::Reinstate => "sellers.reinstate",
            },
                }
            }
        }
    };
}

audit_actions! {
    AccountChangePassword => "account.change_password",
    AccountResetPassword => "account.reset_password",
    AccountChangeEmail => "account.change_email",
    AccountEndSession => "account.end_session",
    AccountIdentityLink => "account.identity_link",
    AccountIdentityUnlink => "account.identity_unlink",
    AccountEndOtherSessions => "account.end_other_sessions",
    RolesBootstrapSuperAdmin => "roles.bootstrap_super_admin",
    RolesAssign => "roles.assign",
    RolesCreate => "roles.create",
    RolesGrantsChange => "roles.grants_change",
    RolesDelete => "roles.delete",
    // The settings centre (issue 15).
    SettingsChange => "settings.change",
    SettingsRollback => "settings.rollback",
    SettingsMaintenance => "settings.maintenance",
    SettingsRotateKey => "settings.rotate_key",
    AlertsRuleCreate => "alerts.rule_create",
    AlertsRuleEnable => "alerts.rule_enable",
    AlertsRuleDisable => "alerts.rule_disable",
    AlertsSilence => "alerts.silence",
    AlertsSilenceEnd => "alerts.silence_end",
    IncidentsOpen => "incidents.open",
    IncidentsAcknowledge => "incidents.acknowledge",
    IncidentsNote => "incidents.note",
    IncidentsResolve => "incidents.resolve",
    RiskRaise => "risk.raise",
    RiskTake => "risk.take",
    RiskAcknowledge => "risk.acknowledge",
    RiskNote => "risk.note",
    RiskResolve => "risk.resolve",
    UsersBan => "users.ban",
    UsersUnban => "users.unban",
    UsersEndSessions => "users.end_sessions",
    // Identity and access (issue 14).
    UsersBanExpire => "users.ban_expire",
    UsersCreate => "users.create",
    UsersResetPassword => "users.reset_password",
    UsersEditProfile => "users.edit_profile",
    UsersEditRecord => "users.edit_record",
    UsersRemoveSecondFactor => "users.remove_second_factor",
    UsersEditContact => "users.edit_contact",
    UsersRevealPhone => "users.reveal_phone",
    AccountLock => "account.lock",
    AccountUnlock => "account.unlock",
    AuthSignInRefused => "auth.sign_in_refused",
    AccountSecondFactorEnable => "account.second_factor_enable",
    AccountSecondFactorDisable => "account.second_factor_disable",
    AccountRecoveryCodesRenew => "account.recovery_codes_renew",
    AccountDeletionRequest => "account.deletion_request",
    AccountDeletionWithdraw => "account.deletion_withdraw",
    UsersDeletionApprove => "users.deletion_approve",
    UsersDeletionReject => "users.deletion_reject",
    UsersDeletionRestore => "users.deletion_restore",
    UsersDeletionPurge => "users.deletion_purge",
    AccessRefused => "access.refused",
    ProtectedRefused => "protected.refused",
    AuditExport => "audit.export",
    AddressCreate => "address.create",
    AddressUpdate => "address.update",
    AddressSetDefault => "address.set_default",
    AddressRemove => "address.remove",
    CheckoutCreate => "checkout.create",
    PaymentsProofSubmit => "payments.proof_submit",
    PaymentsApprove => "payments.approve",
    PaymentsReject => "payments.reject",
    PaymentSettingsBankAccount => "payment_settings.bank_account",
    OrdersShip => "orders.ship",
    OrdersConfirm => "orders.confirm",
    OrdersCancel => "orders.cancel",
    OrdersCancelUnpaid => "orders.cancel_unpaid",
    OrdersFlagOverdue => "orders.flag_overdue",
    OrdersAutoComplete => "orders.auto_complete",
    LedgerReleaseHold => "ledger.release_hold",
    RefundsRequest => "refunds.request",
    RefundsAccept => "refunds.accept",
    RefundsRefuse => "refunds.refuse",
    RefundsWithdraw => "refunds.withdraw",
    RefundsEscalate => "refunds.escalate",
    DisputesOpen => "disputes.open",
    DisputesMessage => "disputes.message",
    DisputesDecide => "disputes.decide",
    PayoutAccountsAdd => "payout_accounts.add",
    PayoutAccountsChange => "payout_accounts.change",
    PayoutAccountsRemove => "payout_accounts.remove",
    PayoutAccountsReveal => "payout_accounts.reveal",
    PayoutsRequest => "payouts.request",
    PayoutsApprove => "payouts.approve",
    PayoutsMarkPaid => "payouts.mark_paid",
    PayoutsMarkFailed => "payouts.mark_failed",
    PayoutsReject => "payouts.reject",
    ListingsSave => "listings.save",
    ListingsSubmit => "listings.submit",
    ListingsReactivate => "listings.reactivate",
    ListingsDeactivate => "listings.deactivate",
    ListingsApprove => "listings.approve",
    ListingsReject => "listings.reject",
    ListingsBlock => "listings.block",
    ListingsTakeDown => "listings.take_down",
    ListingsReinstate => "listings.reinstate",
    ReportsFile => "reports.file",
    ReportsAppeal => "reports.appeal",
    ReportsDecide => "reports.decide",
    CommissionCreate => "commission.create",
    CommissionActivate => "commission.activate",
    CategoriesCreate => "categories.create",
    CategoriesRename => "categories.rename",
    CategoriesMove => "categories.move",
    CategoriesEnable => "categories.enable",
    CategoriesDisable => "categories.disable",
    SellersApply => "sellers.apply",
    SellersEdit => "sellers.edit",
    SellersDocumentRemove => "sellers.document_remove",
    SellersStaffAdd => "sellers.staff_add",
    SellersStaffRemove => "sellers.staff_remove",
    DeliveryReplay => "delivery.replay",
    DeliveryReplayMany => "delivery.replay_many",
    DeliverySuppressionClear => "delivery.suppression_clear",
    // Delivery (issue 12): message templates.
    TemplatesSave => "templates.save",
    WebhooksCreate => "webhooks.create",
    WebhooksUpdate => "webhooks.update",
    WebhooksEnable => "webhooks.enable",
    WebhooksDisable => "webhooks.disable",
    WebhooksDelete => "webhooks.delete",
    WebhooksRotateSecret => "webhooks.rotate_secret",
    WebhooksSendTest => "webhooks.send_test",
    WebhooksReplay => "webhooks.replay",
    WebhooksReplaySince => "webhooks.replay_since",
    WebhooksAutoDisable => "webhooks.auto_disable",
    // The command center (issue 13).
    ReadinessDefer => "readiness.defer",
    ReadinessEndDeferral => "readiness.end_deferral",
    ExportsCreate => "exports.create",
    ExportsComplete => "exports.complete",
    ExportsDownload => "exports.download",
    CurationFeature => "curation.feature",
    CurationUnfeature => "curation.unfeature",
    CurationSections => "curation.sections",
    ListingsRecategorize => "listings.recategorize",
}

impl AuditAction {
    pub fn parse(s: &str) -> Option<AuditAction> {
        AuditAction::all().into_iter().find(|a| a.as_str() == s)
    }
}

impl std::fmt::Display for AuditAction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What an entry is about: the stored `target_type` and `target_id` together, so the id cannot be
/// paired with the wrong type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuditTarget {
    User(i64),
    Address(i64),
    Checkout(i64),
    Payment(i64),
    /// A platform setting by its key (e.g. the bank account buyers pay to).
    PlatformSetting(&'static str),
    Order(i64),
    Refund(i64),
    Dispute(i64),
    /// The seller organisation as the owner of payout accounts (`payout_accounts.*`).
    Organisation(i64),
    PayoutAccount(i64),
    Payout(i64),
    Listing(i64),
    Report(i64),
    CommissionRule(i64),
    Category(i64),
    /// The seller organisation as an applicant/merchant (`sellers.*`).
    Seller(i64),
    /// The audit log itself (an export), by the last entry id it covers.
    AuditLog(i64),
    /// An outbox row (a message on any channel) by its id.
    OutboxMessage(i64),
    /// A message template (event, channel, locale), by its `message_templates` id.
    MessageTemplate(i64),
    /// A webhook endpoint (a seller organisation's or the platform's).
    WebhookEndpoint(i64),
    /// A launch readiness check, by its id (e.g. `identity.https`).
    ReadinessCheck(&'static str),
    /// An export (a `data_exports` row).
    Export(i64),
    /// A home page section, by its key (e.g. `featured`).
    HomeSection(&'static str),
    /// A report of the console's analytics (`revenue`, `sellers`, `sla`), exported as CSV.
    AnalyticsReport(&'static str),
    /// A role (built-in or custom), by its `roles` id.
    Role(i64),
    /// A version of the runtime settings (`setting_changes` id).
    SettingsVersion(i64),
    /// An alert rule (`alert_rules` id).
    AlertRule(i64),
    /// An incident (`incidents` id).
    Incident(i64),
    /// A risk signal (`risk_signals` id).
    RiskSignal(i64),
}

impl AuditTarget {
    /// Every stored `target_type`, for the audit UI's filter.
    pub const TYPES: [&'static str; 29] = [
        "user",
        "address",
        "checkout",
        "payment",
        "platform_setting",
        "order",
        "refund",
        "dispute",
        "organisation",
        "payout_account",
        "payout",
        "listing",
        "report",
        "commission_rule",
        "category",
        "seller",
        "audit_log",
        "outbox_message",
        "message_template",
        "webhook_endpoint",
        "readiness_check",
        "export",
        "home_section",
        "analytics_report",
        "role",
        "settings_version",
        "alert_rule",
        "incident",
        "risk_signal",
    ];

    /// The stored `target_type` column.
    pub fn target_type(self) -> &'static str {
        use AuditTarget::*;
        match self {
            User(_) => "user",
            Address(_) => "address",
            Checkout(_) => "checkout",
            Payment(_) => "payment",
            PlatformSetting(_) => "platform_setting",
            Order(_) => "order",
            Refund(_) => "refund",
            Dispute(_) => "dispute",
            Organisation(_) => "organisation",
            PayoutAccount(_) => "payout_account",
            Payout(_) => "payout",
            Listing(_) => "listing",
            Report(_) => "report",
            CommissionRule(_) => "commission_rule",
            Category(_) => "category",
            Seller(_) => "seller",
            AuditLog(_) => "audit_log",
            OutboxMessage(_) => "outbox_message",
            MessageTemplate(_) => "message_template",
            WebhookEndpoint(_) => "webhook_endpoint",
            ReadinessCheck(_) => "readiness_check",
            Export(_) => "export",
            HomeSection(_) => "home_section",
            AnalyticsReport(_) => "analytics_report",
            Role(_) => "role",
            SettingsVersion(_) => "settings_version",
            AlertRule(_) => "alert_rule",
            Incident(_) => "incident",
            RiskSignal(_) => "risk_signal",
        }
    }

    /// The stored `target_id` column.
    pub fn target_id(self) -> String {
        use AuditTarget::*;
        match self {
            PlatformSetting(key) | ReadinessCheck(key) | HomeSection(key) | AnalyticsReport(key) => key.to_string(),
            User(id) | Address(id) | Checkout(id) | Payment(id) | Order(id) | Refund(id) | Dispute(id)
            | Organisation(id) | PayoutAccount(id) | Payout(id) | Listing(id) | Report(id) | CommissionRule(id)
            | Category(id) | Seller(id) | AuditLog(id) | OutboxMessage(id) | MessageTemplate(id)
            | WebhookEndpoint(id) | Export(id) | Role(id) | SettingsVersion(id) | AlertRule(id) | Incident(id)
            | RiskSignal(id) => id.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn action_strings_are_the_stored_ones_and_unique() {
        let all = AuditAction::all();
        let mut seen: Vec<&str> = all.iter().map(|a| a.as_str()).collect();
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), all.len(), "two actions share a stored string");
        for a in &all {
            assert_eq!(AuditAction::parse(a.as_str()), Some(*a));
            let (category, verb) = a.as_str().split_once('.').expect("category.verb");
            assert!(!category.is_empty() && !verb.is_empty());
        }
        assert_eq!(AuditAction::PayoutsApprove.as_str(), "payouts.approve");
        assert_eq!(AuditAction::Seller(SellerAction::Suspend).as_str(), "sellers.suspend");
        assert_eq!(AuditAction::parse("nothing.here"), None);
    }

    #[test]
    fn targets_keep_their_stored_type_and_id() {
        assert_eq!(AuditTarget::Payout(7).target_type(), "payout");
        assert_eq!(AuditTarget::Payout(7).target_id(), "7");
        assert_eq!(AuditTarget::Organisation(3).target_type(), "organisation");
        assert_eq!(AuditTarget::PlatformSetting("bank_account").target_id(), "bank_account");
        assert_eq!(AuditTarget::CommissionRule(1).target_type(), "commission_rule");
        let types = [
            AuditTarget::User(1),
            AuditTarget::Address(1),
            AuditTarget::Checkout(1),
            AuditTarget::Payment(1),
            AuditTarget::PlatformSetting("k"),
            AuditTarget::Order(1),
            AuditTarget::Refund(1),
            AuditTarget::Dispute(1),
            AuditTarget::Organisation(1),
            AuditTarget::PayoutAccount(1),
            AuditTarget::Payout(1),
            AuditTarget::Listing(1),
            AuditTarget::Report(1),
            AuditTarget::CommissionRule(1),
            AuditTarget::Category(1),
            AuditTarget::Seller(1),
            AuditTarget::AuditLog(1),
            AuditTarget::OutboxMessage(1),
            AuditTarget::MessageTemplate(1),
            AuditTarget::WebhookEndpoint(1),
            AuditTarget::ReadinessCheck("identity.https"),
            AuditTarget::Export(1),
            AuditTarget::HomeSection("featured"),
            AuditTarget::AnalyticsReport("revenue"),
            AuditTarget::Role(1),
            AuditTarget::SettingsVersion(1),
            AuditTarget::AlertRule(1),
            AuditTarget::Incident(1),
            AuditTarget::RiskSignal(1),
        ]
        .map(|t| t.target_type());
        assert_eq!(types, AuditTarget::TYPES);
    }

    fn content(seq: i64) -> AuditContent {
        AuditContent {
            seq,
            at_ms: 1_000 * seq,
            actor_id: Some(7),
            actor_roles: "super_admin".into(),
            action: "users.ban".into(),
            target_type: "user".into(),
            target_id: "42".into(),
            before: r#"{"status":"active"}"#.into(),
            after: r#"{"status":"banned"}"#.into(),
            reason: "spam".into(),
            ip: "127.0.0.1".into(),
            user_agent: "test".into(),
            result: "ok".into(),
        }
    }

    fn chain(n: i64) -> Vec<StoredEntry> {
        let mut prev = GENESIS_HASH.to_string();
        (1..=n)
            .map(|seq| {
                let c = content(seq);
                let hash = c.chain_hash(&prev);
                let e = StoredEntry { id: seq, content: c, prev_hash: prev.clone(), hash: hash.clone() };
                prev = hash;
                e
            })
            .collect()
    }

    fn verify(entries: &[StoredEntry]) -> Result<u64, ChainBreak> {
        let mut v = ChainVerifier::default();
        for e in entries {
            v.check(e)?;
        }
        Ok(v.checked)
    }

    #[test]
    fn an_intact_chain_verifies() {
        assert_eq!(verify(&chain(5)), Ok(5));
    }

    #[test]
    fn an_edited_entry_is_found() {
        let mut c = chain(5);
        c[2].content.reason = "nothing to see".into();
        assert_eq!(verify(&c), Err(ChainBreak::Altered { id: 3 }));
    }

    #[test]
    fn a_deleted_entry_is_found() {
        let mut c = chain(5);
        c.remove(1);
        assert_eq!(verify(&c), Err(ChainBreak::Unlinked { id: 3 }));
    }

    #[test]
    fn swapped_entries_are_found() {
        let mut c = chain(5);
        c.swap(1, 2);
        assert_eq!(verify(&c).unwrap_err().id(), 3);
    }

    #[test]
    fn moving_characters_between_fields_changes_the_hash() {
        let mut a = content(1);
        let mut b = content(1);
        a.reason = "ab".into();
        a.ip = "c".into();
        b.reason = "a".into();
        b.ip = "bc".into();
        assert_ne!(a.chain_hash(GENESIS_HASH), b.chain_hash(GENESIS_HASH));
    }

    #[test]
    fn diff_lists_only_changed_fields() {
        let d = diff(r#"{"status":"active","roles":[]}"#, r#"{"status":"banned","roles":[]}"#);
        assert_eq!(
            d,
            vec![FieldChange {
                field: "status".into(),
                before: Some("\"active\"".into()),
                after: Some("\"banned\"".into())
            }]
        );
        assert!(diff("{}", "{}").is_empty());
        assert_eq!(diff("null", r#"{"a":1}"#).len(), 1);
    }
}
