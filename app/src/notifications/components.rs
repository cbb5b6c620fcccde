use super::api::unread_notifications;
use crate::i18n::{fill, translate, use_lang};
use leptos::prelude::*;

/// The bell: a link to the notifications page with the unread count, refreshed every 30 seconds.
#[component]
pub fn NotificationBell() -> impl IntoView {
    let lang = use_lang();
    let tick = RwSignal::new(0u32);
    #[cfg(feature = "hydrate")]
    {
        let handle = set_interval_with_handle(move || tick.update(|n| *n += 1), std::time::Duration::from_secs(30)).ok();
        on_cleanup(move || {
            if let Some(h) = handle {
                h.clear();
            }
        });
    }
    let unread = Resource::new(move || tick.get(), |_| unread_notifications());
    let count = move || unread.get().and_then(|r| r.ok()).unwrap_or(0);
    view! {
        <a
            href="/notifications"
            data-testid="notification-bell"
            aria-label=move || fill(&translate(lang.get(), "notify.bell"), &[("n", count().to_string())])
            class="relative rounded-md p-2 hover:bg-slate-100/20"
        >
            <svg aria-hidden="true" viewBox="0 0 24 24" class="h-5 w-5" fill="none" stroke="currentColor" stroke-width="2">
                <path d="M15 17h5l-1.4-1.4A2 2 0 0 1 18 14.2V11a6 6 0 1 0-12 0v3.2c0 .5-.2 1-.6 1.4L4 17h5m6 0v1a3 3 0 1 1-6 0v-1m6 0H9"/>
            </svg>
            <Transition fallback=|| ()>
                {move || (count() > 0).then(|| view! {
                    <span data-testid="unread-count" class="absolute -right-0.5 -top-0.5 min-w-4 rounded-full bg-red-600 px-1 text-center text-[10px] font-bold leading-4 text-white">{count()}</span>
                })}
            </Transition>
        </a>
    }
}
