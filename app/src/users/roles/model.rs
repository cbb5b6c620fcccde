//! What the role pages show about a role.

use crate::domain::permissions::PermissionSet;
use crate::domain::roles::RoleName;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoleRow {
    pub id: i64,
    pub name: RoleName,
    pub description: String,
    pub built_in: bool,
    /// Users holding it, whatever their status.
    pub holders: i64,
    pub grants: PermissionSet,
    pub updated_at_ms: i64,
}
