//! What the applicant's pages and the console's seller pages show: plain data shared by the server
//! and the browser.

use crate::domain::seller::{MemberRole, SellerStatus};
use serde::{Deserialize, Serialize};

/// Most staff a seller organisation may have (the owner not counted).
pub const MAX_STAFF: i64 = 50;
/// Most live documents one application may carry.
pub const MAX_DOCUMENTS: i64 = 20;

/// A document attached to an application (a live `uploads` row of purpose seller_document).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentRow {
    pub id: i64,
    /// One of `domain::upload::DOCUMENT_KINDS`.
    pub kind: String,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub uploaded_at_ms: i64,
    /// `/documents/{id}`: served only to the organisation's members and operators with sellers.view.
    pub url: String,
}

/// One state change of a seller: who, when, why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TransitionRow {
    pub id: i64,
    pub from_status: SellerStatus,
    pub to_status: SellerStatus,
    pub action: String,
    pub actor_id: i64,
    /// The actor's display name and email.
    pub actor_name: String,
    pub actor_email: String,
    pub at_ms: i64,
    pub reason: String,
}

/// The application as its owner and the console see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Application {
    pub organisation_id: i64,
    pub status: SellerStatus,
    pub name: String,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: String,
    pub business_type: String,
    pub region: String,
    pub description: String,
    pub created_at_ms: i64,
    pub submitted_at_ms: Option<i64>,
    pub decided_at_ms: Option<i64>,
    pub activated_at_ms: Option<i64>,
    pub suspended_at_ms: Option<i64>,
    /// The reason given with the last decision that had one (what to fix after a return).
    pub last_reason: String,
    pub documents: Vec<DocumentRow>,
    /// Oldest first.
    pub history: Vec<TransitionRow>,
}

impl Application {
    /// The id of the newest transition, which a decision form sends back so that a decision taken on
    /// a page that is out of date is refused (someone else moved the seller meanwhile).
    pub fn seen(&self) -> i64 {
        self.history.last().map(|t| t.id).unwrap_or(0)
    }

    pub fn has_business_licence(&self) -> bool {
        self.documents.iter().any(|d| d.kind == "business_licence")
    }
}

/// What the caller's `/sell` page shows: nothing yet, their application, or that they are staff of
/// another seller (who cannot apply).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum MyApplication {
    None,
    Owner(Box<Application>),
    Staff { organisation_name: String, status: SellerStatus },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemberRow {
    pub user_id: i64,
    pub email: String,
    pub display_name: String,
    pub role: MemberRole,
    pub added_at_ms: i64,
}

/// The seller's team as `/seller/team` shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Team {
    pub organisation_id: i64,
    pub organisation_name: String,
    pub status: SellerStatus,
    /// The caller's own role: the owner manages the team, staff see it.
    pub my_role: MemberRole,
    pub members: Vec<MemberRow>,
}

/// Message key of a seller status.
pub fn status_key(status: SellerStatus) -> &'static str {
    match status {
        SellerStatus::Draft => "sellers.status.draft",
        SellerStatus::Submitted => "sellers.status.submitted",
        SellerStatus::Returned => "sellers.status.returned",
        SellerStatus::Rejected => "sellers.status.rejected",
        SellerStatus::Approved => "sellers.status.approved",
        SellerStatus::Active => "sellers.status.active",
        SellerStatus::Suspended => "sellers.status.suspended",
    }
}

/// Message key of a transition's action (`sellers.action.return`...).
pub fn action_key(action: &str) -> &'static str {
    match action {
        "apply" => "sellers.action.apply",
        "submit" => "sellers.action.submit",
        "return" => "sellers.action.return",
        "approve" => "sellers.action.approve",
        "reject" => "sellers.action.reject",
        "activate" => "sellers.action.activate",
        "suspend" => "sellers.action.suspend",
        "reinstate" => "sellers.action.reinstate",
        _ => "sellers.action.other",
    }
}

/// Message key of a document kind.
pub fn document_kind_key(kind: &str) -> &'static str {
    match kind {
        "business_licence" => "sellers.doc.business_licence",
        "identity" => "sellers.doc.identity",
        _ => "sellers.doc.other",
    }
}

/// Message key of a business type.
pub fn business_type_key(kind: &str) -> &'static str {
    match kind {
        "individual" => "sellers.business.individual",
        "company" => "sellers.business.company",
        "partnership" => "sellers.business.partnership",
        _ => "sellers.business.other",
    }
}

/// `1.2 MB`, `340 KB`, `12 B`.
pub fn human_size(bytes: i64) -> String {
    if bytes >= 1_000_000 {
        format!("{:.1} MB", bytes as f64 / 1_000_000.0)
    } else if bytes >= 1_000 {
        format!("{} KB", bytes / 1_000)
    } else {
        format!("{bytes} B")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_and_action_has_a_message() {
        for s in SellerStatus::ALL {
            assert!(status_key(s).ends_with(s.as_str()));
        }
        for a in crate::domain::seller::SellerAction::ALL {
            assert_ne!(action_key(a.as_str()), "sellers.action.other");
        }
        for k in crate::domain::upload::DOCUMENT_KINDS {
            assert!(document_kind_key(k).ends_with(k));
        }
        for b in crate::domain::seller::BUSINESS_TYPES {
            assert!(business_type_key(b).ends_with(b));
        }
    }

    #[test]
    fn every_label_key_is_in_a_catalog() {
        use crate::i18n::{translate, Lang};
        let mut keys: Vec<String> = SellerStatus::ALL.iter().map(|s| status_key(*s).to_string()).collect();
        keys.extend(crate::domain::seller::SellerAction::ALL.iter().map(|a| action_key(a.as_str()).to_string()));
        keys.extend(["apply", "unknown"].iter().map(|a| action_key(a).to_string()));
        keys.extend(crate::domain::upload::DOCUMENT_KINDS.iter().map(|k| document_kind_key(k).to_string()));
        keys.extend(crate::domain::seller::BUSINESS_TYPES.iter().map(|b| business_type_key(b).to_string()));
        keys.extend(crate::domain::seller::REGIONS.iter().map(|r| format!("sellers.region.{r}")));
        keys.push(
            crate::domain::seller::SellerTransitionError {
                from: SellerStatus::Draft,
                action: crate::domain::seller::SellerAction::Approve,
            }
            .code()
            .to_string(),
        );
        for key in keys {
            assert_ne!(translate(Lang::Zh, &key), key, "{key} has no message");
        }
    }

    #[test]
    fn sizes_read_like_a_person_would_say_them() {
        assert_eq!(human_size(12), "12 B");
        assert_eq!(human_size(340_500), "340 KB");
        assert_eq!(human_size(1_260_000), "1.3 MB");
    }
}
