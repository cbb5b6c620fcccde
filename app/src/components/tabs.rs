//! Tabs as links: each tab is `?tab=<value>` of the same page (the first needs none), so a tab can be
//! bookmarked, opened in a new window and followed without the WASM; the current one is marked with
//! `aria-current`. For a record with more than fits one screen (a user's page).

use crate::i18n::t;
use leptos::prelude::*;

/// `path` is the page's own path; `tabs` are (value, message key of the label); `current` the value
/// shown now.
#[component]
pub fn TabLinks(
    /// Message key of the navigation's accessible name.
    label: &'static str,
    path: String,
    tabs: Vec<(&'static str, &'static str)>,
    #[prop(into)] current: Signal<String>,
) -> impl IntoView {
    let first = tabs.first().map(|(value, _)| *value).unwrap_or_default();
    view! {
        <nav aria-label=t(label) class="mb-6 border-b border-slate-200" data-testid="tabs">
            <ul class="-mb-px flex flex-wrap gap-x-1">
                {tabs.into_iter().map(|(value, key)| {
                    let href = if value == first { path.clone() } else { format!("{path}?tab={value}") };
                    let on = move || current.get() == value;
                    view! {
                        <li>
                            <a href=href aria-current=move || on().then_some("page")
                                class=move || if on() {
                                    "inline-block border-b-2 border-indigo-600 px-3 py-2 text-sm font-medium text-indigo-700"
                                } else {
                                    "inline-block border-b-2 border-transparent px-3 py-2 text-sm text-slate-600 hover:border-slate-300 hover:text-slate-900"
                                }>
                                {t(key)}
                            </a>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </nav>
    }
}
