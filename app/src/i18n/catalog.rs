//! The leaf of i18n: the languages, the catalog type and the lookup in a list of catalogs. Every
//! feature's `messages` file names only this file, so the registry (which names every `messages` file)
//! and the features (which translate) never import each other.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().to_ascii_lowercase().as_str() {
            "en" => Some(Lang::En),
            "zh" | "zh-cn" | "zh-hans" => Some(Lang::Zh),
            _ => None,
        }
    }

    /// The first language of an `Accept-Language` header that we speak.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        header
            .split(',')
            .map(|part| part.split(';').next().unwrap_or("").trim())
            .find_map(|tag| Lang::parse(tag.split('-').next().unwrap_or(tag)))
    }
}

pub type Catalog = &'static [(&'static str, &'static str, &'static str)];

/// The text of `key` in the first catalog that has it; `None` when none has.
pub fn lookup<'a>(catalogs: impl IntoIterator<Item = &'a Catalog>, lang: Lang, key: &str) -> Option<&'static str> {
    catalogs.into_iter().find_map(|catalog| catalog.iter().find(|(k, _, _)| *k == key)).map(|(_, en, zh)| match lang {
        Lang::En => *en,
        Lang::Zh => *zh,
    })
}

/// Fills `{name}` placeholders.
pub fn fill(template: &str, args: &[(&str, String)]) -> String {
    let mut s = template.to_string();
    for (name, value) in args {
        s = s.replace(&format!("{{{name}}}"), value);
    }
    s
}
