//! The audit log's filters: as typed (a query string, a form) and as parsed for a query. Plain Rust, so
//! the page, the list server function and the CSV export all judge a filter by the same rules, and the
//! page can show a field's error before (and without) asking the server.

use crate::error::AppError;
use serde::{Deserialize, Serialize};

/// Longest accepted filter value. Real values (emails, `category.operation`, ids) are far shorter;
/// anything longer is a mistake or a probe, and is refused rather than sent to the database.
pub const MAX_FILTER_CHARS: usize = 200;

const DAY_MS: i64 = 86_400_000;

/// The filters exactly as typed; `None` or blank means "any". Field names are the query-string keys.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawFilter {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
}

impl RawFilter {
    /// Reads the filters from any key lookup (a query map, a form).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> RawFilter {
        RawFilter {
            actor: get("actor"),
            action: get("action"),
            target_type: get("target_type"),
            target_id: get("target_id"),
            from: get("from"),
            to: get("to"),
        }
    }

    /// The non-blank filters as `(key, value)`, in form order: for links, hidden inputs and the record
    /// of an export.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        [
            ("actor", &self.actor),
            ("action", &self.action),
            ("target_type", &self.target_type),
            ("target_id", &self.target_id),
            ("from", &self.from),
            ("to", &self.to),
        ]
        .into_iter()
        .filter_map(|(k, v)| non_blank(v).map(|v| (k, v.to_string())))
        .collect()
    }

    /// `actor=...&action=...`, URL-encoded, without a leading `?`.
    pub fn query_string(&self) -> String {
        self.pairs()
            .into_iter()
            .map(|(k, v)| format!("{k}={}", crate::components::states::urlencode(&v)))
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// Whose entries: a user (by id or email), or the system (the CLI, workers, the service token).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActorFilter {
    Id(i64),
    /// Lower-cased, as emails are stored.
    Email(String),
    System,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionFilter {
    /// `users.ban`
    Exact(String),
    /// `users.`: every operation of a category.
    Prefix(String),
}

/// A validated filter. Times are Unix ms: `from_ms` inclusive, `until_ms` exclusive.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub actor: Option<ActorFilter>,
    pub action: Option<ActionFilter>,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    pub from_ms: Option<i64>,
    pub until_ms: Option<i64>,
}

fn non_blank(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// The trimmed value of one field, refused when absurdly long. Anything else (quotes, SQL, scripts) is
/// a literal value: queries bind it as a parameter.
fn field<'a>(name: &str, v: &'a Option<String>) -> Result<Option<&'a str>, AppError> {
    match non_blank(v) {
        Some(s) if s.chars().count() > MAX_FILTER_CHARS => Err(AppError::invalid(name, "audit.filter_too_long")),
        other => Ok(other),
    }
}

impl AuditFilter {
    pub fn parse(raw: &RawFilter) -> Result<AuditFilter, AppError> {
        let actor = field("actor", &raw.actor)?.map(parse_actor).transpose()?;
        let action = field("action", &raw.action)?.map(|a| match a.strip_suffix('.') {
            Some(_) => ActionFilter::Prefix(a.to_string()),
            None => ActionFilter::Exact(a.to_string()),
        });
        let date = |name: &str, v: &Option<String>| -> Result<Option<i64>, AppError> {
            field(name, v)?
                .map(|s| parse_date_ms(s).ok_or_else(|| AppError::invalid(name, "audit.filter_date")))
                .transpose()
        };
        let from_ms = date("from", &raw.from)?;
        // `to` names a whole day: entries up to its last millisecond are included.
        let until_ms = date("to", &raw.to)?.map(|start| start + DAY_MS);
        if let (Some(from), Some(until)) = (from_ms, until_ms) {
            if until <= from {
                return Err(AppError::invalid("to", "audit.filter_range_reversed"));
            }
        }
        Ok(AuditFilter {
            actor,
            action,
            target_type: field("target_type", &raw.target_type)?.map(str::to_string),
            target_id: field("target_id", &raw.target_id)?.map(str::to_string),
            from_ms,
            until_ms,
        })
    }
}

fn parse_actor(s: &str) -> Result<ActorFilter, AppError> {
    if s.eq_ignore_ascii_case("system") {
        return Ok(ActorFilter::System);
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        // All digits but beyond i64 is no user id and no email either.
        return s.parse().map(ActorFilter::Id).map_err(|_| AppError::invalid("actor", "audit.filter_actor"));
    }
    Ok(ActorFilter::Email(s.to_lowercase()))
}

