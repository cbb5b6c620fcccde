//! The command center: the counts and queues the operator may see, all real, none invented.

use super::api::{console_overview, Count};
use super::shell::PageHeader;
use crate::components::list::empty_state;
use crate::components::DetailResult;
use crate::i18n::{t, translate, use_lang};
use leptos::prelude::*;

#[component]
pub fn ConsoleHome() -> impl IntoView {
    let overview = Resource::new(|| (), |_| console_overview());
    view! {
        <PageHeader title="console.home" crumbs=vec![]/>
        <h2 class="mb-3 text-sm font-semibold uppercase tracking-wide text-slate-500">{t("home.queues")}</h2>
        <DetailResult resource=overview let:o>
            <Queues counts=o.counts/>
        </DetailResult>
    }
}

/// One card per queue; a queue that needs attention now is tinted red. The labels are message keys
/// chosen by the server (only the queues this operator may open), so they are not `Counter`s.
#[component]
fn Queues(counts: Vec<Count>) -> impl IntoView {
    if counts.is_empty() {
        return empty_state("home.no_counts", None);
    }
    let lang = use_lang();
    view! {
        <ul class="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-3">
            {counts.into_iter().map(|c| {
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
    }
    .into_any()
}
