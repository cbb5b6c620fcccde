use super::api::unread_notifications;
use crate::i18n::{fill, translate, use_lang};
use leptos::prelude::*;

/// Bumped whenever the viewer reads notifications, so every bell on the page recounts at once.
#[derive(Clone, Copy)]
pub struct NotificationsRead(pub RwSignal<u32>);

pub fn notifications_read() -> RwSignal<u32> {
    match use_context::<NotificationsRead>() {
        Some(n) => n.0,
        None => {
            let n = RwSignal::new(0);
            provide_context(NotificationsRead(n));
            n
        }
    }
}

/// The bell: a link to the notifications page with the unread count, refreshed every 30 seconds and
/// whenever notifications are marked read.
#[component]
pub fn NotificationBell() -> impl IntoView {
    let lang = use_lang();
    let read = notifications_read();
    let tick = RwSignal::new(0u32);
    #[cfg(feature = "hydrate")]
    {
        let handle =
            set_interval_with_handle(move || tick.update(|n| *n += 1), std::time::Duration::from_secs(30)).ok();
        on_cleanup(move || {
            if let Some(h) = handle {
                h.clear();
            }
        });
    }
    let unread = Resource::new(move || (tick.get(), read.get()), |_| unread_notifications());
    // The resource is read only inside the Transition: reading it outside too (say, in the link's
    // label) deadlocks server rendering in leptos 0.8 (reactive_graph takes two locks in opposite
    // orders; leptos issue #4673).
    view! {
        <Transition fallback=move || view! { <BellLink count=0 lang/> }>
            {move || unread.get().map(|r| view! { <BellLink count=r.unwrap_or(0) lang/> })}
        </Transition>
    }
}

#[component]
fn BellLink(count: i64, lang: RwSignal<crate::i18n::Lang>) -> impl IntoView {
    view! {
        <a
            href="/notifications"
            data-testid="notification-bell"
            aria-label=move || fill(&translate(lang.get(), "notify.bell"), &[("n", count.to_string())])
            class="relative rounded-md p-2 hover:bg-slate-100/20"
        >
            <svg aria-hidden="true" viewBox="0 0 24 24" class="h-5 w-5" fill="none" stroke="currentColor" stroke-width="2">
                <path d="M15 17h5l-1.4-1.4A2 2 0 0 1 18 14.2V11a6 6 0 1 0-12 0v3.2c0 .5-.2 1-.6 1.4L4 17h5m6 0v1a3 3 0 1 1-6 0v-1m6 0H9"/>
            </svg>
            {(count > 0).then(|| view! {
                <span data-testid="unread-count" class="absolute -right-0.5 -top-0.5 min-w-4 rounded-full bg-red-600 px-1 text-center text-[10px] font-bold leading-4 text-white">{count}</span>
            })}
        </a>
    }
}
