//! Pages keep rendering while other servers start in the same process.
//!
//! Starting a server used to generate the route list, which renders the app with a process-wide flag
//! that parks every resource first polled meanwhile, in every server of the process (leptos #4773):
//! pages stalled until the client gave up. The route list is now generated once per process
//! (`startup::route_list`); this test starts servers and asks for route lists while one server renders
//! signed-in and anonymous pages, and fails on any page that is not a whole 200.

use crate::helpers::*;
use agora_app::domain::permissions::OperatorRole;
use axum::http::StatusCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

const PAGES: [&str; 8] =
    ["/", "/search?q=mug", "/signin", "/cart", "/console", "/console/audit", "/console/users", "/seller"];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_render_while_other_servers_start_in_the_process() {
    let app = Arc::new(TestApp::spawn_with(&[("AGORA_REQUEST_DEADLINE_MS", "8000")]).await);
    let admin = app.persona("super", &[OperatorRole::SuperAdmin]).await;
    let starting = Arc::new(AtomicBool::new(true));

    // Beside the renders: route lists asked for and servers started, again and again.
    let generator = {
        let starting = starting.clone();
        tokio::task::spawn_blocking(move || {
            while starting.load(Ordering::Relaxed) {
                let _ = agora_server::startup::route_list();
            }
        })
    };
    let spawner = {
        let starting = starting.clone();
        tokio::spawn(async move {
            let mut started = 0;
            while starting.load(Ordering::Relaxed) {
                TestApp::spawn().await.finish().await;
                started += 1;
            }
            started
        })
    };

    let mut renders = vec![];
    for i in 0..16 {
        let app = app.clone();
        let client = if i % 2 == 0 { admin.client.clone() } else { app.anonymous().client };
        renders.push(tokio::spawn(async move {
            let mut failures = vec![];
            for round in 0..8 {
                let path = PAGES[(i + round) % PAGES.len()];
                let res = client.get(app.url(path)).timeout(std::time::Duration::from_secs(20)).send().await;
                match res {
                    Ok(res) if res.status() == StatusCode::OK => match res.text().await {
                        // The deadline middleware sends a page whole or answers 503, so a 200 is complete.
                        Ok(body) if body.contains("</html>") => {}
                        Ok(_) => failures.push(format!("{path}: no page")),
                        Err(e) => failures.push(format!("{path}: body {e}")),
                    },
                    Ok(res) => failures.push(format!("{path}: {}", res.status())),
                    Err(e) => failures.push(format!("{path}: {e}")),
                }
            }
            failures
        }));
    }
    let mut failures = vec![];
    for r in renders {
        failures.extend(r.await.unwrap());
    }
    starting.store(false, Ordering::Relaxed);
    generator.await.unwrap();
    let started = spawner.await.unwrap();
    assert!(started >= 1, "no server started beside the renders");
    assert!(failures.is_empty(), "{} of 128 pages failed: {failures:?}", failures.len());
    Arc::try_unwrap(app).ok().expect("the app is no longer shared").finish().await;
}
