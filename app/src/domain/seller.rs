//! Sellers: the application state machine of DESIGN.md (seed 004 2.11/2.13), the application form's
//! validation, and what an organisation's owner and staff may do.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SellerStatus {
    Draft,
    Submitted,
    Returned,
    Rejected,
    Approved,
    Active,
    Suspended,
}

/// What moves a seller from one state to another; each is one transition function below.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SellerAction {
    Submit,
    Return,
    Approve,
    Reject,
    Activate,
    Suspend,
    Reinstate,
}

/// A transition the state machine refuses, named after what was tried and from where.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SellerTransitionError {
    pub from: SellerStatus,
    pub action: SellerAction,
}

impl SellerTransitionError {
    pub fn code(self) -> &'static str {
        "sellers.transition_refused"
    }
}

impl SellerStatus {
    pub const ALL: [SellerStatus; 7] = [
        SellerStatus::Draft,
        SellerStatus::Submitted,
        SellerStatus::Returned,
        SellerStatus::Rejected,
        SellerStatus::Approved,
        SellerStatus::Active,
        SellerStatus::Suspended,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SellerStatus::Draft => "draft",
            SellerStatus::Submitted => "submitted",
            SellerStatus::Returned => "returned",
            SellerStatus::Rejected => "rejected",
            SellerStatus::Approved => "approved",
            SellerStatus::Active => "active",
            SellerStatus::Suspended => "suspended",
        }
    }

    pub fn parse(s: &str) -> Option<SellerStatus> {
        SellerStatus::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// The applicant may still change the form (before submitting, or after it was returned).
    pub fn is_editable(self) -> bool {
        matches!(self, SellerStatus::Draft | SellerStatus::Returned)
    }

    /// Listings of this seller may be shown and bought.
    pub fn can_sell(self) -> bool {
        self == SellerStatus::Active
    }

    pub fn apply(self, action: SellerAction) -> Result<SellerStatus, SellerTransitionError> {
        match action {
            SellerAction::Submit => self.submit(),
            SellerAction::Return => self.return_for_changes(),
            SellerAction::Approve => self.approve(),
            SellerAction::Reject => self.reject(),
            SellerAction::Activate => self.activate(),
            SellerAction::Suspend => self.suspend(),
            SellerAction::Reinstate => self.reinstate(),
        }
    }

    fn refuse(self, action: SellerAction) -> Result<SellerStatus, SellerTransitionError> {
        Err(SellerTransitionError { from: self, action })
    }

    pub fn submit(self) -> Result<SellerStatus, SellerTransitionError> {
        match self {
            SellerStatus::Draft | SellerStatus::Returned => Ok(SellerStatus::Submitted),
            _ => self.refuse(SellerAction::Submit),
        }
    }

    pub fn return_for_changes(self) -> Result<SellerStatus, SellerTransitionError> {
        match self {
            SellerStatus::Submitted => Ok(SellerStatus::Returned),
            _ => self.refuse(SellerAction::Return),
        }
    }

    pub fn approve(self) -> Result<SellerStatus, SellerTransitionError> {
        match self {
            SellerStatus::Submitted => Ok(SellerStatus::Approved),
            _ => self.refuse(SellerAction::Approve),
        }
    }

    pub fn reject(self) -> Result<SellerStatus, SellerTransitionError> {
        match self {
            SellerStatus::Submitted => Ok(SellerStatus::Rejected),
            _ => self.refuse(SellerAction::Reject),
        }
    }

    pub fn activate(self) -> Result<SellerStatus, SellerTransitionError> {
        match self {
            SellerStatus::Approved => Ok(SellerStatus::Active),
            _ => self.refuse(SellerAction::Activate),
        }
    }

    pub fn suspend(self) -> Result<SellerStatus, SellerTransitionError> {
        match self {
            SellerStatus::Active => Ok(SellerStatus::Suspended),
            _ => self.refuse(SellerAction::Suspend),
        }
    }

    pub fn reinstate(self) -> Result<SellerStatus, SellerTransitionError> {
        match self {
            SellerStatus::Suspended => Ok(SellerStatus::Active),
            _ => self.refuse(SellerAction::Reinstate),
        }
    }
}

