//! The alert kinds of durable jobs: the evaluation and the end of a silence.

use super::evaluate::{run, EVALUATE_JOB};
use super::rules::{silence_ended, SILENCE_END_JOB};
use crate::platform::jobs::{Job, JobFuture, JobHandler};
use crate::platform::state::AppState;
use std::collections::HashMap;
use std::sync::Arc;

/// Registers the alert kinds (called from `crate::timers::handlers`).
pub fn register(map: &mut HashMap<&'static str, JobHandler>) {
    map.insert(
        EVALUATE_JOB,
        Arc::new(|state: AppState, _: Job| -> JobFuture { Box::pin(async move { run(&state).await }) }),
    );
    map.insert(
        SILENCE_END_JOB,
        Arc::new(|state: AppState, j: Job| -> JobFuture {
            Box::pin(async move { silence_ended(&state, j.target_id).await })
        }),
    );
}
