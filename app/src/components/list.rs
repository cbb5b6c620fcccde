//! The list view: a filter bar whose fields are bound to query parameters, counters, a table with
//! its caption and column headers, and `ListResult`, which turns a page resource into loading /
//! error / empty / rows + the keyset pager. See docs/PAGE_KIT.md for a worked example.

use super::query::{query_param, query_string};
use super::states::{EmptyState, ErrorState, LoadingState, Pager};
use super::styles::{CARD_SMALL, CHECKBOX, CHECK_LABEL, INPUT, LABEL, TABLE, TABLE_WRAP, TBODY, TH, THEAD};
use crate::domain::page::Page;
use crate::error::AppError;
use crate::i18n::{t, translate, use_lang};
use leptos::prelude::*;
use leptos_router::components::Form;
use serde::{de::DeserializeOwned, Serialize};

/// A GET form: the filters live in the URL, so the list works before the WASM and can be shared.
/// `label` (a message key) names the form for screen readers; `apply` is the button's key.
#[component]
pub fn FilterBar(
    action: &'static str,
    label: &'static str,
    #[prop(default = "action.filter")] apply: &'static str,
    #[prop(optional)] testid: Option<&'static str>,
    /// A filter the server refused (a bad value typed into the URL), under the fields.
    #[prop(optional, into)]
    error: Option<Signal<Option<String>>>,
    children: Children,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <Form method="GET" action=action attr:aria-label=move || translate(lang.get(), label) attr:data-testid=testid
            attr:class="flex flex-wrap items-end gap-3 rounded-xl border border-slate-200 bg-white p-4">
            {children()}
            <button type="submit" class="rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-700 focus:outline-none focus:ring-2 focus:ring-indigo-300">{t(apply)}</button>
            // The error comes from the list's resource: read it inside a Transition like the list.
            {error.map(|error| view! {
                <Transition fallback=|| ()>
                    {move || error.get().map(|e| view! { <p role="alert" class="w-full text-sm text-red-600" data-testid="filter-error">{e}</p> })}
                </Transition>
            })}
        </Form>
    }
}

/// The element id of a filter field (`filter-status`), unless the page gives its own.
fn field_id(id: Option<&'static str>, name: &'static str) -> String {
    id.map(str::to_string).unwrap_or_else(|| format!("filter-{name}"))
}

/// A choice among `options` (value, message key of its label), plus "all" (empty value). The
/// current value is the query parameter `name`.
#[component]
pub fn SelectFilter(
    name: &'static str,
    label: &'static str,
    /// Message key of the empty choice ("All states").
    all: &'static str,
    options: Vec<(&'static str, String)>,
    /// Choices known only at run time (custom roles), after `options`: (value, label key or the label
    /// itself, shown as is when no message has that key).
    #[prop(optional)]
    extra: Vec<(String, String)>,
    #[prop(optional)] id: Option<&'static str>,
) -> impl IntoView {
    let (lang, current, id) = (use_lang(), query_param(name), field_id(id, name));
    let extra = extra.into_iter().map(|(value, key)| {
        let selected = {
            let value = value.clone();
            move || current().as_deref() == Some(value.as_str())
        };
        view! { <option value=value selected=selected>{move || translate(lang.get(), &key)}</option> }
    });
    view! {
        <div class="space-y-1">
            <label for=id.clone() class=LABEL>{t(label)}</label>
            <select id=id name=name class=INPUT>
                <option value="">{t(all)}</option>
                {options.into_iter().map(|(value, key)| view! {
                    <option value=value selected=move || current().as_deref() == Some(value)>{move || translate(lang.get(), &key)}</option>
                }).collect_view()}
                {extra.collect_view()}
            </select>
        </div>
    }
}

/// Free text; `kind` is `text` or `search` (a search box is announced as one).
#[component]
pub fn TextFilter(
    name: &'static str,
    label: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = 100)] maxlength: usize,
    #[prop(optional)] id: Option<&'static str>,
) -> impl IntoView {
    let (current, id) = (query_param(name), field_id(id, name));
    view! {
        <div class="space-y-1">
            <label for=id.clone() class=LABEL>{t(label)}</label>
            <input id=id name=name type=kind maxlength=maxlength class=INPUT value=move || current().unwrap_or_default()/>
        </div>
    }
}

/// A yes/no filter: checked when the query parameter is present; sends `value` when checked.
#[component]
pub fn CheckFilter(
    name: &'static str,
    label: &'static str,
    #[prop(default = "1")] value: &'static str,
    #[prop(optional)] id: Option<&'static str>,
) -> impl IntoView {
    let (current, id) = (query_param(name), field_id(id, name));
    view! {
        <div class="flex items-center gap-2 pb-2">
            <input id=id.clone() name=name type="checkbox" value=value checked=move || current().is_some() class=CHECKBOX/>
            <label for=id class=CHECK_LABEL>{t(label)}</label>
        </div>
    }
}

