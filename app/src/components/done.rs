//! What a detail page does after one of its actions succeeded.

use crate::error::AppError;
use leptos::prelude::*;

/// After each success of an action: show `done` (see `DoneNotice`) and bump `refresh`, so the page
/// reloads the record and shows its new state; a failure clears an older notice.
pub fn notify_and_reload<T: 'static>(
    value: impl Fn() -> Option<Result<T, AppError>> + 'static,
    refresh: RwSignal<u32>,
    notice: RwSignal<Option<&'static str>>,
    done: &'static str,
) {
    Effect::new(move |_| match value() {
        Some(Ok(_)) => {
            notice.set(Some(done));
            refresh.update(|n| *n += 1);
        }
        Some(Err(_)) => notice.set(None),
        None => {}
    });
}
