//! Query-string helpers: list pages keep their filters and their page cursor in the URL, so a list
//! can be bookmarked, reloaded and paged without the WASM.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// A query-string parameter; an empty value reads as absent.
pub fn query_param(key: &'static str) -> impl Fn() -> Option<String> + Copy + Send + Sync + 'static {
    let query = use_query_map();
    move || query.with(|q| q.get(key)).filter(|v| !v.trim().is_empty())
}

/// `k=v&...` of the filters that are set, for the pager's links.
pub fn query_string(pairs: &[(&str, Option<String>)]) -> String {
    pairs.iter().filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}={}", urlencode(v)))).collect::<Vec<_>>().join("&")
}

/// Percent-encoding of everything but the unreserved characters (RFC 3986).
pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{query_string, urlencode};

    #[test]
    fn only_set_filters_are_carried_and_values_are_encoded() {
        assert_eq!(query_string(&[("status", Some("requested".into())), ("seller", None)]), "status=requested");
        assert_eq!(query_string(&[("q", Some("a b&c".into())), ("x", Some("1".into()))]), "q=a%20b%26c&x=1");
        assert_eq!(urlencode("Zoë-1_.~"), "Zo%C3%AB-1_.~");
    }
}
