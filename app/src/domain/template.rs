//! Message templates: `{{name}}` placeholders filled from an event's payload. A template is checked
//! against its event's `EventSpec` before it is saved (known variables only, every required one
//! present, balanced braces, an HTML body without scripts and with balanced tags, size limits), so a
//! saved template always renders. Values are HTML-escaped in the HTML body, never in the text body
//! or the subject (plain text both).

use super::delivery::EventSpec;
use std::collections::BTreeSet;

/// Longest subject, in characters.
pub const MAX_SUBJECT_CHARS: usize = 200;
/// Longest body (text or HTML), in bytes.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Which part of a template a problem is in (the editor shows it next to that field).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Subject,
    Text,
    Html,
}

/// Why a template is refused. The message key is `template.error.<kind>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplateError {
    /// `{{x}}` where the event has no variable `x`.
    UnknownVariable(Part, String),
    /// A required variable appears in none of subject, text and HTML.
    MissingVariable(String),
    /// A `{{` without its `}}` (or the reverse), or an empty / malformed name.
    Unbalanced(Part),
    /// An HTML tag closed that was not open, or left open.
    UnbalancedTags,
    /// `<script>`, an `on...=` event handler attribute or a `javascript:` URL.
    Script,
    /// Subject longer than `MAX_SUBJECT_CHARS`, or a body over `MAX_BODY_BYTES`.
    TooLong(Part),
    /// An empty subject or text body.
    Empty(Part),
}

impl TemplateError {
    pub fn key(&self) -> &'static str {
        match self {
            TemplateError::UnknownVariable(..) => "template.error.unknown_variable",
            TemplateError::MissingVariable(_) => "template.error.missing_variable",
            TemplateError::Unbalanced(_) => "template.error.unbalanced",
            TemplateError::UnbalancedTags => "template.error.unbalanced_tags",
            TemplateError::Script => "template.error.script",
            TemplateError::TooLong(_) => "template.error.too_long",
            TemplateError::Empty(_) => "template.error.empty",
        }
    }

    pub fn part(&self) -> Option<Part> {
        match self {
            TemplateError::UnknownVariable(p, _)
            | TemplateError::Unbalanced(p)
            | TemplateError::TooLong(p)
            | TemplateError::Empty(p) => Some(*p),
            TemplateError::UnbalancedTags | TemplateError::Script => Some(Part::Html),
            TemplateError::MissingVariable(_) => None,
        }
    }
}

/// One email template's three parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailTemplate {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// A piece of a parsed template: literal text or a variable.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece<'a> {
    Literal(&'a str),
    Var(&'a str),
}

/// Splits `s` into literals and `{{name}}` variables (names: letters, digits, `_`, surrounding spaces
/// allowed). `Err` on an unclosed `{{`, a stray `}}` or a malformed name.
fn parse(s: &str) -> Result<Vec<Piece<'_>>, ()> {
    let mut pieces = Vec::new();
    let mut rest = s;
    while let Some(open) = rest.find("{{") {
        let literal = &rest[..open];
        if literal.contains("}}") {
            return Err(());
        }
        pieces.push(Piece::Literal(literal));
        let after = &rest[open + 2..];
        let close = after.find("}}").ok_or(())?;
        let name = after[..close].trim();
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(());
        }
        pieces.push(Piece::Var(name));
        rest = &after[close + 2..];
    }
    if rest.contains("}}") {
        return Err(());
    }
    pieces.push(Piece::Literal(rest));
    Ok(pieces)
}

/// The variables `s` uses; `None` when its braces are unbalanced.
pub fn variables(s: &str) -> Option<BTreeSet<String>> {
    Some(
        parse(s)
            .ok()?
            .into_iter()
            .filter_map(|p| match p {
                Piece::Var(v) => Some(v.to_string()),
                Piece::Literal(_) => None,
            })
            .collect(),
    )
}

/// Checks `t` against `spec`; the first problem found.
pub fn validate(spec: &EventSpec, t: &EmailTemplate) -> Result<(), TemplateError> {
    if t.subject.trim().is_empty() {
        return Err(TemplateError::Empty(Part::Subject));
    }
    if t.text.trim().is_empty() {
        return Err(TemplateError::Empty(Part::Text));
    }
    if t.subject.chars().count() > MAX_SUBJECT_CHARS {
        return Err(TemplateError::TooLong(Part::Subject));
    }
    if t.text.len() > MAX_BODY_BYTES {
        return Err(TemplateError::TooLong(Part::Text));
    }
    if t.html.len() > MAX_BODY_BYTES {
        return Err(TemplateError::TooLong(Part::Html));
    }
    let mut used = BTreeSet::new();
    for (part, s) in [(Part::Subject, &t.subject), (Part::Text, &t.text), (Part::Html, &t.html)] {
        let vars = variables(s).ok_or(TemplateError::Unbalanced(part))?;
        if let Some(unknown) = vars.iter().find(|v| spec.variable(v).is_none()) {
            return Err(TemplateError::UnknownVariable(part, unknown.clone()));
        }
        used.extend(vars);
    }
    if let Some(missing) = spec.variables.iter().find(|v| v.required && !used.contains(v.name)) {
        return Err(TemplateError::MissingVariable(missing.name.to_string()));
    }
    check_html(&t.html)
}