impl SellerAction {
    pub const ALL: [SellerAction; 7] = [
        SellerAction::Submit,
        SellerAction::Return,
        SellerAction::Approve,
        SellerAction::Reject,
        SellerAction::Activate,
        SellerAction::Suspend,
        SellerAction::Reinstate,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SellerAction::Submit => "submit",
            SellerAction::Return => "return",
            SellerAction::Approve => "approve",
            SellerAction::Reject => "reject",
            SellerAction::Activate => "activate",
            SellerAction::Suspend => "suspend",
            SellerAction::Reinstate => "reinstate",
        }
    }

    pub fn parse(s: &str) -> Option<SellerAction> {
        SellerAction::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Suspending and reinstating change what buyers can reach and what money is frozen: protected
    /// actions (reason and password). The others still need a reason when they say no or send back.
    pub fn is_protected(self) -> bool {
        matches!(self, SellerAction::Suspend | SellerAction::Reinstate)
    }

    pub fn needs_reason(self) -> bool {
        !matches!(self, SellerAction::Submit | SellerAction::Approve | SellerAction::Activate)
    }
}

/// A member's place in a seller organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MemberRole {
    Owner,
    Staff,
}

/// What a member may do inside the seller center: one right per action, so that a server function
/// asks for exactly what it does (reading orders is not editing listings). The grants are
/// `MemberRole::may`; `platform::seller_access::require_seller` checks them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SellerRight {
    /// The catalog, the seller home and the freeze banner.
    ViewListings,
    EditListings,
    /// Appeal a takedown of one of the seller's listings.
    AppealTakedown,
    ViewOrders,
    Ship,
    /// Accept or refuse a buyer's refund request.
    AnswerRefunds,
    /// Balances, the ledger history, payout requests and payout accounts (masked).
    ViewFinance,
    /// Add, change or remove a payout account; request a payout.
    ManagePayouts,
    ViewTeam,
    /// Invite or remove staff.
    ManageTeam,
    /// Edit and submit the seller application and its documents.
    EditApplication,
    /// Webhook endpoints: they receive the organisation's orders, refunds and payouts, and their
    /// secrets sign them, so they are the owner's.
    ManageWebhooks,
}

impl SellerRight {
    pub const ALL: [SellerRight; 12] = [
        SellerRight::ViewListings,
        SellerRight::EditListings,
        SellerRight::AppealTakedown,
        SellerRight::ViewOrders,
        SellerRight::Ship,
        SellerRight::AnswerRefunds,
        SellerRight::ViewFinance,
        SellerRight::ManagePayouts,
        SellerRight::ViewTeam,
        SellerRight::ManageTeam,
        SellerRight::EditApplication,
        SellerRight::ManageWebhooks,
    ];

    /// Staff run the shop day to day: the catalog, orders, shipping and refunds, and they see the
    /// money and the team. Moving money out (payouts and where they go), the team and the
    /// application are the owner's. No wildcard: a new right must be granted or refused here.
    fn granted_to_staff(self) -> bool {
        match self {
            SellerRight::ViewListings
            | SellerRight::EditListings
            | SellerRight::AppealTakedown
            | SellerRight::ViewOrders
            | SellerRight::Ship
            | SellerRight::AnswerRefunds
            | SellerRight::ViewFinance
            | SellerRight::ViewTeam => true,
            SellerRight::ManagePayouts
            | SellerRight::ManageTeam
            | SellerRight::EditApplication
            | SellerRight::ManageWebhooks => false,
        }
    }
}

impl MemberRole {
    pub fn as_str(self) -> &'static str {
        match self {
            MemberRole::Owner => "owner",
            MemberRole::Staff => "staff",
        }
    }

    pub fn parse(s: &str) -> Option<MemberRole> {
        match s {
            "owner" => Some(MemberRole::Owner),
            "staff" => Some(MemberRole::Staff),
            _ => None,
        }
    }

    /// The owner may do everything; staff what `SellerRight::granted_to_staff` grants.
    pub fn may(self, right: SellerRight) -> bool {
        match self {
            MemberRole::Owner => true,
            MemberRole::Staff => right.granted_to_staff(),
        }
    }
}

