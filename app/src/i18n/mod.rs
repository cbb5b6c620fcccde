//! zh and en. Messages live in per-feature catalogs of `(key, en, zh)`; `t` looks a key up in all of
//! them. A missing key renders as the key itself, and a test keeps keys unique and complete.

pub mod catalog;
mod common;
pub mod registry;

use leptos::prelude::*;

pub use catalog::{fill, lookup, Catalog, Lang};

pub fn translate(lang: Lang, key: &str) -> String {
    registry::text(lang, key).unwrap_or(key).to_string()
}

/// The language in effect for this page, shared through context. An island of a page that hydrates
/// only its islands (`crate::frame::islands`) has no context from the app: it reads the page's
/// language and shares it with the rest of the island.
pub fn use_lang() -> RwSignal<Lang> {
    use_context::<RwSignal<Lang>>().unwrap_or_else(|| {
        let lang = RwSignal::new(document_lang().unwrap_or_default());
        provide_context(lang);
        lang
    })
}

/// The language of the page in the browser (`<html lang>`); `None` on the server.
pub fn document_lang() -> Option<Lang> {
    #[cfg(feature = "hydrate")]
    {
        document().document_element().and_then(|e| e.get_attribute("lang")).and_then(|l| Lang::parse(&l))
    }
    #[cfg(not(feature = "hydrate"))]
    {
        None
    }
}

/// A reactive translation: re-renders when the language changes.
pub fn t(key: &'static str) -> impl Fn() -> String + Clone + Send + Sync + 'static {
    let lang = use_lang();
    move || translate(lang.get(), key)
}

/// The text of a `<Title>`. leptos_meta reads it once more while the server assembles the response,
/// outside the page's reactive arena, where reading any signal panics (seen under concurrent load):
/// so on the server it is a plain string, and only in the browser does it follow the language.
pub fn title(key: &'static str) -> leptos::prelude::TextProp {
    #[cfg(feature = "ssr")]
    {
        translate(use_lang().get_untracked(), key).into()
    }
    #[cfg(not(feature = "ssr"))]
    {
        t(key).into()
    }
}

/// The document title around a page's own title. On the server the text is escaped: leptos_meta
/// writes it into the HTML as it is, so a listing titled `</title><script>...` would otherwise end the
/// element and run. In the browser it is set through `document.title`, which takes plain text.
pub fn document_title(page_title: String) -> String {
    let full = if page_title.is_empty() { "Agora".to_string() } else { format!("{page_title} · Agora") };
    if cfg!(feature = "ssr") {
        escape_text(&full)
    } else {
        full
    }
}

/// `&`, `<` and `>` as character references: text that is safe inside `<title>`.
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_text_cannot_close_its_element() {
        assert_eq!(escape_text("</title><b>A & B</b>"), "&lt;/title&gt;&lt;b&gt;A &amp; B&lt;/b&gt;");
    }

    #[test]
    fn every_key_is_unique_and_has_both_languages() {
        let mut seen = std::collections::HashSet::new();
        for catalog in registry::catalogs() {
            for (key, en, zh) in catalog.iter() {
                assert!(seen.insert(*key), "duplicate message key {key}");
                assert!(!en.is_empty() && !zh.is_empty(), "{key} lacks a translation");
            }
        }
    }

    #[test]
    fn accept_language_picks_the_first_language_we_speak() {
        assert_eq!(Lang::from_accept_language("fr-FR,zh-CN;q=0.8,en;q=0.5"), Some(Lang::Zh));
        assert_eq!(Lang::from_accept_language("de"), None);
    }

    #[test]
    fn a_missing_key_shows_itself() {
        assert_eq!(translate(Lang::Zh, "no.such.key"), "no.such.key");
    }

    #[test]
    fn placeholders_are_filled() {
        assert_eq!(fill("retry in {s}s", &[("s", "5".into())]), "retry in 5s");
    }
}
