//! The files in memory: each with its identity bytes, its headers, and its gzip and brotli forms,
//! taken from the `.gz`/`.br` files written beside it (scripts/precompress.sh, which scripts/run.sh and
//! the benches run) or computed once, after start-up, on a background thread.

use super::negotiate::Encoding;
use axum::body::Bytes;
use axum::http::HeaderValue;
use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// The compressed forms of a file; `None` where compressing did not make it smaller.
#[derive(Debug, Default)]
pub struct Forms {
    pub gzip: Option<Bytes>,
    pub brotli: Option<Bytes>,
}

#[derive(Debug)]
pub struct Asset {
    pub content_type: HeaderValue,
    pub cache_control: HeaderValue,
    pub identity: Bytes,
    /// The ETags of the identity, gzip and brotli forms (quoted): the identity bytes' length and
    /// CRC-32 in hex, plus the form.
    pub etags: [String; 3],
    /// Unset until the forms are known; meanwhile the response is left to the global compression.
    pub forms: OnceLock<Forms>,
}

impl Asset {
    pub fn etag(&self, encoding: Encoding) -> &str {
        &self.etags[match encoding {
            Encoding::Identity => 0,
            Encoding::Gzip => 1,
            Encoding::Brotli => 2,
        }]
    }

    fn new(identity: Vec<u8>, content_type: &str, cache_control: &'static str) -> Asset {
        let tag = format!("{:x}-{:08x}", identity.len(), crc32fast::hash(&identity));
        let etags =
            [Encoding::Identity, Encoding::Gzip, Encoding::Brotli].map(|e| format!("\"{tag}{}\"", e.etag_suffix()));
        Asset {
            content_type: HeaderValue::from_str(content_type)
                .unwrap_or(HeaderValue::from_static("application/octet-stream")),
            cache_control: HeaderValue::from_static(cache_control),
            identity: Bytes::from(identity),
            etags,
            forms: OnceLock::new(),
        }
    }
}

/// Text and other formats that shrink when compressed (fonts like woff2 and images other than SVG
/// are compressed already).
fn compressible(content_type: &str) -> bool {
    let t = content_type.split(';').next().unwrap_or("").trim();
    t.starts_with("text/")
        || t.ends_with("+xml")
        || t.ends_with("+json")
        || matches!(
            t,
            "application/javascript"
                | "application/json"
                | "application/wasm"
                | "application/xml"
                | "application/manifest+json"
                | "image/x-icon"
                | "image/vnd.microsoft.icon"
                | "font/ttf"
                | "font/otf"
        )
}

fn content_type_of(path: &Path) -> String {
    match path.extension().and_then(|e| e.to_str()) {
        // Browsers only compile streamed WASM served as application/wasm.
        Some("wasm") => "application/wasm".into(),
        _ => mime_guess::from_path(path).first_or_octet_stream().essence_str().to_string(),
    }
}

/// Every regular file under `dir` (recursively, skipping `skip` and hidden entries), keyed by its
/// path relative to `dir` with `/` separators. `.gz`/`.br` files that sit beside their original
/// become that file's forms. An unreadable or missing directory yields nothing: readiness reports
/// what pages miss.
pub fn load_dir(dir: &Path, skip: Option<&Path>, cache_control: &'static str) -> HashMap<String, Arc<Asset>> {
    let mut paths = Vec::new();
    walk(dir, skip, &mut paths);
    let mut files: HashMap<String, Vec<u8>> = HashMap::new();
    for path in &paths {
        if let (Ok(rel), Ok(bytes)) = (path.strip_prefix(dir), std::fs::read(path)) {
            let key = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
            files.insert(key, bytes);
        }
    }
    let keys: HashSet<String> = files.keys().cloned().collect();
    let is_form =
        |k: &str| [".gz", ".br"].iter().any(|ext| k.strip_suffix(ext).is_some_and(|base| keys.contains(base)));
    let mut assets = HashMap::new();
    for key in keys.iter().filter(|k| !is_form(k)) {
        let Some(bytes) = files.remove(key) else { continue };
        let content_type = content_type_of(Path::new(key));
        let asset = Asset::new(bytes, &content_type, cache_control);
        let (gz, br) = (files.remove(&format!("{key}.gz")), files.remove(&format!("{key}.br")));
        if gz.is_some() || br.is_some() {
            // The build chose the forms; a missing one is simply not offered.
            let _ = asset.forms.set(Forms { gzip: gz.map(Bytes::from), brotli: br.map(Bytes::from) });
        } else if !compressible(&content_type) {
            let _ = asset.forms.set(Forms::default());
        }
        assets.insert(key.clone(), Arc::new(asset));
    }
    assets
}

