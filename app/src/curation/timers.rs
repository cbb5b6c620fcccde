//! Curation's timers: at a feature's schedule boundary the listing's featured flag flips
//! (`features::at_boundary`); at a section's, the catalog version is bumped (`sections::at_boundary`).
//! Both re-read what the schedule says now, so a repeat or a stale timer changes nothing.

use super::features::{self, JOB_BOUNDARY};
use super::sections::{self, JOB_SECTIONS};
use crate::platform::jobs::{Job, JobFuture, JobHandler};
use crate::platform::state::AppState;
use std::collections::HashMap;
use std::sync::Arc;

/// Registers the curation kinds (called from `crate::timers::handlers`).
pub fn register(map: &mut HashMap<&'static str, JobHandler>) {
    map.insert(
        JOB_BOUNDARY,
        Arc::new(|state: AppState, job: Job| -> JobFuture {
            Box::pin(async move { features::at_boundary(&state, job.target_id).await })
        }),
    );
    map.insert(
        JOB_SECTIONS,
        Arc::new(|state: AppState, _job: Job| -> JobFuture {
            Box::pin(async move { sections::at_boundary(&state).await })
        }),
    );
}
