//! What the page's parts share: the side, the list's reload, the "done" notice, the secret shown once.

use super::calls::Side;
use crate::components::states::error_text;
use crate::error::AppError;
use crate::i18n::use_lang;
use crate::webhooks::model::SecretOnce;
use leptos::prelude::*;

/// What the endpoint cards share with the page: reload the list, say what was done, show a secret.
#[derive(Clone, Copy)]
pub struct Shared {
    pub side: Side,
    pub refresh: RwSignal<u32>,
    pub notice: RwSignal<Option<&'static str>>,
    pub secret: RwSignal<Option<SecretOnce>>,
}

/// The error text of an action's last failure, for an alert.
pub fn failure<T: Clone + Send + Sync + 'static>(
    value: impl Get<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
) -> Signal<Option<String>> {
    let lang = use_lang();
    Signal::derive(move || match value.get() {
        Some(Err(e)) => Some(error_text(lang.get(), &e)),
        _ => None,
    })
}
