//! What the directory shows and accepts: rows, the user detail, and the filters. Plain data shared by
//! the server and the browser; the filter rules live here so they are unit-tested without a database.

use crate::domain::account::{DisplayName, Email};
use crate::domain::ban::{BanCategory, BanDuration};
use crate::domain::period::{day_range, RangeProblem};
use crate::domain::permissions::OperatorRole;
use crate::domain::roles::RoleName;
use crate::domain::user_record::{parse_note, parse_tag, Tags};
use crate::error::AppError;
use crate::i18n::Lang;
use serde::{Deserialize, Serialize};

/// Longest search accepted. Longer input is refused with a message rather than cut, so the operator
/// never looks at results for a query they did not type.
pub const SEARCH_MAX_CHARS: usize = 100;

/// Organisation statuses the filter offers: a seller organisation's status is its application state
/// (`domain::seller::SellerStatus`), so every one of those.
pub const ORG_STATUSES: [&str; 7] = ["draft", "submitted", "returned", "rejected", "approved", "active", "suspended"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum UserStatus {
    Active,
    Banned,
    /// Deactivated by an approved deletion request: restorable until the purge, then anonymized.
    Deleted,
}

impl UserStatus {
    pub const ALL: [UserStatus; 3] = [UserStatus::Active, UserStatus::Banned, UserStatus::Deleted];

    pub fn as_str(self) -> &'static str {
        match self {
            UserStatus::Active => "active",
            UserStatus::Banned => "banned",
            UserStatus::Deleted => "deleted",
        }
    }

    pub fn parse(s: &str) -> Option<UserStatus> {
        UserStatus::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// Message key of the status badge.
    pub fn label_key(self) -> &'static str {
        match self {
            UserStatus::Active => "users.status.active",
            UserStatus::Banned => "users.status.banned",
            UserStatus::Deleted => "users.status.deleted",
        }
    }
}

/// Message key of a built-in role's name; a custom role is shown by its own name.
pub fn role_key(role: &RoleName) -> Option<&'static str> {
    role.built_in().map(built_in_role_key)
}

pub fn built_in_role_key(role: OperatorRole) -> &'static str {
    match role {
        OperatorRole::SuperAdmin => "users.role.super_admin",
        OperatorRole::Admin => "users.role.admin",
        OperatorRole::Reviewer => "users.role.reviewer",
        OperatorRole::Finance => "users.role.finance",
        OperatorRole::Support => "users.role.support",
        OperatorRole::Analyst => "users.role.analyst",
        OperatorRole::Tech => "users.role.tech",
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserRow {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub status: UserStatus,
    pub roles: Vec<RoleName>,
    pub created_at_ms: i64,
    pub tags: Vec<String>,
    pub last_sign_in_at_ms: Option<i64>,
    pub sign_in_count: i64,
}

/// Who a user is to the platform: an operator holds a console role; a seller member belongs to (or
/// owns) an organisation; everyone else is a buyer. The first that applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum UserKind {
    Buyer,
    SellerMember,
    Operator,
}

impl UserKind {
    pub const ALL: [UserKind; 3] = [UserKind::Buyer, UserKind::SellerMember, UserKind::Operator];

    pub fn as_str(self) -> &'static str {
        match self {
            UserKind::Buyer => "buyer",
            UserKind::SellerMember => "seller",
            UserKind::Operator => "operator",
        }
    }

    pub fn parse(s: &str) -> Option<UserKind> {
        UserKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label_key(self) -> &'static str {
        match self {
            UserKind::Buyer => "users.kind.buyer",
            UserKind::SellerMember => "users.kind.seller",
            UserKind::Operator => "users.kind.operator",
        }
    }

    pub fn of(has_role: bool, in_organisation: bool) -> UserKind {
        match (has_role, in_organisation) {
            (true, _) => UserKind::Operator,
            (false, true) => UserKind::SellerMember,
            (false, false) => UserKind::Buyer,
        }
    }
}

/// An organisation the user belongs to, with their role in it (`owner`, `staff`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Membership {
    pub organisation_id: i64,
    pub name: String,
    pub kind: String,
    pub status: String,
    pub role: String,
}

