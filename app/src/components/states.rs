use crate::error::AppError;
use crate::i18n::{fill, t, translate, use_lang};
use leptos::prelude::*;

// Moved to the kit's own files; re-exported so `states::{urlencode, Time, format_utc}` keeps working.
pub use super::format::{format_utc, Time};
pub use super::query::urlencode;

/// The text a person sees for an error, in the current language. An internal error says only that
/// something failed and the reference (the request id) to quote: its cause stays in the server log.
pub fn error_text(lang: crate::i18n::Lang, e: &AppError) -> String {
    let text = translate(lang, e.message_key());
    match e {
        AppError::RateLimited { retry_after_s } => fill(&text, &[("s", retry_after_s.to_string())]),
        AppError::SignInBlocked { until_ms, cause, .. } => fill(
            &text,
            &[
                ("until", until_ms.map(super::format::time_text).unwrap_or_default()),
                ("cause", cause.as_deref().map(|c| translate(lang, c)).unwrap_or_default()),
            ],
        ),
        AppError::Maintenance { message, until_ms } => {
            let text = fill(&text, &[("until", until_ms.map(super::format::time_text).unwrap_or_default())]);
            if message.is_empty() {
                text
            } else {
                format!("{text} {message}")
            }
        }
        AppError::Internal { .. } => match e.reference() {
            Some(id) => format!("{text} {}", fill(&translate(lang, "error.reference"), &[("id", id.to_string())])),
            None => text,
        },
        _ => text,
    }
}

#[component]
pub fn LoadingState() -> impl IntoView {
    view! {
        <div role="status" aria-live="polite" data-testid="loading" class="flex items-center gap-2 p-6 text-sm text-slate-500">
            <span class="h-4 w-4 animate-spin rounded-full border-2 border-slate-300 border-t-slate-600" aria-hidden="true"></span>
            {t("state.loading")}
        </div>
    }
}

#[component]
pub fn EmptyState(
    #[prop(into)] title: Signal<String>,
    #[prop(optional, into)] hint: Option<Signal<String>>,
) -> impl IntoView {
    view! {
        <div data-testid="empty-state" class="rounded-lg border border-dashed border-slate-300 bg-white p-10 text-center">
            <p class="text-sm font-medium text-slate-700">{move || title.get()}</p>
            {hint.map(|h| view! { <p class="mt-1 text-sm text-slate-500">{move || h.get()}</p> })}
        </div>
    }
}

#[component]
pub fn ErrorState(error: AppError) -> impl IntoView {
    let lang = use_lang();
    if error == AppError::Forbidden {
        return view! { <ForbiddenState/> }.into_any();
    }
    view! {
        <div role="alert" data-testid="error-state" class="rounded-lg border border-red-200 bg-red-50 p-6 text-sm text-red-800">
            <p class="font-medium">{t("error.load_failed")}</p>
            <p class="mt-1">{move || error_text(lang.get(), &error)}</p>
        </div>
    }
    .into_any()
}

#[component]
pub fn ForbiddenState() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(opts) = use_context::<leptos_axum::ResponseOptions>() {
        opts.set_status(http::StatusCode::FORBIDDEN);
    }
    view! {
        <div role="alert" data-testid="forbidden" class="rounded-lg border border-amber-200 bg-amber-50 p-8">
            <h2 class="text-lg font-semibold text-amber-900">{t("error.page_forbidden_title")}</h2>
            <p class="mt-1 text-sm text-amber-800">{t("error.page_forbidden_body")}</p>
        </div>
    }
}

/// Keyset paging as plain links, so it works before (and without) the WASM: `next` is the cursor of
/// the following page; `base_query` carries the current filters.
#[component]
pub fn Pager(
    #[prop(into)] next: Option<String>,
    #[prop(into)] base_query: String,
    #[prop(into)] is_first: bool,
) -> impl IntoView {
    let sep = if base_query.is_empty() { "" } else { "&" };
    let next_href = next.map(|c| format!("?{base_query}{sep}cursor={}", urlencode(&c)));
    let first_href = format!("?{base_query}");
    view! {
        <nav aria-label="pagination" class="flex items-center justify-end gap-3 py-3 text-sm">
            {(!is_first).then(|| view! { <a class="text-slate-600 hover:underline" href=first_href.clone()>{t("page.first")}</a> })}
            {next_href.map(|href| view! {
                <a data-testid="next-page" class="rounded-md border border-slate-300 bg-white px-3 py-1.5 font-medium text-slate-700 hover:bg-slate-50" href=href>{t("page.next")}</a>
            })}
        </nav>
    }
}

#[cfg(test)]
mod tests {
    use super::{error_text, format_utc};
    use crate::error::AppError;
    use crate::i18n::Lang;

    #[test]
    fn an_internal_error_shows_its_reference_and_nothing_else() {
        let e = AppError::Internal { reference: "0123abcd".into() };
        let en = error_text(Lang::En, &e);
        assert!(en.ends_with("Reference: 0123abcd"), "{en}");
        let zh = error_text(Lang::Zh, &e);
        assert!(zh.ends_with("参考编号：0123abcd"), "{zh}");
        let without = error_text(Lang::En, &AppError::Internal { reference: String::new() });
        assert!(!without.contains("Reference"), "{without}");
    }

    #[test]
    fn utc_formatting_matches_known_instants() {
        assert_eq!(format_utc(0), "1970-01-01T00:00:00");
        assert_eq!(format_utc(1_795_305_600_000), "2026-11-22T00:00:00");
        assert_eq!(format_utc(951_782_400_000), "2000-02-29T00:00:00");
    }
}
