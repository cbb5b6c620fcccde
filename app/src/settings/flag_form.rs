//! The feature flag form as a `FlagRule` (parsed at the edge; the rule's own checks are
//! `domain::flags`), and its errors placed next to the field they are about.

use crate::domain::curation::parse_local_time;
use crate::domain::flags::FlagRule;
use crate::error::AppError;

pub struct FlagForm {
    pub on: String,
    pub percent: String,
    pub roles: String,
    pub sellers: String,
    pub users: String,
    pub switch_at: String,
    pub switch_to: String,
}

fn list(s: &str) -> impl Iterator<Item = &str> {
    s.split([',', ' ', '\n']).map(str::trim).filter(|p| !p.is_empty())
}

fn ids(s: &str, field: &str) -> Result<Vec<i64>, AppError> {
    list(s)
        .map(|p| {
            p.parse::<i64>().ok().filter(|id| *id > 0).ok_or_else(|| AppError::invalid(field, "flags.problem.bad_id"))
        })
        .collect()
}

impl FlagForm {
    pub fn parse(&self, offset_minutes: i32) -> Result<FlagRule, AppError> {
        let percent: u8 =
            self.percent.trim().parse().map_err(|_| AppError::invalid("percent", "flags.problem.percent"))?;
        let switch_at = match self.switch_at.trim() {
            "" => None,
            s => Some(
                parse_local_time(s, offset_minutes)
                    .ok_or_else(|| AppError::invalid("switch_at", "settings.problem.not_a_time"))?,
            ),
        };
        let rule = FlagRule {
            on: self.on == "on",
            percent,
            roles: list(&self.roles).map(str::to_string).collect(),
            sellers: ids(&self.sellers, "sellers")?,
            users: ids(&self.users, "users")?,
            switch_at,
            switch_to: self.switch_to == "on",
        };
        rule.check().map_err(|code| AppError::invalid(field_of(code), code))?;
        Ok(rule)
    }
}

fn field_of(code: &str) -> &'static str {
    match code {
        "flags.problem.percent" => "percent",
        "flags.problem.bad_role" => "roles",
        _ => "users",
    }
}

/// A problem `service::prepare` found (pinned, unchanged) goes next to the state field.
pub fn to_field(e: AppError) -> AppError {
    match e {
        AppError::Invalid { code, .. } => AppError::invalid("on", &code),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(percent: &str, users: &str) -> FlagForm {
        FlagForm {
            on: "on".into(),
            percent: percent.into(),
            roles: "tech, support".into(),
            sellers: "".into(),
            users: users.into(),
            switch_at: "2027-01-01T00:00".into(),
            switch_to: "off".into(),
        }
    }

    #[test]
    fn a_form_becomes_a_rule_or_names_its_field() {
        let rule = form("25", "7 9").parse(0).unwrap();
        assert_eq!((rule.percent, rule.users.clone(), rule.roles.len(), rule.switch_to), (25, vec![7, 9], 2, false));
        assert!(rule.switch_at.is_some());
        let field = |r: Result<FlagRule, AppError>| r.unwrap_err().field().map(str::to_string);
        assert_eq!(field(form("101", "").parse(0)), Some("percent".into()));
        assert_eq!(field(form("-1", "").parse(0)), Some("percent".into()));
        assert_eq!(field(form("ten", "").parse(0)), Some("percent".into()));
        assert_eq!(field(form("5", "7, x").parse(0)), Some("users".into()));
        let bad_time = FlagForm { switch_at: "soon".into(), ..form("5", "") };
        assert_eq!(field(bad_time.parse(0)), Some("switch_at".into()));
    }
}