/// One audit entry about the user, as the detail page lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct AuditLine {
    pub id: i64,
    pub at_ms: i64,
    pub action: String,
    /// The acting operator's email; `None` when the system acted.
    pub actor: Option<String>,
    pub reason: String,
}

/// A ban's terms as the operator chose them (parsed from the form at the edge).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BanTerms {
    pub category: BanCategory,
    pub duration: BanDuration,
}

impl BanTerms {
    pub fn parse(category: &str, duration: &str) -> Result<BanTerms, AppError> {
        Ok(BanTerms {
            category: BanCategory::parse(category)
                .ok_or_else(|| AppError::invalid("category", "users.ban.category_required"))?,
            duration: BanDuration::parse(duration)
                .ok_or_else(|| AppError::invalid("duration", "users.ban.duration_required"))?,
        })
    }
}

/// Most users one batch ban takes: a page of the directory.
pub const MAX_BATCH_BAN: usize = 50;

/// The users a batch ban names: at least one, at most `MAX_BATCH_BAN`, each once, in the given order.
pub fn parse_batch(ids: &[i64]) -> Result<Vec<i64>, AppError> {
    if ids.is_empty() {
        return Err(AppError::invalid("ids", "users.batch_ban.none_selected"));
    }
    if ids.iter().any(|id| *id <= 0) {
        return Err(AppError::invalid("ids", "users.batch_ban.none_selected"));
    }
    let mut seen = std::collections::BTreeSet::new();
    let unique: Vec<i64> = ids.iter().copied().filter(|id| seen.insert(*id)).collect();
    if unique.len() > MAX_BATCH_BAN {
        return Err(AppError::invalid("ids", "users.batch_ban.too_many"));
    }
    Ok(unique)
}

/// What a batch ban did: every user banned, or none because of the first refusal (which user, why).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum BatchBan {
    Banned(usize),
    Refused { user_id: i64, email: String, code: String },
}

/// The profile group of the edit forms: the name shown to others and the language of the mails.
#[derive(Debug, Clone)]
pub struct ProfileEdit {
    pub display_name: DisplayName,
    pub lang: Lang,
}

impl ProfileEdit {
    pub fn parse(display_name: &str, lang: &str) -> Result<ProfileEdit, AppError> {
        Ok(ProfileEdit {
            display_name: DisplayName::parse(display_name).map_err(|e| AppError::invalid("display_name", e.code()))?,
            lang: Lang::parse(lang).ok_or_else(|| AppError::invalid("lang", "users.create.lang_required"))?,
        })
    }
}

/// The contact group of the edit forms: the phone number (`None`: remove it).
#[derive(Debug, Clone)]
pub struct ContactEdit {
    pub phone: Option<String>,
}

impl ContactEdit {
    #[cfg(feature = "ssr")]
    pub fn parse(phone: &str) -> Result<ContactEdit, AppError> {
        let phone = crate::domain::phone::parse(phone).map_err(|e| AppError::invalid("phone", e.code()))?;
        Ok(ContactEdit { phone })
    }
}

/// The tags-and-note group of the edit forms.
#[derive(Debug, Clone)]
pub struct RecordEdit {
    pub tags: Tags,
    pub note: String,
}

impl RecordEdit {
    pub fn parse(tags: &str, note: &str) -> Result<RecordEdit, AppError> {
        Ok(RecordEdit {
            tags: Tags::parse(tags).map_err(|e| AppError::invalid("tags", e.code()))?,
            note: parse_note(note).map_err(|e| AppError::invalid("note", e.code()))?,
        })
    }
}

/// An account an operator creates: its address, name and the language of its mails. Each field's
/// problem is reported next to that field.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: Email,
    pub display_name: DisplayName,
    pub lang: Lang,
}

impl NewUser {
    pub fn parse(email: &str, display_name: &str, lang: &str) -> Result<NewUser, AppError> {
        Ok(NewUser {
            email: Email::parse(email).map_err(|e| AppError::invalid("email", e.code()))?,
            display_name: DisplayName::parse(display_name).map_err(|e| AppError::invalid("display_name", e.code()))?,
            lang: Lang::parse(lang).ok_or_else(|| AppError::invalid("lang", "users.create.lang_required"))?,
        })
    }
}