/// Elements that have no closing tag.
const VOID: &[&str] =
    &["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"];

/// Refuses scripts (the `<script>` element, `on...` handler attributes, `javascript:` URLs) and
/// unbalanced tags. Mail clients strip most of this anyway; refusing it at save time means what the
/// editor previews is what recipients get.
fn check_html(html: &str) -> Result<(), TemplateError> {
    let lower = html.to_ascii_lowercase();
    if lower.contains("javascript:") {
        return Err(TemplateError::Script);
    }
    let mut open: Vec<String> = Vec::new();
    let mut rest = lower.as_str();
    while let Some(start) = rest.find('<') {
        let after = &rest[start + 1..];
        if let Some(comment) = after.strip_prefix("!--") {
            let end = comment.find("-->").ok_or(TemplateError::UnbalancedTags)?;
            rest = &comment[end + 3..];
            continue;
        }
        let end = after.find('>').ok_or(TemplateError::UnbalancedTags)?;
        let tag = &after[..end];
        rest = &after[end + 1..];
        if tag.starts_with('!') {
            continue; // <!doctype html>
        }
        let (closing, tag) = match tag.strip_prefix('/') {
            Some(t) => (true, t),
            None => (false, tag),
        };
        let self_closing = tag.ends_with('/');
        let name: String = tag.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
        if name.is_empty() {
            return Err(TemplateError::UnbalancedTags);
        }
        if name == "script" {
            return Err(TemplateError::Script);
        }
        let attributes = &tag[name.len()..];
        if has_event_handler(attributes) {
            return Err(TemplateError::Script);
        }
        if closing {
            if open.pop().as_deref() != Some(name.as_str()) {
                return Err(TemplateError::UnbalancedTags);
            }
        } else if !self_closing && !VOID.contains(&name.as_str()) {
            open.push(name);
        }
    }
    if open.is_empty() {
        Ok(())
    } else {
        Err(TemplateError::UnbalancedTags)
    }
}

/// An attribute named `on<something>` (onclick, onload, ...) in a lower-cased attribute list. Quoted
/// values are dropped first, so a value that happens to start with "on" is not taken for a name.
fn has_event_handler(attributes: &str) -> bool {
    let mut unquoted = String::with_capacity(attributes.len());
    let mut quote = None;
    for c in attributes.chars() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => {
                quote = None;
                unquoted.push(' ');
            }
            (None, c) => unquoted.push(c),
            (Some(_), _) => {}
        }
    }
    unquoted
        .split(|c: char| c.is_whitespace() || c == '/')
        .filter_map(|a| a.split('=').next())
        .any(|name| name.len() > 2 && name.starts_with("on") && name.chars().all(|c| c.is_ascii_alphabetic()))
}

/// Escapes `s` for HTML text and attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Fills `s`'s variables with `value(name)` (a missing value renders empty), escaping each value
/// with `escape`. A template with unbalanced braces renders as it is written.
fn fill(s: &str, value: &dyn Fn(&str) -> Option<String>, escape: fn(&str) -> String) -> String {
    let Ok(pieces) = parse(s) else { return s.to_string() };
    pieces
        .into_iter()
        .map(|p| match p {
            Piece::Literal(l) => l.to_string(),
            Piece::Var(v) => value(v).map(|v| escape(&v)).unwrap_or_default(),
        })
        .collect()
}

