//! `/console`: today's work first (the queues this operator may act on), then, with
//! `analytics.view`, the KPI cards of the chosen period and the trend charts. Every control is a
//! link or a GET form, so the page works before (and without) the WASM.

use super::api::{command_center_kpis, command_center_trends, command_center_work, DEFAULT_PERIOD};
use super::model::{Kpis, QueueRow, TodaysWork, Trends};
use crate::alerts::pages::OpenIncidentsCard;
use crate::components::list::empty_state;
use crate::components::states::error_text;
use crate::components::styles::{CARD_SMALL, H2, MUTED};
use crate::components::{
    money, period_query, query_param, query_string, BarChart, ChartUnit, DetailResult, FilterBar, PeriodFields,
    StatusBadge, Tone,
};
use crate::domain::kpi::{age_unit, percent_text, rate_change_bp, signed_percent_text, Figure, Pressure};
use crate::domain::permissions::ANALYTICS_VIEW;
use crate::error::AppError;
use crate::frame::console::shell::{use_operator, PageHeader};
use crate::i18n::{fill, t, translate, use_lang, Lang};
use leptos::prelude::*;

#[component]
pub fn CommandCenterPage() -> impl IntoView {
    let analytics = use_operator().is_some_and(|v| v.can(ANALYTICS_VIEW));
    view! {
        <PageHeader title="console.home" crumbs=vec![]/>
        <OpenIncidentsCard/>
        <TodaysWorkSection/>
        {analytics.then(|| view! { <KpiSection/><TrendSection/> })}
    }
}

fn heading(id: &'static str, key: &'static str) -> impl IntoView {
    view! { <h2 id=id class=format!("{H2} mb-3")>{t(key)}</h2> }
}

#[component]
fn TodaysWorkSection() -> impl IntoView {
    let work = Resource::new(|| (), |_| command_center_work());
    view! {
        <section aria-labelledby="work-heading" class="mb-8" data-testid="todays-work">
            {heading("work-heading", "home.work")}
            <DetailResult resource=work let:w>
                <QueueList w/>
            </DetailResult>
        </section>
    }
}

#[component]
fn QueueList(w: TodaysWork) -> impl IntoView {
    if w.queues.is_empty() {
        return empty_state("home.no_queues", None);
    }
    let now = w.now_ms;
    view! {
        <ul class="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-4">
            {w.queues.into_iter().map(|row| view! { <QueueCard row now/> }).collect_view()}
        </ul>
    }
    .into_any()
}

fn pressure_tone(p: Pressure) -> Tone {
    match p {
        Pressure::Clear => Tone::Success,
        Pressure::NoSla | Pressure::Ok => Tone::Info,
        Pressure::DueSoon => Tone::Warning,
        Pressure::Overdue => Tone::Danger,
    }
}

/// "Oldest waiting 3 h", in the page's language.
fn age_text(lang: Lang, age_ms: i64) -> String {
    let (n, unit) = age_unit(age_ms);
    let age = fill(&translate(lang, &format!("home.age.{unit}")), &[("n", n.to_string())]);
    fill(&translate(lang, "home.oldest"), &[("age", age)])
}

/// One queue: its name and count link to the queue filtered to what waits; under them its SLA
/// pressure, the oldest item's age, and a link to the items past their SLA.
#[component]
fn QueueCard(row: QueueRow, now: i64) -> impl IntoView {
    let lang = use_lang();
    let name = row.queue.as_str();
    let label = format!("home.queue.{name}");
    let pressure_key = format!("home.pressure.{}", row.pressure.as_str());
    let ring = match row.pressure {
        Pressure::Overdue => "border-red-300 bg-red-50",
        Pressure::DueSoon => "border-amber-300 bg-amber-50",
        _ => "border-slate-200 bg-white",
    };
    let detail = match row.oldest_at_ms {
        _ if row.count == 0 => view! { <span class=MUTED>{t("home.empty_queue")}</span> }.into_any(),
        Some(at) => view! { <span class=MUTED>{move || age_text(lang.get(), now - at)}</span> }.into_any(),
        None => ().into_any(),
    };
    let overdue = row.queue.overdue_href().filter(|_| row.overdue > 0).map(|href| {
        let n = row.overdue;
        view! {
            <a href=href class="font-medium text-red-700 hover:underline" data-testid=format!("queue-{name}-overdue")>
                {move || fill(&translate(lang.get(), "home.overdue"), &[("n", n.to_string())])}
            </a>
        }
    });
    view! {
        <li class=format!("rounded-xl border p-4 shadow-sm {ring}") data-testid=format!("queue-{name}") data-pressure=row.pressure.as_str()>
            <a href=row.queue.href() class="flex items-baseline justify-between gap-3 hover:text-indigo-700" data-testid=format!("queue-{name}-link")>
                <span class="text-sm font-medium text-slate-700">{move || translate(lang.get(), &label)}</span>
                <span class="text-3xl font-semibold tabular-nums" data-testid=format!("queue-{name}-count")>{row.count}</span>
            </a>
            <div class="mt-2 flex flex-wrap items-center gap-2 text-xs">
                <StatusBadge tone=pressure_tone(row.pressure) label=move || translate(lang.get(), &pressure_key)/>
                {detail}
                {overdue}
            </div>
        </li>
    }
}

