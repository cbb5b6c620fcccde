//! `/console/reviews`: the counters, the filters (a GET form, so a filtered queue can be bookmarked
//! and works without WASM), and the queue with keyset paging. The detail is in `detail.rs`.

use crate::categories::api::category_tree;
use crate::components::styles::{INPUT, LABEL, ROW_LINK, TD};
use crate::components::{
    list_filter_error, query_param, shown_by_filters, Counter, Counters, DataTable, DetailResult, FilterBar,
    ForbiddenState, ListResult, SelectFilter, StatusBadge, TextFilter, Time, Tone,
};
use crate::domain::checks::Risk;
use crate::domain::permissions::LISTINGS_VIEW;
use crate::domain::review::{time_left, ReviewKind, SlaState};
use crate::frame::console::shell::{use_operator, PageHeader};
use crate::i18n::{fill, t, translate, use_lang, Lang};
use crate::reviews::api::{list_review_queue, review_counters};
use crate::reviews::model::{kind_key, risk_key, sla_key, QueueCounters, QueueRow};
use leptos::prelude::*;
use leptos_meta::Title;

/// `2d 3h 5m` / `3h 5m` / `5m`, in the page's language, with "left" or "overdue by".
pub(super) fn sla_text(lang: Lang, due_ms: i64, now_ms: i64) -> String {
    let (overdue, d, h, m) = time_left(due_ms, now_ms);
    let span = match lang {
        Lang::En if d > 0 => format!("{d}d {h}h"),
        Lang::En if h > 0 => format!("{h}h {m}m"),
        Lang::En => format!("{m}m"),
        Lang::Zh if d > 0 => format!("{d} 天 {h} 小时"),
        Lang::Zh if h > 0 => format!("{h} 小时 {m} 分"),
        Lang::Zh => format!("{m} 分"),
    };
    let key = if overdue { "reviews.overdue_by" } else { "reviews.left" };
    fill(&translate(lang, key), &[("t", span)])
}

/// How much a listing's automated risk should worry the reviewer.
pub(super) fn tone(risk: Risk) -> Tone {
    match risk {
        Risk::Low => Tone::Neutral,
        Risk::Medium => Tone::Warning,
        Risk::High => Tone::Danger,
    }
}

#[component]
pub(super) fn SlaCell(due_ms: i64, now_ms: i64) -> impl IntoView {
    let lang = use_lang();
    let state = SlaState::of(due_ms, now_ms, i64::MAX);
    let colour = match state {
        SlaState::Overdue => "font-semibold text-red-700",
        _ => "text-slate-700",
    };
    view! { <span data-testid="sla-left" class=colour>{move || sla_text(lang.get(), due_ms, now_ms)}</span> }
}

#[component]
fn QueueCounterRow(c: QueueCounters) -> impl IntoView {
    let QueueCounters { to_review, sla_pressure, overdue, blocked, high_risk, warnings, decidable } = c;
    view! {
        <Counters columns=4 label="reviews.counters">
            <Counter label="reviews.count.to_review" value=to_review.to_string() testid="count-to-review"/>
            <Counter label="reviews.count.sla_pressure" value=sla_pressure.to_string() testid="count-sla-pressure"/>
            <Counter label="reviews.count.overdue" value=overdue.to_string() testid="count-overdue"/>
            <Counter label="reviews.count.blocked" value=blocked.to_string() testid="count-blocked"/>
            <Counter label="reviews.count.high_risk" value=high_risk.to_string() testid="count-high-risk"/>
            <Counter label="reviews.count.warnings" value=warnings.to_string() testid="count-warnings"/>
            <Counter label="reviews.count.decidable" value=decidable.to_string() testid="count-decidable"/>
        </Counters>
    }
}

#[component]
pub fn ReviewQueuePage() -> impl IntoView {
    if !use_operator().is_some_and(|v| v.can(LISTINGS_VIEW)) {
        return view! {
            <Title text=crate::i18n::title("console.reviews")/>
            <PageHeader title="console.reviews" crumbs=vec![]/><ForbiddenState/>
        }
        .into_any();
    }
    let (risk, sla, kind, category, seller, cursor) = (
        query_param("risk"),
        query_param("sla"),
        query_param("kind"),
        query_param("category"),
        query_param("seller"),
        query_param("cursor"),
    );
    let queue = Resource::new(
        move || (risk(), sla(), seller(), category(), kind(), cursor()),
        |(r, s, se, c, k, cur)| list_review_queue(r, s, se, c, k, cur),
    );
    let counters = Resource::new(|| (), |_| review_counters());
    // A filtered queue that comes back empty says so; the first visit explains what the queue is for.
    let filtered = Memo::new(move |_| {
        risk().is_some() || sla().is_some() || kind().is_some() || category().is_some() || seller().is_some()
    });
    let keep: &'static [&'static str] = &["risk", "sla", "kind", "category", "seller"];
    view! {
        <Title text=crate::i18n::title("console.reviews")/>
        <PageHeader title="console.reviews" crumbs=vec![]/>
        <div class="mb-6">
            <DetailResult resource=counters let:c><QueueCounterRow c/></DetailResult>
        </div>
        <div class="mb-4"><QueueFilters error=list_filter_error(queue)/></div>
        {move || if filtered.get() {
            view! {
                <ListResult resource=queue empty="reviews.none_match" keep on_error=shown_by_filters let:rows>
                    <QueueTable rows/>
                </ListResult>
            }.into_any()
        } else {
            view! {
                <ListResult resource=queue empty="reviews.empty" empty_hint="reviews.empty_hint" keep
                    on_error=shown_by_filters let:rows>
                    <QueueTable rows/>
                </ListResult>
            }.into_any()
        }}
    }
    .into_any()
}

