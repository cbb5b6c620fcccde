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
