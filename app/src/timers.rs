//! Every kind of durable timer and its handler, in one registry the worker and the tests share.
//! Features add their kinds here (see `platform::jobs`).

use crate::platform::jobs::{Handlers, JobHandler};
use std::collections::HashMap;

pub fn handlers() -> Handlers {
    let mut map: HashMap<&'static str, JobHandler> = HashMap::new();
    crate::orders::timers::register(&mut map);
    crate::refunds::timers::register(&mut map);
    crate::exports::timers::register(&mut map);
    crate::curation::timers::register(&mut map);
    crate::users::timers::register(&mut map);
    crate::alerts::timers::register(&mut map);
    Handlers::new(map)
}