/// How the business is organised (seed 004's dealer types, simplified).
pub const BUSINESS_TYPES: [&str; 3] = ["individual", "company", "partnership"];

/// Regions sellers operate from (ISO 3166-1 alpha-2). The list is short on purpose: a region the
/// platform does not serve cannot be chosen.
pub const REGIONS: [&str; 12] = ["CN", "HK", "TW", "SG", "JP", "KR", "US", "CA", "GB", "DE", "FR", "AU"];

/// The application form, parsed. Each field error names the field and a message key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SellerApplication {
    pub name: String,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: String,
    pub business_type: String,
    pub region: String,
    pub description: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawSellerApplication<'a> {
    pub name: &'a str,
    pub contact_name: &'a str,
    pub contact_email: &'a str,
    pub contact_phone: &'a str,
    pub business_type: &'a str,
    pub region: &'a str,
    pub description: &'a str,
}

/// `(field, code)` of the first problem found.
pub type FieldError = (&'static str, &'static str);

fn text(field: &'static str, input: &str, min: usize, max: usize) -> Result<String, FieldError> {
    let s = input.trim();
    let n = s.chars().count();
    if n < min {
        return Err((field, if n == 0 { "field.required" } else { "field.too_short" }));
    }
    if n > max {
        return Err((field, "field.too_long"));
    }
    if s.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
        return Err((field, "field.control_chars"));
    }
    Ok(s.to_string())
}

