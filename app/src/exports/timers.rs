//! The export jobs: building a large export's file, and deleting it when it expires (see `job`).

use super::job::{self, JOB_BUILD, JOB_EXPIRE};
use crate::platform::jobs::{Job, JobFuture, JobHandler};
use crate::platform::state::AppState;
use std::collections::HashMap;
use std::sync::Arc;

/// Registers the export kinds (called from `crate::timers::handlers`).
pub fn register(map: &mut HashMap<&'static str, JobHandler>) {
    map.insert(
        JOB_BUILD,
        Arc::new(|state: AppState, j: Job| -> JobFuture {
            Box::pin(async move { job::build(&state, j.target_id).await })
        }),
    );
    map.insert(
        JOB_EXPIRE,
        Arc::new(|state: AppState, j: Job| -> JobFuture {
            Box::pin(async move { job::expire(&state, j.target_id).await })
        }),
    );
}
