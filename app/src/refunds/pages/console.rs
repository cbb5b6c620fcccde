//! The console's refund queue (`/console/refunds`: counters, filters, age / amount / SLA, oldest
//! first) and refund detail (`/console/refunds/:id`: order, both sides, evidence, the ledger effect or
//! the posting made, history from the audit log). Read-only: operators decide through disputes.

use crate::components::styles::{H1, LINK, SUBTITLE};
use crate::components::{
    query_param, CheckFilter, Counter, Counters, DetailResult, FilterBar, ListResult, Section, SelectFilter,
    TextFilter, Timeline, TimelineEntry,
};
use crate::domain::money::Money;
use crate::domain::refund::RefundStatus;
use crate::i18n::{t, title};
use crate::refunds::api::{console_get_refund, console_list_refunds, console_refund_counters};
use crate::refunds::model::{HistoryItem, RefundCounters};
use crate::refunds::pages::{RefundBody, RefundsTable};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
fn QueueCounters(c: RefundCounters) -> impl IntoView {
    let amount_week = Money::new(c.refunded_week_minor, c.currency).display();
    view! {
        <Counters columns=4>
            <Counter label="console_refunds.counter.waiting" value=c.waiting.to_string() testid="counter-waiting"/>
            <Counter label="console_refunds.counter.overdue" value=c.overdue.to_string() testid="counter-overdue"/>
            <Counter label="console_refunds.counter.refunded_week" value=c.refunded_week.to_string() testid="counter-refunded-week"/>
            <Counter label="console_refunds.counter.amount_week" value=amount_week testid="counter-amount-week"/>
        </Counters>
    }
}

#[component]
pub fn RefundsPage() -> impl IntoView {
    let (status, seller, overdue, cursor) =
        (query_param("status"), query_param("seller"), query_param("overdue"), query_param("cursor"));
    let counters = Resource::new(|| (), |_| console_refund_counters());
    let refunds = Resource::new(
        move || (status(), seller(), overdue(), cursor()),
        |(s, sel, o, c)| console_list_refunds(s, sel, o, c),
    );
    let statuses =
        RefundStatus::ALL.into_iter().map(|s| (s.as_str(), format!("refunds.status.{}", s.as_str()))).collect();
    view! {
        <Title text=title("console_refunds.title")/>
        <div class="space-y-6">
            <div>
                <h1 class=H1>{t("console_refunds.title")}</h1>
                <p class=SUBTITLE>{t("console_refunds.read_only")}</p>
            </div>
            <DetailResult resource=counters let:c>
                <QueueCounters c/>
            </DetailResult>
            <FilterBar action="/console/refunds" label="console_refunds.filters" apply="console_refunds.filter.apply">
                <SelectFilter name="status" label="refunds.filter.status" all="refunds.filter.all" options=statuses/>
                <TextFilter name="seller" label="console_refunds.filter.seller"/>
                <CheckFilter name="overdue" label="console_refunds.filter.overdue"/>
            </FilterBar>
            <ListResult resource=refunds empty="console_refunds.empty" empty_hint="console_refunds.empty_hint"
                keep=&["status", "seller", "overdue"] let:rows>
                <RefundsTable rows href="/console/refunds" caption="console_refunds.caption" console=true/>
            </ListResult>
        </div>
    }
}

#[component]
pub fn RefundDetailPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id")).and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
    let refund = Resource::new(id, console_get_refund);
    view! {
        <Title text=title("console_refunds.detail_title")/>
        <div class="space-y-6">
            <nav aria-label="breadcrumb" class="text-sm"><a href="/console/refunds" class=LINK>{t("refunds.back_to_list")}</a></nav>
            <p class="text-sm text-slate-500">{t("console_refunds.read_only")}</p>
            <DetailResult resource=refund not_found="refunds.not_found" let:d>
                {
                    let history = d.history.clone();
                    view! { <RefundBody d/><History items=history/> }
                }
            </DetailResult>
        </div>
    }
}

/// The refund's audit trail, oldest first.
#[component]
fn History(items: Vec<HistoryItem>) -> impl IntoView {
    let entries = items
        .into_iter()
        .map(|h| TimelineEntry {
            at_ms: h.at_ms,
            who: h.actor.unwrap_or(h.actor_roles),
            what: h.action,
            note: h.reason,
        })
        .collect();
    view! {
        <Section id="history-title" title=t("console_refunds.history") testid="refund-history">
            <Timeline entries empty="console_refunds.history_empty"/>
        </Section>
    }
}
