//! What crosses the wire for the template editor.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TemplateListRow {
    pub id: i64,
    pub event_type: String,
    pub channel: String,
    pub locale: String,
    pub enabled: bool,
    pub version: i64,
    pub updated_at_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VariableView {
    pub name: String,
    pub required: bool,
    pub sample: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VersionRow {
    pub version: i64,
    pub created_at_ms: i64,
    /// Who saved it; `None`: the built-in default.
    pub created_by: Option<String>,
    pub subject: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TemplateDetail {
    pub row: TemplateListRow,
    pub category: String,
    pub transactional: bool,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    pub variables: Vec<VariableView>,
    /// Newest first.
    pub versions: Vec<VersionRow>,
}

/// A template rendered with its event's sample values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Preview {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// An (event, channel, locale) an event declares but no template exists for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MissingTemplate {
    pub event_type: String,
    pub channel: String,
    pub locale: String,
}
