//! The account mails (verification, password reset, address change, sign-in code) this capability
//! sends: their category, variables and built-in default texts. Gathered by `notifications::events`.

use crate::domain::delivery::EventSpec;

pub const EVENTS: &[EventSpec] = &[];
