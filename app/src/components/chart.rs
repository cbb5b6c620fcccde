//! The kit's chart: a daily bar chart drawn as SVG on the server, so it needs no JavaScript (and
//! hydration finds the same markup). The SVG is one image for assistive technology (`role="img"`
//! with a title and a one-sentence description: days, total, highest day); the numbers themselves
//! are in a table under a `<details>`, for screen readers and for anyone who wants the exact values.
//! Used by the command center's trends; reports can draw any daily series with it.

use super::format::money;
use super::styles::{CARD, H2, TD_INLINE, TH_INLINE};
use crate::domain::kpi::nice_ceiling;
use crate::domain::money::Currency;
use crate::i18n::{fill, translate, use_lang};
use leptos::prelude::*;

/// What the values are: counts, or money (minor units) in a currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartUnit {
    Count,
    Money(Currency),
}

impl ChartUnit {
    /// The smallest top of the y axis: one item, or 1.00 of the currency (an empty money chart would
    /// otherwise top at one cent).
    fn least_top(self) -> i64 {
        match self {
            ChartUnit::Count => 1,
            ChartUnit::Money(_) => 100,
        }
    }

    pub fn text(self, value: i64) -> String {
        match self {
            ChartUnit::Count => value.to_string(),
            ChartUnit::Money(c) => money(value, c),
        }
    }
}

// The drawing's coordinate system (the SVG scales to its box).
const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 220.0;
const LEFT: f64 = 88.0;
const RIGHT: f64 = 8.0;
const TOP: f64 = 10.0;
const BOTTOM: f64 = 28.0;

