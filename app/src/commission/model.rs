//! What the commission console shows and accepts. The form's parsing lives here (plain Rust, unit
//! tested): the rate is typed in percent with at most two decimals and stored in basis points; the
//! fixed fee, floor and cap are typed in major units of the platform currency.

use crate::domain::commission::{Rule, Scope, MAX_RATE_BPS};
use crate::domain::money::{Currency, Money};
use crate::error::AppError;
use serde::{Deserialize, Serialize};

/// Longest note on a rule version.
pub const NOTE_MAX_CHARS: usize = 500;

/// A rule version's lifecycle: created as a draft, activated once, retired when a newer version of
/// the same scope is activated.
pub const STATUSES: [&str; 3] = ["draft", "active", "retired"];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleRow {
    pub id: i64,
    pub scope: Scope,
    pub scope_id: Option<i64>,
    /// The category's or seller's name (empty for the default scope or an unknown target).
    pub target_name: String,
    pub version: i64,
    pub rate_bps: i64,
    pub fixed_minor: i64,
    pub floor_minor: i64,
    pub cap_minor: Option<i64>,
    pub currency: String,
    pub status: String,
    pub note: String,
    pub created_by: String,
    pub created_at_ms: i64,
    pub activated_at_ms: Option<i64>,
    pub retired_at_ms: Option<i64>,
}

/// A new rule version, parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewRule {
    pub scope: Scope,
    pub scope_id: Option<i64>,
    pub rule: Rule,
}

/// `"10"`, `"10.5"`, `"2.25%"` -> basis points (1000, 1050, 225). At most two decimals, 0..=100 %.
pub fn parse_rate_percent(input: &str) -> Result<i64, &'static str> {
    let s = input.trim().trim_end_matches('%').trim();
    if s.is_empty() {
        return Err("commission.rate_required");
    }
    if s.starts_with('-') {
        return Err("commission.bad_rate");
    }
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    let digits = |t: &str| t.chars().all(|c| c.is_ascii_digit());
    if (whole.is_empty() && frac.is_empty()) || !digits(whole) || !digits(frac) {
        return Err("commission.rate_not_a_number");
    }
    if frac.len() > 2 {
        return Err("commission.rate_too_many_decimals");
    }
    let whole = whole.trim_start_matches('0');
    if whole.len() > 3 {
        return Err("commission.bad_rate");
    }
    let whole: i64 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| "commission.rate_not_a_number")? };
    let frac: i64 =
        if frac.is_empty() { 0 } else { format!("{frac:0<2}").parse().map_err(|_| "commission.rate_not_a_number")? };
    let bps = whole * 100 + frac;
    if bps > MAX_RATE_BPS {
        return Err("commission.bad_rate");
    }
    Ok(bps)
}

/// Basis points as the percent an operator typed: 1050 -> "10.5", 1000 -> "10", 225 -> "2.25".
pub fn format_rate(bps: i64) -> String {
    let (whole, frac) = (bps / 100, bps % 100);
    match frac {
        0 => whole.to_string(),
        f if f % 10 == 0 => format!("{whole}.{}", f / 10),
        f => format!("{whole}.{f:02}"),
    }
}

fn money(field: &'static str, input: &str, currency: Currency) -> Result<i64, AppError> {
    Money::parse(input, currency).map(|m| m.minor).map_err(|e| AppError::invalid(field, e.code()))
}

/// Parses the create form. An empty fixed fee or floor is zero; an empty cap means "no cap".
pub fn parse_new_rule(
    scope: &str,
    scope_id: Option<&str>,
    rate: &str,
    fixed: &str,
    floor: &str,
    cap: Option<&str>,
    currency: Currency,
) -> Result<NewRule, AppError> {
    let scope = Scope::parse(scope.trim()).ok_or_else(|| AppError::invalid("scope", "commission.bad_scope"))?;
    let scope_id = scope_id.map(str::trim).filter(|s| !s.is_empty());
    let scope_id = match (scope, scope_id) {
        (Scope::Default, None) => None,
        (Scope::Default, Some(_)) => return Err(AppError::invalid("scope_id", "commission.default_has_no_target")),
        (_, None) => return Err(AppError::invalid("scope_id", "commission.target_required")),
        (_, Some(s)) => Some(
            s.parse::<i64>()
                .ok()
                .filter(|id| *id > 0)
                .ok_or_else(|| AppError::invalid("scope_id", "commission.target_unknown"))?,
        ),
    };
    let rate_bps = parse_rate_percent(rate).map_err(|code| AppError::invalid("rate", code))?;
    let blank_is_zero = |s: &str| if s.trim().is_empty() { "0".to_string() } else { s.to_string() };
    let fixed_minor = money("fixed", &blank_is_zero(fixed), currency)?;
    let floor_minor = money("floor", &blank_is_zero(floor), currency)?;
    let cap_minor = match cap.map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(c) => Some(money("cap", c, currency)?),
    };
    let rule = Rule { rate_bps, fixed_minor, floor_minor, cap_minor }.validate().map_err(|(field, code)| {
        let field = if field == "rate_bps" { "rate" } else { field };
        AppError::invalid(field, code)
    })?;
    Ok(NewRule { scope, scope_id, rule })
}

