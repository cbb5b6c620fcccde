//! Feature flags (issue 15). A flag is a runtime setting (`flag.<name>` in `domain::settings`), so it
//! is changed, versioned, rolled back, audited and spread to every server like any other; its value
//! is a `FlagRule`: on or off, a percentage of users (stable per user), targets (roles, sellers,
//! users) that get it whatever the percentage, and an optional switch to on or off at a time.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The flags the code asks about, each with its state on a fresh installation.
pub const FLAGS: &[(&str, bool)] = &[
    // The sandbox card at checkout (still only where `payment_providers` offers it).
    ("sandbox_card", true),
    // New seller applications.
    ("seller_signups", true),
    // Public sign-up (still only where `signup_policy` is open).
    ("public_signup", true),
];

pub const MAX_TARGETS: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlagRule {
    pub on: bool,
    /// 0 to 100: the share of signed-in users it is on for (100: everyone, visitors included).
    pub percent: u8,
    #[serde(default)]
    pub roles: Vec<String>,
    #[serde(default)]
    pub sellers: Vec<i64>,
    #[serde(default)]
    pub users: Vec<i64>,
    /// At this instant the flag turns `switch_to`.
    #[serde(default)]
    pub switch_at: Option<i64>,
    #[serde(default)]
    pub switch_to: bool,
}

impl FlagRule {
    pub fn everyone(on: bool) -> FlagRule {
        FlagRule { on, percent: 100, roles: vec![], sellers: vec![], users: vec![], switch_at: None, switch_to: false }
    }

    /// The canonical stored form.
    pub fn canonical(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// A stored or submitted rule, checked: `None` names what is wrong (a message key).
    pub fn parse(s: &str) -> Result<FlagRule, &'static str> {
        let rule: FlagRule = serde_json::from_str(s).map_err(|_| "flags.problem.malformed")?;
        rule.check()?;
        Ok(rule)
    }

    pub fn check(&self) -> Result<(), &'static str> {
        if self.percent > 100 {
            return Err("flags.problem.percent");
        }
        if self.roles.len() + self.sellers.len() + self.users.len() > MAX_TARGETS {
            return Err("flags.problem.too_many_targets");
        }
        if self.sellers.iter().chain(&self.users).any(|id| *id <= 0) {
            return Err("flags.problem.bad_id");
        }
        if self.roles.iter().any(|r| {
            r.is_empty()
                || r.len() > 32
                || !r.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        }) {
            return Err("flags.problem.bad_role");
        }
        Ok(())
    }

    /// On or off at `now`, before targeting: the switch, once its time has come, wins.
    pub fn on_at(&self, now: i64) -> bool {
        match self.switch_at {
            Some(at) if at <= now => self.switch_to,
            _ => self.on,
        }
    }
}

/// Who asks: a visitor (no user) or a signed-in user with their roles and seller organisation.
#[derive(Debug, Clone, Copy, Default)]
pub struct Subject<'a> {
    pub user_id: Option<i64>,
    pub roles: &'a [String],
    pub seller: Option<i64>,
}

/// 0..100, the same for a user and a flag every time (and independent between flags).
pub fn bucket(flag: &str, user_id: i64) -> u8 {
    let digest = Sha256::digest(format!("{flag}:{user_id}").as_bytes());
    (u16::from_be_bytes([digest[0], digest[1]]) % 100) as u8
}

pub fn is_on(flag: &str, rule: &FlagRule, who: Subject<'_>, now: i64) -> bool {
    if !rule.on_at(now) {
        return false;
    }
    let targeted = who.user_id.is_some_and(|u| rule.users.contains(&u))
        || who.seller.is_some_and(|s| rule.sellers.contains(&s))
        || who.roles.iter().any(|r| rule.roles.contains(r));
    targeted || rule.percent >= 100 || who.user_id.is_some_and(|u| bucket(flag, u) < rule.percent)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(percent: u8) -> FlagRule {
        FlagRule { percent, ..FlagRule::everyone(true) }
    }

    #[test]
    fn a_percentage_is_stable_per_user_and_close_to_its_share() {
        let r = rule(30);
        let on: Vec<bool> =
            (1..=10_000).map(|u| is_on("beta", &r, Subject { user_id: Some(u), ..Default::default() }, 0)).collect();
        let again: Vec<bool> =
            (1..=10_000).map(|u| is_on("beta", &r, Subject { user_id: Some(u), ..Default::default() }, 0)).collect();
        assert_eq!(on, again, "the same users every time");
        let share = on.iter().filter(|b| **b).count();
        assert!((2_700..=3_300).contains(&share), "{share} of 10000 for 30%");
        // Raising the percentage keeps everyone who had it.
        let more = rule(60);
        assert!((1..=10_000).all(|u| {
            let s = Subject { user_id: Some(u), ..Default::default() };
            !is_on("beta", &r, s, 0) || is_on("beta", &more, s, 0)
        }));
        // A visitor is in only at 100%.
        assert!(!is_on("beta", &rule(99), Subject::default(), 0));
        assert!(is_on("beta", &rule(100), Subject::default(), 0));
        assert!(!is_on("beta", &rule(0), Subject { user_id: Some(1), ..Default::default() }, 0));
    }

    #[test]
    fn targets_get_it_whatever_the_percentage_and_off_is_off() {
        let roles = vec!["tech".to_string()];
        let r = FlagRule {
            percent: 0,
            roles: roles.clone(),
            sellers: vec![7],
            users: vec![42],
            ..FlagRule::everyone(true)
        };
        assert!(is_on("f", &r, Subject { user_id: Some(42), ..Default::default() }, 0));
        assert!(is_on("f", &r, Subject { user_id: Some(1), seller: Some(7), ..Default::default() }, 0));
        assert!(is_on("f", &r, Subject { user_id: Some(1), roles: &roles, ..Default::default() }, 0));
        assert!(!is_on("f", &r, Subject { user_id: Some(1), ..Default::default() }, 0));
        let off = FlagRule { on: false, ..r };
        assert!(!is_on("f", &off, Subject { user_id: Some(42), ..Default::default() }, 0));
    }

    #[test]
    fn a_scheduled_switch_wins_from_its_time() {
        let r = FlagRule { switch_at: Some(1_000), switch_to: false, ..FlagRule::everyone(true) };
        assert!(is_on("f", &r, Subject::default(), 999));
        assert!(!is_on("f", &r, Subject::default(), 1_000));
        let later_on = FlagRule { on: false, switch_at: Some(1_000), switch_to: true, ..FlagRule::everyone(false) };
        assert!(!later_on.on_at(999) && later_on.on_at(1_000));
    }

    #[test]
    fn bad_rules_are_refused() {
        assert_eq!(FlagRule::parse(&rule(101).canonical()), Err("flags.problem.percent"));
        assert_eq!(FlagRule::parse("{"), Err("flags.problem.malformed"));
        assert_eq!(FlagRule::parse(&FlagRule { users: vec![0], ..rule(5) }.canonical()), Err("flags.problem.bad_id"));
        assert_eq!(
            FlagRule::parse(&FlagRule { roles: vec!["Bad Role".into()], ..rule(5) }.canonical()),
            Err("flags.problem.bad_role")
        );
        let many = FlagRule { users: (1..=201).collect(), ..rule(5) };
        assert_eq!(FlagRule::parse(&many.canonical()), Err("flags.problem.too_many_targets"));
        assert_eq!(FlagRule::parse(&rule(5).canonical()), Ok(rule(5)));
    }
}
