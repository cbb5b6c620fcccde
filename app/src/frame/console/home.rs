//! The command center: the counts and queues the operator may see, all real, none invented.

use super::api::console_overview;
use super::shell::PageHeader;
use crate::components::{EmptyState, ErrorState, LoadingState};
use crate::i18n::{t, translate, use_lang};
use leptos::prelude::*;

#[component]
pub fn ConsoleHome() -> impl IntoView {
    let overview = Resource::new(|| (), |_| console_overview());
    let lang = use_lang();
    view! {
        <PageHeader title="console.home" crumbs=vec![]/>
        <h2 class="mb-3 text-sm font-semibold uppercase tracking-wide text-slate-500">{t("home.queues")}</h2>
        <Suspense fallback=LoadingState>
            {move || overview.get().map(|r| match r {
                Err(e) => view! { <ErrorState error=e/> }.into_any(),
                Ok(o) if o.counts.is_empty() => view! { <EmptyState title=Signal::derive(t("home.no_counts"))/> }.into_any(),
                Ok(o) => view! {
                    <ul class="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-3">
                        {o.counts.into_iter().map(|c| {
                            let label = c.label.clone();
                            let ring = if c.attention { "border-red-300 bg-red-50" } else { "border-slate-200 bg-white" };
                            view! {
                                <li>
                                    <a href=c.href class=format!("block rounded-xl border p-5 shadow-sm hover:border-indigo-300 {ring}") data-testid=format!("count-{}", c.label)>
                                        <p class="text-sm text-slate-500">{move || translate(lang.get(), &label)}</p>
                                        <p class="mt-1 text-3xl font-semibold tabular-nums">{c.value}</p>
                                    </a>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            })}
        </Suspense>
    }
}
