//! Roles as data (issue 14), without storage: the permission catalog stays in code
//! (`permissions::ALL_PERMISSIONS`); a role is a name and a set of grants from it. Built-in roles
//! (`OperatorRole`) cannot be deleted or emptied and `super_admin` always holds every permission;
//! custom roles are made by super admins. The last-super-admin guard stays on role assignment.

use super::permissions::{OperatorRole, Permission, ALL_PERMISSIONS, CONSOLE_VIEW, RESERVED_TO_SUPER_ADMIN};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::collections::BTreeSet;

pub const NAME_MIN_CHARS: usize = 3;
pub const NAME_MAX_CHARS: usize = 32;
pub const DESCRIPTION_MAX_CHARS: usize = 200;
/// Custom roles a platform may have: the role editor and the user's role form list them all.
pub const MAX_CUSTOM_ROLES: i64 = 50;

/// A permission by its catalog name (`users.ban`); unknown names are refused.
pub fn permission_named(name: &str) -> Option<Permission> {
    ALL_PERMISSIONS.into_iter().find(|p| p.name() == name.trim())
}

/// What kind of role a name is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleKind {
    BuiltIn(OperatorRole),
    Custom,
}

impl RoleKind {
    pub fn of(name: &str) -> RoleKind {
        OperatorRole::parse(name).map(RoleKind::BuiltIn).unwrap_or(RoleKind::Custom)
    }
}

/// A role by its stored name: a built-in one (`super_admin`...) or a custom one (`catalog_assistant`).
/// Built-in roles sort first, in `OperatorRole` order, then custom ones by name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RoleName(String);

impl RoleName {
    /// A stored or submitted name: a built-in role's, or a well-formed custom one's. Whether a custom
    /// role of that name exists is the storage's question.
    pub fn parse(input: &str) -> Result<RoleName, &'static str> {
        match OperatorRole::parse(input.trim()) {
            Some(role) => Ok(role.into()),
            None => parse_custom_name(input).map(RoleName),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn kind(&self) -> RoleKind {
        RoleKind::of(&self.0)
    }

    pub fn built_in(&self) -> Option<OperatorRole> {
        OperatorRole::parse(&self.0)
    }

    pub fn is_super_admin(&self) -> bool {
        self.built_in() == Some(OperatorRole::SuperAdmin)
    }

    fn sort_key(&self) -> (usize, &str) {
        let rank = OperatorRole::ALL.iter().position(|r| Some(*r) == self.built_in());
        (rank.unwrap_or(OperatorRole::ALL.len()), &self.0)
    }
}

impl From<OperatorRole> for RoleName {
    fn from(role: OperatorRole) -> Self {
        RoleName(role.as_str().to_string())
    }
}

impl Ord for RoleName {
    fn cmp(&self, other: &Self) -> Ordering {
        self.sort_key().cmp(&other.sort_key())
    }
}

impl PartialOrd for RoleName {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Whether any of `roles` is `super_admin`.
pub fn any_super_admin(roles: &[RoleName]) -> bool {
    roles.iter().any(RoleName::is_super_admin)
}

/// A custom role's name: lower-case ASCII letters, digits and `_`, starting with a letter, 3 to 32
/// characters (it travels in URLs, the audit log and CSV exports); not a built-in role's name.
pub fn parse_custom_name(input: &str) -> Result<String, &'static str> {
    let name = input.trim().to_ascii_lowercase();
    let len = name.chars().count();
    if !(NAME_MIN_CHARS..=NAME_MAX_CHARS).contains(&len) {
        return Err("roles.name_length");
    }
    let mut chars = name.chars();
    let starts_with_letter = chars.next().is_some_and(|c| c.is_ascii_lowercase());
    if !starts_with_letter || !name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') {
        return Err("roles.name_invalid");
    }
    if OperatorRole::parse(&name).is_some() {
        return Err("roles.name_built_in");
    }
    Ok(name)
}

/// A role's description (what the role is for, shown to whoever assigns it): optional, one line of at
/// most 200 characters.
pub fn parse_description(input: &str) -> Result<String, &'static str> {
    let text = input.trim();
    if text.chars().count() > DESCRIPTION_MAX_CHARS {
        return Err("roles.description_too_long");
    }
    if text.chars().any(char::is_control) {
        return Err("roles.description_invalid");
    }
    Ok(text.to_string())
}

/// The grants named in a form: every name known, at least one, none reserved to `super_admin`;
/// `console.view` comes with any grant (every console permission is used from the console).
pub fn parse_grants(names: &[String]) -> Result<BTreeSet<String>, GrantProblem> {
    let mut grants = BTreeSet::new();
    for name in names.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
        let permission = permission_named(name).ok_or_else(|| GrantProblem::Unknown(name.to_string()))?;
        if RESERVED_TO_SUPER_ADMIN.contains(&permission) {
            return Err(GrantProblem::Reserved(permission.name()));
        }
        grants.insert(permission.name());
    }
    if grants.is_empty() {
        return Err(GrantProblem::Empty);
    }
    grants.insert(CONSOLE_VIEW.name());
    Ok(grants)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GrantProblem {
    Unknown(String),
    Reserved(String),
    Empty,
}

