//! The refund timer: at `respond_by`, a request the seller has not answered escalates to a dispute
//! (`service::escalate_silent`, which re-reads the state under the locks: running it twice, or after
//! an answer, changes nothing).

use super::service::{self, JOB_ESCALATE};
use crate::platform::jobs::{Job, JobFuture, JobHandler};
use crate::platform::state::AppState;
use std::collections::HashMap;
use std::sync::Arc;

/// Registers the refund kinds (called from `crate::timers::handlers`).
pub fn register(map: &mut HashMap<&'static str, JobHandler>) {
    map.insert(
        JOB_ESCALATE,
        Arc::new(|state: AppState, job: Job| -> JobFuture {
            Box::pin(async move { service::escalate_silent(&state, job.target_id).await })
        }),
    );
}
