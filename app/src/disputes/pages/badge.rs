//! A dispute's status as a badge, and its reason in plain words.

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
pub(super) fn reason_label(lang: Lang, code: &str) -> String {
    label_or_raw(lang, "refunds.reason.", code)
}
