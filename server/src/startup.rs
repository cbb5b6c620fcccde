//! Builds the application from a `Config`: database, state, router and workers.

use crate::config::Config;
use crate::http::{
    assets, audit_export, cache_control, deadline, dev_clock, errors, exports, health, maintenance, metrics, origin,
    page_cache, rate_limit, request_id, security_headers, uploads, viewer,
};
use agora_app::platform::clock::SystemClock;
use agora_app::platform::db::Db;
use agora_app::platform::outbox;
use agora_app::platform::state::AppState;
use agora_app::{shell, App};
use anyhow::Context;
use axum::extract::{DefaultBodyLimit, FromRef, Request, State};
use axum::http::Uri;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::serve::ListenerExt;
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, handle_server_fns_with_context, LeptosRoutes};
use std::sync::Arc;
use tower_http::compression::predicate::{DefaultPredicate, Predicate};
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::trace::TraceLayer;

/// The gzip level pages and server function answers are compressed at: a 10 KB page shrinks nearly as
/// much as at the best level (3.4 KB) for a fraction of the CPU.
const DYNAMIC_COMPRESSION_LEVEL: i32 = 4;

#[derive(Clone, FromRef)]
pub struct ServerState {
    pub leptos_options: LeptosOptions,
    pub app: AppState,
    /// The built site's files, in memory (http/assets).
    pub site: Arc<assets::Site>,
}

pub fn leptos_options(config: &Config) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("agora")
        .site_root(config.site_root.as_str())
        .site_pkg_dir("pkg")
        .site_addr(config.site_addr.parse::<std::net::SocketAddr>().unwrap_or_else(|_| ([127, 0, 0, 1], 3000).into()))
        .hash_files(config.hash_files)
        .hash_file(Arc::from(config.hash_file.as_str()))
        .env(if config.is_production() { leptos::config::Env::PROD } else { leptos::config::Env::DEV })
        .build()
}

/// Connects, migrates and assembles the shared state.
pub async fn app_state(config: &Config) -> anyhow::Result<AppState> {
    let db = Db::connect(&config.database_url, config.database_max_connections).await?;
    db.migrate().await?;
    // After the migration that created the search index, its terms (tokenized in Rust) are built once.
    if let Some(n) =
        agora_app::platform::search_index::build_if_missing(&db).await.context("building the search index")?
    {
        tracing::info!(listings = n, "search index built");
    }
    // Every (event, email, locale) template that does not exist yet gets its built-in default.
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64)?;
    let seeded =
        agora_app::notifications::templates::seed_missing(&db, now).await.context("seeding message templates")?;
    if seeded > 0 {
        tracing::info!(templates = seeded, "message templates seeded");
    }
    // The built-in roles and the default grants not offered yet (roles are data: `users::roles`).
    let granted = agora_app::users::roles::seed::seed_built_in(&db, now).await.context("seeding the built-in roles")?;
    if granted > 0 {
        tracing::info!(grants = granted, "built-in roles seeded");
    }
    Ok(AppState {
        db,
        clock: Arc::new(SystemClock::default()),
        live: Arc::new(config.live_settings()?),
        cache: Default::default(),
        search_cache: Default::default(),
        signing_key: Default::default(),
        http: Arc::new(config.http_facts()),
    })
}

/// Puts the settings stored in the console in force, and keeps them current: a change made here or
/// on another server is in force within `settings_refresh_ms`.
pub async fn watch_settings(config: &Config, state: &AppState) -> anyhow::Result<()> {
    agora_app::settings::live::reload(state)
        .await
        .map_err(|e| anyhow::anyhow!("reading the stored settings: {}", e.message_key()))?;
    let every = std::time::Duration::from_millis(config.settings_refresh_ms);
    agora_app::settings::live::spawn_refresher(state.clone(), every);
    Ok(())
}

/// The app's routes, generated once per process.
///
/// Generating them renders the whole app with a process-wide flag set (leptos_server's
/// `SuppressResourceLoad`) that makes every resource first polled meanwhile wait forever, in any
/// render of any server in the process (leptos issue #4773). A second generation while pages are being
/// rendered, as when several servers start in one process (the integration tests), stalled those
/// pages. Generating once, before the first server can serve, leaves no render to catch.
pub fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> = std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

