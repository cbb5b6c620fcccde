//! The two header decisions of a static file, as plain functions: which encoding the client gets
//! (Accept-Encoding) and whether its cached copy is still current (If-None-Match).

/// A stored form of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Identity,
    Gzip,
    Brotli,
}

impl Encoding {
    /// The Content-Encoding value (none for identity).
    pub fn header(self) -> Option<&'static str> {
        match self {
            Encoding::Identity => None,
            Encoding::Gzip => Some("gzip"),
            Encoding::Brotli => Some("br"),
        }
    }

    /// What the ETag of this form carries after the content's tag: each form is its own
    /// representation, so each has its own strong ETag.
    pub fn etag_suffix(self) -> &'static str {
        match self {
            Encoding::Identity => "",
            Encoding::Gzip => "-gz",
            Encoding::Brotli => "-br",
        }
    }
}

/// The q-value the client gives `coding` (`*` stands for any coding it did not name); 0 when the
/// header does not accept it.
fn quality(accept_encoding: &str, coding: &str) -> f32 {
    let mut wildcard = None;
    for item in accept_encoding.split(',') {
        let mut parts = item.split(';');
        let name = parts.next().unwrap_or("").trim();
        let q = parts
            .find_map(|p| p.trim().strip_prefix("q=").or_else(|| p.trim().strip_prefix("Q=")))
            .map(|v| v.trim().parse::<f32>().unwrap_or(0.0))
            .unwrap_or(1.0);
        if name.eq_ignore_ascii_case(coding) || (coding == "gzip" && name.eq_ignore_ascii_case("x-gzip")) {
            return q;
        }
        if name == "*" {
            wildcard = Some(q);
        }
    }
    wildcard.unwrap_or(0.0)
}

/// The form to send: the one the client rates highest among those stored, brotli on a tie (it is the
/// smaller); identity when the client accepts neither stored form.
pub fn choose(accept_encoding: Option<&str>, has_gzip: bool, has_brotli: bool) -> Encoding {
    let Some(accept) = accept_encoding else { return Encoding::Identity };
    let br = if has_brotli { quality(accept, "br") } else { 0.0 };
    let gz = if has_gzip { quality(accept, "gzip") } else { 0.0 };
    if br > 0.0 && br >= gz {
        Encoding::Brotli
    } else if gz > 0.0 {
        Encoding::Gzip
    } else {
        Encoding::Identity
    }
}

/// True when If-None-Match names one of `tags` (quoted ETags of the same content in any form) or `*`.
/// Weak comparison (RFC 9110 13.1.2): a `W/` prefix is ignored. A client holding any form of the
/// content may keep it, since it decodes to the same bytes.
pub fn none_match_hits(if_none_match: &str, tags: &[&str]) -> bool {
    if_none_match.split(',').map(|t| t.trim()).any(|t| {
        let t = t.strip_prefix("W/").unwrap_or(t);
        t == "*" || tags.contains(&t)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brotli_is_preferred_when_both_are_accepted_equally() {
        assert_eq!(choose(Some("gzip, deflate, br, zstd"), true, true), Encoding::Brotli);
        assert_eq!(choose(Some("br;q=1.0, gzip;q=0.8, *;q=0.1"), true, true), Encoding::Brotli);
    }

    #[test]
    fn the_higher_q_value_wins_and_q_zero_refuses() {
        assert_eq!(choose(Some("gzip;q=1, br;q=0.5"), true, true), Encoding::Gzip);
        assert_eq!(choose(Some("br;q=0, gzip"), true, true), Encoding::Gzip);
        assert_eq!(choose(Some("br;q=0, gzip;q=0"), true, true), Encoding::Identity);
    }

    #[test]
    fn only_stored_forms_are_chosen() {
        assert_eq!(choose(Some("br"), true, false), Encoding::Identity);
        assert_eq!(choose(Some("br, gzip"), true, false), Encoding::Gzip);
        assert_eq!(choose(Some("gzip"), false, true), Encoding::Identity);
        assert_eq!(choose(None, true, true), Encoding::Identity);
        assert_eq!(choose(Some(""), true, true), Encoding::Identity);
        assert_eq!(choose(Some("identity"), true, true), Encoding::Identity);
    }

    #[test]
    fn a_wildcard_accepts_what_is_not_named() {
        assert_eq!(choose(Some("*"), true, true), Encoding::Brotli);
        assert_eq!(choose(Some("br;q=0, *"), true, true), Encoding::Gzip);
        assert_eq!(choose(Some("x-gzip"), true, true), Encoding::Gzip);
    }

    #[test]
    fn garbage_headers_fall_back_to_identity() {
        assert_eq!(choose(Some(";;;,,,q=abc"), true, true), Encoding::Identity);
        assert_eq!(choose(Some("br;q=nan-ish"), true, true), Encoding::Identity);
    }

    #[test]
    fn if_none_match_compares_weakly_and_accepts_lists_and_star() {
        let tags = ["\"10-abc\"", "\"10-abc-gz\"", "\"10-abc-br\""];
        assert!(none_match_hits("\"10-abc\"", &tags));
        assert!(none_match_hits("W/\"10-abc-br\"", &tags));
        assert!(none_match_hits("\"x\", \"10-abc-gz\"", &tags));
        assert!(none_match_hits("*", &tags));
        assert!(!none_match_hits("\"10-abd\"", &tags));
        assert!(!none_match_hits("10-abc", &tags));
        assert!(!none_match_hits("", &tags));
    }
}