fn walk(dir: &Path, skip: Option<&Path>, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') || Some(path.as_path()) == skip {
            continue;
        }
        match entry.file_type() {
            Ok(t) if t.is_dir() => walk(&path, skip, out),
            // Symlinks too (metadata follows them), as ServeDir did.
            Ok(_) if path.is_file() => out.push(path),
            _ => {}
        }
    }
}

/// gzip -9 and brotli -q 11 of `bytes`, each kept only when smaller.
pub fn compress(bytes: &[u8]) -> Forms {
    let gzip = {
        let mut enc = flate2::write::GzEncoder::new(Vec::with_capacity(bytes.len() / 3), flate2::Compression::best());
        enc.write_all(bytes).and_then(|_| enc.finish()).ok()
    };
    let brotli = {
        let params = brotli::enc::BrotliEncoderParams { quality: 11, lgwin: 22, ..Default::default() };
        let mut out = Vec::with_capacity(bytes.len() / 4);
        brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).ok().map(|_| out)
    };
    let smaller = |b: Option<Vec<u8>>| b.filter(|b| b.len() < bytes.len()).map(Bytes::from);
    Forms { gzip: smaller(gzip), brotli: smaller(brotli) }
}

/// Computes the missing forms on one background thread, smallest file first (the CSS and JS are
/// ready within milliseconds, the WASM last). Until a file's forms are set, its responses are
/// compressed on the fly by the global layer, as before.
pub fn compress_in_background(assets: Vec<Arc<Asset>>) {
    let mut todo: Vec<Arc<Asset>> = assets.into_iter().filter(|a| a.forms.get().is_none()).collect();
    if todo.is_empty() {
        return;
    }
    todo.sort_by_key(|a| a.identity.len());
    let spawned = std::thread::Builder::new().name("asset-compress".into()).spawn(move || {
        let started = std::time::Instant::now();
        let bytes: usize = todo.iter().map(|a| a.identity.len()).sum();
        for asset in &todo {
            let _ = asset.forms.set(compress(&asset.identity));
        }
        tracing::info!(files = todo.len(), bytes, ms = started.elapsed().as_millis() as u64, "site files compressed");
    });
    if let Err(e) = spawned {
        tracing::warn!(error = %e, "could not start the asset compression thread; files are compressed per request");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn compressed_forms_decode_to_the_original_and_are_smaller() {
        let text = "body { color: red; }\n".repeat(200);
        let forms = compress(text.as_bytes());
        let gz = forms.gzip.expect("gzip form");
        let br = forms.brotli.expect("brotli form");
        assert!(gz.len() < text.len() && br.len() < text.len());
        let mut out = String::new();
        flate2::read::GzDecoder::new(&gz[..]).read_to_string(&mut out).unwrap();
        assert_eq!(out, text);
        let mut out = Vec::new();
        brotli::BrotliDecompress(&mut &br[..], &mut out).unwrap();
        assert_eq!(out, text.as_bytes());
    }

    #[test]
    fn incompressible_bytes_keep_no_form() {
        let forms = compress(&[7u8]);
        assert!(forms.gzip.is_none() && forms.brotli.is_none());
    }

    #[test]
    fn text_wasm_and_svg_are_compressible_and_images_are_not() {
        for t in ["text/css", "application/javascript", "application/wasm", "image/svg+xml", "application/json"] {
            assert!(compressible(t), "{t}");
        }
        for t in ["image/png", "image/jpeg", "font/woff2", "application/octet-stream"] {
            assert!(!compressible(t), "{t}");
        }
        assert_eq!(content_type_of(Path::new("agora.x.wasm")), "application/wasm");
        assert_eq!(content_type_of(Path::new("agora.x.css")), "text/css");
        assert_eq!(content_type_of(Path::new("favicon.svg")), "image/svg+xml");
    }
}