pub fn router(config: &Config, state: AppState) -> Router {
    let options = leptos_options(config);
    let routes = route_list();
    let site = assets::Site::load(config, &options);
    let server_state = ServerState { leptos_options: options.clone(), app: state.clone(), site: site.clone() };
    let render_state = state.clone();
    let render_options = options.clone();
    let not_found_page = leptos_axum::file_and_error_handler::<ServerState, _>(shell);

    let mut app = Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(metrics::scrape))
        .route("/api/{*fn_name}", post(server_fn_handler).get(server_fn_handler))
        // The audit CSV download: a plain form POST, outside the leptos routes (see audit_export.rs).
        .route(agora_app::audit::EXPORT_PATH, post(audit_export::export_csv))
        // The console's dataset exports: form POSTs whose answer is a file (see exports.rs).
        .route(agora_app::exports::RUN_PATH, post(exports::run))
        .route("/console/exports/{id}/file", post(exports::file))
        .route("/console/analytics/{report}/export", post(exports::report))
        .route("/media/{id}", get(uploads::serve_media))
        .route("/documents/{id}", get(uploads::serve_document))
        .route("/proofs/{id}", get(uploads::serve_proof))
        .route("/evidence/{id}", get(uploads::serve_evidence))
        // RFC 8058 one-click unsubscribe: mail clients POST to the link of the page GET shows.
        .route("/unsubscribe", post(agora_app::notifications::unsubscribe::one_click))
        .leptos_routes_with_context(
            &server_state,
            routes,
            move || provide_context(render_state.clone()),
            move || shell(render_options.clone()),
        )
        .route("/pkg/{*file}", get(assets::serve_pkg))
        // Root files (favicon.svg) from memory in production; anything else is a page's 404.
        .fallback(move |uri: Uri, State(server): State<ServerState>, req: Request| {
            let not_found_page = not_found_page.clone();
            async move {
                match server.site.root_file(&req) {
                    Some(res) => res,
                    None => not_found_page(uri, State(server), req).await,
                }
            }
        });
    if state.http.dev_routes.contains(&"/__dev/clock/advance") {
        app = app.route("/__dev/clock/advance", post(dev_clock::advance));
    }
    if state.http.dev_routes.contains(&"/__dev/risk/scan") {
        app = app.route("/__dev/risk/scan", post(dev_clock::risk_scan));
    }
    let app = app
        .layer(from_fn(errors::read_chunked_api_body))
        .layer(RequestBodyLimitLayer::new(config.max_body_bytes))
        // The same limit for axum's body extractors (whose own default is 2 MiB).
        .layer(DefaultBodyLimit::max(config.max_body_bytes));
    // File uploads get their own, larger limit (the largest file plus the multipart framing).
    let upload_limit =
        config.upload_max_image_bytes.max(config.upload_max_document_bytes) + uploads::MULTIPART_OVERHEAD_BYTES;
    let upload_routes = Router::new()
        .route("/uploads/listing-image", post(uploads::upload_listing_image))
        .route("/uploads/seller-document", post(uploads::upload_seller_document))
        .route("/uploads/payment-proof", post(uploads::upload_payment_proof))
        .route("/uploads/evidence", post(uploads::upload_evidence))
        .layer(RequestBodyLimitLayer::new(upload_limit))
        .layer(DefaultBodyLimit::max(upload_limit));
    app.merge(upload_routes)
        .layer(from_fn_with_state(state.clone(), viewer::attach_viewer))
        .layer(from_fn_with_state(site, assets::pages_need_the_hash_file))
        .layer(from_fn(errors::error_status))
        .layer(from_fn_with_state(origin::AllowedOrigin(config.public_origin()), origin::refuse_cross_origin))
        // Inside Cache-Control (which then marks a kept page public, as it would the rendered one);
        // outside everything that takes part in rendering a page.
        .layer(from_fn_with_state(
            page_cache::PageCacheState { app: state.clone(), pages: Default::default() },
            page_cache::serve,
        ))
        // Outside the page cache, whose kept search pages count too; inside closed maintenance mode,
        // whose announcement costs nothing to count.
        .layer(from_fn_with_state(rate_limit::Limiter::new(state.clone()), rate_limit::enforce))
        // Closed maintenance mode answers before a kept page could.
        .layer(from_fn_with_state(state.clone(), maintenance::closed_gate))
        // Sees the final status and every Set-Cookie (leptos adds them inside).
        .layer(from_fn_with_state(state.clone(), cache_control::cache_control))
        // Inside the request id (the 503 quotes it), outside compression (a page is compressed whole).
        .layer(from_fn_with_state(
            deadline::Deadline(std::time::Duration::from_millis(config.request_deadline_ms)),
            deadline::enforce,
        ))
        // Not what http/assets already encoded (the files kept in memory with their forms, brotli
        // among them). Pages and server function answers are compressed per request, so with gzip at
        // a fast level: tower-http's default is brotli at its own default level, 11, which cost more
        // CPU than rendering the page; brotli 4 still cost a tenth more than gzip 4 for 1% fewer bytes.
        .layer(
            CompressionLayer::new()
                .no_br()
                .quality(CompressionLevel::Precise(DYNAMIC_COMPRESSION_LEVEL))
                .compress_when(DefaultPredicate::new().and(assets::NotPrecompressed)),
        )
        .layer(from_fn_with_state(state.clone(), metrics::record))
        .layer(from_fn_with_state(state.http.clone(), security_headers::apply))
        .layer(TraceLayer::new_for_http())
        // Outermost: the id covers everything below, and the final status is the one logged.
        .layer(from_fn(request_id::request_id))
        .with_state(server_state)
}