/// `YYYY-MM-DD` (UTC) to the Unix ms of that day's midnight; `None` unless it is a real calendar date.
pub fn parse_date_ms(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let part = &s[r];
        part.bytes().all(|c| c.is_ascii_digit()).then(|| part.parse().ok()).flatten()
    };
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if y < 1 || !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) {
        return None;
    }
    Some(days_from_civil(y, m, d) * DAY_MS)
}

fn days_in_month(y: i64, m: i64) -> i64 {
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    match m {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`), the inverse
/// of `components::states::format_utc`.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::components::states::format_utc;

    fn raw(pairs: &[(&str, &str)]) -> RawFilter {
        RawFilter::from_lookup(|k| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string()))
    }

    fn field_of(r: Result<AuditFilter, AppError>) -> Option<String> {
        r.err().and_then(|e| e.field().map(str::to_string))
    }

    #[test]
    fn dates_are_utc_midnights() {
        assert_eq!(parse_date_ms("1970-01-01"), Some(0));
        assert_eq!(format_utc(parse_date_ms("2026-11-22").unwrap()), "2026-11-22T00:00:00");
        assert_eq!(format_utc(parse_date_ms("2000-02-29").unwrap()), "2000-02-29T00:00:00");
    }

    #[test]
    fn impossible_or_sloppy_dates_are_refused() {
        for bad in [
            "2023-02-29",
            "2024-13-01",
            "2024-04-31",
            "2024-00-10",
            "24-01-01",
            "2024-1-01",
            "2024/01/01",
            "+024-01-01",
            "2024-01-01T00:00",
        ] {
            assert_eq!(parse_date_ms(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_to_date_includes_its_whole_day() {
        let f = AuditFilter::parse(&raw(&[("from", "2026-01-01"), ("to", "2026-01-01")])).unwrap();
        assert_eq!(f.until_ms.unwrap() - f.from_ms.unwrap(), DAY_MS);
    }

    #[test]
    fn a_range_ending_before_it_starts_is_refused_on_to() {
        assert_eq!(
            field_of(AuditFilter::parse(&raw(&[("from", "2026-01-02"), ("to", "2026-01-01")]))).as_deref(),
            Some("to")
        );
    }

    #[test]
    fn a_bad_date_names_its_field() {
        assert_eq!(field_of(AuditFilter::parse(&raw(&[("from", "yesterday")]))).as_deref(), Some("from"));
        assert_eq!(field_of(AuditFilter::parse(&raw(&[("to", "2026-02-30")]))).as_deref(), Some("to"));
    }

    #[test]
    fn an_absurdly_long_value_is_refused_on_its_field() {
        let long = "x".repeat(MAX_FILTER_CHARS + 1);
        for name in ["actor", "action", "target_type", "target_id"] {
            assert_eq!(field_of(AuditFilter::parse(&raw(&[(name, &long)]))).as_deref(), Some(name));
        }
        assert!(AuditFilter::parse(&raw(&[("target_id", &"x".repeat(MAX_FILTER_CHARS))])).is_ok());
    }

    #[test]
    fn actors_are_ids_emails_or_the_system() {
        let actor = |s: &str| AuditFilter::parse(&raw(&[("actor", s)])).unwrap().actor;
        assert_eq!(actor("100042"), Some(ActorFilter::Id(100042)));
        assert_eq!(actor(" Ops@Example.COM "), Some(ActorFilter::Email("ops@example.com".into())));
        assert_eq!(actor("SYSTEM"), Some(ActorFilter::System));
        assert_eq!(actor(""), None);
        assert!(AuditFilter::parse(&raw(&[("actor", "99999999999999999999999")])).is_err());
    }

    #[test]
    fn a_trailing_dot_makes_an_action_a_category() {
        let action = |s: &str| AuditFilter::parse(&raw(&[("action", s)])).unwrap().action;
        assert_eq!(action("users."), Some(ActionFilter::Prefix("users.".into())));
        assert_eq!(action("users.ban"), Some(ActionFilter::Exact("users.ban".into())));
    }

    #[test]
    fn sql_looking_values_are_plain_literals() {
        let f = AuditFilter::parse(&raw(&[("target_id", "1' OR '1'='1"), ("action", "x'; DROP TABLE audit_log;--")]))
            .unwrap();
        assert_eq!(f.target_id.as_deref(), Some("1' OR '1'='1"));
        assert_eq!(f.action, Some(ActionFilter::Exact("x'; DROP TABLE audit_log;--".into())));
    }

    #[test]
    fn the_query_string_keeps_only_given_filters_encoded() {
        let r = raw(&[("actor", "a b@x.io"), ("action", ""), ("to", "2026-01-01")]);
        assert_eq!(r.query_string(), "actor=a%20b%40x.io&to=2026-01-01");
    }
}