impl GrantProblem {
    pub fn code(&self) -> &'static str {
        match self {
            GrantProblem::Unknown(_) => "roles.unknown_permission",
            GrantProblem::Reserved(_) => "roles.reserved_permission",
            GrantProblem::Empty => "roles.empty",
        }
    }
}

/// Whether the grants of role `name` may be changed: every role but `super_admin` (it holds every
/// permission, always, so the platform can never be left without someone who can fix the roles).
pub fn check_grant_edit(name: &str) -> Result<(), &'static str> {
    match RoleKind::of(name) {
        RoleKind::BuiltIn(OperatorRole::SuperAdmin) => Err("roles.super_admin_fixed"),
        _ => Ok(()),
    }
}

/// Whether role `name`, held by `holders` users, may be deleted: a custom role nobody holds.
pub fn check_delete(name: &str, holders: i64) -> Result<(), &'static str> {
    match (RoleKind::of(name), holders) {
        (RoleKind::BuiltIn(_), _) => Err("roles.built_in"),
        (RoleKind::Custom, n) if n > 0 => Err("roles.in_use"),
        (RoleKind::Custom, _) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::permissions::{LISTINGS_VIEW, USERS_BAN};

    #[test]
    fn permissions_are_found_by_their_catalog_name_only() {
        assert_eq!(permission_named("users.ban"), Some(USERS_BAN));
        assert_eq!(permission_named(" listings.view "), Some(LISTINGS_VIEW));
        assert_eq!(permission_named("users.fly"), None);
        assert_eq!(permission_named("users.ban; DROP TABLE roles"), None);
        for p in ALL_PERMISSIONS {
            assert_eq!(permission_named(&p.name()), Some(p));
        }
    }

    #[test]
    fn custom_role_names_are_plain_and_not_built_in() {
        assert_eq!(parse_custom_name(" Catalog_Assistant "), Ok("catalog_assistant".into()));
        assert_eq!(parse_custom_name("ab"), Err("roles.name_length"));
        assert_eq!(parse_custom_name(&"a".repeat(33)), Err("roles.name_length"));
        assert_eq!(parse_custom_name("1st_line"), Err("roles.name_invalid"));
        assert_eq!(parse_custom_name("<b>x</b>"), Err("roles.name_invalid"));
        assert_eq!(parse_custom_name("客服助理"), Err("roles.name_invalid"));
        assert_eq!(parse_custom_name("super_admin"), Err("roles.name_built_in"));
    }

    #[test]
    fn a_description_is_one_short_line() {
        assert_eq!(parse_description("  Keeps the catalog tidy "), Ok("Keeps the catalog tidy".into()));
        assert_eq!(parse_description(""), Ok(String::new()));
        assert_eq!(parse_description(&"描".repeat(200)).map(|d| d.chars().count()), Ok(200));
        assert_eq!(parse_description(&"x".repeat(201)), Err("roles.description_too_long"));
        assert_eq!(parse_description("two\nlines"), Err("roles.description_invalid"));
    }

    #[test]
    fn grants_are_known_not_empty_and_bring_the_console() {
        let g = parse_grants(&["listings.view".into(), "categories.manage".into(), "listings.view".into()]).unwrap();
        assert_eq!(g.into_iter().collect::<Vec<_>>(), vec!["categories.manage", "console.view", "listings.view"]);
        assert_eq!(parse_grants(&["users.fly".into()]), Err(GrantProblem::Unknown("users.fly".into())));
        assert_eq!(parse_grants(&[]), Err(GrantProblem::Empty));
        assert_eq!(parse_grants(&["roles.manage".into()]), Err(GrantProblem::Reserved("roles.manage".into())));
        assert_eq!(parse_grants(&["roles.assign".into()]), Err(GrantProblem::Reserved("roles.assign".into())));
        assert_eq!(parse_grants(&["  ".into()]), Err(GrantProblem::Empty));
    }

    #[test]
    fn role_names_are_built_in_or_well_formed_and_sort_built_in_first() {
        assert_eq!(RoleName::parse("finance").unwrap().built_in(), Some(OperatorRole::Finance));
        assert!(RoleName::parse("super_admin").unwrap().is_super_admin());
        assert_eq!(RoleName::parse("Catalog_Assistant").unwrap().kind(), RoleKind::Custom);
        assert_eq!(RoleName::parse("x"), Err("roles.name_length"));
        let mut names: Vec<RoleName> =
            ["aardvark", "tech", "super_admin", "finance"].iter().map(|n| RoleName::parse(n).unwrap()).collect();
        names.sort();
        let sorted: Vec<&str> = names.iter().map(RoleName::as_str).collect();
        assert_eq!(sorted, vec!["super_admin", "finance", "tech", "aardvark"]);
        assert!(any_super_admin(&names) && !any_super_admin(&names[1..]));
    }

    #[test]
    fn built_in_roles_stay_and_super_admin_keeps_everything() {
        assert_eq!(check_grant_edit("super_admin"), Err("roles.super_admin_fixed"));
        assert_eq!(check_grant_edit("support"), Ok(()));
        assert_eq!(check_grant_edit("catalog_assistant"), Ok(()));
        assert_eq!(check_delete("support", 0), Err("roles.built_in"));
        assert_eq!(check_delete("catalog_assistant", 2), Err("roles.in_use"));
        assert_eq!(check_delete("catalog_assistant", 0), Ok(()));
    }
}