async fn server_fn_handler(State(state): State<ServerState>, req: Request) -> impl IntoResponse {
    let app = state.app.clone();
    handle_server_fns_with_context(move || provide_context(app.clone()), req).await
}

/// Serves until Ctrl-C or SIGTERM, with the outbox and timer workers running beside the server.
pub async fn serve(config: Config) -> anyhow::Result<()> {
    let state = app_state(&config).await?;
    watch_settings(&config, &state).await?;
    let app = router(&config, state.clone());
    let listener = tokio::net::TcpListener::bind(&config.site_addr)
        .await
        .with_context(|| format!("binding {}", config.site_addr))?
        // A response written in pieces (headers, then a streamed body: SSR pages, files from disk)
        // otherwise waits on Nagle's algorithm for the client's delayed ACK, ~40 ms each.
        .tap_io(|tcp| {
            let _ = tcp.set_nodelay(true);
        });
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let worker_id = format!("{}-{}", std::process::id(), rand::random::<u32>());
    let interval = std::time::Duration::from_millis(config.outbox_interval_ms);
    let worker = tokio::spawn(outbox::run_worker(
        state.clone(),
        worker_id.clone(),
        agora_app::channels::standard(),
        interval,
        stop_rx.clone(),
    ));
    // Durable timers (order deadlines, settlement holds), on the same cadence as the outbox.
    let timers = tokio::spawn(agora_app::platform::jobs::run_worker(
        state.clone(),
        agora_app::timers::handlers(),
        worker_id,
        interval,
        stop_rx.clone(),
    ));
    // The KPI rollups, caught up at start and then every minute.
    let rollup = tokio::spawn(agora_app::command_center::rollup::run_worker(state.clone(), stop_rx.clone()));
    // The risk desk's scan, at start and every five minutes.
    let risk = tokio::spawn(agora_app::risk::scan::run_worker(state.clone(), stop_rx));
    tracing::info!(addr = %config.site_addr, database = ?state.db.backend, "Agora is serving");
    axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    let _ = stop_tx.send(true);
    let _ = worker.await;
    let _ = timers.await;
    let _ = rollup.await;
    let _ = risk.await;
    state.db.close().await;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = terminate => {} }
}