impl SellerApplication {
    pub fn parse(raw: &RawSellerApplication<'_>) -> Result<SellerApplication, FieldError> {
        let name = text("name", raw.name, 2, 80)?;
        let contact_name = text("contact_name", raw.contact_name, 2, 80)?;
        let email = raw.contact_email.trim().to_lowercase();
        if crate::domain::account::Email::parse(&email).is_err() {
            return Err(("contact_email", "field.email"));
        }
        let phone = raw.contact_phone.trim();
        let digits = phone.chars().filter(|c| c.is_ascii_digit()).count();
        if !(6..=20).contains(&digits) || !phone.chars().all(|c| c.is_ascii_digit() || "+-() ".contains(c)) {
            return Err(("contact_phone", "field.phone"));
        }
        if !BUSINESS_TYPES.contains(&raw.business_type) {
            return Err(("business_type", "field.choose"));
        }
        if !REGIONS.contains(&raw.region) {
            return Err(("region", "field.choose"));
        }
        let description = text("description", raw.description, 0, 2000)?;
        Ok(SellerApplication {
            name,
            contact_name,
            contact_email: email,
            contact_phone: phone.to_string(),
            business_type: raw.business_type.to_string(),
            region: raw.region.to_string(),
            description,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use SellerAction::*;
    use SellerStatus::*;

    /// The whole table of DESIGN.md: every (state, action) pair is either this transition or refused.
    const ALLOWED: [(SellerStatus, SellerAction, SellerStatus); 8] = [
        (Draft, Submit, Submitted),
        (Returned, Submit, Submitted),
        (Submitted, Approve, Approved),
        (Submitted, Return, Returned),
        (Submitted, Reject, Rejected),
        (Approved, Activate, Active),
        (Active, Suspend, Suspended),
        (Suspended, Reinstate, Active),
    ];

    #[test]
    fn every_transition_is_allowed_or_refused_by_name() {
        for from in SellerStatus::ALL {
            for action in SellerAction::ALL {
                let expected = ALLOWED.iter().find(|(f, a, _)| *f == from && *a == action).map(|(_, _, to)| *to);
                match (from.apply(action), expected) {
                    (Ok(to), Some(want)) => assert_eq!(to, want, "{from:?} {action:?}"),
                    (Err(e), None) => assert_eq!(e, SellerTransitionError { from, action }),
                    (got, want) => panic!("{from:?} {action:?}: got {got:?}, want {want:?}"),
                }
            }
        }
    }

    #[test]
    fn rejected_is_final() {
        for action in SellerAction::ALL {
            assert!(Rejected.apply(action).is_err());
        }
    }

    #[test]
    fn only_active_sellers_sell() {
        for s in SellerStatus::ALL {
            assert_eq!(s.can_sell(), s == Active);
        }
    }

    #[test]
    fn names_round_trip() {
        for s in SellerStatus::ALL {
            assert_eq!(SellerStatus::parse(s.as_str()), Some(s));
        }
        for a in SellerAction::ALL {
            assert_eq!(SellerAction::parse(a.as_str()), Some(a));
        }
        assert_eq!(SellerStatus::parse("open"), None);
    }

    #[test]
    fn suspension_is_protected_and_refusals_need_a_reason() {
        assert!(Suspend.is_protected() && Reinstate.is_protected() && !Approve.is_protected());
        assert!(Reject.needs_reason() && Return.needs_reason() && !Approve.needs_reason());
    }

    #[test]
    fn the_owner_holds_every_right() {
        assert!(SellerRight::ALL.into_iter().all(|r| MemberRole::Owner.may(r)));
    }

    #[test]
    fn staff_run_the_catalog_orders_shipping_and_refunds() {
        for right in [
            SellerRight::ViewListings,
            SellerRight::EditListings,
            SellerRight::AppealTakedown,
            SellerRight::ViewOrders,
            SellerRight::Ship,
            SellerRight::AnswerRefunds,
        ] {
            assert!(MemberRole::Staff.may(right), "{right:?}");
        }
    }

    #[test]
    fn staff_see_the_money_and_the_team_but_only_the_owner_manages_them() {
        assert!(MemberRole::Staff.may(SellerRight::ViewFinance));
        assert!(MemberRole::Staff.may(SellerRight::ViewTeam));
        assert!(!MemberRole::Staff.may(SellerRight::ManagePayouts));
        assert!(!MemberRole::Staff.may(SellerRight::ManageTeam));
    }

    #[test]
    fn only_the_owner_edits_the_application() {
        assert!(!MemberRole::Staff.may(SellerRight::EditApplication));
        assert!(MemberRole::Owner.may(SellerRight::EditApplication));
    }

    #[test]
    fn staff_are_refused_exactly_payouts_the_team_the_application_and_webhooks() {
        let refused: Vec<SellerRight> = SellerRight::ALL.into_iter().filter(|r| !MemberRole::Staff.may(*r)).collect();
        assert_eq!(
            refused,
            [
                SellerRight::ManagePayouts,
                SellerRight::ManageTeam,
                SellerRight::EditApplication,
                SellerRight::ManageWebhooks
            ]
        );
    }

    fn raw() -> RawSellerApplication<'static> {
        RawSellerApplication {
            name: " Tea House ",
            contact_name: "Li Wei",
            contact_email: "Li@Example.com",
            contact_phone: "+86 138 0000 0000",
            business_type: "company",
            region: "CN",
            description: "Loose-leaf tea.",
        }
    }

    #[test]
    fn a_good_application_parses_and_is_normalised() {
        let app = SellerApplication::parse(&raw()).unwrap();
        assert_eq!(app.name, "Tea House");
        assert_eq!(app.contact_email, "li@example.com");
    }

    #[test]
    fn bad_fields_are_named() {
        let cases: [(RawSellerApplication, FieldError); 7] = [
            (RawSellerApplication { name: "", ..raw() }, ("name", "field.required")),
            (RawSellerApplication { name: &"x".repeat(81), ..raw() }, ("name", "field.too_long")),
            (RawSellerApplication { contact_email: "nope", ..raw() }, ("contact_email", "field.email")),
            (RawSellerApplication { contact_phone: "12", ..raw() }, ("contact_phone", "field.phone")),
            (RawSellerApplication { business_type: "cartel", ..raw() }, ("business_type", "field.choose")),
            (RawSellerApplication { region: "XX", ..raw() }, ("region", "field.choose")),
            (RawSellerApplication { description: &"d".repeat(2001), ..raw() }, ("description", "field.too_long")),
        ];
        for (input, want) in cases {
            assert_eq!(SellerApplication::parse(&input), Err(want));
        }
    }
}
