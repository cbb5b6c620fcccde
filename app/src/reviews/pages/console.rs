//! `/console/reviews`: the counters, the filters (a GET form, so a filtered queue can be bookmarked
//! and works without WASM), and the queue with keyset paging. The detail is in `detail.rs`.

use crate::categories::api::category_tree;
use crate::components::states::{error_text, Time};
use crate::components::{EmptyState, ErrorState, ForbiddenState, LoadingState, Pager};
use crate::domain::checks::Risk;
use crate::domain::permissions::LISTINGS_VIEW;
use crate::domain::review::{time_left, ReviewKind, SlaState};
use crate::frame::console::shell::{use_operator, PageHeader};
use crate::i18n::{fill, t, translate, use_lang, Lang};
use crate::reviews::api::{list_review_queue, review_counters};
use crate::reviews::model::{kind_key, risk_key, sla_key, QueueCounters, QueueRow};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;

use crate::components::styles::INPUT;
use crate::components::styles::LABEL;
use crate::components::styles::TD;
use crate::components::styles::TH;

use crate::components::query::query_param;
use crate::components::query::query_string;

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

#[component]
pub(super) fn RiskBadge(risk: Risk) -> impl IntoView {
    let colour = match risk {
        Risk::Low => "bg-slate-100 text-slate-700 ring-slate-500/20",
        Risk::Medium => "bg-amber-50 text-amber-800 ring-amber-600/20",
        Risk::High => "bg-red-50 text-red-700 ring-red-600/20",
    };
    view! {
        <span data-testid="risk-badge" data-risk=risk.as_str()
            class=format!("inline-flex whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset {colour}")>
            {t(risk_key(risk))}
        </span>
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
fn Counters() -> impl IntoView {
    let counters = Resource::new(|| (), |_| review_counters());
    let card = |key: &'static str, value: i64, testid: &'static str, alert: bool| {
        let colour = if alert && value > 0 { "text-red-700" } else { "text-slate-900" };
        view! {
            <div class="rounded-xl border border-slate-200 bg-white p-4" data-testid=testid>
                <dt class="text-xs font-medium text-slate-500">{t(key)}</dt>
                <dd class=format!("mt-1 text-2xl font-semibold tabular-nums {colour}")>{value}</dd>
            </div>
        }
    };
    view! {
        <Transition fallback=LoadingState>
            {move || counters.get().map(|r| match r {
                Err(e) => view! { <ErrorState error=e/> }.into_any(),
                Ok(c) => {
                    let QueueCounters { to_review, sla_pressure, overdue, blocked, high_risk, warnings, decidable } = c;
                    view! {
                        <section aria-label=t("reviews.counters")>
                            <dl class="mb-6 grid grid-cols-2 gap-3 sm:grid-cols-4 xl:grid-cols-7">
                                {card("reviews.count.to_review", to_review, "count-to-review", false)}
                                {card("reviews.count.sla_pressure", sla_pressure, "count-sla-pressure", true)}
                                {card("reviews.count.overdue", overdue, "count-overdue", true)}
                                {card("reviews.count.blocked", blocked, "count-blocked", false)}
                                {card("reviews.count.high_risk", high_risk, "count-high-risk", true)}
                                {card("reviews.count.warnings", warnings, "count-warnings", false)}
                                {card("reviews.count.decidable", decidable, "count-decidable", false)}
                            </dl>
                        </section>
                    }.into_any()
                }
            })}
        </Transition>
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
    let lang = use_lang();
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
    let categories = Resource::new(|| (), |_| category_tree(true));
    let filtered =
        move || risk().is_some() || sla().is_some() || kind().is_some() || category().is_some() || seller().is_some();
    let filter_error = move |field: &'static str| {
        move || match queue.get() {
            Some(Err(e)) if e.field() == Some(field) => Some(view! {
                <p class="text-sm text-red-600" data-testid=format!("error-{field}")>{error_text(lang.get(), &e)}</p>
            }),
            _ => None,
        }
    };
    view! {
        <Title text=crate::i18n::title("console.reviews")/>
        <PageHeader title="console.reviews" crumbs=vec![]/>
        <Counters/>
        <Form method="GET" action="/console/reviews" attr:aria-label=t("reviews.filters") attr:data-testid="review-filters"
            attr:class="mb-4 grid gap-3 rounded-xl border border-slate-200 bg-white p-4 sm:grid-cols-3 lg:grid-cols-[1fr_1fr_1fr_1.5fr_1fr_auto] lg:items-end">
            <div class="space-y-1">
                <label for="filter-risk" class=LABEL>{t("reviews.filter.risk")}</label>
                <select id="filter-risk" name="risk" class=INPUT>
                    <option value="">{t("reviews.filter.any")}</option>
                    {Risk::ALL.into_iter().rev().map(|r| view! {
                        <option value=r.as_str() selected=move || risk().as_deref() == Some(r.as_str())>{t(risk_key(r))}</option>
                    }).collect_view()}
                </select>
                <Transition fallback=|| ()>{filter_error("risk")}</Transition>
            </div>
            <div class="space-y-1">
                <label for="filter-sla" class=LABEL>{t("reviews.filter.sla")}</label>
                <select id="filter-sla" name="sla" class=INPUT>
                    <option value="">{t("reviews.filter.any")}</option>
                    {SlaState::ALL.into_iter().rev().map(|s| view! {
                        <option value=s.as_str() selected=move || sla().as_deref() == Some(s.as_str())>{t(sla_key(s))}</option>
                    }).collect_view()}
                </select>
                <Transition fallback=|| ()>{filter_error("sla")}</Transition>
            </div>
            <div class="space-y-1">
                <label for="filter-kind" class=LABEL>{t("reviews.filter.kind")}</label>
                <select id="filter-kind" name="kind" class=INPUT>
                    <option value="">{t("reviews.filter.any")}</option>
                    {ReviewKind::ALL.into_iter().map(|k| view! {
                        <option value=k.as_str() selected=move || kind().as_deref() == Some(k.as_str())>{t(kind_key(k))}</option>
                    }).collect_view()}
                </select>
                <Transition fallback=|| ()>{filter_error("kind")}</Transition>
            </div>
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
                <Transition fallback=|| ()>{filter_error("category")}</Transition>
            </div>
            <div class="space-y-1">
                <label for="filter-seller" class=LABEL>{t("reviews.filter.seller")}</label>
                <input id="filter-seller" name="seller" type="text" inputmode="numeric" maxlength="20" value=seller class=INPUT/>
                <Transition fallback=|| ()>{filter_error("seller")}</Transition>
            </div>
            <div class="flex gap-2">
                <button type="submit" class="rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-700">{t("action.filter")}</button>
                <a href="/console/reviews" class="rounded-md px-3 py-2 text-sm text-slate-600 hover:bg-slate-100">{t("action.clear")}</a>
            </div>
        </Form>
        <Transition fallback=LoadingState>
            {move || queue.get().map(|r| match r {
                Err(e) if e.field().is_some() => ().into_any(),
                Err(e) => view! { <ErrorState error=e/> }.into_any(),
                Ok(page) if page.rows.is_empty() && filtered() => view! {
                    <EmptyState title=Signal::derive(t("reviews.none_match"))/>
                }.into_any(),
                Ok(page) if page.rows.is_empty() => view! {
                    <EmptyState title=Signal::derive(t("reviews.empty")) hint=Signal::derive(t("reviews.empty_hint"))/>
                }.into_any(),
                Ok(page) => {
                    let base = query_string(&[("risk", risk()), ("sla", sla()), ("kind", kind()), ("category", category()), ("seller", seller())]);
                    view! {
                        <QueueTable rows=page.rows/>
                        <Pager next=page.next base_query=base is_first=cursor().is_none()/>
                    }.into_any()
                }
            })}
        </Transition>
    }
    .into_any()
}

#[component]
fn QueueTable(rows: Vec<QueueRow>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="overflow-x-auto rounded-xl border border-slate-200 bg-white">
            <table class="min-w-full divide-y divide-slate-200 text-sm" data-testid="review-queue">
                <caption class="sr-only">{t("reviews.caption")}</caption>
                <thead class="bg-slate-50">
                    <tr>
                        <th scope="col" class=TH>{t("reviews.col.listing")}</th>
                        <th scope="col" class=TH>{t("reviews.col.seller")}</th>
                        <th scope="col" class=TH>{t("reviews.col.submitted")}</th>
                        <th scope="col" class=TH>{t("reviews.col.sla")}</th>
                        <th scope="col" class=TH>{t("reviews.col.risk")}</th>
                        <th scope="col" class=TH>{t("reviews.col.findings")}</th>
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-100">
                    {rows.into_iter().map(|r| {
                        let (b, w) = (r.blocking_count, r.warning_count);
                        view! {
                            <tr class="hover:bg-slate-50" data-testid="review-row" data-version=r.version_id>
                                <td class=TD>
                                    <a href=format!("/console/reviews/{}", r.version_id) class="font-medium text-indigo-700 hover:underline">{r.title}</a>
                                    {r.re_review.then(|| view! {
                                        <span data-testid="re-review-badge" class="ml-2 inline-flex rounded bg-indigo-50 px-1.5 py-0.5 text-xs font-medium text-indigo-700">{t("reviews.kind.re_review")}</span>
                                    })}
                                </td>
                                <td class=TD>
                                    <a href=format!("/console/reviews?seller={}", r.seller_id) class="hover:underline" title=t("reviews.filter_seller")>{r.seller_name}</a>
                                </td>
                                <td class=format!("{TD} whitespace-nowrap text-slate-500")><Time ms=r.submitted_at_ms/></td>
                                <td class=format!("{TD} whitespace-nowrap")><SlaCell due_ms=r.sla_due_at_ms now_ms=r.now_ms/></td>
                                <td class=TD><RiskBadge risk=r.risk/></td>
                                <td class=format!("{TD} whitespace-nowrap tabular-nums") data-testid="finding-counts">
                                    {move || fill(&translate(lang.get(), "reviews.findings_count"), &[("b", b.to_string()), ("w", w.to_string())])}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
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
