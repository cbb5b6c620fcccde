//! Small tables inside a card (a record's variants, its findings, its recent history): no box of
//! their own, headers in the card's quiet style. A list page's table is `DataTable`.

use super::styles::{MUTED, TH_INLINE};
use crate::i18n::t;
use leptos::prelude::*;

/// `caption` (message key, read by screen readers only), the column headers (message keys,
/// `scope="col"`), then `children`: the `<tr>`s.
#[component]
pub fn InlineTable(
    caption: &'static str,
    columns: Vec<&'static str>,
    #[prop(optional)] testid: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="mt-2 overflow-x-auto">
            <table class="min-w-full text-sm" data-testid=testid>
                <caption class="sr-only">{t(caption)}</caption>
                <thead>
                    <tr>{columns.into_iter().map(|key| view! { <th scope="col" class=TH_INLINE>{t(key)}</th> }).collect_view()}</tr>
                </thead>
                <tbody class="divide-y divide-slate-100">{children()}</tbody>
            </table>
        </div>
    }
}

/// The quiet line a card shows instead of an empty table ("No findings.").
#[component]
pub fn NoneYet(key: &'static str, #[prop(optional)] testid: Option<&'static str>) -> impl IntoView {
    view! { <p class=format!("mt-2 {MUTED}") data-testid=testid>{t(key)}</p> }
}
