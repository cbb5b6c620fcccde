//! The period picker (KPI cards, charts, reports, exports): a preset (today, 7 days, 30 days,
//! custom) and, for a custom period, its first and last day. Like every filter it lives in the URL
//! (`period`, `from`, `to`), so a report can be bookmarked and works before the WASM. The server
//! parses it with `domain::period::Period::parse` (see `platform::period::parse_period`) and answers
//! a bad value with a field error (`from`, `to` or `period`) that the filter bar shows.

use super::list::TextFilter;
use super::query::query_param;
use super::styles::{INPUT, LABEL};
use crate::domain::period::Preset;
use crate::i18n::{t, translate, use_lang};
use leptos::prelude::*;

/// The period's fields, to put inside a `FilterBar`. `default` is the preset shown when the URL
/// names none (and must be what the server assumes then).
#[component]
pub fn PeriodFields(#[prop(default = "7d")] default: &'static str) -> impl IntoView {
    let (lang, current) = (use_lang(), query_param("period"));
    let chosen = move || current().unwrap_or_else(|| default.to_string());
    view! {
        <div class="space-y-1">
            <label for="filter-period" class=LABEL>{t("period.label")}</label>
            <select id="filter-period" name="period" class=INPUT>
                {Preset::ALL.into_iter().map(|p| {
                    let key = format!("period.{}", p.as_str());
                    view! {
                        <option value=p.as_str() selected=move || chosen() == p.as_str()>{move || translate(lang.get(), &key)}</option>
                    }
                }).collect_view()}
            </select>
        </div>
        <TextFilter name="from" label="period.from" kind="date" maxlength=10/>
        <TextFilter name="to" label="period.to" kind="date" maxlength=10/>
    }
}

/// The period in the URL as a server function takes it: `(period, from, to)`.
pub fn period_query() -> impl Fn() -> (Option<String>, Option<String>, Option<String>) + Copy + Send + Sync + 'static {
    let (period, from, to) = (query_param("period"), query_param("from"), query_param("to"));
    move || (period(), from(), to())
}