/// A row of counters (`Counter`s). `columns` at large widths: 2 to 6.
#[component]
pub fn Counters(
    #[prop(default = 4)] columns: u8,
    #[prop(optional)] testid: Option<&'static str>,
    /// Message key naming the group for screen readers.
    #[prop(default = "state.counters")]
    label: &'static str,
    children: Children,
) -> impl IntoView {
    let lang = use_lang();
    // Whole class strings, one per column count (Tailwind scans for literals).
    let class = match columns {
        2 => "grid gap-3 sm:grid-cols-2",
        3 => "grid gap-3 sm:grid-cols-3",
        5 => "grid gap-3 sm:grid-cols-2 lg:grid-cols-5",
        6 => "grid gap-3 sm:grid-cols-3 lg:grid-cols-6",
        _ => "grid gap-3 sm:grid-cols-2 lg:grid-cols-4",
    };
    view! {
        <dl role="group" class=class data-testid=testid aria-label=move || translate(lang.get(), label)>{children()}</dl>
    }
}

/// One figure: a label (message key) and its value; with `href`, the value links to the list it
/// counts. `testid` goes on the value, so tests read the number alone.
#[component]
pub fn Counter(
    label: &'static str,
    #[prop(into)] value: String,
    #[prop(into)] testid: String,
    #[prop(optional, into)] href: Option<String>,
) -> impl IntoView {
    let value_view = match href {
        Some(href) => view! {
            <a href=href class="block text-2xl font-semibold tabular-nums text-slate-900 hover:text-indigo-700" data-testid=testid>{value}</a>
        }
        .into_any(),
        None => view! { <span class="block text-2xl font-semibold tabular-nums text-slate-900" data-testid=testid>{value}</span> }.into_any(),
    };
    view! {
        <div class=CARD_SMALL>
            <dt class="text-xs font-medium uppercase tracking-wide text-slate-500">{t(label)}</dt>
            <dd class="mt-1">{value_view}</dd>
        </div>
    }
}

/// A table in its box: `caption` (message key, read by screen readers only), the column headers
/// (message keys, `scope="col"`), then `children`: the `<tr>`s.
#[component]
pub fn DataTable(
    caption: &'static str,
    columns: Vec<&'static str>,
    #[prop(optional)] testid: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    view! {
        <div class=TABLE_WRAP>
            <table class=TABLE data-testid=testid>
                <caption class="sr-only">{t(caption)}</caption>
                <thead class=THEAD>
                    <tr>{columns.into_iter().map(|key| view! { <th scope="col" class=TH>{t(key)}</th> }).collect_view()}</tr>
                </thead>
                <tbody class=TBODY>{children()}</tbody>
            </table>
        </div>
    }
}

/// A page of a list, whatever its rows: loading, then the error, the empty state, or the rows and
/// the keyset pager. `keep` names the query parameters (filters) the pager's links carry; the page
/// cursor is the `cursor` parameter. `on_error` may claim an error first (sign-in redirect, "you are
/// not a seller", a filter error shown by the filter bar); unclaimed errors show `ErrorState`.
/// The children draw the rows: `<ListResult resource=... let:rows><MyTable rows/></ListResult>`.
#[component]
pub fn ListResult<T, R, IV>(
    resource: Resource<Result<Page<T>, AppError>>,
    /// Message key of the empty state's title; `empty_hint` its hint.
    empty: &'static str,
    #[prop(optional)] empty_hint: Option<&'static str>,
    #[prop(optional)] keep: &'static [&'static str],
    #[prop(optional, into)] on_error: Option<Callback<(AppError,), Option<AnyView>>>,
    children: R,
) -> impl IntoView
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    R: Fn(Vec<T>) -> IV + Send + Sync + 'static,
    IV: IntoView + 'static,
{
    let cursor = query_param("cursor");
    let kept: Vec<_> = keep.iter().map(|k| (*k, query_param(k))).collect();
    let base_query = move || query_string(&kept.iter().map(|(k, v)| (*k, v())).collect::<Vec<_>>());
    view! {
        <Transition fallback=LoadingState>
            {move || resource.get().map(|r| match r {
                Err(e) => claimed_or_error(on_error, e),
                Ok(page) if page.rows.is_empty() => empty_state(empty, empty_hint),
                Ok(page) => view! {
                    {children(page.rows)}
                    <Pager next=page.next base_query=base_query() is_first=cursor().is_none()/>
                }.into_any(),
            })}
        </Transition>
    }
}

/// What `on_error` makes of an error, or the error state.
pub(super) fn claimed_or_error(on_error: Option<Callback<(AppError,), Option<AnyView>>>, e: AppError) -> AnyView {
    match on_error.and_then(|f| f.run((e.clone(),))) {
        Some(claimed) => claimed,
        None => view! { <ErrorState error=e/> }.into_any(),
    }
}

/// The empty state from message keys.
pub fn empty_state(title: &'static str, hint: Option<&'static str>) -> AnyView {
    match hint {
        Some(hint) => view! { <EmptyState title=Signal::derive(t(title)) hint=Signal::derive(t(hint))/> }.into_any(),
        None => view! { <EmptyState title=Signal::derive(t(title))/> }.into_any(),
    }
}