#[component]
fn KpiSection() -> impl IntoView {
    let period = period_query();
    let kpis = Resource::new(period, |(p, f, t)| command_center_kpis(p, f, t));
    let lang = use_lang();
    let error = Signal::derive(move || match kpis.get() {
        Some(Err(e)) if e.field().is_some() => Some(error_text(lang.get(), &e)),
        _ => None,
    });
    let trend = query_param("trend");
    view! {
        <section aria-labelledby="kpi-heading" class="mb-8" data-testid="kpis">
            {heading("kpi-heading", "home.kpis")}
            <FilterBar action="/console" label="home.kpi_filters" testid="kpi-filters" error>
                <PeriodFields default=DEFAULT_PERIOD/>
                {move || trend().map(|v| view! { <input type="hidden" name="trend" value=v/> })}
            </FilterBar>
            <div class="mt-4">
                <DetailResult resource=kpis on_error=|e: AppError| e.field().is_some().then(|| ().into_any()) let:k>
                    <KpiCards k/>
                </DetailResult>
            </div>
        </section>
    }
}

/// How a card's change reads: relative (%) for amounts and counts, in points for rates.
#[derive(Clone, Copy)]
enum Change {
    Relative(Option<i64>),
    Points(Option<i64>),
}

fn change_text(lang: Lang, change: Change) -> String {
    match change {
        Change::Relative(Some(bp)) => fill(&translate(lang, "home.change"), &[("change", signed_percent_text(bp))]),
        Change::Points(Some(bp)) => fill(
            &translate(lang, "home.change_points"),
            &[("change", signed_percent_text(bp).trim_end_matches('%').to_string())],
        ),
        Change::Relative(None) | Change::Points(None) => translate(lang, "home.change_none"),
    }
}

#[component]
fn KpiCards(k: Kpis) -> impl IntoView {
    let lang = use_lang();
    let cur = k.currency;
    let amount = move |f: Figure| (money(f.current, cur), Change::Relative(f.change_bp()));
    let count = |f: Figure| (f.current.to_string(), Change::Relative(f.change_bp()));
    let rate = |part: Figure, whole: Figure| {
        let (now, before) = Figure::rate_of(part, whole);
        (now.map(percent_text).unwrap_or_else(|| "—".into()), Change::Points(rate_change_bp(now, before)))
    };
    let cards = [
        ("gmv", amount(k.gmv)),
        ("paid_orders", count(k.paid_orders)),
        ("commission", amount(k.commission)),
        ("refunds", amount(k.refunds)),
        ("refund_rate", rate(k.refunds, k.gmv)),
        ("disputes", count(k.disputes)),
        ("dispute_rate", rate(k.disputes, k.paid_orders)),
        ("new_buyers", count(k.new_buyers)),
        ("new_sellers", count(k.new_sellers)),
        ("active_sellers", count(k.active_sellers)),
        ("payouts_paid", amount(k.payouts_paid)),
    ];
    let period = move || {
        fill(
            &translate(lang.get(), "home.kpi_period"),
            &[
                ("from", k.from.clone()),
                ("to", k.to.clone()),
                ("previous_from", k.previous_from.clone()),
                ("previous_to", k.previous_to.clone()),
            ],
        )
    };
    view! {
        <p class=format!("{MUTED} mb-3") data-testid="kpi-period">{period}</p>
        <dl class="grid gap-3 sm:grid-cols-2 lg:grid-cols-4" data-testid="kpi-cards">
            {cards.into_iter().map(|(name, (value, change))| {
                let label = format!("home.kpi.{name}");
                view! {
                    <div class=CARD_SMALL>
                        <dt class="text-xs font-medium uppercase tracking-wide text-slate-500">{move || translate(lang.get(), &label)}</dt>
                        <dd class="mt-1 text-2xl font-semibold tabular-nums text-slate-900" data-testid=format!("kpi-{name}")>{value}</dd>
                        <dd class="mt-1 text-xs text-slate-500" data-testid=format!("kpi-{name}-change")>{move || change_text(lang.get(), change)}</dd>
                    </div>
                }
            }).collect_view()}
        </dl>
    }
}

#[component]
fn TrendSection() -> impl IntoView {
    let trend = query_param("trend");
    let trends = Resource::new(trend, command_center_trends);
    let period = period_query();
    let lang = use_lang();
    // The window links keep the KPI period.
    let link = move |days: &'static str| {
        let (p, f, to) = period();
        format!("/console?{}", query_string(&[("period", p), ("from", f), ("to", to), ("trend", Some(days.into()))]))
    };
    let chosen = move || trend().unwrap_or_else(|| "30".into());
    view! {
        <section aria-labelledby="trend-heading" data-testid="trends">
            <div class="mb-3 flex items-center justify-between gap-3">
                <h2 id="trend-heading" class=H2>{t("home.trends")}</h2>
                <nav aria-label=move || translate(lang.get(), "home.trend_window") class="flex gap-1 text-sm">
                    {["7", "30"].into_iter().map(|days| view! {
                        <a href=move || link(days) data-testid=format!("trend-{days}")
                            aria-current=move || (chosen() == days).then_some("page")
                            class="rounded-md px-3 py-1.5 font-medium text-indigo-700 hover:bg-indigo-50 aria-[current=page]:bg-indigo-600 aria-[current=page]:text-white">
                            {move || translate(lang.get(), &format!("home.trend.{days}"))}
                        </a>
                    }).collect_view()}
                </nav>
            </div>
            <DetailResult resource=trends let:tr>
                <Charts tr/>
            </DetailResult>
        </section>
    }
}

#[component]
fn Charts(tr: Trends) -> impl IntoView {
    let money = ChartUnit::Money(tr.currency);
    view! {
        <div class="grid gap-4">
            <BarChart id="orders" title="home.chart.orders" dates=tr.dates.clone() values=tr.orders unit=ChartUnit::Count/>
            <BarChart id="gmv" title="home.chart.gmv" dates=tr.dates.clone() values=tr.gmv unit=money/>
            <BarChart id="refunds" title="home.chart.refunds" dates=tr.dates values=tr.refunds unit=money/>
        </div>
    }
}
