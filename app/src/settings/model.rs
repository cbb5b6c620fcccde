//! What the settings centre shows.

use serde::{Deserialize, Serialize};

/// Where the value in force comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Source {
    /// `Leptos.toml` or `AGORA_*` (nothing stored).
    Configured,
    /// Changed in the settings centre.
    Stored,
    /// The configuration pins it: the console cannot change it.
    Pinned,
}

/// What a secret shows instead of its value.
pub const SECRET_MASK: &str = "••••••";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SettingRow {
    pub key: String,
    /// The canonical value in force (`SECRET_MASK` or empty for a secret).
    pub value: String,
    pub source: Source,
    /// The configuration's value (masked for a secret).
    pub configured: String,
    pub changed_at_ms: Option<i64>,
    /// A stored secret no configured key opens: its configured value applies meanwhile.
    pub unreadable: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SettingsView {
    pub rows: Vec<SettingRow>,
    /// Instants are shown and entered in the platform's time zone.
    pub utc_offset_minutes: i32,
    /// A sealing key is configured: secrets can be stored.
    pub sealing_key: bool,
    /// The settings version in force in the process that answered.
    pub revision: i64,
}

/// One key of a version: its stored value before and after (`None`: the configuration's value).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VersionValue {
    pub key: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VersionRow {
    pub id: i64,
    /// The operator's address (empty: removed since).
    pub actor: String,
    pub reason: String,
    pub created_at_ms: i64,
    pub rollback_of: Option<i64>,
    pub values: Vec<VersionValue>,
}

/// What the settings say to a page request, found by the server before rendering (its
/// `http::viewer` middleware) and embedded in the page for hydration, like the viewer: the
/// maintenance announcement and the feature flags that are on for this visitor.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct RequestSite {
    pub maintenance: Option<crate::domain::maintenance::MaintenanceNotice>,
    pub flags: Vec<String>,
}

/// The id of the `<script type="application/json">` element carrying the `RequestSite`.
pub const SITE_SCRIPT_ID: &str = "agora-site";

/// The flags on for this page's visitor (provided by the app from `RequestSite`).
#[derive(Debug, Clone, Default)]
pub struct SiteFlags(pub Vec<String>);

/// Whether feature flag `name` is on for whoever views the page (the server checks again).
pub fn use_flag(name: &str) -> bool {
    leptos::prelude::use_context::<SiteFlags>().is_some_and(|f| f.0.iter().any(|n| n == name))
}
