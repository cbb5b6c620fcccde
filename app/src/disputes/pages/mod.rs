//! Dispute pages by audience: `buyer` (`/orders/:number/dispute`, opening a dispute), `parties`
//! (`/disputes/:id`, the buyer's and the seller's page), `console`; `body` holds what they share
//! (the summary, the outcome, the conversation), this file the status badge.
mod body;
mod buyer;
pub mod console;
mod parties;

pub use body::{Conversation, DisputeSummary};
pub use buyer::OpenDisputePage;
pub use parties::DisputePage;

use crate::components::{label_or_raw, StatusBadge, Tone};
use crate::domain::dispute::DisputeStatus;
use crate::i18n::{use_lang, Lang};
use leptos::prelude::*;

/// What a dispute's state means to the reader (the kit draws the badge).
fn tone(status: &str) -> Tone {
    match DisputeStatus::parse(status) {
        Some(DisputeStatus::Open) => Tone::Warning,
        Some(DisputeStatus::Refunded) => Tone::Info,
        Some(DisputeStatus::SellerWon) => Tone::Success,
        None => Tone::Neutral,
    }
}

/// A dispute status in plain words, as a badge.
#[component]
pub fn DisputeStatusBadge(status: String) -> impl IntoView {
    let lang = use_lang();
    let s = status.clone();
    view! {
        <StatusBadge tone=tone(&status) testid="dispute-status" status=status.clone()
            label=move || label_or_raw(lang.get(), "disputes.status.", &s)/>
    }
}

/// A refund reason code in words (disputes share the refund reasons).
fn reason_label(lang: Lang, code: &str) -> String {
    label_or_raw(lang, "refunds.reason.", code)
}
