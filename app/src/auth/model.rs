//! What the browser knows about the signed-in user.

use crate::domain::permissions::{Permission, PermissionSet, CONSOLE_VIEW};
use crate::domain::roles::RoleName;
use crate::i18n::Lang;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Viewer {
    pub user_id: i64,
    pub email: String,
    pub display_name: String,
    pub roles: Vec<RoleName>,
    /// What the stored grants of `roles` allow: the console's navigation and page guards follow it
    /// (the server functions check again on every call).
    pub permissions: PermissionSet,
    pub lang: Lang,
    /// An authenticator app is enrolled (protected forms ask for its code).
    pub second_factor: bool,
    /// An operator who must enrol one before the console opens (`operator_second_factor`).
    pub must_enrol_second_factor: bool,
}

impl Viewer {
    pub fn can(&self, permission: Permission) -> bool {
        self.permissions.contains(permission)
    }

    pub fn is_operator(&self) -> bool {
        self.can(CONSOLE_VIEW)
    }
}

/// What a sign-in answers: signed in, or the second factor comes next (`/signin/second-factor`; the
/// challenge travels in an HttpOnly cookie, not in this answer).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum SignInStep {
    SignedIn(Viewer),
    SecondFactor,
}

/// The viewer of a page request, found by the server before rendering (see the server's
/// `http::viewer` middleware) and embedded in the page for hydration, so that no view waits on a
/// request to learn who is signed in.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct RequestViewer(pub Option<Viewer>);

/// The id of the `<script type="application/json">` element carrying the `RequestViewer`.
pub const VIEWER_SCRIPT_ID: &str = "agora-viewer";

/// JSON for an inline script: `<` escaped so no value can close the element.
pub fn viewer_json(viewer: &RequestViewer) -> String {
    embedded_json(viewer)
}

/// Any value as JSON for an inline script, `<` escaped so no value can close the element.
pub fn embedded_json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".into()).replace('<', "\\u003c")
}

/// The account page's view of the address: proven or not, and an address change waiting for its
/// confirmation link to be opened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EmailStatus {
    pub verified: bool,
    pub pending_email: Option<String>,
}
