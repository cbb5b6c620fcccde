//! Trust & safety: buyers' reports against a listing or a seller, and sellers' appeals of a takedown.
//! Both enter one queue; each is decided once, with a reason that the people involved are told.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ReportKind {
    Report,
    Appeal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ReportTarget {
    Listing,
    Seller,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ReportCategory {
    Counterfeit,
    Prohibited,
    Fraud,
    Misleading,
    Offensive,
    IntellectualProperty,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ReportStatus {
    Open,
    Resolved,
}

/// How a report or appeal ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Resolution {
    /// No action: the report was not founded (or the appeal was denied).
    Dismissed,
    ListingTakenDown,
    SellerSuspended,
    /// The appeal was upheld: the listing is back.
    Reinstated,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportDecisionError {
    AlreadyDecided,
    /// This resolution does not fit this kind of case (e.g. reinstating on a buyer's report).
    NotApplicable,
}

impl ReportDecisionError {
    pub fn code(self) -> &'static str {
        match self {
            ReportDecisionError::AlreadyDecided => "reports.already_decided",
            ReportDecisionError::NotApplicable => "reports.not_applicable",
        }
    }
}

impl ReportKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ReportKind::Report => "report",
            ReportKind::Appeal => "appeal",
        }
    }
    pub fn parse(s: &str) -> Option<ReportKind> {
        [ReportKind::Report, ReportKind::Appeal].into_iter().find(|k| k.as_str() == s)
    }
}

impl ReportTarget {
    pub fn as_str(self) -> &'static str {
        match self {
            ReportTarget::Listing => "listing",
            ReportTarget::Seller => "seller",
        }
    }
    pub fn parse(s: &str) -> Option<ReportTarget> {
        [ReportTarget::Listing, ReportTarget::Seller].into_iter().find(|k| k.as_str() == s)
    }
}

impl ReportCategory {
    pub const ALL: [ReportCategory; 7] = [
        ReportCategory::Counterfeit,
        ReportCategory::Prohibited,
        ReportCategory::Fraud,
        ReportCategory::Misleading,
        ReportCategory::Offensive,
        ReportCategory::IntellectualProperty,
        ReportCategory::Other,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            ReportCategory::Counterfeit => "counterfeit",
            ReportCategory::Prohibited => "prohibited",
            ReportCategory::Fraud => "fraud",
            ReportCategory::Misleading => "misleading",
            ReportCategory::Offensive => "offensive",
            ReportCategory::IntellectualProperty => "intellectual_property",
            ReportCategory::Other => "other",
        }
    }
    pub fn parse(s: &str) -> Option<ReportCategory> {
        ReportCategory::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

impl ReportStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ReportStatus::Open => "open",
            ReportStatus::Resolved => "resolved",
        }
    }
    pub fn parse(s: &str) -> Option<ReportStatus> {
        [ReportStatus::Open, ReportStatus::Resolved].into_iter().find(|k| k.as_str() == s)
    }

    /// Decides an open case. Which outcomes fit: a report on a listing may be dismissed, take the
    /// listing down or suspend its seller; a report on a seller may be dismissed or suspend it; an
    /// appeal is denied (dismissed) or upheld (reinstated).
    pub fn decide(
        self,
        kind: ReportKind,
        target: ReportTarget,
        resolution: Resolution,
    ) -> Result<ReportStatus, ReportDecisionError> {
        if self != ReportStatus::Open {
            return Err(ReportDecisionError::AlreadyDecided);
        }
        use Resolution as R;
        let fits = matches!(
            (kind, target, resolution),
            (_, _, R::Dismissed)
                | (ReportKind::Report, ReportTarget::Listing, R::ListingTakenDown | R::SellerSuspended)
                | (ReportKind::Report, ReportTarget::Seller, R::SellerSuspended)
                | (ReportKind::Appeal, ReportTarget::Listing, R::Reinstated)
        );
        if fits {
            Ok(ReportStatus::Resolved)
        } else {
            Err(ReportDecisionError::NotApplicable)
        }
    }
}

impl Resolution {
    pub const ALL: [Resolution; 4] =
        [Resolution::Dismissed, Resolution::ListingTakenDown, Resolution::SellerSuspended, Resolution::Reinstated];
    pub fn as_str(self) -> &'static str {
        match self {
            Resolution::Dismissed => "dismissed",
            Resolution::ListingTakenDown => "listing_taken_down",
            Resolution::SellerSuspended => "seller_suspended",
            Resolution::Reinstated => "reinstated",
        }
    }
    pub fn parse(s: &str) -> Option<Resolution> {
        Resolution::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

pub const BODY_MIN_CHARS: usize = 10;
pub const BODY_MAX_CHARS: usize = 2_000;

/// The text a reporter writes: trimmed, 10 to 2,000 characters, no control characters.
pub fn parse_body(input: &str) -> Result<String, &'static str> {
    let s = input.trim();
    let n = s.chars().count();
    if n < BODY_MIN_CHARS {
        return Err(if n == 0 { "field.required" } else { "field.too_short" });
    }
    if n > BODY_MAX_CHARS {
        return Err("field.too_long");
    }
    if s.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
        return Err("field.control_chars");
    }
    Ok(s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use Resolution as R;

    #[test]
    fn a_decided_case_cannot_be_decided_again() {
        let s = ReportStatus::Open.decide(ReportKind::Report, ReportTarget::Listing, R::Dismissed).unwrap();
        for r in Resolution::ALL {
            assert_eq!(
                s.decide(ReportKind::Report, ReportTarget::Listing, r),
                Err(ReportDecisionError::AlreadyDecided)
            );
        }
    }

    #[test]
    fn outcomes_fit_the_case() {
        let open = ReportStatus::Open;
        let ok = |k, t, r| open.decide(k, t, r).is_ok();
        assert!(ok(ReportKind::Report, ReportTarget::Listing, R::ListingTakenDown));
        assert!(ok(ReportKind::Report, ReportTarget::Listing, R::SellerSuspended));
        assert!(ok(ReportKind::Report, ReportTarget::Seller, R::SellerSuspended));
        assert!(!ok(ReportKind::Report, ReportTarget::Seller, R::ListingTakenDown));
        assert!(!ok(ReportKind::Report, ReportTarget::Listing, R::Reinstated));
        assert!(ok(ReportKind::Appeal, ReportTarget::Listing, R::Reinstated));
        assert!(ok(ReportKind::Appeal, ReportTarget::Listing, R::Dismissed));
        assert!(!ok(ReportKind::Appeal, ReportTarget::Listing, R::SellerSuspended));
    }

    #[test]
    fn names_round_trip() {
        for c in ReportCategory::ALL {
            assert_eq!(ReportCategory::parse(c.as_str()), Some(c));
        }
        for r in Resolution::ALL {
            assert_eq!(Resolution::parse(r.as_str()), Some(r));
        }
        assert_eq!(ReportTarget::parse("seller"), Some(ReportTarget::Seller));
        assert_eq!(ReportKind::parse("appeal"), Some(ReportKind::Appeal));
    }

    #[test]
    fn a_report_says_something() {
        assert_eq!(parse_body("  "), Err("field.required"));
        assert_eq!(parse_body("bad"), Err("field.too_short"));
        assert_eq!(parse_body(&"x".repeat(2001)), Err("field.too_long"));
        assert_eq!(parse_body(" This is a counterfeit. "), Ok("This is a counterfeit.".into()));
    }
}