#[component]
fn QueueFilters(error: Signal<Option<String>>) -> impl IntoView {
    let risks = Risk::ALL.into_iter().rev().map(|r| (r.as_str(), risk_key(r).to_string())).collect();
    let slas = SlaState::ALL.into_iter().rev().map(|s| (s.as_str(), sla_key(s).to_string())).collect();
    let kinds = ReviewKind::ALL.into_iter().map(|k| (k.as_str(), kind_key(k).to_string())).collect();
    view! {
        <FilterBar action="/console/reviews" label="reviews.filters" testid="review-filters" error>
            <SelectFilter name="risk" label="reviews.filter.risk" all="reviews.filter.any" options=risks/>
            <SelectFilter name="sla" label="reviews.filter.sla" all="reviews.filter.any" options=slas/>
            <SelectFilter name="kind" label="reviews.filter.kind" all="reviews.filter.any" options=kinds/>
            <CategorySelect/>
            <TextFilter name="seller" label="reviews.filter.seller" maxlength=20/>
            <a href="/console/reviews" class="rounded-md px-3 py-2 text-sm text-slate-600 hover:bg-slate-100">{t("action.clear")}</a>
        </FilterBar>
    }
}

/// The category filter: the options are the stored tree (names, indented by depth), not a fixed list.
#[component]
fn CategorySelect() -> impl IntoView {
    let lang = use_lang();
    let category = query_param("category");
    let categories = Resource::new(|| (), |_| category_tree(true));
    view! {
        <div class="space-y-1">
            <label for="filter-category" class=LABEL>{t("reviews.filter.category")}</label>
            <select id="filter-category" name="category" class=INPUT>
                <option value="">{t("reviews.filter.any")}</option>
                <Transition fallback=|| ()>
                    {move || categories.get().and_then(|r| r.ok()).map(|nodes| nodes.into_iter().map(|n| {
                        let id = n.id.to_string();
                        let indent = "\u{00a0}\u{00a0}".repeat(n.depth);
                        let selected = { let id = id.clone(); move || category().as_deref() == Some(id.as_str()) };
                        view! { <option value=id selected=selected>{move || format!("{indent}{}", n.name(lang.get()))}</option> }
                    }).collect_view())}
                </Transition>
            </select>
        </div>
    }
}

#[component]
fn QueueTable(rows: Vec<QueueRow>) -> impl IntoView {
    let lang = use_lang();
    let columns = vec![
        "reviews.col.listing",
        "reviews.col.seller",
        "reviews.col.submitted",
        "reviews.col.sla",
        "reviews.col.risk",
        "reviews.col.findings",
    ];
    view! {
        <DataTable caption="reviews.caption" columns testid="review-queue">
            {rows.into_iter().map(|r| {
                let (b, w) = (r.blocking_count, r.warning_count);
                view! {
                    <tr class="hover:bg-slate-50" data-testid="review-row" data-version=r.version_id>
                        <td class=TD>
                            <a href=format!("/console/reviews/{}", r.version_id) class=ROW_LINK>{r.title}</a>
                            {r.re_review.then(|| view! {
                                <span data-testid="re-review-badge" class="ml-2 inline-flex rounded bg-indigo-50 px-1.5 py-0.5 text-xs font-medium text-indigo-700">{t("reviews.kind.re_review")}</span>
                            })}
                        </td>
                        <td class=TD>
                            <a href=format!("/console/reviews?seller={}", r.seller_id) class="hover:underline" title=t("reviews.filter_seller")>{r.seller_name}</a>
                        </td>
                        <td class=format!("{TD} whitespace-nowrap text-slate-500")><Time ms=r.submitted_at_ms/></td>
                        <td class=format!("{TD} whitespace-nowrap")><SlaCell due_ms=r.sla_due_at_ms now_ms=r.now_ms/></td>
                        <td class=TD><StatusBadge tone=tone(r.risk) label=t(risk_key(r.risk)) testid="risk-badge" status=r.risk.as_str()/></td>
                        <td class=format!("{TD} whitespace-nowrap tabular-nums") data-testid="finding-counts">
                            {move || fill(&translate(lang.get(), "reviews.findings_count"), &[("b", b.to_string()), ("w", w.to_string())])}
                        </td>
                    </tr>
                }
            }).collect_view()}
        </DataTable>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sla_text_reads_as_time_left_or_overdue() {
        let h = 3_600_000;
        assert_eq!(sla_text(Lang::En, 26 * h, 0), "1d 2h left");
        assert_eq!(sla_text(Lang::En, 0, 90 * 60_000), "Overdue by 1h 30m");
        assert_eq!(sla_text(Lang::Zh, 5 * 60_000, 0), "剩余 5 分");
    }
}
