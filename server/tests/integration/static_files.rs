//! The built site's files (http/assets): served from memory with their stored forms, ETags and cache
//! headers; and readiness, which needs the hash file pages read and the files it names.

use crate::helpers::TestApp;
use reqwest::header::{HeaderMap, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE, ETAG, VARY};
use reqwest::{Method, StatusCode};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

const CSS: &str = "agora.Css1.css";
const JS: &str = "agora.Js1.js";
const WASM: &str = "agora.Wasm1.wasm";
// The islands bundle of the storefront's browsing pages (agora_app::frame::islands).
const ISLANDS_JS: &str = "agora-islands.Isl1.js";
const ISLANDS_WASM: &str = "agora-islands.Isl1.wasm";

/// A built site in a temp dir, as `cargo leptos build` and scripts/build-islands.sh leave it:
/// `site/pkg/` with the hashed files, `site/favicon.svg`, and the hash files (here `bin/hash.txt`, named
/// by an absolute path, and `bin/hash-islands.txt` beside it).
struct BuiltSite {
    dir: tempfile::TempDir,
    css: String,
}

impl BuiltSite {
    /// The CSS gets `.gz` and `.br` files beside it (as `--precompress` writes them), the JS only a
    /// `.br`; the WASM none.
    fn new() -> BuiltSite {
        let dir = tempfile::tempdir().unwrap();
        let pkg = dir.path().join("site/pkg");
        std::fs::create_dir_all(&pkg).unwrap();
        std::fs::create_dir_all(dir.path().join("bin")).unwrap();
        let css = (0..200).map(|i| format!(".c{i} {{ color: red; margin: {i}px; }}\n")).collect::<String>();
        let js = "export function hydrate() { console.log('hydrated'); }\n".repeat(50);
        std::fs::write(pkg.join(CSS), &css).unwrap();
        std::fs::write(pkg.join(format!("{CSS}.gz")), gzip(css.as_bytes())).unwrap();
        std::fs::write(pkg.join(format!("{CSS}.br")), brotli(css.as_bytes())).unwrap();
        std::fs::write(pkg.join(JS), &js).unwrap();
        std::fs::write(pkg.join(format!("{JS}.br")), brotli(js.as_bytes())).unwrap();
        std::fs::write(pkg.join(WASM), b"\0asm\x01\0\0\0").unwrap();
        std::fs::write(pkg.join(ISLANDS_JS), "export function hydrate() {}\n").unwrap();
        std::fs::write(pkg.join(ISLANDS_WASM), b"\0asm\x01\0\0\0").unwrap();
        std::fs::write(dir.path().join("bin/hash-islands.txt"), "js: Isl1\nwasm: Isl1\n").unwrap();
        std::fs::write(dir.path().join("site/favicon.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n".repeat(5))
            .unwrap();
        let site = BuiltSite { dir, css };
        site.write_hash_file("js: Js1\nwasm: Wasm1\ncss: Css1\n");
        site
    }

    fn root(&self) -> PathBuf {
        self.dir.path().join("site")
    }

    fn hash_file(&self) -> PathBuf {
        self.dir.path().join("bin/hash.txt")
    }

    fn write_hash_file(&self, text: &str) {
        std::fs::write(self.hash_file(), text).unwrap();
    }

    /// Spawns a server on this site; `production` also keeps the root files in memory.
    async fn spawn(&self, production: bool) -> TestApp {
        let root = self.root().display().to_string();
        let hash_file = self.hash_file().display().to_string();
        let mut env = vec![
            ("AGORA_HASH_FILES", "true"),
            ("AGORA_SITE_ROOT", root.as_str()),
            ("AGORA_HASH_FILE", hash_file.as_str()),
        ];
        if production {
            env.extend([
                ("AGORA_ENVIRONMENT", "production"),
                ("AGORA_CLOCK_CONTROL", "false"),
                ("AGORA_PAYMENT_PROVIDERS", "bank_transfer"),
            ]);
        }
        TestApp::spawn_with(&env).await
    }
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

fn brotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &Default::default()).unwrap();
    out
}

struct Got {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Got {
    fn header(&self, name: impl reqwest::header::AsHeaderName) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
    }
}