/// The note, trimmed; too long is refused rather than cut.
pub fn parse_note(note: &str) -> Result<String, AppError> {
    let note = note.trim();
    if note.chars().count() > NOTE_MAX_CHARS {
        return Err(AppError::invalid("note", "commission.note_too_long"));
    }
    Ok(note.to_string())
}

/// The list filter: `scope` one of the scopes, `status` one of `STATUSES`; empty means all.
pub fn parse_filter(
    scope: Option<&str>,
    status: Option<&str>,
) -> Result<(Option<Scope>, Option<&'static str>), AppError> {
    let scope = match scope.map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(Scope::parse(s).ok_or_else(|| AppError::invalid("scope", "commission.bad_scope"))?),
    };
    let status = match status.map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(
            STATUSES
                .into_iter()
                .find(|x| *x == s)
                .ok_or_else(|| AppError::invalid("status", "commission.bad_status"))?,
        ),
    };
    Ok((scope, status))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_are_percent_with_two_decimals() {
        assert_eq!(parse_rate_percent("10"), Ok(1000));
        assert_eq!(parse_rate_percent("10.5"), Ok(1050));
        assert_eq!(parse_rate_percent(" 2.25 % "), Ok(225));
        assert_eq!(parse_rate_percent("0.01"), Ok(1));
        assert_eq!(parse_rate_percent("100"), Ok(10_000));
        assert_eq!(parse_rate_percent(".5"), Ok(50));
        assert_eq!(parse_rate_percent("100.01"), Err("commission.bad_rate"));
        assert_eq!(parse_rate_percent("1.234"), Err("commission.rate_too_many_decimals"));
        assert_eq!(parse_rate_percent("-1"), Err("commission.bad_rate"));
        assert_eq!(parse_rate_percent("ten"), Err("commission.rate_not_a_number"));
        assert_eq!(parse_rate_percent(""), Err("commission.rate_required"));
        assert_eq!(parse_rate_percent("99999999999999999999"), Err("commission.bad_rate"));
    }

    #[test]
    fn rates_format_back_as_typed() {
        for (bps, text) in [(1000, "10"), (1050, "10.5"), (225, "2.25"), (1, "0.01"), (0, "0")] {
            assert_eq!(format_rate(bps), text);
            assert_eq!(parse_rate_percent(text), Ok(bps));
        }
    }

    #[test]
    fn the_form_parses_into_a_rule() {
        let r = parse_new_rule("default", Some(""), "10", "0.30", "", Some(""), Currency::Usd).unwrap();
        assert_eq!(r.scope, Scope::Default);
        assert_eq!(r.scope_id, None);
        assert_eq!(r.rule, Rule { rate_bps: 1000, fixed_minor: 30, floor_minor: 0, cap_minor: None });
        let r = parse_new_rule("seller", Some("42"), "5", "0", "1", Some("20"), Currency::Usd).unwrap();
        assert_eq!((r.scope_id, r.rule.floor_minor, r.rule.cap_minor), (Some(42), 100, Some(2000)));
    }

    #[test]
    fn bad_input_names_its_field() {
        let field = |r: Result<NewRule, AppError>| r.unwrap_err().field().map(str::to_string);
        let usd = Currency::Usd;
        assert_eq!(field(parse_new_rule("default", None, "10", "", "5", Some("1"), usd)), Some("floor".into()));
        assert_eq!(
            parse_new_rule("default", None, "10", "", "5", Some("1"), usd).unwrap_err().message_key(),
            "commission.floor_above_cap"
        );
        assert_eq!(field(parse_new_rule("global", None, "10", "", "", None, usd)), Some("scope".into()));
        assert_eq!(field(parse_new_rule("category", None, "10", "", "", None, usd)), Some("scope_id".into()));
        assert_eq!(field(parse_new_rule("default", Some("3"), "10", "", "", None, usd)), Some("scope_id".into()));
        assert_eq!(field(parse_new_rule("seller", Some("x"), "10", "", "", None, usd)), Some("scope_id".into()));
        assert_eq!(field(parse_new_rule("default", None, "101", "", "", None, usd)), Some("rate".into()));
        assert_eq!(field(parse_new_rule("default", None, "1", "-1", "", None, usd)), Some("fixed".into()));
        assert_eq!(field(parse_new_rule("default", None, "1", "", "", Some("1.001"), usd)), Some("cap".into()));
    }

    #[test]
    fn filters_and_notes() {
        assert_eq!(parse_filter(Some(""), None).unwrap(), (None, None));
        assert_eq!(parse_filter(Some("seller"), Some("active")).unwrap(), (Some(Scope::Seller), Some("active")));
        assert!(parse_filter(Some("x"), None).is_err());
        assert!(parse_filter(None, Some("gone")).is_err());
        assert_eq!(parse_note("  hi ").unwrap(), "hi");
        assert!(parse_note(&"x".repeat(NOTE_MAX_CHARS + 1)).is_err());
    }
}
