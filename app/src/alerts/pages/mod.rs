//! The alerts and incidents pages: `/console/alerts` (the rules, their state and last value, a new
//! rule, switching a rule off and on, silences), `/console/incidents` (the queue, filtered by state),
//! `/console/incidents/:id` (one incident: its facts, acknowledge / note / resolve, its timeline), and
//! the command center's card of unresolved incidents.

mod card;
mod incident;
mod incident_forms;
mod incidents;
mod rule_form;
mod rules;
pub mod shared;
mod silence;

pub use card::OpenIncidentsCard;
pub use incident::IncidentPage;
pub use incidents::IncidentsPage;
pub use rules::RulesPage;
