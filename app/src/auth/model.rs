//! What the browser knows about the signed-in user.

use crate::domain::permissions::{allows, OperatorRole, Permission, CONSOLE_VIEW};
use crate::i18n::Lang;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Viewer {
    pub user_id: i64,
    pub email: String,
    pub display_name: String,
    pub roles: Vec<OperatorRole>,
    pub lang: Lang,
}

impl Viewer {
    pub fn can(&self, permission: Permission) -> bool {
        allows(&self.roles, permission)
    }

    pub fn is_operator(&self) -> bool {
        self.can(CONSOLE_VIEW)
    }
}
