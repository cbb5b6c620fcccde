//! Seller onboarding's reads and writes, in four parts: `application` (the applicant's application and
//! documents), `decisions` (every state transition, applicant and console alike), `staff` (the team)
//! and `rows` (reading what they share). Each mutation is one `platform::change::Change`: the change,
//! a `seller_transitions` row where the state moves, the audit record and the in-app notifications
//! commit together or not at all.

pub use super::application::{may_read_document, my_application, remove_document, save_application};
pub use super::decisions::{decision_reason, transition, transition_in};
pub use super::rows::{load_application, members};
pub use super::staff::{invite_staff, remove_staff, team};
