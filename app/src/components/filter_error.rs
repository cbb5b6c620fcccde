//! A list whose filters the server refused (a bad value typed into the URL) answers with a field
//! error: the filter bar shows it (`FilterBar error=...`), and the list claims it (`on_error`)
//! instead of showing the error state under the filters a second time.

use super::states::error_text;
use crate::domain::page::Page;
use crate::error::AppError;
use crate::i18n::use_lang;
use leptos::prelude::*;
use serde::{de::DeserializeOwned, Serialize};

/// The text of the list's field error, for `FilterBar error=...` (read inside its Transition).
pub fn list_filter_error<T>(list: Resource<Result<Page<T>, AppError>>) -> Signal<Option<String>>
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
{
    let lang = use_lang();
    Signal::derive(move || match list.get() {
        Some(Err(e)) if e.field().is_some() => Some(error_text(lang.get(), &e)),
        _ => None,
    })
}

/// For `ListResult on_error=shown_by_filters`: a field error is the filter bar's, not the list's.
pub fn shown_by_filters(e: AppError) -> Option<AnyView> {
    e.field().is_some().then(|| ().into_any())
}

/// The list's field error, if it answered with one; put it in the `FilterBar`. The list's
/// `ListResult` claims those errors with `on_error=|e: AppError| e.field().is_some().then(|| ().into_any())`.
#[component]
pub fn FilterFieldError<T>(list: Resource<Result<Page<T>, AppError>>) -> impl IntoView
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
{
    let lang = use_lang();
    let error = move || match list.get() {
        Some(Err(e)) => e.field().map(|field| (field.to_string(), error_text(lang.get(), &e))),
        _ => None,
    };
    // Read inside a Transition, like the list, so the server and the browser render the same.
    view! {
        <Transition fallback=|| ()>
            {move || error().map(|(field, text)| view! {
                <p id=format!("filter-{field}-error") role="alert" class="w-full text-sm text-red-600" data-testid=format!("error-{field}")>{text}</p>
            })}
        </Transition>
    }
}