/// One refused attempt (a permission check, a protected action's password, a locked or banned
/// sign-in), as the directory lists the latest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Refusal {
    pub id: i64,
    pub at_ms: i64,
    pub action: String,
    pub user_id: Option<i64>,
    pub email: Option<String>,
    pub reason: String,
    pub ip: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserDetail {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub status: UserStatus,
    pub created_at_ms: i64,
    pub banned_at_ms: Option<i64>,
    pub ban_reason: Option<String>,
    pub ban_category: Option<BanCategory>,
    /// When the ban ends by itself; `None` with a ban: permanent.
    pub ban_ends_at_ms: Option<i64>,
    /// False between an invitation or an operator's reset and the owner choosing a password.
    pub password_set: bool,
    /// Signs in with an authenticator app's codes too.
    pub second_factor: bool,
    /// The phone number masked (`domain::phone::mask`); the full one only through `reveal_user_phone`.
    pub phone_masked: Option<String>,
    pub email_verified: bool,
    pub last_sign_in_at_ms: Option<i64>,
    pub sign_in_count: i64,
    pub tags: Vec<String>,
    /// For the platform team only.
    pub internal_note: String,
    pub locale: String,
    pub roles: Vec<RoleName>,
    /// Sessions that would still let the user in now.
    pub active_sessions: i64,
    pub memberships: Vec<Membership>,
    /// The user's latest account deletion request, if any (filled in by `api::get_user`).
    pub deletion: Option<super::deletion::model::DeletionRow>,
    /// Every role, built-in and custom, when the caller may assign them (filled in by `api::get_user`).
    pub assignable_roles: Vec<RoleName>,
    /// The last audit entries targeting this user; `None` when the caller may not read the audit log.
    pub recent_audit: Option<Vec<AuditLine>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct OrgRow {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub status: String,
    pub region: String,
    pub owner_email: String,
    pub members: i64,
    pub created_at_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoleFilter {
    /// Holds at least one operator role.
    Any,
    /// Holds no operator role (buyers and sellers).
    None,
    /// Holds this role (built-in or custom).
    Role(RoleName),
}

impl RoleFilter {
    pub fn parse(s: &str) -> Option<RoleFilter> {
        match s {
            "any" => Some(RoleFilter::Any),
            "none" => Some(RoleFilter::None),
            other => RoleName::parse(other).ok().map(RoleFilter::Role),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UserFilter {
    pub search: Option<String>,
    pub status: Option<UserStatus>,
    pub role: Option<RoleFilter>,
    pub kind: Option<UserKind>,
    pub tag: Option<String>,
    /// Signed up at or after.
    pub joined_from_ms: Option<i64>,
    /// Signed up before (the day after the `to` date).
    pub joined_until_ms: Option<i64>,
}

/// The directory's query string, as the GET form sends it.
#[derive(Debug, Clone, Copy, Default)]
pub struct RawUserFilter<'a> {
    pub q: Option<&'a str>,
    pub status: Option<&'a str>,
    pub role: Option<&'a str>,
    pub kind: Option<&'a str>,
    pub tag: Option<&'a str>,
    pub from: Option<&'a str>,
    pub to: Option<&'a str>,
}

impl UserFilter {
    /// Empty values mean "no filter", as an untouched GET form sends them.
    pub fn parse(raw: RawUserFilter) -> Result<UserFilter, AppError> {
        let status = match present(raw.status) {
            None => None,
            Some(s) => Some(UserStatus::parse(s).ok_or_else(|| AppError::invalid("status", "users.bad_filter"))?),
        };
        let role = match present(raw.role) {
            None => None,
            Some(r) => Some(RoleFilter::parse(r).ok_or_else(|| AppError::invalid("role", "users.bad_filter"))?),
        };
        let kind = match present(raw.kind) {
            None => None,
            Some(k) => Some(UserKind::parse(k).ok_or_else(|| AppError::invalid("kind", "users.bad_filter"))?),
        };
        let tag = present(raw.tag).map(|t| parse_tag(t).map_err(|e| AppError::invalid("tag", e.code()))).transpose()?;
        let (joined_from_ms, joined_until_ms) = day_range(raw.from, raw.to).map_err(|p| match p {
            RangeProblem::BadFrom => AppError::invalid("from", "users.bad_date"),
            RangeProblem::BadTo => AppError::invalid("to", "users.bad_date"),
            RangeProblem::Reversed => AppError::invalid("to", "users.range_reversed"),
        })?;
        Ok(UserFilter { search: parse_search(raw.q)?, status, role, kind, tag, joined_from_ms, joined_until_ms })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OrgFilter {
    pub search: Option<String>,
    pub status: Option<&'static str>,
}

impl OrgFilter {
    pub fn parse(q: Option<&str>, status: Option<&str>) -> Result<OrgFilter, AppError> {
        let status = match present(status) {
            None => None,
            Some(s) => Some(
                ORG_STATUSES
                    .into_iter()
                    .find(|known| *known == s)
                    .ok_or_else(|| AppError::invalid("status", "users.bad_filter"))?,
            ),
        };
        Ok(OrgFilter { search: parse_search(q)?, status })
    }
}

fn present(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

/// A trimmed search of at most `SEARCH_MAX_CHARS` characters. Control characters are refused: they
/// match nothing a person typed, and PostgreSQL rejects NUL in text outright.
pub fn parse_search(q: Option<&str>) -> Result<Option<String>, AppError> {
    let Some(q) = present(q) else { return Ok(None) };
    if q.chars().count() > SEARCH_MAX_CHARS {
        return Err(AppError::invalid("q", "users.search_too_long"));
    }
    if q.chars().any(char::is_control) {
        return Err(AppError::invalid("q", "users.search_invalid"));
    }
    Ok(Some(q.to_string()))
}

/// The most roles one form may name (there are seven built-in ones; custom ones add up slowly).
pub const MAX_ROLES_PER_USER: usize = 32;

/// The role names of a role form. Malformed names are refused (not skipped): a typo must not silently
/// take a role away; whether a custom role exists is checked in the change. The result is sorted and
/// without duplicates.
pub fn parse_roles(names: &[String]) -> Result<Vec<RoleName>, AppError> {
    if names.len() > MAX_ROLES_PER_USER {
        return Err(AppError::invalid("roles", "users.roles_too_many"));
    }
    let mut roles = Vec::with_capacity(names.len());
    for name in names {
        let role = RoleName::parse(name).map_err(|_| AppError::invalid("roles", "users.roles_unknown"))?;
        roles.push(role);
    }
    roles.sort();
    roles.dedup();
    Ok(roles)
}

/// Roles as the notification shows them: `finance, support`, or `none`.
pub fn roles_text(roles: &[RoleName]) -> String {
    if roles.is_empty() {
        "none".to_string()
    } else {
        roles.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(q: Option<&str>, status: Option<&str>, role: Option<&str>) -> Result<UserFilter, AppError> {
        UserFilter::parse(RawUserFilter { q, status, role, ..RawUserFilter::default() })
    }

    #[test]
    fn a_batch_names_each_user_once_and_not_too_many() {
        assert_eq!(parse_batch(&[3, 1, 3, 2]).unwrap(), vec![3, 1, 2]);
        assert_eq!(parse_batch(&[]), Err(AppError::invalid("ids", "users.batch_ban.none_selected")));
        assert_eq!(parse_batch(&[0]), Err(AppError::invalid("ids", "users.batch_ban.none_selected")));
        let many: Vec<i64> = (1..=(MAX_BATCH_BAN as i64 + 1)).collect();
        assert_eq!(parse_batch(&many), Err(AppError::invalid("ids", "users.batch_ban.too_many")));
        assert_eq!(parse_batch(&many[..MAX_BATCH_BAN]).unwrap().len(), MAX_BATCH_BAN);
    }

    #[test]
    fn empty_filters_mean_no_filter() {
        assert_eq!(parse(Some(""), Some(" "), None).unwrap(), UserFilter::default());
        let blank =
            RawUserFilter { kind: Some(""), tag: Some(" "), from: Some(""), to: None, ..RawUserFilter::default() };
        assert_eq!(UserFilter::parse(blank).unwrap(), UserFilter::default());
    }

    #[test]
    fn known_filters_are_parsed() {
        let f = parse(Some(" ann "), Some("banned"), Some("support")).unwrap();
        assert_eq!(f.search.as_deref(), Some("ann"));
        assert_eq!(f.status, Some(UserStatus::Banned));
        assert_eq!(f.role, Some(RoleFilter::Role(OperatorRole::Support.into())));
        assert_eq!(parse(None, None, Some("any")).unwrap().role, Some(RoleFilter::Any));
        assert_eq!(parse(None, None, Some("none")).unwrap().role, Some(RoleFilter::None));
        let raw = RawUserFilter {
            kind: Some("seller"),
            tag: Some(" VIP "),
            from: Some("2026-12-01"),
            to: Some("2026-12-01"),
            ..RawUserFilter::default()
        };
        let f = UserFilter::parse(raw).unwrap();
        assert_eq!((f.kind, f.tag.as_deref()), (Some(UserKind::SellerMember), Some("vip")));
        assert_eq!(f.joined_until_ms.unwrap() - f.joined_from_ms.unwrap(), crate::domain::period::DAY_MS);
    }

    #[test]
    fn an_unknown_filter_value_is_refused_next_to_its_field() {
        assert_eq!(parse(None, Some("gone"), None), Err(AppError::invalid("status", "users.bad_filter")));
        assert_eq!(parse(None, None, Some("<root>")), Err(AppError::invalid("role", "users.bad_filter")));
        assert_eq!(OrgFilter::parse(None, Some("x")), Err(AppError::invalid("status", "users.bad_filter")));
        let field = |raw: RawUserFilter| UserFilter::parse(raw).unwrap_err().field().map(str::to_string);
        assert_eq!(field(RawUserFilter { kind: Some("robot"), ..Default::default() }).as_deref(), Some("kind"));
        assert_eq!(field(RawUserFilter { tag: Some("two words"), ..Default::default() }).as_deref(), Some("tag"));
        assert_eq!(field(RawUserFilter { from: Some("2026-02-30"), ..Default::default() }).as_deref(), Some("from"));
        let reversed = RawUserFilter { from: Some("2026-03-02"), to: Some("2026-03-01"), ..Default::default() };
        assert_eq!(UserFilter::parse(reversed), Err(AppError::invalid("to", "users.range_reversed")));
    }

    #[test]
    fn the_kind_is_the_first_that_applies() {
        assert_eq!(UserKind::of(true, true), UserKind::Operator);
        assert_eq!(UserKind::of(false, true), UserKind::SellerMember);
        assert_eq!(UserKind::of(false, false), UserKind::Buyer);
        for k in UserKind::ALL {
            assert_eq!(UserKind::parse(k.as_str()), Some(k));
        }
    }

    #[test]
    fn a_search_is_bounded_in_characters() {
        assert!(parse_search(Some(&"密".repeat(SEARCH_MAX_CHARS))).is_ok());
        assert_eq!(parse_search(Some(&"x".repeat(10_000))), Err(AppError::invalid("q", "users.search_too_long")));
        assert_eq!(parse_search(Some("a\0b")), Err(AppError::invalid("q", "users.search_invalid")));
        assert_eq!(parse_search(Some("🛒")).unwrap().as_deref(), Some("🛒"));
    }

    #[test]
    fn role_names_are_validated_sorted_and_deduplicated() {
        let names = vec!["support".to_string(), "finance".to_string(), "support".to_string()];
        let expected: Vec<RoleName> = vec![OperatorRole::Finance.into(), OperatorRole::Support.into()];
        assert_eq!(parse_roles(&names).unwrap(), expected);
        assert_eq!(parse_roles(&[]).unwrap(), vec![]);
        assert_eq!(
            parse_roles(&["catalog_assistant".into()]).unwrap(),
            vec![RoleName::parse("catalog_assistant").unwrap()]
        );
        assert_eq!(parse_roles(&["<b>".to_string()]), Err(AppError::invalid("roles", "users.roles_unknown")));
        let many: Vec<String> = (0..33).map(|i| format!("role_{i}")).collect();
        assert_eq!(parse_roles(&many), Err(AppError::invalid("roles", "users.roles_too_many")));
    }

    #[test]
    fn roles_read_as_a_list_or_none() {
        assert_eq!(roles_text(&[]), "none");
        assert_eq!(roles_text(&[OperatorRole::Finance.into(), OperatorRole::Support.into()]), "finance, support");
    }
}
