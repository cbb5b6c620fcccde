//! What a server-rendered page needs from the built site, read exactly where leptos reads it: with
//! hashed file names, every page reads the hash file (`hash.txt`, found beside the running binary:
//! `HydrationScripts` and `HashedStylesheet`) and links the files it names under `site_root/pkg`.
//! `HydrationScripts` panics when that file cannot be read, on every page, so readiness checks it.

use leptos::config::LeptosOptions;
use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct PageFiles {
    /// The hash file pages read; `None` when file names are not hashed (pages then link fixed
    /// names and read nothing).
    pub hash_file: Option<PathBuf>,
    pub output_name: String,
}

impl PageFiles {
    pub fn of(options: &LeptosOptions) -> PageFiles {
        let hash_file = options.hash_files.then(|| {
            // As leptos does it (leptos::hydration, leptos_meta::HashedStylesheet): the directory of
            // the running binary joined with the configured name (an absolute name replaces it).
            let dir = std::env::current_exe().ok().and_then(|p| p.parent().map(|d| d.to_path_buf()));
            dir.unwrap_or_default().join(options.hash_file.as_ref())
        });
        PageFiles { hash_file, output_name: options.output_name.to_string() }
    }

    /// True when a page can render without panicking: the hash file opens (or is not used).
    pub fn hash_file_opens(&self) -> bool {
        self.hash_file.as_ref().is_none_or(|p| std::fs::File::open(p).is_ok())
    }

    /// The files under `pkg/` that pages link, as the hash file names them; a reason when the hash
    /// file cannot be read or lacks an entry a page needs.
    pub fn linked(&self) -> Result<Vec<String>, String> {
        let Some(path) = &self.hash_file else { return Ok(Vec::new()) };
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("the hash file {} cannot be read ({e})", path.display()))?;
        linked_files(&text, &self.output_name)
            .map_err(|missing| format!("the hash file {} names no {missing}", path.display()))
    }
}

/// The `pkg/` file names a hash file (`js: <hash>` lines) makes pages link: the JS, WASM and CSS
/// always, and the split loader and manifest when the build wrote them (`cargo leptos --split`).
/// The error names an entry pages need that the file lacks.
pub fn linked_files(hash_file: &str, output_name: &str) -> Result<Vec<String>, &'static str> {
    let hash_of = |kind: &str| {
        hash_file.lines().find_map(|line| {
            let (k, v) = line.trim().split_once(':')?;
            (k.trim() == kind && !v.trim().is_empty()).then(|| v.trim().to_string())
        })
    };
    let mut files = Vec::new();
    for (kind, ext) in [("js", "js"), ("wasm", "wasm"), ("css", "css")] {
        let hash = hash_of(kind).ok_or(kind)?;
        files.push(format!("{output_name}.{hash}.{ext}"));
    }
    if let Some(hash) = hash_of("split") {
        files.push(format!("__wasm_split.{hash}.js"));
    }
    if let Some(hash) = hash_of("manifest") {
        files.push(format!("__wasm_split_manifest.{hash}.json"));
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cargo_leptos_hash_file_names_the_js_wasm_and_css() {
        let text = "js: UPj7zi\nwasm: 3SF0g1\ncss: TF7tn-FK\n";
        assert_eq!(
            linked_files(text, "agora").unwrap(),
            ["agora.UPj7zi.js", "agora.3SF0g1.wasm", "agora.TF7tn-FK.css"].map(String::from)
        );
    }

    #[test]
    fn split_builds_also_need_the_loader_and_the_manifest() {
        let text = "js: a\nwasm: b\ncss: c\nsplit: d\nmanifest: e\n";
        let files = linked_files(text, "agora").unwrap();
        assert!(files.contains(&"__wasm_split.d.js".to_string()), "{files:?}");
        assert!(files.contains(&"__wasm_split_manifest.e.json".to_string()), "{files:?}");
    }

    #[test]
    fn a_hash_file_without_an_entry_pages_need_is_refused() {
        assert_eq!(linked_files("js: a\ncss: c\n", "agora"), Err("wasm"));
        assert_eq!(linked_files("js: a\nwasm:\ncss: c\n", "agora"), Err("wasm"));
        assert_eq!(linked_files("", "agora"), Err("js"));
    }

    #[test]
    fn an_absolute_hash_file_name_is_used_as_it_is() {
        let options = LeptosOptions::builder()
            .output_name("agora")
            .hash_files(true)
            .hash_file(std::sync::Arc::from("/nowhere/hash.txt"))
            .build();
        let files = PageFiles::of(&options);
        assert_eq!(files.hash_file.as_deref(), Some(std::path::Path::new("/nowhere/hash.txt")));
        assert!(!files.hash_file_opens());
        assert!(files.linked().unwrap_err().contains("/nowhere/hash.txt"), "{:?}", files.linked());
    }
}
