//! The command center's card of unresolved incidents: how many, and the five most severe and newest
//! (severity, title linking to the incident, state, when opened). Only for operators who may see
//! incidents.

use super::shared::{SeverityBadge, StateBadge};
use crate::alerts::api::unresolved_incidents;
use crate::alerts::model::OpenIncidents;
use crate::components::styles::{CARD_SMALL, H2, LINK, MUTED};
use crate::components::{DetailResult, Time};
use crate::domain::permissions::ALERTS_VIEW;
use crate::frame::console::shell::use_operator;
use crate::i18n::t;
use leptos::prelude::*;

#[component]
pub fn OpenIncidentsCard() -> impl IntoView {
    if !use_operator().is_some_and(|v| v.can(ALERTS_VIEW)) {
        return ().into_any();
    }
    let open = Resource::new(|| (), |_| unresolved_incidents());
    view! {
        <section aria-labelledby="incidents-heading" class="mb-8" data-testid="open-incidents">
            <div class="mb-3 flex flex-wrap items-baseline justify-between gap-3">
                <h2 id="incidents-heading" class=H2>{t("incidents_card.title")}</h2>
                <a href="/console/incidents" class=format!("text-sm {LINK}")>{t("incidents_card.all")}</a>
            </div>
            <DetailResult resource=open let:o>
                <OpenList o/>
            </DetailResult>
        </section>
    }
    .into_any()
}

#[component]
fn OpenList(o: OpenIncidents) -> impl IntoView {
    if o.count == 0 {
        return view! {
            <div class=CARD_SMALL><p class=MUTED data-testid="no-open-incidents">{t("incidents_card.none")}</p></div>
        }
        .into_any();
    }
    let count = o.count;
    let tone = if o.newest.iter().any(|i| i.severity == "critical") {
        "rounded-xl border border-red-300 bg-red-50 p-4 shadow-sm"
    } else {
        "rounded-xl border border-amber-300 bg-amber-50 p-4 shadow-sm"
    };
    view! {
        <div class=tone>
            <p class="text-sm font-medium text-slate-800">
                <span class="mr-1 text-2xl font-semibold tabular-nums" data-testid="open-incidents-count">{count}</span>
                {t("incidents_card.unresolved")}
            </p>
            <ul class="mt-3 divide-y divide-slate-200/70">
                {o.newest.into_iter().map(|i| view! {
                    <li class="flex flex-wrap items-center gap-x-3 gap-y-1 py-2 text-sm" data-testid="open-incident" data-id=i.id>
                        <SeverityBadge severity=i.severity.clone()/>
                        <a href=format!("/console/incidents/{}", i.id) class="font-medium text-indigo-700 hover:underline">"#"{i.id}" "{i.title.clone()}</a>
                        <StateBadge state=i.state.clone()/>
                        <span class="ml-auto text-xs text-slate-500">{t("incidents_card.opened")}" "<Time ms=i.opened_at_ms/></span>
                    </li>
                }).collect_view()}
            </ul>
        </div>
    }
    .into_any()
}