/// One bar per day. `id` names the chart on the page (ids of its title and description, and its
/// `data-testid`, `chart-<id>`); `title` is a message key; `dates[i]` (`YYYY-MM-DD`) is the day of
/// `values[i]`.
#[component]
pub fn BarChart(
    id: &'static str,
    title: &'static str,
    dates: Vec<String>,
    values: Vec<i64>,
    unit: ChartUnit,
) -> impl IntoView {
    let lang = use_lang();
    let summary = {
        let (dates, values) = (dates.clone(), values.clone());
        move || {
            summary(
                &translate(lang.get(), if values.iter().any(|v| *v != 0) { "chart.summary" } else { "chart.empty" }),
                &dates,
                &values,
                unit,
            )
        }
    };
    let (title_id, desc_id) = (format!("chart-{id}-title"), format!("chart-{id}-desc"));
    let labelled_by = format!("{title_id} {desc_id}");
    let top = nice_ceiling(values.iter().copied().max().unwrap_or(0).max(unit.least_top()));
    view! {
        <figure class=CARD data-testid=format!("chart-{id}")>
            <figcaption class=H2>{move || translate(lang.get(), title)}</figcaption>
            <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-labelledby=labelled_by
                class="mt-3 h-auto w-full text-slate-500" preserveAspectRatio="xMidYMid meet">
                <title id=title_id>{move || translate(lang.get(), title)}</title>
                <desc id=desc_id>{summary.clone()}</desc>
                <Grid top unit/>
                <Bars values=values.clone() dates=dates.clone() top unit/>
                <DayLabels dates=dates.clone()/>
            </svg>
            <details class="mt-3 text-sm">
                <summary class="cursor-pointer text-indigo-700">{move || translate(lang.get(), "chart.data")}</summary>
                <table class="mt-2 min-w-full text-sm" data-testid=format!("chart-{id}-table")>
                    <caption class="sr-only">{move || translate(lang.get(), title)}</caption>
                    <thead><tr>
                        <th scope="col" class=TH_INLINE>{move || translate(lang.get(), "chart.date")}</th>
                        <th scope="col" class=TH_INLINE>{move || translate(lang.get(), "chart.value")}</th>
                    </tr></thead>
                    <tbody>
                        {dates.into_iter().zip(values).map(|(d, v)| view! {
                            <tr><td class=TD_INLINE>{d}</td><td class=format!("{TD_INLINE} tabular-nums")>{unit.text(v)}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </details>
        </figure>
    }
}

/// "30 days from … to …: total …, highest … on …" (or "nothing yet").
fn summary(template: &str, dates: &[String], values: &[i64], unit: ChartUnit) -> String {
    let (max_i, max) =
        values.iter().copied().enumerate().max_by_key(|(i, v)| (*v, std::cmp::Reverse(*i))).unwrap_or((0, 0));
    let at = |i: usize| dates.get(i).cloned().unwrap_or_default();
    fill(
        template,
        &[
            ("days", dates.len().to_string()),
            ("first", at(0)),
            ("last", at(dates.len().saturating_sub(1))),
            ("total", unit.text(values.iter().sum())),
            ("max", unit.text(max)),
            ("max_date", at(max_i)),
        ],
    )
}

fn plot_height() -> f64 {
    HEIGHT - TOP - BOTTOM
}

/// The y position of a value on a 0..=top axis.
fn y_of(value: i64, top: i64) -> f64 {
    TOP + plot_height() * (1.0 - value as f64 / top.max(1) as f64)
}

/// Gridlines and labels at 0, half and the top of the axis (no half line when it would repeat 0).
#[component]
fn Grid(top: i64, unit: ChartUnit) -> impl IntoView {
    let mut lines = vec![0, top / 2, top];
    lines.dedup();
    lines
        .into_iter()
        .map(|v| {
            let y = format!("{:.1}", y_of(v, top));
            view! {
                <line x1=LEFT x2=WIDTH - RIGHT y1=y.clone() y2=y.clone() stroke="currentColor" stroke-opacity="0.2"/>
                <text x=LEFT - 6.0 y=y text-anchor="end" dominant-baseline="middle" font-size="11" fill="currentColor">{unit.text(v)}</text>
            }
        })
        .collect_view()
}

#[component]
fn Bars(values: Vec<i64>, dates: Vec<String>, top: i64, unit: ChartUnit) -> impl IntoView {
    let slot = (WIDTH - LEFT - RIGHT) / values.len().max(1) as f64;
    let width = (slot * 0.7).max(1.0);
    values
        .into_iter()
        .zip(dates)
        .enumerate()
        .map(|(i, (v, d))| {
            let y = y_of(v.max(0), top);
            let x = LEFT + slot * i as f64 + (slot - width) / 2.0;
            let h = TOP + plot_height() - y;
            view! {
                <rect x=format!("{x:.1}") y=format!("{y:.1}") width=format!("{width:.1}") height=format!("{h:.1}")
                    rx="2" class="fill-indigo-500"><title>{format!("{d}: {}", unit.text(v))}</title></rect>
            }
        })
        .collect_view()
}

/// The first, middle and last day under the bars (`MM-DD`).
#[component]
fn DayLabels(dates: Vec<String>) -> impl IntoView {
    let n = dates.len();
    let slot = (WIDTH - LEFT - RIGHT) / n.max(1) as f64;
    let mut shown = vec![0, n / 2, n.saturating_sub(1)];
    shown.dedup();
    shown
        .into_iter()
        .filter(|i| *i < n)
        .map(|i| {
            let x = LEFT + slot * (i as f64 + 0.5);
            let label = dates[i].get(5..).unwrap_or(&dates[i]).to_string();
            view! { <text x=format!("{x:.1}") y=HEIGHT - 8.0 text-anchor="middle" font-size="11" fill="currentColor">{label}</text> }
        })
        .collect_view()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_names_the_total_and_the_highest_day() {
        let dates = vec!["2026-12-01".to_string(), "2026-12-02".to_string(), "2026-12-03".to_string()];
        let text = summary("{days}|{first}|{last}|{total}|{max}|{max_date}", &dates, &[5, 9, 9], ChartUnit::Count);
        assert_eq!(text, "3|2026-12-01|2026-12-03|23|9|2026-12-02", "the first of equal highs");
        let money = summary("{total}", &dates, &[150, 0, 0], ChartUnit::Money(Currency::Usd));
        assert_eq!(money, "$1.50");
    }

    #[test]
    fn values_map_onto_the_axis() {
        assert_eq!(y_of(0, 10), TOP + plot_height());
        assert_eq!(y_of(10, 10), TOP);
    }
}
