//! Money and date display. Both render the same text on the server and in the browser (UTC, no
//! locale data), so hydration finds the markup it expects.

use crate::domain::money::{Currency, Money};
use crate::i18n::{translate, Lang};
use leptos::prelude::*;

/// An amount as people read it (`¥12.50`).
pub fn money(minor: i64, currency: Currency) -> String {
    Money::new(minor, currency).display()
}

/// A timestamp rendered the same on server and client (UTC, ISO-like), so hydration matches.
#[component]
pub fn Time(ms: i64) -> impl IntoView {
    let text = format_utc(ms);
    view! { <time datetime=text.clone()>{text.replace('T', " ")}" UTC"</time> }
}

/// The text `Time` shows (`2026-11-22 00:00:00 UTC`), for sentences that carry a date.
pub fn time_text(ms: i64) -> String {
    format_utc(ms).replace('T', " ") + " UTC"
}

/// `YYYY-MM-DDTHH:MM:SS` in UTC from Unix milliseconds (civil-from-days, no time zone database).
pub fn format_utc(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}", rem / 3600, rem % 3600 / 60, rem % 60)
}

/// The translation of `prefix + value`, or the value itself when the catalog has no such key
/// (stored codes such as audit actions read better raw than as a missing-key marker).
pub fn label_or_raw(lang: Lang, prefix: &str, value: &str) -> String {
    let key = format!("{prefix}{value}");
    let text = translate(lang, &key);
    if text == key {
        value.to_string()
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::{format_utc, time_text};

    #[test]
    fn utc_formatting_matches_known_instants() {
        assert_eq!(format_utc(0), "1970-01-01T00:00:00");
        assert_eq!(format_utc(1_795_305_600_000), "2026-11-22T00:00:00");
        assert_eq!(format_utc(951_782_400_000), "2000-02-29T00:00:00");
        assert_eq!(time_text(0), "1970-01-01 00:00:00 UTC");
    }
}