/// The rendered mail: subject and text as they are, HTML with every value escaped.
pub fn render(t: &EmailTemplate, value: &dyn Fn(&str) -> Option<String>) -> EmailTemplate {
    let plain = |s: &str| s.to_string();
    EmailTemplate {
        // A subject is one header line: a value with a newline must not start another header.
        subject: fill(&t.subject, value, plain).replace(['\r', '\n'], " "),
        text: fill(&t.text, value, plain),
        html: fill(&t.html, value, escape_html),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::delivery::{Category, Variable};

    const SPEC: EventSpec = EventSpec {
        event_type: "orders.shipped",
        category: Category::Orders,
        transactional: true,
        variables: &[
            Variable { name: "number", required: true, sample: "A-1" },
            Variable { name: "carrier", required: false, sample: "Post" },
        ],
        email: None,
    };

    fn t(subject: &str, text: &str, html: &str) -> EmailTemplate {
        EmailTemplate { subject: subject.into(), text: text.into(), html: html.into() }
    }

    #[test]
    fn a_good_template_passes() {
        let ok = t("Order {{number}}", "Shipped by {{ carrier }}.", "<p>Order <b>{{number}}</b><br></p>");
        assert_eq!(validate(&SPEC, &ok), Ok(()));
        assert_eq!(validate(&SPEC, &t("{{number}}", "x", "")), Ok(()), "an empty HTML body is allowed");
    }

    #[test]
    fn an_unknown_variable_is_refused_with_its_part() {
        assert_eq!(
            validate(&SPEC, &t("{{number}}", "{{total}}", "")),
            Err(TemplateError::UnknownVariable(Part::Text, "total".into()))
        );
    }

    #[test]
    fn a_missing_required_variable_is_refused() {
        assert_eq!(validate(&SPEC, &t("Hi", "{{carrier}}", "")), Err(TemplateError::MissingVariable("number".into())));
    }

    #[test]
    fn unbalanced_braces_are_refused() {
        for (s, part) in [("{{number", Part::Subject), ("number}}", Part::Subject), ("{{}}", Part::Subject)] {
            assert_eq!(validate(&SPEC, &t(s, "x", "")), Err(TemplateError::Unbalanced(part)), "{s}");
        }
        assert_eq!(validate(&SPEC, &t("{{number}}", "a }} b", "")), Err(TemplateError::Unbalanced(Part::Text)));
        assert_eq!(validate(&SPEC, &t("{{number}}", "x", "{{a b}}")), Err(TemplateError::Unbalanced(Part::Html)));
    }

    #[test]
    fn unbalanced_html_tags_are_refused() {
        for html in ["<p>open", "<p></b>", "</p>", "<p><b></p></b>", "<p", "<>"] {
            assert_eq!(validate(&SPEC, &t("{{number}}", "x", html)), Err(TemplateError::UnbalancedTags), "{html}");
        }
        let fine = "<!doctype html><!-- a <b> comment --><table><tr><td><img src=\"x.png\"/></td></tr></table>";
        assert_eq!(validate(&SPEC, &t("{{number}}", "x", fine)), Ok(()));
    }

    #[test]
    fn scripts_handlers_and_javascript_urls_are_refused() {
        for html in [
            "<script>alert(1)</script>",
            "<SCRIPT src=x></SCRIPT>",
            "<img src=x onerror=\"alert(1)\">",
            "<p OnClick='x'>a</p>",
            "<a href=\"JavaScript:alert(1)\">a</a>",
        ] {
            assert_eq!(validate(&SPEC, &t("{{number}}", "x", html)), Err(TemplateError::Script), "{html}");
        }
        let fine = "<p class=\"one\" title='online' data-online=\"1\">a</p>";
        assert_eq!(validate(&SPEC, &t("{{number}}", "x", fine)), Ok(()), "only attributes named on... are handlers");
    }

    #[test]
    fn sizes_are_limited() {
        let long_subject = "é".repeat(MAX_SUBJECT_CHARS) + "{{number}}";
        assert_eq!(validate(&SPEC, &t(&long_subject, "x", "")), Err(TemplateError::TooLong(Part::Subject)));
        let ok_subject = "é".repeat(MAX_SUBJECT_CHARS - 10) + "{{number}}";
        assert_eq!(validate(&SPEC, &t(&ok_subject, "x", "")), Ok(()), "characters, not bytes");
        let big = "a".repeat(MAX_BODY_BYTES + 1);
        assert_eq!(validate(&SPEC, &t("{{number}}", &big, "")), Err(TemplateError::TooLong(Part::Text)));
        assert_eq!(validate(&SPEC, &t("{{number}}", "x", &big)), Err(TemplateError::TooLong(Part::Html)));
        assert_eq!(validate(&SPEC, &t(" ", "{{number}}", "")), Err(TemplateError::Empty(Part::Subject)));
        assert_eq!(validate(&SPEC, &t("{{number}}", "", "")), Err(TemplateError::Empty(Part::Text)));
    }

    #[test]
    fn rendering_escapes_values_in_html_only() {
        let tpl = t("Order {{number}}", "No. {{number}} by {{carrier}}", "<p>{{number}} {{carrier}}</p>");
        let value = |name: &str| match name {
            "number" => Some("<A&1>".to_string()),
            _ => None,
        };
        let out = render(&tpl, &value);
        assert_eq!(out.subject, "Order <A&1>");
        assert_eq!(out.text, "No. <A&1> by ");
        assert_eq!(out.html, "<p>&lt;A&amp;1&gt; </p>");
    }

    #[test]
    fn a_value_cannot_add_a_header_line_to_the_subject() {
        let value = |_: &str| Some("a\r\nBcc: x@example.com".to_string());
        assert_eq!(render(&t("{{number}}", "x", ""), &value).subject, "a  Bcc: x@example.com");
    }
}
