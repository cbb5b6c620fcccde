//! What the seller's and finance's payout pages both show: the status and risk badges and a
//! request's state in plain words.

use crate::components::format::format_utc;
use crate::components::{StatusBadge, Tone};
use crate::domain::payout::{PayoutStatus, RiskFlag};
use crate::i18n::{fill, t, translate, use_lang};
use crate::payouts::model::{flag_key, next_action_key, plain_state_key, status_key, PayoutRow};
use leptos::prelude::*;

/// What a payout's state means to the reader (the kit draws the badge).
fn status_tone(s: PayoutStatus) -> Tone {
    match s {
        PayoutStatus::Requested => Tone::Warning,
        PayoutStatus::Approved => Tone::Info,
        PayoutStatus::Paid => Tone::Success,
        PayoutStatus::Failed | PayoutStatus::Rejected => Tone::Danger,
    }
}

#[component]
pub fn PayoutStatusBadge(status: PayoutStatus) -> impl IntoView {
    view! { <StatusBadge tone=status_tone(status) label=t(status_key(status)) testid="payout-status" status=status.as_str()/> }
}

#[component]
pub fn RiskBadges(flags: Vec<RiskFlag>) -> impl IntoView {
    view! {
        <span class="flex flex-wrap gap-1">
            {flags.into_iter().map(|f| view! {
                <StatusBadge tone=Tone::Risk label=t(flag_key(f)) testid="risk-flag" flag=f.as_str().to_string()/>
            }).collect_view()}
        </span>
    }
}

/// A request's state and next step in plain words, for the seller (and the console's history).
#[component]
pub fn PlainState(row: PayoutRow) -> impl IntoView {
    let lang = use_lang();
    let r = row.clone();
    let main = move || {
        let template = translate(lang.get(), plain_state_key(r.status));
        let date = r.closed_at_ms.map(|ms| format!("{} UTC", format_utc(ms).replace('T', " "))).unwrap_or_default();
        let reason =
            if r.status == PayoutStatus::Failed { r.failure_reason.clone() } else { r.decision_reason.clone() };
        fill(&template, &[("date", date), ("reference", r.external_reference.clone()), ("reason", reason)])
    };
    let failed = row.status == PayoutStatus::Failed;
    let retry = row.retry_condition.clone();
    let next = row.next_action;
    let frozen = row.frozen && row.status.is_open();
    view! {
        <div class="space-y-0.5 text-sm" data-testid="payout-next">
            <p>{main}</p>
            {failed.then(|| view! {
                <p class="text-slate-600">{move || fill(&translate(lang.get(), "payouts.plain.retry"), &[("condition", retry.clone())])}</p>
                {next.map(|n| view! { <p class="font-medium">{t(next_action_key(n))}</p> })}
                <p class="text-slate-600">{t("payouts.plain.returned")}</p>
            })}
            {frozen.then(|| view! { <p class="font-medium text-red-700">{t("payouts.plain.frozen")}</p> })}
        </div>
    }
}
