//! What the preferences page and the unsubscribe page show, shared by the server functions, the
//! services and the pages.

use serde::{Deserialize, Serialize};

/// One category's row of the preferences grid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreferenceRow {
    /// `Category::as_str`; the label is `prefs.category.<category>`.
    pub category: String,
    pub in_app: bool,
    pub email: bool,
    /// Account security: shown ticked and disabled.
    pub always_on: bool,
}

/// What an unsubscribe link turns off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnsubscribeTarget {
    pub category: String,
    pub email: String,
}

/// The checkbox value of (category, channel) in the preferences form: `orders:email`.
pub fn choice_value(category: &str, channel: &str) -> String {
    format!("{category}:{channel}")
}
