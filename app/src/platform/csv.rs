//! CSV for the console's exports (RFC 4180), safe to open in a spreadsheet: the audit log and the
//! datasets of `crate::exports`. Their fields hold text that users typed (reasons, emails, names,
//! addresses), so every cell is escaped and none can become a formula.

/// One cell: a value a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a tab or
/// a carriage return) gets a leading `'`, which spreadsheets show as text (OWASP "CSV injection");
/// a cell with a quote, comma or line break is quoted, its quotes doubled.
pub fn cell(value: &str) -> String {
    let neutral = match value.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{value}"),
        _ => value.to_string(),
    };
    if neutral.contains(['"', ',', '\n', '\r']) {
        format!("\"{}\"", neutral.replace('"', "\"\""))
    } else {
        neutral
    }
}

/// One record, CRLF-terminated as RFC 4180 asks.
pub fn record<S: AsRef<str>>(cells: &[S]) -> String {
    let mut line = cells.iter().map(|c| cell(c.as_ref())).collect::<Vec<_>>().join(",");
    line.push_str("\r\n");
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_values_pass_unchanged() {
        assert_eq!(record(&["42", "users.ban", "ok"]), "42,users.ban,ok\r\n");
    }

    #[test]
    fn quotes_commas_and_line_breaks_are_quoted() {
        assert_eq!(cell(r#"said "no""#), r#""said ""no""""#);
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("line\nbreak"), "\"line\nbreak\"");
        assert_eq!(cell(r#"{"status":"banned"}"#), r#""{""status"":""banned""}""#);
    }

    #[test]
    fn formula_starts_are_defused() {
        assert_eq!(cell("=HYPERLINK(\"http://evil\")"), "\"'=HYPERLINK(\"\"http://evil\"\")\"");
        assert_eq!(cell("+1"), "'+1");
        assert_eq!(cell("-2+3"), "'-2+3");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("\tx"), "'\tx");
        assert_eq!(cell("a=b"), "a=b");
    }

    #[test]
    fn empty_cells_stay_empty() {
        assert_eq!(record(&["", "x"]), ",x\r\n");
    }
}
