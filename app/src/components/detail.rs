//! The detail view: a header (title, what the record belongs to, its status badge, actions),
//! sections with a heading, definition lists of facts, and a timeline of what happened.

use super::format::{label_or_raw, Time};
use super::states::{EmptyState, ErrorState, LoadingState};
use super::styles::{CARD, H1, H2, MUTED, SUBTITLE};
use crate::error::AppError;
use crate::i18n::{t, use_lang};
use leptos::prelude::*;
use leptos::text_prop::TextProp;
use serde::{de::DeserializeOwned, Serialize};

/// The top of a detail page: `title` (the `<h1>`), `subtitle` under it (links to the order, the
/// seller...), and on the right `badge` and `children` (actions, a key figure).
#[component]
pub fn DetailHeader(
    #[prop(into)] title: TextProp,
    #[prop(optional, into)] subtitle: Option<ViewFnOnce>,
    #[prop(optional, into)] badge: Option<ViewFnOnce>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    view! {
        <header class="flex flex-wrap items-start justify-between gap-4">
            <div>
                <h1 class=H1>{move || title.get().to_string()}</h1>
                {subtitle.map(|s| view! { <p class=SUBTITLE>{s.run()}</p> })}
            </div>
            <div class="text-right">
                {badge.map(|b| b.run())}
                {children.map(|c| c())}
            </div>
        </header>
    }
}

/// A card with a heading. `id` is the heading's element id (the section is labelled by it);
/// `hide_title` keeps the heading for screen readers only.
#[component]
pub fn Section(
    id: &'static str,
    #[prop(into)] title: TextProp,
    #[prop(optional)] testid: Option<&'static str>,
    #[prop(optional)] hide_title: bool,
    /// Replaces the card's classes (a coloured border for a dangerous action, for instance).
    #[prop(optional)]
    class: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    let heading = if hide_title { "sr-only" } else { H2 };
    view! {
        <section class=class.unwrap_or(CARD) aria-labelledby=id data-testid=testid>
            <h2 id=id class=heading>{move || title.get().to_string()}</h2>
            {children()}
        </section>
    }
}

/// A card without a heading (a note, a form that has its own).
#[component]
pub fn Card(#[prop(optional)] testid: Option<&'static str>, children: Children) -> impl IntoView {
    view! { <div class=CARD data-testid=testid>{children()}</div> }
}

/// A definition list of facts; put `Field`s in it.
#[component]
pub fn Fields(children: Children) -> impl IntoView {
    view! { <dl class="mt-2 divide-y divide-slate-100">{children()}</dl> }
}

/// One fact: a label (message key) and its value.
#[component]
pub fn Field(label: &'static str, children: Children) -> impl IntoView {
    view! {
        <div class="grid grid-cols-3 gap-2 py-2 text-sm">
            <dt class="text-slate-500">{t(label)}</dt>
            <dd class="col-span-2 text-slate-900">{children()}</dd>
        </div>
    }
}

/// One line of a timeline: when, what (an audit action code, shown translated when the catalog
/// has `audit.action.<code>`, raw otherwise), who, and the reason they gave.
#[derive(Clone, Debug, PartialEq)]
pub struct TimelineEntry {
    pub at_ms: i64,
    pub what: String,
    pub who: String,
    pub note: String,
}

/// What happened to a record, in order. `empty` is the message key shown when nothing did.
#[component]
pub fn Timeline(
    entries: Vec<TimelineEntry>,
    #[prop(optional)] testid: Option<&'static str>,
    #[prop(optional)] empty: Option<&'static str>,
) -> impl IntoView {
    let lang = use_lang();
    let none = (entries.is_empty()).then_some(empty).flatten();
    view! {
        {none.map(|key| view! { <p class=format!("mt-2 {MUTED}")>{t(key)}</p> })}
        <ol class="mt-2 divide-y divide-slate-100" data-testid=testid>
            {entries.into_iter().map(|e| {
                let what = e.what.clone();
                view! {
                    <li class="py-2 text-sm" data-testid="audit-line" data-action=e.what.clone()>
                        <p class="flex flex-wrap gap-x-2">
                            <span class="font-mono text-xs text-slate-700" data-testid="history-action">{move || label_or_raw(lang.get(), "audit.action.", &what)}</span>
                            <span class="text-xs text-slate-500"><Time ms=e.at_ms/>" · "{e.who.clone()}</span>
                        </p>
                        {(!e.note.is_empty()).then(|| view! { <p class="whitespace-pre-wrap text-slate-600">{e.note.clone()}</p> })}
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}

/// One value (a record, a row of counters): loading, then "not found" (`not_found`, a message
/// key; without it a missing record is an error like any other), the error, or the value drawn by
/// the children: `<DetailResult resource=... not_found="x.not_found" let:d><Body d/></DetailResult>`.
/// `on_error` may claim an error first (a sign-in redirect, "not a seller").
#[component]
pub fn DetailResult<T, V, IV>(
    resource: Resource<Result<T, AppError>>,
    #[prop(optional)] not_found: Option<&'static str>,
    #[prop(optional, into)] on_error: Option<Callback<(AppError,), Option<AnyView>>>,
    children: V,
) -> impl IntoView
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    V: Fn(T) -> IV + Send + Sync + 'static,
    IV: IntoView + 'static,
{
    view! {
        <Transition fallback=LoadingState>
            {move || resource.get().map(|r| match r {
                Err(e) => match (on_error.and_then(|f| f.run((e.clone(),))), e, not_found) {
                    (Some(claimed), _, _) => claimed,
                    (None, AppError::NotFound, Some(key)) => view! { <EmptyState title=Signal::derive(t(key))/> }.into_any(),
                    (None, e, _) => view! { <ErrorState error=e/> }.into_any(),
                },
                Ok(record) => children(record).into_any(),
            })}
        </Transition>
    }
}
