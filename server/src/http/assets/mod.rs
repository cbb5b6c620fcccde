//! The site's own files, served from memory: the hashed bundle under `/pkg` and the files at the site
//! root (favicon.svg, copied from `public/`).
//!
//! Why: per request, tower-http's ServeDir stat'ed, opened and read the file on the blocking pool, and
//! the global CompressionLayer then compressed it again at its default quality (brotli 11), so the
//! 48 KB CSS cost ~40 times a trivial request. The files do not change while the server runs (hashed
//! names change with the content; a deploy restarts the server), so they are read once at start-up
//! and sent with precomputed gzip and brotli forms, ETags and cache headers.
//!
//! In development (`cargo leptos watch` rewrites the CSS, WASM and `public/` files without restarting
//! the server) a `/pkg` file that is not in memory is read from disk, and root files always are.
//! Readiness (`/readyz`) and the page guard live here too: both are about the files pages link.

mod negotiate;
mod pages;
mod serve;
mod store;

use crate::config::Config;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use leptos::config::LeptosOptions;
pub use negotiate::{choose, Encoding};
pub use pages::linked_files;
pub use serve::{mark_encoded, serve_pkg, NotPrecompressed};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use store::Asset;

/// Hashed names change with their content: a year, never revalidated.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Root files keep their names across deploys: an hour, then a cheap revalidation (304).
const ROOT_FILES: &str = "public, max-age=3600";

pub struct Site {
    /// `pkg/` files by their path under it; empty when names are not hashed.
    pkg: HashMap<String, Arc<Asset>>,
    /// Root files by URL path ("/favicon.svg"); production only.
    root: HashMap<String, Arc<Asset>>,
    pkg_dir: PathBuf,
    /// Whether a `/pkg` file not in memory is looked for on disk (development, or unhashed names).
    pkg_from_disk: bool,
    /// Whether `/pkg` names are hashed (so cacheable for good).
    hashed: bool,
    pages: pages::PageFiles,
}

impl Site {
    /// Reads the site into memory (never fails: what is missing, readiness reports) and, in
    /// production, starts compressing what the build did not compress.
    pub fn load(config: &Config, options: &LeptosOptions) -> Arc<Site> {
        let root_dir = PathBuf::from(options.site_root.as_ref());
        let pkg_dir = root_dir.join(options.site_pkg_dir.as_ref());
        let production = config.is_production();
        let pkg = if options.hash_files { store::load_dir(&pkg_dir, None, IMMUTABLE) } else { HashMap::new() };
        let root = if production {
            store::load_dir(&root_dir, Some(&pkg_dir), ROOT_FILES)
                .into_iter()
                .map(|(k, v)| (format!("/{k}"), v))
                .collect()
        } else {
            HashMap::new()
        };
        if production {
            store::compress_in_background(pkg.values().chain(root.values()).cloned().collect());
        }
        let bytes: usize = pkg.values().chain(root.values()).map(|a| a.identity.len()).sum();
        tracing::debug!(pkg = pkg.len(), root = root.len(), bytes, "site files in memory");
        Arc::new(Site {
            pkg,
            root,
            pkg_dir,
            pkg_from_disk: !production || !options.hash_files,
            hashed: options.hash_files,
            pages: pages::PageFiles::of(options),
        })
    }

    /// `Err(reason)` while pages cannot be served: the hash file unreadable, or a file it names
    /// neither in memory nor in `site_root/pkg`.
    pub fn readiness(&self) -> Result<(), String> {
        for name in self.pages.linked()? {
            if !self.pkg.contains_key(&name) && !self.pkg_dir.join(&name).is_file() {
                return Err(format!("{} is missing (the hash file names it)", self.pkg_dir.join(&name).display()));
            }
        }
        Ok(())
    }

    /// The response for a root file in memory (GET or HEAD), if this is one.
    pub fn root_file(&self, req: &Request) -> Option<Response> {
        let asset = self.root.get(req.uri().path())?;
        serve::respond(asset, req.method(), req.headers())
    }
}

/// Answers a page request with 503 (and the request id) instead of rendering it while the hash file
/// cannot be opened: leptos's `HydrationScripts` would panic on it and drop the connection.
pub async fn pages_need_the_hash_file(State(site): State<Arc<Site>>, req: Request, next: Next) -> Response {
    if site.pages.hash_file.is_none() || !crate::http::viewer::renders_a_page(&req) || site.pages.hash_file_opens() {
        return next.run(req).await;
    }
    serve::unavailable_page(&req, "the hash file of the build cannot be read")
}