/// One request with exactly these headers; the body as sent (this client never decompresses).
async fn fetch(app: &TestApp, method: Method, path: &str, headers: &[(&str, &str)]) -> Got {
    let client = reqwest::Client::builder().no_gzip().no_brotli().no_deflate().build().unwrap();
    let mut req = client.request(method, app.url(path));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = req.send().await.unwrap();
    let (status, headers) = (res.status(), res.headers().clone());
    Got { status, headers, body: res.bytes().await.unwrap().to_vec() }
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes).read_to_end(&mut out).unwrap();
    out
}

fn unbrotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    brotli::BrotliDecompress(&mut &bytes[..], &mut out).unwrap();
    out
}

fn remove_site_files(root: &Path) {
    std::fs::remove_dir_all(root).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hashed_file_is_served_from_memory_with_its_forms_and_cache_headers() {
    let site = BuiltSite::new();
    let app = site.spawn(false).await;
    // Read once at start-up: the files may go away from the disk.
    remove_site_files(&site.root());
    let path = format!("/pkg/{CSS}");

    let plain = fetch(&app, Method::GET, &path, &[]).await;
    assert_eq!(plain.status, StatusCode::OK);
    assert_eq!(plain.body, site.css.as_bytes());
    assert_eq!(plain.header(CONTENT_TYPE), "text/css");
    assert_eq!(plain.header(CONTENT_LENGTH), site.css.len().to_string());
    assert_eq!(plain.header(CONTENT_ENCODING), "");
    assert_eq!(plain.header(CACHE_CONTROL), "public, max-age=31536000, immutable");
    assert_eq!(plain.header(VARY), "accept-encoding");
    let etag = plain.header(ETAG).to_string();
    assert!(etag.starts_with('"') && etag.ends_with('"'), "a strong ETag: {etag}");

    let br = fetch(&app, Method::GET, &path, &[("Accept-Encoding", "gzip, deflate, br")]).await;
    assert_eq!((br.status, br.header(CONTENT_ENCODING)), (StatusCode::OK, "br"));
    assert_eq!(unbrotli(&br.body), site.css.as_bytes());
    assert_eq!(br.header(CONTENT_LENGTH), br.body.len().to_string());
    assert_eq!(br.header(VARY), "accept-encoding");
    assert_ne!(br.header(ETAG), etag, "each form has its own ETag");

    let gz = fetch(&app, Method::GET, &path, &[("Accept-Encoding", "br;q=0, gzip")]).await;
    assert_eq!((gz.status, gz.header(CONTENT_ENCODING)), (StatusCode::OK, "gzip"));
    assert_eq!(gunzip(&gz.body), site.css.as_bytes());
    assert_ne!(gz.header(ETAG), br.header(ETAG));

    // HEAD: the headers of the GET, no body.
    let head = fetch(&app, Method::HEAD, &path, &[("Accept-Encoding", "br")]).await;
    assert_eq!((head.status, head.header(CONTENT_ENCODING)), (StatusCode::OK, "br"));
    assert_eq!(head.header(CONTENT_LENGTH), br.body.len().to_string());
    assert!(head.body.is_empty());

    // The cached copy of any form is still good; another ETag is not.
    for tag in [etag.as_str(), br.header(ETAG), &format!("W/{etag}"), &format!("\"other\", {etag}")] {
        let again = fetch(&app, Method::GET, &path, &[("If-None-Match", tag), ("Accept-Encoding", "br")]).await;
        assert_eq!(again.status, StatusCode::NOT_MODIFIED, "If-None-Match: {tag}");
        assert!(again.body.is_empty());
        assert_eq!(again.header(ETAG), br.header(ETAG));
        assert_eq!(again.header(CACHE_CONTROL), "public, max-age=31536000, immutable");
    }
    let stale = fetch(&app, Method::GET, &path, &[("If-None-Match", "\"0-00000000\"")]).await;
    assert_eq!(stale.status, StatusCode::OK);
    assert_eq!(stale.body, site.css.as_bytes());
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_form_the_build_did_not_store_is_not_made_on_the_fly() {
    let site = BuiltSite::new();
    let app = site.spawn(false).await;
    // The JS has only a brotli file: a gzip-only client gets the bytes as they are, not compressed
    // again by the global compression layer.
    let js = fetch(&app, Method::GET, &format!("/pkg/{JS}"), &[("Accept-Encoding", "gzip")]).await;
    assert_eq!(js.status, StatusCode::OK);
    assert_eq!(js.header(CONTENT_ENCODING), "");
    assert_eq!(js.header(CONTENT_TYPE), "text/javascript");
    assert_eq!(js.body, std::fs::read(site.root().join("pkg").join(JS)).unwrap());
    let js = fetch(&app, Method::GET, &format!("/pkg/{JS}"), &[("Accept-Encoding", "br, gzip")]).await;
    assert_eq!(js.header(CONTENT_ENCODING), "br");

    let wasm = fetch(&app, Method::GET, &format!("/pkg/{WASM}"), &[]).await;
    assert_eq!((wasm.status, wasm.header(CONTENT_TYPE)), (StatusCode::OK, "application/wasm"));
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_production_root_files_come_from_memory_and_a_missing_file_is_404() {
    let site = BuiltSite::new();
    let app = site.spawn(true).await;
    let favicon = std::fs::read(site.root().join("favicon.svg")).unwrap();
    remove_site_files(&site.root());

    let icon = fetch(&app, Method::GET, "/favicon.svg", &[("Accept-Encoding", "identity")]).await;
    assert_eq!(icon.status, StatusCode::OK);
    assert_eq!(icon.body, favicon);
    assert_eq!(icon.header(CONTENT_TYPE), "image/svg+xml");
    assert_eq!(icon.header(CACHE_CONTROL), "public, max-age=3600");
    let tag = icon.header(ETAG).to_string();
    assert!(!tag.is_empty());
    let again = fetch(&app, Method::GET, "/favicon.svg", &[("If-None-Match", &tag)]).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    let head = fetch(&app, Method::HEAD, "/favicon.svg", &[("Accept-Encoding", "identity")]).await;
    assert_eq!((head.status, head.header(CONTENT_LENGTH)), (StatusCode::OK, favicon.len().to_string().as_str()));
    assert!(head.body.is_empty());

    let css = fetch(&app, Method::GET, &format!("/pkg/{CSS}"), &[("Accept-Encoding", "br")]).await;
    assert_eq!((css.status, css.header(CONTENT_ENCODING)), (StatusCode::OK, "br"));
    assert_eq!(unbrotli(&css.body), site.css.as_bytes());

    for missing in ["/pkg/agora.Nope.js", "/pkg/", "/pkg/../Leptos.toml", "/pkg/%2e%2e/Cargo.toml"] {
        let r = fetch(&app, Method::GET, missing, &[]).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{missing}");
    }
    let post = fetch(&app, Method::POST, &format!("/pkg/{CSS}"), &[]).await;
    assert_eq!(post.status, StatusCode::METHOD_NOT_ALLOWED);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_development_a_file_written_after_start_up_is_read_from_disk() {
    // cargo leptos watch rewrites the CSS under a new hashed name without restarting the server.
    let site = BuiltSite::new();
    let app = site.spawn(false).await;
    std::fs::write(site.root().join("pkg/agora.Css2.css"), "body{}").unwrap();
    let r = fetch(&app, Method::GET, "/pkg/agora.Css2.css", &[]).await;
    assert_eq!((r.status, r.body.as_slice()), (StatusCode::OK, &b"body{}"[..]));
    assert_eq!(r.header(CACHE_CONTROL), "public, max-age=31536000, immutable");
    assert_eq!(fetch(&app, Method::GET, "/pkg/agora.Nope.css", &[]).await.status, StatusCode::NOT_FOUND);
    app.finish().await;
}

async fn readyz(app: &TestApp) -> (StatusCode, serde_json::Value) {
    let r = fetch(app, Method::GET, "/readyz", &[]).await;
    (r.status, serde_json::from_slice(&r.body).unwrap_or_default())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readiness_needs_the_hash_file_and_every_file_it_names() {
    let site = BuiltSite::new();
    std::fs::remove_file(site.hash_file()).unwrap();
    std::fs::remove_file(site.root().join("pkg").join(WASM)).unwrap();
    let app = site.spawn(false).await;

    let (status, body) = readyz(&app).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body["ready"], false);
    assert!(body["reason"].as_str().unwrap_or("").contains("hash file"), "{body}");
    // A page cannot render without the hash file: 503 with the request id, not a dropped connection.
    let page = fetch(&app, Method::GET, "/", &[]).await;
    assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE);
    let id = page.header("x-request-id").to_string();
    assert!(
        !id.is_empty() && String::from_utf8_lossy(&page.body).contains(&id),
        "{}",
        String::from_utf8_lossy(&page.body)
    );

    // The hash file names a WASM that the site lacks.
    site.write_hash_file("js: Js1\nwasm: Wasm1\ncss: Css1\n");
    let (status, body) = readyz(&app).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(body["reason"].as_str().unwrap_or("").contains(WASM), "{body}");
    // A hash file without the CSS entry.
    site.write_hash_file("js: Js1\nwasm: Wasm1\n");
    let (status, body) = readyz(&app).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(body["reason"].as_str().unwrap_or("").contains("css"), "{body}");

    site.write_hash_file("js: Js1\nwasm: Wasm1\ncss: Css1\n");
    std::fs::write(site.root().join("pkg").join(WASM), b"\0asm\x01\0\0\0").unwrap();
    let (status, body) = readyz(&app).await;
    assert_eq!((status, body), (StatusCode::OK, serde_json::json!({ "ready": true })));
    // Pages now render and link exactly the files the hash files name: the app's pages its bundle,
    // the browsing pages the islands bundle.
    assert_page_links(&app, "/signin", [CSS, JS, WASM], ISLANDS_WASM).await;
    assert_page_links(&app, "/", [CSS, ISLANDS_JS, ISLANDS_WASM], WASM).await;
    app.finish().await;
}

/// `path` renders (200) and links every file of `linked` under /pkg, and not `unlinked`.
async fn assert_page_links(app: &TestApp, path: &str, linked: [&str; 3], unlinked: &str) {
    let page = fetch(app, Method::GET, path, &[]).await;
    assert_eq!(page.status, StatusCode::OK, "{path}");
    let html = String::from_utf8_lossy(&page.body);
    for name in linked {
        assert!(html.contains(&format!("/pkg/{name}")), "{path} does not link {name}");
    }
    assert!(!html.contains(&format!("/pkg/{unlinked}")), "{path} links {unlinked}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readiness_needs_the_islands_bundle_too() {
    let site = BuiltSite::new();
    let islands_hash_file = site.dir.path().join("bin/hash-islands.txt");
    std::fs::remove_file(&islands_hash_file).unwrap();
    let app = site.spawn(false).await;
    let (status, body) = readyz(&app).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(body["reason"].as_str().unwrap_or("").contains("hash-islands.txt"), "{body}");
    // No page renders (leptos would panic on the first browsing page): 503, not a dropped connection.
    assert_eq!(fetch(&app, Method::GET, "/", &[]).await.status, StatusCode::SERVICE_UNAVAILABLE);

    // A hash file that names an islands WASM the site lacks.
    std::fs::write(&islands_hash_file, "js: Isl1\nwasm: Isl2\n").unwrap();
    let (status, body) = readyz(&app).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(body["reason"].as_str().unwrap_or("").contains("agora-islands.Isl2.wasm"), "{body}");
    std::fs::write(&islands_hash_file, "js: Isl1\nwasm: Isl1\n").unwrap();
    assert_eq!(readyz(&app).await.0, StatusCode::OK);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readiness_in_production_counts_only_what_was_loaded_or_is_on_disk() {
    let site = BuiltSite::new();
    let app = site.spawn(true).await;
    assert_eq!(readyz(&app).await.0, StatusCode::OK);
    // Loaded at start-up: still servable, so still ready without the disk copy.
    remove_site_files(&site.root());
    assert_eq!(readyz(&app).await.0, StatusCode::OK);
    // A new build's hash file names files this server never loaded.
    site.write_hash_file("js: Js2\nwasm: Wasm2\ncss: Css2\n");
    let (status, body) = readyz(&app).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(body["reason"].as_str().unwrap_or("").contains("agora.Js2.js"), "{body}");
    app.finish().await;
}
