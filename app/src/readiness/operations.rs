//! Launch readiness checks of the platform itself (database, schema, uploads, durable jobs): the
//! plumbing in `platform/` belongs to no capability, so readiness measures it here.

use crate::domain::readiness::{fact, rules, Area, CheckDef, Measured};
use crate::error::{AppError, Context};
use crate::platform::state::AppState;

static DATABASE: CheckDef =
    CheckDef { id: "operations.database", area: Area::Operations, link: None, setting: Some("database_url") };
static MIGRATIONS: CheckDef =
    CheckDef { id: "operations.migrations", area: Area::Operations, link: None, setting: None };
static UPLOADS: CheckDef =
    CheckDef { id: "operations.uploads", area: Area::Operations, link: None, setting: Some("uploads_dir") };
static JOBS: CheckDef = CheckDef { id: "operations.jobs", area: Area::Operations, link: None, setting: None };

pub static CHECKS: &[&CheckDef] = &[&DATABASE, &MIGRATIONS, &UPLOADS, &JOBS];

pub async fn measure(state: &AppState) -> Result<Vec<Measured>, AppError> {
    let reachable = sqlx::query_scalar::<_, i64>("SELECT 1").fetch_one(state.db.read()).await.is_ok();
    let recorded = state.db.latest_recorded_migration().await.ok().flatten();
    let latest = state.db.latest_known_migration();
    let (writable, free) = uploads_dir(&state.settings().uploads_dir).await;
    let oldest_due: Option<i64> = sqlx::query_scalar("SELECT MIN(due_at) FROM jobs WHERE status = 'pending'")
        .fetch_one(state.db.read())
        .await
        .context("reading the oldest pending job")?;
    let now = state.now_ms();
    let late_minutes = oldest_due.map_or(0, |due| (now - due).max(0) / 60_000);
    let backend = format!("{:?}", state.db.backend).to_lowercase();
    Ok(vec![
        DATABASE.measured(
            rules::database(reachable),
            vec![fact("readiness.fact.backend", backend), fact("readiness.fact.reachable", yes_no(reachable))],
        ),
        MIGRATIONS.measured(
            rules::migrations(recorded, latest),
            vec![
                fact("readiness.fact.migration_recorded", recorded.map_or("-".to_string(), |v| v.to_string())),
                fact("readiness.fact.migration_latest", latest),
            ],
        ),
        UPLOADS.measured(
            rules::uploads(writable, free),
            vec![
                fact("readiness.fact.uploads_dir", state.settings().uploads_dir.display()),
                fact("readiness.fact.writable", yes_no(writable)),
                fact("readiness.fact.free_mib", free.map_or("-".to_string(), |b| (b >> 20).to_string())),
            ],
        ),
        JOBS.measured(rules::jobs(oldest_due, now), vec![fact("readiness.fact.jobs_late_minutes", late_minutes)]),
    ])
}

fn yes_no(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

/// Whether a file can be created in the directory (created if missing, as uploads do), and the
/// bytes free for it.
async fn uploads_dir(dir: &std::path::Path) -> (bool, Option<u64>) {
    let dir = dir.to_path_buf();
    tokio::task::spawn_blocking(move || {
        let probe = dir.join(format!(".readiness-probe-{}", std::process::id()));
        let writable = std::fs::create_dir_all(&dir).is_ok() && std::fs::write(&probe, b"ok").is_ok();
        let _ = std::fs::remove_file(&probe);
        let free = rustix::fs::statvfs(&dir).ok().map(|s| s.f_bavail.saturating_mul(s.f_frsize));
        (writable, free)
    })
    .await
    .unwrap_or((false, None))
}
