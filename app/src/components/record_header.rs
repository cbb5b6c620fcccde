//! The header of a record whose title is its own identifier (an order number, a payment
//! reference): like `DetailHeader`, but the `<h1>` is the identifier in a monospace face and carries
//! a test id, so tests read the identifier alone.

use super::styles::SUBTITLE;
use leptos::prelude::*;

#[component]
pub fn RecordHeader(
    /// The identifier, the page's `<h1>`.
    #[prop(into)]
    id: String,
    /// `data-testid` of the `<h1>`.
    testid: &'static str,
    #[prop(optional, into)] subtitle: Option<ViewFnOnce>,
    #[prop(optional, into)] badge: Option<ViewFnOnce>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    view! {
        <header class="flex flex-wrap items-start justify-between gap-4">
            <div>
                <h1 class="font-mono text-2xl font-semibold tracking-tight" data-testid=testid>{id}</h1>
                {subtitle.map(|s| view! { <p class=SUBTITLE>{s.run()}</p> })}
            </div>
            <div class="text-right">
                {badge.map(|b| b.run())}
                {children.map(|c| c())}
            </div>
        </header>
    }
}
