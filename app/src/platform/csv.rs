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
    let mut line = String::new();
    for (i, c) in cells.iter().enumerate() {
        push_cell(&mut line, i, c.as_ref());
    }
    line.push_str("\r\n");
    line
}

/// Appends `value` as the `index`-th cell of a record being written into `out`, as `cell` escapes
/// it, without allocating when it needs no escaping (most cells of a million-row export).
pub fn push_cell(out: &mut String, index: usize, value: &str) {
    if index > 0 {
        out.push(',');
    }
    let formula = matches!(value.as_bytes().first(), Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r'));
    if formula || value.contains(['"', ',', '\n', '\r']) {
        out.push_str(&cell(value));
    } else {
        out.push_str(value);
    }
}

/// Appends a whole number as the `index`-th cell: a number read from an integer column is never a
/// formula, so a negative amount stays a number a spreadsheet can sum (`-150`, not `'-150`).
pub fn push_int(out: &mut String, index: usize, value: i64) {
    use std::fmt::Write;
    if index > 0 {
        out.push(',');
    }
    let _ = write!(out, "{value}");
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
    fn cells_pushed_into_a_record_escape_as_cell_does() {
        for value in ["plain", "", "a,b", "=1+2", "-2+3", "say \"hi\"", "line\nbreak", "\tx", "a=b", "@x"] {
            let mut out = String::new();
            push_cell(&mut out, 0, value);
            assert_eq!(out, cell(value), "{value:?}");
        }
        let mut out = String::new();
        push_int(&mut out, 0, -150);
        push_cell(&mut out, 1, "-150");
        push_int(&mut out, 2, 7);
        assert_eq!(out, "-150,'-150,7", "integers stay numbers; text that looks like one is defused");
    }

    #[test]
    fn empty_cells_stay_empty() {
        assert_eq!(record(&["", "x"]), ",x\r\n");
    }
}
