//! Trust & safety's queries and decisions, in three parts: `queue` (the console's reports queue and a
//! case's detail, read-only), `filing` (buyers' reports, sellers' appeals) and `decisions` (the
//! operators' decisions). Each mutation is one `platform::change::Change`: the change, its audit
//! records and its notifications commit together or not at all.

pub use super::decisions::{decide, take_down_listing};
pub use super::filing::{appeal_context, file_appeal, file_report};
pub use super::queue::{counters, get_report, list_reports};
