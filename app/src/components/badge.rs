//! Status badges: one shape, a handful of tones. A page maps its own states to a `Tone` (that is
//! domain knowledge) and the kit draws the pill (that is not).

use leptos::prelude::*;
use leptos::text_prop::TextProp;

/// What a state means to the person reading the list, not which state it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    /// Closed, withdrawn, draft: nothing to do.
    Neutral,
    /// Moving along (approved, paid, in progress).
    Info,
    /// A further step along the way (shipped).
    Progress,
    /// Done well (completed, refunded, paid out).
    Success,
    /// Waits for someone (requested, pending).
    Warning,
    /// Went wrong or was refused.
    Danger,
    /// Handed to someone else (escalated to a dispute).
    Escalated,
    /// A risk to look at (payout risk flags).
    Risk,
    /// Needs attention now (overdue); solid, so it stands out next to the state.
    Urgent,
}

impl Tone {
    /// Whole class strings (Tailwind scans for them; see styles.rs).
    pub fn classes(self) -> &'static str {
        match self {
            Tone::Neutral => "inline-flex whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset bg-slate-100 text-slate-700 ring-slate-500/20",
            Tone::Info => "inline-flex whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset bg-sky-50 text-sky-700 ring-sky-600/20",
            Tone::Progress => "inline-flex whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset bg-indigo-50 text-indigo-700 ring-indigo-600/20",
            Tone::Success => "inline-flex whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset bg-green-50 text-green-700 ring-green-600/20",
            Tone::Warning => "inline-flex whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset bg-amber-50 text-amber-800 ring-amber-600/20",
            Tone::Danger => "inline-flex whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset bg-red-50 text-red-700 ring-red-600/20",
            Tone::Escalated => "inline-flex whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset bg-purple-50 text-purple-700 ring-purple-600/20",
            Tone::Risk => "inline-flex whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset bg-orange-50 text-orange-800 ring-orange-600/20",
            Tone::Urgent => "inline-flex whitespace-nowrap rounded-full bg-red-600 px-2 py-0.5 text-xs font-semibold text-white",
        }
    }
}

/// A pill with a state's name. `testid` and `status` (rendered as `data-testid` / `data-status`)
/// let tests find the badge and read the stored state whatever the language.
#[component]
pub fn StatusBadge(
    tone: Tone,
    /// The text; pass `t("key")` or a closure so it follows the language.
    #[prop(into)]
    label: TextProp,
    #[prop(optional)] testid: Option<&'static str>,
    #[prop(optional, into)] status: Option<String>,
    /// `data-flag`, for badges that name a flag rather than a state (payout risk flags).
    #[prop(optional)]
    flag: Option<String>,
) -> impl IntoView {
    view! {
        <span data-testid=testid data-status=status data-flag=flag class=tone.classes()>
            {move || label.get().to_string()}
        </span>
    }
}

/// A state badge and, next to it, badges for what else is true (overdue, frozen).
#[component]
pub fn BadgeGroup(children: Children) -> impl IntoView {
    view! { <span class="inline-flex flex-wrap items-center gap-1">{children()}</span> }
}
