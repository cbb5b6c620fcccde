//! The directory's timer: a timed ban lifts itself when its end comes (`service::expire_ban`, which
//! re-reads the ban, so a repeat or a stale timer changes nothing).

use super::service::{self, JOB_BAN_EXPIRY};
use crate::platform::jobs::{Job, JobFuture, JobHandler};
use crate::platform::state::AppState;
use std::collections::HashMap;
use std::sync::Arc;

/// Registers the users kinds (called from `crate::timers::handlers`).
pub fn register(map: &mut HashMap<&'static str, JobHandler>) {
    map.insert(
        JOB_BAN_EXPIRY,
        Arc::new(|state: AppState, job: Job| -> JobFuture {
            Box::pin(async move { service::expire_ban(&state, job.target_id).await })
        }),
    );
    super::deletion::purge::register(map);
}
