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
    /// The islands bundle's hash file (agora_app::frame::islands), which the storefront's browsing
    /// pages read instead of the app's for their script.
    pub islands_hash_file: Option<PathBuf>,
}

impl PageFiles {
    pub fn of(options: &LeptosOptions) -> PageFiles {
        // As leptos does it (leptos::hydration, leptos_meta::HashedStylesheet): the directory of
        // the running binary joined with the configured name (an absolute name replaces it).
        let beside_binary = |name: &str| {
            let dir = std::env::current_exe().ok().and_then(|p| p.parent().map(|d| d.to_path_buf()));
            dir.unwrap_or_default().join(name)
        };
        let islands = agora_app::frame::islands::bundle_options(options);
        PageFiles {
            hash_file: options.hash_files.then(|| beside_binary(&options.hash_file)),
            output_name: options.output_name.to_string(),
            islands_hash_file: options.hash_files.then(|| beside_binary(&islands.hash_file)),
        }
    }

    /// True when a page can render without panicking: the hash files open (or are not used).
    pub fn hash_file_opens(&self) -> bool {
        [&self.hash_file, &self.islands_hash_file].into_iter().flatten().all(|p| std::fs::File::open(p).is_ok())
    }

    /// The files under `pkg/` that pages link, as the hash files name them; a reason when a hash
    /// file cannot be read or lacks an entry a page needs.
    pub fn linked(&self) -> Result<Vec<String>, String> {
        let (Some(app), Some(islands)) = (&self.hash_file, &self.islands_hash_file) else { return Ok(Vec::new()) };
        let read = |path: &PathBuf| {
            std::fs::read_to_string(path).map_err(|e| format!("the hash file {} cannot be read ({e})", path.display()))
        };
        let missing = |path: &PathBuf, entry: &str| format!("the hash file {} names no {entry}", path.display());
        let mut files = linked_files(&read(app)?, &self.output_name).map_err(|e| missing(app, e))?;
        let islands_files = bundle_files(&read(islands)?, agora_app::frame::islands::OUTPUT_NAME);
        files.extend(islands_files.map_err(|e| missing(islands, e))?);
        Ok(files)
    }
}

/// The value of a `kind: <hash>` line of a hash file.
fn hash_of(hash_file: &str, kind: &str) -> Option<String> {
    hash_file.lines().find_map(|line| {
        let (k, v) = line.trim().split_once(':')?;
        (k.trim() == kind && !v.trim().is_empty()).then(|| v.trim().to_string())
    })
}

/// A WASM bundle's two files, `<output_name>.<hash>.js` and `.wasm`; the error names the entry the
/// hash file lacks.
pub fn bundle_files(hash_file: &str, output_name: &str) -> Result<Vec<String>, &'static str> {
    let mut files = Vec::new();
    for kind in ["js", "wasm"] {
        let hash = hash_of(hash_file, kind).ok_or(kind)?;
        files.push(format!("{output_name}.{hash}.{kind}"));
    }
    Ok(files)
}

/// The `pkg/` file names cargo-leptos's hash file (`js: <hash>` lines) makes pages link: the JS, WASM
/// and CSS always, and the split loader and manifest when the build wrote them (`cargo leptos
/// --split`). The error names an entry pages need that the file lacks.
pub fn linked_files(hash_file: &str, output_name: &str) -> Result<Vec<String>, &'static str> {
    let mut files = bundle_files(hash_file, output_name)?;
    let css = hash_of(hash_file, "css").ok_or("css")?;
    files.push(format!("{output_name}.{css}.css"));
    if let Some(hash) = hash_of(hash_file, "split") {
        files.push(format!("__wasm_split.{hash}.js"));
    }
    if let Some(hash) = hash_of(hash_file, "manifest") {
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
    fn the_islands_bundle_needs_its_js_and_wasm() {
        assert_eq!(
            bundle_files("js: h1\nwasm: h1\n", "agora-islands").unwrap(),
            ["agora-islands.h1.js", "agora-islands.h1.wasm"].map(String::from)
        );
        assert_eq!(bundle_files("js: h1\n", "agora-islands"), Err("wasm"));
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
        // The islands bundle's hash file sits beside it.
        assert_eq!(files.islands_hash_file.as_deref(), Some(std::path::Path::new("/nowhere/hash-islands.txt")));
        assert!(!files.hash_file_opens());
        assert!(files.linked().unwrap_err().contains("/nowhere/hash.txt"), "{:?}", files.linked());
    }
}
